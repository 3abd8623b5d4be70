// Name labels above the figures: cut to a width with an ellipsis, then lifted into rows so
// that none overlap.

import { cleanText, fitText } from "./text.js";

export const MAX_LABEL_EMS = 16; // a label is at most this many label heights wide (~28 characters)
const LABEL_MARGIN = 4; // stage units kept free on each side of the stage
const ROW_EPS = 1e-6;

/**
 * Draw each character's name centred on its anchor {x, y (baseline)}, in stage units, at
 * `size` stage units high. Long names end in "…" (see labelMaxWidth).
 */
export function drawLabels(ctx, scene, anchors, colors, size) {
  ctx.font = `600 ${size}px ${colors.fontFamily}`;
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillStyle = colors.label;
  const maxWidth = labelMaxWidth(scene.stage.width, size);
  const texts = scene.characters.map((c) => fittedLabel(ctx, scene, c.name, size, maxWidth, colors.fontFamily));
  const boxes = anchors.map((a, i) => ({ x: a.x, y: a.y, width: texts[i].width }));
  const ys = layoutLabels(boxes, size * 1.2);
  texts.forEach((label, i) => ctx.fillText(label.text, anchors[i].x, ys[i]));
}

/** The widest a name label may be, in stage units: MAX_LABEL_EMS labels high, within the stage. */
export function labelMaxWidth(stageWidth, size) {
  return Math.max(Math.min(size * MAX_LABEL_EMS, stageWidth - 2 * LABEL_MARGIN), size);
}

/** A name as drawn, {text, width}: cleaned and cut to maxWidth, cached per scene. */
function fittedLabel(ctx, scene, name, size, maxWidth, font) {
  // measureText per frame is wasted work: names and sizes rarely change.
  const key = `${size}|${maxWidth}|${font}|${name}`;
  if (!scene.labels) scene.labels = new Map();
  let label = scene.labels.get(key);
  if (!label) {
    const measure = (text) => measureText(ctx, text, size);
    const text = fitText(cleanText(name), maxWidth, measure);
    label = { text, width: measure(text) };
    scene.labels.set(key, label);
  }
  return label;
}

function measureText(ctx, text, size) {
  const m = ctx.measureText ? ctx.measureText(text) : null;
  return m && Number.isFinite(m.width) ? m.width : text.length * size * 0.6;
}

/**
 * Baselines for name labels [{x (centre), y (baseline), width}] so that none overlap: a
 * label that would collide with one already placed moves up a row (figures side by side,
 * shaking hands, keep readable names). Returns the y of each label, in input order.
 */
export function layoutLabels(labels, rowHeight, gap = 4) {
  const order = labels.map((_, i) => i).sort((a, b) => labels[a].x - labels[b].x);
  const placed = [];
  const ys = new Array(labels.length);
  for (const i of order) {
    const { x, width } = labels[i];
    const left = x - width / 2 - gap;
    const right = x + width / 2 + gap;
    let y = labels[i].y;
    // Each move puts y a full row above one placed label, clearing it for good, so at most
    // placed.length moves happen; the tolerance keeps float rounding from re-hitting it.
    for (let moves = 0, moved = true; moved && moves <= placed.length; moves++) {
      moved = false;
      for (const p of placed) {
        if (left < p.right && right > p.left && Math.abs(y - p.y) < rowHeight - ROW_EPS) {
          y = p.y - rowHeight;
          moved = true;
        }
      }
    }
    placed.push({ left, right, y });
    ys[i] = y;
  }
  return ys;
}
