"""Live progress: the phases of a generation (progress.py) and `stickanim generate`'s stderr line."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from llmserver import LLMServer, Reply

from stickanim_jupyter.cli_progress import StderrProgress
from stickanim_jupyter.progress import Progress, elapsed_text


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_phases_follow_the_planner_events_with_the_time_elapsed() -> None:
    clock = Clock()
    p = Progress("openai", clock=clock)
    assert p.text() == "starting openai… 0.0 s"
    steps = [
        ({"event": "loading", "provider": "openai", "model": "openai/gpt-4o-mini"}, "loading LiteLLM…"),
        ({"event": "request", "provider": "openai", "model": "openai/gpt-4o-mini", "stream": True},
         "connecting to openai (openai/gpt-4o-mini)…"),
        ({"event": "waiting", "provider": "openai"}, "openai is thinking…"),
        ({"event": "chunk", "provider": "openai", "tokens": 1}, "receiving 1 token from openai…"),
        ({"event": "chunk", "provider": "openai", "tokens": 42}, "receiving 42 tokens from openai…"),
        ({"event": "retry", "provider": "openai", "reason": "timed out", "delay": 1.5},
         "openai: timed out, retrying in 1.5 s…"),
        ({"event": "done", "provider": "openai"}, "drawing the animation…"),
    ]  # fmt: skip
    changed = []
    for i, (event, text) in enumerate(steps, 1):
        clock.now = 100.0 + i
        changed.append(p.update(event))
        assert p.text() == f"{text} {i}.0 s"
    assert changed == [True, True, True, True, False, True, True]  # more tokens: same phase


def test_a_request_that_is_not_streamed_waits_for_the_whole_answer() -> None:
    p = Progress()
    p.update({"event": "request", "provider": "ollama", "model": None, "stream": False})
    assert p.text(with_time=False) == "waiting for ollama's answer…"
    assert not p.update({"event": "something new"})  # unknown events change nothing
    assert p.update("free text\nfrom a caller") and p.text(with_time=False) == "free text from a caller"


def test_elapsed_text() -> None:
    assert elapsed_text(0.04) == "0.0 s"
    assert elapsed_text(12.34) == "12.3 s"
    assert elapsed_text(75) == "1 min 15 s"


def test_plain_stderr_gets_one_line_per_phase() -> None:
    out = io.StringIO()
    with StderrProgress("loopback", out, tty=False) as progress:
        progress({"event": "request", "provider": "loopback", "model": "m", "stream": True})
        progress({"event": "waiting", "provider": "loopback"})
        for n in range(1, 20):
            progress({"event": "chunk", "provider": "loopback", "tokens": n})
        progress({"event": "done", "provider": "loopback"})
    lines = [line.rsplit(" ", 2)[0] for line in out.getvalue().splitlines()]
    assert lines == [
        "starting loopback…",
        "connecting to loopback (m)…",
        "loopback is thinking…",
        "receiving 1 token from loopback…",
        "drawing the animation…",
    ]
    assert "\r" not in out.getvalue() and "\x1b" not in out.getvalue()


def test_a_terminal_gets_one_line_redrawn_then_erased() -> None:
    out = io.StringIO()
    with StderrProgress("loopback", out, tty=True) as progress:
        progress({"event": "chunk", "provider": "loopback", "tokens": 7})
    text = out.getvalue()
    assert text.startswith("\r\x1b[Kstarting loopback…")
    assert "\r\x1b[Kreceiving 7 tokens from loopback…" in text
    assert text.endswith("\r\x1b[K") and "\n" not in text  # erased: the result takes its place
    progress({"event": "done"})  # a late event after the end prints nothing
    assert out.getvalue() == text


def _generate(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "stickanim_jupyter.cli", "generate", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_cli_progress_goes_to_stderr_and_the_result_to_stdout(
    llm_server: LLMServer, loop_config: Callable[..., Path]
) -> None:
    loop_config(stream=True)
    llm_server.queue(Reply(delay=0.5, chunks=4))
    proc = _generate("-p", "loopback", "--no-cache", "someone waves")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [proc.stdout.strip()] and "provider loopback" in proc.stdout
    phases = [line.rsplit(" ", 2)[0] for line in proc.stderr.splitlines()]
    assert phases[0] == "starting loopback…"
    assert "loading LiteLLM…" in phases  # a fresh process imports it on the first request
    assert "connecting to loopback (openai/test-model)…" in phases
    assert "loopback is thinking…" in phases
    assert any(p.startswith("receiving") for p in phases)
    assert phases[-1] == "drawing the animation…"
    quiet = _generate("-p", "loopback", "-q", "someone waves")  # cached now; -q: nothing on stderr
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_cli_is_quiet_with_the_local_planner(loop_config: Callable[..., Path]) -> None:
    loop_config()
    proc = _generate("someone waves")
    assert proc.returncode == 0 and proc.stderr == "" and "provider local" in proc.stdout


def test_cli_failure_is_one_line_after_the_progress(
    llm_server: LLMServer, loop_config: Callable[..., Path]
) -> None:
    loop_config(retries=0)
    llm_server.queue(Reply(status=401))
    proc = _generate("-p", "loopback", "--no-cache", "someone waves")
    assert proc.returncode == 1 and proc.stdout == ""
    last = proc.stderr.splitlines()[-1]
    assert last.startswith("stickanim: ") and "Traceback" not in proc.stderr
