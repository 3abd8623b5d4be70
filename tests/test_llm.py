"""The LLM planner's fault matrix, through LiteLLM's real HTTP client against a loopback server.

Each case ends in a valid Script or the right error, with the server's hit count and the
recorded backoff sleeps asserted. No speed assertions (speed belongs in bench/): a case about a
timeout or deadline asserts that it fired, with a generous hang guard (pytest.mark.timeout). Every case runs with FAKE_KEY, and an autouse guard checks that the key shows
up in no exception, log record, captured output, cache file or environment variable.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FAKE_KEY
from llmserver import VALID_SCRIPT_TEXT, WAVE_SCRIPT, LLMServer, Reply, refused_port

from stickanim_jupyter.config import Config, ProviderConfig, load_config
from stickanim_jupyter.errors import ConfigError, GenerationError, ProviderError, StickanimError
from stickanim_jupyter.planners import generate_script, llm
from stickanim_jupyter.schema import ACTIONS, Script

# LiteLLM's own pydantic deprecation noise, not ours. Every case is watched for key leaks.
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning:litellm.*"),
    pytest.mark.usefixtures("no_key_leaks"),
]

STORY = "一个人挥手"
HANG_GUARD = pytest.mark.timeout(60)  # only against a hang: these cases are about a timer firing


# --- guards and helpers ---------------------------------------------------------------------
class Sleeps(list):
    """The backoff's sleep, recorded (and shortened: tests need no real waiting, unless `real`)."""

    def __init__(self, real: bool = False) -> None:
        super().__init__()
        self.real = real

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        time.sleep(seconds if self.real else min(seconds, 0.01))


def backoff_ok(sleeps: list[float], base: float = 0.01) -> bool:
    """The recorded sleeps are the configured backoff: base, doubled each time, +0..25% jitter."""
    return all(base * 2**i <= s <= base * 2**i * 1.25 * 1.01 for i, s in enumerate(sleeps))


def gen(cfg: Config, provider: str = "loopback", **kwargs: Any) -> tuple[Script, Any]:
    kwargs.setdefault("cache", False)
    kwargs.setdefault("sleep", Sleeps())
    return generate_script(STORY, cfg, provider=provider, **kwargs)


def bad(text: str) -> Reply:
    return Reply(content=text)


def fence(text: str) -> str:
    return f"Here is the script:\n```json\n{text}\n```\nEnjoy!"


def script_with(**changes: Any) -> str:
    data = json.loads(VALID_SCRIPT_TEXT)
    data["scenes"][0]["actions"][0].update(changes)
    return json.dumps(data, ensure_ascii=False)


# --- the happy path, streaming --------------------------------------------------------------
def test_streams_with_progress_and_sends_the_contract(loop_config, llm_server: LLMServer) -> None:
    cfg = load_config(loop_config())
    events: list[dict] = []
    sleeps = Sleeps()
    script, meta = gen(cfg, progress=events.append, sleep=sleeps)
    assert script == Script.parse(WAVE_SCRIPT)
    assert (meta.provider, meta.model) == ("loopback", "openai/test-model")
    assert meta.attempts == 1 and not meta.cached
    assert meta.tokens == 1020 and meta.cost_usd is None  # usage from the stream; unknown model: no cost
    assert llm_server.hit_count == 1 and sleeps == []
    body = llm_server.hits[0].body
    assert body["stream"] is True and body["max_tokens"] == 1024
    assert (
        body["response_format"]["type"] == "json_schema" and body["response_format"]["json_schema"]["strict"]
    )
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["required"] == list(schema["properties"]) and schema["additionalProperties"] is False
    assert body["messages"][0]["role"] == "system" and body["messages"][1]["content"] == STORY
    headers = {k.lower(): v for k, v in llm_server.hits[0].headers.items()}
    assert headers["authorization"] == f"Bearer {FAKE_KEY}"  # per call, as api_key=
    chunks = [e for e in events if e["event"] == "chunk"]
    assert len(chunks) >= 4 and chunks[-1]["chars"] == len(VALID_SCRIPT_TEXT)
    assert all({"provider", "attempt", "chars", "tokens"} <= set(e) for e in chunks)
    assert [e["chars"] for e in chunks] == sorted(e["chars"] for e in chunks)
    assert events[-1]["event"] == "done"


def test_non_streaming_provider(loop_config, llm_server: LLMServer) -> None:
    cfg = load_config(loop_config(stream=False))
    script, meta = gen(cfg)
    assert script.title == "挥手致意" and meta.tokens == 1020
    assert "stream" not in llm_server.hits[0].body and llm_server.hit_count == 1


# --- transient failures are retried ---------------------------------------------------------
@pytest.mark.parametrize("status", [429, 500, 502, 503])
@pytest.mark.parametrize("stream", [True, False])
def test_transient_status_then_success(loop_config, llm_server: LLMServer, status: int, stream: bool) -> None:
    cfg = load_config(loop_config(stream=stream))
    llm_server.queue(Reply(status=status))
    sleeps = Sleeps()
    script, meta = gen(cfg, sleep=sleeps)
    assert script.title == "挥手致意"
    assert llm_server.hit_count == 2 and meta.attempts == 2 and len(sleeps) == 1
    assert 0.01 <= sleeps[0] <= 0.0125 * 1.01  # the configured base, with at most 25% jitter


def test_retry_after_is_honoured(loop_config, llm_server: LLMServer) -> None:
    cfg = load_config(loop_config())
    llm_server.queue(Reply(status=429, headers={"Retry-After": "3"}))
    sleeps = Sleeps()
    gen(cfg, sleep=sleeps)
    assert sleeps == [3.0] and llm_server.hit_count == 2


def test_persistent_500_gives_up_after_the_retries(loop_config, llm_server: LLMServer, expect) -> None:
    cfg = load_config(loop_config(retries=2))
    llm_server.default = Reply(status=500)
    sleeps = Sleeps()
    err = expect(ProviderError, gen, cfg, sleep=sleeps)
    assert llm_server.hit_count == 3 and err.status == 500 and err.retryable
    assert "server error (HTTP 500) after 3 attempts" in str(err)
    assert len(sleeps) == 2 and backoff_ok(sleeps)  # one backoff between each two attempts, doubling


@HANG_GUARD
def test_slow_response_beyond_the_timeout(loop_config, llm_server: LLMServer, expect) -> None:
    cfg = load_config(loop_config(timeout=0.3, retries=1))
    llm_server.default = Reply(delay=3)  # a valid answer, if the client waited for it
    sleeps = Sleeps()
    err = expect(ProviderError, gen, cfg, sleep=sleeps)
    assert "timed out after 2 attempts" in str(err) and err.retryable  # the timeout fired, twice
    assert llm_server.hit_count == 2 and len(sleeps) == 1 and backoff_ok(sleeps)


@HANG_GUARD
def test_a_live_stream_outlasts_the_timeout(loop_config, llm_server: LLMServer) -> None:
    # timeout bounds the silence between chunks, not a stream that keeps talking (reasoning)
    cfg = load_config(loop_config(timeout=0.5, retries=1))
    llm_server.queue(Reply(chunks=20, chunk_delay=0.1))  # 2 s in all, never 0.5 s silent
    script, meta = gen(cfg)
    assert script.title == "挥手致意" and llm_server.hit_count == 1 and meta.attempts == 1


@HANG_GUARD
def test_a_stalled_stream_is_cut_at_the_timeout(loop_config, llm_server: LLMServer) -> None:
    cfg = load_config(loop_config(timeout=0.4, retries=1))
    llm_server.queue(Reply(chunks=20, stall=(3, 3.0)))  # silent for 3 s after a few chunks
    events: list[dict] = []
    sleeps = Sleeps()
    script, meta = gen(cfg, progress=events.append, sleep=sleeps)
    assert script.title == "挥手致意" and llm_server.hit_count == 2 and meta.attempts == 2
    retries = [e for e in events if e["event"] == "retry"]
    assert [e["reason"] for e in retries] == ["timed out"] and len(sleeps) == 1  # the stall was cut


@HANG_GUARD
def test_deadline_bounds_all_retries(loop_config, llm_server: LLMServer, expect) -> None:
    cfg = load_config(loop_config(retries=10, backoff=0.2, deadline=0.5))
    llm_server.default = Reply(status=503)
    sleeps = Sleeps(real=True)  # the deadline is wall-clock: these sleeps must really pass
    err = expect(ProviderError, gen, cfg, sleep=sleeps)
    # It gives up with the last 503 (the next backoff would end past the deadline), or, when the
    # machine is slow enough that the deadline passes during the one backoff, says so.
    assert "server error (HTTP 503)" in str(err) or "deadline exceeded" in str(err)
    # 10 retries were allowed; the deadline stopped them: no backoff is started that would end
    # past it (0.2 s, then 0.4 s > what is left of 0.5 s), so at most one sleep and two requests.
    assert 1 <= llm_server.hit_count <= 2 and len(sleeps) <= 1
    assert sum(sleeps) < 0.5 and backoff_ok(sleeps, base=0.2)


def test_connection_refused(loop_config, llm_server: LLMServer, expect) -> None:
    # Nothing listens on that loopback port (Ollama not running): no retry, an answer at once.
    cfg = load_config(loop_config(api_base=f"http://127.0.0.1:{refused_port()}/v1", retries=2))
    events: list[dict] = []
    sleeps = Sleeps()
    err = expect(ProviderError, gen, cfg, progress=events.append, sleep=sleeps)
    assert "connection failed" in str(err) and "refused" in str(err) and err.status is None
    assert [e["event"] for e in events].count("request") == 1
    assert llm_server.hit_count == 0 and sleeps == []


def test_dropped_connection_is_retried(loop_config, llm_server: LLMServer) -> None:
    cfg = load_config(loop_config())
    llm_server.queue(Reply(drop=True))
    script, meta = gen(cfg)
    assert script.title == "挥手致意" and llm_server.hit_count == 2


# --- permanent failures are not -------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, "authentication failed"),
        (403, "permission denied"),
        (404, "not found"),
        (400, "request rejected"),
    ],
)
def test_client_errors_are_not_retried(
    loop_config, llm_server: LLMServer, expect, status: int, kind: str
) -> None:
    cfg = load_config(loop_config())
    llm_server.default = Reply(status=status)  # its body echoes the Authorization header
    err = expect(ProviderError, gen, cfg)
    assert llm_server.hit_count == 1 and err.status == status and not err.retryable
    assert kind in str(err) and str(err).startswith("loopback (openai/test-model): ")


def test_context_window_error_is_not_retried(loop_config, llm_server: LLMServer, expect) -> None:
    cfg = load_config(loop_config())
    message = "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens."
    llm_server.default = Reply(
        status=400,
        body={
            "error": {"message": message, "type": "invalid_request_error", "code": "context_length_exceeded"}
        },
    )
    err = expect(ProviderError, gen, cfg)
    assert "context window exceeded" in str(err) and llm_server.hit_count == 1


def test_prompt_over_max_context_tokens_fails_before_sending(
    loop_config, llm_server: LLMServer, expect
) -> None:
    cfg = load_config(loop_config(max_context_tokens=300))
    err = expect(ProviderError, gen, cfg)
    assert "context window exceeded" in str(err) and llm_server.hit_count == 0


def test_max_tokens_shrinks_to_fit_the_context(loop_config, llm_server: LLMServer) -> None:
    cfg = load_config(loop_config(max_context_tokens=2000, max_tokens=4096))
    gen(cfg)
    assert 64 <= llm_server.hits[0].body["max_tokens"] < 2000


# --- output handling ------------------------------------------------------------------------
def test_json_in_code_fences(loop_config, llm_server: LLMServer) -> None:
    cfg = load_config(loop_config())
    llm_server.queue(bad(fence(VALID_SCRIPT_TEXT)))
    script, meta = gen(cfg)
    assert script.title == "挥手致意" and llm_server.hit_count == 1 and meta.reasks == 0


@pytest.mark.parametrize(
    ("first", "why"),
    [
        ('{"title": "挥手", "characters": [', "not valid JSON"),  # malformed JSON
        (json.dumps({"title": "x", "scenes": []}), "characters"),  # schema-invalid
        (script_with(action="fly"), "unknown action(s) 'fly'"),
        ("", "empty"),
        (script_with(duration=float("nan")).replace("NaN", "NaN"), "NaN"),
    ],
    ids=["malformed", "schema-invalid", "unknown-action", "empty", "nan"],
)
def test_invalid_then_valid_on_the_reask(loop_config, llm_server: LLMServer, first: str, why: str) -> None:
    cfg = load_config(loop_config())
    llm_server.queue(bad(first))
    events: list[dict] = []
    script, meta = gen(cfg, progress=events.append)
    assert script.title == "挥手致意" and meta.reasks == 1 and meta.attempts == 2
    assert llm_server.hit_count == 2
    reask = llm_server.hits[1].body["messages"]
    assert reask[-2] == {"role": "assistant", "content": first or "(empty)"}
    assert reask[-1]["role"] == "user" and why in reask[-1]["content"]
    assert any(e["event"] == "reask" for e in events)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('{"title": ', "not valid JSON"),
        (script_with(action="fly"), "unknown action(s) 'fly'"),
        ("", "empty"),
        (json.dumps({"characters": [{"id": "c1", "name": "a"}], "scenes": [{"id": "s", "actions": [
            {"character": "ghost", "action": "wave"}]}]}), "unknown character 'ghost'"),
    ],
    ids=["malformed", "unknown-action", "empty", "unknown-character"],
)  # fmt: skip
def test_invalid_twice_is_a_generation_error_with_the_raw_text(
    loop_config, llm_server: LLMServer, expect, text: str, why: str
) -> None:
    cfg = load_config(loop_config())
    llm_server.default = bad(text)
    err = expect(GenerationError, gen, cfg)
    assert llm_server.hit_count == 2 and err.raw == text and err.provider == "loopback"
    assert "after one re-ask" in str(err) and why in str(err)


def test_truncated_output_then_shorter_answer(loop_config, llm_server: LLMServer) -> None:
    cfg = load_config(loop_config())
    llm_server.queue(Reply(content=VALID_SCRIPT_TEXT[:120], finish_reason="length"))
    script, meta = gen(cfg)
    assert script.title == "挥手致意" and llm_server.hit_count == 2 and meta.reasks == 1
    roles = [m["role"] for m in llm_server.hits[1].body["messages"]]
    ask = llm_server.hits[1].body["messages"][-1]["content"]
    assert roles == ["system", "user"] and ask.startswith(STORY) and "cut off" in ask


@pytest.mark.parametrize("stream", [True, False])
def test_truncated_twice(loop_config, llm_server: LLMServer, expect, stream: bool) -> None:
    cfg = load_config(loop_config(stream=stream))
    llm_server.default = Reply(content=VALID_SCRIPT_TEXT[:120], finish_reason="length")
    err = expect(GenerationError, gen, cfg)
    assert "cut off at max_tokens=1024" in str(err) and err.raw == VALID_SCRIPT_TEXT[:120]
    assert llm_server.hit_count == 2


def test_malformed_http_body_is_retried(loop_config, llm_server: LLMServer) -> None:
    cfg = load_config(loop_config(stream=False))
    llm_server.queue(Reply(body="<html>bad gateway</html>"))
    script, _ = gen(cfg)
    assert script.title == "挥手致意" and llm_server.hit_count == 2


# --- fallbacks ------------------------------------------------------------------------------
def two_providers(tmp_path: Path, primary_base: str, fallback_base: str, **extra: Any) -> Config:
    section = {"model": "openai/test-model", "retries": 1, "backoff": 0.01, "timeout": 2}
    llm_cfg = {
        "provider": "primary",
        "fallbacks": ["backup", *extra.pop("more", [])],
        "primary": {**section, "api_base": primary_base},
        "backup": {**section, "api_base": fallback_base, "model": "openai/backup-model"},
    }
    (tmp_path / "config.yml").write_text(yaml.safe_dump({"llm": llm_cfg}))
    (tmp_path / "llm_config.yml").write_text(yaml.safe_dump({"primary": {"api_key": FAKE_KEY},
                                                              "backup": {"api_key": FAKE_KEY}}))  # fmt: skip
    return load_config(tmp_path / "config.yml")


def test_primary_down_fallback_up(tmp_path: Path, llm_server: LLMServer) -> None:
    cfg = two_providers(tmp_path, f"http://127.0.0.1:{refused_port()}/v1", llm_server.url)
    events: list[dict] = []
    sleeps = Sleeps()
    script, meta = generate_script(STORY, cfg, cache=False, progress=events.append, sleep=sleeps)
    assert script.title == "挥手致意"
    assert (meta.provider, meta.model, meta.fallback_from) == ("backup", "openai/backup-model", ["primary"])
    assert meta.attempts == 2 and llm_server.hit_count == 1
    assert sleeps == []  # a refused loopback port is not retried; no wait before the fallback
    assert any(e["event"] == "fallback" and e["next"] == "backup" for e in events)


def test_every_provider_down(tmp_path: Path, expect) -> None:
    dead = f"http://127.0.0.1:{refused_port()}/v1"
    cfg = two_providers(tmp_path, dead, dead)
    err = expect(ProviderError, generate_script, STORY, cfg, cache=False)
    assert str(err).startswith("primary (openai/test-model): connection failed")
    assert "fallback backup: backup (openai/backup-model): connection failed" in str(err)


def test_generation_error_falls_back_too(tmp_path: Path, llm_server: LLMServer) -> None:
    with LLMServer(default=bad("not json")) as broken:
        cfg = two_providers(tmp_path, broken.url, llm_server.url)
        script, meta = generate_script(STORY, cfg, cache=False)
        assert broken.hit_count == 2 and llm_server.hit_count == 1 and meta.provider == "backup"


def test_fallback_to_the_local_planner(tmp_path: Path) -> None:
    from stickanim_jupyter.planners import local  # noqa: F401 - a broken module fails, not skips

    dead = f"http://127.0.0.1:{refused_port()}/v1"
    cfg = two_providers(tmp_path, dead, dead, more=["local"])
    script, meta = generate_script(STORY, cfg, cache=False)
    assert meta.provider == "local" and meta.fallback_from == ["primary", "backup"]
    assert script.characters


# --- configuration errors at call time ------------------------------------------------------
def test_unknown_provider_lists_the_configured_ones(loop_config, expect) -> None:
    cfg = load_config(loop_config())
    err = expect(ConfigError, gen, cfg, provider="nope")
    assert "unknown provider 'nope'" in str(err) and "local, loopback" in str(err)


def test_missing_key_names_where_keys_are_looked_for(tmp_path: Path, monkeypatch, expect) -> None:
    monkeypatch.delenv("STICKANIM_REMOTE_API_KEY", raising=False)
    (tmp_path / "config.yml").write_text(
        "llm:\n  provider: remote\n  remote: {model: openai/gpt-4o-mini, api_base: 'https://llm.example.invalid/v1'}\n"
    )
    cfg = load_config(tmp_path / "config.yml")
    err = expect(ConfigError, generate_script, STORY, cfg, cache=False)
    assert (
        "no API key" in str(err) and "llm_config.yml" in str(err) and "STICKANIM_REMOTE_API_KEY" in str(err)
    )


def test_model_override_applies_to_the_primary(loop_config, llm_server: LLMServer) -> None:
    cfg = load_config(loop_config())
    _, meta = gen(cfg, model="openai/other-model")
    assert meta.model == "openai/other-model" and llm_server.hits[0].body["model"] == "other-model"


def test_model_override_of_another_vendor_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, expect
) -> None:
    """S1: `-p openai -m anthropic/...` sent the OpenAI key (from OPENAI_API_KEY) to Anthropic."""
    vendor_key = "sk-vendor-openai-key-0000000000"
    monkeypatch.setenv("OPENAI_API_KEY", vendor_key)
    llm_cfg = {"provider": "openai", "fallbacks": ["local"], "openai": {"model": "openai/gpt-4o-mini"}}
    (tmp_path / "config.yml").write_text(yaml.safe_dump({"llm": llm_cfg}))
    cfg = load_config(tmp_path / "config.yml")
    err = expect(ConfigError, llm.resolve, cfg, "openai", "anthropic/claude-3-haiku")
    assert str(err).startswith(
        "model anthropic/claude-3-haiku is not a model of openai; add a provider section for it instead"
    )
    assert vendor_key not in str(err)
    imported: list[bool] = []  # nothing is sent: litellm is never even reached
    monkeypatch.setattr(llm, "litellm_module", lambda: imported.append(True))
    # A user error, not a provider failure: the `local` fallback does not paper over it. The bare
    # name too: LiteLLM infers anthropic/ for it.
    for model in ("anthropic/claude-3-haiku", "claude-3-haiku"):
        err = expect(ConfigError, generate_script, STORY, cfg, model=model, cache=False)
        assert "is not a model of openai" in str(err)
    assert imported == []
    from stickanim_jupyter.cli import main

    assert main(["generate", "wave", "--config", str(tmp_path / "config.yml"),
                 "-p", "openai", "-m", "anthropic/claude-3-haiku"]) == 1  # fmt: skip
    assert "is not a model of openai" in capsys.readouterr().err
    # The same vendor is fine. On a custom api_base too, but only with the section's prefix:
    # some vendors (replicate/...) ignore api_base and would get the endpoint's key.
    assert llm.resolve(cfg, "openai", "openai/gpt-4o").model == "openai/gpt-4o"
    assert llm.resolve(cfg, "openai", "gpt-4o").call_kwargs()["api_key"] == vendor_key
    compatible = Config(providers={"compat": ProviderConfig(name="compat", model="openai/qwen",
                                                            api_base="https://llm.example.invalid/v1",
                                                            key_required=False)})  # fmt: skip
    target = llm.resolve(compatible, "compat", "openai/llama-3")
    assert target.model == "openai/llama-3" and target.call_kwargs()["api_key"] == llm.NO_KEY
    for model in ("anthropic/claude-3-haiku", "replicate/meta/llama-3", "qwen-max"):
        err = expect(ConfigError, llm.resolve, compatible, "compat", model)
        assert "is not a model of openai" in str(err) and "write it as openai/<model>" in str(err)


def test_a_broken_progress_callback_does_not_break_generation(loop_config) -> None:
    def explode(_: dict) -> None:
        raise RuntimeError("ui gone")

    script, _ = gen(load_config(loop_config()), progress=explode)
    assert script.title == "挥手致意"


# --- cache through the planner --------------------------------------------------------------
def test_cache_hit_costs_no_request(loop_config, llm_server: LLMServer, _isolated_cache: Path) -> None:
    cfg = load_config(loop_config())
    first, m1 = gen(cfg, cache=True)
    second, m2 = gen(cfg, cache=True)
    assert first == second and llm_server.hit_count == 1
    assert (m1.cached, m2.cached, m2.tokens, m2.cost_usd, m2.attempts) == (False, True, 0, 0.0, 0)
    assert list(_isolated_cache.rglob("*.json"))  # the env-chosen directory was used


def test_cache_bypass(loop_config, llm_server: LLMServer) -> None:
    cfg = load_config(loop_config())
    gen(cfg, cache=True)
    gen(cfg, cache=False)
    gen(cfg, cache=False)
    assert llm_server.hit_count == 3


def test_cache_key_follows_provider_settings(loop_config, llm_server: LLMServer) -> None:
    gen(load_config(loop_config(temperature=0.1)), cache=True)
    gen(load_config(loop_config(temperature=0.9)), cache=True)
    assert llm_server.hit_count == 2


# --- through the public API -----------------------------------------------------------------
def test_api_generate_end_to_end(loop_config, llm_server: LLMServer) -> None:
    import stickanim_jupyter.compiler  # noqa: F401 - a broken module fails, not skips
    from stickanim_jupyter import generate

    anim = generate(STORY, provider="loopback", config=loop_config(), cache=False)
    assert anim.meta.provider == "loopback" and anim.meta.elapsed_ms > 0 and anim.meta.attempts == 1
    assert anim.script.title == "挥手致意" and llm_server.hit_count == 1


# --- units: LiteLLM's mock_response (no HTTP at all) ----------------------------------------
def mock_cfg(**pc: Any) -> Config:
    base = {"name": "mock", "model": "openai/gpt-4o-mini", "backoff": 0.0, "key_required": False}
    return Config(provider="mock", providers={"mock": ProviderConfig(**{**base, **pc})})


def test_mock_response_cost_from_the_litellm_price_map() -> None:
    cfg = mock_cfg(params={"mock_response": VALID_SCRIPT_TEXT}, stream=False)
    script, meta = generate_script(STORY, cfg, cache=False)
    assert script.title == "挥手致意" and meta.tokens and meta.cost_usd and meta.cost_usd > 0


def test_configured_prices_win() -> None:
    cfg = mock_cfg(params={"mock_response": VALID_SCRIPT_TEXT}, stream=False,
                   input_cost_per_million=1.0, output_cost_per_million=2.0)  # fmt: skip
    _, meta = generate_script(STORY, cfg, cache=False)
    assert meta.cost_usd == pytest.approx((meta.prompt_tokens * 1.0 + meta.completion_tokens * 2.0) / 1e6)


def test_mock_streaming_progress() -> None:
    events: list[dict] = []
    cfg = mock_cfg(params={"mock_response": VALID_SCRIPT_TEXT})
    generate_script(STORY, cfg, cache=False, progress=events.append)
    assert any(e["event"] == "chunk" for e in events)


def test_mock_rate_limit_exhausts_retries(expect) -> None:
    lm = llm.litellm_module()
    error = lm.RateLimitError(f"slow down {FAKE_KEY}", llm_provider="openai", model="gpt-4o-mini")
    sleeps = Sleeps()
    cfg = mock_cfg(params={"mock_response": error}, retries=3)
    err = expect(ProviderError, generate_script, STORY, cfg, cache=False, sleep=sleeps)
    assert "rate limited (HTTP 429) after 4 attempts" in str(err) and len(sleeps) == 3


def test_classify_table() -> None:
    lm = llm.litellm_module()
    args = {"llm_provider": "openai", "model": "m"}
    cases = {
        lm.RateLimitError("x", **args): True,
        lm.Timeout("x", **args): True,
        lm.InternalServerError("x", **args): True,
        lm.ServiceUnavailableError("x", **args): True,
        lm.APIConnectionError("x", **args): True,
        lm.AuthenticationError("x", **args): False,
        lm.BadRequestError("x", **args): False,
        lm.NotFoundError("x", **args): False,
        lm.ContextWindowExceededError("x", **args): False,
        ValueError("ours"): False,
    }
    for exc, retryable in cases.items():
        assert llm.classify(exc, lm).retryable is retryable, type(exc).__name__


def test_unsupported_params_are_dropped_and_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    lm = llm.litellm_module()
    calls: list[dict] = []
    real = lm.completion

    def fake(**kwargs: Any) -> Any:
        calls.append(kwargs)
        if not kwargs.get("drop_params"):
            raise lm.UnsupportedParamsError(
                message="response_format not supported", model="m", llm_provider="x"
            )
        return real(**{**kwargs, "mock_response": VALID_SCRIPT_TEXT})

    monkeypatch.setattr(lm, "completion", fake)
    script, _ = generate_script(STORY, mock_cfg(stream=False), cache=False)
    assert script.title == "挥手致意" and [bool(c.get("drop_params")) for c in calls] == [False, True]


# --- units: prompt, parsing, redaction ------------------------------------------------------
def test_prompt_teaches_the_vocabulary_and_its_examples_are_valid() -> None:
    prompt = llm.system_prompt()
    assert all(a in prompt for a in ACTIONS) and "story's language" in prompt
    examples = [
        line.removeprefix("Script: ") for line in prompt.splitlines() if line.startswith('Script: {"title":')
    ]
    assert len(examples) == 2
    for text in examples:
        Script.parse(text)
    assert llm.prompt_version().startswith(llm.PROMPT_LABEL)


def test_compact_schema_keeps_a_field_called_title() -> None:
    schema = llm.response_format()["json_schema"]["schema"]
    assert "title" in schema["properties"] and "title" not in schema
    assert "title" not in json.dumps(schema).replace('"title": {', "").replace('["title", ', "")


@pytest.mark.parametrize(
    "text",
    [
        '```json\n{"a": 1}\n```',
        '```\n{"a": 1}\n```',
        'Sure! {"a": 1} Hope it helps.',
        '\ufeff  {"a": 1}  ',
        '```json\n{"a": 1}',
    ],
)
def test_extract_json(text: str) -> None:
    assert json.loads(llm.extract_json(text)) == {"a": 1}


def test_redact() -> None:
    text = (
        f"bad key {FAKE_KEY}; Authorization: Bearer abcdefghijkl; api_key='zyxwvutsrq'; sk-ant-api03-abcdefgh"
    )
    out = llm.redact(text, [FAKE_KEY])
    for secret in (FAKE_KEY, "abcdefghijkl", "zyxwvutsrq", "sk-ant-api03"):
        assert secret not in out
    assert llm.redact("custom-key-1234 appears", ["custom-key-1234"]) == "*** appears"
    assert llm.redact("line one\n  line two") == "line one line two"


def test_backoff_grows_and_respects_retry_after() -> None:
    delays = [llm.backoff_delay(0.5, n) for n in (1, 2, 3)]
    assert 0.5 <= delays[0] <= 0.625 and 1.0 <= delays[1] <= 1.25 and 2.0 <= delays[2] <= 2.5
    assert llm.backoff_delay(0.01, 1, retry_after=4.0) == 4.0
    assert llm.backoff_delay(100, 10) <= 25


def test_target_repr_hides_the_key(loop_config) -> None:
    target = llm.resolve(load_config(loop_config()), "loopback")
    assert FAKE_KEY not in repr(target) and target.call_kwargs()["api_key"] == FAKE_KEY


def test_keyless_loopback_still_sends_an_explicit_placeholder(
    loop_config, llm_server: LLMServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # OPENAI_API_KEY must never travel to a custom api_base: we always pass api_key explicitly.
    monkeypatch.setenv("OPENAI_API_KEY", "sk-vendor-key-must-stay-home-0000")
    path = loop_config()
    (tmp_path / "llm_config.yml").unlink()
    gen(load_config(path))
    auth = {k.lower(): v for k, v in llm_server.hits[0].headers.items()}["authorization"]
    assert auth == f"Bearer {llm.NO_KEY}"


def test_errors_are_stickanim_errors() -> None:
    assert issubclass(ProviderError, StickanimError) and issubclass(GenerationError, StickanimError)


def test_json_delivered_as_a_tool_call_is_read(loop_config, llm_server: LLMServer) -> None:
    cfg = load_config(loop_config(stream=False))
    call = {
        "id": "c1",
        "type": "function",
        "function": {"name": "json_tool_call", "arguments": VALID_SCRIPT_TEXT},
    }
    message = {"role": "assistant", "content": None, "tool_calls": [call]}
    body = {"id": "x", "object": "chat.completion", "created": 0, "model": "test-model",
            "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}]}  # fmt: skip
    llm_server.queue(Reply(body=body))
    script, meta = gen(cfg)
    assert script.title == "挥手致意" and llm_server.hit_count == 1 and meta.reasks == 0
