// Time: the global timeline of an animation's scenes, frame lookup, interpolation and the
// playback clock (once / loop / reflect). Pure functions; times are in milliseconds.

export const SPEEDS = [0.25, 0.5, 1, 1.5, 2];
export const MODES = ["once", "loop", "reflect"];
export const EPS = 1e-6;

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
