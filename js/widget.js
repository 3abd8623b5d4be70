// stickanim-jupyter widget: canvas stick-figure player, provider dropdown and JSON inspector.
//
// A plain ES module with no dependencies and no build step, loaded by anywidget as `_esm`
// and inlined by widget.standalone_html(). The default export is the anywidget
// `{ render({ model, el }) }` object; the named exports are pure helpers for the unit tests.
//
// Model state (see src/stickanim_jupyter/widget.py):
//   animation  the Animation JSON, each scene's `frames` replaced by `times` + `n_frames`
//   frames     float32 LE, scene > frame > character > joint > (x, y), scenes concatenated
//   story, providers [{name, model, available, reason}], provider, status, progress, error,
//   raw (a failed regeneration's raw LLM answer, shown in the inspector), autoplay, loop_mode
// Choosing a provider sets `provider` and sends {type: "regenerate", provider}.
//
// Security: every string that comes from a story or an LLM reaches the DOM through
// textContent / createTextNode only; this file never assigns innerHTML.

export const SPEEDS = [0.25, 0.5, 1, 1.5, 2];
export const MODES = ["once", "loop", "reflect"];
export const TREE_CHUNK = 100; // children shown per level of a long array in the inspector
const MAX_STRING_PREVIEW = 400; // characters of a long string shown in the inspector
const MAX_FRAME_STEP_MS = 250; // a background tab must not jump the animation on return
const MAX_CSS_WIDTH = 720; // a notebook-friendly size; smaller containers scale it down
const EPS = 1e-6;
const LABEL_STAGE_PX = 17; // name labels, in stage units...
const LABEL_MIN_CSS_PX = 11; // ...but never smaller than this on screen
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

// ------------------------------------------------------------------------------------------
// Frame data
// ------------------------------------------------------------------------------------------

/** Any binary payload (DataView, ArrayBuffer, typed array, or nothing) as a DataView. */
export function toDataView(buffer) {
  if (buffer == null) return new DataView(new ArrayBuffer(0));
  if (buffer instanceof DataView) return buffer;
  if (buffer instanceof ArrayBuffer) return new DataView(buffer);
  if (ArrayBuffer.isView(buffer)) return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw new TypeError("frames must be binary data");
}

/** Numbers of characters, joints and floats per frame of an animation state. */
export function frameShape(animation) {
  const nChars = animation.characters.length;
  const nJoints = animation.joints.length;
  return { nChars, nJoints, perFrame: nChars * nJoints * 2 };
}

/**
 * Decode the float32 little-endian frame buffer into one scene record per scene:
 * {id, description, duration, times: Float64Array, nFrames, data: Float32Array}.
 * Throws when the buffer does not match the animation (the caller keeps the old one).
 */
export function decodeFrames(animation, buffer) {
  const view = toDataView(buffer);
  const { perFrame } = frameShape(animation);
  const scenes = animation.scenes || [];
  let expected = 0;
  for (const s of scenes) {
    if (!Array.isArray(s.times) || s.times.length !== s.n_frames || s.n_frames < 1) {
      throw new Error(`scene ${s.id}: times and n_frames disagree`);
    }
    expected += s.n_frames * perFrame * 4;
  }
  if (view.byteLength !== expected) {
    throw new Error(`frame data has ${view.byteLength} bytes, the animation needs ${expected}`);
  }
  let offset = 0;
  return scenes.map((s) => {
    const n = s.n_frames * perFrame;
    const data = readFloat32(view, offset, n);
    offset += n * 4;
    return {
      id: s.id,
      description: s.description || "",
      duration: s.duration,
      times: Float64Array.from(s.times),
      nFrames: s.n_frames,
      data,
    };
  });
}

function readFloat32(view, offset, n) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat32(offset + i * 4, true);
  return out;
}

// ------------------------------------------------------------------------------------------
// Time
// ------------------------------------------------------------------------------------------

/**
 * Scene start times and the deduplicated, sorted global time of every frame. A scene's last
 * frame and the next scene's first frame share one instant, so they count as one step.
 */
export function buildTimeline(scenes) {
  const starts = [];
  const frameTimes = [];
  let total = 0;
  for (const s of scenes) {
    starts.push(total);
    for (const t of s.times) {
      const g = total + t;
      if (!frameTimes.length || g > frameTimes[frameTimes.length - 1] + EPS) frameTimes.push(g);
    }
    total += s.duration;
  }
  return { starts, total, frameTimes: Float64Array.from(frameTimes) };
}

/** Largest index i with sorted[i] <= x (0 when x precedes everything). */
export function bisectRight(sorted, x) {
  let lo = 0;
  let hi = sorted.length - 1;
  if (hi < 0 || x <= sorted[0]) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The scene playing at global time t: {index, local}. A boundary belongs to the next scene. */
export function sceneAt(timeline, scenes, t) {
  if (!scenes.length) return { index: -1, local: 0 };
  const clamped = Math.min(Math.max(t, 0), timeline.total);
  let index = bisectRight(timeline.starts, clamped + EPS);
  index = Math.min(index, scenes.length - 1);
  const local = Math.min(Math.max(clamped - timeline.starts[index], 0), scenes[index].duration);
  return { index, local };
}

/** The two frames around a scene-local time and the blend between them. */
export function frameAt(times, local) {
  const n = times.length;
  const i0 = bisectRight(times, local);
  const i1 = Math.min(i0 + 1, n - 1);
  if (i1 === i0) return { i0, i1, alpha: 0 };
  const span = times[i1] - times[i0];
  const alpha = span > 0 ? Math.min(Math.max((local - times[i0]) / span, 0), 1) : 0;
  return { i0, i1, alpha };
}

/** Linear interpolation of every joint of every character; writes into `out` and returns it. */
export function interpolatePose(data, perFrame, i0, i1, alpha, out = new Float32Array(perFrame)) {
  const a = i0 * perFrame;
  const b = i1 * perFrame;
  for (let k = 0; k < perFrame; k++) out[k] = data[a + k] + (data[b + k] - data[a + k]) * alpha;
  return out;
}

/** Index in timeline.frameTimes of the frame nearest to t. */
export function nearestFrame(timeline, t) {
  const times = timeline.frameTimes;
  if (!times.length) return 0;
  const i = bisectRight(times, t);
  if (i + 1 < times.length && times[i + 1] - t < t - times[i]) return i + 1;
  return i;
}

/** Global time of the frame one step before (-1) or after (+1) t, clamped to the ends. */
export function stepTime(timeline, t, delta) {
  const times = timeline.frameTimes;
  if (!times.length) return 0;
  if (delta > 0) {
    for (let i = bisectRight(times, t); i < times.length; i++) if (times[i] > t + EPS) return times[i];
    return times[times.length - 1];
  }
  for (let i = bisectRight(times, t); i >= 0; i--) if (times[i] < t - EPS) return times[i];
  return times[0];
}

/**
 * Advance playback by dtMs of wall time. once: stops at the end; loop: wraps to 0;
 * reflect: bounces between the ends (dir is +1 or -1). Returns {t, dir, ended}.
 */
export function advance(t, dir, dtMs, speed, mode, total) {
  if (!(total > 0)) return { t: 0, dir: 1, ended: true };
  const step = dtMs * speed;
  if (mode === "loop") return { t: (((t + step) % total) + total) % total, dir: 1, ended: false };
  if (mode === "reflect") {
    const period = 2 * total;
    // Unfold the bounce onto [0, 2*total): the second half plays backwards.
    const phase = ((((dir >= 0 ? t : period - t) + step) % period) + period) % period;
    return phase <= total ? { t: phase, dir: 1, ended: false } : { t: period - phase, dir: -1, ended: false };
  }
  const next = t + step;
  return next >= total ? { t: total, dir: 1, ended: true } : { t: Math.max(next, 0), dir: 1, ended: false };
}

/** "1.25" seconds with two decimals, from milliseconds. */
export function formatSeconds(ms) {
  return (Math.max(ms, 0) / 1000).toFixed(2);
}

// ------------------------------------------------------------------------------------------
// Layout
// ------------------------------------------------------------------------------------------

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

// ------------------------------------------------------------------------------------------
// Drawing
// ------------------------------------------------------------------------------------------

/** Bones as pairs of joint indices; bones naming unknown joints are skipped. */
export function boneIndices(joints, bones) {
  const index = new Map(joints.map((j, i) => [j, i]));
  return bones
    .map(([a, b]) => [index.get(a), index.get(b)])
    .filter(([a, b]) => a !== undefined && b !== undefined);
}

/** A #RRGGBB color, or the fallback for anything else. */
export function safeColor(color, fallback = "#888888") {
  return typeof color === "string" && HEX_COLOR.test(color) ? color : fallback;
}

/**
 * Draw one pose: stage background, ground line, then every character's bones and head circle
 * (radius head_radius, centred on the head joint), then the names above the heads. `coords`
 * is one interpolated frame (character > joint > x, y) in stage units; `scale` maps them to
 * canvas pixels.
 */
export function drawPose(ctx, scene, coords, scale, colors, labelSize = LABEL_STAGE_PX) {
  const { stage, characters, nJoints, bones, headIndex } = scene;
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  ctx.fillStyle = colors.background;
  ctx.fillRect(0, 0, stage.width, stage.height);
  drawGround(ctx, stage, colors);
  characters.forEach((c, ci) => {
    drawFigure(ctx, coords, ci * nJoints * 2, bones, headIndex, c, colors);
  });
  if (headIndex >= 0) drawNames(ctx, scene, coords, colors, labelSize);
}

function drawGround(ctx, stage, colors) {
  ctx.strokeStyle = colors.ground;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(0, stage.ground_y);
  ctx.lineTo(stage.width, stage.ground_y);
  ctx.stroke();
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

function drawNames(ctx, scene, coords, colors, labelSize) {
  const { characters, nJoints, headIndex } = scene;
  ctx.font = `600 ${labelSize}px ${colors.fontFamily}`;
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  ctx.fillStyle = colors.label;
  const labels = characters.map((c, ci) => {
    const base = ci * nJoints * 2 + headIndex * 2;
    return { x: coords[base], y: coords[base + 1] - headRadius(c) - 6, width: textWidth(ctx, scene, c.name, labelSize) };
  });
  const ys = layoutLabels(labels, labelSize * 1.2);
  characters.forEach((c, ci) => ctx.fillText(c.name, labels[ci].x, ys[ci]));
}

function textWidth(ctx, scene, text, size) {
  // measureText per frame is wasted work: names and sizes rarely change.
  const key = `${size}|${text}`;
  if (!scene.textWidths) scene.textWidths = new Map();
  if (!scene.textWidths.has(key)) {
    const m = ctx.measureText ? ctx.measureText(text) : null;
    scene.textWidths.set(key, m && Number.isFinite(m.width) ? m.width : text.length * size * 0.6);
  }
  return scene.textWidths.get(key);
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
        if (left < p.right && right > p.left && Math.abs(y - p.y) < rowHeight - EPS) {
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

/** The point at distance d from (x, y) towards (tx, ty), or (x, y) itself when too close. */
function towards(x, y, tx, ty, d) {
  const dx = tx - x;
  const dy = ty - y;
  const len = Math.hypot(dx, dy);
  if (len <= d) return [x, y];
  return [x + (dx / len) * d, y + (dy / len) * d];
}

// ------------------------------------------------------------------------------------------
// Inspector: a lazy JSON tree model, then a DOM renderer that only builds expanded nodes
// ------------------------------------------------------------------------------------------

/** An array whose items are computed on demand (the frames of a scene). */
export class LazyArray {
  constructor(length, get) {
    this.length = length;
    this.get = get;
  }
}

function kindOf(value) {
  if (value === null || value === undefined) return "null";
  if (value instanceof LazyArray || Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  return "null";
}

function itemGetter(value) {
  return value instanceof LazyArray ? (i) => value.get(i) : (i) => value[i];
}

/**
 * One node of the inspector tree: {key, kind, text, expandable, count, children()}.
 * `text` is what the row shows (a JSON literal or a summary); children are computed only
 * when asked, and long arrays are grouped into ranges of TREE_CHUNK so nothing is built
 * for the frames a reader never opens.
 */
export function treeNode(key, value) {
  const kind = kindOf(value);
  if (kind === "array") {
    const get = itemGetter(value);
    return containerNode(key, "array", value.length, `[${value.length}]`, () => rangeChildren(get, 0, value.length));
  }
  if (kind === "object") {
    const keys = Object.keys(value);
    return containerNode(key, "object", keys.length, `{${keys.length}}`, () =>
      keys.map((k) => treeNode(k, value[k])),
    );
  }
  return { key, kind, text: leafText(kind, value), expandable: false, count: 0, children: () => [] };
}

function containerNode(key, kind, count, text, children) {
  return { key, kind, text, expandable: count > 0, count, children };
}

function leafText(kind, value) {
  if (kind === "string") {
    const s = value.length > MAX_STRING_PREVIEW ? `${value.slice(0, MAX_STRING_PREVIEW)}…` : value;
    return JSON.stringify(s);
  }
  if (kind === "null") return "null";
  return String(value);
}

/** Children of items [start, end): the items themselves, or nested ranges when too many. */
export function rangeChildren(get, start, end) {
  const n = end - start;
  if (n <= TREE_CHUNK) {
    const out = [];
    for (let i = start; i < end; i++) out.push(treeNode(String(i), get(i)));
    return out;
  }
  let step = TREE_CHUNK;
  while (n / step > TREE_CHUNK) step *= TREE_CHUNK;
  const out = [];
  for (let s = start; s < end; s += step) {
    const e = Math.min(s + step, end);
    out.push({
      key: `[${s}…${e - 1}]`,
      kind: "range",
      text: `${e - s} items`,
      expandable: true,
      count: e - s,
      children: () => rangeChildren(get, s, e),
    });
  }
  return out;
}

/** Round a stage coordinate for display and copy (float32 carries noise past that). */
function round2(v) {
  return Math.round(v * 100) / 100;
}

/** One frame of a decoded scene in the Animation contract's JSON shape. */
export function frameJSON(animation, scene, i) {
  const { nJoints, perFrame } = frameShape(animation);
  const poses = {};
  animation.characters.forEach((c, ci) => {
    const pose = {};
    const base = i * perFrame + ci * nJoints * 2;
    animation.joints.forEach((j, ji) => {
      pose[j] = [round2(scene.data[base + ji * 2]), round2(scene.data[base + ji * 2 + 1])];
    });
    poses[c.id] = pose;
  });
  return { t: scene.times[i], poses };
}

/** The Animation as the contract shapes it, with frames computed lazily (or all at once). */
export function animationView(animation, decoded, materialize = false) {
  const scenes = (animation.scenes || []).map((s, si) => {
    const { times: _t, n_frames: _n, ...rest } = s;
    const scene = decoded[si];
    const get = (i) => frameJSON(animation, scene, i);
    const frames = materialize
      ? Array.from({ length: scene.nFrames }, (_, i) => get(i))
      : new LazyArray(scene.nFrames, get);
    return { ...rest, frames };
  });
  return { ...animation, scenes };
}

/** Render a tree node as DOM; children are built the first time a node is expanded. */
export function renderTreeNode(doc, node, expanded = false) {
  const wrap = doc.createElement("div");
  wrap.className = "stickanim-node";
  const row = doc.createElement("div");
  row.className = "stickanim-row";
  const toggle = doc.createElement("span");
  toggle.className = "stickanim-toggle";
  row.appendChild(toggle);
  if (node.key !== null) {
    row.appendChild(textSpan(doc, "stickanim-key", node.key));
    row.appendChild(textSpan(doc, "stickanim-colon", ": "));
  }
  row.appendChild(textSpan(doc, `stickanim-value stickanim-${node.kind}`, node.text));
  wrap.appendChild(row);
  if (!node.expandable) return wrap;

  let children = null;
  const setOpen = (open) => {
    if (open && !children) {
      children = doc.createElement("div");
      children.className = "stickanim-children";
      for (const child of node.children()) children.appendChild(renderTreeNode(doc, child));
      wrap.appendChild(children);
    }
    if (children) children.hidden = !open;
    toggle.textContent = open ? "▾" : "▸";
    wrap.setAttribute("data-open", open ? "true" : "false");
  };
  row.classList.add("stickanim-expandable");
  row.addEventListener("click", () => setOpen(wrap.getAttribute("data-open") !== "true"));
  setOpen(expanded);
  return wrap;
}

function textSpan(doc, className, text) {
  const span = doc.createElement("span");
  span.className = className;
  span.textContent = text;
  return span;
}

// ------------------------------------------------------------------------------------------
// Small view helpers
// ------------------------------------------------------------------------------------------

/** Dropdown entries for the providers list: {value, label, disabled, title}. */
export function providerOptions(providers) {
  return (Array.isArray(providers) ? providers : [])
    .filter((p) => p && typeof p.name === "string")
    .map((p) => ({
      value: p.name,
      label: p.model ? `${p.name} — ${p.model}` : p.name,
      disabled: p.available === false,
      title: p.available === false ? p.reason || "unavailable" : p.model || p.name,
    }));
}

/** A usable animation state, or null (empty widget, or a state that breaks the contract). */
export function normalizeAnimation(animation) {
  if (!animation || typeof animation !== "object") return null;
  const { characters, joints, scenes, stage } = animation;
  if (!Array.isArray(characters) || !Array.isArray(joints) || !Array.isArray(scenes)) return null;
  if (!scenes.length || !characters.length || !stage) return null;
  return animation;
}

/** Everything the draw loop needs for one animation, computed once per animation. */
export function prepareScene(animation, decoded) {
  const stage = {
    width: animation.stage.width || 960,
    height: animation.stage.height || 540,
    ground_y: animation.stage.ground_y ?? 480,
  };
  const { nJoints, perFrame } = frameShape(animation);
  return {
    animation,
    decoded,
    stage,
    characters: animation.characters,
    nJoints,
    perFrame,
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
  return at;
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

/** Name label size in stage units: LABEL_STAGE_PX, grown so it stays readable when scaled down. */
export function labelSize(stageWidth, cssWidth) {
  const cssPerUnit = cssWidth > 0 ? cssWidth / stageWidth : 1;
  return Math.max(LABEL_STAGE_PX, LABEL_MIN_CSS_PX / cssPerUnit);
}

// ------------------------------------------------------------------------------------------
// The static view next to the player
// ------------------------------------------------------------------------------------------
// AnimationWidget._ipython_display_ publishes two outputs: this player, then a static view
// (<div class="stickanim-static">: title and animated SVG) for viewers without a widget
// manager, a notebook reopened in JupyterLab included (its player says "model not found").
// While the player runs in the same output area, the static view under it says nothing new:
// the player hides that output, and shows it again when the player goes away.

export const STATIC_CLASS = "stickanim-static";
const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";
/** Notebook output containers: JupyterLab and Notebook 7, then the classic Notebook. */
const OUTPUT_LAYOUTS = [
  { area: "jp-OutputArea", child: "jp-OutputArea-child" },
  { area: "output", child: "output_area" },
];
const STATIC_RETRY_FRAMES = 300; // animation frames to wait for `el` to be attached
export const STATIC_WATCH_MS = 5000; // how long to wait for the static output to arrive
const SUPERSEDED = "data-stickanim-superseded";

function hasClass(node, name) {
  return Boolean(node && node.classList && node.classList.contains(name));
}

function childElements(node) {
  return Array.from((node && node.childNodes) || []).filter((c) => c.nodeType === 1);
}

/** `node` or a descendant at most `depth` levels down that passes `test`, else null. */
function findBelow(node, test, depth) {
  if (test(node)) return node;
  if (depth <= 0) return null;
  for (const child of childElements(node)) {
    const hit = findBelow(child, test, depth - 1);
    if (hit) return hit;
  }
  return null;
}

const isStaticView = (node) => hasClass(node, STATIC_CLASS);
const isPlayer = (node) =>
  hasClass(node, "stickanim") || Boolean(node.getAttribute && node.getAttribute("data-mime-type") === WIDGET_VIEW_MIME);

/** The notebook output holding `el` and its output area, {area, child}; null outside one (or detached). */
export function outputSlot(el) {
  for (let node = el; node; node = node.parentNode) {
    for (const layout of OUTPUT_LAYOUTS) {
      if (hasClass(node, layout.child) && hasClass(node.parentNode, layout.area)) {
        return { area: node.parentNode, child: node };
      }
    }
  }
  return null;
}

/**
 * The static view published with the player in `slot`: the first later output of the same
 * area that holds one, unless another player's output comes first. Returns {output, settled}:
 * `output` when found; `settled` when it is found or can no longer arrive.
 */
export function staticOutputAfter(slot) {
  const outputs = childElements(slot.area);
  const start = outputs.indexOf(slot.child);
  if (start < 0) return { output: null, settled: true };
  for (const output of outputs.slice(start + 1)) {
    if (findBelow(output, isStaticView, 3)) return { output, settled: true };
    if (findBelow(output, isPlayer, 6)) return { output: null, settled: true };
  }
  return { output: null, settled: false };
}

/**
 * Hide the static view of the player rendered in `el` once both are in a notebook output area.
 * anywidget may render before `el` is attached: retried on animation frames (at most
 * `frames`; `check()` tries again later, e.g. when the player scrolls into view). The static
 * output may arrive after the player: the area is watched for at most `watchMs`. Attached
 * outside any notebook output (VS Code, a standalone page), it does nothing. Never throws.
 * `stop()` ends every wait and shows again what it hid.
 */
export function staticViewHider(el, win, { frames = STATIC_RETRY_FRAMES, watchMs = STATIC_WATCH_MS } = {}) {
  let state = "waiting"; // "waiting" for el to be attached -> "watching" the area -> "done"
  let tries = 0;
  let raf = 0;
  let timer = 0;
  let observer = null;
  const hidden = [];

  function settle() {
    state = "done";
    if (raf && win.cancelAnimationFrame) win.cancelAnimationFrame(raf);
    raf = 0;
    if (observer) observer.disconnect();
    observer = null;
    if (timer && win.clearTimeout) win.clearTimeout(timer);
    timer = 0;
  }

  function hide(output) {
    if (!output.style || output.getAttribute(SUPERSEDED) !== null) return;
    hidden.push({ output, display: output.style.display });
    output.setAttribute(SUPERSEDED, "");
    output.style.display = "none"; // not `hidden`: JupyterLab's CSS sets display on outputs
  }

  function scan(slot) {
    const found = staticOutputAfter(slot);
    if (found.output) hide(found.output);
    if (found.settled) settle();
    return found.settled;
  }

  /** Run `fn`; a DOM we do not know ends the whole thing and leaves the static view alone. */
  function guarded(fn) {
    return (...args) => {
      try {
        fn(...args);
      } catch {
        settle();
      }
    };
  }

  const attempt = guarded(() => {
    raf = 0;
    if (state !== "waiting") return;
    const slot = outputSlot(el);
    if (!slot) {
      if (el.isConnected) settle(); // attached, but not in a notebook output: nothing to hide
      else if (tries++ < frames && win.requestAnimationFrame) raf = win.requestAnimationFrame(attempt);
      return; // else idle until check()
    }
    if (scan(slot)) return;
    if (!win.MutationObserver) {
      settle();
      return;
    }
    state = "watching";
    observer = new win.MutationObserver(
      guarded(() => {
        if (state === "watching") scan(slot);
      }),
    );
    // subtree: an output's rendered content may land after its container.
    observer.observe(slot.area, { childList: true, subtree: true });
    if (win.setTimeout) timer = win.setTimeout(settle, watchMs);
  });

  function check() {
    if (raf && win.cancelAnimationFrame) win.cancelAnimationFrame(raf);
    attempt();
  }

  function stop() {
    settle();
    for (const { output, display } of hidden.splice(0)) {
      output.style.display = display;
      output.removeAttribute(SUPERSEDED);
    }
  }

  attempt();
  return {
    check,
    stop,
    get state() {
      return state;
    },
  };
}

// ------------------------------------------------------------------------------------------
// The view
// ------------------------------------------------------------------------------------------

const CSS = `
.stickanim { --sa-fg: var(--jp-ui-font-color0, #1f1f1f); --sa-fg2: var(--jp-ui-font-color2, #6b6b6b);
  --sa-bg: var(--jp-layout-color0, #ffffff); --sa-bg2: var(--jp-layout-color2, #eeeeee);
  --sa-border: var(--jp-border-color1, #bdbdbd); --sa-accent: var(--jp-brand-color1, #1976d2);
  font-family: var(--jp-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  font-size: var(--jp-ui-font-size1, 13px); color: var(--sa-fg); background: var(--sa-bg);
  max-width: 722px; padding: 4px 0; line-height: 1.4; }
.stickanim *, .stickanim *::before, .stickanim *::after { box-sizing: border-box; }
.stickanim [hidden] { display: none !important; }
.stickanim-header { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin-bottom: 6px; }
.stickanim-title { flex: 1 1 12em; min-width: 0; font-size: 1.15em; font-weight: 600; overflow-wrap: anywhere; }
.stickanim-status { display: inline-flex; align-items: center; gap: 6px; color: var(--sa-fg2); }
.stickanim-spinner { width: 12px; height: 12px; border-radius: 50%; border: 2px solid var(--sa-border);
  border-top-color: var(--sa-accent); animation: stickanim-spin 0.8s linear infinite; }
@keyframes stickanim-spin { to { transform: rotate(360deg); } }
.stickanim select, .stickanim button { font: inherit; color: var(--sa-fg); background: var(--sa-bg);
  border: 1px solid var(--sa-border); border-radius: 4px; }
.stickanim select { padding: 2px 4px; max-width: 100%; }
.stickanim-provider { max-width: 22em; }
.stickanim button { display: inline-flex; align-items: center; justify-content: center;
  min-width: 28px; height: 26px; padding: 0 6px; cursor: pointer; }
.stickanim button:hover { background: var(--sa-bg2); }
.stickanim button:focus-visible, .stickanim select:focus-visible, .stickanim-canvas:focus-visible {
  outline: 2px solid var(--sa-accent); outline-offset: 1px; }
.stickanim button svg { width: 14px; height: 14px; fill: currentColor; }
.stickanim-error { display: flex; align-items: flex-start; gap: 8px; margin: 0 0 6px; padding: 6px 8px;
  border-left: 4px solid var(--jp-error-color1, #d32f2f); background: var(--jp-error-color3, #fdecea);
  color: var(--jp-error-color0, #b71c1c); overflow-wrap: anywhere; }
.stickanim-error-text { flex: 1 1 auto; white-space: pre-wrap; }
.stickanim-error button { min-width: 22px; height: 22px; border: none; background: transparent; color: inherit; }
.stickanim-stage { width: 100%; }
.stickanim-canvas { display: block; border: 1px solid var(--jp-border-color2, #e0e0e0); border-radius: 4px; }
.stickanim-caption { min-height: 1.4em; margin: 4px 0; color: var(--jp-ui-font-color1, #424242); }
.stickanim-scene { color: var(--sa-fg2); margin-right: 6px; font-variant-numeric: tabular-nums; }
.stickanim-controls { display: flex; align-items: center; gap: 4px; flex-wrap: wrap; }
.stickanim-scrub { flex: 1 1 140px; min-width: 100px; margin: 0 4px; accent-color: var(--sa-accent); }
.stickanim-readout { font-family: var(--jp-code-font-family, ui-monospace, monospace); font-size: 12px;
  color: var(--sa-fg2); white-space: nowrap; font-variant-numeric: tabular-nums; }
.stickanim-readout + .stickanim-readout { margin: 0 4px 0 6px; }
.stickanim-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 2px; }
.stickanim-legend-item { display: inline-flex; align-items: center; gap: 6px; }
.stickanim-swatch { width: 12px; height: 12px; border-radius: 50%; flex: none; }
.stickanim-inspector { margin-top: 6px; border-top: 1px solid var(--jp-border-color2, #e0e0e0); padding-top: 4px; }
.stickanim-inspector > summary { cursor: pointer; color: var(--sa-fg2); user-select: none; }
.stickanim-section { margin: 6px 0; }
.stickanim-raw > summary { cursor: pointer; font-weight: 600; user-select: none; }
.stickanim-raw-text { font-family: var(--jp-code-font-family, ui-monospace, monospace); font-size: 12px;
  max-height: 360px; overflow: auto; margin: 4px 0; padding: 4px 6px; white-space: pre-wrap;
  overflow-wrap: anywhere; background: var(--sa-bg2); border-radius: 4px; }
.stickanim-section-head { display: flex; align-items: center; gap: 8px; font-weight: 600; }
.stickanim-copied { font-weight: normal; color: var(--sa-fg2); }
.stickanim-tree { font-family: var(--jp-code-font-family, ui-monospace, monospace); font-size: 12px;
  max-height: 360px; overflow: auto; padding: 4px 0; }
.stickanim-row { white-space: pre; }
.stickanim-row.stickanim-expandable { cursor: pointer; }
.stickanim-row.stickanim-expandable:hover { background: var(--sa-bg2); }
.stickanim-toggle { display: inline-block; width: 1.1em; color: var(--sa-fg2); }
.stickanim-children { padding-left: 1.1em; margin-left: 0.45em; border-left: 1px dotted var(--sa-border); }
.stickanim-key { color: var(--jp-mirror-editor-attribute-color, #00478f); }
.stickanim-string { color: var(--jp-mirror-editor-string-color, #a31515); }
.stickanim-number { color: var(--jp-mirror-editor-number-color, #098658); }
.stickanim-boolean, .stickanim-null { color: var(--jp-mirror-editor-keyword-color, #7928a1); }
.stickanim-object, .stickanim-array, .stickanim-range { color: var(--sa-fg2); }
`;

const ICONS = {
  first: ["M2 3h2v10H2z", "M14 3 5 8l9 5z"],
  prev: ["M11 2.5 4.5 8l6.5 5.5v-2.3L7.2 8 11 4.8z"],
  play: ["M4 2.5v11L14 8z"],
  pause: ["M3.5 2.5h3v11h-3z", "M9.5 2.5h3v11h-3z"],
  next: ["M5 2.5 11.5 8 5 13.5v-2.3L8.8 8 5 4.8z"],
  last: ["M2 3l9 5-9 5z", "M12 3h2v10h-2z"],
  close: ["M3.5 4.9 4.9 3.5 8 6.6l3.1-3.1 1.4 1.4L9.4 8l3.1 3.1-1.4 1.4L8 9.4l-3.1 3.1-1.4-1.4L6.6 8z"],
};

function h(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function icon(doc, name) {
  const NS = "http://www.w3.org/2000/svg";
  const svg = doc.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("aria-hidden", "true");
  for (const d of ICONS[name]) {
    const path = doc.createElementNS(NS, "path");
    path.setAttribute("d", d);
    svg.appendChild(path);
  }
  return svg;
}

function iconButton(doc, name, label) {
  const button = h(doc, "button", `stickanim-${name}`);
  button.type = "button";
  button.title = label;
  button.setAttribute("aria-label", label);
  button.appendChild(icon(doc, name));
  return button;
}

function select(doc, className, label, options) {
  const node = h(doc, "select", className);
  node.title = label;
  node.setAttribute("aria-label", label);
  for (const [value, text] of options) {
    const option = h(doc, "option", "", text);
    option.value = value;
    node.appendChild(option);
  }
  return node;
}

/** Build the widget's DOM; returns the elements the view updates. */
export function buildDom(doc) {
  const root = h(doc, "div", "stickanim");
  const style = h(doc, "style");
  style.textContent = CSS;

  const header = h(doc, "div", "stickanim-header");
  const title = h(doc, "div", "stickanim-title");
  const status = h(doc, "span", "stickanim-status");
  status.setAttribute("role", "status");
  const spinner = h(doc, "span", "stickanim-spinner");
  const progress = h(doc, "span", "stickanim-progress");
  status.append(spinner, progress);
  const provider = h(doc, "select", "stickanim-provider");
  provider.title = "Provider: choose one to regenerate this story";
  provider.setAttribute("aria-label", "Provider");
  header.append(title, status, provider);

  const error = h(doc, "div", "stickanim-error");
  error.setAttribute("role", "alert");
  const errorText = h(doc, "span", "stickanim-error-text");
  const errorClose = iconButton(doc, "close", "Dismiss");
  errorClose.className = "stickanim-error-close";
  error.append(errorText, errorClose);

  const stage = h(doc, "div", "stickanim-stage");
  const canvas = h(doc, "canvas", "stickanim-canvas");
  canvas.setAttribute("role", "img");
  canvas.tabIndex = 0;
  stage.appendChild(canvas);

  const caption = h(doc, "div", "stickanim-caption");
  const sceneLabel = h(doc, "span", "stickanim-scene");
  const captionText = h(doc, "span", "stickanim-caption-text");
  caption.append(sceneLabel, captionText);

  const controls = h(doc, "div", "stickanim-controls");
  const buttons = {
    first: iconButton(doc, "first", "First frame"),
    prev: iconButton(doc, "prev", "Previous frame"),
    play: iconButton(doc, "play", "Play"),
    next: iconButton(doc, "next", "Next frame"),
    last: iconButton(doc, "last", "Last frame"),
  };
  const scrub = h(doc, "input", "stickanim-scrub");
  scrub.type = "range";
  scrub.min = "0";
  scrub.step = "any";
  scrub.setAttribute("aria-label", "Time");
  const time = h(doc, "span", "stickanim-readout stickanim-time");
  const frame = h(doc, "span", "stickanim-readout stickanim-frame");
  const speed = select(
    doc,
    "stickanim-speed",
    "Speed",
    SPEEDS.map((s) => [String(s), `${s}×`]),
  );
  const mode = select(
    doc,
    "stickanim-mode",
    "Repeat",
    MODES.map((m) => [m, m]),
  );
  controls.append(buttons.first, buttons.prev, buttons.play, buttons.next, buttons.last, scrub, time, frame, speed, mode);

  const legend = h(doc, "div", "stickanim-legend");

  const inspector = h(doc, "details", "stickanim-inspector");
  const summary = h(doc, "summary", "", "JSON inspector");
  const inspectorBody = h(doc, "div", "stickanim-inspector-body");
  // A failed regeneration's raw LLM answer: plain text in a <pre>, never parsed as markup.
  const raw = h(doc, "details", "stickanim-section stickanim-raw");
  raw.hidden = true;
  const rawText = h(doc, "pre", "stickanim-raw-text");
  raw.append(h(doc, "summary", "", "Raw LLM answer"), rawText);
  inspector.append(summary, inspectorBody, raw);

  root.append(style, header, error, stage, caption, controls, legend, inspector);
  return {
    root, title, status, spinner, progress, provider, error, errorText, errorClose, stage, canvas,
    sceneLabel, captionText, buttons, scrub, time, frame, speed, mode, legend, inspector, inspectorBody,
    raw, rawText,
  };
}

function fillLegend(doc, legend, characters) {
  legend.replaceChildren(
    ...characters.map((c) => {
      const item = h(doc, "span", "stickanim-legend-item");
      const swatch = h(doc, "span", "stickanim-swatch");
      swatch.style.background = safeColor(c.color);
      item.append(swatch, h(doc, "span", "stickanim-legend-name", c.name));
      return item;
    }),
  );
}

function fillProviders(doc, node, providers, chosen) {
  const options = providerOptions(providers);
  node.replaceChildren(
    ...options.map((o) => {
      const option = h(doc, "option", "", o.label);
      option.value = o.value;
      option.disabled = o.disabled;
      option.title = o.title;
      return option;
    }),
  );
  node.hidden = options.length === 0;
  if (options.some((o) => o.value === chosen)) node.value = chosen;
}

/** Put text on the clipboard, falling back to a hidden textarea where the API is missing. */
async function copyText(doc, win, text) {
  const clipboard = win.navigator && win.navigator.clipboard;
  if (clipboard && clipboard.writeText) {
    try {
      await clipboard.writeText(text);
      return true;
    } catch {
      // fall through: insecure context or permission denied
    }
  }
  const area = doc.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  doc.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = doc.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/**
 * The player. Owns one animation at a time; a new one replaces it only once it decodes, so
 * an error or a half-arrived update never blanks what is drawn.
 */
function createView(model, el) {
  const doc = el.ownerDocument || globalThis.document;
  const win = doc.defaultView || globalThis;
  const dom = buildDom(doc);
  const cleanups = [];
  let statics = null; // staticViewHider(), from start()
  const listen = (target, type, fn, options) => {
    target.addEventListener(type, fn, options);
    cleanups.push(() => target.removeEventListener(type, fn, options));
  };
  const state = {
    scene: null, // prepareScene() result
    t: 0,
    dir: 1,
    speed: 1,
    mode: MODES.includes(model.get("loop_mode")) ? model.get("loop_mode") : "loop",
    playing: false,
    last: null, // rAF timestamp of the previous tick while playing
    raf: 0,
    visible: true,
    size: null,
    colors: themeColors(null),
    themed: false, // colors read from the page's CSS since the root was attached
    inspectorBuilt: false,
    errorDismissed: false,
    frameIndex: -1,
  };
  dom.mode.value = state.mode;
  dom.speed.value = "1";

  // --- drawing ---------------------------------------------------------------------------
  const ctx = dom.canvas.getContext ? dom.canvas.getContext("2d") : null;

  function refreshTheme() {
    state.colors = themeColors(win.getComputedStyle ? win.getComputedStyle(dom.root) : null);
    requestDraw();
  }

  function resize() {
    const stage = state.scene ? state.scene.stage : { width: 960, height: 540 };
    const width = dom.stage.clientWidth || el.clientWidth || 640;
    const maxHeight = win.innerHeight ? win.innerHeight * 0.7 : 0;
    const dpr = win.devicePixelRatio || 1;
    const fit = { ...fitStage(Math.min(width - 2, MAX_CSS_WIDTH), maxHeight, stage.width, stage.height, dpr), dpr };
    const old = state.size;
    if (old && old.pixelWidth === fit.pixelWidth && old.cssWidth === fit.cssWidth && old.scale === fit.scale) return false;
    state.size = fit;
    dom.canvas.width = fit.pixelWidth;
    dom.canvas.height = fit.pixelHeight;
    dom.canvas.style.width = `${fit.cssWidth}px`;
    dom.canvas.style.height = `${fit.cssHeight}px`;
    return true;
  }

  function onResize() {
    if (resize()) requestDraw();
  }

  function draw() {
    if (!ctx) return;
    // anywidget may render before `el` is in the document, where CSS variables do not resolve yet.
    if (!state.themed && dom.root.isConnected) {
      state.themed = true;
      state.colors = themeColors(win.getComputedStyle(dom.root));
    }
    // Refit lazily: the stage may have changed, or the window moved to another screen.
    if (!state.size || state.size.dpr !== (win.devicePixelRatio || 1)) resize();
    const scene = state.scene;
    if (!scene) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = state.colors.background;
      ctx.fillRect(0, 0, dom.canvas.width, dom.canvas.height);
      return;
    }
    const at = poseAtTime(scene, state.t);
    drawPose(ctx, scene, scene.coords, state.size.scale, state.colors, labelSize(scene.stage.width, state.size.cssWidth));
    updateReadout(at);
  }

  function updateReadout(at) {
    const scene = state.scene;
    const total = scene.timeline.total;
    const frame = nearestFrame(scene.timeline, state.t);
    setText(dom.time, `${formatSeconds(state.t)} / ${formatSeconds(total)} s`);
    setText(dom.frame, `frame ${frame + 1}/${scene.timeline.frameTimes.length}`);
    if (Number(dom.scrub.value) !== state.t) dom.scrub.value = String(state.t);
    const s = scene.decoded[at.index];
    const many = scene.decoded.length > 1;
    setText(dom.sceneLabel, many ? `${at.index + 1}/${scene.decoded.length}` : "");
    dom.sceneLabel.hidden = !many;
    setText(dom.captionText, s.description);
    if (frame !== state.frameIndex) {
      state.frameIndex = frame;
      dom.root.setAttribute("data-frame", String(frame));
    }
    dom.root.setAttribute("data-scene", String(at.index));
    dom.root.setAttribute("data-time", String(Math.round(state.t)));
  }

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  // --- the loop --------------------------------------------------------------------------
  function requestDraw() {
    if (!state.raf && state.visible && win.requestAnimationFrame) state.raf = win.requestAnimationFrame(tick);
  }

  function tick(now) {
    state.raf = 0;
    if (state.playing && state.scene) {
      const dt = state.last === null ? 0 : Math.min(now - state.last, MAX_FRAME_STEP_MS);
      state.last = now;
      const r = advance(state.t, state.dir, dt, state.speed, state.mode, state.scene.timeline.total);
      state.t = r.t;
      state.dir = r.dir;
      if (r.ended) setPlaying(false);
    }
    draw();
    if (state.playing) requestDraw();
  }

  function setPlaying(playing) {
    const can = Boolean(state.scene) && state.scene.timeline.total > 0;
    state.playing = playing && can;
    state.last = null;
    dom.buttons.play.replaceChildren(icon(doc, state.playing ? "pause" : "play"));
    const label = state.playing ? "Pause" : "Play";
    dom.buttons.play.title = label;
    dom.buttons.play.setAttribute("aria-label", label);
    dom.root.setAttribute("data-playing", state.playing ? "true" : "false");
    requestDraw();
  }

  function togglePlay() {
    if (!state.playing && state.mode === "once" && state.scene && state.t >= state.scene.timeline.total - EPS) {
      state.t = 0; // replay from the start
    }
    setPlaying(!state.playing);
  }

  function seek(t) {
    if (!state.scene) return;
    state.t = Math.min(Math.max(t, 0), state.scene.timeline.total);
    state.dir = 1;
    requestDraw();
  }

  function step(delta) {
    if (!state.scene) return;
    setPlaying(false);
    seek(stepTime(state.scene.timeline, state.t, delta));
  }

  // --- model -> view ---------------------------------------------------------------------
  function loadAnimation() {
    const animation = normalizeAnimation(model.get("animation"));
    if (!animation) {
      if (!state.scene) showEmpty();
      return;
    }
    const frames = model.get("frames");
    // One kernel update fires change:animation and change:frames; decode it once.
    if (state.scene && state.scene.animation === animation && state.scene.frames === frames) return;
    let decoded;
    try {
      decoded = decodeFrames(animation, frames);
    } catch (err) {
      // An update that does not decode (e.g. frames not arrived yet) keeps the old animation.
      dom.root.setAttribute("data-decode-error", String(err.message || err));
      return;
    }
    dom.root.removeAttribute("data-decode-error");
    const fresh = !state.scene || state.scene.animation !== animation;
    state.scene = { ...prepareScene(animation, decoded), frames };
    state.size = null; // the stage size may differ
    showAnimation(animation);
    if (fresh) {
      state.t = 0;
      state.dir = 1;
      state.frameIndex = -1;
      setPlaying(state.playing || wantsAutoplay()); // a regenerated story starts playing
    }
    requestDraw();
  }

  function wantsAutoplay() {
    const reduced = win.matchMedia && win.matchMedia("(prefers-reduced-motion: reduce)").matches;
    return model.get("autoplay") !== false && !reduced;
  }

  function showEmpty() {
    dom.title.textContent = "";
    setText(dom.captionText, "No animation yet");
    dom.root.setAttribute("data-title", "");
    dom.root.setAttribute("data-ready", "false");
  }

  function showAnimation(animation) {
    const title = animation.title || "";
    dom.title.textContent = title || "Untitled animation";
    dom.canvas.setAttribute("aria-label", title || "stick-figure animation");
    dom.root.setAttribute("data-title", title);
    dom.root.setAttribute("data-frames", String(state.scene.timeline.frameTimes.length));
    dom.root.setAttribute("data-ready", "true");
    dom.scrub.max = String(state.scene.timeline.total);
    fillLegend(doc, dom.legend, animation.characters);
    state.inspectorBuilt = false;
    if (dom.inspector.open) buildInspector();
  }

  function showStatus() {
    const status = model.get("status") || "idle";
    const running = status === "running";
    dom.root.setAttribute("data-status", status);
    dom.status.hidden = !running;
    dom.progress.textContent = running ? model.get("progress") || "generating…" : "";
    const error = model.get("error") || "";
    dom.errorText.textContent = error;
    dom.error.hidden = !(status === "error" && error) || state.errorDismissed;
  }

  function showRaw() {
    const raw = model.get("raw");
    const text = typeof raw === "string" ? raw : "";
    setText(dom.rawText, text);
    dom.raw.hidden = !text;
    if (!text) dom.raw.open = false;
    dom.root.setAttribute("data-raw", text ? "true" : "false");
  }

  function showProviders() {
    const chosen = model.get("provider") || "";
    fillProviders(doc, dom.provider, model.get("providers"), chosen);
    dom.root.setAttribute("data-provider", chosen);
  }

  // --- inspector -------------------------------------------------------------------------
  function buildInspector() {
    if (state.inspectorBuilt || !state.scene) return;
    state.inspectorBuilt = true;
    const { animation, decoded } = state.scene;
    const view = animationView(animation, decoded);
    const sections = [
      ["Animation", view, () => JSON.stringify(animationView(animation, decoded, true))],
      ["Script", animation.script ?? null, () => JSON.stringify(animation.script ?? null, null, 2)],
    ];
    dom.inspectorBody.replaceChildren(...sections.map(([name, value, json]) => section(name, value, json)));
  }

  function section(name, value, json) {
    const wrap = h(doc, "div", `stickanim-section stickanim-section-${name.toLowerCase()}`);
    const head = h(doc, "div", "stickanim-section-head");
    const copy = h(doc, "button", "stickanim-copy", "Copy JSON");
    copy.type = "button";
    copy.setAttribute("data-what", name.toLowerCase());
    const note = h(doc, "span", "stickanim-copied");
    copy.addEventListener("click", async () => {
      const ok = await copyText(doc, win, json());
      note.textContent = ok ? "copied" : "copy failed";
    });
    head.append(h(doc, "span", "", name), copy, note);
    const tree = h(doc, "div", "stickanim-tree");
    const node = treeNode(null, value);
    tree.appendChild(renderTreeNode(doc, node, true));
    wrap.append(head, tree);
    return wrap;
  }

  // --- wiring ----------------------------------------------------------------------------
  function bindControls() {
    listen(dom.buttons.play, "click", togglePlay);
    listen(dom.buttons.first, "click", () => {
      setPlaying(false);
      seek(0);
    });
    listen(dom.buttons.last, "click", () => {
      setPlaying(false);
      seek(state.scene ? state.scene.timeline.total : 0);
    });
    listen(dom.buttons.prev, "click", () => step(-1));
    listen(dom.buttons.next, "click", () => step(1));
    listen(dom.scrub, "input", () => {
      setPlaying(false);
      seek(Number(dom.scrub.value));
    });
    listen(dom.speed, "change", () => {
      state.speed = Number(dom.speed.value) || 1;
    });
    listen(dom.mode, "change", () => {
      state.mode = dom.mode.value;
      state.dir = 1;
    });
    listen(dom.canvas, "click", togglePlay);
    listen(dom.canvas, "keydown", onKey);
    listen(dom.provider, "change", chooseProvider);
    listen(dom.errorClose, "click", () => {
      state.errorDismissed = true;
      dom.error.hidden = true;
    });
    listen(dom.inspector, "toggle", () => {
      if (dom.inspector.open) buildInspector();
    });
  }

  function onKey(event) {
    const actions = { " ": togglePlay, ArrowLeft: () => step(-1), ArrowRight: () => step(1) };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation(); // keep Jupyter's command-mode shortcuts out of it
    action();
  }

  function chooseProvider() {
    const provider = dom.provider.value;
    model.set("provider", provider);
    model.save_changes();
    model.send({ type: "regenerate", provider });
  }

  function bindModel() {
    const handlers = {
      "change:animation": loadAnimation,
      "change:frames": loadAnimation,
      "change:status": () => {
        state.errorDismissed = false;
        showStatus();
      },
      "change:progress": showStatus,
      "change:error": () => {
        state.errorDismissed = false;
        showStatus();
      },
      "change:raw": showRaw,
      "change:providers": showProviders,
      "change:provider": showProviders,
    };
    for (const [event, fn] of Object.entries(handlers)) {
      model.on(event, fn);
      cleanups.push(() => model.off(event, fn));
    }
  }

  function observe() {
    if (win.ResizeObserver) {
      const ro = new win.ResizeObserver(onResize);
      ro.observe(dom.stage);
      cleanups.push(() => ro.disconnect());
    }
    if (win.IntersectionObserver) {
      // Off-screen players skip their frames; a notebook of many widgets stays cheap.
      const io = new win.IntersectionObserver((entries) => {
        state.visible = entries.some((e) => e.isIntersecting);
        state.last = null;
        if (state.visible) {
          requestDraw();
          statics.check(); // on screen, so attached: a lazily attached output is found now
        }
      });
      io.observe(dom.root);
      cleanups.push(() => io.disconnect());
    }
    if (win.MutationObserver && doc.body) {
      // JupyterLab switches theme by changing attributes on <body>.
      const mo = new win.MutationObserver(refreshTheme);
      mo.observe(doc.body, { attributes: true, attributeFilter: ["data-jp-theme-light", "data-jp-theme-name", "class"] });
      cleanups.push(() => mo.disconnect());
    }
    if (win.matchMedia) {
      const mq = win.matchMedia("(prefers-color-scheme: dark)");
      if (mq && mq.addEventListener) listen(mq, "change", refreshTheme);
    }
  }

  function start() {
    el.appendChild(dom.root);
    statics = staticViewHider(el, win);
    cleanups.push(() => statics.stop());
    bindControls();
    bindModel();
    observe();
    showProviders();
    showStatus();
    showRaw();
    loadAnimation();
    refreshTheme();
    setPlaying(wantsAutoplay());
  }

  function destroy() {
    if (state.raf && win.cancelAnimationFrame) win.cancelAnimationFrame(state.raf);
    state.raf = 0;
    state.playing = false;
    for (const undo of cleanups.splice(0)) undo();
    dom.root.remove();
  }

  start();
  return { destroy, dom, state, togglePlay, seek, step, draw };
}

/** The anywidget entry point; `widget` is a named binding so standalone pages can use it. */
const widget = {
  render({ model, el }) {
    const view = createView(model, el);
    return () => view.destroy();
  },
};

export { createView };
export default widget;
