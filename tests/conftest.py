"""Shared pytest fixtures. Keep each fixture small and say who uses it.

No test touches the network: LLM tests talk to tests/llmserver.py on 127.0.0.1 or use
LiteLLM's mock_response.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # `from llmserver import ...` in any test

from llmserver import LLMServer, write_config  # noqa: E402

# A recognizable fake key: tests assert it never shows up in errors, logs, caches or output.
FAKE_KEY = "sk-TESTKEY-DO-NOT-LEAK-123456789"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own Script cache dir: no test reads or fills the user's cache."""
    path = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("STICKANIM_CACHE_DIR", str(path))
    return path


@pytest.fixture
def llm_server() -> Iterator[LLMServer]:
    """A loopback OpenAI-compatible server (LLM tests); queue Reply(...)s on it."""
    with LLMServer() as server:
        yield server


@pytest.fixture
def loop_config(
    tmp_path: Path, llm_server: LLMServer, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Path]:
    """Write config.yml (+ llm_config.yml holding FAKE_KEY) for a 'loopback' provider; returns its path.

    Keyword arguments override the provider section (timeout, retries, stream...). Retries wait
    10 ms so the whole fault matrix stays fast. STICKANIM_CONFIG points at the file.
    """

    def make(name: str = "loopback", api_base: str | None = None, **params: object) -> Path:
        settings = {"backoff": 0.01, "timeout": 5, "retries": 2, **params}
        path = write_config(tmp_path / "config.yml", api_base or llm_server.url, name=name, **settings)
        (tmp_path / "llm_config.yml").write_text(f"{name}:\n  api_key: {FAKE_KEY}\n")
        monkeypatch.setenv("STICKANIM_CONFIG", str(path))
        return path

    return make


@pytest.fixture
def no_key_leaks(
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture, _isolated_cache: Path
) -> Iterator[list[BaseException]]:
    """LLM tests (usefixtures): collects raised errors (via `expect`) and checks every surface for
    FAKE_KEY afterwards: output, logs, cache files, errors and their raw text, the environment."""
    root, root_level = logging.getLogger(), logging.getLogger().level
    root.setLevel(logging.DEBUG)  # every record of every library reaches caplog
    litellm_logger = logging.getLogger("LiteLLM")
    # LiteLLM's own console handler would print every DEBUG record: mute it, keep the records.
    muted = [(h, h.level) for h in litellm_logger.handlers]
    for handler, _ in muted:
        handler.setLevel(logging.CRITICAL + 1)
    litellm_logger.addHandler(caplog.handler)  # in case LiteLLM's records do not propagate
    raised: list[BaseException] = []
    yield raised
    litellm_logger.removeHandler(caplog.handler)
    root.setLevel(root_level)  # before unmuting: LiteLLM's worker thread may still log
    for handler, level in muted:
        handler.setLevel(level)
    out, err = capsys.readouterr()
    surfaces: dict[str, str] = {"stdout": out, "stderr": err}
    records = [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]
    surfaces["logs"] = "\n".join(r.getMessage() for r in records)
    for path in _isolated_cache.rglob("*"):
        if path.is_file():
            surfaces[f"cache {path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    for exc in raised:
        surfaces[f"error {type(exc).__name__}"] = "".join(traceback.format_exception(exc)) + repr(exc)
        surfaces[f"raw {type(exc).__name__}"] = str(getattr(exc, "raw", "") or "")
    surfaces["environ"] = "\n".join(os.environ.values())
    leaked = [name for name, text in surfaces.items() if FAKE_KEY in text or FAKE_KEY[3:] in text]
    assert not leaked, f"the fake key leaked into: {leaked}"


@pytest.fixture
def expect(no_key_leaks: list[BaseException]) -> Callable[..., Any]:
    """expect(ErrorType, fn, *args, **kwargs) -> the raised error (recorded for the leak guard)."""

    def run(error: type[BaseException], fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with pytest.raises(error) as info:
            fn(*args, **kwargs)
        no_key_leaks.append(info.value)
        assert "\n" not in str(info.value), "errors are one line"
        return info.value

    return run
