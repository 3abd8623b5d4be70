// stickanim-jupyter widget: canvas stick-figure player, provider dropdown and JSON inspector.
//
// The entry module of js/src/, built into the single file js/widget.js (node js/build.mjs),
// which anywidget loads as `_esm` and widget.standalone_html() inlines; the styles are
// js/widget.css (anywidget's `_css`). The default export is the anywidget
// `{ render({ model, el }) }` object; the named exports are pure helpers for the unit tests.
//
// Model state (see src/stickanim_jupyter/widget.py):
//   animation  the Animation JSON, each scene's `frames` replaced by `times` + `n_frames`
//   frames     float32 LE, scene > frame > (character > joint > (x, y), then thing > (x, y,
//              angle°)), scenes concatenated
//   story, providers [{name, model, available, reason}], provider, status, progress, error,
//   raw (a failed regeneration's raw LLM answer, shown in the inspector), autoplay, loop_mode
// Choosing a provider sets `provider` and sends {type: "regenerate", provider}.
//
// Security: every string that comes from a story or an LLM reaches the DOM through
// textContent / createTextNode only, cleaned of bidi controls (dom.js, text.js); no module
// assigns innerHTML.

import { createView } from "./view.js";

export { fitStage, labelSize, safeColor, themeColors, drawPose } from "./draw.js";
export {
  BUBBLE_GAP,
  BUBBLE_MARGIN,
  BUBBLE_MAX_EMS,
  BUBBLE_MAX_LINES,
  BUBBLE_SIZE,
  bubbleText,
  bubblesAt,
  canvasMeasure,
  cloudCircles,
  drawBubbles,
  fitLine,
  layoutBubbles,
  speechActive,
  tailTriangle,
  thoughtDots,
  wrapText,
} from "./bubbles.js";
export { buildDom, notesLine, thingsLine } from "./elements.js";
export { decodeFrames, frameShape, toDataView } from "./frames.js";
export { animationView, frameJSON } from "./inspector.js";
export { labelMaxWidth, layoutLabels, MAX_LABEL_EMS } from "./labels.js";
export { providerOptions, shownProvider } from "./providers.js";
export { boneIndices, normalizeAnimation, poseAtTime, prepareScene } from "./scene.js";
export { STATIC_CLASS, STATIC_WATCH_MS, outputSlot, staticOutputAfter, staticViewHider } from "./statics.js";
export { CSS_MARKER, ensureStyles } from "./styles.js";
export { ELLIPSIS, cleanText, fitText } from "./text.js";
export {
  MODES,
  SPEEDS,
  advance,
  bisectRight,
  buildTimeline,
  formatSeconds,
  frameAt,
  interpolatePose,
  nearestFrame,
  sceneAt,
  stepTime,
} from "./timeline.js";
export { FRONT_KINDS, drawPrimitives, drawThings, prepareThings, propPrimitives, shade } from "./things.js";
export { LazyArray, TREE_CHUNK, rangeChildren, renderTreeNode, treeNode } from "./tree.js";
export { createView };

/** The anywidget entry point; `widget` is a named binding so standalone pages can use it. */
const widget = {
  render({ model, el }) {
    const view = createView(model, el);
    return () => view.destroy();
  },
};

export default widget;
