"""Live progress of one generation: the planners' events as a phase and one short status line.

The planners report events (planners/base.py PlanRun.emit): loading (LiteLLM is being
imported), request (a request goes out), waiting (a streamed request was accepted, no token
yet), chunk (tokens arriving), retry, reask, fallback, cached, done. A Progress folds them into
a phase and says it with the time elapsed:

    loading LiteLLM… 1.2 s
    connecting to openai (openai/gpt-4o-mini)… 2.6 s
    openai is thinking… 4.0 s
    receiving 120 tokens from openai… 6.3 s

The widget's status line and the CLI's stderr line (cli_progress.py) both read it.
Cheap to import: no config, planner or litellm here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from .text import MAX_ERROR_CHARS, one_line

# One template per phase; the fields are the event's, plus tokens (counted here).
PHASES: dict[str, str] = {
    "starting": "starting {provider}…",
    "loading": "loading LiteLLM…",
    "connecting": "connecting to {provider} ({model})…",
    "thinking": "{provider} is thinking…",
    "waiting": "waiting for {provider}'s answer…",  # not streamed: nothing to see until it is whole
    "receiving": "receiving {tokens_text} from {provider}…",
    "retry": "{provider}: {reason}, retrying in {delay} s…",
    "reask": "{provider}: invalid answer, asking again…",
    "fallback": "{provider} failed, trying {next}…",
    "cached": "using the cached script…",
    "done": "drawing the animation…",
}
# The phase each planner event starts ("request" depends on streaming, see _phase_of).
_EVENT_PHASES = {
    "loading": "loading",
    "waiting": "thinking",
    "thinking": "thinking",  # reasoning tokens arriving before the answer
    "chunk": "receiving",
    "retry": "retry",
    "reask": "reask",
    "fallback": "fallback",
    "cached": "cached",
    "done": "done",
}


def elapsed_text(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 60 else f"{int(seconds // 60)} min {int(seconds % 60):02d} s"


class Progress:
    """The phase of one generation, updated from planner events; thread-safe.

    `update(event)` returns True when the phase changed (a new line for a plain log);
    `text()` is the current line with the time elapsed since `started`.
    """

    def __init__(self, provider: str | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started = clock()
        self.phase = "starting"
        self.fields: dict[str, Any] = {"provider": provider or "the provider", "model": ""}
        self._count(0)
        self.message = ""  # free text from a caller's own event ({"message": ...})
        self.event: dict[str, Any] = {}  # the last planner event
        self._lock = threading.Lock()

    def update(self, event: Any) -> bool:
        with self._lock:
            if not isinstance(event, Mapping):
                self.message = one_line(event, MAX_ERROR_CHARS)
                return True
            if event.get("message"):
                self.message = one_line(event["message"], MAX_ERROR_CHARS)
                return True
            phase = _phase_of(event)
            if phase is None:
                return False
            self.message = ""
            self.event = {k: v for k, v in event.items() if v is not None}
            self.fields.update(self.event)
            if phase == "connecting":
                self._count(0)  # a new attempt counts again
            elif phase == "receiving":
                self._count(int(event.get("tokens") or self.fields["tokens"] + 1))
            changed = phase != self.phase
            self.phase = phase
            return changed

    def _count(self, tokens: int) -> None:
        self.fields["tokens"] = tokens
        self.fields["tokens_text"] = f"{tokens} token" if tokens == 1 else f"{tokens} tokens"

    @property
    def elapsed(self) -> float:
        return max(0.0, self.clock() - self.started)

    def text(self, *, with_time: bool = True) -> str:
        with self._lock:
            line = self.message or _format(PHASES[self.phase], self.fields, self.event)
        if with_time:
            line = f"{line} {elapsed_text(self.elapsed)}"
        return one_line(line, MAX_ERROR_CHARS)


def _phase_of(event: Mapping[str, Any]) -> str | None:
    name = event.get("event")
    if name == "request":
        return "waiting" if event.get("stream") is False else "connecting"
    return _EVENT_PHASES.get(str(name))


def _format(template: str, fields: Mapping[str, Any], event: Mapping[str, Any]) -> str:
    try:
        text = template.format_map(fields)
    except (KeyError, ValueError, IndexError):  # an event without the fields its phase names
        return ", ".join(f"{k}={v}" for k, v in event.items())
    return text.replace(" ()", "")  # a provider without a model id


def ticker(interval: float, tick: Callable[[], None]) -> Callable[[], None]:
    """Call `tick` every `interval` seconds on a daemon thread until the returned stop() is called."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            tick()

    threading.Thread(target=loop, name="stickanim-progress", daemon=True).start()
    return stop.set
