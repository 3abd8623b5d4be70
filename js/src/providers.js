// The provider dropdown: lists the configured providers (unusable ones disabled, with the
// reason); choosing one sets `provider` and asks the kernel to regenerate the story with it.

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

/** Wire the dropdown of a view to its model; `show()` renders the model's providers. */
export function createProviderDropdown({ doc, dom, model, listen, onModel }) {
  function show() {
    const chosen = model.get("provider") || "";
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
  return { show };
}
