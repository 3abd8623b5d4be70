// The inspector's JSON tree: a lazy model of any JSON value (frames computed on demand,
// long arrays grouped into ranges), and a DOM renderer that only builds expanded nodes.

import { h } from "./dom.js";

export const TREE_CHUNK = 100; // children shown per level of a long array in the inspector
const MAX_STRING_PREVIEW = 400; // characters of a long string shown in the inspector

/** An array whose items are computed on demand (the frames of a scene). */
export class LazyArray {
  constructor(length, get) {
    this.length = length;
    this.get = get;
  }
}

function kindOf(value) {
  if (value === null || value === undefined) return "null";
  if (value instanceof LazyArray || Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "null";
}

function itemGetter(value) {
  return value instanceof LazyArray ? (i) => value.get(i) : (i) => value[i];
}

/**
 * One node of the inspector tree: {key, kind, text, expandable, count, children()}.
 * `text` is what the row shows (a JSON literal or a summary); children are computed only
 * when asked, and long arrays are grouped into ranges of TREE_CHUNK so nothing is built
 * for the frames a reader never opens.
 */
export function treeNode(key, value) {
  const kind = kindOf(value);
  if (kind === "array") {
    const get = itemGetter(value);
    return containerNode(key, "array", value.length, `[${value.length}]`, () => rangeChildren(get, 0, value.length));
  }
  if (kind === "object") {
    const keys = Object.keys(value);
    return containerNode(key, "object", keys.length, `{${keys.length}}`, () =>
      keys.map((k) => treeNode(k, value[k])),
    );
  }
  return { key, kind, text: leafText(kind, value), expandable: false, count: 0, children: () => [] };
}

function containerNode(key, kind, count, text, children) {
  return { key, kind, text, expandable: count > 0, count, children };
}

function leafText(kind, value) {
  if (kind === "string") {
    const s = value.length > MAX_STRING_PREVIEW ? `${value.slice(0, MAX_STRING_PREVIEW)}…` : value;
    return JSON.stringify(s);
  }
  if (kind === "null") return "null";
  return String(value);
}

/** Children of items [start, end): the items themselves, or nested ranges when too many. */
export function rangeChildren(get, start, end) {
  const n = end - start;
  if (n <= TREE_CHUNK) {
    const out = [];
    for (let i = start; i < end; i++) out.push(treeNode(String(i), get(i)));
    return out;
  }
  let step = TREE_CHUNK;
  while (n / step > TREE_CHUNK) step *= TREE_CHUNK;
  const out = [];
  for (let s = start; s < end; s += step) {
    const e = Math.min(s + step, end);
    out.push({
      key: `[${s}…${e - 1}]`,
      kind: "range",
      text: `${e - s} items`,
      expandable: true,
      count: e - s,
      children: () => rangeChildren(get, s, e),
    });
  }
  return out;
}

/** Render a tree node as DOM; children are built the first time a node is expanded. */
export function renderTreeNode(doc, node, expanded = false) {
  const wrap = h(doc, "div", "stickanim-node");
  const row = h(doc, "div", "stickanim-row");
  const toggle = h(doc, "span", "stickanim-toggle");
  row.appendChild(toggle);
  if (node.key !== null) {
    row.appendChild(h(doc, "span", "stickanim-key", node.key));
    row.appendChild(h(doc, "span", "stickanim-colon", ": "));
  }
  row.appendChild(h(doc, "span", `stickanim-value stickanim-${node.kind}`, node.text));
  wrap.appendChild(row);
  if (!node.expandable) return wrap;

  let children = null;
  const setOpen = (open) => {
    if (open && !children) {
      children = h(doc, "div", "stickanim-children");
      for (const child of node.children()) children.appendChild(renderTreeNode(doc, child));
      wrap.appendChild(children);
    }
    if (children) children.hidden = !open;
    toggle.textContent = open ? "▾" : "▸";
    wrap.setAttribute("data-open", open ? "true" : "false");
  };
  row.classList.add("stickanim-expandable");
  row.addEventListener("click", () => setOpen(wrap.getAttribute("data-open") !== "true"));
  setOpen(expanded);
  return wrap;
}
