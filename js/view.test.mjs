// The player: render() of the built js/widget.js against a fake anywidget model and DOM.
import assert from "node:assert/strict";
import { test } from "node:test";

import { providerOptions } from "./src/providers.js";
import { normalizeAnimation } from "./src/scene.js";
import { HOSTILE, makeState, mount } from "./testing/fixtures.mjs";

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
