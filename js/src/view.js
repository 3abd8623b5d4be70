// The view: one player in one output. It builds the DOM, composes the parts (renderer,
// playback, controls, status bar, provider dropdown, inspector, static-view hider), loads
// the model's animation into them and undoes everything on destroy.

import { bindControls, showPlaying } from "./controls.js";
import { setShownAttribute, setText } from "./dom.js";
import { buildDom, fillLegend, notesLine } from "./elements.js";
import { decodeFrames } from "./frames.js";
import { createInspector } from "./inspector.js";
import { createPlayback } from "./playback.js";
import { createProviderDropdown } from "./providers.js";
import { createRenderer } from "./render.js";
import { normalizeAnimation, prepareScene } from "./scene.js";
import { staticViewHider } from "./statics.js";
import { createStatusBar } from "./status.js";
import { ensureStyles } from "./styles.js";
import { cleanText } from "./text.js";
import { MODES } from "./timeline.js";

/**
 * The player. Owns one animation at a time; a new one replaces it only once it decodes, so
 * an error or a half-arrived update never blanks what is drawn.
 */
export function createView(model, el) {
  const ctx = viewContext(model, el);
  const view = { ctx, scene: null, attached: false, statics: null };
  view.renderer = createRenderer(ctx);
  const mode = MODES.includes(model.get("loop_mode")) ? model.get("loop_mode") : "loop";
  view.playback = createPlayback(ctx, {
    render: (scene, t) => render(view, scene, t),
    onPlaying: (playing) => showPlaying(ctx, playing),
    mode,
  });
  view.status = createStatusBar(ctx);
  view.providers = createProviderDropdown(ctx);
  view.inspector = createInspector(ctx);
  start(view);
  const { playback } = view;
  return {
    destroy: () => destroy(view),
    dom: ctx.dom,
    state: playback.state,
    togglePlay: playback.togglePlay,
    seek: playback.seek,
    step: playback.step,
    draw: () => render(view, view.scene, playback.state.t),
  };
}

/** What every part of a view shares: the model, the DOM and the undo list. */
function viewContext(model, el) {
  const doc = el.ownerDocument || globalThis.document;
  const win = doc.defaultView || globalThis;
  const cleanups = [];
  return {
    model,
    el,
    doc,
    win,
    dom: buildDom(doc),
    cleanups,
    listen(target, type, fn, options) {
      target.addEventListener(type, fn, options);
      cleanups.push(() => target.removeEventListener(type, fn, options));
    },
    onModel(event, fn) {
      model.on(event, fn);
      cleanups.push(() => model.off(event, fn));
    },
  };
}

function start(view) {
  const { ctx, playback } = view;
  ctx.el.appendChild(ctx.dom.root);
  view.statics = staticViewHider(ctx.el, ctx.win);
  ctx.cleanups.push(() => view.statics.stop());
  bindControls(ctx, playback);
  ctx.onModel("change:animation", () => loadAnimation(view));
  ctx.onModel("change:frames", () => loadAnimation(view));
  observe(view);
  view.providers.show();
  view.status.show();
  view.inspector.showRaw();
  loadAnimation(view);
  refreshTheme(view);
  playback.setPlaying(wantsAutoplay(ctx));
}

function destroy(view) {
  view.playback.stop();
  for (const undo of view.ctx.cleanups.splice(0)) undo();
  view.ctx.dom.root.remove();
}

/** One frame. The first one drawn attached also reads the page's theme and styles. */
function render(view, scene, t) {
  const { dom, win, doc } = view.ctx;
  // anywidget may render before `el` is in the document, where CSS does not resolve yet.
  if (!view.attached && dom.root.isConnected) {
    view.attached = true;
    view.renderer.readTheme();
    ensureStyles(dom.root, win, doc);
  }
  view.renderer.draw(scene, t);
}

function refreshTheme(view) {
  view.renderer.readTheme();
  view.playback.requestDraw();
}

function wantsAutoplay({ model, win }) {
  const reduced = win.matchMedia && win.matchMedia("(prefers-reduced-motion: reduce)").matches;
  return model.get("autoplay") !== false && !reduced;
}

// --- model -> view ---------------------------------------------------------------------------
function loadAnimation(view) {
  const { model, dom } = view.ctx;
  const animation = normalizeAnimation(model.get("animation"));
  if (!animation) {
    if (!view.scene) showEmpty(dom);
    return;
  }
  const frames = model.get("frames");
  // One kernel update fires change:animation and change:frames; decode it once.
  if (view.scene && view.scene.animation === animation && view.scene.frames === frames) return;
  let decoded;
  try {
    decoded = decodeFrames(animation, frames);
  } catch (err) {
    // An update that does not decode (e.g. frames not arrived yet) keeps the old animation.
    dom.root.setAttribute("data-decode-error", String(err.message || err));
    return;
  }
  dom.root.removeAttribute("data-decode-error");
  const fresh = !view.scene || view.scene.animation !== animation;
  view.scene = { ...prepareScene(animation, decoded), frames };
  view.renderer.invalidateSize(); // the stage size may differ
  showAnimation(view);
  if (fresh) view.renderer.resetFrame();
  view.playback.load(view.scene, fresh, fresh && wantsAutoplay(view.ctx)); // a regenerated story starts playing
}

function showEmpty(dom) {
  setText(dom.title, "");
  setText(dom.captionText, "No animation yet");
  dom.root.setAttribute("data-title", "");
  dom.root.setAttribute("data-ready", "false");
}

function showAnimation(view) {
  const { doc, dom } = view.ctx;
  const { animation, timeline } = view.scene;
  const title = cleanText(animation.title || "");
  setText(dom.title, title || "Untitled animation");
  setShownAttribute(dom.canvas, "aria-label", title || "stick-figure animation");
  dom.root.setAttribute("data-title", title);
  dom.root.setAttribute("data-frames", String(timeline.frameTimes.length));
  dom.root.setAttribute("data-ready", "true");
  dom.scrub.max = String(timeline.total);
  fillLegend(doc, dom.legend, animation.characters, animation.props);
  const notes = notesLine(animation.meta);
  setText(dom.notes, notes);
  dom.notes.hidden = !notes;
  view.inspector.load(view.scene);
}

// --- the page around the view ------------------------------------------------------------------
function observe(view) {
  const { win, doc, dom, cleanups, listen } = view.ctx;
  if (win.ResizeObserver) {
    const ro = new win.ResizeObserver(() => {
      if (view.renderer.resize(view.scene)) view.playback.requestDraw();
    });
    ro.observe(dom.stage);
    cleanups.push(() => ro.disconnect());
  }
  if (win.IntersectionObserver) {
    // Off-screen players skip their frames; a notebook of many widgets stays cheap.
    const io = new win.IntersectionObserver((entries) => {
      const visible = entries.some((e) => e.isIntersecting);
      view.playback.setVisible(visible);
      if (visible) view.statics.check(); // on screen, so attached: a lazily attached output is found now
    });
    io.observe(dom.root);
    cleanups.push(() => io.disconnect());
  }
  if (win.MutationObserver && doc.body) {
    // JupyterLab switches theme by changing attributes on <body>.
    const mo = new win.MutationObserver(() => refreshTheme(view));
    mo.observe(doc.body, { attributes: true, attributeFilter: ["data-jp-theme-light", "data-jp-theme-name", "class"] });
    cleanups.push(() => mo.disconnect());
  }
  if (win.matchMedia) {
    const mq = win.matchMedia("(prefers-color-scheme: dark)");
    if (mq && mq.addEventListener) listen(mq, "change", () => refreshTheme(view));
  }
}
