"""In headless Chromium: the standalone HTML page (export.to_html, the widget's own JS) draws a
thing in its colour and a speech bubble with its words, and shows the notes and the things.

Never downloads a browser: /usr/bin/chromium or skip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from chromium import CHROMIUM, launch
from test_things_views import story

from stickanim_jupyter import export

pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(300),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt install chromium)"
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright's Python package")

# Pixels of the canvas within `tolerance` of an RGB colour (antialiased edges excluded).
COUNT_JS = """([rgb, tolerance]) => {
  const canvas = document.querySelector(".stickanim-canvas");
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - rgb[0]) <= tolerance && Math.abs(data[i + 1] - rgb[1]) <= tolerance
        && Math.abs(data[i + 2] - rgb[2]) <= tolerance) n++;
  }
  return n;
}"""


def _rgb(color: str) -> list[int]:
    return [int(color[i : i + 2], 16) for i in (1, 3, 5)]


def _open(browser: Any, path: Path) -> Any:
    """The page in the dark colour scheme: the stage is near black, so a white bubble stands out."""
    page = browser.new_page(viewport={"width": 800, "height": 700}, color_scheme="dark")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_selector(".stickanim[data-ready='true']", timeout=60_000)
    page.wait_for_function("Number(document.querySelector('.stickanim').dataset.time) > 300", timeout=60_000)
    assert not errors, errors
    return page


def test_the_html_page_draws_a_thing_and_a_bubble(tmp_path: Path) -> None:
    talking = story(kinds=("ball", "box"))
    talking.meta.notes = ["not understood: 浇花"]
    silent = story(kinds=("ball", "box"), speech=False)
    pages = {}
    for name, anim in (("talking", talking), ("silent", silent)):
        path = tmp_path / f"{name}.html"
        path.write_text(export.to_html(anim), encoding="utf-8")
        pages[name] = path
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = _open(browser, pages["talking"])
            ball, box = talking.props
            assert page.evaluate(COUNT_JS, [_rgb(ball.color), 2]) > 50, "the ball is drawn in its colour"
            assert page.evaluate(COUNT_JS, [_rgb(box.color), 2]) > 200, "the box is drawn in its colour"
            white = page.evaluate(COUNT_JS, [[255, 255, 255], 0])
            page.screenshot(path=str(tmp_path / "talking.png"))
            notes = page.locator(".stickanim-notes")
            assert notes.inner_text() == "Note: not understood: 浇花"
            assert page.locator(".stickanim-things").inner_text() == "Things: ball, box"
            page.close()
            page = _open(browser, pages["silent"])
            alone = page.evaluate(COUNT_JS, [[255, 255, 255], 0])
            assert page.locator(".stickanim-notes").is_hidden()
            page.close()
        finally:
            browser.close()
    # Two white bubbles (about 180 x 40 and 175 x 50 stage units at 0.75 px per unit).
    assert white - alone > 4000, (white, alone)
