// Display text (js/src/text.js): bidi controls removed, long text cut with an ellipsis.
import assert from "node:assert/strict";
import { test } from "node:test";

import { ELLIPSIS, cleanText, fitText } from "./src/text.js";
import { BIDI } from "./testing/fixtures.mjs";

test("cleanText removes every bidi control and keeps everything else", () => {
  assert.equal(cleanText("\u202Eevil"), "evil");
  for (const c of BIDI) assert.equal(cleanText(`a${c}b${c}`), "ab", `U+${c.codePointAt(0).toString(16)}`);
  const kept = "Zoë 小明 مرحبا 👩‍👩‍👧 <b>x</b>\u200D\u00A0";
  assert.equal(cleanText(kept), kept); // scripts, emoji (ZWJ), markup as text, other spaces
  assert.equal(cleanText(null), "");
  assert.equal(cleanText(undefined), "");
  assert.equal(cleanText(42), "42");
});

const byLength = (text) => Array.from(text).length; // one unit per code point

test("fitText keeps text that fits and cuts the rest with an ellipsis", () => {
  assert.equal(fitText("Alice", 5, byLength), "Alice");
  assert.equal(fitText("Alexandra", 5, byLength), `Alex${ELLIPSIS}`);
  const long = "x".repeat(200);
  const cut = fitText(long, 30, byLength);
  assert.equal(cut, `${"x".repeat(29)}${ELLIPSIS}`);
  assert.equal(fitText("ab", 0, byLength), ELLIPSIS); // nothing fits: the ellipsis alone
  assert.equal(fitText("a    b", 4, byLength), `a${ELLIPSIS}`); // no space before the ellipsis
});

test("fitText never cuts inside a character", () => {
  const family = "👩‍👩‍👧"; // one grapheme, five code points
  const cut = fitText(`${"😀".repeat(10)}${family}`, 4, (t) => t.length); // UTF-16 units
  assert.equal(cut, `😀${ELLIPSIS}`);
  assert.ok(!/[\uD800-\uDBFF]$/.test(cut.slice(0, -1)), "no lone high surrogate");
  const mixed = fitText(`${family}${family}abc`, 12, (t) => t.length);
  assert.equal(mixed, `${family}${ELLIPSIS}`);
});
