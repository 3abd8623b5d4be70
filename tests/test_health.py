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
    assert loop["status"] == "healthy" and loop["reachable"] and loop["key"] == "sk-TES***"
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
    ok, err, off = ({"status": s, "default": False} for s in ("healthy", "unhealthy", "unavailable"))
    default = {"status": "healthy", "default": True}
    assert health_exit_code([default, ok], explicit=False) == 0
    assert health_exit_code([default, err], explicit=False) == 1  # a checked provider failed ([ERR])
    assert health_exit_code([default, off], explicit=False) == 0  # no key: nothing was checked
    assert health_exit_code([{**default, "status": "unavailable"}, ok], explicit=False) == 1
    assert health_exit_code([err], explicit=True) == 1
    assert health_exit_code([off], explicit=True) == 1  # asked for, and unusable
    assert health_exit_code([ok], explicit=True) == 0


def test_cli_health_exits_1_when_a_checked_provider_fails(loop_config, capsys: pytest.CaptureFixture) -> None:
    loop_config(api_base=f"http://127.0.0.1:{refused_port()}/v1")  # the default, local, is fine
    assert main(["health", "--timeout", "2"]) == 1
    out = capsys.readouterr().out
    assert "[ok ] *local" in out and "[ERR]  loopback" in out
    assert main(["health", "local"]) == 0  # only local checked


def test_cli_health_json(loop_config, capsys: pytest.CaptureFixture) -> None:
    loop_config()  # sets STICKANIM_CONFIG
    assert main(["health", "loopback", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "healthy" and out["provider"] == "loopback" and out["key"] == "sk-TES***"
    assert "providers" not in out
    # Without a provider, still the seed's object: the default provider's row, all rows nested.
    assert main(["health", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert isinstance(out, dict) and list(out)[:2] == ["status", "provider"]
    assert (out["status"], out["provider"], out["default"]) == ("healthy", "local", True)
    assert [r["provider"] for r in out["providers"]] == ["local", "loopback"]
    assert out["providers"][1]["status"] == "healthy" and out["providers"][1]["key"] == "sk-TES***"
    assert {k: v for k, v in out.items() if k != "providers"} == out["providers"][0]
    assert main(["health", "nope"]) == 1
    assert "unknown provider 'nope'" in capsys.readouterr().err


def test_cli_health_json_follows_the_default_provider(loop_config, capsys: pytest.CaptureFixture) -> None:
    path = loop_config()
    data = yaml.safe_load(path.read_text())
    data["llm"]["provider"] = "loopback"
    path.write_text(yaml.safe_dump(data))
    assert main(["health", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["provider"], out["default"]) == ("loopback", True) and len(out["providers"]) == 2


def test_cli_failures_share_one_envelope(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """health/verify use cli_output.fail like every other subcommand: same JSON envelope, same line."""
    bad = tmp_path / "bad.yml"
    bad.write_text("llm: [1]\n")
    outputs = []
    for command in ("providers", "health"):
        assert main([command, "--config", str(bad), "--json"]) == 1
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    envelope = json.loads(outputs[0])
    assert envelope["success"] is False and envelope["error"]["type"] == "config_error"
    assert "'llm' must be a mapping" in envelope["error"]["message"]
    assert main(["health", "--config", str(bad)]) == 1
    assert capsys.readouterr().err.startswith("stickanim: ")


def test_health_with_a_broken_keys_file(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """B9: the keys file's error is that provider's reason; local stays healthy; nothing is sent."""
    (tmp_path / "c.yml").write_text(
        "llm:\n  remote: {model: openai/gpt-4o-mini, api_base: 'https://x.invalid/v1'}\n"
    )
    (tmp_path / "llm_config.yml").write_text("remote:\n\tapi_key: x\n")
    rows = health(load_config(tmp_path / "c.yml"))
    assert [(r["provider"], r["status"]) for r in rows] == [("local", "healthy"), ("remote", "unavailable")]
    assert "llm_config.yml is not valid YAML (line 2" in rows[1]["error"] and rows[1]["reachable"] is None
    assert main(["health", "--config", str(tmp_path / "c.yml"), "--json"]) == 0  # the default is fine
    out = json.loads(capsys.readouterr().out)
    assert out["providers"][1]["error"] == rows[1]["error"]


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
    import stickanim_jupyter.compiler  # noqa: F401 - a broken module fails, not skips

    path = loop_config()
    steps = verify(path, "loopback")
    assert all(s["ok"] for s in steps), steps
    assert llm_server.hit_count == 2  # one ping, one generation (cache bypassed)
    assert main(["verify", "loopback", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["success"] and FAKE_KEY not in json.dumps(out)


def test_cli_generate_through_litellm_in_a_subprocess(tmp_path: Path, llm_server: LLMServer) -> None:
    """`stickanim generate "一个人挥手" --provider loopback --json` as a user runs it."""
    import stickanim_jupyter.compiler  # noqa: F401 - a broken module fails, not skips

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
    assert (
        "Traceback" not in done.stderr and FAKE_KEY not in done.stdout + done.stderr
    )  # stderr: progress only
