"""The LLM planner: a story becomes a Script through any LiteLLM provider of config.yml.

LiteLLMPlanner is the Planner of every provider section; the fallback chain between
providers is planners.plan_with_fallbacks. Its parts, one concern each:

- prompt: the system prompt, examples, rules, response format and prompt version;
- target: a provider resolved for a call (model id, key, call keywords);
- strict: the Script's JSON Schema in the form strict structured output accepts;
- transport: the litellm call in a watched worker thread, streaming, retries, time limits;
- failures: errors classified (retryable or not) and reported on one line;
- answer: the JSON found in an answer, mended (repair, words), validated, re-asked once;
- redact: keys scrubbed out of every message.

Importing this package does not import litellm: the first request does.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from ...cache import ScriptCache, cache_key
from ...config import Config, ProviderConfig
from ...options import GenerationOptions
from ...schema import Meta, Script
from ...secrets import redact
from ..base import PlanRun
from .answer import ask_for_script, extract_json, parse_answer
from .failures import classify, provider_error
from .prompt import (
    PROMPT_LABEL,
    build_messages,
    compact_schema,
    prompt_version,
    response_format,
    system_prompt,
)
from .target import NO_KEY, Target, check_model_override, resolve
from .transport import MAX_ANSWER_CHARS, MAX_RAW_ECHO, Answer, backoff_delay, litellm_module, request

__all__ = [
    "LiteLLMPlanner", "Answer", "Target", "NO_KEY", "PROMPT_LABEL", "MAX_ANSWER_CHARS", "MAX_RAW_ECHO",
    "backoff_delay", "build_messages", "check_model_override", "classify", "compact_schema", "extract_json",
    "litellm_module", "parse_answer", "prompt_version", "redact", "resolve", "response_format",
    "system_prompt",
]  # fmt: skip


class LiteLLMPlanner:
    """A provider section of config.yml as a Planner: its model through LiteLLM, with the Script
    cache in front (keyed by provider, model, endpoint, prompt version, story and parameters)."""

    offline = False

    def __init__(self, pc: ProviderConfig, cfg: Config) -> None:
        self.pc, self.cfg = pc, cfg
        self.name = pc.name
        self.model = pc.model

    def check(self, options: GenerationOptions) -> None:
        check_model_override(self.pc, options.model)

    def plan(self, story: str, options: GenerationOptions, run: PlanRun) -> tuple[Script, Meta]:
        target = resolve(self.cfg, self.name, options.model)
        store = _open_cache(options.cache)
        parts = _cache_parts(target, story)
        key = cache_key(parts)
        hit = store.get(key) if store else None
        if hit:
            script, stored = hit
            run.emit("cached", target)
            return script, Meta(provider=self.name, model=target.model, tokens=0, cost_usd=0.0, attempts=0,
                                cached=True, original_tokens=stored.get("tokens"))  # fmt: skip
        if "litellm" not in sys.modules:  # the first request imports it: seconds, worth saying
            run.emit("loading", target)
        lm = litellm_module()
        mended = len(run.repairs)  # a fallback's run may hold an earlier provider's repairs
        script = ask_for_script(lm, target, story, run, time.monotonic() + target.pc.deadline)
        meta = _meta(run, target, run.repairs[mended:])
        if store:
            store.put(
                key, script, {"tokens": meta.tokens, "cost_usd": meta.cost_usd, "model": target.model}, parts
            )
        return script, meta

    def ping(self, timeout: float = 10.0) -> dict[str, Any]:
        """A cheap request (a few tokens, one attempt) to see that the provider answers."""
        target = resolve(self.cfg, self.name)
        lm = litellm_module()
        run = PlanRun(find_secrets=self.cfg.secrets)
        t0 = time.perf_counter()
        messages = [{"role": "user", "content": "Reply with the word ok."}]
        try:
            request(lm, target, messages, min(timeout, target.pc.timeout), run, max_tokens=5, stream=False)
        except Exception as exc:
            f = classify(exc, lm)
            # It answered, with an error (401, 404...): reachable but not usable.
            reachable = f.status is not None and f.kind not in ("connection failed", "timed out")
            return {"reachable": reachable, "ok": False, "latency_ms": _ms(t0), "status_code": f.status,
                    "error": str(provider_error(target, f, 1, run))}  # fmt: skip
        return {"reachable": True, "ok": True, "latency_ms": _ms(t0), "status_code": 200, "error": None}


def _meta(run: PlanRun, target: Target, repairs: list[str]) -> Meta:
    """What the run cost so far (every provider it asked), credited to `target`; what was mended."""
    total = run.prompt_tokens + run.completion_tokens
    details = {"repairs": repairs} if repairs else {}  # dumped only when set
    return Meta(
        provider=target.name,
        model=target.model,
        tokens=total or None,
        cost_usd=round(run.cost, 8) if run.cost is not None and total else None,
        attempts=run.attempts,
        cached=False,
        prompt_tokens=run.prompt_tokens or None,
        completion_tokens=run.completion_tokens or None,
        reasks=run.reasks,
        prompt_version=prompt_version(),
        **details,
    )


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


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)
