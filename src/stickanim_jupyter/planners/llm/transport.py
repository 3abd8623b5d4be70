"""The LLM planner's requests: the litellm call, streaming, retries, timeouts, errors classified.

- litellm is imported on the first call only, with its network/.env side effects disabled.
- Our own retry policy: 429, timeouts, 5xx and connection errors are retried with exponential
  backoff inside a per-attempt timeout and a per-provider deadline; 400/401/403/404 and
  context-window errors are not. LiteLLM's and the OpenAI SDK's retries are off.
- An answer over MAX_ANSWER_CHARS is refused as it arrives.
- Keys go per call as api_key=, never into os.environ; every message raised or logged here is
  scrubbed of the configured keys and of anything key-shaped.
"""

from __future__ import annotations

import logging
import os
import random
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ...config import ProviderConfig
from ...errors import GenerationError, ProviderError, StickanimError
from ...html_reply import HTML_REPLY, check_stream, html_reply
from ...secrets import redact
from ...text import clip
from ..base import PlanRun
from .target import Target

log = logging.getLogger(__name__)

MAX_RAW_ECHO = 6000  # characters of a bad answer sent back in a re-ask or kept in an error
# An answer longer than this is refused as it arrives (no re-ask): a Script is a few thousand
# characters, and a provider honouring max_tokens (<= 200k) cannot send more. It bounds the
# memory a hostile or broken server can make us spend (parsing costs ~20-60x the text).
MAX_ANSWER_CHARS = 1_000_000
MAX_DETAIL_CHARS = 300  # of a provider's own error message, in ours
LITELLM_ENV = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # no cost-map download at import
    "LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS": "True",
    "LITELLM_MODE": "PRODUCTION",  # no .env loading into os.environ
}
# "litellm.RateLimitError: RateLimitError: OpenAIException - msg" -> "msg"
_LITELLM_PREFIX = re.compile(r"^(?:litellm\.\w+:\s*)?(?:\w*(?:Error|Exception)\s*[:\-]\s*)*")

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


# --- failures -------------------------------------------------------------------------------
@dataclass
class Failure:
    kind: str
    status: int | None
    retryable: bool
    detail: str = field(repr=False)  # the provider's raw message: may quote the key
    retry_after: float | None = None


def classify(exc: BaseException, lm: Any) -> Failure:
    """Map a LiteLLM/OpenAI exception to (kind, status, retryable); never retry 400/401/context."""
    status = getattr(exc, "status_code", None)
    detail = _LITELLM_PREFIX.sub("", str(exc)).strip()
    table: list[tuple[Any, str, bool]] = [
        (lm.ContextWindowExceededError, "context window exceeded", False),
        (lm.Timeout, "timed out", True),
        (lm.RateLimitError, "rate limited", True),
        (lm.AuthenticationError, "authentication failed", False),
        (lm.PermissionDeniedError, "permission denied", False),
        (lm.NotFoundError, "model or endpoint not found", False),
        (lm.BadRequestError, "request rejected", False),
        (lm.APIConnectionError, "connection failed", True),
    ]
    status = status if isinstance(status, int) else None
    if (page := html_reply(exc)) is not None:  # LiteLLM: HTTP 500; retried, a proxy may flake
        return Failure(HTML_REPLY, None, True, page)
    if _is_connection_failure(exc, detail):  # LiteLLM reports a refused connection as HTTP 500
        return Failure("connection failed", None, True, detail)
    for cls, kind, retryable in table:
        if isinstance(exc, cls):
            after = _retry_after(exc) if cls is lm.RateLimitError else None
            return Failure(kind, status, retryable, detail, after)
    if status is not None and (status >= 500 or status in (408, 409, 425)):
        return Failure("server error", status, True, detail)
    if status in _CLIENT_ERRORS:  # LiteLLM maps some statuses (403 from compatibles) to a bare APIError
        return Failure(_CLIENT_ERRORS[status], status, False, detail)
    return Failure(f"failed ({type(exc).__name__})", status, False, detail)


_CLIENT_ERRORS = {
    400: "request rejected",
    401: "authentication failed",
    403: "permission denied",
    404: "model or endpoint not found",
    422: "request rejected",
}


def _is_connection_failure(exc: BaseException, detail: str) -> bool:
    import openai  # present whenever litellm is

    if isinstance(exc, openai.APITimeoutError):
        return False
    text = detail.lower()
    return isinstance(exc, openai.APIConnectionError) or (
        "connection error" in text or "connection refused" in text or "name or service not known" in text
    )


def _retry_after(exc: BaseException) -> float | None:
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= 120 else None


def provider_error(target: Target, f: Failure, attempts: int, run: PlanRun) -> ProviderError:
    status = f" (HTTP {f.status})" if f.status and f.status != 408 else ""
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    msg = f"{target.label}: {f.kind}{status}{tries}: {clip(redact(f.detail, run.secrets), MAX_DETAIL_CHARS)}"
    return ProviderError(
        msg, provider=target.name, model=target.model, status=f.status, retryable=f.retryable
    )


# --- one HTTP request -----------------------------------------------------------------------
def request(
    lm: Any, target: Target, messages: list[dict], timeout: float, run: PlanRun, **extra: Any
) -> Answer:
    """One completion call (streamed when the provider allows), usage and cost recorded."""
    stream = target.pc.stream and extra.pop("stream", True)
    kwargs = {**target.call_kwargs(), **extra, "messages": messages, "timeout": timeout,
              "max_retries": 0, "num_retries": 0}  # fmt: skip
    if stream:
        kwargs.update(stream=True, stream_options={"include_usage": True})
    run.emit("request", target, stream=bool(stream))
    t0 = time.monotonic()
    resp = lm.completion(**kwargs)
    if stream:
        run.emit("waiting", target)  # accepted: the model thinks until its first token
        resp = _drain(lm, resp, target, messages, run, t0 + timeout)
    choice = resp.choices[0] if resp.choices else None
    _record_usage(lm, target, resp, run)
    text = _content(choice)
    if len(text) > MAX_ANSWER_CHARS:
        raise _too_long(target, text, run)
    return Answer(text=text, finish_reason=getattr(choice, "finish_reason", None))


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


def _drain(lm: Any, stream: Any, target: Target, messages: list[dict], run: PlanRun, stop_at: float) -> Any:
    """Read a stream to the end with progress; the attempt's timeout also bounds a slow drip."""
    head: list[str]
    chunks, chars, pieces, head = [], 0, 0, []  # head: the answer's start, for the error
    for chunk in stream:
        chunks.append(chunk)
        delta = chunk.choices[0].delta.content if chunk.choices else None
        if delta:
            chars += len(delta)
            pieces += 1
            if chars > MAX_ANSWER_CHARS:
                _close(stream)
                raise _too_long(target, "".join(head), run)
            if chars - len(delta) < MAX_RAW_ECHO:
                head.append(delta)
            run.emit("chunk", target, chars=chars, tokens=pieces)
        if time.monotonic() > stop_at:
            _close(stream)
            raise lm.Timeout(
                message="stream exceeded the attempt timeout", model=target.model, llm_provider=""
            )
    check_stream(stream, chars)  # nothing came, and what came was a web page
    return lm.stream_chunk_builder(chunks, messages=messages)


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
    """One answer, retrying transient failures with backoff until `deadline` (monotonic)."""
    pc = target.pc
    tries = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0.05:
            f = Failure("deadline exceeded", None, False, f"no answer within {pc.deadline:g} s")
            raise provider_error(target, f, tries, run)
        tries += 1
        run.attempts += 1
        try:
            return request(lm, target, messages, min(pc.timeout, remaining), run, **extra)
        except StickanimError:
            raise
        except Exception as exc:
            if isinstance(exc, lm.UnsupportedParamsError) and not extra.get("drop_params"):
                # e.g. a model without response_format or temperature: ask again without them
                extra = {**extra, "drop_params": True}
                continue
            failure = classify(exc, lm)
        log.info("%s attempt %d: %s", target.label, tries, failure.kind)
        if not failure.retryable or tries > pc.retries:
            raise provider_error(target, failure, tries, run) from None
        delay = backoff_delay(pc.backoff, tries, failure.retry_after)
        if time.monotonic() + delay >= deadline:
            raise provider_error(target, failure, tries, run) from None
        run.emit("retry", target, reason=failure.kind, delay=round(delay, 3))
        run.sleep(delay)


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
