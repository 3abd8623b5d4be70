"""One configured LLM provider resolved for a call: its model id, key and call keywords."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...config import Config, ProviderConfig, model_prefix
from ...errors import ConfigError

NO_KEY = "no-key-required"  # OpenAI-compatible local servers still want *some* bearer token


@dataclass(frozen=True)
class Target:
    """A provider ready to call. `key` is secret; repr hides it."""

    name: str
    pc: ProviderConfig
    model: str
    key: str | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.model})"

    def call_kwargs(self) -> dict[str, Any]:
        pc = self.pc
        kwargs: dict[str, Any] = {**pc.params, "model": self.model, "max_tokens": pc.max_tokens}
        if pc.api_base:
            kwargs["api_base"] = pc.api_base
        if pc.temperature is not None:
            kwargs["temperature"] = pc.temperature
        key = self.key or (NO_KEY if pc.api_base else None)
        if key:  # explicit, so the OpenAI SDK never picks up OPENAI_API_KEY for another host
            kwargs["api_key"] = key
        return kwargs


def resolve(cfg: Config, name: str, model: str | None = None) -> Target:
    """Provider `name` with its key; ConfigError when unknown, its key is missing, or `model`
    belongs to another vendor (see check_model_override)."""
    pc = cfg.get(name)
    if pc.builtin:
        raise ConfigError(f"{name!r} is a built-in planner, not an LLM provider")
    check_model_override(pc, model)
    return Target(name=name, pc=pc, model=model or pc.model or "", key=cfg.require_key(name))


def check_model_override(pc: ProviderConfig, model: str | None) -> None:
    """A model override (`-m`) must stay with the section's vendor: its key is that vendor's.

    On the vendor's own endpoint (no api_base) LiteLLM routes by the model's prefix, so
    `-p openai -m anthropic/...` would send the OpenAI key to Anthropic. With an api_base the
    key is that endpoint's and any model id goes there (OpenAI-compatible servers: openai/<any>).
    """
    if not model or pc.builtin or pc.api_base:
        return
    prefix = model_prefix(model)
    if prefix != pc.prefix:
        raise ConfigError(
            f"model {model} is not a model of {pc.prefix}; add a provider section for it instead"
            f" (provider {pc.name!r} is {pc.model})"
        )
