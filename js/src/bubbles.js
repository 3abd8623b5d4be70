// Speech and thought bubbles over the speakers. Mirrors src/stickanim_jupyter/export/bubbles.py
// (tests/test_things.py compares the two layouts):
// - the text wraps to at most BUBBLE_MAX_LINES lines of at most BUBBLE_MAX_EMS font sizes,
//   between words or between any two CJK characters; long text shrinks the font (down to
//   BUBBLE_MIN_SHRINK) before the last line is cut with "…";
// - a bubble sits centred above its speaker's head, over the name label; one that would overlap
//   a bubble already placed (earlier start first) moves to the nearest free spot beside, above
//   or below the others; every bubble stays on stage;
// - tails (or a thought's trailing circles) are drawn first, then every body, then the text:
//   a tail never crosses another bubble. Text is canvas text (fillText), never markup.

import { drawSprite, makeSprite } from "./sprites.js";
import { cleanText } from "./text.js";

export const BUBBLE_SIZE = 18;
export const BUBBLE_MAX_LINES = 3;
export const BUBBLE_MAX_EMS = 16;
const BUBBLE_MIN_SHRINK = 0.75;
const BUBBLE_LINE_HEIGHT = 1.25;
const BUBBLE_LIFT = 2.6;
const BUBBLE_TIP_GAP = 1.4;
export const BUBBLE_MARGIN = 4;
export const BUBBLE_GAP = 6;
const BUBBLE_FILL = "#FFFFFF";
const BUBBLE_STROKE = "#424242";
const BUBBLE_TEXT = "#212121";
const BUBBLE_STROKE_WIDTH = 2;
const BUBBLE_ELLIPSIS = "…";
const WIDE_RANGES = "\\u1100-\\u115f\\u2e80-\\ua4cf\\uac00-\\ud7a3\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uff60\\uffe0-\\uffe6\\u{20000}-\\u{3fffd}";
const WIDE_CHAR = new RegExp(`[${WIDE_RANGES}]`, "u");
const BUBBLE_TOKEN = new RegExp(`[${WIDE_RANGES}]| +|[^ ${WIDE_RANGES}]+`, "gu");

// --- text ------------------------------------------------------------------------------------
/** Greedy lines of `text` no wider than maxWidth (a word wider than that is split anywhere). */
export function wrapText(text, maxWidth, size, measure) {
  const lines = [];
  let cur = "";
  const add = (token) => {
    if (!cur.trim() || measure((cur + token).trimEnd(), size) <= maxWidth) {
      cur += token;
      return;
    }
    lines.push(cur.trimEnd());
    cur = token;
  };
  const flat = String(text).split(/\s+/).filter(Boolean).join(" ");
  for (const token of flat.match(BUBBLE_TOKEN) || []) {
    if (token.startsWith(" ")) {
      if (cur) cur += " ";
      continue;
    }
    const chars = Array.from(token);
    if (!cur && measure(token, size) > maxWidth && chars.length > 1) chars.forEach(add);
    else add(token);
  }
  if (cur.trim()) lines.push(cur.trimEnd());
  return lines;
}

/** `text`, or its longest prefix + "…" that fits maxWidth (code points, as Python slices). */
export function fitLine(text, maxWidth, size, measure) {
  if (measure(text, size) <= maxWidth) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(chars.slice(0, mid).join("") + BUBBLE_ELLIPSIS, size) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join("").trimEnd() + BUBBLE_ELLIPSIS;
}

function bubblePadding(kind, size) {
  return kind === "think" ? [0.9 * size, 0.7 * size] : [0.6 * size, 0.45 * size];
}

/** The lines and box of a bubble: {lines, size, width, height} (stage units). */
export function bubbleText(text, kind, measure, size = BUBBLE_SIZE) {
  const maxWidth = BUBBLE_MAX_EMS * size;
  let s = size;
  let lines = wrapText(text, maxWidth, s, measure);
  while (lines.length > BUBBLE_MAX_LINES && s > size * BUBBLE_MIN_SHRINK + 1e-9) {
    s = Math.max(size * BUBBLE_MIN_SHRINK, s * 0.9);
    lines = wrapText(text, maxWidth, s, measure);
  }
  if (lines.length > BUBBLE_MAX_LINES) {
    const tail = lines.slice(BUBBLE_MAX_LINES - 1);
    const rest = WIDE_CHAR.test(text) ? tail.join("") : tail.join(" ");
    lines = [...lines.slice(0, BUBBLE_MAX_LINES - 1), fitLine(rest + BUBBLE_ELLIPSIS, maxWidth, s, measure)];
  }
  if (!lines.length) lines = [""];
  const [padX, padY] = bubblePadding(kind, size);
  const widest = Math.max(...lines.map((l) => measure(l, s)));
  return { lines, size: s, width: Math.max(widest + 2 * padX, 2 * size), height: lines.length * BUBBLE_LINE_HEIGHT * s + 2 * padY };
}

// --- placement -------------------------------------------------------------------------------
function clampTo(v, lo, hi) {
  return hi >= lo ? Math.max(lo, Math.min(v, hi)) : lo;
}

function bubblesOverlap(x, y, w, h, p) {
  return x < p.left + p.width + BUBBLE_GAP - 1e-9 && p.left < x + w + BUBBLE_GAP - 1e-9 && y < p.top + p.height + BUBBLE_GAP - 1e-9 && p.top < y + h + BUBBLE_GAP - 1e-9;
}

/** The free (left, top) nearest (x0, y0); moving down (onto the speaker) costs double. */
function bestSpot(placed, x0, y0, w, h, stageW, stageH) {
  const xs = [x0];
  const ys = [y0];
  for (const p of placed) {
    xs.push(p.left + p.width + BUBBLE_GAP, p.left - BUBBLE_GAP - w);
    ys.push(p.top - BUBBLE_GAP - h, p.top + p.height + BUBBLE_GAP);
  }
  let best = null;
  let bestCost = Infinity;
  for (const y of ys) {
    const cy = clampTo(y, BUBBLE_MARGIN, stageH - BUBBLE_MARGIN - h);
    for (const x of xs) {
      const cx = clampTo(x, BUBBLE_MARGIN, stageW - BUBBLE_MARGIN - w);
      if (placed.some((p) => bubblesOverlap(cx, cy, w, h, p))) continue;
      const cost = Math.abs(cx - x0) + (cy - y0) * (cy > y0 ? 2 : -1);
      if (cost < bestCost - 1e-9) {
        best = [cx, cy];
        bestCost = cost;
      }
    }
  }
  if (!best) return [clampTo(x0, BUBBLE_MARGIN, stageW - BUBBLE_MARGIN - w), clampTo(y0, BUBBLE_MARGIN, stageH - BUBBLE_MARGIN - h)];
  return best;
}

/**
 * Place bubbles in order. speakers: [{key, kind, text: bubbleText(), head: [x, y], radius}];
 * returns [{key, kind, text, left, top, width, height, tip: [x, y]}] in stage units.
 */
export function layoutBubbles(speakers, stageW, stageH, size = BUBBLE_SIZE) {
  const placed = [];
  for (const sp of speakers) {
    const { width: w, height: h } = sp.text;
    const [hx, hy] = sp.head;
    const x0 = hx - w / 2;
    const y0 = hy - sp.radius - BUBBLE_LIFT * size - h;
    const [left, top] = bestSpot(placed, x0, y0, w, h, stageW, stageH);
    placed.push({ key: sp.key, kind: sp.kind, text: sp.text, left, top, width: w, height: h, tip: [hx, hy - sp.radius - BUBBLE_TIP_GAP * size] });
  }
  return placed;
}

// --- geometry --------------------------------------------------------------------------------
/** The middle of the tail's base: on the box edge that faces the tip, kept off the corners. */
export function tailBase(b) {
  const [tx, ty] = b.tip;
  const right = b.left + b.width;
  const bottom = b.top + b.height;
  const inset = Math.min(0.9 * b.text.size, b.width / 2, b.height / 2);
  if (ty > bottom || ty < b.top) return [clampTo(tx, b.left + inset, right - inset), ty > bottom ? bottom : b.top];
  return [tx < b.left ? b.left : right, clampTo(ty, b.top + inset, bottom - inset)];
}

/** A speech tail's triangle [[x, y] x 3], or null when the tip is inside the box. */
export function tailTriangle(b) {
  const [tx, ty] = b.tip;
  if (tx >= b.left && tx <= b.left + b.width && ty >= b.top && ty <= b.top + b.height) return null;
  const [bx, by] = tailBase(b);
  const half = 0.4 * b.text.size;
  if (ty > b.top + b.height || ty < b.top) return [[bx - half, by], [tx, ty], [bx + half, by]];
  return [[bx, by - half], [tx, ty], [bx, by + half]];
}

/** A thought's three trailing circles [cx, cy, r], from the cloud toward the head. */
export function thoughtDots(b) {
  const [tx, ty] = b.tip;
  const [bx, by] = tailBase(b);
  const s = b.text.size;
  return [
    [0.2, 0.25],
    [0.52, 0.18],
    [0.82, 0.12],
  ].map(([f, r]) => [bx + (tx - bx) * f, by + (ty - by) * f, r * s]);
}

function bumpRadius(b) {
  return Math.min(0.55 * b.text.size, b.width / 4, b.height / 4);
}

/** A thought cloud's bumps [cx, cy, r]: centred on the box inset by r, so they reach its edge. */
export function cloudCircles(b) {
  const r = bumpRadius(b);
  const il = b.left + r;
  const it = b.top + r;
  const ir = b.left + b.width - r;
  const ib = b.top + b.height - r;
  const nx = Math.max(1, Math.ceil((ir - il) / (1.3 * r)));
  const ny = Math.max(1, Math.ceil((ib - it) / (1.3 * r)));
  const out = [];
  for (let i = 0; i <= nx; i++) {
    const x = il + ((ir - il) * i) / nx;
    out.push([x, it, r], [x, ib, r]);
  }
  for (let j = 1; j < ny; j++) {
    const y = it + ((ib - it) * j) / ny;
    out.push([il, y, r], [ir, y, r]);
  }
  return out;
}

// --- drawing ---------------------------------------------------------------------------------
/** Is a speech {start, end} shown at scene-local time `local` of a scene `duration` ms long? */
export function speechActive(speech, local, duration) {
  return speech.start <= local && (local < speech.end || speech.end >= duration - 1e-6);
}

/** The bubbles of scene.decoded[at.index] shown at `at.local`, placed; [] when none. */
export function bubblesAt(ctx, scene, coords, at, size, fontFamily) {
  const source = scene.animation.scenes[at.index];
  const speech = (source && source.speech) || [];
  if (!speech.length || scene.headIndex < 0) return [];
  const order = speech.map((_, i) => i).sort((a, b) => speech[a].start - speech[b].start || a - b);
  const speakers = [];
  for (const i of order) {
    const sp = speech[i];
    const ci = scene.charIndex.get(sp.character);
    if (ci === undefined || !speechActive(sp, at.local, source.duration)) continue;
    const base = ci * scene.nJoints * 2 + scene.headIndex * 2;
    const c = scene.characters[ci];
    speakers.push({
      key: `bubble:${at.index}:${i}`,
      kind: sp.kind === "think" ? "think" : "say",
      text: cachedText(ctx, scene, `${at.index}:${i}`, sp, size, fontFamily),
      head: [coords[base], coords[base + 1]],
      radius: c.head_radius > 0 ? c.head_radius : 18,
    });
  }
  return layoutBubbles(speakers, scene.stage.width, scene.stage.height, size);
}

/** A bubble's wrapped text, measured once per size and font (measureText per frame is waste). */
function cachedText(ctx, scene, id, speech, size, fontFamily) {
  const key = `${id}|${size}|${fontFamily}`;
  if (!scene.bubbleTexts) scene.bubbleTexts = new Map();
  let text = scene.bubbleTexts.get(key);
  if (!text) {
    const kind = speech.kind === "think" ? "think" : "say";
    text = bubbleText(cleanText(speech.text), kind, canvasMeasure(ctx, fontFamily), size);
    scene.bubbleTexts.set(key, text);
  }
  return text;
}

/** (text, size) -> width with the canvas's own font, or an estimate where there is none. */
export function canvasMeasure(ctx, fontFamily) {
  let current = 0;
  return (text, size) => {
    if (!ctx.measureText) return Array.from(text).reduce((w, ch) => w + size * (WIDE_CHAR.test(ch) ? 1 : 0.6), 0);
    if (size !== current) {
      ctx.font = `${size}px ${fontFamily}`;
      current = size;
    }
    const m = ctx.measureText(text);
    return m && Number.isFinite(m.width) ? m.width : Array.from(text).length * size * 0.6;
  };
}

const BUBBLE_SPRITE_PAD = 3; // stage units around a bubble's box: its rim's stroke

/**
 * Draw placed bubbles, on a context whose transform is `scale`: every tail, then every body
 * with its text (a sprite painted once per bubble text and scale, where sprites can be made).
 */
export function drawBubbles(ctx, placed, fontFamily, scale = 1) {
  if (!placed.length) return;
  bubbleInk(ctx);
  for (const b of placed) drawTail(ctx, b);
  for (const b of placed) {
    const sprite = bubbleSprite(ctx, b, fontFamily, scale);
    if (sprite) drawSprite(ctx, sprite, b.left, b.top, 0, scale);
    else {
      drawBody(ctx, b);
      drawWords(ctx, b, fontFamily);
      bubbleInk(ctx);
    }
  }
}

function bubbleInk(ctx) {
  ctx.lineJoin = "round";
  ctx.lineWidth = BUBBLE_STROKE_WIDTH;
  ctx.strokeStyle = BUBBLE_STROKE;
  ctx.fillStyle = BUBBLE_FILL;
}

/** The bubble's body and words painted at its own origin, cached on its (per-scene) text. */
function bubbleSprite(ctx, b, fontFamily, scale) {
  const t = b.text;
  const key = `${b.kind}|${scale}|${fontFamily}`;
  if (!t.sprites) t.sprites = new Map();
  if (!t.sprites.has(key)) {
    const local = { ...b, left: 0, top: 0 };
    const pad = BUBBLE_SPRITE_PAD;
    const sprite = makeSprite(ctx, [-pad, -pad, b.width + pad, b.height + pad], scale, (sctx) => {
      bubbleInk(sctx);
      drawBody(sctx, local);
      drawWords(sctx, local, fontFamily);
    });
    t.sprites.set(key, sprite);
  }
  return t.sprites.get(key);
}

/** The bubble's lines as canvas text (never markup), centred in its box. */
function drawWords(ctx, b, fontFamily) {
  const t = b.text;
  ctx.fillStyle = BUBBLE_TEXT;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.font = `${t.size}px ${fontFamily}`;
  const padY = (b.height - t.lines.length * BUBBLE_LINE_HEIGHT * t.size) / 2;
  t.lines.forEach((line, i) => ctx.fillText(line, b.left + b.width / 2, b.top + padY + BUBBLE_LINE_HEIGHT * t.size * (i + 0.5)));
}

function drawTail(ctx, b) {
  if (b.kind === "think") {
    ctx.beginPath();
    for (const [x, y, r] of thoughtDots(b)) {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
    }
    ctx.fill();
    ctx.stroke();
    return;
  }
  const tri = tailTriangle(b);
  if (!tri) return;
  ctx.beginPath();
  ctx.moveTo(tri[0][0], tri[0][1]);
  ctx.lineTo(tri[1][0], tri[1][1]);
  ctx.lineTo(tri[2][0], tri[2][1]);
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
}

function drawBody(ctx, b) {
  if (b.kind === "think") {
    const bumps = cloudCircles(b);
    // Rims first, then every fill over them: only the cloud's outer edge keeps a line.
    ctx.lineWidth = BUBBLE_STROKE_WIDTH * 2;
    ctx.beginPath();
    for (const [x, y, r] of bumps) {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
    }
    ctx.stroke();
    ctx.fill();
    const r = bumpRadius(b);
    ctx.fillRect(b.left + r, b.top + r, b.width - 2 * r, b.height - 2 * r);
    ctx.lineWidth = BUBBLE_STROKE_WIDTH;
    return;
  }
  const r = Math.min(0.6 * b.text.size, b.height / 2);
  const x = b.left;
  const y = b.top;
  const w = b.width;
  const h = b.height;
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
}
