// Things and words: props in the frame bytes, their drawing, and the bubbles' layout and drawing
// (js/src/things.js, bubbles.js, frames.js, scene.js, draw.js, elements.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  BUBBLE_GAP,
  BUBBLE_MARGIN,
  BUBBLE_MAX_EMS,
  BUBBLE_MAX_LINES,
  bubbleText,
  cloudCircles,
  layoutBubbles,
  speechActive,
  tailTriangle,
  wrapText,
} from "./src/bubbles.js";
import { drawPose, themeColors } from "./src/draw.js";
import { notesLine, thingsLine } from "./src/elements.js";
import { decodeFrames, frameShape } from "./src/frames.js";
import { frameJSON } from "./src/inspector.js";
import { poseAtTime, prepareScene } from "./src/scene.js";
import { FRONT_KINDS, propPrimitives, shade } from "./src/things.js";
import { fakeContext } from "./testing/fakes.mjs";
import { HOSTILE, makeState, mount } from "./testing/fixtures.mjs";

const KINDS = ["ball", "box", "chair", "table", "bed", "door", "tree", "ladder", "book", "cup", "board", "car", "phone", "flower"];
const WIDE = /[\u2e80-\ua4cf\uac00-\ud7a3\uff00-\uff60]/u;
/** A deterministic font: CJK 1 em, everything else 0.55 em. */
const measure = (text, size) => Array.from(text).reduce((w, ch) => w + size * (WIDE.test(ch) ? 1 : 0.55), 0);

function measuringContext() {
  const ctx = fakeContext();
  ctx.measureText = (text) => ({ width: measure(text, Number.parseFloat(/([\d.]+)px/.exec(ctx.font || "")?.[1]) || 10) });
  return ctx;
}

function loaded(opts) {
  const { animation, frames } = makeState(opts);
  return prepareScene(animation, decodeFrames(animation, frames));
}

function overlap(a, b) {
  return a.left < b.left + b.width + BUBBLE_GAP - 1e-6 && b.left < a.left + a.width + BUBBLE_GAP - 1e-6 && a.top < b.top + b.height + BUBBLE_GAP - 1e-6 && b.top < a.top + a.height + BUBBLE_GAP - 1e-6;
}

// --------------------------------------------------------------------------------------------
// Frames
// --------------------------------------------------------------------------------------------
test("things travel after the poses of each frame, 3 floats each", () => {
  const { animation, frames } = makeState({ props: [{ kind: "ball" }, { kind: "chair" }] });
  const shape = frameShape(animation);
  assert.equal(shape.nProps, 2);
  assert.equal(shape.propBase, 2 * 5 * 2);
  assert.equal(shape.perFrame, 2 * 5 * 2 + 6);
  const [scene] = decodeFrames(animation, frames);
  assert.equal(scene.data.length, 5 * shape.perFrame);
  const f2 = 2 * shape.perFrame + shape.propBase;
  assert.deepEqual(Array.from(scene.data.slice(f2, f2 + 6)), [520, 480, 60, 570, 480, 60]);
  assert.deepEqual(frameJSON(animation, scene, 2).props, { prop_1: [520, 480, 60], prop_2: [570, 480, 60] });
});

test("an animation without props decodes as before", () => {
  const { animation, frames } = makeState();
  delete animation.props;
  assert.equal(frameShape(animation).perFrame, 20);
  assert.equal(decodeFrames(animation, frames)[0].data.length, 100);
  assert.equal(frameJSON(animation, decodeFrames(animation, frames)[0], 0).props, undefined);
});

test("poseAtTime interpolates places, and angles turn the short way round", () => {
  const scene = loaded({ props: [{ kind: "ball" }] });
  const base = scene.propBase;
  poseAtTime(scene, 125); // halfway between frames 0 and 1 (frames every 250 ms)
  assert.deepEqual(Array.from(scene.coords.slice(base, base + 3)), [505, 480, 15]);
  // 350° then 10°: through 0°, not back through 180°.
  const s = scene.decoded[0];
  s.data[base + 2] = 350;
  s.data[scene.perFrame + base + 2] = 10;
  poseAtTime(scene, 125);
  assert.ok(Math.abs(scene.coords[base + 2] - 360) < 1e-3, String(scene.coords[base + 2]));
});

// --------------------------------------------------------------------------------------------
// Things
// --------------------------------------------------------------------------------------------
test("every kind is drawn with a few primitives inside (about) its box, standing on v = 0", () => {
  for (const kind of KINDS) {
    const w = 60;
    const h = 80;
    const prims = propPrimitives(kind, w, h, "#8D6E63");
    assert.ok(prims.length >= 2, kind);
    let maxV = -Infinity;
    let minV = Infinity;
    for (const p of prims) {
      const pts = p.type === "circle" ? [p.pts[0], p.pts[1] - p.pts[2], p.pts[0], p.pts[1] + p.pts[2]] : p.pts;
      for (let i = 0; i < pts.length; i += 2) {
        assert.ok(Math.abs(pts[i]) <= w * 0.75 + 1e-9, `${kind}: u ${pts[i]}`);
        maxV = Math.max(maxV, pts[i + 1]);
        minV = Math.min(minV, pts[i + 1]);
      }
      assert.ok(p.fill || p.stroke, kind);
    }
    assert.ok(Math.abs(maxV) < 1e-9, `${kind} stands on the ground: lowest v ${maxV}`);
    assert.ok(minV >= -h - 1e-9 && minV <= -h * 0.6, `${kind} top ${minV}`);
  }
  assert.equal(shade("#808080", 0.5), "#404040");
  assert.equal(shade("#FF0000", 2), "#FF0000");
});

test("drawPose draws things behind and in front of the figures at their place and angle", () => {
  const scene = loaded({ props: [{ kind: "chair" }, { kind: "ball", color: "#123456" }] });
  const ctx = measuringContext();
  const at = poseAtTime(scene, 250);
  drawPose(ctx, scene, scene.coords, 1, themeColors(null), 17, at);
  const calls = ctx.calls.map((c) => c[0]);
  const translates = ctx.calls.filter((c) => c[0] === "translate");
  assert.deepEqual(translates, [["translate", 510, 480], ["translate", 560, 480]]);
  assert.deepEqual(ctx.calls.filter((c) => c[0] === "rotate").map((c) => Math.round((c[1] * 180) / Math.PI)), [30, 30]);
  // The chair (behind) before the first figure's stroke, the ball (front) after the last.
  const firstFigure = ctx.calls.findIndex((c) => c[0] === "set:strokeStyle" && c[1] === "#2196F3");
  const lastFigure = ctx.calls.findLastIndex((c) => c[0] === "set:strokeStyle" && c[1] === "#E91E63");
  assert.ok(calls.indexOf("translate") < firstFigure);
  assert.ok(calls.lastIndexOf("translate") > lastFigure);
  assert.ok(ctx.calls.some((c) => c[0] === "set:fillStyle" && c[1] === "#123456"));
  assert.equal(calls.filter((c) => c === "save").length, calls.filter((c) => c === "restore").length);
});

test("a bad colour falls back to grey, and an unknown kind is drawn as a box", () => {
  const scene = loaded({ props: [{ kind: "spaceship", color: "red;}" }] });
  assert.equal(scene.things[0].prims[0].fill, "#888888");
  assert.equal(scene.things[0].front, false);
  assert.ok(FRONT_KINDS.has("ball") && !FRONT_KINDS.has("tree"));
});

// --------------------------------------------------------------------------------------------
// Bubbles
// --------------------------------------------------------------------------------------------
test("bubble text wraps between words, and between any CJK characters, within the width", () => {
  const lines = wrapText("Hello there, shall we play ball in the park today after lunch?", 200, 18, measure);
  assert.ok(lines.length > 1);
  for (const line of lines) assert.ok(measure(line, 18) <= 200, line);
  assert.equal(lines.join(" "), "Hello there, shall we play ball in the park today after lunch?");
  const cjk = wrapText("我想先喝一杯茶然后再去公园散步看看花", 100, 18, measure);
  assert.ok(cjk.length >= 3);
  assert.equal(cjk.join(""), "我想先喝一杯茶然后再去公园散步看看花");
  for (const line of cjk) assert.ok(measure(line, 18) <= 100);
  const long = wrapText("Supercalifragilisticexpialidocious", 100, 18, measure);
  assert.ok(long.length > 1 && long.every((l) => measure(l, 18) <= 100));
});

test("a bubble is sized to its text: at most 3 lines, shrunk then cut with an ellipsis", () => {
  const short = bubbleText("Hi!", "say", measure);
  const longer = bubbleText("Hello there, how are you?", "say", measure);
  assert.deepEqual(short.lines, ["Hi!"]);
  assert.ok(longer.width > short.width);
  const huge = bubbleText("一".repeat(80), "say", measure);
  assert.equal(huge.lines.length, BUBBLE_MAX_LINES);
  assert.ok(huge.size < 18);
  assert.ok(huge.lines[2].endsWith("…"));
  for (const line of huge.lines) assert.ok(measure(line, huge.size) <= BUBBLE_MAX_EMS * 18 + 1e-9);
  const english = bubbleText("word ".repeat(16).trim(), "say", measure);
  assert.ok(english.lines.length <= BUBBLE_MAX_LINES && !english.lines.join("").includes("…"));
  const think = bubbleText("Hi!", "think", measure);
  assert.ok(think.width > short.width && think.height > short.height); // room for the cloud's bumps
});

test("bubbles stay on stage and never overlap, however crowded", () => {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + Math.floor(random() * 6);
    const speakers = Array.from({ length: n }, (_, i) => ({
      key: `b${i}`,
      kind: random() < 0.5 ? "say" : "think",
      text: bubbleText("word ".repeat(1 + Math.floor(random() * 14)).trim(), "say", measure),
      head: [-100 + random() * 1160, -50 + random() * 600],
      radius: 18,
    }));
    const placed = layoutBubbles(speakers, 960, 540);
    for (const b of placed) {
      assert.ok(b.left >= BUBBLE_MARGIN - 1e-9 && b.top >= BUBBLE_MARGIN - 1e-9, JSON.stringify(b));
      assert.ok(b.left + b.width <= 960 - BUBBLE_MARGIN + 1e-9 && b.top + b.height <= 540 - BUBBLE_MARGIN + 1e-9);
    }
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) assert.ok(!overlap(placed[i], placed[j]), `trial ${trial}: ${i} and ${j} overlap`);
    }
  }
});

test("a lone bubble sits centred above its speaker, its tail pointing down at the head", () => {
  const text = bubbleText("Hello!", "say", measure);
  const [b] = layoutBubbles([{ key: "a", kind: "say", text, head: [400, 300], radius: 18 }], 960, 540);
  assert.ok(Math.abs(b.left + b.width / 2 - 400) < 1e-9);
  assert.ok(b.top + b.height < 300 - 18);
  const tri = tailTriangle(b);
  assert.ok(tri[1][1] > b.top + b.height && Math.abs(tri[1][0] - 400) < 1e-9);
  // Two speakers side by side: the second bubble moves, the first keeps its place.
  const both = layoutBubbles(
    [
      { key: "a", kind: "say", text, head: [400, 300], radius: 18 },
      { key: "b", kind: "think", text, head: [420, 300], radius: 18 },
    ],
    960,
    540,
  );
  assert.deepEqual(both[0], b);
  assert.ok(!overlap(both[0], both[1]));
  assert.ok(cloudCircles(both[1]).length >= 4);
});

test("a speech shows from its start to its end; one ending with its scene stays at the end", () => {
  assert.ok(speechActive({ start: 100, end: 500 }, 100, 1000));
  assert.ok(!speechActive({ start: 100, end: 500 }, 500, 1000));
  assert.ok(!speechActive({ start: 100, end: 500 }, 50, 1000));
  assert.ok(speechActive({ start: 100, end: 1000 }, 1000, 1000));
});

test("drawPose draws a bubble's words as canvas text, markup included as plain characters", () => {
  const speech = [
    { character: "char_1", kind: "say", text: HOSTILE, start: 0, end: 1000 },
    { character: "char_2", kind: "think", text: "\u202E你好", start: 0, end: 600 },
  ];
  const scene = loaded({ speech });
  const ctx = measuringContext();
  drawPose(ctx, scene, scene.coords, 1, themeColors(null), 17, poseAtTime(scene, 300));
  const texts = ctx.calls.filter((c) => c[0] === "fillText").map((c) => c[1]);
  assert.ok(texts.includes(HOSTILE) || texts.some((t) => HOSTILE.startsWith(t.replace("…", ""))), texts.join("|"));
  assert.ok(texts.includes("你好"), "bidi controls are removed"); // the thought's words
  const arcs = ctx.calls.filter((c) => c[0] === "arc").length;
  assert.ok(arcs > 8, "the heads, the cloud's bumps and the thought's dots");
  // After the thought ends only the speech bubble remains; without `at` no bubble at all.
  const later = measuringContext();
  drawPose(later, scene, scene.coords, 1, themeColors(null), 17, poseAtTime(scene, 800));
  assert.ok(!later.calls.some((c) => c[0] === "fillText" && c[1] === "你好"));
  const none = measuringContext();
  drawPose(none, scene, scene.coords, 1, themeColors(null), 17);
  assert.deepEqual(none.calls.filter((c) => c[0] === "fillText").map((c) => c[1]), ["Alice", "Char 2"]);
});

// --------------------------------------------------------------------------------------------
// Notes and the legend
// --------------------------------------------------------------------------------------------
test("notes show under the caption and things in the legend, as text", () => {
  const { animation, frames } = makeState({
    props: [{ kind: "ball", name: "球" }, { kind: "chair", name: HOSTILE }, { kind: "tree", name: "tree" }],
    notes: ["not understood: 浇花", HOSTILE],
  });
  const { root, cleanup } = mount({ animation, frames });
  const notes = root.find("stickanim-notes");
  assert.equal(notes.hidden, false);
  assert.equal(notes.textContent, `Note: not understood: 浇花 · ${HOSTILE}`);
  assert.equal(root.find("stickanim-things").textContent, `Things: 球 (ball), ${HOSTILE} (chair), tree`);
  cleanup();
  const plain = mount();
  assert.equal(plain.root.find("stickanim-notes").hidden, true);
  assert.equal(plain.root.find("stickanim-things"), null);
  plain.cleanup();
  assert.equal(thingsLine([]), "");
  assert.equal(notesLine({ notes: ["", 3] }), "");
});

// --------------------------------------------------------------------------------------------
// Sprites
// --------------------------------------------------------------------------------------------
test("where an offscreen canvas exists, things and bubbles are painted once and then copied", () => {
  const made = [];
  globalThis.OffscreenCanvas = class {
    constructor(w, h) {
      this.width = w;
      this.height = h;
      this.ctx = measuringContext();
      made.push(this);
    }
    getContext() {
      return this.ctx;
    }
  };
  try {
    const speech = [{ character: "char_1", kind: "say", text: HOSTILE, start: 0, end: 1000 }];
    const scene = loaded({ props: [{ kind: "chair" }, { kind: "ball" }], speech });
    for (const t of [100, 300, 500]) {
      const ctx = measuringContext();
      drawPose(ctx, scene, scene.coords, 0.75, themeColors(null), 17, poseAtTime(scene, t));
      const images = ctx.calls.filter((c) => c[0] === "drawImage");
      assert.equal(images.length, 3, "two things and one bubble, one copy each");
      assert.ok(!ctx.calls.some((c) => c[0] === "fillText" && c[1] === HOSTILE), "the words are in the sprite");
    }
    assert.equal(made.length, 3, "each sprite painted once");
    const words = made.flatMap((m) => m.ctx.calls.filter((c) => c[0] === "fillText").map((c) => c[1]));
    assert.ok(words.some((w) => HOSTILE.startsWith(w.replace("…", ""))), words.join("|"));
    // Sprites are painted at the screen's scale: 0.75 device pixels per stage unit.
    const chair = made[0];
    assert.deepEqual(chair.ctx.calls.find((c) => c[0] === "setTransform").slice(1, 5), [0.75, 0, 0, 0.75]);
    assert.ok(chair.width > 30 && chair.width < 40, String(chair.width)); // 40 units (+ strokes) at 0.75
  } finally {
    delete globalThis.OffscreenCanvas;
  }
});
