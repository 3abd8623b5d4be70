// The player's DOM: built once per view; the view and its parts update what it returns.

import { h, iconButton, select, setTitle } from "./dom.js";
import { safeColor } from "./draw.js";
import { MODES, SPEEDS } from "./timeline.js";

/** Build the widget's DOM; returns the elements the view updates. */
export function buildDom(doc) {
  const root = h(doc, "div", "stickanim");
  const head = header(doc);
  const error = errorBar(doc);
  const stage = h(doc, "div", "stickanim-stage");
  const canvas = h(doc, "canvas", "stickanim-canvas");
  canvas.setAttribute("role", "img");
  canvas.tabIndex = 0;
  stage.appendChild(canvas);

  const caption = h(doc, "div", "stickanim-caption");
  const sceneLabel = h(doc, "span", "stickanim-scene");
  const captionText = h(doc, "span", "stickanim-caption-text");
  caption.append(sceneLabel, captionText);
  // What the planner could not depict (meta.notes), one small line under the caption.
  const notes = h(doc, "div", "stickanim-notes");
  notes.hidden = true;

  const bar = controls(doc);
  const legend = h(doc, "div", "stickanim-legend");
  const insp = inspector(doc);
  root.append(head.header, error.error, stage, caption, notes, bar.controls, legend, insp.inspector);
  return { root, ...head, ...error, stage, canvas, sceneLabel, captionText, notes, ...bar, legend, ...insp };
}

function header(doc) {
  const header = h(doc, "div", "stickanim-header");
  const title = h(doc, "div", "stickanim-title");
  const status = h(doc, "span", "stickanim-status");
  status.setAttribute("role", "status");
  const spinner = h(doc, "span", "stickanim-spinner");
  const progress = h(doc, "span", "stickanim-progress");
  status.append(spinner, progress);
  const provider = h(doc, "select", "stickanim-provider");
  provider.title = "Provider: choose one to regenerate this story";
  provider.setAttribute("aria-label", "Provider");
  header.append(title, status, provider);
  return { header, title, status, spinner, progress, provider };
}

function errorBar(doc) {
  const error = h(doc, "div", "stickanim-error");
  error.setAttribute("role", "alert");
  const errorText = h(doc, "span", "stickanim-error-text");
  const errorClose = iconButton(doc, "close", "Dismiss");
  errorClose.className = "stickanim-error-close";
  error.append(errorText, errorClose);
  return { error, errorText, errorClose };
}

function controls(doc) {
  const controls = h(doc, "div", "stickanim-controls");
  const buttons = {
    first: iconButton(doc, "first", "First frame"),
    prev: iconButton(doc, "prev", "Previous frame"),
    play: iconButton(doc, "play", "Play"),
    next: iconButton(doc, "next", "Next frame"),
    last: iconButton(doc, "last", "Last frame"),
  };
  const scrub = h(doc, "input", "stickanim-scrub");
  scrub.type = "range";
  scrub.min = "0";
  scrub.step = "any";
  scrub.setAttribute("aria-label", "Time");
  const time = h(doc, "span", "stickanim-readout stickanim-time");
  const frame = h(doc, "span", "stickanim-readout stickanim-frame");
  const speeds = SPEEDS.map((s) => [String(s), `${s}×`]);
  const speed = select(doc, "stickanim-speed", "Speed", speeds);
  const mode = select(doc, "stickanim-mode", "Repeat", MODES.map((m) => [m, m]));
  controls.append(buttons.first, buttons.prev, buttons.play, buttons.next, buttons.last, scrub, time, frame, speed, mode);
  return { controls, buttons, scrub, time, frame, speed, mode };
}

function inspector(doc) {
  const inspector = h(doc, "details", "stickanim-inspector");
  const summary = h(doc, "summary", "", "JSON inspector");
  const inspectorBody = h(doc, "div", "stickanim-inspector-body");
  // A failed regeneration's raw LLM answer: plain text in a <pre>, never parsed as markup.
  const raw = h(doc, "details", "stickanim-section stickanim-raw");
  raw.hidden = true;
  const rawText = h(doc, "pre", "stickanim-raw-text");
  raw.append(h(doc, "summary", "", "Raw LLM answer"), rawText);
  inspector.append(summary, inspectorBody, raw);
  return { inspector, inspectorBody, raw, rawText };
}

/**
 * One swatch and name per character (a long name is cut by CSS, in full in its tooltip), then
 * a "Things: …" item naming the props.
 */
export function fillLegend(doc, legend, characters, props = []) {
  const items = characters.map((c) => {
    const item = h(doc, "span", "stickanim-legend-item");
    const swatch = h(doc, "span", "stickanim-swatch");
    swatch.style.background = safeColor(c.color);
    const name = h(doc, "span", "stickanim-legend-name", c.name);
    setTitle(name, c.name);
    item.append(swatch, name);
    return item;
  });
  const things = thingsLine(props);
  if (things) {
    const item = h(doc, "span", "stickanim-legend-item stickanim-things", things);
    setTitle(item, things);
    items.push(item);
  }
  legend.replaceChildren(...items);
}

/** "Things: 球 (ball), chair", or "" without props. */
export function thingsLine(props) {
  if (!Array.isArray(props) || !props.length) return "";
  const names = props.map((p) => {
    const name = String(p.name || "").trim();
    return name && name !== p.kind ? `${name} (${p.kind})` : String(p.kind);
  });
  return `Things: ${names.join(", ")}`;
}

/** "Note: a · b" from meta.notes, or "" without notes. */
export function notesLine(meta) {
  const notes = meta && Array.isArray(meta.notes) ? meta.notes.filter((n) => typeof n === "string" && n.trim()) : [];
  return notes.length ? `Note: ${notes.join(" · ")}` : "";
}
