"""Shared helpers of the benchmarks: stories, timing, the machine, loopback LLM setup, tables.

Every benchmark module exposes `run(...) -> Section` (used by bench/run.py, which writes
bench/RESULTS.md) and a `main()` that prints its own table. Timings are medians of several
runs, and each table carries a ratio against a baseline measured in the same run, so the
numbers compare across machines. Nothing here touches the network: LLM benchmarks talk to
tests/llmserver.py on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.metadata
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT / "tests" / "stories.yml"  # the repository's copy of the example stories
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))  # tests/llmserver.py, the loopback LLM server

# Set before any `import litellm` (ours is lazy, bench_tokens' is not): no cost-map download,
# no .env loading. The same values planners/llm/transport.py sets.
LITELLM_ENV = {
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS": "True",
    "LITELLM_MODE": "PRODUCTION",
}
TOKENIZER_MODEL = "gpt-4o-mini"  # litellm.token_counter's tokenizer for all token counts
FAKE_KEY = "sk-BENCHKEY-not-a-real-key-0000"


def litellm_env() -> None:
    for name, value in LITELLM_ENV.items():
        os.environ.setdefault(name, value)


def stories() -> list[str]:
    """The non-empty stories of tests/stories.yml, in file order."""
    entries = yaml.safe_load(STORIES.read_text(encoding="utf-8"))
    return [e["story"] for e in entries if e["story"].strip()]


# --- timing -----------------------------------------------------------------------------------
def time_ms(fn: Callable[[], Any], runs: int, warmup: int = 1) -> list[float]:
    """Wall times (ms) of `runs` calls of fn, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def median(values: list[float]) -> float:
    return statistics.median(values)


def run_python(code: str, env: dict[str, str] | None = None, timeout: float = 120) -> tuple[float, str]:
    """Run `python -c code` in a fresh interpreter: (wall ms of the whole process, its stdout)."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **LITELLM_ENV, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=tempfile.gettempdir(),  # no stray ./config.yml
    )
    wall = (time.perf_counter() - t0) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"python -c failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return wall, done.stdout


# --- output -----------------------------------------------------------------------------------
@dataclass
class Section:
    """One benchmark's results: a markdown table, notes, and the numbers the headline quotes."""

    title: str
    intro: str
    header: list[str]
    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    headline: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    extra_tables: list[tuple[str, list[str], list[list[Any]]]] = field(default_factory=list)

    def markdown(self) -> str:
        parts = [f"## {self.title}", "", self.intro, "", table(self.header, self.rows)]
        for caption, header, rows in self.extra_tables:
            parts += ["", caption, "", table(header, rows)]
        if self.notes:
            parts += ["", *(f"- {n}" for n in self.notes)]
        parts += ["", f"_Section run time: {self.seconds:.0f} s._", ""]
        return "\n".join(parts)


def table(header: list[str], rows: list[list[Any]]) -> str:
    align = ["---" if i == 0 else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    for row in rows:
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    return "\n".join(lines)


def _cell(v: Any) -> str:
    text = f"{v:,.1f}" if isinstance(v, float) else f"{v:,}" if isinstance(v, int) else str(v)
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def fmt_ratio(x: float) -> str:
    return f"{x:.2f}x" if x < 10 else f"{x:,.0f}x"


def print_section(section: Section) -> None:
    print(section.markdown())


# --- the machine ------------------------------------------------------------------------------
def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def chromium_version() -> str:
    try:
        out = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=30)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "not found"


def machine() -> dict[str, str]:
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f"{kb / 1024**2:.1f} GiB"
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu_model(),
        "cpus": str(os.cpu_count()),
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": ", ".join(
            f"{d} {version(d)}"
            for d in (
                "stickanim-jupyter",
                "litellm",
                "pydantic",
                "anywidget",
                "ipython",
                "matplotlib",
                "playwright",
                "tiktoken",
            )
        ),
        "chromium": chromium_version(),
    }


# --- loopback LLM -----------------------------------------------------------------------------
@contextlib.contextmanager
def loopback_provider(default: Any = None, **section: Any) -> Iterator[tuple[Any, Path]]:
    """A started LLMServer (in this process) and a config.yml whose `loopback` provider points at
    it (fake key). Yields (server, config path); the Script cache goes to a temporary directory.
    """
    from llmserver import LLMServer

    with LLMServer(default=default) as server, _loopback_config(server.url, **section) as config:
        yield server, config


@contextlib.contextmanager
def loopback_process(delay: float = 0.0, **section: Any) -> Iterator[tuple[str, Path]]:
    """tests/llmserver.py in a separate process (answering a valid Script after `delay` s), so
    its work does not share this process's GIL. Yields (api_base, config path)."""
    code = (
        "import sys, time; sys.path.insert(0, sys.argv[1])\n"
        "from llmserver import LLMServer, Reply\n"
        "server = LLMServer(default=Reply(delay=float(sys.argv[2]))).start()\n"
        "print(server.url, flush=True)\n"
        "sys.stdin.read()\n"  # until the parent closes our stdin
        "server.stop()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(ROOT / "tests"), str(delay)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = (proc.stdout.readline() if proc.stdout else "").strip()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the loopback server did not start (said {url!r})")
        with _loopback_config(url, **section) as config:
            yield url, config
    finally:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def _loopback_config(url: str, **section: Any) -> Iterator[Path]:
    from llmserver import write_config

    with tempfile.TemporaryDirectory(prefix="stickanim-bench-") as tmp:
        settings = {"timeout": 600, "deadline": 1200, "retries": 0, "max_tokens": 4096, **section}
        config = write_config(Path(tmp) / "config.yml", url, **settings)
        (Path(tmp) / "llm_config.yml").write_text(f"loopback: {{api_key: {FAKE_KEY}}}\n")
        old = os.environ.get("STICKANIM_CACHE_DIR")
        os.environ["STICKANIM_CACHE_DIR"] = str(Path(tmp) / "cache")
        try:
            yield config
        finally:
            if old is None:
                os.environ.pop("STICKANIM_CACHE_DIR", None)
            else:
                os.environ["STICKANIM_CACHE_DIR"] = old


def quiet_litellm() -> Any:
    """Import litellm the way the planner does (lazily, no network), muted."""
    litellm_env()
    from stickanim_jupyter.planners.llm import litellm_module

    return litellm_module()
