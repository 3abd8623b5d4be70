"""What every planner shares: the Planner interface and the state of one planning run.

A module of its own so that planners can import it while the package's __init__ (the
fallback chain, which imports the planners) stays free of import cycles.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..options import GenerationOptions, ProgressCallback
    from ..schema import Meta, Script

log = logging.getLogger(__name__)


class Planner(Protocol):
    """A configured provider, ready to turn a story into a Script."""

    name: str  # the provider name of config.yml
    model: str | None  # its model id (None: a built-in planner)
    offline: bool  # built in: no key, no network, nothing to check or warm up

    def check(self, options: GenerationOptions) -> None:
        """Raise ConfigError for options it cannot honour (before anything is sent; no
        fallback papers over it)."""
        ...

    def plan(self, story: str, options: GenerationOptions, run: PlanRun) -> tuple[Script, Meta]:
        """The Script of a checked story; ConfigError, ProviderError or GenerationError let the
        fallback chain try the next planner."""
        ...

    def ping(self, timeout: float) -> dict[str, Any]:
        """A cheap request: {"reachable", "ok", "latency_ms", "status_code", "error"}."""
        ...


@dataclass
class PlanRun:
    """One planning run over the fallback chain: what its planners share and add up.

    progress: called with event dicts ({"event", "provider", "model", "attempt", ...}).
    sleep: how a retry waits (injectable for tests).
    find_secrets: the keys no message may hold; asked only when a message is to be scrubbed.
    """

    progress: ProgressCallback | None = None
    sleep: Callable[[float], None] = time.sleep
    find_secrets: Callable[[], list[str]] = field(default=list, repr=False)  # keys: never in a repr
    attempts: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = 0.0
    reasks: int = 0
    repairs: list[str] = field(default_factory=list)  # what was mended locally (meta.repairs)

    @functools.cached_property
    def secrets(self) -> list[str]:
        return list(self.find_secrets())

    def emit(self, event: str, source: Any = None, **fields: Any) -> None:
        """Report `event` of `source` (anything with .name and .model, e.g. a planner)."""
        if self.progress is None:
            return
        info = {"event": event, "provider": getattr(source, "name", None),
                "model": getattr(source, "model", None), "attempt": self.attempts, **fields}  # fmt: skip
        try:
            self.progress(info)
        except Exception as err:  # a broken UI callback must not break generation
            log.debug("progress callback failed: %s", type(err).__name__)

    def add_usage(self, prompt: int | None, completion: int | None, cost: float | None) -> None:
        self.prompt_tokens += prompt or 0
        self.completion_tokens += completion or 0
        self.cost = None if cost is None or self.cost is None else self.cost + cost
