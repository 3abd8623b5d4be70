// The player's styles live in js/widget.css, which anywidget applies as the widget's `_css`
// and the standalone HTML page inlines. A host that applies neither (an older page, another
// embedding of this module) still gets them: once the player is attached, ensureStyles()
// looks for the stylesheet's marker property and, when it is missing, puts a copy of the
// rules in a <style> inside the player (a duplicate, should anywidget's CSS arrive later,
// is harmless: the same rules twice).

import { CSS } from "./css.js";

export const CSS_MARKER = "--stickanim-css"; // set on .stickanim by widget.css

/** True when the page styles `root` with widget.css (read once `root` is attached). */
export function hasStyles(root, win) {
  const style = win.getComputedStyle ? win.getComputedStyle(root) : null;
  return Boolean(style && style.getPropertyValue && style.getPropertyValue(CSS_MARKER).trim());
}

/** Give `root` the player's CSS unless the page already has it; true when it injected them. */
export function ensureStyles(root, win, doc) {
  if (hasStyles(root, win)) return false;
  const style = doc.createElement("style");
  style.className = "stickanim-style";
  style.textContent = CSS;
  root.prepend(style);
  return true;
}
