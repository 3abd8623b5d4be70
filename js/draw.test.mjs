// Layout and drawing (js/src/draw.js, labels.js, scene.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { drawPose, fitStage, labelSize, safeColor, themeColors } from "./src/draw.js";
import { decodeFrames } from "./src/frames.js";
import { MAX_LABEL_EMS, labelMaxWidth, layoutLabels } from "./src/labels.js";
import { boneIndices, poseAtTime, prepareScene } from "./src/scene.js";
import { ELLIPSIS } from "./src/text.js";
import { fakeContext } from "./testing/fakes.mjs";
import { BIDI, makeState } from "./testing/fixtures.mjs";

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
// Name labels on the canvas
// --------------------------------------------------------------------------------------------
/** The texts drawPose writes with fillText, for characters named `names`. */
function drawnLabels(names, { size = 17, stageWidth = 960 } = {}) {
  const { animation, frames } = makeState({ chars: names.length });
  animation.characters.forEach((c, i) => {
    c.name = names[i];
  });
  animation.stage.width = stageWidth;
  const scene = prepareScene(animation, decodeFrames(animation, frames));
  poseAtTime(scene, 0);
  const ctx = fakeContext(); // no measureText width: labels are estimated at 0.6 em per character
  drawPose(ctx, scene, scene.coords, 1, themeColors(null), size);
  return ctx.calls.filter(([k]) => k === "fillText").map(([, text]) => text);
}

test("labelMaxWidth: MAX_LABEL_EMS label heights, and never wider than the stage", () => {
  assert.equal(labelMaxWidth(960, 17), 17 * MAX_LABEL_EMS);
  assert.equal(labelMaxWidth(200, 17), 192); // a 4-unit margin on each side
  assert.equal(labelMaxWidth(10, 17), 17); // room for at least the ellipsis
});

test("a long name is cut with an ellipsis on the canvas; short names are drawn whole", () => {
  const long = "W".repeat(200); // no spaces to break at
  const [alice, cut] = drawnLabels(["Alice", long]);
  assert.equal(alice, "Alice");
  assert.ok(cut.endsWith(ELLIPSIS), cut);
  assert.ok(cut.length < long.length);
  assert.ok(cut.length * 17 * 0.6 <= labelMaxWidth(960, 17), "fits the label width");
  assert.ok(cut.length * 17 * 0.6 > labelMaxWidth(960, 17) - 17, "and uses it");
  const [small] = drawnLabels([long], { stageWidth: 160 });
  assert.ok(small.length * 17 * 0.6 <= 160, "never wider than a small stage");
});

test("names are drawn without bidi controls", () => {
  const [evil, hidden] = drawnLabels(["\u202Eevil", BIDI.join("x")]);
  assert.equal(evil, "evil");
  assert.equal(hidden, "x".repeat(BIDI.length - 1));
});
