// The player's controls: buttons, time slider, speed and loop-mode selects, and the keyboard
// on the focused canvas (Space plays/pauses, arrows step a frame, Home/End jump to the ends).

import { icon, setLabel } from "./dom.js";

/** Show the play state on the play/pause button and as data-playing. */
export function showPlaying({ doc, dom }, playing) {
  dom.buttons.play.replaceChildren(icon(doc, playing ? "pause" : "play"));
  setLabel(dom.buttons.play, playing ? "Pause" : "Play");
  dom.root.setAttribute("data-playing", playing ? "true" : "false");
}

/** Keyboard actions on the canvas, by KeyboardEvent.key. */
export function keyActions(playback) {
  return {
    " ": () => playback.togglePlay(),
    ArrowLeft: () => playback.step(-1),
    ArrowRight: () => playback.step(1),
    Home: () => playback.jump(false),
    End: () => playback.jump(true),
  };
}

/** Wire the controls of a view to its playback. */
export function bindControls({ dom, listen }, playback) {
  const { buttons } = dom;
  dom.mode.value = playback.state.mode;
  dom.speed.value = String(playback.state.speed);
  listen(buttons.play, "click", () => playback.togglePlay());
  listen(buttons.first, "click", () => playback.jump(false));
  listen(buttons.last, "click", () => playback.jump(true));
  listen(buttons.prev, "click", () => playback.step(-1));
  listen(buttons.next, "click", () => playback.step(1));
  listen(dom.scrub, "input", () => {
    playback.setPlaying(false);
    playback.seek(Number(dom.scrub.value));
  });
  listen(dom.speed, "change", () => playback.setSpeed(Number(dom.speed.value) || 1));
  listen(dom.mode, "change", () => playback.setMode(dom.mode.value));
  listen(dom.canvas, "click", () => playback.togglePlay());
  const actions = keyActions(playback);
  listen(dom.canvas, "keydown", (event) => {
    const action = Object.hasOwn(actions, event.key) ? actions[event.key] : null;
    if (!action) return;
    event.preventDefault();
    event.stopPropagation(); // keep Jupyter's command-mode shortcuts out of it
    action();
  });
}
