"""End to end in Jupyter Notebook 7 (`python -m notebook`) on loopback, in headless Chromium.

tests/test_browser.py covers JupyterLab 4. Notebook 7 is built from the same parts but is an
app of its own (its own page at /notebooks/<name>.ipynb, its own widget manager set-up), so
here a small notebook loads the extension and animates a wave, and the player must draw.
Offline and keyless: the server's config knows only `local`. Never downloads a browser.
"""

from __future__ import annotations

import re
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from chromium import CHROMIUM, launch
from webapp import (
    FIGURE_PIXELS,
    Server,
    Visit,
    canvas_pixels,
    expect_timeout,
    free_port,
    running,
    scratch_env,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt install chromium)"
    ),
]
pytest.importorskip("notebook", minversion="7", reason="needs Jupyter Notebook 7 (the `test` extra)")
sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright's Python package")

SERVER_START_S = 120
KERNEL_READY_MS = 90_000
RENDER_MS = 90_000
STORY = "a person waves three times"
SEED = 1
CELLS = ["%load_ext stickanim_jupyter", f"%%animate --seed {SEED}\n{STORY}"]
# Notebook 7.6's own page error, thrown while its settings load (before any cell runs, with
# any notebook): the keyboard-shortcuts plugin reads the schema of a plugin not loaded yet.
NOTEBOOK_SETTINGS_ERROR = re.compile(r"reading 'schema'\)\n\s+at \S+/static/notebook/notebook_core\.")
# No news or update toasts over the notebook.
NOTIFICATIONS = "@jupyterlab/apputils-extension/notification.jupyterlab-settings"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """Notebook 7 serving a directory with wave.ipynb; yields the server and its token."""
    root = tmp_path_factory.mktemp("notebook7")
    env = scratch_env(root)
    settings = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / NOTIFICATIONS
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('{"fetchNews": "false", "checkForUpdates": false}')
    (root / "nb").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nbformat.write(nb, root / "nb" / "wave.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable, "-m", "notebook", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root / 'nb'}",
        "--JupyterNotebookApp.expose_app_in_browser=True",  # window.jupyterapp: run cells by command
    ]  # fmt: skip
    app = Server(
        name="jupyter notebook",
        cmd=cmd,
        env=env,
        log=root / "server.log",
        health_url=f"http://127.0.0.1:{port}/api/status?token={token}",
    )
    with running(app, SERVER_START_S):
        yield app, token


@pytest.fixture(scope="module")
def visit(server: tuple[Server, str]) -> Iterator[Visit]:
    """wave.ipynb opened in Notebook 7, all cells run, the player ready."""
    app, _ = server
    with sync_api.sync_playwright() as p, expect_timeout(RENDER_MS):
        browser = launch(p)
        v = Visit.open(browser, RENDER_MS)
        try:
            try:
                v.page.goto(app.health_url.replace("api/status", "notebooks/wave.ipynb"))
                v.page.wait_for_function(
                    "() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel"
                    "?.status === 'idle'",
                    timeout=KERNEL_READY_MS,
                )
                v.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
                v.page.locator(".jp-Notebook .stickanim[data-ready='true']").wait_for()
            except sync_api.Error as err:
                pytest.fail(f"the notebook did not run: {err}\npage errors: {v.errors}\n{app.log_tail()}")
            yield v
        finally:
            browser.close()


def test_the_wave_draws_in_notebook_7(visit: Visit, tmp_path: Path) -> None:
    from stickanim_jupyter.api import generate

    anim = generate(STORY, provider="local", seed=SEED, cache=False)
    player = visit.page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".stickanim")
    sync_api.expect(player).to_have_attribute("data-title", anim.title)
    sync_api.expect(player.locator(".stickanim-title")).to_have_text(anim.title)
    legend = player.locator(".stickanim-legend")
    sync_api.expect(legend).to_contain_text(anim.characters[0].name)
    player.scroll_into_view_if_needed()
    stats = canvas_pixels(player, anim.characters[0].color)
    assert stats["width"] > 300 and stats["height"] > 150, stats
    assert stats["figure"] >= FIGURE_PIXELS, stats
    visit.page.screenshot(path=str(tmp_path / "notebook7.png"))
    assert [e for e in visit.errors if not NOTEBOOK_SETTINGS_ERROR.search(e)] == []
    assert visit.offsite == [], "the page asked for something off this machine"


def test_the_static_view_is_hidden_under_the_live_player(visit: Visit) -> None:
    """%%animate's second output (the static view, for nbconvert and reopened notebooks) is hidden."""
    outputs = visit.page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".jp-OutputArea-child")
    sync_api.expect(outputs).to_have_count(2)
    sync_api.expect(outputs.nth(1).locator(".stickanim-static img")).to_have_count(1)
    sync_api.expect(outputs.nth(1)).to_be_hidden()
    sync_api.expect(outputs.nth(0).locator(".stickanim")).to_be_visible()
