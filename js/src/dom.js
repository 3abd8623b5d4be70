// DOM helpers. Every string reaches the page as text through here (textContent, attributes),
// cleaned of bidi controls; nothing in this widget assigns innerHTML.

import { cleanText } from "./text.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const ICONS = {
  first: ["M2 3h2v10H2z", "M14 3 5 8l9 5z"],
  prev: ["M11 2.5 4.5 8l6.5 5.5v-2.3L7.2 8 11 4.8z"],
  play: ["M4 2.5v11L14 8z"],
  pause: ["M3.5 2.5h3v11h-3z", "M9.5 2.5h3v11h-3z"],
  next: ["M5 2.5 11.5 8 5 13.5v-2.3L8.8 8 5 4.8z"],
  last: ["M2 3l9 5-9 5z", "M12 3h2v10h-2z"],
  close: ["M3.5 4.9 4.9 3.5 8 6.6l3.1-3.1 1.4 1.4L9.4 8l3.1 3.1-1.4 1.4L8 9.4l-3.1 3.1-1.4-1.4L6.6 8z"],
};

/** A new element with an optional class and text. */
export function h(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = cleanText(text);
  return node;
}

/** Set a node's text (cleaned), touching the DOM only when it changes. */
export function setText(node, text) {
  const clean = cleanText(text);
  if (node.textContent !== clean) node.textContent = clean;
}

/** Set an attribute that a reader sees or hears (title, aria-label), cleaned. */
export function setShownAttribute(node, name, text) {
  node.setAttribute(name, cleanText(text));
}

/** Set a node's tooltip, cleaned. */
export function setTitle(node, text) {
  node.title = cleanText(text);
}

/** Tooltip and accessible name at once. */
export function setLabel(node, label) {
  setTitle(node, label);
  setShownAttribute(node, "aria-label", label);
}

export function icon(doc, name) {
  const svg = doc.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("aria-hidden", "true");
  for (const d of ICONS[name]) {
    const path = doc.createElementNS(SVG_NS, "path");
    path.setAttribute("d", d);
    svg.appendChild(path);
  }
  return svg;
}

export function iconButton(doc, name, label) {
  const button = h(doc, "button", `stickanim-${name}`);
  button.type = "button";
  setLabel(button, label);
  button.appendChild(icon(doc, name));
  return button;
}

/** A <select> of [value, text] options. */
export function select(doc, className, label, options) {
  const node = h(doc, "select", className);
  setLabel(node, label);
  for (const [value, text] of options) {
    const option = h(doc, "option", "", text);
    option.value = value;
    node.appendChild(option);
  }
  return node;
}
