// Unit tests for js/widget.js: `node --test js/` (Node 20, no npm install).
import assert from "node:assert/strict";
import { test } from "node:test";

import widget, {
  LazyArray,
  STATIC_CLASS,
  STATIC_WATCH_MS,
  TREE_CHUNK,
  advance,
  animationView,
  bisectRight,
  boneIndices,
  buildTimeline,
  decodeFrames,
  fitStage,
  frameAt,
  frameJSON,
  interpolatePose,
  labelSize,
  layoutLabels,
  nearestFrame,
  normalizeAnimation,
  outputSlot,
  providerOptions,
  rangeChildren,
  renderTreeNode,
  safeColor,
  sceneAt,
  staticOutputAfter,
  staticViewHider,
  stepTime,
  treeNode,
} from "./widget.js";

// --------------------------------------------------------------------------------------------
// Fixtures
// --------------------------------------------------------------------------------------------
const JOINTS = ["head", "neck", "pelvis", "foot_l", "foot_r"];
const BONES = [
  ["head", "neck"],
  ["neck", "pelvis"],
  ["pelvis", "foot_l"],
  ["pelvis", "foot_r"],
];
const HOSTILE = "<img src=x onerror=alert(1)>";

/** A state pair {animation, frames} like widget.animation_state() emits; x = 100*char + 10*frame. */
function makeState({ title = "Demo", scenes = [[1000, 5]], chars = 2 } = {}) {
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
    scenes: sceneStates,
    script: { title, characters: [], scenes: [] },
    meta: { provider: "local" },
  };
  return { animation, frames: new DataView(buffer) };
}

// --------------------------------------------------------------------------------------------
// Frame decoding
// --------------------------------------------------------------------------------------------
test("decodeFrames follows the scene > frame > character > joint > xy layout", () => {
  const { animation, frames } = makeState({ scenes: [[1000, 5], [500, 3]] });
  const scenes = decodeFrames(animation, frames);
  assert.equal(scenes.length, 2);
  assert.equal(scenes[0].nFrames, 5);
  const per = 2 * JOINTS.length * 2;
  // scene 0, frame 3, character 1, joint 2 (pelvis)
  const base = 3 * per + 1 * JOINTS.length * 2 + 2 * 2;
  assert.equal(scenes[0].data[base], 100 + 30);
  assert.equal(scenes[0].data[base + 1], 240);
  // scene 1 starts after all of scene 0
  assert.equal(scenes[1].data[0], 0);
  assert.equal(scenes[1].data[per * 2], 20);
  assert.deepEqual(Array.from(scenes[1].times), [0, 250, 500]);
});

test("decodeFrames reads unaligned views and rejects a buffer of the wrong size", () => {
  const { animation, frames } = makeState();
  const bytes = new Uint8Array(frames.byteLength + 3);
  bytes.set(new Uint8Array(frames.buffer), 3);
  const shifted = new DataView(bytes.buffer, 3, frames.byteLength);
  assert.deepEqual(decodeFrames(animation, shifted)[0].data, decodeFrames(animation, frames)[0].data);
  assert.throws(() => decodeFrames(animation, new DataView(new ArrayBuffer(12))), /bytes/);
  const bad = { ...animation, scenes: [{ ...animation.scenes[0], n_frames: 4 }] };
  assert.throws(() => decodeFrames(bad, frames), /times and n_frames/);
});

// --------------------------------------------------------------------------------------------
// Time and interpolation
// --------------------------------------------------------------------------------------------
test("the timeline merges the shared instant between scenes", () => {
  const { animation, frames } = makeState({ scenes: [[1000, 5], [500, 3]] });
  const tl = buildTimeline(decodeFrames(animation, frames));
  assert.deepEqual(tl.starts, [0, 1000]);
  assert.equal(tl.total, 1500);
  assert.deepEqual(Array.from(tl.frameTimes), [0, 250, 500, 750, 1000, 1250, 1500]);
});

test("sceneAt: boundaries belong to the next scene, out-of-range times clamp", () => {
  const { animation, frames } = makeState({ scenes: [[1000, 5], [500, 3]] });
  const scenes = decodeFrames(animation, frames);
  const tl = buildTimeline(scenes);
  assert.deepEqual(sceneAt(tl, scenes, 400), { index: 0, local: 400 });
  assert.deepEqual(sceneAt(tl, scenes, 1000), { index: 1, local: 0 });
  assert.deepEqual(sceneAt(tl, scenes, 1499), { index: 1, local: 499 });
  assert.deepEqual(sceneAt(tl, scenes, 99999), { index: 1, local: 500 });
  assert.deepEqual(sceneAt(tl, scenes, -5), { index: 0, local: 0 });
  assert.deepEqual(sceneAt(tl, [], 10), { index: -1, local: 0 });
});

test("frameAt and interpolatePose blend the two neighbouring frames", () => {
  const times = Float64Array.from([0, 250, 500, 750, 1000]);
  assert.deepEqual(frameAt(times, 0), { i0: 0, i1: 1, alpha: 0 });
  assert.deepEqual(frameAt(times, 375), { i0: 1, i1: 2, alpha: 0.5 });
  assert.deepEqual(frameAt(times, 1000), { i0: 4, i1: 4, alpha: 0 });
  assert.deepEqual(frameAt(times, 2000), { i0: 4, i1: 4, alpha: 0 });
  const { animation, frames } = makeState();
  const [scene] = decodeFrames(animation, frames);
  const per = 2 * JOINTS.length * 2;
  const out = interpolatePose(scene.data, per, 1, 2, 0.25);
  assert.equal(out[0], 12.5); // x of char 0, frame 1 -> 2 is 10 -> 20
  assert.equal(out[JOINTS.length * 2], 112.5); // same joint of char 1
  assert.equal(out[1], 200); // y does not move
});

test("bisectRight, nearestFrame and stepTime walk the frame grid", () => {
  assert.equal(bisectRight([0, 10, 20], 15), 1);
  assert.equal(bisectRight([0, 10, 20], -1), 0);
  assert.equal(bisectRight([0, 10, 20], 20), 2);
  const tl = { frameTimes: Float64Array.from([0, 250, 500]), total: 500, starts: [0] };
  assert.equal(nearestFrame(tl, 120), 0);
  assert.equal(nearestFrame(tl, 130), 1);
  assert.equal(nearestFrame(tl, 999), 2);
  assert.equal(stepTime(tl, 0, 1), 250);
  assert.equal(stepTime(tl, 100, 1), 250);
  assert.equal(stepTime(tl, 100, -1), 0);
  assert.equal(stepTime(tl, 250, -1), 0);
  assert.equal(stepTime(tl, 500, 1), 500);
  assert.equal(stepTime(tl, 0, -1), 0);
});

test("advance: once stops at the end", () => {
  assert.deepEqual(advance(0, 1, 100, 1, "once", 1000), { t: 100, dir: 1, ended: false });
  assert.deepEqual(advance(900, 1, 100, 2, "once", 1000), { t: 1000, dir: 1, ended: true });
  assert.deepEqual(advance(0, 1, 100, 1, "once", 0), { t: 0, dir: 1, ended: true });
});

test("advance: loop wraps around, even for long steps", () => {
  assert.deepEqual(advance(900, 1, 200, 1, "loop", 1000), { t: 100, dir: 1, ended: false });
  assert.deepEqual(advance(900, 1, 100, 0.25, "loop", 1000), { t: 925, dir: 1, ended: false });
  assert.equal(advance(0, 1, 3500, 1, "loop", 1000).t, 500);
});

test("advance: reflect bounces between the ends", () => {
  assert.deepEqual(advance(900, 1, 200, 1, "reflect", 1000), { t: 900, dir: -1, ended: false });
  assert.deepEqual(advance(900, -1, 200, 1, "reflect", 1000), { t: 700, dir: -1, ended: false });
  assert.deepEqual(advance(100, -1, 300, 1, "reflect", 1000), { t: 200, dir: 1, ended: false });
  const r = advance(0, 1, 2500, 1, "reflect", 1000); // 1000 up, 1000 down, 500 up
  assert.deepEqual(r, { t: 500, dir: 1, ended: false });
});

// --------------------------------------------------------------------------------------------
// Layout
// --------------------------------------------------------------------------------------------
test("fitStage keeps the aspect ratio and renders at device pixels", () => {
  const fit = fitStage(480, 0, 960, 540, 2);
  assert.deepEqual(fit, { cssWidth: 480, cssHeight: 270, pixelWidth: 960, pixelHeight: 540, scale: 1 });
});

test("fitStage never upscales past the stage and honours a height cap", () => {
  assert.equal(fitStage(2000, 0, 960, 540, 1).cssWidth, 960);
  const capped = fitStage(2000, 300, 960, 540, 1);
  assert.equal(capped.cssWidth, 533);
  assert.equal(capped.cssHeight, 300);
  assert.equal(fitStage(50, 0, 960, 540, 1).cssWidth, 160); // a usable minimum
  assert.equal(fitStage(480, 0, 960, 540, 1.5).pixelWidth, 720);
  assert.equal(fitStage(480, 0, 960, 540, 0).pixelWidth, 480); // bogus dpr -> 1
});

test("labelSize keeps names readable on small canvases", () => {
  assert.equal(labelSize(960, 960), 17);
  assert.equal(labelSize(960, 720), 17);
  assert.equal(labelSize(960, 384), 27.5); // 11 CSS px at 0.4 CSS px per stage unit
});

test("layoutLabels lifts colliding names into rows and leaves apart ones alone", () => {
  const apart = layoutLabels(
    [
      { x: 100, y: 200, width: 60 },
      { x: 400, y: 210, width: 60 },
    ],
    20,
  );
  assert.deepEqual(apart, [200, 210]);
  const close = layoutLabels(
    [
      { x: 520, y: 200, width: 120 }, // right figure listed first: order must not matter
      { x: 480, y: 200, width: 120 },
      { x: 500, y: 205, width: 120 },
    ],
    20,
  );
  assert.deepEqual(close, [160, 200, 180]); // placed left to right, each a row higher
});

test("layoutLabels terminates when float rounding lands just inside a row", () => {
  // 312.9 - (312.9 - 20.4) is 20.399999999999977: "still inside the row" without a tolerance.
  assert.ok(Math.abs(312.9 - 20.4 - 312.9) < 20.4);
  const labels = Array.from({ length: 8 }, () => ({ x: 480.3, y: 312.9, width: 90.7 }));
  const ys = layoutLabels(labels, 20.4);
  assert.equal(new Set(ys.map((y) => y.toFixed(3))).size, 8);
  assert.ok(Math.abs(Math.max(...ys) - Math.min(...ys) - 7 * 20.4) < 1e-6);
});

test("boneIndices skips unknown joints; safeColor only passes #RRGGBB", () => {
  assert.deepEqual(boneIndices(["a", "b"], [["a", "b"], ["a", "zz"]]), [[0, 1]]);
  assert.equal(safeColor("#12abEF"), "#12abEF");
  assert.equal(safeColor("red;background:url(x)"), "#888888");
  assert.equal(safeColor(undefined, "#000000"), "#000000");
});

// --------------------------------------------------------------------------------------------
// A tiny fake DOM: enough for the widget, and it refuses innerHTML
// --------------------------------------------------------------------------------------------
class FakeNode {
  constructor(doc, tag, nodeType = 1) {
    this.ownerDocument = doc;
    this.tagName = tag.toUpperCase();
    this.nodeType = nodeType;
    this.childNodes = [];
    this.parentNode = null;
    this.attrs = new Map();
    this.listeners = new Map();
    this.style = {};
    this.hidden = false;
    this.value = "";
    this._text = "";
    const classes = new Set();
    this._classes = classes;
    this.classList = {
      add: (...c) => c.forEach((x) => classes.add(x)),
      remove: (...c) => c.forEach((x) => classes.delete(x)),
      contains: (c) => classes.has(c),
      toggle: (c, on) => ((on ?? !classes.has(c)) ? classes.add(c) : classes.delete(c)),
    };
  }
  get className() {
    return [...this._classes].join(" ");
  }
  set className(v) {
    this._classes.clear();
    String(v).split(/\s+/).filter(Boolean).forEach((c) => this._classes.add(c));
  }
  set innerHTML(_) {
    throw new Error("innerHTML must never be used");
  }
  set outerHTML(_) {
    throw new Error("outerHTML must never be used");
  }
  insertAdjacentHTML() {
    throw new Error("insertAdjacentHTML must never be used");
  }
  get textContent() {
    return this.nodeType === 3 ? this._text : this.childNodes.map((c) => c.textContent).join("");
  }
  set textContent(v) {
    if (this.nodeType === 3) this._text = String(v);
    else this.replaceChildren(this.ownerDocument.createTextNode(String(v)));
  }
  appendChild(child) {
    if (child.parentNode) child.parentNode.removeChild(child);
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  append(...children) {
    for (const c of children) this.appendChild(typeof c === "string" ? this.ownerDocument.createTextNode(c) : c);
  }
  prepend(...children) {
    const rest = this.childNodes.filter((c) => !children.includes(c));
    this.childNodes = [];
    this.append(...children);
    this.childNodes.push(...rest);
  }
  replaceChildren(...children) {
    for (const c of this.childNodes) c.parentNode = null;
    this.childNodes = [];
    this.append(...children);
  }
  removeChild(child) {
    this.childNodes = this.childNodes.filter((c) => c !== child);
    child.parentNode = null;
    return child;
  }
  remove() {
    if (this.parentNode) this.parentNode.removeChild(this);
  }
  setAttribute(k, v) {
    this.attrs.set(k, String(v));
  }
  getAttribute(k) {
    return this.attrs.has(k) ? this.attrs.get(k) : null;
  }
  removeAttribute(k) {
    this.attrs.delete(k);
  }
  addEventListener(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
  }
  removeEventListener(type, fn) {
    this.listeners.get(type)?.delete(fn);
  }
  dispatch(type, event = {}) {
    for (const fn of this.listeners.get(type) || []) fn({ preventDefault() {}, stopPropagation() {}, ...event });
  }
  listenerCount() {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n + this.childNodes.reduce((acc, c) => acc + c.listenerCount(), 0);
  }
  getContext() {
    if (!this._ctx) this._ctx = fakeContext();
    return this._ctx;
  }
  get clientWidth() {
    return 800;
  }
  get isConnected() {
    return this === this.ownerDocument.body || Boolean(this.parentNode && this.parentNode.isConnected);
  }
  /** Depth-first search by class name. */
  find(className) {
    if (this._classes.has(className)) return this;
    for (const c of this.childNodes) {
      const hit = c.find(className);
      if (hit) return hit;
    }
    return null;
  }
  all(predicate, out = []) {
    if (predicate(this)) out.push(this);
    for (const c of this.childNodes) c.all(predicate, out);
    return out;
  }
}

function fakeContext() {
  const calls = [];
  const target = { calls };
  return new Proxy(target, {
    get(obj, key) {
      if (key in obj) return obj[key];
      return (...args) => calls.push([key, ...args]);
    },
    set(obj, key, value) {
      obj[key] = value;
      calls.push([`set:${String(key)}`, value]);
      return true;
    },
  });
}

function fakeWindow() {
  const frames = new Map();
  let nextId = 1;
  const observers = [];
  class Observer {
    constructor(cb) {
      this.cb = cb;
      this.connected = true;
      this.targets = [];
      observers.push(this);
    }
    observe(target, options) {
      this.targets.push({ target, options });
    }
    disconnect() {
      this.connected = false;
    }
  }
  const timers = new Map();
  const media = { matches: false, listeners: new Set() };
  media.addEventListener = (_t, fn) => media.listeners.add(fn);
  media.removeEventListener = (_t, fn) => media.listeners.delete(fn);
  return {
    frames,
    observers,
    timers,
    media,
    devicePixelRatio: 2,
    innerHeight: 1000,
    navigator: {},
    requestAnimationFrame(cb) {
      const id = nextId++;
      frames.set(id, cb);
      return id;
    },
    cancelAnimationFrame(id) {
      frames.delete(id);
    },
    /** Run the queued animation frames at time `now`. */
    flush(now) {
      const due = [...frames.values()];
      frames.clear();
      for (const cb of due) cb(now);
    },
    setTimeout(cb, ms) {
      const id = nextId++;
      timers.set(id, { cb, ms });
      return id;
    },
    clearTimeout(id) {
      timers.delete(id);
    },
    /** Run the pending timeouts. */
    runTimers() {
      const due = [...timers.values()];
      timers.clear();
      for (const { cb } of due) cb();
    },
    getComputedStyle: () => ({ getPropertyValue: (name) => (name === "--jp-layout-color0" ? " #111111 " : "") }),
    matchMedia: () => media,
    ResizeObserver: Observer,
    IntersectionObserver: Observer,
    MutationObserver: Observer,
  };
}

function fakeDocument() {
  const doc = {
    createElement: (tag) => new FakeNode(doc, tag),
    createElementNS: (_ns, tag) => new FakeNode(doc, tag),
    createTextNode: (text) => {
      const node = new FakeNode(doc, "#text", 3);
      node._text = String(text);
      return node;
    },
    defaultView: fakeWindow(),
  };
  doc.body = new FakeNode(doc, "body");
  return doc;
}

function fakeModel(values) {
  const listeners = new Map();
  const sent = [];
  const saved = [];
  return {
    sent,
    saved,
    listeners,
    get: (k) => values[k],
    set(k, v) {
      values[k] = v;
    },
    /** Set from the "kernel": update and fire change:k like Backbone. */
    update(changes) {
      Object.assign(values, changes);
      for (const k of Object.keys(changes)) for (const fn of listeners.get(`change:${k}`) || []) fn();
    },
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
    },
    off(event, fn) {
      listeners.get(event)?.delete(fn);
    },
    save_changes() {
      saved.push({ ...values });
    },
    send(msg) {
      sent.push(msg);
    },
    listenerCount() {
      let n = 0;
      for (const s of listeners.values()) n += s.size;
      return n;
    },
  };
}

// --------------------------------------------------------------------------------------------
// Inspector
// --------------------------------------------------------------------------------------------
test("treeNode summarises containers and quotes strings", () => {
  const node = treeNode(null, { title: "Hi", n: 3, ok: true, none: null, list: [1, 2] });
  assert.equal(node.kind, "object");
  assert.equal(node.text, "{5}");
  const kids = Object.fromEntries(node.children().map((c) => [c.key, c]));
  assert.equal(kids.title.text, '"Hi"');
  assert.equal(kids.n.text, "3");
  assert.equal(kids.ok.text, "true");
  assert.equal(kids.none.text, "null");
  assert.equal(kids.list.text, "[2]");
  assert.equal(treeNode("e", []).expandable, false);
  assert.ok(treeNode("s", "x".repeat(1000)).text.length < 500);
});

test("long arrays become nested ranges and lazy items are computed only when opened", () => {
  let calls = 0;
  const lazy = new LazyArray(250, (i) => {
    calls++;
    return { i };
  });
  const node = treeNode("frames", lazy);
  assert.equal(node.text, "[250]");
  assert.equal(calls, 0);
  const ranges = node.children();
  assert.deepEqual(
    ranges.map((r) => r.key),
    ["[0…99]", "[100…199]", "[200…249]"],
  );
  assert.equal(calls, 0);
  assert.equal(ranges[2].children().length, 50);
  assert.equal(calls, 50);
  const huge = rangeChildren((i) => i, 0, 25_000);
  assert.equal(huge.length, 3); // ranges of TREE_CHUNK^2 items
  assert.equal(huge[0].count, TREE_CHUNK * TREE_CHUNK);
  assert.equal(huge[0].children().length, TREE_CHUNK);
});

test("the inspector DOM holds hostile strings as text, never as markup", () => {
  const doc = fakeDocument();
  const node = treeNode(null, { title: HOSTILE, nested: { [HOSTILE]: [HOSTILE] } });
  const dom = renderTreeNode(doc, node, true);
  assert.equal(dom.all((n) => n.tagName === "IMG").length, 0);
  assert.ok(dom.textContent.includes(JSON.stringify(HOSTILE)));
  // children of a collapsed node are not built until it opens
  const nested = dom.all((n) => n.getAttribute("data-open") === "false")[0];
  assert.equal(nested.find("stickanim-children"), null);
  nested.childNodes[0].dispatch("click");
  assert.equal(nested.getAttribute("data-open"), "true");
  const children = nested.find("stickanim-children");
  assert.ok(children.textContent.includes(HOSTILE)); // the hostile key, as text
  nested.childNodes[0].dispatch("click");
  assert.equal(children.hidden, true);
});

test("animationView restores the contract's frames lazily; frameJSON rounds", () => {
  const { animation, frames } = makeState();
  const decoded = decodeFrames(animation, frames);
  const lazy = animationView(animation, decoded);
  assert.ok(lazy.scenes[0].frames instanceof LazyArray);
  assert.equal(lazy.scenes[0].times, undefined);
  const full = animationView(animation, decoded, true);
  assert.equal(full.scenes[0].frames.length, 5);
  assert.deepEqual(full.scenes[0].frames[2].poses.char_2.pelvis, [120, 240]);
  assert.equal(frameJSON(animation, decoded[0], 4).t, 1000);
});

test("providerOptions labels providers and disables unusable ones with the reason", () => {
  const options = providerOptions([
    { name: "local", model: null, available: true, reason: "" },
    { name: "openai", model: "openai/gpt-4o-mini", available: false, reason: "no API key" },
    null,
  ]);
  assert.deepEqual(options, [
    { value: "local", label: "local", disabled: false, title: "local" },
    { value: "openai", label: "openai — openai/gpt-4o-mini", disabled: true, title: "no API key" },
  ]);
  assert.deepEqual(providerOptions(undefined), []);
});

test("normalizeAnimation rejects empty and malformed states", () => {
  assert.equal(normalizeAnimation({}), null);
  assert.equal(normalizeAnimation(null), null);
  assert.equal(normalizeAnimation({ characters: [], joints: [], scenes: [], stage: {} }), null);
  const { animation } = makeState();
  assert.equal(normalizeAnimation(animation), animation);
});

// --------------------------------------------------------------------------------------------
// render() against a fake anywidget model
// --------------------------------------------------------------------------------------------
function mount(overrides = {}, { doc = fakeDocument(), el = null } = {}) {
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

test("render builds the player with stable classes and data attributes", () => {
  const { root, win, cleanup } = mount();
  for (const cls of [
    "stickanim-canvas",
    "stickanim-provider",
    "stickanim-inspector",
    "stickanim-error",
    "stickanim-title",
    "stickanim-scrub",
    "stickanim-legend",
    "stickanim-caption",
  ]) {
    assert.ok(root.find(cls), cls);
  }
  assert.equal(root.getAttribute("data-title"), HOSTILE);
  assert.equal(root.find("stickanim-title").textContent, HOSTILE);
  assert.equal(root.all((n) => n.tagName === "IMG").length, 0);
  assert.equal(root.getAttribute("data-playing"), "true");
  assert.equal(root.find("stickanim-error").hidden, true);
  assert.equal(root.find("stickanim-legend").textContent, "AliceChar 2");
  const provider = root.find("stickanim-provider");
  assert.equal(provider.childNodes.length, 3);
  assert.equal(provider.childNodes[2].disabled, true);
  assert.equal(provider.childNodes[2].title, "no API key");
  assert.equal(provider.childNodes[1].textContent, "fake — openai/fake");

  // first frame: canvas sized for DPR 2, background from the theme, figures drawn
  win.flush(0);
  const canvas = root.find("stickanim-canvas");
  assert.equal(canvas.width, 1440); // capped at 720 CSS px, at DPR 2
  assert.equal(canvas.style.width, "720px");
  const ctx = canvas.getContext("2d");
  assert.ok(ctx.calls.some(([k, v]) => k === "set:fillStyle" && v === "#111111"));
  assert.equal(ctx.calls.filter(([k]) => k === "arc").length, 2); // one head per character
  assert.ok(ctx.calls.some(([k, v]) => k === "set:strokeStyle" && v === "#E91E63"));
  assert.equal(root.getAttribute("data-frame"), "0");
  cleanup();
});

test("playing advances the frame at display rate; pause freezes it", () => {
  const { root, win, cleanup } = mount();
  win.flush(0);
  win.flush(100);
  win.flush(200);
  win.flush(300);
  assert.equal(root.getAttribute("data-time"), "300");
  assert.equal(root.getAttribute("data-frame"), "1");
  assert.match(root.find("stickanim-time").textContent, /^0\.30 \/ 1\.50 s$/);
  root.find("stickanim-play").dispatch("click");
  assert.equal(root.getAttribute("data-playing"), "false");
  win.flush(400);
  win.flush(900);
  assert.equal(root.getAttribute("data-time"), "300");
  assert.equal(win.frames.size, 0); // no loop runs while paused
  root.find("stickanim-next").dispatch("click");
  win.flush(1000);
  assert.equal(root.getAttribute("data-time"), "500");
  root.find("stickanim-last").dispatch("click");
  win.flush(1100);
  assert.equal(root.getAttribute("data-scene"), "1");
  assert.equal(root.find("stickanim-caption-text").textContent, "scene 2");
  assert.equal(root.find("stickanim-scene").textContent, "2/2");
  root.find("stickanim-first").dispatch("click");
  win.flush(1200);
  assert.equal(root.getAttribute("data-time"), "0");
  cleanup();
});

test("choosing a provider sets it and asks the kernel to regenerate", () => {
  const { root, model, cleanup } = mount();
  const select = root.find("stickanim-provider");
  select.value = "fake";
  select.dispatch("change");
  assert.equal(model.get("provider"), "fake");
  assert.equal(model.saved.length, 1);
  assert.deepEqual(model.sent, [{ type: "regenerate", provider: "fake" }]);
  cleanup();
});

test("status: progress while running, error bar on failure, old animation kept", () => {
  const { root, model, win, cleanup } = mount();
  win.flush(0);
  model.update({ status: "running", progress: "asking fake…" });
  assert.equal(root.getAttribute("data-status"), "running");
  assert.equal(root.find("stickanim-status").hidden, false);
  assert.equal(root.find("stickanim-progress").textContent, "asking fake…");
  model.update({ error: HOSTILE, status: "error", progress: "" });
  const bar = root.find("stickanim-error");
  assert.equal(bar.hidden, false);
  assert.equal(root.find("stickanim-error-text").textContent, HOSTILE);
  assert.equal(root.getAttribute("data-title"), HOSTILE); // still the old animation
  assert.equal(root.getAttribute("data-ready"), "true");
  root.find("stickanim-error-close").dispatch("click");
  assert.equal(bar.hidden, true);
  cleanup();
});

test("a new animation replaces the old one; a mismatched one is ignored", () => {
  const { root, model, cleanup } = mount();
  root.find("stickanim-play").dispatch("click"); // paused by the reader...
  assert.equal(root.getAttribute("data-playing"), "false");
  const next = makeState({ title: "Second", chars: 3 });
  model.update({ animation: next.animation }); // frames not arrived yet
  assert.equal(root.getAttribute("data-title"), HOSTILE);
  assert.ok(root.getAttribute("data-decode-error"));
  model.update({ frames: next.frames });
  assert.equal(root.getAttribute("data-title"), "Second");
  assert.equal(root.getAttribute("data-decode-error"), null);
  assert.equal(root.find("stickanim-legend").childNodes.length, 3);
  assert.equal(root.getAttribute("data-playing"), "true"); // ...a regenerated story plays again
  assert.equal(root.getAttribute("data-time"), null); // from the start, drawn on the next frame
  cleanup();
});

test("autoplay=false keeps a new animation paused", () => {
  const { root, model, win, cleanup } = mount({ autoplay: false });
  assert.equal(root.getAttribute("data-playing"), "false");
  const next = makeState({ title: "Second" });
  model.update({ animation: next.animation, frames: next.frames });
  win.flush(0);
  assert.equal(root.getAttribute("data-playing"), "false");
  assert.equal(root.getAttribute("data-title"), "Second");
  cleanup();
});

test("the inspector is built when opened and shows the title as text", () => {
  const { root, cleanup } = mount();
  const inspector = root.find("stickanim-inspector");
  assert.equal(inspector.find("stickanim-tree"), null);
  inspector.open = true;
  inspector.dispatch("toggle");
  const tree = inspector.find("stickanim-tree");
  assert.ok(tree.textContent.includes(JSON.stringify(HOSTILE)));
  assert.equal(inspector.all((n) => n.tagName === "IMG").length, 0);
  // frames stay collapsed: no frame objects were rendered
  assert.ok(!inspector.textContent.includes("poses"));
  assert.equal(inspector.all((n) => n._classes.has("stickanim-copy")).length, 2);
  cleanup();
});

test("a failed regeneration's raw LLM answer shows in the inspector as text only", () => {
  const { root, model, cleanup } = mount();
  const raw = root.find("stickanim-raw");
  assert.equal(raw.tagName, "DETAILS");
  assert.equal(raw.hidden, true); // nothing to show yet
  assert.equal(root.getAttribute("data-raw"), "false");
  assert.equal(root.find("stickanim-inspector").find("stickanim-raw"), raw);
  const answer = `not a script ${HOSTILE}\n<script>alert(1)</script> {"title": 1}`;
  model.update({ status: "error", error: "fake did not return a valid Script", raw: answer });
  assert.equal(raw.hidden, false);
  assert.equal(raw.open, false); // collapsible, closed until asked
  assert.equal(raw.childNodes[0].textContent, "Raw LLM answer");
  assert.equal(root.find("stickanim-raw-text").textContent, answer);
  assert.equal(root.all((n) => n.tagName === "IMG" || n.tagName === "SCRIPT").length, 0);
  assert.equal(root.getAttribute("data-raw"), "true");
  raw.open = true;
  model.update({ status: "idle", error: "", raw: "" }); // the next regeneration succeeded
  assert.equal(raw.hidden, true);
  assert.equal(raw.open, false);
  assert.equal(root.find("stickanim-raw-text").textContent, "");
  cleanup();
});

test("cleanup stops the loop and removes every listener and observer", () => {
  const { el, root, model, win, cleanup } = mount();
  win.flush(0);
  assert.ok(win.frames.size > 0);
  assert.ok(model.listenerCount() > 0);
  cleanup();
  assert.equal(win.frames.size, 0);
  assert.equal(model.listenerCount(), 0);
  assert.ok(win.observers.length >= 3);
  assert.ok(win.observers.every((o) => !o.connected));
  assert.equal(win.media.listeners.size, 0);
  assert.equal(el.childNodes.length, 0);
  assert.equal(root.listenerCount(), 0);
});

test("an empty widget renders without an animation and without errors", () => {
  const { root, win, cleanup } = mount({ animation: {}, frames: null, providers: [], autoplay: false });
  win.flush(0);
  assert.equal(root.getAttribute("data-ready"), "false");
  assert.equal(root.getAttribute("data-playing"), "false");
  assert.equal(root.find("stickanim-provider").hidden, true);
  assert.equal(root.find("stickanim-caption-text").textContent, "No animation yet");
  cleanup();
});

// --------------------------------------------------------------------------------------------
// The static view published after the player: hidden while the player runs next to it
// --------------------------------------------------------------------------------------------
const WIDGET_MIME = "application/vnd.jupyter.widget-view+json";

function div(doc, className, ...children) {
  const node = doc.createElement("div");
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** A JupyterLab / Notebook 7 output: .jp-OutputArea-child > prompt + .jp-OutputArea-output. */
function labOutput(doc, mime, ...content) {
  const output = div(doc, "jp-OutputArea-output", ...content);
  output.setAttribute("data-mime-type", mime);
  return div(doc, "jp-OutputArea-child", div(doc, "jp-OutputPrompt"), output);
}

function labStatic(doc) {
  return labOutput(doc, "text/html", div(doc, STATIC_CLASS, div(doc, "", "Wave")));
}

/** A cell's output area in the page, holding `outputs`. */
function labArea(doc, ...outputs) {
  const area = div(doc, "jp-OutputArea jp-Cell-outputArea", ...outputs);
  doc.body.appendChild(area);
  return area;
}

const isHidden = (node) => node.style.display === "none";
const watching = (win, area) => win.observers.filter((o) => o.connected && o.targets.some((t) => t.target === area));

test("in JupyterLab the player hides the static view published after it, and shows it on cleanup", () => {
  const doc = fakeDocument();
  const el = div(doc, "lm-Widget");
  const before = labStatic(doc); // e.g. widget.static_view() shown on purpose earlier in the cell
  const player = labOutput(doc, WIDGET_MIME, el);
  const after = labStatic(doc);
  const stream = labOutput(doc, "application/vnd.jupyter.stdout", div(doc, "", "printed"));
  const area = labArea(doc, before, player, after, stream);
  assert.deepEqual(outputSlot(el), { area, child: player });

  const { cleanup, win } = mount({}, { doc, el });
  assert.ok(isHidden(after));
  assert.equal(after.getAttribute("data-stickanim-superseded"), "");
  for (const node of [before, player, stream]) assert.ok(!isHidden(node));
  assert.equal(watching(win, area).length, 0); // found at once: nothing left watching
  cleanup();
  assert.ok(!isHidden(after));
  assert.equal(after.getAttribute("data-stickanim-superseded"), null);
});

test("a player rendered before it is attached finds its static view when both arrive", () => {
  const doc = fakeDocument();
  const el = div(doc, "lm-Widget");
  const { cleanup, win, root } = mount({ autoplay: false }, { doc, el }); // anywidget renders detached
  win.flush(0);
  assert.equal(root.getAttribute("data-playing"), "false");
  assert.equal(win.frames.size, 1); // the next try, and nothing else while paused

  const area = labArea(doc, labOutput(doc, WIDGET_MIME, el)); // attached; the static output not yet
  win.flush(16);
  const [observer] = watching(win, area);
  assert.ok(observer, "the output area is watched");
  assert.deepEqual(observer.targets[0].options, { childList: true, subtree: true });
  assert.equal(win.timers.size, 1);
  assert.equal(win.frames.size, 0);

  const later = labOutput(doc, "text/html"); // the output's container lands first...
  area.appendChild(later);
  observer.cb([]);
  assert.ok(!isHidden(later) && observer.connected);
  later.childNodes[1].appendChild(div(doc, STATIC_CLASS)); // ...then its content
  observer.cb([]);
  assert.ok(isHidden(later));
  assert.ok(!observer.connected);
  assert.equal(win.timers.size, 0);
  cleanup();
  assert.ok(!isHidden(later));
});

test("the wait for the static output is bounded and cleanup ends it", () => {
  const doc = fakeDocument();
  const el = div(doc, "lm-Widget");
  const area = labArea(doc, labOutput(doc, WIDGET_MIME, el));
  const first = mount({ autoplay: false }, { doc, el });
  const [observer] = watching(first.win, area);
  assert.equal(first.win.timers.get([...first.win.timers.keys()][0]).ms, STATIC_WATCH_MS);
  first.win.runTimers(); // nothing came in time
  assert.ok(!observer.connected);
  const late = labStatic(doc);
  area.appendChild(late);
  observer.cb([]);
  assert.ok(!isHidden(late));
  first.cleanup();

  const el2 = div(doc, "lm-Widget");
  const area2 = labArea(doc, labOutput(doc, WIDGET_MIME, el2));
  const second = mount({ autoplay: false }, { doc, el: el2 });
  const [observer2] = watching(second.win, area2);
  second.cleanup(); // the cell was cleared while waiting
  assert.ok(!observer2.connected);
  assert.equal(second.win.timers.size, 0);
});

test("the classic Notebook's output layout works too", () => {
  const doc = fakeDocument();
  const el = div(doc, "jupyter-widgets");
  const player = div(doc, "output_area", div(doc, "prompt"), div(doc, "output_subarea jupyter-widgets-view", el));
  const stat = div(doc, "output_area", div(doc, "prompt"), div(doc, "output_subarea output_html rendered_html", div(doc, STATIC_CLASS)));
  const area = div(doc, "output", player, stat);
  doc.body.appendChild(div(doc, "output_wrapper", area));
  const { cleanup } = mount({}, { doc, el });
  assert.ok(isHidden(stat) && !isHidden(player));
  cleanup();
});

test("each player hides only its own static view", () => {
  const doc = fakeDocument();
  const el1 = div(doc, "lm-Widget");
  const el0 = div(doc, "lm-Widget");
  const lone = labOutput(doc, WIDGET_MIME, el0); // a player displayed without a static view
  const p1 = labOutput(doc, WIDGET_MIME, el1);
  const s1 = labStatic(doc);
  const p2 = labOutput(doc, WIDGET_MIME); // not rendered yet
  const s2 = labStatic(doc);
  const area = labArea(doc, lone, p1, s1, p2, s2);
  assert.deepEqual(staticOutputAfter({ area, child: lone }), { output: null, settled: true });
  const a = mount({}, { doc, el: el0 });
  const b = mount({}, { doc, el: el1 });
  assert.ok(isHidden(s1));
  assert.ok(!isHidden(s2), "the second player's static view is its own to hide");
  assert.equal(watching(a.win, area).length + watching(b.win, area).length, 0);
  a.cleanup();
  b.cleanup();
});

test("outside a notebook output nothing is hidden and nothing waits", () => {
  const doc = fakeDocument();
  const stray = div(doc, STATIC_CLASS); // a static view elsewhere on the page
  doc.body.appendChild(stray);
  const { win, cleanup } = mount({ autoplay: false }); // el in <body>, like a standalone page or VS Code
  assert.equal(win.frames.size, 1); // the player's first draw only
  win.flush(0);
  assert.equal(win.frames.size, 0);
  assert.ok(!isHidden(stray));
  assert.equal(win.timers.size, 0);
  cleanup();

  const hider = staticViewHider(doc.body, win);
  assert.equal(hider.state, "done");
  const hostile = { get parentNode() { throw new Error("a DOM we do not know"); }, isConnected: false };
  assert.equal(staticViewHider(hostile, win).state, "done"); // never throws
  assert.equal(staticViewHider(div(doc, ""), {}).state, "waiting"); // no requestAnimationFrame: no retry loop
});

test("a player never attached stops retrying after a bounded number of frames", () => {
  const doc = fakeDocument();
  const { win } = mount({ autoplay: false });
  win.flush(0);
  const el = div(doc, "lm-Widget");
  const hider = staticViewHider(el, win, { frames: 3 });
  for (let i = 0; i < 10; i++) win.flush(i);
  assert.equal(win.frames.size, 0);
  assert.equal(hider.state, "waiting");
  const stat = labStatic(doc);
  labArea(doc, labOutput(doc, WIDGET_MIME, el), stat);
  hider.check(); // e.g. the player scrolled into view
  assert.equal(hider.state, "done");
  assert.ok(isHidden(stat));
  hider.stop();
  assert.ok(!isHidden(stat));
});
