// Text on its way to the screen: bidi controls removed, long text cut to a width.

/** Bidi embeddings, overrides, isolates and marks (LRE..RLO, LRI..PDI, LRM, RLM, ALM). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
export const ELLIPSIS = "…";

/**
 * `value` as display text, without bidi control characters: a story or an LLM could
 * otherwise make "\u202Eevil" read "live", or reorder a title, name or error on screen.
 */
export function cleanText(value) {
  return String(value ?? "").replace(BIDI_CONTROLS, "");
}

/** The user-perceived characters of `text` (grapheme clusters where the platform knows them). */
function graphemes(text) {
  if (typeof Intl !== "undefined" && Intl.Segmenter) {
    return Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text), (s) => s.segment);
  }
  return Array.from(text); // code points: never splits a surrogate pair
}

/**
 * `text`, or its longest prefix + "…" with measure(result) <= maxWidth (just "…" when even
 * one character is too wide). `measure` returns a width in the caller's units.
 */
export function fitText(text, maxWidth, measure) {
  if (measure(text) <= maxWidth) return text;
  const chars = graphemes(text);
  let lo = 0; // characters kept
  let hi = chars.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(chars.slice(0, mid).join("") + ELLIPSIS) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join("").trimEnd() + ELLIPSIS;
}
