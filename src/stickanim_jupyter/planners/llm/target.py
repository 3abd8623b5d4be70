"""One configured LLM provider resolved for a call: its model id, key and call keywords."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...config import Config, ProviderConfig, check_model_override
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
