// The animation the player holds: validated, decoded and prepared once, then posed per frame.

import { safeColor } from "./draw.js";
import { frameShape } from "./frames.js";
import { prepareThings } from "./things.js";
import { buildTimeline, frameAt, interpolatePose, sceneAt } from "./timeline.js";

/** A usable animation state, or null (empty widget, or a state that breaks the contract). */
export function normalizeAnimation(animation) {
  if (!animation || typeof animation !== "object") return null;
  const { characters, joints, scenes, stage } = animation;
  if (!Array.isArray(characters) || !Array.isArray(joints) || !Array.isArray(scenes)) return null;
  if (!scenes.length || !characters.length || !stage) return null;
  return animation;
}

/** Bones as pairs of joint indices; bones naming unknown joints are skipped. */
export function boneIndices(joints, bones) {
  const index = new Map(joints.map((j, i) => [j, i]));
  return bones
    .map(([a, b]) => [index.get(a), index.get(b)])
    .filter(([a, b]) => a !== undefined && b !== undefined);
}

/** Everything the draw loop needs for one animation, computed once per animation. */
export function prepareScene(animation, decoded) {
  const stage = {
    width: animation.stage.width || 960,
    height: animation.stage.height || 540,
    ground_y: animation.stage.ground_y ?? 480,
  };
  const { nJoints, perFrame, propBase } = frameShape(animation);
  return {
    animation,
    decoded,
    stage,
    characters: animation.characters,
    charIndex: new Map(animation.characters.map((c, i) => [c.id, i])),
    things: prepareThings(animation, safeColor),
    nJoints,
    perFrame,
    propBase,
    bones: boneIndices(animation.joints, animation.bones || []),
    headIndex: animation.joints.indexOf("head"),
    timeline: buildTimeline(decoded),
    coords: new Float32Array(perFrame),
  };
}

/** The pose at global time t interpolated into scene.coords; returns {index, local}. */
export function poseAtTime(scene, t) {
  const at = sceneAt(scene.timeline, scene.decoded, t);
  const s = scene.decoded[at.index];
  const { i0, i1, alpha } = frameAt(s.times, at.local);
  interpolatePose(s.data, scene.perFrame, i0, i1, alpha, scene.coords);
  turnShortWay(s.data, scene, i0, i1, alpha);
  return at;
}

/** A thing's angle between two frames turns the short way round (350° to 10° passes 0°). */
function turnShortWay(data, scene, i0, i1, alpha) {
  const { perFrame, propBase, things, coords } = scene;
  for (let k = 0; k < things.length; k++) {
    const slot = propBase + k * 3 + 2;
    const a = data[i0 * perFrame + slot];
    const b = data[i1 * perFrame + slot];
    const turn = ((((b - a + 180) % 360) + 360) % 360) - 180;
    coords[slot] = a + turn * alpha;
  }
}
