// Frame decoding, the timeline and the playback clock (js/src/frames.js, timeline.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeFrames } from "./src/frames.js";
import { advance, bisectRight, buildTimeline, frameAt, interpolatePose, nearestFrame, sceneAt, stepTime } from "./src/timeline.js";
import { JOINTS, makeState } from "./testing/fixtures.mjs";

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
