// Drawing one pose on a 2D canvas context, and fitting the stage into the page.

import { BUBBLE_SIZE, bubblesAt, drawBubbles } from "./bubbles.js";
import { drawLabels } from "./labels.js";
import { drawThings } from "./things.js";

const LABEL_STAGE_PX = 17; // name labels, in stage units...
const LABEL_MIN_CSS_PX = 11; // ...but never smaller than this on screen
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/**
 * Fit the stage into a container width (and a height cap), keeping its aspect ratio and
 * never upscaling beyond its natural size. The canvas backing store is in device pixels so
 * lines stay crisp on high-DPI screens; `scale` maps stage units to device pixels.
 */
export function fitStage(containerWidth, maxHeight, stageWidth, stageHeight, dpr = 1, minWidth = 160) {
  const aspect = stageHeight / stageWidth;
  const byHeight = maxHeight > 0 ? maxHeight / aspect : Infinity;
  const cssWidth = Math.max(Math.floor(Math.min(containerWidth, stageWidth, byHeight)), minWidth);
  const cssHeight = Math.round(cssWidth * aspect);
  const ratio = dpr > 0 ? dpr : 1;
  const pixelWidth = Math.round(cssWidth * ratio);
  const pixelHeight = Math.round(cssHeight * ratio);
  return { cssWidth, cssHeight, pixelWidth, pixelHeight, scale: pixelWidth / stageWidth };
}

/** Name label size in stage units: LABEL_STAGE_PX, grown so it stays readable when scaled down. */
export function labelSize(stageWidth, cssWidth) {
  const cssPerUnit = cssWidth > 0 ? cssWidth / stageWidth : 1;
  return Math.max(LABEL_STAGE_PX, LABEL_MIN_CSS_PX / cssPerUnit);
}

/** Theme colors for the canvas, read from JupyterLab's CSS variables with fallbacks. */
export function themeColors(style) {
  const v = (name, fallback) => {
    const value = style && style.getPropertyValue ? style.getPropertyValue(name).trim() : "";
    return value || fallback;
  };
  return {
    background: v("--jp-layout-color0", "#ffffff"),
    ground: v("--jp-ui-font-color2", "#9e9e9e"),
    label: v("--jp-ui-font-color1", "#424242"),
    fontFamily: v("--jp-ui-font-family", "system-ui, -apple-system, 'Segoe UI', sans-serif"),
  };
}

/** A #RRGGBB color, or the fallback for anything else. */
export function safeColor(color, fallback = "#888888") {
  return typeof color === "string" && HEX_COLOR.test(color) ? color : fallback;
}

/**
 * Draw one pose: stage background, ground line, the things that stand behind the figures,
 * every character's bones and head circle (radius head_radius, centred on the head joint),
 * the things in front (held, thrown), the names above the heads, and, when `at` (the scene
 * and local time poseAtTime returned) is given, the speech and thought bubbles of that moment.
 * `coords` is one interpolated frame (character > joint > x, y, then thing > x, y, angle) in
 * stage units; `scale` maps them to canvas pixels.
 */
export function drawPose(ctx, scene, coords, scale, colors, labelSize = LABEL_STAGE_PX, at = null) {
  const { stage, characters, nJoints, bones, headIndex } = scene;
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.fillStyle = colors.background;
  ctx.fillRect(0, 0, stage.width, stage.height);
  drawGround(ctx, stage, colors);
  const things = scene.things && scene.things.length > 0;
  if (things) drawThings(ctx, scene, coords, false, scale);
  characters.forEach((c, ci) => {
    drawFigure(ctx, coords, ci * nJoints * 2, bones, headIndex, c, colors);
  });
  if (things) drawThings(ctx, scene, coords, true, scale);
  if (headIndex >= 0) drawLabels(ctx, scene, labelAnchors(scene, coords), colors, labelSize);
  if (at && scene.charIndex) {
    const size = Math.max(BUBBLE_SIZE, labelSize);
    drawBubbles(ctx, bubblesAt(ctx, scene, coords, at, size, colors.fontFamily), colors.fontFamily, scale);
  }
}

function drawGround(ctx, stage, colors) {
  ctx.strokeStyle = colors.ground;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(0, stage.ground_y);
  ctx.lineTo(stage.width, stage.ground_y);
  ctx.stroke();
}

/** Where each character's name sits: centred above its head, in stage units. */
function labelAnchors(scene, coords) {
  const { characters, nJoints, headIndex } = scene;
  return characters.map((c, ci) => {
    const base = ci * nJoints * 2 + headIndex * 2;
    return { x: coords[base], y: coords[base + 1] - headRadius(c) - 6 };
  });
}

function headRadius(character) {
  return character.head_radius > 0 ? character.head_radius : 18;
}

function drawFigure(ctx, coords, base, bones, headIndex, character, colors) {
  const r = headRadius(character);
  ctx.strokeStyle = safeColor(character.color);
  ctx.lineWidth = Math.max(3, r * 0.3);
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.beginPath();
  for (const [a, b] of bones) {
    let ax = coords[base + a * 2];
    let ay = coords[base + a * 2 + 1];
    let bx = coords[base + b * 2];
    let by = coords[base + b * 2 + 1];
    // A bone leaving the head starts on the circle, not at its centre.
    if (a === headIndex) [ax, ay] = towards(ax, ay, bx, by, r);
    else if (b === headIndex) [bx, by] = towards(bx, by, ax, ay, r);
    ctx.moveTo(ax, ay);
    ctx.lineTo(bx, by);
  }
  ctx.stroke();
  if (headIndex < 0) return;
  ctx.beginPath();
  ctx.arc(coords[base + headIndex * 2], coords[base + headIndex * 2 + 1], r, 0, Math.PI * 2);
  ctx.fillStyle = colors.background;
  ctx.fill();
  ctx.stroke();
}

/** The point at distance d from (x, y) towards (tx, ty), or (x, y) itself when too close. */
function towards(x, y, tx, ty, d) {
  const dx = tx - x;
  const dy = ty - y;
  const len = Math.hypot(dx, dy);
  if (len <= d) return [x, y];
  return [x + (dx / len) * d, y + (dy / len) * d];
}
