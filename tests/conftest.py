"""Shared pytest fixtures. Keep each fixture small and say who uses it.

No test touches the network: LLM tests talk to tests/llmserver.py on 127.0.0.1 or use
LiteLLM's mock_response.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

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
