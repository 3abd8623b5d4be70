"""Planners turn a story into a Script: the offline rule planner or any LLM through LiteLLM.

This is the one place that knows which planner a provider name means (planner_for) and the
one place of the fallback chain (plan_with_fallbacks): the chosen provider, then the
config's fallbacks in order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..config import LOCAL, Config
from ..errors import ConfigError, GenerationError, ProviderError, StickanimError
from ..options import GenerationOptions, ProgressCallback
from ..schema import Meta, Script, check_story
from .base import Planner, PlanRun

if TYPE_CHECKING:
    from ..cache import ScriptCache

__all__ = [
    "LocalPlanner", "PlanRun", "Planner", "chosen_planner", "generate_script", "plan_with_fallbacks",
    "planner_for",
]  # fmt: skip


class LocalPlanner:
    """The offline bilingual rule planner (planners.local) as a Planner: no key, no network."""

    model: str | None = None
    offline: bool = True

    def __init__(self, name: str = LOCAL) -> None:
        self.name = name

    def check(self, options: GenerationOptions) -> None:
        """Nothing to refuse: a model override means nothing to the rules and is ignored."""

    def plan(self, story: str, options: GenerationOptions, run: PlanRun) -> tuple[Script, Meta]:
        from .local import plan  # the rule tables load on first use

        return plan(story, seed=options.seed), Meta(provider=self.name)

    def ping(self, timeout: float) -> dict[str, Any]:
        return {"reachable": True, "ok": True, "latency_ms": 0.0, "status_code": None, "error": None}


def planner_for(name: str, cfg: Config) -> Planner:
    """The planner of provider `name`; ConfigError listing the configured ones when unknown."""
    pc = cfg.get(name)
    if pc.name == LOCAL:
        return LocalPlanner(pc.name)
    from .llm import LiteLLMPlanner  # litellm itself loads on the first request

    return LiteLLMPlanner(pc, cfg)


def chosen_planner(options: GenerationOptions, cfg: Config) -> Planner:
    """The planner of options.provider (default: cfg.provider), checked against the options.

    Raises what no fallback papers over: an unknown provider (ConfigError listing the
    configured ones), a model override of another vendor's. Sends nothing.
    """
    planner = planner_for(options.provider or cfg.provider, cfg)
    planner.check(options)
    return planner


def plan_with_fallbacks(
    story: str,
    options: GenerationOptions,
    cfg: Config,
    progress: ProgressCallback | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[Script, Meta]:
    """Story -> Script with options.provider (default: cfg.provider), then cfg.fallbacks in order.

    The model override goes to the chosen provider only. A provider that fails with a
    ConfigError (e.g. no key), ProviderError or GenerationError hands over to the next one;
    when all fail, the first error is raised with what each fallback said appended.
    meta.fallback_from names the providers that failed before the one that answered.
    sleep: the retries' backoff wait (injectable for tests).
    """
    text = check_story(story)
    planner = chosen_planner(options, cfg)  # before anything else
    primary = planner.name
    chain = [primary, *(f for f in cfg.fallbacks if f != primary)]
    run = PlanRun(progress=progress, sleep=sleep, find_secrets=cfg.secrets)
    errors: list[StickanimError] = []
    for i, name in enumerate(chain):
        try:
            if i:
                planner, options = planner_for(name, cfg), options.replace(model=None)
            script, meta = planner.plan(text, options, run)
        except (ConfigError, ProviderError, GenerationError) as err:
            errors.append(err)
            if i + 1 < len(chain):
                run.emit("fallback", None, provider=name, next=chain[i + 1], reason=str(err))
            continue
        if errors:
            meta.fallback_from = chain[: len(errors)]
            if meta.attempts is None:  # a planner that sends no requests stood in: the run's count
                meta.attempts = run.attempts
        run.emit("done", None, provider=meta.provider, cached=meta.cached)
        return script, meta
    raise _combined(errors)


def generate_script(
    story: str,
    cfg: Config,
    *,
    provider: str | None = None,
    model: str | None = None,
    cache: bool | ScriptCache | str | None = True,
    progress: ProgressCallback | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[Script, Meta]:
    """plan_with_fallbacks with keywords, for scripts and tests holding a loaded Config."""
    options = GenerationOptions(provider=provider, model=model, cache=cache)
    return plan_with_fallbacks(story, options, cfg, progress, sleep=sleep)


def _combined(errors: list[StickanimError]) -> StickanimError:
    """The first provider's error, with what each fallback said appended (one line)."""
    first = errors[0]
    if len(errors) == 1:
        return first
    tail = "; ".join(f"fallback {_provider_of(e)}: {e}" for e in errors[1:])
    msg = f"{first}; {tail}"
    if isinstance(first, GenerationError):
        return GenerationError(msg, raw=first.raw, provider=first.provider)
    if isinstance(first, ProviderError):
        return ProviderError(msg, provider=first.provider, model=first.model, status=first.status,
                             retryable=first.retryable)  # fmt: skip
    return type(first)(msg)


def _provider_of(err: StickanimError) -> str:
    return getattr(err, "provider", None) or "?"
