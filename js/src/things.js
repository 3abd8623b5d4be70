// Things (props): how each kind is drawn, as a few primitives in the thing's own frame, and
// drawing them at their place and angle. Mirrors src/stickanim_jupyter/export/things.py (the
// exports draw the same primitives; tests/test_things.py compares the two).
//
// Each thing is painted once into a sprite at the screen's scale (sprites.js) and copied per frame.
//
// The frame: origin at the thing's bottom centre, u to the right, v down (the thing spans v in
// [-height, 0]), stage units. A place [x, y, angle°] moves it there and turns it clockwise.

import { drawSprite, makeSprite, primitiveBounds } from "./sprites.js";

export const FRONT_KINDS = new Set(["ball", "box", "book", "cup", "phone", "flower"]);
const PROP_WHITE = "#FFFFFF";
const PROP_WOOD = "#795548";
const PROP_GLASS = "#BBDEFB";
const PROP_TIRE = "#212121";
const PROP_HUB = "#BDBDBD";
const PROP_GOLD = "#FFC107";
const PROP_LEAF = "#43A047";
const PROP_YELLOW = "#FFEB3B";

/** `color` (#RRGGBB) with each channel times k, rounded half up (as things.shade). */
export function shade(color, k) {
  let out = "#";
  for (const i of [1, 3, 5]) {
    const c = Math.min(255, Math.floor(parseInt(color.slice(i, i + 2), 16) * k + 0.5));
    out += c.toString(16).padStart(2, "0").toUpperCase();
  }
  return out;
}

const propRect = (x0, y0, x1, y1, fill, stroke, width) => ({ type: "poly", pts: [x0, y0, x1, y0, x1, y1, x0, y1], fill, stroke, width });
const propPoly = (pts, fill, stroke, width) => ({ type: "poly", pts, fill, stroke, width });
const propCircle = (cx, cy, r, fill, stroke, width) => ({ type: "circle", pts: [cx, cy, r], fill, stroke, width });
const propLine = (x1, y1, x2, y2, stroke, width) => ({ type: "line", pts: [x1, y1, x2, y2], fill: null, stroke, width });

/** The primitives of a `kind` thing w x h stage units in `color`, in drawing order. */
export function propPrimitives(kind, w, h, color) {
  const o = shade(color, 0.6);
  const lw = Math.min(Math.max(Math.min(w, h) * 0.06, 1.5), 4.0);
  const draw = PROP_KINDS[kind] || PROP_KINDS.box;
  return draw(w, h, color, o, lw);
}

function boardInk(c) {
  const sum = [1, 3, 5].reduce((acc, i) => acc + parseInt(c.slice(i, i + 2), 16), 0);
  return sum < 384 ? "#ECEFF1" : shade(c, 0.45);
}

const PROP_KINDS = {
  ball(w, h, c, o, lw) {
    const r = Math.min(w, h) / 2;
    return [propCircle(0, -r, r, c, o, lw), propCircle(-r * 0.35, -r - r * 0.35, r * 0.22, PROP_WHITE, null, 0)];
  },
  box(w, h, c, o, lw) {
    return [propRect(-w / 2, -h, w / 2, 0, c, o, lw), propLine(-w / 2, -h * 0.78, w / 2, -h * 0.78, o, lw), propLine(0, -h, 0, -h * 0.78, o, lw)];
  },
  chair(w, h, c, o, lw) {
    const t = h * 0.07;
    const seat = -h * 0.5;
    const leg = Math.max(lw, t * 0.8);
    return [
      propLine(-w / 2 + t * 0.6, seat, -w / 2 + t * 0.6, 0, o, leg),
      propLine(w / 2 - t * 0.6, seat, w / 2 - t * 0.6, 0, o, leg),
      propRect(-w / 2, -h, -w / 2 + t * 1.2, seat - t, c, o, lw),
      propRect(-w / 2, seat - t, w / 2, seat, c, o, lw),
    ];
  },
  table(w, h, c, o, lw) {
    const t = h * 0.12;
    const leg = Math.max(lw, w * 0.04);
    return [
      propLine(-w / 2 + w * 0.08, -h + t, -w / 2 + w * 0.08, 0, o, leg),
      propLine(w / 2 - w * 0.08, -h + t, w / 2 - w * 0.08, 0, o, leg),
      propRect(-w / 2, -h, w / 2, -h + t, c, o, lw),
    ];
  },
  bed(w, h, c, o, lw) {
    return [
      propRect(-w / 2, -h, -w / 2 + w * 0.05, 0, c, o, lw),
      propRect(w / 2 - w * 0.04, -h * 0.75, w / 2, 0, c, o, lw),
      propRect(-w / 2 + w * 0.05, -h * 0.45, w / 2 - w * 0.04, -h * 0.15, c, o, lw),
      propRect(-w / 2 + w * 0.05, -h * 0.7, w / 2 - w * 0.04, -h * 0.45, "#ECEFF1", o, lw),
      propRect(-w / 2 + w * 0.07, -h * 0.92, -w / 2 + w * 0.24, -h * 0.7, PROP_WHITE, o, lw),
    ];
  },
  door(w, h, c, o, lw) {
    return [
      propRect(-w / 2, -h, w / 2, 0, c, o, lw),
      propRect(-w * 0.32, -h * 0.92, w * 0.18, -h * 0.56, null, o, lw),
      propRect(-w * 0.32, -h * 0.44, w * 0.18, -h * 0.08, null, o, lw),
      propCircle(w * 0.33, -h * 0.5, Math.max(2.0, w * 0.06), PROP_GOLD, o, lw),
    ];
  },
  tree(w, h, c, o, lw) {
    const r = w * 0.3;
    const crown = [
      [-w * 0.2, -h + r * 2.1],
      [w * 0.2, -h + r * 2.1],
      [0.0, -h + r * 2.1],
      [0.0, -h + r],
    ];
    // Stroke every circle, then fill them all: only the crown's outer rim keeps a line.
    return [
      propRect(-w * 0.08, -h + r * 2.1, w * 0.08, 0, PROP_WOOD, shade(PROP_WOOD, 0.6), lw),
      ...crown.map(([x, y]) => propCircle(x, y, r, null, o, lw * 2)),
      ...crown.map(([x, y]) => propCircle(x, y, r, c, null, 0)),
    ];
  },
  ladder(w, h, c, o, lw) {
    const rail = Math.max(lw, w * 0.08);
    const n = Math.max(3, roundHalfEven(h / 28));
    const rungs = Array.from({ length: n }, (_, i) => propLine(-w * 0.4, (-h * (i + 0.5)) / n, w * 0.4, (-h * (i + 0.5)) / n, c, lw * 1.2));
    return [...rungs, propLine(-w * 0.4, 0, -w * 0.4, -h, o, rail), propLine(w * 0.4, 0, w * 0.4, -h, o, rail)];
  },
  book(w, h, c, o, lw) {
    return [
      propRect(-w / 2, -h, w / 2, 0, c, o, lw),
      propLine(-w / 2 + w * 0.15, -h, -w / 2 + w * 0.15, 0, o, lw),
      propLine(-w * 0.1, -h * 0.65, w * 0.3, -h * 0.65, PROP_WHITE, lw),
    ];
  },
  cup(w, h, c, o, lw) {
    return [propCircle(w * 0.5, -h * 0.55, h * 0.2, null, o, lw * 1.2), propPoly([-w / 2, -h, w / 2, -h, w * 0.38, 0, -w * 0.38, 0], c, o, lw)];
  },
  board(w, h, c, o, lw) {
    const ink = boardInk(c);
    return [
      propLine(-w * 0.38, -h * 0.3, -w * 0.44, 0, o, lw * 1.5),
      propLine(w * 0.38, -h * 0.3, w * 0.44, 0, o, lw * 1.5),
      propRect(-w / 2, -h, w / 2, -h * 0.3, c, PROP_HUB, lw * 1.5),
      propLine(-w * 0.45, -h * 0.3, w * 0.45, -h * 0.3, o, lw * 1.5),
      propLine(-w * 0.35, -h * 0.82, w * 0.1, -h * 0.82, ink, lw * 0.8),
      propLine(-w * 0.35, -h * 0.66, w * 0.25, -h * 0.66, ink, lw * 0.8),
      propLine(-w * 0.35, -h * 0.5, -w * 0.05, -h * 0.5, ink, lw * 0.8),
    ];
  },
  car(w, h, c, o, lw) {
    const r = h * 0.2;
    return [
      propPoly([-w * 0.3, -h * 0.6, -w * 0.18, -h, w * 0.15, -h, w * 0.3, -h * 0.6], c, o, lw),
      propPoly([-w * 0.25, -h * 0.62, -w * 0.16, -h * 0.92, -w * 0.02, -h * 0.92, -w * 0.02, -h * 0.62], PROP_GLASS, o, lw),
      propPoly([w * 0.02, -h * 0.62, w * 0.02, -h * 0.92, w * 0.13, -h * 0.92, w * 0.24, -h * 0.62], PROP_GLASS, o, lw),
      propPoly([-w / 2, -h * 0.2, -w / 2, -h * 0.52, -w * 0.44, -h * 0.6, w * 0.44, -h * 0.6, w / 2, -h * 0.48, w / 2, -h * 0.2], c, o, lw),
      propCircle(-w * 0.3, -r, r, PROP_TIRE, null, 0),
      propCircle(w * 0.3, -r, r, PROP_TIRE, null, 0),
      propCircle(-w * 0.3, -r, r * 0.4, PROP_HUB, null, 0),
      propCircle(w * 0.3, -r, r * 0.4, PROP_HUB, null, 0),
    ];
  },
  phone(w, h, c, o, lw) {
    return [propRect(-w / 2, -h, w / 2, 0, c, o, lw), propRect(-w / 2 + w * 0.15, -h + h * 0.12, w / 2 - w * 0.15, -h * 0.2, "#90CAF9", null, 0)];
  },
  flower(w, h, c, o, lw) {
    const cy = -h + w * 0.45;
    const petals = [0, 1, 2, 3, 4].map((k) => {
      const a = ((-90 + 72 * k) * Math.PI) / 180;
      return propCircle(Math.cos(a) * w * 0.22, cy + Math.sin(a) * w * 0.22, w * 0.2, c, null, 0);
    });
    return [
      propLine(0, 0, 0, cy, PROP_LEAF, Math.max(lw, w * 0.08)),
      propPoly([0, -h * 0.3, w * 0.3, -h * 0.45, w * 0.05, -h * 0.42], PROP_LEAF, null, 0),
      ...petals,
      propCircle(0, cy, w * 0.16, PROP_YELLOW, null, 0),
    ];
  },
};

/** Python's round(): halves go to the even neighbour (the ladder's rung count must agree). */
function roundHalfEven(v) {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Each thing of the animation with its primitives, computed once per animation. */
export function prepareThings(animation, safe) {
  return (animation.props || []).map((p) => {
    const w = p.width > 0 ? p.width : 40;
    const h = p.height > 0 ? p.height : 40;
    return { id: p.id, kind: p.kind, front: FRONT_KINDS.has(p.kind), prims: propPrimitives(p.kind, w, h, safe(p.color)) };
  });
}

/**
 * Draw the things in front of the figures (front true) or behind them, on a context whose
 * transform is `scale`. `coords` holds each thing's x, y, angle at scene.propBase + 3 * index.
 */
export function drawThings(ctx, scene, coords, front, scale = 1) {
  const { things, propBase } = scene;
  for (let k = 0; k < things.length; k++) {
    const thing = things[k];
    if (thing.front !== front) continue;
    const base = propBase + k * 3;
    const x = coords[base];
    const y = coords[base + 1];
    const angle = Number.isFinite(coords[base + 2]) ? coords[base + 2] : 0;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const sprite = thingSprite(ctx, thing, scale);
    if (sprite) {
      drawSprite(ctx, sprite, x, y, angle, scale);
      continue;
    }
    ctx.save();
    ctx.translate(x, y);
    if (angle) ctx.rotate((angle * Math.PI) / 180);
    drawPrimitives(ctx, thing.prims);
    ctx.restore();
  }
}

/** The thing painted at this scale, made on first use; null where sprites cannot be made. */
function thingSprite(ctx, thing, scale) {
  if (!thing.sprite || thing.sprite.scale !== scale) {
    const sprite = makeSprite(ctx, primitiveBounds(thing.prims), scale, (sctx) => drawPrimitives(sctx, thing.prims));
    thing.sprite = { scale, sprite };
  }
  return thing.sprite.sprite;
}

/** Primitives in the current frame: fill, then stroke, each as it asks. */
export function drawPrimitives(ctx, prims) {
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  for (const p of prims) {
    const q = p.pts;
    ctx.beginPath();
    if (p.type === "circle") ctx.arc(q[0], q[1], q[2], 0, Math.PI * 2);
    else {
      ctx.moveTo(q[0], q[1]);
      for (let i = 2; i < q.length; i += 2) ctx.lineTo(q[i], q[i + 1]);
      if (p.type === "poly") ctx.closePath();
    }
    if (p.fill) {
      ctx.fillStyle = p.fill;
      ctx.fill();
    }
    if (p.stroke && p.width > 0) {
      ctx.strokeStyle = p.stroke;
      ctx.lineWidth = p.width;
      ctx.stroke();
    }
  }
}
