// The JSON inspector's tree and views (js/src/tree.js, inspector.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { decodeFrames } from "./src/frames.js";
import { animationView, frameJSON } from "./src/inspector.js";
import { LazyArray, TREE_CHUNK, rangeChildren, renderTreeNode, treeNode } from "./src/tree.js";
import { fakeDocument } from "./testing/fakes.mjs";
import { HOSTILE, makeState } from "./testing/fixtures.mjs";

// --------------------------------------------------------------------------------------------
// Inspector
// --------------------------------------------------------------------------------------------
test("treeNode summarises containers and quotes strings", () => {
  const node = treeNode(null, { title: "Hi", n: 3, ok: true, none: null, list: [1, 2] });
  assert.equal(node.kind, "object");
  assert.equal(node.text, "{5}");
  const kids = Object.fromEntries(node.children().map((c) => [c.key, c]));
  assert.equal(kids.title.text, '"Hi"');
  assert.equal(kids.n.text, "3");
  assert.equal(kids.ok.text, "true");
  assert.equal(kids.none.text, "null");
  assert.equal(kids.list.text, "[2]");
  assert.equal(treeNode("e", []).expandable, false);
  assert.ok(treeNode("s", "x".repeat(1000)).text.length < 500);
});

test("long arrays become nested ranges and lazy items are computed only when opened", () => {
  let calls = 0;
  const lazy = new LazyArray(250, (i) => {
    calls++;
    return { i };
  });
  const node = treeNode("frames", lazy);
  assert.equal(node.text, "[250]");
  assert.equal(calls, 0);
  const ranges = node.children();
  assert.deepEqual(
    ranges.map((r) => r.key),
    ["[0…99]", "[100…199]", "[200…249]"],
  );
  assert.equal(calls, 0);
  assert.equal(ranges[2].children().length, 50);
  assert.equal(calls, 50);
  const huge = rangeChildren((i) => i, 0, 25_000);
  assert.equal(huge.length, 3); // ranges of TREE_CHUNK^2 items
  assert.equal(huge[0].count, TREE_CHUNK * TREE_CHUNK);
  assert.equal(huge[0].children().length, TREE_CHUNK);
});

test("the inspector DOM holds hostile strings as text, never as markup", () => {
  const doc = fakeDocument();
  const node = treeNode(null, { title: HOSTILE, nested: { [HOSTILE]: [HOSTILE] } });
  const dom = renderTreeNode(doc, node, true);
  assert.equal(dom.all((n) => n.tagName === "IMG").length, 0);
  assert.ok(dom.textContent.includes(JSON.stringify(HOSTILE)));
  // children of a collapsed node are not built until it opens
  const nested = dom.all((n) => n.getAttribute("data-open") === "false")[0];
  assert.equal(nested.find("stickanim-children"), null);
  nested.childNodes[0].dispatch("click");
  assert.equal(nested.getAttribute("data-open"), "true");
  const children = nested.find("stickanim-children");
  assert.ok(children.textContent.includes(HOSTILE)); // the hostile key, as text
  nested.childNodes[0].dispatch("click");
  assert.equal(children.hidden, true);
});

test("animationView restores the contract's frames lazily; frameJSON rounds", () => {
  const { animation, frames } = makeState();
  const decoded = decodeFrames(animation, frames);
  const lazy = animationView(animation, decoded);
  assert.ok(lazy.scenes[0].frames instanceof LazyArray);
  assert.equal(lazy.scenes[0].times, undefined);
  const full = animationView(animation, decoded, true);
  assert.equal(full.scenes[0].frames.length, 5);
  assert.deepEqual(full.scenes[0].frames[2].poses.char_2.pelvis, [120, 240]);
  assert.equal(frameJSON(animation, decoded[0], 4).t, 1000);
});
