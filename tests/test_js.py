"""The widget's front end as packaged: js/widget.js is built from js/src and js/widget.css.

The node unit tests themselves run from tests/test_widget.py (`node --test js/`).
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JS = ROOT / "js"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_built_widget_matches_its_sources() -> None:
    proc = subprocess.run(
        ["node", "js/build.mjs", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_wheel_ships_the_built_module_and_the_stylesheet() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["js/widget.js"] == "stickanim_jupyter/static/widget.js"
    assert include["js/widget.css"] == "stickanim_jupyter/static/widget.css"


def test_the_built_module_carries_the_stylesheet_for_pages_without_it() -> None:
    css = (JS / "widget.css").read_text(encoding="utf-8")
    built = (JS / "widget.js").read_text(encoding="utf-8")
    assert "--stickanim-css: 1" in css  # the marker js/src/styles.js looks for
    assert "export default widget;" in built
    assert "\nimport " not in built  # one self-contained module: nothing to resolve at load time
    assert css.splitlines()[-1] in built
