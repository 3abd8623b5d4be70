"""health(), verify() and their CLI subcommands, against the loopback server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FAKE_KEY
from llmserver import LLMServer, Reply, refused_port

from stickanim_jupyter.cli import main
from stickanim_jupyter.config import load_config
from stickanim_jupyter.health import format_health, health, health_exit_code, verify

# LiteLLM's own pydantic deprecation noise, not ours.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:litellm.*")

REPO = Path(__file__).resolve().parents[1]


def test_health_rows(loop_config, llm_server: LLMServer) -> None:
    rows = health(load_config(loop_config()))
    assert [r["provider"] for r in rows] == ["local", "loopback"]
    local, loop = rows
    assert list(local)[:2] == ["status", "provider"]  # the seed's shape first
    assert local["status"] == "healthy" and local["reachable"] and local["default"]
    assert loop["status"] == "healthy" and loop["reachable"] and loop["key"] == "sk-TEST***"
    assert loop["key_source"] == "llm_config.yml" and loop["latency_ms"] > 0
    ping = llm_server.hits[0].body
    assert llm_server.hit_count == 1 and ping["max_tokens"] == 5 and "response_format" not in ping
    assert FAKE_KEY not in json.dumps(rows) + format_health(rows)


def test_health_of_a_provider_without_a_key_sends_nothing(tmp_path: Path) -> None:
    (tmp_path / "c.yml").write_text(
        "llm:\n  remote: {model: openai/gpt-4o-mini, api_base: 'https://x.invalid/v1'}\n"
    )
    row = health(load_config(tmp_path / "c.yml"), "remote")[0]
    assert row["status"] == "unavailable" and row["reachable"] is None and "no API key" in row["error"]


def test_unreachable_and_unauthorised(loop_config, llm_server: LLMServer) -> None:
    dead = load_config(loop_config(api_base=f"http://127.0.0.1:{refused_port()}/v1"))
    row = health(dead, "loopback", timeout=2)[0]
    assert (row["status"], row["reachable"]) == ("unhealthy", False) and "connection failed" in row["error"]
    llm_server.default = Reply(status=401)
    row = health(load_config(loop_config()), "loopback")[0]
    assert (row["status"], row["reachable"]) == ("unhealthy", True)
    assert "authentication failed" in row["error"]
    assert FAKE_KEY not in row["error"] and llm_server.hit_count == 1  # one ping, no retries


def test_exit_codes() -> None:
    rows = [{"status": "healthy", "default": True}, {"status": "unhealthy", "default": False}]
    assert health_exit_code(rows, explicit=False) == 0  # the default provider works
    assert health_exit_code(rows[1:], explicit=True) == 1


def test_cli_health_json(loop_config, capsys: pytest.CaptureFixture) -> None:
    loop_config()  # sets STICKANIM_CONFIG
    assert main(["health", "loopback", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "healthy" and out["provider"] == "loopback" and out["key"] == "sk-TEST***"
    assert main(["health", "--json"]) == 0
    assert [r["provider"] for r in json.loads(capsys.readouterr().out)] == ["local", "loopback"]
    assert main(["health", "nope"]) == 1
    assert "unknown provider 'nope'" in capsys.readouterr().err


def test_verify_fails_fast_when_unreachable(loop_config, capsys: pytest.CaptureFixture) -> None:
    path = loop_config(api_base=f"http://127.0.0.1:{refused_port()}/v1")
    steps = verify(path, "loopback", timeout=2)
    assert [s["ok"] for s in steps] == [True, True, True, False, False]
    assert steps[-1]["detail"] == "skipped" and all(s["ms"] >= 0 for s in steps)
    assert main(["verify", "loopback", "--config", str(path)]) == 1
    assert "[FAIL] provider reachable" in capsys.readouterr().out


def test_verify_unknown_provider(loop_config) -> None:
    steps = verify(loop_config(), "ghost")
    assert steps[1]["ok"] is False and "unknown provider 'ghost'" in steps[1]["detail"]


def test_verify_passes_end_to_end(loop_config, llm_server: LLMServer, capsys: pytest.CaptureFixture) -> None:
    pytest.importorskip("stickanim_jupyter.compiler")
    path = loop_config()
    steps = verify(path, "loopback")
    assert all(s["ok"] for s in steps), steps
    assert llm_server.hit_count == 2  # one ping, one generation (cache bypassed)
    assert main(["verify", "loopback", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["success"] and FAKE_KEY not in json.dumps(out)


def test_cli_generate_through_litellm_in_a_subprocess(tmp_path: Path, llm_server: LLMServer) -> None:
    """`stickanim generate "一个人挥手" --provider loopback --json` as a user runs it."""
    pytest.importorskip("stickanim_jupyter.compiler")
    config = tmp_path / "config.yml"
    section = {"model": "openai/test-model", "api_base": llm_server.url, "timeout": 10}
    config.write_text(yaml.safe_dump({"llm": {"provider": "local", "loopback": section}}))
    (tmp_path / "llm_config.yml").write_text(f"loopback: {{api_key: {FAKE_KEY}}}\n")
    env = {**os.environ, "STICKANIM_CONFIG": str(config), "STICKANIM_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [
        sys.executable,
        "-m",
        "stickanim_jupyter.cli",
        "generate",
        "一个人挥手",
        "--provider",
        "loopback",
        "--json",
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["success"] and out["data"]["meta"]["provider"] == "loopback"
    assert out["data"]["script"]["title"] == "挥手致意" and llm_server.hit_count == 1
    assert done.stderr == "" and FAKE_KEY not in done.stdout
