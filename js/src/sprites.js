// Sprites: a thing or a bubble painted once into an offscreen canvas at the screen's scale,
// then copied with one drawImage per frame. Painting paths and text costs far more than a
// copy in Chromium's software rasterizer (a thought cloud alone is dozens of arcs); with
// sprites, five things and two bubbles stay well inside a frame's budget.

const MAX_SPRITE_PIXELS = 4096 * 4096;

/** A blank canvas w x h device pixels to paint a sprite in, or null where there is none. */
export function spriteCanvas(ctx, w, h) {
  if (typeof OffscreenCanvas !== "undefined") return new OffscreenCanvas(w, h);
  const canvas = ctx.canvas;
  const doc = canvas && canvas.ownerDocument;
  if (!doc || typeof doc.createElement !== "function") return null;
  const out = doc.createElement("canvas");
  out.width = w;
  out.height = h;
  return out;
}

/**
 * Paint `paint(sctx)` (stage units, as on the main canvas) for the region bounds [x0, y0, x1, y1]
 * at `scale` device pixels per unit. Returns {image, x, y, w, h} (where to draw it, stage
 * units) or null when no offscreen canvas can be had or the sprite would be huge.
 */
export function makeSprite(ctx, bounds, scale, paint) {
  const [x0, y0, x1, y1] = bounds;
  const w = Math.ceil((x1 - x0) * scale) + 2;
  const h = Math.ceil((y1 - y0) * scale) + 2;
  if (!(w > 0 && h > 0) || w * h > MAX_SPRITE_PIXELS) return null;
  const canvas = spriteCanvas(ctx, w, h);
  const sctx = canvas && canvas.getContext ? canvas.getContext("2d") : null;
  if (!sctx) return null;
  sctx.setTransform(scale, 0, 0, scale, 1 - x0 * scale, 1 - y0 * scale);
  paint(sctx);
  return { image: canvas, x: x0 - 1 / scale, y: y0 - 1 / scale, w: w / scale, h: h / scale };
}

/**
 * Copy a sprite with its origin at (x, y) stage units, turned by `angle` degrees, on a context
 * whose transform is `scale` (restored after). Unturned, it lands on whole device pixels, so
 * that text stays sharp.
 */
export function drawSprite(ctx, sprite, x, y, angle, scale) {
  if (angle) {
    const a = (angle * Math.PI) / 180;
    const c = Math.cos(a) * scale;
    const s = Math.sin(a) * scale;
    ctx.setTransform(c, s, -s, c, x * scale, y * scale);
    ctx.drawImage(sprite.image, sprite.x, sprite.y, sprite.w, sprite.h);
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    return;
  }
  const px = Math.round((x + sprite.x) * scale);
  const py = Math.round((y + sprite.y) * scale);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(sprite.image, px, py, Math.round(sprite.w * scale), Math.round(sprite.h * scale));
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
}

/** The region [x0, y0, x1, y1] the primitives of things.js cover, strokes included. */
export function primitiveBounds(prims) {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of prims) {
    const m = p.stroke && p.width > 0 ? p.width / 2 + 1 : 1;
    const q = p.pts;
    if (p.type === "circle") {
      x0 = Math.min(x0, q[0] - q[2] - m);
      x1 = Math.max(x1, q[0] + q[2] + m);
      y0 = Math.min(y0, q[1] - q[2] - m);
      y1 = Math.max(y1, q[1] + q[2] + m);
      continue;
    }
    for (let i = 0; i < q.length; i += 2) {
      x0 = Math.min(x0, q[i] - m);
      x1 = Math.max(x1, q[i] + m);
      y0 = Math.min(y0, q[i + 1] - m);
      y1 = Math.max(y1, q[i + 1] + m);
    }
  }
  return Number.isFinite(x0) ? [x0, y0, x1, y1] : [0, 0, 0, 0];
}
