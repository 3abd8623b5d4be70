// Shared fixtures for the node tests: an animation state like widget.animation_state()
// emits, and mount(), which renders the built js/widget.js into a fake DOM.
import widget from "../widget.js";
import { fakeDocument, fakeModel } from "./fakes.mjs";

export const JOINTS = ["head", "neck", "pelvis", "foot_l", "foot_r"];
export const BONES = [
  ["head", "neck"],
  ["neck", "pelvis"],
  ["pelvis", "foot_l"],
  ["pelvis", "foot_r"],
];
export const HOSTILE = "<img src=x onerror=alert(1)>";
/** Every Unicode bidi control the widget must never put on screen. */
export const BIDI = [
  ..."\u202A\u202B\u202C\u202D\u202E", // LRE RLE PDF LRO RLO
  ..."\u2066\u2067\u2068\u2069", // LRI RLI FSI PDI
  "\u200E", // LRM
  "\u200F", // RLM
  "\u061C", // ALM
];

/**
 * A state pair {animation, frames} like widget.animation_state() emits; x = 100*char + 10*frame.
 * Each of `props` ({kind, ...}) stands at x = 500 + 50*k + 10*frame on the ground, angle 30*frame.
 */
export function makeState({ title = "Demo", scenes = [[1000, 5]], chars = 2, props = [], speech = [], notes } = {}) {
  const characters = Array.from({ length: chars }, (_, i) => ({
    id: `char_${i + 1}`,
    name: i === 0 ? "Alice" : `Char ${i + 1}`,
    color: ["#2196F3", "#E91E63", "#4CAF50"][i % 3],
    head_radius: 18,
  }));
  const sceneStates = scenes.map(([duration, n], si) => ({
    id: `scene_${si + 1}`,
    description: `scene ${si + 1}`,
    duration,
    times: Array.from({ length: n }, (_, i) => (duration * i) / (n - 1)),
    n_frames: n,
  }));
  const values = [];
  for (const s of sceneStates) {
    for (let f = 0; f < s.n_frames; f++) {
      for (let c = 0; c < chars; c++) {
        for (let j = 0; j < JOINTS.length; j++) values.push(100 * c + 10 * f, 200 + 20 * j);
      }
      props.forEach((_, k) => values.push(500 + 50 * k + 10 * f, 480, 30 * f));
    }
  }
  const buffer = new ArrayBuffer(values.length * 4);
  const view = new DataView(buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  const animation = {
    title,
    description: "",
    fps: 24,
    stage: { width: 960, height: 540, ground_y: 480 },
    joints: JOINTS,
    bones: BONES,
    characters,
    props: props.map((p, k) => ({ id: `prop_${k + 1}`, name: "", color: "#E53935", width: 40, height: 40, ...p })),
    scenes: sceneStates.map((s, si) => (si === 0 && speech.length ? { ...s, speech } : s)),
    script: { title, characters: [], scenes: [] },
    meta: notes ? { provider: "local", notes } : { provider: "local" },
  };
  return { animation, frames: new DataView(buffer) };
}

/** Render the widget with a fake model (state overridden by `overrides`) into `el`. */
export function mount(overrides = {}, { doc = fakeDocument(), el = null } = {}) {
  if (!el) {
    el = doc.createElement("div");
    doc.body.appendChild(el); // a page without notebook outputs (a standalone page, VS Code)
  }
  const { animation, frames } = makeState({ title: HOSTILE, scenes: [[1000, 5], [500, 3]] });
  const model = fakeModel({
    animation,
    frames,
    story: "a story",
    providers: [
      { name: "local", model: null, available: true, reason: "" },
      { name: "fake", model: "openai/fake", available: true, reason: "" },
      { name: "nokey", model: "openai/x", available: false, reason: "no API key" },
    ],
    provider: "local",
    status: "idle",
    progress: "",
    error: "",
    autoplay: true,
    loop_mode: "loop",
    ...overrides,
  });
  const cleanup = widget.render({ model, el });
  const win = doc.defaultView;
  const root = el.childNodes[0];
  return { doc, el, win, model, cleanup, root };
}
