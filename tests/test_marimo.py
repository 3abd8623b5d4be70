"""End to end in marimo: `marimo run notebooks/05_marimo.py` on loopback, in headless Chromium.

The notebook wraps the player in `mo.ui.anywidget`; marimo renders it inside an open shadow
root, which Playwright's CSS locators pierce. The server gets a scratch HOME and a config that
knows only `local`: it runs offline and keyless. Never downloads a browser.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "05_marimo.py"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt install chromium)"
    ),
]
pytest.importorskip("marimo", reason="needs marimo (the `test` extra)")
sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright's Python package")

SERVER_START_S = 120
RENDER_MS = 90_000  # marimo starts the notebook's kernel when the page connects
NEW_STORY = "一个人挥手三次"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("marimo")
    port = free_port()
    cmd = [
        sys.executable, "-m", "marimo", "run", str(NOTEBOOK), "--headless", "--no-token",
        "--host", "127.0.0.1", "--port", str(port), "--no-sandbox",
    ]  # fmt: skip
    server = Server(
        name="marimo run",
        cmd=cmd,
        env=scratch_env(root),
        log=root / "server.log",
        health_url=f"http://127.0.0.1:{port}/health",
    )
    with running(server, SERVER_START_S):
        yield server


@pytest.fixture(scope="module")
def visit(app: Server) -> Iterator[Visit]:
    """The app opened in Chromium, its player ready."""
    with sync_api.sync_playwright() as p, expect_timeout(RENDER_MS):
        browser = launch(p)
        v = Visit.open(browser, RENDER_MS)
        try:
            try:
                v.page.goto(app.health_url.removesuffix("health"))
                v.page.locator(".stickanim[data-ready='true']").wait_for()
            except sync_api.Error as err:
                pytest.fail(f"the app did not show the player: {err}\nserver log:\n{app.log_tail()}")
            yield v
        finally:
            browser.close()


def expected(story: str) -> Any:
    """The Animation the notebook makes of `story` (local, seed 1)."""
    from stickanim_jupyter.api import generate

    return generate(story, provider="local", seed=1, cache=False)


def assert_shows(page: Any, story: str) -> None:
    """The player shows `story`'s animation: title, legend, and a drawn figure on the canvas."""
    anim = expected(story)
    player = page.locator(".stickanim")
    sync_api.expect(player).to_have_count(1)
    sync_api.expect(player).to_have_attribute("data-title", anim.title)
    sync_api.expect(player).to_have_attribute("data-ready", "true")
    sync_api.expect(player.locator(".stickanim-title")).to_have_text(anim.title)
    legend = player.locator(".stickanim-legend")
    for character in anim.characters:
        sync_api.expect(legend).to_contain_text(character.name)
    player.scroll_into_view_if_needed()
    stats = canvas_pixels(player, anim.characters[0].color)
    assert stats["width"] > 300 and stats["height"] > 150, stats
    assert stats["figure"] >= FIGURE_PIXELS and stats["inked"] > stats["figure"], stats


def test_the_player_draws_inside_marimo(visit: Visit, tmp_path: Path) -> None:
    assert_shows(visit.page, visit.page.locator("textarea").input_value())
    visit.page.screenshot(path=str(tmp_path / "marimo.png"))
    assert visit.errors == []
    assert visit.offsite == [], "the app asked for something off this machine"


def test_editing_the_story_replaces_the_animation(visit: Visit) -> None:
    story = visit.page.locator("textarea")
    story.fill(NEW_STORY)
    story.blur()  # the text area sends its value when it loses focus
    assert_shows(visit.page, NEW_STORY)
    assert visit.errors == []
