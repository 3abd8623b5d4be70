"""The package is typed: it ships py.typed and mypy (configured in pyproject.toml, with the
pydantic plugin) finds no error in src/."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_is_marked_typed() -> None:
    assert (ROOT / "src" / "stickanim_jupyter" / "py.typed").is_file()
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert "pydantic.mypy" in mypy["plugins"]
    assert mypy["files"] == ["src"]


@pytest.mark.slow  # about a minute without a cache, a few seconds with one (.mypy_cache/)
@pytest.mark.timeout(900)
def test_mypy_finds_no_error_in_src() -> None:
    pytest.importorskip("mypy", reason="mypy is in the `test` extra")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy"],  # files, plugins and strictness come from pyproject.toml
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    report = (proc.stdout + proc.stderr).strip()
    assert proc.returncode == 0, f"mypy src reports errors (run `python -m mypy` to see them):\n{report}"
