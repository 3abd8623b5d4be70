// The player: render() of the built js/widget.js against a fake anywidget model and DOM.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { providerOptions } from "./src/providers.js";
import { normalizeAnimation } from "./src/scene.js";
import { CSS_MARKER } from "./src/styles.js";
import { fakeDocument } from "./testing/fakes.mjs";
import { BIDI, HOSTILE, makeState, mount } from "./testing/fixtures.mjs";

test("providerOptions labels providers and disables unusable ones with the reason", () => {
  const options = providerOptions([
    { name: "local", model: null, available: true, reason: "" },
    { name: "openai", model: "openai/gpt-4o-mini", available: false, reason: "no API key" },
    null,
  ]);
  assert.deepEqual(options, [
    { value: "local", label: "local", disabled: false, title: "local" },
    { value: "openai", label: "openai — openai/gpt-4o-mini", disabled: true, title: "no API key" },
  ]);
  assert.deepEqual(providerOptions(undefined), []);
});

test("normalizeAnimation rejects empty and malformed states", () => {
  assert.equal(normalizeAnimation({}), null);
  assert.equal(normalizeAnimation(null), null);
  assert.equal(normalizeAnimation({ characters: [], joints: [], scenes: [], stage: {} }), null);
  const { animation } = makeState();
  assert.equal(normalizeAnimation(animation), animation);
});

// --------------------------------------------------------------------------------------------
// render() against a fake anywidget model
// --------------------------------------------------------------------------------------------
test("render builds the player with stable classes and data attributes", () => {
  const { root, win, cleanup } = mount();
  for (const cls of [
    "stickanim-canvas",
    "stickanim-provider",
    "stickanim-inspector",
    "stickanim-error",
    "stickanim-title",
    "stickanim-scrub",
    "stickanim-legend",
    "stickanim-caption",
  ]) {
    assert.ok(root.find(cls), cls);
  }
  assert.equal(root.getAttribute("data-title"), HOSTILE);
  assert.equal(root.find("stickanim-title").textContent, HOSTILE);
  assert.equal(root.all((n) => n.tagName === "IMG").length, 0);
  assert.equal(root.getAttribute("data-playing"), "true");
  assert.equal(root.find("stickanim-error").hidden, true);
  assert.equal(root.find("stickanim-legend").textContent, "AliceChar 2");
  const provider = root.find("stickanim-provider");
  assert.equal(provider.childNodes.length, 3);
  assert.equal(provider.childNodes[2].disabled, true);
  assert.equal(provider.childNodes[2].title, "no API key");
  assert.equal(provider.childNodes[1].textContent, "fake — openai/fake");

  // first frame: canvas sized for DPR 2, background from the theme, figures drawn
  win.flush(0);
  const canvas = root.find("stickanim-canvas");
  assert.equal(canvas.width, 1440); // capped at 720 CSS px, at DPR 2
  assert.equal(canvas.style.width, "720px");
  const ctx = canvas.getContext("2d");
  assert.ok(ctx.calls.some(([k, v]) => k === "set:fillStyle" && v === "#111111"));
  assert.equal(ctx.calls.filter(([k]) => k === "arc").length, 2); // one head per character
  assert.ok(ctx.calls.some(([k, v]) => k === "set:strokeStyle" && v === "#E91E63"));
  assert.equal(root.getAttribute("data-frame"), "0");
  cleanup();
});

test("playing advances the frame at display rate; pause freezes it", () => {
  const { root, win, cleanup } = mount();
  win.flush(0);
  win.flush(100);
  win.flush(200);
  win.flush(300);
  assert.equal(root.getAttribute("data-time"), "300");
  assert.equal(root.getAttribute("data-frame"), "1");
  assert.match(root.find("stickanim-time").textContent, /^0\.30 \/ 1\.50 s$/);
  root.find("stickanim-play").dispatch("click");
  assert.equal(root.getAttribute("data-playing"), "false");
  win.flush(400);
  win.flush(900);
  assert.equal(root.getAttribute("data-time"), "300");
  assert.equal(win.frames.size, 0); // no loop runs while paused
  root.find("stickanim-next").dispatch("click");
  win.flush(1000);
  assert.equal(root.getAttribute("data-time"), "500");
  root.find("stickanim-last").dispatch("click");
  win.flush(1100);
  assert.equal(root.getAttribute("data-scene"), "1");
  assert.equal(root.find("stickanim-caption-text").textContent, "scene 2");
  assert.equal(root.find("stickanim-scene").textContent, "2/2");
  root.find("stickanim-first").dispatch("click");
  win.flush(1200);
  assert.equal(root.getAttribute("data-time"), "0");
  cleanup();
});

test("choosing a provider sets it and asks the kernel to regenerate", () => {
  const { root, model, cleanup } = mount();
  const select = root.find("stickanim-provider");
  select.value = "fake";
  select.dispatch("change");
  assert.equal(model.get("provider"), "fake");
  assert.equal(model.saved.length, 1);
  assert.deepEqual(model.sent, [{ type: "regenerate", provider: "fake" }]);
  cleanup();
});

test("status: progress while running, error bar on failure, old animation kept", () => {
  const { root, model, win, cleanup } = mount();
  win.flush(0);
  model.update({ status: "running", progress: "asking fake…" });
  assert.equal(root.getAttribute("data-status"), "running");
  assert.equal(root.find("stickanim-status").hidden, false);
  assert.equal(root.find("stickanim-progress").textContent, "asking fake…");
  model.update({ error: HOSTILE, status: "error", progress: "" });
  const bar = root.find("stickanim-error");
  assert.equal(bar.hidden, false);
  assert.equal(root.find("stickanim-error-text").textContent, HOSTILE);
  assert.equal(root.getAttribute("data-title"), HOSTILE); // still the old animation
  assert.equal(root.getAttribute("data-ready"), "true");
  root.find("stickanim-error-close").dispatch("click");
  assert.equal(bar.hidden, true);
  cleanup();
});

test("a new animation replaces the old one; a mismatched one is ignored", () => {
  const { root, model, cleanup } = mount();
  root.find("stickanim-play").dispatch("click"); // paused by the reader...
  assert.equal(root.getAttribute("data-playing"), "false");
  const next = makeState({ title: "Second", chars: 3 });
  model.update({ animation: next.animation }); // frames not arrived yet
  assert.equal(root.getAttribute("data-title"), HOSTILE);
  assert.ok(root.getAttribute("data-decode-error"));
  model.update({ frames: next.frames });
  assert.equal(root.getAttribute("data-title"), "Second");
  assert.equal(root.getAttribute("data-decode-error"), null);
  assert.equal(root.find("stickanim-legend").childNodes.length, 3);
  assert.equal(root.getAttribute("data-playing"), "true"); // ...a regenerated story plays again
  assert.equal(root.getAttribute("data-time"), null); // from the start, drawn on the next frame
  cleanup();
});

test("autoplay=false keeps a new animation paused", () => {
  const { root, model, win, cleanup } = mount({ autoplay: false });
  assert.equal(root.getAttribute("data-playing"), "false");
  const next = makeState({ title: "Second" });
  model.update({ animation: next.animation, frames: next.frames });
  win.flush(0);
  assert.equal(root.getAttribute("data-playing"), "false");
  assert.equal(root.getAttribute("data-title"), "Second");
  cleanup();
});

test("the inspector is built when opened and shows the title as text", () => {
  const { root, cleanup } = mount();
  const inspector = root.find("stickanim-inspector");
  assert.equal(inspector.find("stickanim-tree"), null);
  inspector.open = true;
  inspector.dispatch("toggle");
  const tree = inspector.find("stickanim-tree");
  assert.ok(tree.textContent.includes(JSON.stringify(HOSTILE)));
  assert.equal(inspector.all((n) => n.tagName === "IMG").length, 0);
  // frames stay collapsed: no frame objects were rendered
  assert.ok(!inspector.textContent.includes("poses"));
  assert.equal(inspector.all((n) => n._classes.has("stickanim-copy")).length, 2);
  cleanup();
});

test("a failed regeneration's raw LLM answer shows in the inspector as text only", () => {
  const { root, model, cleanup } = mount();
  const raw = root.find("stickanim-raw");
  assert.equal(raw.tagName, "DETAILS");
  assert.equal(raw.hidden, true); // nothing to show yet
  assert.equal(root.getAttribute("data-raw"), "false");
  assert.equal(root.find("stickanim-inspector").find("stickanim-raw"), raw);
  const answer = `not a script ${HOSTILE}\n<script>alert(1)</script> {"title": 1}`;
  model.update({ status: "error", error: "fake did not return a valid Script", raw: answer });
  assert.equal(raw.hidden, false);
  assert.equal(raw.open, false); // collapsible, closed until asked
  assert.equal(raw.childNodes[0].textContent, "Raw LLM answer");
  assert.equal(root.find("stickanim-raw-text").textContent, answer);
  assert.equal(root.all((n) => n.tagName === "IMG" || n.tagName === "SCRIPT").length, 0);
  assert.equal(root.getAttribute("data-raw"), "true");
  raw.open = true;
  model.update({ status: "idle", error: "", raw: "" }); // the next regeneration succeeded
  assert.equal(raw.hidden, true);
  assert.equal(raw.open, false);
  assert.equal(root.find("stickanim-raw-text").textContent, "");
  cleanup();
});

test("cleanup stops the loop and removes every listener and observer", () => {
  const { el, root, model, win, cleanup } = mount();
  win.flush(0);
  assert.ok(win.frames.size > 0);
  assert.ok(model.listenerCount() > 0);
  cleanup();
  assert.equal(win.frames.size, 0);
  assert.equal(model.listenerCount(), 0);
  assert.ok(win.observers.length >= 3);
  assert.ok(win.observers.every((o) => !o.connected));
  assert.equal(win.media.listeners.size, 0);
  assert.equal(el.childNodes.length, 0);
  assert.equal(root.listenerCount(), 0);
});

test("an empty widget renders without an animation and without errors", () => {
  const { root, win, cleanup } = mount({ animation: {}, frames: null, providers: [], autoplay: false });
  win.flush(0);
  assert.equal(root.getAttribute("data-ready"), "false");
  assert.equal(root.getAttribute("data-playing"), "false");
  assert.equal(root.find("stickanim-provider").hidden, true);
  assert.equal(root.find("stickanim-caption-text").textContent, "No animation yet");
  cleanup();
});

test("keys on the canvas: Space plays, arrows step, Home and End jump to the first and last frame", () => {
  const { root, win, cleanup } = mount();
  win.flush(0);
  win.flush(300);
  const canvas = root.find("stickanim-canvas");
  let handled = 0;
  const press = (key) =>
    canvas.dispatch("keydown", {
      key,
      preventDefault: () => handled++,
      stopPropagation: () => handled++, // Jupyter's command-mode shortcuts never see it
    });
  press("End");
  win.flush(400);
  assert.equal(handled, 2);
  assert.equal(root.getAttribute("data-playing"), "false");
  assert.equal(root.getAttribute("data-time"), "1500");
  assert.equal(root.getAttribute("data-frame"), "6"); // the last of 7 frame times
  press("ArrowLeft");
  win.flush(500);
  assert.equal(root.getAttribute("data-time"), "1250");
  press("Home");
  win.flush(600);
  assert.equal(root.getAttribute("data-time"), "0");
  assert.equal(root.getAttribute("data-frame"), "0");
  assert.equal(root.getAttribute("data-playing"), "false");
  press("ArrowRight");
  win.flush(700);
  assert.equal(root.getAttribute("data-time"), "250");
  press(" ");
  assert.equal(root.getAttribute("data-playing"), "true");
  handled = 0;
  for (const key of ["a", "Enter", "constructor"]) press(key); // left to the page
  assert.equal(handled, 0);
  cleanup();
});

// --------------------------------------------------------------------------------------------
// Long names and bidi controls
// --------------------------------------------------------------------------------------------
const WIDGET_CSS = readFileSync(new URL("./widget.css", import.meta.url), "utf8");

/** {selector: {property: value}} of a stylesheet's plain rules (enough for ours). */
function cssRules(css) {
  const rules = {};
  for (const [, selectors, body] of css.replace(/\/\*[\s\S]*?\*\//g, "").matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const decls = Object.fromEntries(
      body
        .split(";")
        .map((d) => d.split(":").map((s) => s.trim()))
        .filter(([k, v]) => k && v),
    );
    for (const s of selectors.split(",")) rules[s.trim()] = { ...rules[s.trim()], ...decls };
  }
  return rules;
}

test("a 200-character name is ellipsised in the legend, never wider than the player", () => {
  const long = "W".repeat(200);
  const state = makeState({ title: "Legend" });
  state.animation.characters[1].name = long;
  const { root, cleanup } = mount(state);
  const names = root.all((n) => n._classes.has("stickanim-legend-name"));
  assert.equal(names[1].textContent, long); // whole in the DOM: CSS cuts it to the width there is
  assert.equal(names[1].title, long); // and the tooltip shows it all
  const rules = cssRules(WIDGET_CSS);
  const name = rules[".stickanim-legend-name"];
  assert.deepEqual(
    [name.overflow, name["text-overflow"], name["white-space"], name["min-width"]],
    ["hidden", "ellipsis", "nowrap", "0"],
  );
  const item = rules[".stickanim-legend-item"];
  assert.deepEqual([item["max-width"], item["min-width"]], ["100%", "0"]); // shrinks below its text
  assert.equal(rules[".stickanim-legend"]["flex-wrap"], "wrap");
  for (const text of [".stickanim-title", ".stickanim-caption", ".stickanim-error", ".stickanim-status"]) {
    assert.equal(rules[text]["overflow-wrap"], "anywhere", text); // long words wrap instead
  }
  cleanup();
});

/** Open every collapsed node of an inspector tree. */
function expandAll(node) {
  for (let closed; (closed = node.all((n) => n.getAttribute("data-open") === "false")).length; ) {
    closed[0].childNodes[0].dispatch("click");
  }
}

/** Every text and every title, aria-label and data-title under `root`. */
function shownStrings(root) {
  const out = [];
  root.all((n) => {
    if (n.nodeType === 3) out.push(n.textContent);
    if (typeof n.title === "string") out.push(n.title);
    for (const k of ["title", "aria-label", "data-title"]) if (n.getAttribute(k) !== null) out.push(n.getAttribute(k));
    return false;
  });
  return out;
}

test("bidi controls never reach the screen: title, names, captions, status, providers, inspector", () => {
  const evil = "\u202Eevil";
  const hidden = BIDI.join("x");
  const state = makeState({ title: evil });
  state.animation.characters[0].name = evil;
  state.animation.characters[1].name = hidden;
  state.animation.scenes[0].description = `${evil} ${hidden}`;
  state.animation.script = { title: evil, [hidden]: [hidden] };
  const { root, model, win, cleanup } = mount({
    ...state,
    providers: [{ name: `lo${evil}`, model: hidden, available: false, reason: `no ${evil}` }],
    provider: `lo${evil}`,
  });
  win.flush(0);
  model.update({ status: "running", progress: `asking ${evil}…` });
  assert.equal(root.find("stickanim-progress").textContent, "asking evil…");
  model.update({ status: "error", error: `failed: ${evil}`, raw: `${hidden} ${evil}` });
  const inspector = root.find("stickanim-inspector");
  inspector.open = true;
  inspector.dispatch("toggle");
  expandAll(inspector);

  assert.equal(root.find("stickanim-title").textContent, "evil");
  assert.equal(root.getAttribute("data-title"), "evil");
  assert.equal(root.find("stickanim-canvas").getAttribute("aria-label"), "evil");
  assert.equal(root.find("stickanim-legend").textContent, `evil${"x".repeat(BIDI.length - 1)}`);
  assert.equal(root.find("stickanim-error-text").textContent, "failed: evil");
  assert.ok(root.find("stickanim-raw-text").textContent.endsWith(" evil"));
  assert.ok(inspector.textContent.includes('"evil"'));
  const shown = shownStrings(root);
  assert.ok(shown.some((s) => s.includes("no evil"))); // the unavailable provider's reason
  const drawn = root.find("stickanim-canvas").getContext("2d").calls.filter(([k]) => k === "fillText");
  assert.deepEqual(drawn.slice(0, 2).map(([, text]) => text), ["evil", "x".repeat(BIDI.length - 1)]);
  for (const text of [...shown, ...drawn.map(([, t]) => t)]) {
    for (const c of BIDI) assert.ok(!text.includes(c), `U+${c.codePointAt(0).toString(16)} in ${JSON.stringify(text)}`);
  }
  assert.equal(model.get("provider"), `lo${evil}`); // values are not display text: kept as they are
  assert.equal(root.find("stickanim-provider").childNodes[0].value, `lo${evil}`);
  cleanup();
});

// --------------------------------------------------------------------------------------------
// Styles: widget.css from anywidget's _css (or the page), else injected by the player
// --------------------------------------------------------------------------------------------
const styleNodes = (root) => root.all((n) => n.tagName === "STYLE");

test("the player injects widget.css once attached when the page does not have it", () => {
  const doc = fakeDocument();
  const el = doc.createElement("div"); // rendered detached, as anywidget may
  const { root, win, cleanup } = mount({}, { doc, el });
  win.flush(0);
  assert.equal(styleNodes(root).length, 0); // not attached: cannot tell yet
  doc.body.appendChild(el);
  win.flush(16);
  const [style] = styleNodes(root);
  assert.equal(root.childNodes[0], style);
  assert.equal(style.textContent, WIDGET_CSS);
  win.flush(32);
  assert.equal(styleNodes(root).length, 1);
  cleanup();
});

test("with anywidget's _css applied (its marker on the player) nothing is injected", () => {
  const doc = fakeDocument();
  const pageStyle = doc.defaultView.getComputedStyle;
  doc.defaultView.getComputedStyle = (node) => ({
    getPropertyValue: (name) => (name === CSS_MARKER ? " 1" : pageStyle(node).getPropertyValue(name)),
  });
  const { root, win, cleanup } = mount({}, { doc });
  win.flush(0);
  win.flush(16);
  assert.equal(styleNodes(root).length, 0);
  assert.ok(WIDGET_CSS.includes(`${CSS_MARKER}: 1`)); // the marker is in the stylesheet
  cleanup();
});
