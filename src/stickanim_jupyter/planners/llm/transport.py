"""The LLM planner's requests: the litellm call, streaming, retries, timeouts, errors classified.

- litellm is imported on the first call only, with its network/.env side effects disabled.
- Time limits that hold whatever the server does: each request runs in a worker thread
  watched from the caller's. A non-streamed answer must arrive within the provider's
  `timeout`; a stream must send a chunk at least every `timeout` seconds (a long but live
  reasoning stream is never cut for its length); at the provider's deadline the request is
  abandoned (its thread ends with its connection) and the call returns.
- Our own retry policy: 429, timeouts, 5xx and connection errors are retried with exponential
  backoff within the deadline; 400/401/403/404 and context-window errors are not. A refused
  connection fails at once on loopback (nothing listens there) and is retried once, quickly,
  elsewhere. LiteLLM's and the OpenAI SDK's retries are off.
- An answer over MAX_ANSWER_CHARS is refused as it arrives.
- Keys go per call as api_key=, never into os.environ; every message raised or logged here is
  scrubbed of the configured keys and of anything key-shaped.
"""

from __future__ import annotations

import logging
import os
import queue
import random
import re
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from ...config import LOOPBACK_HOSTS, ProviderConfig
from ...errors import GenerationError, ProviderError, StickanimError
from ...html_reply import check_stream
from ...secrets import redact
from ..base import PlanRun
from .failures import Failure, classify, provider_error
from .target import Target

log = logging.getLogger(__name__)

MAX_RAW_ECHO = 6000  # characters of a bad answer sent back in a re-ask or kept in an error
# An answer longer than this is refused as it arrives (no re-ask): a Script is a few thousand
# characters, and a provider honouring max_tokens (<= 200k) cannot send more. It bounds the
# memory a hostile or broken server can make us spend (parsing costs ~20-60x the text).
MAX_ANSWER_CHARS = 1_000_000
LITELLM_ENV = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # no cost-map download at import
    "LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS": "True",
    "LITELLM_MODE": "PRODUCTION",  # no .env loading into os.environ
}

# --- lazy litellm ---------------------------------------------------------------------------
_litellm: Any = None
_import_lock = threading.Lock()


def litellm_module() -> Any:
    """Import litellm once (about 2.5 s), without its cost-map download and .env loading."""
    global _litellm
    with _import_lock:
        if _litellm is None:
            for name, value in LITELLM_ENV.items():
                os.environ.setdefault(name, value)
            import litellm

            litellm.suppress_debug_info = True
            litellm.drop_params = False  # we pass drop_params per call instead
            _litellm = litellm
    return _litellm


@dataclass
class Answer:
    text: str
    finish_reason: str | None
    reasoning: str = ""  # what the model showed of its reasoning (reasoning_content, thinking)
    refusal: str | None = None  # the provider's refusal field (OpenAI) when it refused


class DeadlineExceeded(Exception):
    """The provider's deadline passed during a request: the request was abandoned."""


# --- one HTTP request -----------------------------------------------------------------------
def request(
    lm: Any,
    target: Target,
    messages: list[dict],
    timeout: float,
    run: PlanRun,
    *,
    deadline: float | None = None,
    **extra: Any,
) -> Answer:
    """One completion call (streamed when the provider allows), usage and cost recorded.

    `timeout`: for the whole answer when not streamed, between chunks when streamed (lm.Timeout
    past it); `deadline` (monotonic): DeadlineExceeded past it, whatever the server does.
    """
    stream = target.pc.stream and extra.pop("stream", True)
    kwargs = {**target.call_kwargs(), **extra, "messages": messages, "timeout": timeout,
              "max_retries": 0, "num_retries": 0}  # fmt: skip
    if stream:
        kwargs.update(stream=True, stream_options={"include_usage": True})
    run.emit("request", target, stream=bool(stream))
    call = _Call(lm, target, messages, run, stream)
    resp = call.answer(kwargs, timeout, deadline if deadline is not None else time.monotonic() + timeout)
    choice = resp.choices[0] if resp.choices else None
    _record_usage(lm, target, resp, run)
    text = _content(choice)
    if len(text) > MAX_ANSWER_CHARS:
        raise _too_long(target, text, run)
    message = getattr(choice, "message", None)
    reasoning = "".join(call.reasoning) or getattr(message, "reasoning_content", None) or ""
    refusal = "".join(call.refusal) or getattr(message, "refusal", None) or None
    return Answer(text, getattr(choice, "finish_reason", None), reasoning, refusal)


class _Call:
    """One request in a worker thread, watched by the caller (see the module doc). Progress
    events travel back through a queue: callbacks still run on the caller's thread."""

    def __init__(self, lm: Any, target: Target, messages: list[dict], run: PlanRun, stream: bool) -> None:
        self.lm, self.target, self.messages, self.run, self.stream = lm, target, messages, run, stream
        self.events: queue.SimpleQueue[tuple[str, dict[str, Any]] | None] = queue.SimpleQueue()  # None: done
        self.cancel = threading.Event()
        self.last = time.monotonic()  # the start, then each chunk's arrival
        self.result: Any = None
        self.error: BaseException | None = None
        self.reasoning: list[str] = []
        self.refusal: list[str] = []

    def answer(self, kwargs: dict[str, Any], timeout: float, deadline: float) -> Any:
        # A fresh daemon thread per request: none lingers after the call (an abandoned one ends
        # with its connection), and none delays the interpreter's exit.
        threading.Thread(target=self._work, args=(kwargs,), name="stickanim-llm", daemon=True).start()
        while True:
            now = time.monotonic()
            if now >= deadline:
                self.cancel.set()
                raise DeadlineExceeded
            if now >= self.last + timeout:
                self.cancel.set()
                what = "no stream chunk" if self.stream else "no answer"
                raise self.lm.Timeout(
                    message=f"{what} for {timeout:g} s", model=self.target.model, llm_provider=""
                )
            try:
                item = self.events.get(timeout=min(self.last + timeout, deadline) - now)
            except queue.Empty:
                continue
            if item is None:
                break
            self.run.emit(item[0], self.target, **item[1])
        if self.error is not None:
            raise self.error
        return self.result

    def _emit(self, event: str, **fields: Any) -> None:
        if self.run.progress is not None:
            self.events.put((event, fields))

    def _work(self, kwargs: dict[str, Any]) -> None:
        try:
            resp = self.lm.completion(**kwargs)
            self.result = self._drain(resp) if self.stream else resp
        except BaseException as exc:  # handed to the caller's thread
            self.error = exc
        finally:
            self.events.put(None)

    def _drain(self, stream: Any) -> Any:
        """Read a stream to the end with progress; stop when the caller gave up."""
        _tap_refusals(stream, self.refusal)
        self._emit("waiting")  # accepted: the model thinks until its first token
        chunks: list[Any] = []
        head: list[str] = []  # the answer's start, for the error
        chars = pieces = 0
        thinking = 0  # characters of reasoning so far
        for chunk in stream:
            self.last = time.monotonic()
            if self.cancel.is_set():
                _close(stream)
                return None
            chunks.append(chunk)
            delta = chunk.choices[0].delta if chunk.choices else None
            thought = getattr(delta, "reasoning_content", None)
            if thought:
                self.reasoning.append(thought)
                thinking += len(thought)
                self._emit("thinking", chars=thinking)
            text = getattr(delta, "content", None)
            if text:
                chars += len(text)
                pieces += 1
                if chars > MAX_ANSWER_CHARS:
                    _close(stream)
                    raise _too_long(self.target, "".join(head), self.run)
                if chars - len(text) < MAX_RAW_ECHO:
                    head.append(text)
                self._emit("chunk", chars=chars, tokens=pieces)
        check_stream(stream, chars)  # nothing came, and what came was a web page
        return self.lm.stream_chunk_builder(chunks, messages=self.messages)


def _tap_refusals(stream: Any, sink: list[str]) -> None:
    """LiteLLM drops a streamed `refusal` delta (OpenAI): read it from the raw chunks on the way."""
    raw = getattr(stream, "completion_stream", None)
    if raw is None or isinstance(raw, (str, bytes)) or not hasattr(raw, "__next__"):
        return
    try:
        stream.completion_stream = _RefusalTap(raw, sink)
    except Exception:  # a wrapper that will not be tapped: no refusal field, the text still says it
        pass


class _RefusalTap:
    def __init__(self, raw: Any, sink: list[str]) -> None:
        self.raw, self.sink = raw, sink

    def __iter__(self) -> _RefusalTap:
        return self

    def __next__(self) -> Any:
        chunk = next(self.raw)
        choices = getattr(chunk, "choices", None) or []
        refusal = getattr(getattr(choices[0], "delta", None), "refusal", None) if choices else None
        if isinstance(refusal, str):
            self.sink.append(refusal)
        return chunk

    def close(self) -> None:
        closer = getattr(self.raw, "close", None)
        if callable(closer):
            closer()

    def __getattr__(self, name: str) -> Any:
        if name in ("raw", "sink"):  # not set yet (copy, pickle): no recursion
            raise AttributeError(name)
        return getattr(self.raw, name)


def _too_long(target: Target, head: str, run: PlanRun) -> GenerationError:
    return GenerationError(
        f"{target.label} sent an answer over {MAX_ANSWER_CHARS:,} characters; a Script is a few thousand",
        raw=redact(head[:MAX_RAW_ECHO], run.secrets, one_line=False),
        provider=target.name,
    )


def _content(choice: Any) -> str:
    """The message text; else a tool call's arguments (JSON-schema mode done as a forced tool call)."""
    message = getattr(choice, "message", None)
    text = getattr(message, "content", None) or ""
    if not text.strip():
        for call in getattr(message, "tool_calls", None) or []:
            args = getattr(getattr(call, "function", None), "arguments", None)
            if args:
                return args
    return text


def _close(stream: Any) -> None:
    closer = getattr(stream, "close", None) or getattr(
        getattr(stream, "completion_stream", None), "close", None
    )
    if callable(closer):
        try:
            closer()
        except Exception:  # closing is best effort
            pass


def _record_usage(lm: Any, target: Target, resp: Any, run: PlanRun) -> None:
    usage = getattr(resp, "usage", None)
    prompt = getattr(usage, "prompt_tokens", None)
    completion = getattr(usage, "completion_tokens", None)
    run.add_usage(prompt, completion, _cost(lm, target.pc, target.model, prompt, completion))


def _cost(
    lm: Any, pc: ProviderConfig, model: str, prompt: int | None, completion: int | None
) -> float | None:
    """Configured prices win (custom endpoints); else LiteLLM's cost map; None when unknown."""
    if prompt is None or completion is None:
        return None
    if pc.input_cost_per_million is not None and pc.output_cost_per_million is not None:
        return (prompt * pc.input_cost_per_million + completion * pc.output_cost_per_million) / 1e6
    try:
        a, b = lm.cost_per_token(model=model, prompt_tokens=prompt, completion_tokens=completion)
        return float(a) + float(b)
    except Exception:  # unmapped model: cost unknown, not an error
        return None


# --- retries --------------------------------------------------------------------------------
def complete(
    lm: Any, target: Target, messages: list[dict], run: PlanRun, deadline: float, **extra: Any
) -> Answer:
    """One answer, retrying transient failures with backoff until `deadline` (monotonic).

    A 400 that rejects the response format is asked once more without it (the prompt asks
    for JSON anyway) and remembered for the process: that server is not sent one again.
    """
    pc = target.pc
    tries = 0
    while True:
        if deadline - time.monotonic() <= 0.05:
            raise _deadline_error(target, tries, run)
        tries += 1
        run.attempts += 1
        try:
            return request(lm, target, messages, pc.timeout, run, deadline=deadline, **extra)
        except StickanimError:
            raise
        except DeadlineExceeded:
            raise _deadline_error(target, tries, run) from None
        except Exception as exc:
            if isinstance(exc, lm.UnsupportedParamsError) and not extra.get("drop_params"):
                # e.g. a model without response_format or temperature: ask again without them
                extra = {**extra, "drop_params": True}
                continue
            failure = classify(exc, lm)
        if "response_format" in extra and rejects_format(failure):
            extra = {k: v for k, v in extra.items() if k != "response_format"}
            NO_FORMAT.add(format_key(target))
            run.repairs.append("the server rejected the response format: asked again without it")
            run.emit("retry", target, reason="response format rejected", delay=0.0)
            continue
        log.info("%s attempt %d: %s", target.label, tries, failure.kind)
        if not failure.retryable or tries > _allowed_retries(target, failure):
            raise provider_error(target, failure, tries, run) from None
        delay = backoff_delay(pc.backoff, tries, failure.retry_after)
        if failure.refused:
            delay = min(delay, QUICK_RETRY_S)
        if time.monotonic() + delay >= deadline:
            raise provider_error(target, failure, tries, run) from None
        run.emit("retry", target, reason=failure.kind, delay=round(delay, 3))
        run.sleep(delay)


QUICK_RETRY_S = 0.25  # the wait before the one retry of a refused connection (not on loopback)
# (model, api_base) of servers that rejected the response format with a 400, for this process
NO_FORMAT: set[tuple[str, str | None]] = set()
_FORMAT_WORDS = re.compile(
    r"response_format|json_schema|output_format|output_config|structured|schema|\bformat\b", re.I
)


def format_key(target: Target) -> tuple[str, str | None]:
    return target.model, target.pc.api_base


def rejects_format(failure: Failure) -> bool:
    """A 400 about the response format (OpenAI's strict schema rules, vLLM's grammar backends,
    a server without structured output), not about the prompt or the context window."""
    return (
        failure.status in (400, 422)
        and failure.kind == "request rejected"
        and bool(_FORMAT_WORDS.search(failure.detail))
    )


def _allowed_retries(target: Target, failure: Failure) -> int:
    """A refused connection: no retry on loopback (nothing listens), one elsewhere."""
    if not failure.refused:
        return target.pc.retries
    return 0 if is_loopback(target.pc) else min(1, target.pc.retries)


def is_loopback(pc: ProviderConfig) -> bool:
    if pc.api_base:
        return urlparse(pc.api_base).hostname in LOOPBACK_HOSTS
    return pc.prefix in ("ollama", "ollama_chat")  # LiteLLM's default: localhost:11434


def _deadline_error(target: Target, tries: int, run: PlanRun) -> ProviderError:
    f = Failure("deadline exceeded", None, False, f"no answer within {target.pc.deadline:g} s")
    return provider_error(target, f, tries, run)


def backoff_delay(base: float, tries: int, retry_after: float | None = None, cap: float = 20.0) -> float:
    """Exponential backoff with jitter; a server's Retry-After wins when it is longer."""
    delay = min(cap, base * 2 ** (tries - 1)) * (1 + 0.25 * random.random())
    return max(delay, min(retry_after or 0.0, cap))


def fit_context(lm: Any, target: Target, messages: list[dict], run: PlanRun) -> dict[str, Any]:
    """With max_context_tokens set: shrink max_tokens to fit, or fail early (never retried)."""
    limit = target.pc.max_context_tokens
    if not limit:
        return {}
    try:
        prompt = int(lm.token_counter(model=target.model, messages=messages))
    except Exception:  # no tokenizer for this model: let the provider decide
        return {}
    room = limit - prompt
    if room < 64:
        f = Failure("context window exceeded", None, False, f"the prompt has {prompt} tokens of {limit}")
        raise provider_error(target, f, 0, run)
    return {"max_tokens": room} if room < target.pc.max_tokens else {}
