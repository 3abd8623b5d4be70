// Hiding the static view published after the player (js/src/statics.js), through render().
import assert from "node:assert/strict";
import { test } from "node:test";

import { STATIC_CLASS, STATIC_WATCH_MS, outputSlot, staticOutputAfter, staticViewHider } from "./src/statics.js";
import { fakeDocument } from "./testing/fakes.mjs";
import { mount } from "./testing/fixtures.mjs";

// --------------------------------------------------------------------------------------------
// The static view published after the player: hidden while the player runs next to it
// --------------------------------------------------------------------------------------------
const WIDGET_MIME = "application/vnd.jupyter.widget-view+json";

function div(doc, className, ...children) {
  const node = doc.createElement("div");
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** A JupyterLab / Notebook 7 output: .jp-OutputArea-child > prompt + .jp-OutputArea-output. */
function labOutput(doc, mime, ...content) {
  const output = div(doc, "jp-OutputArea-output", ...content);
  output.setAttribute("data-mime-type", mime);
  return div(doc, "jp-OutputArea-child", div(doc, "jp-OutputPrompt"), output);
}

function labStatic(doc) {
  return labOutput(doc, "text/html", div(doc, STATIC_CLASS, div(doc, "", "Wave")));
}

/** A cell's output area in the page, holding `outputs`. */
function labArea(doc, ...outputs) {
  const area = div(doc, "jp-OutputArea jp-Cell-outputArea", ...outputs);
  doc.body.appendChild(area);
  return area;
}

const isHidden = (node) => node.style.display === "none";
const watching = (win, area) => win.observers.filter((o) => o.connected && o.targets.some((t) => t.target === area));

test("in JupyterLab the player hides the static view published after it, and shows it on cleanup", () => {
  const doc = fakeDocument();
  const el = div(doc, "lm-Widget");
  const before = labStatic(doc); // e.g. widget.static_view() shown on purpose earlier in the cell
  const player = labOutput(doc, WIDGET_MIME, el);
  const after = labStatic(doc);
  const stream = labOutput(doc, "application/vnd.jupyter.stdout", div(doc, "", "printed"));
  const area = labArea(doc, before, player, after, stream);
  assert.deepEqual(outputSlot(el), { area, child: player });

  const { cleanup, win } = mount({}, { doc, el });
  assert.ok(isHidden(after));
  assert.equal(after.getAttribute("data-stickanim-superseded"), "");
  for (const node of [before, player, stream]) assert.ok(!isHidden(node));
  assert.equal(watching(win, area).length, 0); // found at once: nothing left watching
  cleanup();
  assert.ok(!isHidden(after));
  assert.equal(after.getAttribute("data-stickanim-superseded"), null);
});

test("a player rendered before it is attached finds its static view when both arrive", () => {
  const doc = fakeDocument();
  const el = div(doc, "lm-Widget");
  const { cleanup, win, root } = mount({ autoplay: false }, { doc, el }); // anywidget renders detached
  win.flush(0);
  assert.equal(root.getAttribute("data-playing"), "false");
  assert.equal(win.frames.size, 1); // the next try, and nothing else while paused

  const area = labArea(doc, labOutput(doc, WIDGET_MIME, el)); // attached; the static output not yet
  win.flush(16);
  const [observer] = watching(win, area);
  assert.ok(observer, "the output area is watched");
  assert.deepEqual(observer.targets[0].options, { childList: true, subtree: true });
  assert.equal(win.timers.size, 1);
  assert.equal(win.frames.size, 0);

  const later = labOutput(doc, "text/html"); // the output's container lands first...
  area.appendChild(later);
  observer.cb([]);
  assert.ok(!isHidden(later) && observer.connected);
  later.childNodes[1].appendChild(div(doc, STATIC_CLASS)); // ...then its content
  observer.cb([]);
  assert.ok(isHidden(later));
  assert.ok(!observer.connected);
  assert.equal(win.timers.size, 0);
  cleanup();
  assert.ok(!isHidden(later));
});

test("the wait for the static output is bounded and cleanup ends it", () => {
  const doc = fakeDocument();
  const el = div(doc, "lm-Widget");
  const area = labArea(doc, labOutput(doc, WIDGET_MIME, el));
  const first = mount({ autoplay: false }, { doc, el });
  const [observer] = watching(first.win, area);
  assert.equal(first.win.timers.get([...first.win.timers.keys()][0]).ms, STATIC_WATCH_MS);
  first.win.runTimers(); // nothing came in time
  assert.ok(!observer.connected);
  const late = labStatic(doc);
  area.appendChild(late);
  observer.cb([]);
  assert.ok(!isHidden(late));
  first.cleanup();

  const el2 = div(doc, "lm-Widget");
  const area2 = labArea(doc, labOutput(doc, WIDGET_MIME, el2));
  const second = mount({ autoplay: false }, { doc, el: el2 });
  const [observer2] = watching(second.win, area2);
  second.cleanup(); // the cell was cleared while waiting
  assert.ok(!observer2.connected);
  assert.equal(second.win.timers.size, 0);
});

test("the classic Notebook's output layout works too", () => {
  const doc = fakeDocument();
  const el = div(doc, "jupyter-widgets");
  const player = div(doc, "output_area", div(doc, "prompt"), div(doc, "output_subarea jupyter-widgets-view", el));
  const stat = div(doc, "output_area", div(doc, "prompt"), div(doc, "output_subarea output_html rendered_html", div(doc, STATIC_CLASS)));
  const area = div(doc, "output", player, stat);
  doc.body.appendChild(div(doc, "output_wrapper", area));
  const { cleanup } = mount({}, { doc, el });
  assert.ok(isHidden(stat) && !isHidden(player));
  cleanup();
});

test("each player hides only its own static view", () => {
  const doc = fakeDocument();
  const el1 = div(doc, "lm-Widget");
  const el0 = div(doc, "lm-Widget");
  const lone = labOutput(doc, WIDGET_MIME, el0); // a player displayed without a static view
  const p1 = labOutput(doc, WIDGET_MIME, el1);
  const s1 = labStatic(doc);
  const p2 = labOutput(doc, WIDGET_MIME); // not rendered yet
  const s2 = labStatic(doc);
  const area = labArea(doc, lone, p1, s1, p2, s2);
  assert.deepEqual(staticOutputAfter({ area, child: lone }), { output: null, settled: true });
  const a = mount({}, { doc, el: el0 });
  const b = mount({}, { doc, el: el1 });
  assert.ok(isHidden(s1));
  assert.ok(!isHidden(s2), "the second player's static view is its own to hide");
  assert.equal(watching(a.win, area).length + watching(b.win, area).length, 0);
  a.cleanup();
  b.cleanup();
});

test("outside a notebook output nothing is hidden and nothing waits", () => {
  const doc = fakeDocument();
  const stray = div(doc, STATIC_CLASS); // a static view elsewhere on the page
  doc.body.appendChild(stray);
  const { win, cleanup } = mount({ autoplay: false }); // el in <body>, like a standalone page or VS Code
  assert.equal(win.frames.size, 1); // the player's first draw only
  win.flush(0);
  assert.equal(win.frames.size, 0);
  assert.ok(!isHidden(stray));
  assert.equal(win.timers.size, 0);
  cleanup();

  const hider = staticViewHider(doc.body, win);
  assert.equal(hider.state, "done");
  const hostile = { get parentNode() { throw new Error("a DOM we do not know"); }, isConnected: false };
  assert.equal(staticViewHider(hostile, win).state, "done"); // never throws
  assert.equal(staticViewHider(div(doc, ""), {}).state, "waiting"); // no requestAnimationFrame: no retry loop
});

test("a player never attached stops retrying after a bounded number of frames", () => {
  const doc = fakeDocument();
  const { win } = mount({ autoplay: false });
  win.flush(0);
  const el = div(doc, "lm-Widget");
  const hider = staticViewHider(el, win, { frames: 3 });
  for (let i = 0; i < 10; i++) win.flush(i);
  assert.equal(win.frames.size, 0);
  assert.equal(hider.state, "waiting");
  const stat = labStatic(doc);
  labArea(doc, labOutput(doc, WIDGET_MIME, el), stat);
  hider.check(); // e.g. the player scrolled into view
  assert.equal(hider.state, "done");
  assert.ok(isHidden(stat));
  hider.stop();
  assert.ok(!isHidden(stat));
});
