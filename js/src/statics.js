// Hiding the static view published next to a live player.
//
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
