// The JSON inspector: the Animation (frames restored lazily) and its Script as trees, each
// with a "Copy JSON" button, built the first time the inspector opens; and the raw LLM
// answer of a failed regeneration, as plain text.

import { h, setText } from "./dom.js";
import { frameShape } from "./frames.js";
import { LazyArray, renderTreeNode, treeNode } from "./tree.js";

/** Round a stage coordinate for display and copy (float32 carries noise past that). */
function round2(v) {
  return Math.round(v * 100) / 100;
}

/** One frame of a decoded scene in the Animation contract's JSON shape. */
export function frameJSON(animation, scene, i) {
  const { nJoints, perFrame, propBase } = frameShape(animation);
  const poses = {};
  animation.characters.forEach((c, ci) => {
    const pose = {};
    const base = i * perFrame + ci * nJoints * 2;
    animation.joints.forEach((j, ji) => {
      pose[j] = [round2(scene.data[base + ji * 2]), round2(scene.data[base + ji * 2 + 1])];
    });
    poses[c.id] = pose;
  });
  const frame = { t: scene.times[i], poses };
  if (Array.isArray(animation.props) && animation.props.length) {
    frame.props = {};
    animation.props.forEach((p, k) => {
      const base = i * perFrame + propBase + k * 3;
      frame.props[p.id] = [round2(scene.data[base]), round2(scene.data[base + 1]), round2(scene.data[base + 2])];
    });
  }
  return frame;
}

/** The Animation as the contract shapes it, with frames computed lazily (or all at once). */
export function animationView(animation, decoded, materialize = false) {
  const scenes = (animation.scenes || []).map((s, si) => {
    const { times: _t, n_frames: _n, ...rest } = s;
    const scene = decoded[si];
    const get = (i) => frameJSON(animation, scene, i);
    const frames = materialize
      ? Array.from({ length: scene.nFrames }, (_, i) => get(i))
      : new LazyArray(scene.nFrames, get);
    return { ...rest, frames };
  });
  return { ...animation, scenes };
}

/**
 * The inspector of a view: `load(scene)` when the animation changes (rebuilt now if open,
 * else when opened), `showRaw()` when the model's `raw` changes.
 */
export function createInspector({ doc, win, dom, model, listen, onModel }) {
  let scene = null;
  let built = false;

  function build() {
    if (built || !scene) return;
    built = true;
    const { animation, decoded } = scene;
    const sections = [
      ["Animation", animationView(animation, decoded), () => JSON.stringify(animationView(animation, decoded, true))],
      ["Script", animation.script ?? null, () => JSON.stringify(animation.script ?? null, null, 2)],
    ];
    dom.inspectorBody.replaceChildren(...sections.map(([name, value, json]) => section(doc, win, name, value, json)));
  }

  function load(next) {
    scene = next;
    built = false;
    if (dom.inspector.open) build();
  }

  function showRaw() {
    const raw = model.get("raw");
    const text = typeof raw === "string" ? raw : "";
    setText(dom.rawText, text);
    dom.raw.hidden = !text;
    if (!text) dom.raw.open = false;
    dom.root.setAttribute("data-raw", text ? "true" : "false");
  }

  listen(dom.inspector, "toggle", () => {
    if (dom.inspector.open) build();
  });
  onModel("change:raw", showRaw);
  return { load, showRaw };
}

/** One titled tree with its "Copy JSON" button; `json()` makes the text to copy. */
function section(doc, win, name, value, json) {
  const wrap = h(doc, "div", `stickanim-section stickanim-section-${name.toLowerCase()}`);
  const head = h(doc, "div", "stickanim-section-head");
  const copy = h(doc, "button", "stickanim-copy", "Copy JSON");
  copy.type = "button";
  copy.setAttribute("data-what", name.toLowerCase());
  const note = h(doc, "span", "stickanim-copied");
  copy.addEventListener("click", async () => {
    const ok = await copyText(doc, win, json());
    note.textContent = ok ? "copied" : "copy failed";
  });
  head.append(h(doc, "span", "", name), copy, note);
  const tree = h(doc, "div", "stickanim-tree");
  tree.appendChild(renderTreeNode(doc, treeNode(null, value), true));
  wrap.append(head, tree);
  return wrap;
}

/** Put text on the clipboard, falling back to a hidden textarea where the API is missing. */
async function copyText(doc, win, text) {
  const clipboard = win.navigator && win.navigator.clipboard;
  if (clipboard && clipboard.writeText) {
    try {
      await clipboard.writeText(text);
      return true;
    } catch {
      // fall through: insecure context or permission denied
    }
  }
  const area = doc.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  doc.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = doc.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}
