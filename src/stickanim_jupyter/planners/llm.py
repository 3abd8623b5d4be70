"""The LLM planner: a story becomes a Script through any LiteLLM provider of config.yml.

What this module guarantees (DESIGN.md, "LiteLLM: facts measured here"):
- litellm is imported on the first call only, with its network/.env side effects disabled.
- Our own retry policy: 429, timeouts, 5xx and connection errors are retried with exponential
  backoff inside a per-attempt timeout and a per-provider deadline; 400/401/403/404 and
  context-window errors are not. LiteLLM's and the OpenAI SDK's retries are off.
- Then the configured fallbacks, in order (`local` may be one: the offline planner).
- The answer is validated with pydantic after stripping code fences; truncation
  (finish_reason == "length") and invalid output get one re-ask with the errors, then a
  GenerationError that keeps the raw text.
- Keys go per call as api_key=, never into os.environ; every message we raise or log is
  scrubbed of the configured keys and of anything key-shaped.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..cache import ScriptCache, cache_key
from ..config import LOCAL, Config, ProviderConfig, check_model_override
from ..errors import ConfigError, GenerationError, ProviderError, StickanimError, ValidationError
from ..html_reply import HTML_REPLY, check_stream, html_reply
from ..schema import ACTIONS, POSE_CHANNELS, Meta, Script, check_story
from ..secrets import redact  # also re-exported: planners.llm.redact

log = logging.getLogger(__name__)

ProgressCallback = Callable[[dict[str, Any]], None]
PROMPT_LABEL = "script-v1"  # bump by hand when the prompt's meaning changes; the hash catches edits
NO_KEY = "no-key-required"  # OpenAI-compatible local servers still want *some* bearer token
MAX_RAW_ECHO = 6000  # characters of a bad answer sent back in the re-ask
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
    """Import litellm once (about 2.5 s), with the environment DESIGN.md requires."""
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


# --- prompt ---------------------------------------------------------------------------------
_EXAMPLES = (
    (
        "一个人挥手",
        {
            "title": "挥手",
            "description": "一个人站着挥手。",
            "characters": [{"id": "char_1", "name": "小人", "color": "#2196F3", "x": 0.5, "facing": "front"}],
            "scenes": [
                {
                    "id": "scene_1",
                    "description": "挥手",
                    "actions": [
                        {
                            "character": "char_1",
                            "action": "wave",
                            "start": 0,
                            "duration": 2000,
                            "params": {"hand": "right", "times": 2},
                        }
                    ],
                }
            ],
        },
    ),
    (
        "two people walk toward each other and shake hands",
        {
            "title": "Handshake",
            "description": "Two people meet in the middle and shake hands.",
            "characters": [
                {"id": "char_1", "name": "Anna", "color": "#E53935", "x": 0.2, "facing": "right"},
                {"id": "char_2", "name": "Ben", "color": "#1E88E5", "x": 0.8, "facing": "left"},
            ],
            "scenes": [
                {
                    "id": "scene_1",
                    "description": "They meet and shake hands",
                    "actions": [
                        {"character": "char_1", "action": "walk", "start": 0, "duration": 2000,
                         "params": {"direction": "toward", "target": "char_2"}},
                        {"character": "char_2", "action": "walk", "start": 0, "duration": 2000,
                         "params": {"direction": "toward", "target": "char_1"}},
                        {"character": "char_1", "action": "shake_hands", "start": 2000, "duration": 1500,
                         "params": {"target": "char_2"}},
                    ],
                }
            ],
        },
    ),
)  # fmt: skip

_RULES = """\
You are the planner of a stick-figure animation engine. Turn the user's story into a Script.
Answer with one JSON object only: no prose, no code fences.

Script: {"title", "description", "characters": [...], "scenes": [...]}
- character: {"id": "char_1", "name", "color": "#RRGGBB", "x": start position 0..1 of the stage
  width (0 = left), "facing": "front"|"left"|"right"}; 1 to 8 characters, distinct colors.
- scene: {"id": "scene_1", "description", "actions": [...]}; optional "duration" (ms).
- action: {"character": id, "action": name, "start": ms from the scene start, "duration": ms,
  "params": {...}}. One character's actions follow each other (next start = previous start +
  duration); different characters may act at the same time.

Actions and the params they read (omit params you do not need):
- idle, stand, bow, sit, stand_up, squat, kneel, fall, lie_down, dance: none
- walk, run: direction (left|right|toward|away|forward|back), distance (0..1 of the stage
  width), speed (0.25..4), target (with direction "toward")
- wave: hand (left|right|both), times; point: hand, direction; punch: hand, times
- jump, clap, nod, shake_head, kick: times; turn: direction
- shake_hands, hug, high_five, push, pull: target (required: the other character's id);
  they bring the two characters together
- pose: keyframes [{"t": 0..1 of the action, "angles": {channel: degrees}}] with channels
  CHANNELS; only for a motion no other action covers

Rules:
- Only the action names above: ACTIONS.
- Counts ("three times", "三次") go into params.times; "then", "然后", "after that" mean a later start.
- About 1000-3000 ms per action; the whole story under 30000 ms; one scene unless place or time changes.
- Write title, description, character names and scene descriptions in the story's language;
  ids, action names and param values stay as above.
"""


@functools.cache
def system_prompt() -> str:
    rules = _RULES.replace("CHANNELS", ", ".join(POSE_CHANNELS)).replace("ACTIONS", ", ".join(ACTIONS))
    examples = "\n".join(
        f"\nStory: {story}\nScript: {json.dumps(script, ensure_ascii=False, separators=(',', ':'))}"
        for story, script in _EXAMPLES
    )
    return f"{rules}\nExamples:{examples}\n"


@functools.cache
def response_format() -> dict[str, Any]:
    # A JSON Schema, not bare json_object: Anthropic silently drops the latter (DESIGN.md).
    # strict=False: OpenAI's strict mode demands every field required, which the Script is not.
    return {
        "type": "json_schema",
        "json_schema": {"name": "Script", "schema": compact_schema(Script.json_schema()), "strict": False},
    }


def compact_schema(node: Any, *, in_properties: bool = False) -> Any:
    """Drop pydantic's auto-generated "title" annotations: ~40% of the schema's tokens, no meaning.

    Inside a "properties" mapping the keys are field names (a field may be called "title").
    """
    if isinstance(node, list):
        return [compact_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if k == "title" and not in_properties and isinstance(v, str):
            continue
        out[k] = compact_schema(v, in_properties=(k in ("properties", "$defs") and not in_properties))
    return out


@functools.cache
def prompt_version() -> str:
    """A label plus a hash of the prompt and schema: any edit invalidates cached Scripts."""
    blob = system_prompt() + json.dumps(response_format(), sort_keys=True)
    return f"{PROMPT_LABEL}-{hashlib.sha256(blob.encode()).hexdigest()[:12]}"


def build_messages(story: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": system_prompt()}, {"role": "user", "content": story}]


# --- redaction ------------------------------------------------------------------------------
# "litellm.RateLimitError: RateLimitError: OpenAIException - msg" -> "msg"
_LITELLM_PREFIX = re.compile(r"^(?:litellm\.\w+:\s*)?(?:\w*(?:Error|Exception)\s*[:\-]\s*)*")


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- one provider, resolved -----------------------------------------------------------------
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
    if pc.is_local:
        raise ConfigError("the local planner is not an LLM provider")
    check_model_override(pc, model)
    return Target(name=name, pc=pc, model=model or pc.model or "", key=cfg.require_key(name))


# --- run state and progress -----------------------------------------------------------------
@dataclass
class _Run:
    progress: ProgressCallback | None
    sleep: Callable[[float], None]
    secrets: list[str] = field(repr=False)  # the keys, for redaction: never shown
    attempts: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = 0.0
    reasks: int = 0

    def emit(self, event: str, target: Target | None, **fields: Any) -> None:
        if self.progress is None:
            return
        info = {"event": event, "provider": target.name if target else None,
                "model": target.model if target else None, "attempt": self.attempts, **fields}  # fmt: skip
        try:
            self.progress(info)
        except Exception as err:  # a broken UI callback must not break generation
            log.debug("progress callback failed: %s", type(err).__name__)

    def add_usage(self, prompt: int | None, completion: int | None, cost: float | None) -> None:
        self.prompt_tokens += prompt or 0
        self.completion_tokens += completion or 0
        self.cost = None if cost is None or self.cost is None else self.cost + cost

    def meta(self, target: Target, **extra: Any) -> Meta:
        total = self.prompt_tokens + self.completion_tokens
        return Meta(
            provider=target.name,
            model=target.model,
            tokens=total or None,
            cost_usd=round(self.cost, 8) if self.cost is not None and total else None,
            attempts=self.attempts,
            cached=False,
            prompt_tokens=self.prompt_tokens or None,
            completion_tokens=self.completion_tokens or None,
            reasks=self.reasks,
            prompt_version=prompt_version(),
            **extra,
        )


@dataclass
class Answer:
    text: str
    finish_reason: str | None


# --- failures -------------------------------------------------------------------------------
@dataclass
class _Failure:
    kind: str
    status: int | None
    retryable: bool
    detail: str = field(repr=False)  # the provider's raw message: may quote the key
    retry_after: float | None = None


def classify(exc: BaseException, lm: Any) -> _Failure:
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
        return _Failure(HTML_REPLY, None, True, page)
    if _is_connection_failure(exc, detail):  # LiteLLM reports a refused connection as HTTP 500
        return _Failure("connection failed", None, True, detail)
    for cls, kind, retryable in table:
        if isinstance(exc, cls):
            after = _retry_after(exc) if cls is lm.RateLimitError else None
            return _Failure(kind, status, retryable, detail, after)
    if status is not None and (status >= 500 or status in (408, 409, 425)):
        return _Failure("server error", status, True, detail)
    if status in _CLIENT_ERRORS:  # LiteLLM maps some statuses (403 from compatibles) to a bare APIError
        return _Failure(_CLIENT_ERRORS[status], status, False, detail)
    return _Failure(f"failed ({type(exc).__name__})", status, False, detail)


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
    try:
        value = float(headers.get("retry-after"))
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= 120 else None


def _provider_error(target: Target, f: _Failure, attempts: int, run: _Run) -> ProviderError:
    status = f" (HTTP {f.status})" if f.status and f.status != 408 else ""
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    msg = f"{target.label}: {f.kind}{status}{tries}: {_short(redact(f.detail, run.secrets))}"
    return ProviderError(
        msg, provider=target.name, model=target.model, status=f.status, retryable=f.retryable
    )


# --- one HTTP request -----------------------------------------------------------------------
def _request(
    lm: Any, target: Target, messages: list[dict], timeout: float, run: _Run, **extra: Any
) -> Answer:
    """One completion call (streamed when the provider allows), usage and cost recorded."""
    stream = target.pc.stream and extra.pop("stream", True)
    kwargs = {**target.call_kwargs(), **extra, "messages": messages, "timeout": timeout,
              "max_retries": 0, "num_retries": 0}  # fmt: skip
    if stream:
        kwargs.update(stream=True, stream_options={"include_usage": True})
    run.emit("request", target)
    t0 = time.monotonic()
    resp = lm.completion(**kwargs)
    if stream:
        resp = _drain(lm, resp, target, messages, run, t0 + timeout)
    choice = resp.choices[0] if resp.choices else None
    _record_usage(lm, target, resp, run)
    text = _content(choice)
    if len(text) > MAX_ANSWER_CHARS:
        raise _too_long(target, text, run)
    return Answer(text=text, finish_reason=getattr(choice, "finish_reason", None))


def _too_long(target: Target, head: str, run: _Run) -> GenerationError:
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


def _drain(lm: Any, stream: Any, target: Target, messages: list[dict], run: _Run, stop_at: float) -> Any:
    """Read a stream to the end with progress; the attempt's timeout also bounds a slow drip."""
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


def _record_usage(lm: Any, target: Target, resp: Any, run: _Run) -> None:
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
    lm: Any, target: Target, messages: list[dict], run: _Run, deadline: float, **extra: Any
) -> Answer:
    """One answer, retrying transient failures with backoff until `deadline` (monotonic)."""
    pc = target.pc
    tries = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0.05:
            f = _Failure("deadline exceeded", None, False, f"no answer within {pc.deadline:g} s")
            raise _provider_error(target, f, tries, run)
        tries += 1
        run.attempts += 1
        try:
            return _request(lm, target, messages, min(pc.timeout, remaining), run, **extra)
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
            raise _provider_error(target, failure, tries, run) from None
        delay = backoff_delay(pc.backoff, tries, failure.retry_after)
        if time.monotonic() + delay >= deadline:
            raise _provider_error(target, failure, tries, run) from None
        run.emit("retry", target, reason=failure.kind, delay=round(delay, 3))
        run.sleep(delay)


def backoff_delay(base: float, tries: int, retry_after: float | None = None, cap: float = 20.0) -> float:
    """Exponential backoff with jitter; a server's Retry-After wins when it is longer."""
    delay = min(cap, base * 2 ** (tries - 1)) * (1 + 0.25 * random.random())
    return max(delay, min(retry_after or 0.0, cap))


# --- answer -> Script -----------------------------------------------------------------------
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.S)


def extract_json(text: str) -> str:
    """The JSON object inside an answer: code fences stripped, surrounding prose dropped."""
    text = text.strip().lstrip("\ufeff")
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    elif text.startswith("```"):  # an opening fence whose closing one was cut off
        text = text.split("\n", 1)[1] if "\n" in text else ""
    if not text.startswith("{") and "{" in text:
        start, end = text.find("{"), text.rfind("}")
        text = text[start : end + 1] if end > start else text[start:]
    return text


def parse_answer(answer: Answer, target: Target) -> Script:
    """Validate an answer; raises ValidationError saying what is wrong (truncation included)."""
    if answer.finish_reason == "length":
        raise ValidationError(
            f"the answer was cut off at max_tokens={target.pc.max_tokens} (finish_reason=length)"
        )
    body = extract_json(answer.text)
    if not body:
        raise ValidationError("the answer was empty")
    try:
        return Script.parse(body)
    except ValidationError as err:
        unknown = _unknown_actions(body)
        if unknown:  # pydantic's enum message lists what is allowed, not what was wrong
            raise ValidationError(f"unknown action(s) {', '.join(map(repr, unknown))}; {err}") from None
        raise


def _unknown_actions(body: str) -> list[str]:
    try:
        data = json.loads(body)
        actions = [a.get("action") for s in data.get("scenes", []) for a in s.get("actions", [])]
    except (ValueError, AttributeError, TypeError, RecursionError):  # deeply nested JSON: no list
        return []
    return sorted({str(a) for a in actions if a not in ACTIONS})


def _reask(messages: list[dict], answer: Answer, err: ValidationError) -> list[dict]:
    if answer.finish_reason == "length":
        # Resending the cut-off half helps nobody; ask afresh for less (one user turn: some
        # providers reject two user messages in a row).
        note = "(A previous answer was cut off at the length limit: write a shorter Script, fewer actions, short texts.)"
        system, user = messages[0], messages[-1]
        return [system, {"role": "user", "content": f"{user['content']}\n\n{note}"}]
    note = (
        f"That was not a valid Script: {err}. Reply with the corrected Script as one JSON object, "
        "using only the allowed action names and parameters."
    )
    return [*messages, {"role": "assistant", "content": answer.text[:MAX_RAW_ECHO] or "(empty)"},
            {"role": "user", "content": note}]  # fmt: skip


def _fit_context(lm: Any, target: Target, messages: list[dict], run: _Run) -> dict[str, Any]:
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
        f = _Failure("context window exceeded", None, False, f"the prompt has {prompt} tokens of {limit}")
        raise _provider_error(target, f, 0, run)
    return {"max_tokens": room} if room < target.pc.max_tokens else {}


def _plan_with(lm: Any, target: Target, story: str, run: _Run, deadline: float) -> Script:
    messages = build_messages(story)
    fit = {**_fit_context(lm, target, messages, run), "response_format": response_format()}
    answer = complete(lm, target, messages, run, deadline, **fit)
    try:
        return parse_answer(answer, target)
    except ValidationError as err:
        first = err
    run.reasks += 1
    run.emit("reask", target, reason=str(first))
    answer = complete(lm, target, _reask(messages, answer, first), run, deadline, **fit)
    try:
        return parse_answer(answer, target)
    except ValidationError as err:
        raw = redact(answer.text, run.secrets, one_line=False)
        msg = f"{target.label} did not return a valid Script after one re-ask: {_short(str(err), 400)}"
        raise GenerationError(redact(msg, run.secrets), raw=raw, provider=target.name) from None


# --- the cache ------------------------------------------------------------------------------
def _cache_parts(target: Target, story: str) -> dict[str, Any]:
    pc = target.pc
    return {
        "provider": target.name,
        "model": target.model,
        "api_base": pc.api_base,
        "prompt": prompt_version(),
        "story": story,
        "params": {"temperature": pc.temperature, "max_tokens": pc.max_tokens, "extra": pc.params},
    }


def _open_cache(cache: bool | ScriptCache | str | os.PathLike | None) -> ScriptCache | None:
    if cache is False or cache is None:
        return None
    if isinstance(cache, ScriptCache):
        return cache
    return ScriptCache(None if cache is True else cache)


# --- entry points ---------------------------------------------------------------------------
def generate_script(
    story: str,
    cfg: Config,
    *,
    provider: str | None = None,
    model: str | None = None,
    cache: bool | ScriptCache | str | os.PathLike | None = True,
    progress: ProgressCallback | None = None,
    deadline: float | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[Script, Meta]:
    """Story -> Script with `provider` (default: cfg.provider), then cfg.fallbacks in order.

    cache: True (user cache dir), False (bypass), a directory or a ScriptCache.
    deadline: seconds per provider (default: the provider's `deadline`).
    sleep: the backoff's sleep, injectable for tests.
    Raises ConfigError (unknown provider, missing key), ProviderError, GenerationError.
    """
    text = check_story(story)
    primary = provider or cfg.provider
    # Before anything else, and not to be papered over by a fallback: an unknown provider
    # (ConfigError listing the configured ones), a model override of another vendor's.
    check_model_override(cfg.get(primary), model)
    chain = [primary, *(f for f in cfg.fallbacks if f != primary)]
    store = _open_cache(cache)
    run = _Run(progress=progress, sleep=sleep, secrets=cfg.secrets())
    errors: list[StickanimError] = []
    for i, name in enumerate(chain):
        try:
            script, meta = _one_provider(cfg, name, model if i == 0 else None, text, store, run, deadline)
        except (ConfigError, ProviderError, GenerationError) as err:
            errors.append(err)
            if i + 1 < len(chain):
                run.emit("fallback", None, provider=name, next=chain[i + 1], reason=str(err))
            continue
        if errors:
            meta.fallback_from = [chain[j] for j in range(len(errors))]
        run.emit("done", None, provider=meta.provider, cached=meta.cached)
        return script, meta
    raise _combined(errors)


def _one_provider(
    cfg: Config,
    name: str,
    model: str | None,
    story: str,
    store: ScriptCache | None,
    run: _Run,
    deadline: float | None,
) -> tuple[Script, Meta]:
    if name == LOCAL:  # a fallback to the offline planner
        from . import local

        return local.plan(story), Meta(provider=LOCAL, attempts=run.attempts)
    target = resolve(cfg, name, model)
    parts = _cache_parts(target, story)
    key = cache_key(parts)
    hit = store.get(key) if store else None
    if hit:
        script, stored = hit
        run.emit("cached", target)
        return script, Meta(provider=name, model=target.model, tokens=0, cost_usd=0.0, attempts=0,
                            cached=True, original_tokens=stored.get("tokens"))  # fmt: skip
    lm = litellm_module()
    script = _plan_with(lm, target, story, run, time.monotonic() + (deadline or target.pc.deadline))
    meta = run.meta(target)
    if store:
        store.put(
            key, script, {"tokens": meta.tokens, "cost_usd": meta.cost_usd, "model": target.model}, parts
        )
    return script, meta


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


def ping(cfg: Config, name: str, timeout: float = 10.0) -> dict[str, Any]:
    """A cheap request (a few tokens, one attempt) to see that `name` answers."""
    target = resolve(cfg, name)
    lm = litellm_module()
    run = _Run(progress=None, sleep=time.sleep, secrets=cfg.secrets())
    t0 = time.perf_counter()
    messages = [{"role": "user", "content": "Reply with the word ok."}]
    try:
        _request(lm, target, messages, min(timeout, target.pc.timeout), run, max_tokens=5, stream=False)
    except Exception as exc:
        f = classify(exc, lm)
        # It answered, with an error (401, 404...): reachable but not usable.
        reachable = f.status is not None and f.kind not in ("connection failed", "timed out")
        return {"reachable": reachable, "ok": False, "latency_ms": _ms(t0), "status_code": f.status,
                "error": str(_provider_error(target, f, 1, run))}  # fmt: skip
    return {"reachable": True, "ok": True, "latency_ms": _ms(t0), "status_code": 200, "error": None}


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)
