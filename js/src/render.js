// The player's canvas and readouts: sizing the canvas to its container and the screen's
// device pixel ratio, the theme's colors, drawing the pose at a time, and the time, frame,
// scene and caption shown under it.

import { setText } from "./dom.js";
import { drawPose, fitStage, labelSize, themeColors } from "./draw.js";
import { poseAtTime } from "./scene.js";
import { formatSeconds, nearestFrame } from "./timeline.js";

const MAX_CSS_WIDTH = 720; // a notebook-friendly size; smaller containers scale it down
const DEFAULT_STAGE = { width: 960, height: 540 };

/**
 * The canvas renderer of a view. `draw(scene, t)` paints scene (or a blank stage when there
 * is none) at time t; `resize(scene)` refits the canvas and tells whether it changed.
 */
export function createRenderer({ el, win, dom }) {
  const ctx = dom.canvas.getContext ? dom.canvas.getContext("2d") : null;
  let size = null; // fitStage() result + dpr
  let colors = themeColors(null);
  let frameIndex = -1; // the frame last published as data-frame

  function readTheme() {
    colors = themeColors(win.getComputedStyle ? win.getComputedStyle(dom.root) : null);
  }

  function resize(scene) {
    const stage = scene ? scene.stage : DEFAULT_STAGE;
    const width = dom.stage.clientWidth || el.clientWidth || 640;
    const maxHeight = win.innerHeight ? win.innerHeight * 0.7 : 0;
    const dpr = win.devicePixelRatio || 1;
    const fit = { ...fitStage(Math.min(width - 2, MAX_CSS_WIDTH), maxHeight, stage.width, stage.height, dpr), dpr };
    const old = size;
    if (old && old.pixelWidth === fit.pixelWidth && old.cssWidth === fit.cssWidth && old.scale === fit.scale) return false;
    size = fit;
    dom.canvas.width = fit.pixelWidth;
    dom.canvas.height = fit.pixelHeight;
    dom.canvas.style.width = `${fit.cssWidth}px`;
    dom.canvas.style.height = `${fit.cssHeight}px`;
    return true;
  }

  function draw(scene, t) {
    if (!ctx) return;
    // Refit lazily: the stage may have changed, or the window moved to another screen.
    if (!size || size.dpr !== (win.devicePixelRatio || 1)) resize(scene);
    if (!scene) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = colors.background;
      ctx.fillRect(0, 0, dom.canvas.width, dom.canvas.height);
      return;
    }
    const at = poseAtTime(scene, t);
    drawPose(ctx, scene, scene.coords, size.scale, colors, labelSize(scene.stage.width, size.cssWidth), at);
    frameIndex = updateReadout(dom, scene, t, at, frameIndex);
  }

  return {
    draw,
    resize,
    readTheme,
    /** A new stage size: refit on the next draw. */
    invalidateSize() {
      size = null;
    },
    /** A new animation: publish its frame index again. */
    resetFrame() {
      frameIndex = -1;
    },
  };
}

/** Time, frame, scene and caption under the canvas; returns the frame index shown. */
function updateReadout(dom, scene, t, at, shownFrame) {
  const { timeline, decoded } = scene;
  const frame = nearestFrame(timeline, t);
  setText(dom.time, `${formatSeconds(t)} / ${formatSeconds(timeline.total)} s`);
  setText(dom.frame, `frame ${frame + 1}/${timeline.frameTimes.length}`);
  if (Number(dom.scrub.value) !== t) dom.scrub.value = String(t);
  const many = decoded.length > 1;
  setText(dom.sceneLabel, many ? `${at.index + 1}/${decoded.length}` : "");
  dom.sceneLabel.hidden = !many;
  setText(dom.captionText, decoded[at.index].description);
  if (frame !== shownFrame) dom.root.setAttribute("data-frame", String(frame));
  dom.root.setAttribute("data-scene", String(at.index));
  dom.root.setAttribute("data-time", String(Math.round(t)));
  return frame;
}
