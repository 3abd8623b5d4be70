"""The example notebooks: strict nbval, their committed outputs, and the static view.

notebooks/*.ipynb are committed with their outputs. `test_nbval_strict` runs them again under
strict nbval (every output compared, after tests/nbval_sanitize.cfg) in a subprocess with a
hermetic environment: no API keys, no user config or IPython profile, a scratch copy of the
notebooks (their `out/` files land in a temp dir, not in the repository). The other tests read
the committed files.

When a change to the engine or the widget changes what the notebooks show, execute them again
(in the same hermetic environment) and review the diff:

    python tests/test_notebooks.py refresh            # all notebooks
    python tests/test_notebooks.py refresh 01_quickstart.ipynb
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = [
    "01_quickstart.ipynb",
    "02_providers.ipynb",
    "03_python_api.ipynb",
    "04_exports.ipynb",
    "06_things_and_words.ipynb",
]

SKIP_TAGS = {"nbval-skip", "skip-execution"}  # nbval skips the first, nbclient/nbconvert the second
IGNORE_TAGS = {"nbval-ignore-output", "nbval-skip", "nbval-raises-exception"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STATIC_CLASS = "stickanim-static"
SVG_NS = "{http://www.w3.org/2000/svg}"
SVG_DATA = "data:image/svg+xml;base64,"
# An API key: "sk-" (OpenAI, Anthropic "sk-ant-", most OpenAI-compatible gateways) and a long tail.
# Masked keys ("sk-5pLD***") are what the tools print; they do not match.
KEY_SHAPED = re.compile(r"sk-[A-Za-z0-9_\-]{12,}")
NBVAL_TIMEOUT_S = 600


# --- helpers -------------------------------------------------------------------------------
def hermetic_env(scratch: Path) -> dict[str, str]:
    """os.environ without keys and user config: what a fresh machine with no key would have."""

    def private(name: str) -> bool:
        upper = name.upper()
        return upper.startswith(("STICKANIM_", "JUPYTER", "IPYTHON")) or upper.endswith(
            ("_API_KEY", "_API_TOKEN", "_API_BASE")
        )

    env = {k: v for k, v in os.environ.items() if not private(k)}
    dirs = {
        "HOME": "home",
        "XDG_CONFIG_HOME": "config",  # platformdirs' user config dir: no user config.yml / keys
        "XDG_CACHE_HOME": "cache",
        "IPYTHONDIR": "ipython",  # no profile or startup files printing into the outputs
        "JUPYTER_CONFIG_DIR": "jupyter-config",
        "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
        "STICKANIM_CACHE_DIR": "stickanim-cache",
    }
    for var, sub in dirs.items():
        path = scratch / sub
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # no debugger warning on the kernel's stderr
    return env


def tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def code_cells(nb: Any) -> list[Any]:
    return [c for c in nb.cells if c.cell_type == "code"]


def run_cells(nb: Any) -> list[Any]:
    """The code cells nbval and nbconvert run (not tagged to be skipped)."""
    return [c for c in code_cells(nb) if not tags(c) & SKIP_TAGS]


def read(path: Path) -> Any:
    return nbformat.read(path, as_version=4)


def output_texts(nb: Any) -> Iterator[tuple[int, str]]:
    """(cell index, text) for every string in every output of the notebook."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            yield i, json.dumps(out, ensure_ascii=False)


def is_local_animate(cell: Any) -> bool:
    first = cell.source.lstrip().split("\n", 1)[0]
    if not first.startswith("%%animate"):
        return False
    options = first.split()[1:]
    return not any(o in ("-p", "--provider") or o.startswith("--provider=") for o in options) or (
        "local" in options
    )


class _StaticViewParser(HTMLParser):
    """Collects (title, SVG data URI) of each <div class="stickanim-static"> (widget.fallback_html)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[list[str]] = []
        self._depth = 0  # div nesting inside the current static view; 0: outside
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "div" and self._depth == 0 and STATIC_CLASS in (a.get("class") or "").split():
            self.found.append(["", ""])
            self._depth = 1
        elif tag == "div" and self._depth:
            self._depth += 1
            self._in_title = self._depth == 2 and not self.found[-1][0]
        elif tag == "img" and self._depth and (a.get("src") or "").startswith(SVG_DATA):
            self.found[-1][1] = a["src"] or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._depth:
            self._depth -= 1
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.found[-1][0] += data


def static_views(html: str) -> list[tuple[str, str]]:
    """(title, decoded SVG) of each static view in an HTML text; '' when it has no SVG picture."""
    parser = _StaticViewParser()
    parser.feed(html)
    return [
        (title, base64.b64decode(src[len(SVG_DATA) :]).decode("utf-8") if src else "")
        for title, src in parser.found
    ]


def animate_elements(svg: str) -> int:
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG_NS}svg", root.tag
    return len(root.findall(f".//{SVG_NS}animate"))


# --- the notebooks as committed -------------------------------------------------------------
def test_the_example_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_with_outputs_run_top_to_bottom_without_errors(path: Path) -> None:
    nb = read(path)
    nbformat.validate(nb)
    ran = run_cells(nb)
    counts = [c.execution_count for c in ran]
    assert counts == list(range(1, len(ran) + 1)), f"not run top to bottom in one go: {counts}"
    assert sum(len(c.outputs) for c in ran) >= len(ran) // 2, "outputs missing"
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"cell {i}: {out.get('ename')}: {out.get('evalue')}"
            assert "Traceback (most recent call last)" not in json.dumps(out), f"cell {i} shows a traceback"
            # A library warning prints this machine's site-packages path: strict nbval fails elsewhere.
            assert not (out.get("name") == "stderr" and "Warning" in out.get("text", "")), f"cell {i} warns"
    # Stored widget state makes nbconvert pick the (dead) widget view over the static view,
    # and would put every frame into the file a second time.
    assert "widgets" not in nb.metadata, "execute with --ExecutePreprocessor.store_widget_state=False"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_skipped_cells_are_tagged_not_commented(path: Path) -> None:
    """Cells that need a real provider carry both skip tags and are stored unrun."""
    for i, cell in enumerate(code_cells(read(path))):
        assert "NBVAL_" not in cell.source, f"cell {i}: use cell tags, not # NBVAL_ comments"
        found = tags(cell) & SKIP_TAGS
        assert found in (set(), SKIP_TAGS), f"cell {i}: tag with both {sorted(SKIP_TAGS)}"
        if found:
            assert not cell.outputs and cell.execution_count is None, f"cell {i}: skipped but has outputs"
        if is_local_animate(cell):
            assert not tags(cell) & IGNORE_TAGS, f"cell {i}: a local %%animate cell must be compared"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_output_holds_anything_key_shaped(path: Path) -> None:
    nb = read(path)
    placeholders = {m.group(0) for c in nb.cells for m in KEY_SHAPED.finditer(c.source)}
    for i, text in output_texts(nb):
        leaked = KEY_SHAPED.findall(text)
        assert not leaked, f"cell {i} shows a key-shaped string: {leaked[0][:7]}***"
        assert not any(p in text for p in placeholders), f"cell {i} shows a key from a cell's source"


def test_every_player_output_is_followed_by_its_static_view() -> None:
    """Each player (widget view + text/plain) has its static view as the next output, on its own.

    A frontend shows one MIME type per output: in the player's own output, a reopened notebook
    in JupyterLab would pick the dead widget view ("model not found") over a static view.
    """
    players = 0
    for path in NOTEBOOKS:
        for i, cell in enumerate(read(path).cells):
            outputs = cell.get("outputs", [])
            if is_local_animate(cell) and "--json" not in cell.source:
                kinds = [sorted(o.get("data", {})) for o in outputs if o.output_type != "stream"]
                expected = [[WIDGET_VIEW, "text/plain"], ["text/html", "text/plain"]]
                assert kinds == expected, f"{path.name} cell {i}: outputs {kinds}"
                # meta.notes and --save's confirmation: one line each
                lines = [o.text for o in outputs if o.output_type == "stream"]
                assert all(t.startswith(("note: ", "saved ")) and t.count("\n") == 1 for t in lines), lines
            for k, out in enumerate(outputs):
                data = out.get("data", {})
                if WIDGET_VIEW not in data:
                    continue
                players += 1
                where = f"{path.name} cell {i} output {k}"
                assert set(data) == {WIDGET_VIEW, "text/plain"}, where
                assert data["text/plain"].startswith("AnimationWidget: "), where
                assert k + 1 < len(outputs), f"{where}: no static view after the player"
                static = outputs[k + 1]
                assert static.output_type == "display_data", where
                assert set(static.data) == {"text/html", "text/plain"}, where
                (shown,) = static_views(static.data["text/html"])
                title, svg = shown
                assert data["text/plain"].startswith(f"AnimationWidget: {title} — "), where
                assert static.data["text/plain"] == f"Static view: {title} (animated SVG)", where
                assert animate_elements(svg) > 0, where
    assert players >= 9, players  # the quick start's, the Python API's, the exports'


def test_nbconvert_html_of_the_quickstart_shows_the_static_view(tmp_path: Path) -> None:
    """What GitHub, nbviewer and `jupyter nbconvert --to html` show: the animations, not 'model not found'."""
    notebook = NOTEBOOK_DIR / "01_quickstart.ipynb"
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "nbconvert",
        "--to",
        "html",
        "--output-dir",
        str(tmp_path),
        str(notebook),
    ]
    done = subprocess.run(
        cmd, capture_output=True, text=True, timeout=120, env=hermetic_env(tmp_path / "env")
    )
    assert done.returncode == 0, done.stderr[-3000:]
    html = (tmp_path / "01_quickstart.html").read_text(encoding="utf-8")

    outputs = [o.get("data", {}) for c in read(notebook).cells for o in c.get("outputs", [])]
    players = sum(WIDGET_VIEW in data for data in outputs)
    static = [title for data in outputs for title, _ in static_views(data.get("text/html", ""))]
    shown = static_views(html)
    # Every player's static view, and the one cell that shows a static view alone: each once.
    assert players >= 7 and len(static) == players + 1, (players, len(static))
    titles = [title for title, _ in shown]
    assert titles == static, "each static view exactly once, in order"
    for expected in ("Wave", "Walk", "Walk and shake hands", "挥手", "走路、握手"):
        assert expected in titles, titles
    for title, svg in shown:
        assert animate_elements(svg) >= 10, f"{title}: the SVG does not move"
        assert title in html
    # No widget view was picked instead of the static one (it would render as an empty box).
    assert f'type="{WIDGET_VIEW}"' not in html
    assert 'class="jupyter-widgets jp-OutputArea-output' not in html


# --- strict nbval ---------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.timeout(NBVAL_TIMEOUT_S)
def test_nbval_strict(tmp_path: Path) -> None:
    """`pytest --nbval` (strict: outputs compared) over every notebook, offline and keyless."""
    work = tmp_path / "notebooks"
    work.mkdir()
    for path in [*NOTEBOOKS, NOTEBOOK_DIR / "conftest.py"]:
        shutil.copy2(path, work / path.name)
    (work / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # rootdir here, no repo addopts
    cmd = [
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfE",
        "--nbval", "--nbval-current-env", f"--nbval-sanitize-with={SANITIZE}",
        "--nbval-cell-timeout=120", str(work),
    ]  # fmt: skip
    done = subprocess.run(
        cmd, cwd=work, env=hermetic_env(tmp_path / "env"), capture_output=True, text=True,
        timeout=NBVAL_TIMEOUT_S - 30,
    )  # fmt: skip
    report = done.stdout[-12000:] + done.stderr[-3000:]
    assert done.returncode == 0, report
    ran = sum(len(run_cells(read(p))) for p in NOTEBOOKS)
    skipped = sum(len(code_cells(read(p))) for p in NOTEBOOKS) - ran
    summary = done.stdout.strip().splitlines()[-1]
    assert re.search(rf"\b{ran} passed\b", summary), summary
    assert skipped == 0 or re.search(rf"\b{skipped} skipped\b", summary), summary


# --- refreshing the committed outputs -------------------------------------------------------
def refresh(names: list[str]) -> int:
    """Execute notebooks in place, keyless and offline, as the tests expect them."""
    paths = [NOTEBOOK_DIR / n for n in names] if names else NOTEBOOKS
    with tempfile.TemporaryDirectory(prefix="stickanim-nb-") as scratch:
        env = hermetic_env(Path(scratch))
        for path in paths:
            print(f"executing {path.name}", flush=True)
            cmd = [
                sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
                "--ExecutePreprocessor.store_widget_state=False",  # keeps the static view visible
                "--ExecutePreprocessor.record_timing=False",  # no timestamps in the diff
                "--ExecutePreprocessor.timeout=300", path.name,
            ]  # fmt: skip
            done = subprocess.run(cmd, cwd=NOTEBOOK_DIR, env=env)
            if done.returncode:
                return done.returncode
            merge_streams(path)
    return 0


def merge_streams(path: Path) -> None:
    """Join a cell's consecutive stdout (stderr) chunks, as nbval does before comparing.

    How a cell's printing is split into chunks depends on timing; merged, a refresh that
    changes nothing leaves no diff (widget model ids aside).
    """
    nb = read(path)
    for cell in code_cells(nb):
        merged: list[Any] = []
        for out in cell.outputs:
            last = merged[-1] if merged else None
            if (
                out.output_type == "stream"
                and last
                and last.output_type == "stream"
                and last.name == out.name
            ):
                last.text += out.text
            else:
                merged.append(out)
        cell.outputs = merged
    nbformat.write(nb, path)


if __name__ == "__main__":
    if sys.argv[1:2] != ["refresh"]:
        sys.exit(__doc__)
    sys.exit(refresh(sys.argv[2:]))
