// The provider dropdown after a failed switch: it names the provider of the animation shown.
import assert from "node:assert/strict";
import { test } from "node:test";

import { shownProvider } from "./src/providers.js";
import { fakeModel } from "./testing/fakes.mjs";
import { mount } from "./testing/fixtures.mjs";

test("shownProvider: the chosen provider, or after a failure the animation's", () => {
  const model = fakeModel({ provider: "fake", status: "running", animation: { meta: { provider: "local" } } });
  assert.equal(shownProvider(model), "fake");
  model.set("status", "error");
  assert.equal(shownProvider(model), "local");
  model.set("animation", {}); // nothing shown yet (a first generation failed): the chosen one stays
  assert.equal(shownProvider(model), "fake");
  model.set("animation", { meta: { provider: 42 } });
  assert.equal(shownProvider(model), "fake");
});

test("a failed switch puts the dropdown back on the provider of the animation shown", () => {
  const { root, model, cleanup } = mount();
  const select = root.find("stickanim-provider");
  select.value = "fake";
  select.dispatch("change");
  assert.deepEqual(model.sent, [{ type: "regenerate", provider: "fake" }]);
  model.update({ status: "running", progress: "connecting to fake… 0.1 s" });
  assert.equal(select.value, "fake");
  // the kernel reports the failure but its reset of `provider` has not arrived (or never does)
  model.update({ status: "error", error: "fake: connection failed", progress: "" });
  assert.equal(select.value, "local");
  assert.equal(root.getAttribute("data-provider"), "local");
  // the kernel's own reset arrives: nothing changes
  model.update({ provider: "local" });
  assert.equal(select.value, "local");
  cleanup();
});

test("a successful switch shows the new provider", () => {
  const { root, model, cleanup } = mount();
  const select = root.find("stickanim-provider");
  select.value = "fake";
  select.dispatch("change");
  model.update({ status: "running" });
  const animation = { ...model.get("animation"), meta: { provider: "fake" } };
  model.update({ animation, status: "idle" });
  assert.equal(select.value, "fake");
  cleanup();
});
