// The provider dropdown: lists the configured providers (unusable ones disabled, with the
// reason); choosing one sets `provider` and asks the kernel to regenerate the story with it.
// It names who wrote the animation shown: after a failed switch it goes back to that provider
// (the kernel resets `provider` too; this holds even when its update is late or lost).

import { h, setTitle } from "./dom.js";

/** Dropdown entries for the providers list: {value, label, disabled, title}. */
export function providerOptions(providers) {
  return (Array.isArray(providers) ? providers : [])
    .filter((p) => p && typeof p.name === "string")
    .map((p) => ({
      value: p.name,
      label: p.model ? `${p.name} — ${p.model}` : p.name,
      disabled: p.available === false,
      title: p.available === false ? p.reason || "unavailable" : p.model || p.name,
    }));
}

function fillProviders(doc, node, providers, chosen) {
  const options = providerOptions(providers);
  node.replaceChildren(
    ...options.map((o) => {
      const option = h(doc, "option", "", o.label);
      option.value = o.value; // the name itself, as the kernel knows it
      option.disabled = o.disabled;
      setTitle(option, o.title);
      return option;
    }),
  );
  node.hidden = options.length === 0;
  if (options.some((o) => o.value === chosen)) node.value = chosen;
}

/** The provider to show: `provider`, or after a failure the one of the animation shown. */
export function shownProvider(model) {
  const chosen = model.get("provider") || "";
  if (model.get("status") !== "error") return chosen;
  const animation = model.get("animation");
  const meta = animation && typeof animation === "object" ? animation.meta : null;
  const author = meta && typeof meta.provider === "string" ? meta.provider : "";
  return author || chosen;
}

/** Wire the dropdown of a view to its model; `show()` renders the model's providers. */
export function createProviderDropdown({ doc, dom, model, listen, onModel }) {
  function show() {
    const chosen = shownProvider(model);
    fillProviders(doc, dom.provider, model.get("providers"), chosen);
    dom.root.setAttribute("data-provider", chosen);
  }

  function choose() {
    const provider = dom.provider.value;
    model.set("provider", provider);
    model.save_changes();
    model.send({ type: "regenerate", provider });
  }

  listen(dom.provider, "change", choose);
  onModel("change:providers", show);
  onModel("change:provider", show);
  onModel("change:status", show);
  onModel("change:animation", show);
  return { show };
}
