// Playback: the clock of a view. It owns the time, direction, speed, loop mode and play
// state, runs the requestAnimationFrame loop (only while playing or asked to redraw, and
// only while on screen) and calls `render(scene, t)` once per frame.

import { EPS, advance, stepTime } from "./timeline.js";

const MAX_FRAME_STEP_MS = 250; // a background tab must not jump the animation on return

/**
 * `render(scene, t)` draws; `onPlaying(playing)` shows the play state. `state` is exposed for
 * tests and the view; change it through the returned functions.
 */
export function createPlayback({ win }, { render, onPlaying, mode }) {
  const state = { scene: null, t: 0, dir: 1, speed: 1, mode, playing: false, last: null, raf: 0, visible: true };

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
    render(state.scene, state.t);
    if (state.playing) requestDraw();
  }

  function setPlaying(playing) {
    const can = Boolean(state.scene) && state.scene.timeline.total > 0;
    state.playing = playing && can;
    state.last = null;
    onPlaying(state.playing);
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

  /** Pause, then go one frame back (-1) or forward (+1). */
  function step(delta) {
    if (!state.scene) return;
    setPlaying(false);
    seek(stepTime(state.scene.timeline, state.t, delta));
  }

  /** Pause, then go to the first (end = false) or last (end = true) frame. */
  function jump(end) {
    setPlaying(false);
    seek(end && state.scene ? state.scene.timeline.total : 0);
  }

  /** Play `scene`; `restart` (a new animation) rewinds it, and plays it if `autoplay`. */
  function load(scene, restart, autoplay) {
    state.scene = scene;
    if (restart) {
      state.t = 0;
      state.dir = 1;
      setPlaying(state.playing || autoplay);
    }
    requestDraw();
  }

  /** On or off screen: off-screen players skip their frames. */
  function setVisible(visible) {
    state.visible = visible;
    state.last = null;
    if (visible) requestDraw();
  }

  function stop() {
    if (state.raf && win.cancelAnimationFrame) win.cancelAnimationFrame(state.raf);
    state.raf = 0;
    state.playing = false;
  }

  function setSpeed(speed) {
    state.speed = speed;
  }

  function setMode(next) {
    state.mode = next;
    state.dir = 1;
  }

  return { state, requestDraw, setPlaying, togglePlay, seek, step, jump, load, setVisible, setSpeed, setMode, stop };
}
