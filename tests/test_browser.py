"""End to end: a real JupyterLab on loopback, driven by headless Debian Chromium via Playwright.

One JupyterLab server and one notebook run per module (starting them is most of the cost).
The notebook loads the extension and runs four cells: a wave, the hostile story of
stories.yml, and a failing (whitespace-only) story. The last test opens, in a second tab,
copies of notebooks/01_quickstart.ipynb with their committed outputs and no widget state, as a
notebook reopened in JupyterLab is. The kernel's config has three providers:
`local`, `loopback` (the OpenAI-compatible server of tests/llmserver.py, answering a Script
with a distinctive title) and `broken` (a closed port). Tests run in file order and share
the page; each waits with a bounded timeout.

Never downloads a browser: /usr/bin/chromium or skip.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml
from chromium import CHROMIUM, launch
from llmserver import LLMServer, Reply, refused_port

REPO = Path(__file__).resolve().parents[1]
QUICKSTART = REPO / "notebooks" / "01_quickstart.ipynb"
EXPORTS = REPO / "notebooks" / "04_exports.ipynb"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(600),  # the module's first test also starts JupyterLab, its kernel and Chromium
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's /usr/bin/chromium (apt install chromium)"
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright's Python package")

# Timeouts for a busy 2-core machine: generous, since each only bounds a wait that normally
# ends within a second or two; a real hang still fails.
SERVER_START_S = 120
KERNEL_READY_MS = 120_000
RENDER_MS = 90_000  # the page's default for waits and actions (page.set_default_timeout)
REGENERATE_MS = 90_000  # the first LLM call imports litellm in the kernel (~5-15 s idle, more when busy)
EXPECT_MS = 30_000  # every expect(...) assertion unless it says otherwise (Playwright's default: 5 s)
CHANGE_MS = 10_000  # how long a playing picture may take to show a change
sync_api.expect.set_options(timeout=EXPECT_MS)
FIGURE_PIXELS = 40  # pixels in a figure's color that count as "a figure is drawn"

XSS_PAYLOAD = '<img src=x onerror="window.__xss=true">'
# The loopback LLM answers with markup in its title and names: shown as text, never run.
LOOP_MARK = "Loopback says hi LB-7319"
LOOP_TITLE = f"{LOOP_MARK} {XSS_PAYLOAD}"
LOOP_NAME = '<b onmouseover="window.__xss=true">Loop</b>'
LOOP_COLOR = "#E91E63"
MAIN_STORY = "一个人挥手"

CANVAS_STATS_JS = """
(root, rgb) => {
  const c = root.querySelector('canvas.stickanim-canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let hash = 0, figure = 0;
  for (let i = 0; i < d.length; i += 4) {
    hash = (Math.imul(hash, 31) + d[i] * 65536 + d[i + 1] * 256 + d[i + 2]) >>> 0;
    const dist = Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]);
    if (d[i + 3] > 200 && dist < 40) figure++;
  }
  return {hash, figure, width: c.width, height: c.height};
}
"""


def hostile_story() -> str:
    """stories.yml's hostile story, plus a payload that would set a page flag if it ran."""
    stories = yaml.safe_load((Path(__file__).parent / "stories.yml").read_text(encoding="utf-8"))
    story = next(s["story"] for s in stories if "onerror" in s["story"])
    return f"{XSS_PAYLOAD} {story}"


CELLS = [
    "%load_ext stickanim_jupyter",
    f"%%animate --seed 1\n{MAIN_STORY}",
    f"%%animate --seed 2\n{hostile_story()}",
    "%%animate\n   ",
]
MAIN, HOSTILE, FAILING = 1, 2, 3


# --- the server ------------------------------------------------------------------------------
@dataclass
class Lab:
    base: str
    token: str
    root: Path
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path}{sep}token={self.token}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llm() -> Iterator[LLMServer]:
    script = {
        "title": LOOP_TITLE,
        "description": f"served by the loopback LLM {XSS_PAYLOAD}",
        "characters": [{"id": "char_1", "name": LOOP_NAME, "color": LOOP_COLOR, "x": 0.5}],
        "scenes": [
            {
                "id": "scene_1",
                "description": "Loop waves",
                "actions": [{"character": "char_1", "action": "wave", "duration": 2000}],
            }
        ],
    }
    with LLMServer(default=Reply(content=json.dumps(script))) as server:
        yield server


def write_files(root: Path, llm: LLMServer) -> dict[str, str]:
    """Config, JupyterLab settings and the notebook; returns the server's environment."""
    dirs = {
        name: root / name
        for name in ("home", "runtime", "jconfig", "jdata", "settings", "workspaces", "nb", "cache")
    }
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    fast = {"model": "openai/test-model", "timeout": 5, "retries": 0, "deadline": 10}
    config = {
        "llm": {
            "provider": "local",
            "fallbacks": [],
            "loopback": {**fast, "api_base": llm.url},
            "broken": {**fast, "api_base": f"http://127.0.0.1:{refused_port()}/v1"},
        }
    }
    (root / "config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    settings = {
        # No news/update toasts over the notebook; every cell stays in the DOM.
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    }
    for plugin, values in settings.items():
        path = dirs["settings"] / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nbformat.write(nb, dirs["nb"] / "e2e.ipynb")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STICKANIM_", "JUPYTER"))}
    env.update(
        HOME=str(dirs["home"]),
        IPYTHONDIR=str(dirs["home"] / ".ipython"),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        JUPYTER_CONFIG_DIR=str(dirs["jconfig"]),
        JUPYTER_DATA_DIR=str(dirs["jdata"]),  # where the server keeps its notebook-trust records
        JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
        JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
        STICKANIM_CONFIG=str(root / "config.yml"),
        STICKANIM_CACHE_DIR=str(dirs["cache"]),
    )
    return env


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory, llm: LLMServer) -> Iterator[Lab]:
    root = tmp_path_factory.mktemp("lab")
    env = write_files(root, llm)
    lab = Lab(
        base=f"http://127.0.0.1:{free_port()}",
        token=secrets.token_hex(16),
        root=root,
        log=root / "server.log",
    )
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={lab.base.rsplit(':', 1)[1]}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={lab.token}", f"--ServerApp.root_dir={root / 'nb'}",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: run cells by command
        "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    with lab.log.open("wb") as log:
        lab.proc = subprocess.Popen(
            cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_up(lab)
        yield lab
    finally:
        stop(lab)


def wait_until_up(lab: Lab) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if lab.proc and lab.proc.poll() is not None:
            pytest.fail(f"jupyter lab exited ({lab.proc.returncode}):\n{log_tail(lab)}")
        try:
            with urllib.request.urlopen(lab.url("api/status"), timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"jupyter lab did not start in {SERVER_START_S} s:\n{log_tail(lab)}")


def stop(lab: Lab) -> None:
    """Ask the server to shut down (it stops its kernel), then make sure it is gone."""
    if lab.proc is None or lab.proc.poll() is not None:
        return
    try:
        urllib.request.urlopen(urllib.request.Request(lab.url("api/shutdown"), method="POST"), timeout=5)
        lab.proc.wait(timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):  # it may have exited meanwhile
            os.killpg(lab.proc.pid, signal.SIGKILL)  # the group we created for the server
        lab.proc.wait(timeout=10)


def log_tail(lab: Lab, chars: int = 3000) -> str:
    return lab.log.read_text(errors="replace")[-chars:]


# --- the browser -----------------------------------------------------------------------------
@dataclass
class Session:
    page: Any
    lab: Lab
    shots: Path
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def cell(self, index: int) -> Any:
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index)

    def widget(self, index: int) -> Any:
        return self.cell(index).locator(".stickanim")

    def canvas_stats(self, index: int, color: str) -> dict[str, int]:
        rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
        return self.widget(index).evaluate(CANVAS_STATS_JS, rgb)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the module's screenshots go."""
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def session(browser: Any, lab: Lab, shots: Path) -> Iterator[Session]:
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    s = Session(page=page, lab=lab, shots=shots)
    page.on("dialog", lambda d: (s.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: s.errors.append(str(e)))
    page.add_init_script("window.__xss = false;")
    page.set_default_timeout(RENDER_MS)
    try:
        open_and_run(s)
        yield s
    finally:
        with contextlib.suppress(sync_api.Error):
            page.screenshot(path=str(s.shots / "final.png"))
        page.close()


def open_and_run(s: Session) -> None:
    """Open the notebook (workspace reset), wait for its kernel, run all cells, wait for the output."""
    try:
        s.page.goto(s.lab.url("lab/tree/e2e.ipynb?reset"))
        s.page.wait_for_function(
            "() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'",
            timeout=KERNEL_READY_MS,
        )
        s.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        s.cell(FAILING).locator(".jp-OutputArea-output").wait_for()
        for index in (MAIN, HOSTILE):
            s.cell(index).locator(".stickanim[data-ready='true']").wait_for()
    except sync_api.Error as err:
        with contextlib.suppress(sync_api.Error):
            s.page.screenshot(path=str(s.shots / "setup-failed.png"))
        pytest.fail(
            f"the notebook did not run: {err}\npage errors: {s.errors}\nserver log:\n{log_tail(s.lab)}"
        )


def screenshot(s: Session, name: str, *, publish: bool = False) -> Path:
    """Save a viewport screenshot in the test's tmp dir; `publish` also copies it to $STICKANIM_SCREENSHOT."""
    path = s.shots / name
    s.page.screenshot(path=str(path))
    wanted = os.environ.get("STICKANIM_SCREENSHOT")
    if publish and wanted:
        Path(wanted).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, wanted)
    return path


@pytest.fixture(scope="module")
def main_color() -> str:
    from stickanim_jupyter.api import generate

    return generate(MAIN_STORY, provider="local", seed=1).characters[0].color


# --- the tests -------------------------------------------------------------------------------
def test_canvas_draws_the_figure(session: Session, main_color: str) -> None:
    stats = session.canvas_stats(MAIN, main_color)
    assert stats["width"] > 300 and stats["height"] > 150
    assert stats["figure"] >= FIGURE_PIXELS, stats
    session.widget(MAIN).scroll_into_view_if_needed()
    screenshot(session, "widget.png", publish=True)
    session.widget(MAIN).screenshot(path=str(session.shots / "widget-element.png"))
    assert session.dialogs == [] and session.errors == []


def test_the_static_view_is_in_the_page_but_hidden_under_the_live_player(session: Session) -> None:
    """%%animate publishes the player, then the static view; the running player hides the latter."""
    for index in (MAIN, HOSTILE):
        outputs = session.cell(index).locator(".jp-OutputArea-child")
        sync_api.expect(outputs).to_have_count(2)
        static = outputs.nth(1)
        sync_api.expect(static.locator(".stickanim-static img")).to_have_count(1)  # rendered...
        sync_api.expect(static).to_be_hidden()  # ...and hidden, prompt and all
        sync_api.expect(static).to_have_attribute("data-stickanim-superseded", "")
        sync_api.expect(outputs.nth(0).locator(".stickanim")).to_be_visible()
    assert session.cell(FAILING).locator(".stickanim-static").count() == 0


def test_playing_changes_the_picture_and_pausing_freezes_it(session: Session, main_color: str) -> None:
    root = session.widget(MAIN)
    root.scroll_into_view_if_needed()  # off-screen players skip their frames
    if root.get_attribute("data-playing") != "true":
        root.locator("button.stickanim-play").click()
    first = session.canvas_stats(MAIN, main_color)["hash"]
    changed = poll(lambda: session.canvas_stats(MAIN, main_color)["hash"] != first, session.page)
    assert changed, "the picture did not change while playing"

    root.locator("button.stickanim-play").click()
    session.page.wait_for_function("(el) => el.dataset.playing === 'false'", arg=root.element_handle())
    paused = steady_stats(session, main_color)  # a frame requested before the pause may still land
    session.page.wait_for_timeout(500)
    assert session.canvas_stats(MAIN, main_color)["hash"] == paused["hash"], (
        "the picture changed while paused"
    )
    assert paused["figure"] >= FIGURE_PIXELS
    root.locator("button.stickanim-play").click()  # leave it playing, as a user would


def poll(check: Any, page: Any, timeout_ms: int = CHANGE_MS, every_ms: int = 150) -> bool:
    """Call `check()` until it is true or `timeout_ms` passed; whether it became true."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not check():
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(every_ms)
    return True


def steady_stats(session: Session, color: str) -> dict[str, int]:
    """The main canvas's stats once two reads 250 ms apart agree (a busy page draws late)."""
    last = {"stats": session.canvas_stats(MAIN, color)}

    def same() -> bool:
        now = session.canvas_stats(MAIN, color)
        agreed, last["stats"] = now["hash"] == last["stats"]["hash"], now
        return agreed

    assert poll(same, session.page, every_ms=250), "the paused picture kept changing"
    return last["stats"]


def test_dropdown_lists_the_configured_providers(session: Session) -> None:
    options = session.widget(MAIN).locator("select.stickanim-provider option")
    values = options.evaluate_all("(els) => els.map((o) => o.value)")
    assert set(values) >= {"local", "loopback", "broken"}, values
    assert session.widget(MAIN).locator("select.stickanim-provider").input_value() == "local"


def test_choosing_the_loopback_provider_regenerates(session: Session, llm: LLMServer) -> None:
    root = session.widget(MAIN)
    hits = llm.hit_count
    root.locator("select.stickanim-provider").select_option("loopback")
    sync_api.expect(root).to_have_attribute("data-title", LOOP_TITLE, timeout=REGENERATE_MS)
    assert llm.hit_count > hits
    sync_api.expect(root.locator(".stickanim-title")).to_have_text(LOOP_TITLE)  # as text
    sync_api.expect(root.locator(".stickanim-legend")).to_have_text(LOOP_NAME)
    root.locator(".stickanim-inspector > summary").click()
    sync_api.expect(root.locator(".stickanim-inspector")).to_contain_text(f"{LOOP_MARK} <img src=x onerror=")
    assert session.canvas_stats(MAIN, LOOP_COLOR)["figure"] >= FIGURE_PIXELS


def test_a_failing_provider_shows_its_error_and_keeps_the_animation(session: Session) -> None:
    root = session.widget(MAIN)
    root.locator("select.stickanim-provider").select_option("broken")
    error = root.locator(".stickanim-error")
    sync_api.expect(error).to_be_visible(timeout=REGENERATE_MS)
    sync_api.expect(error).to_contain_text("broken")
    screenshot(session, "provider-error.png")
    assert root.get_attribute("data-title") == LOOP_TITLE
    assert session.canvas_stats(MAIN, LOOP_COLOR)["figure"] >= FIGURE_PIXELS
    sync_api.expect(root.locator(".stickanim-inspector")).to_contain_text(LOOP_MARK)


def test_the_hostile_story_runs_no_script(session: Session) -> None:
    """stories.yml's hostile story (and the loopback's markup, shown above) run nothing."""
    root = session.widget(HOSTILE)
    root.scroll_into_view_if_needed()
    root.locator(".stickanim-inspector > summary").click()
    root.locator(".stickanim-inspector .stickanim-tree").first.wait_for()
    session.widget(MAIN).hover()  # an onmouseover in the legend would fire now
    session.widget(MAIN).locator(".stickanim-legend").hover()
    session.page.wait_for_timeout(1000)  # a broken image's onerror fires asynchronously
    outputs = session.page.locator(".jp-Notebook .jp-OutputArea")
    assert outputs.locator("img[src='x'], [onerror], [onmouseover]").count() == 0
    assert session.page.evaluate("() => window.__xss") is False
    assert session.dialogs == [] and session.errors == []


def test_an_invalid_llm_answer_shows_its_raw_text_in_the_inspector(session: Session, llm: LLMServer) -> None:
    """A GenerationError's raw answer (the first ask and the re-ask both invalid) is inspectable, as text."""
    root = session.widget(HOSTILE)
    root.scroll_into_view_if_needed()
    title = root.get_attribute("data-title")
    raw = f"Here it is, told in prose instead. {XSS_PAYLOAD} {LOOP_NAME}"  # not a refusal: re-asked
    llm.queue(Reply(content=raw), Reply(content=raw))  # this story was never asked: no cache hit
    root.locator("select.stickanim-provider").select_option("loopback")
    error = root.locator(".stickanim-error")
    sync_api.expect(error).to_be_visible(timeout=REGENERATE_MS)
    sync_api.expect(error).to_contain_text("valid Script")
    section = root.locator(".stickanim-inspector details.stickanim-raw")
    inspector = root.locator(".stickanim-inspector")
    if inspector.get_attribute("open") is None:
        inspector.locator("> summary").click()
    sync_api.expect(section).to_be_visible()
    section.locator("> summary").click()
    sync_api.expect(section.locator(".stickanim-raw-text")).to_have_text(raw)
    assert root.get_attribute("data-title") == title  # the old animation stays
    session.widget(HOSTILE).locator(".stickanim-raw-text").hover()
    session.page.wait_for_timeout(1000)
    outputs = session.page.locator(".jp-Notebook .jp-OutputArea")
    assert outputs.locator("img[src='x'], [onerror], [onmouseover]").count() == 0
    assert session.page.evaluate("() => window.__xss") is False
    assert session.dialogs == [] and session.errors == []


def test_a_failing_magic_leaves_earlier_outputs_in_place(session: Session) -> None:
    failing = session.cell(FAILING).locator(".jp-OutputArea-output")
    sync_api.expect(failing).to_have_count(1)
    sync_api.expect(failing).to_have_attribute("data-mime-type", "application/vnd.jupyter.stderr")
    sync_api.expect(failing).to_contain_text("StoryError: the story is empty")
    assert "Traceback" not in failing.inner_text()
    titles = [session.widget(i).get_attribute("data-title") for i in (MAIN, HOSTILE)]

    run_cell_again = """(index) => {
        window.jupyterapp.shell.currentWidget.content.activeCellIndex = index;
        return window.jupyterapp.commands.execute('notebook:run-cell');
    }"""  # resolves when the cell has run
    session.page.evaluate(run_cell_again, FAILING)
    sync_api.expect(failing).to_have_count(1)
    sync_api.expect(failing).to_contain_text("StoryError")
    assert [session.widget(i).get_attribute("data-title") for i in (MAIN, HOSTILE)] == titles
    for index in (MAIN, HOSTILE):
        sync_api.expect(session.widget(index)).to_have_attribute("data-ready", "true")


# --- a notebook reopened without its kernel's widgets ---------------------------------------
def copy_trusted(lab: Lab, name: str, source: Path) -> None:
    """Copy `source` into the server's root, signed as trusted, as `jupyter trust` would."""
    from nbformat.sign import NotebookNotary

    target = lab.root / "nb" / name
    shutil.copyfile(source, target)
    notary = NotebookNotary(data_dir=str(lab.root / "jdata"))  # the server's JUPYTER_DATA_DIR
    notary.sign(nbformat.read(target, as_version=4))


def notebook_panel(page: Any, path: str) -> Any:
    """Wait until `path` is the current tab of the Lab in `page`; the locator of its panel."""
    page.wait_for_function(
        "(path) => window.jupyterapp?.shell.currentWidget?.context?.path === path", arg=path
    )
    return page.locator(f"[id='{page.evaluate('() => window.jupyterapp.shell.currentWidget.id')}']")


def static_views_shown(panel: Any) -> list[str]:
    """The titles of the static views visible in `panel`, each checked to have a decoded picture."""
    views = panel.locator(".stickanim-static")
    sync_api.expect(views.first).to_be_visible()
    titles = []
    for i in range(views.count()):
        view = views.nth(i)
        view.scroll_into_view_if_needed()
        sync_api.expect(view).to_be_visible()
        img = view.locator("img")
        size = img.evaluate("(img) => img.decode().then(() => [img.naturalWidth, img.clientWidth])")
        assert size[0] > 0 and 300 < size[1] <= 720, size  # drawn, at the player's size or less
        titles.append(view.locator("div").first.inner_text())
    return titles


def test_a_reopened_notebook_shows_the_static_views(browser: Any, lab: Lab, shots: Path) -> None:
    """The quick start's committed outputs, trusted (as if you ran it) and not (as if downloaded).

    Trusted, JupyterLab picks each player's widget view and says "model not found": the static
    view, an output of its own, still shows. Untrusted, the player shows its text line.
    """
    players = sum(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {})
        for c in nbformat.read(QUICKSTART, as_version=4).cells
        for o in c.get("outputs", [])
    )
    copy_trusted(lab, "reopened.ipynb", QUICKSTART)
    downloaded = nbformat.read(QUICKSTART, as_version=4)
    # Trust goes by content: an identical copy would be trusted along with the first one.
    downloaded.metadata["stickanim_test"] = "downloaded, never trusted"
    nbformat.write(downloaded, lab.root / "nb" / "downloaded.ipynb")

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(RENDER_MS)
    try:
        page.goto(lab.url("lab/tree/reopened.ipynb?reset"))
        panel = notebook_panel(page, "reopened.ipynb")
        dead = panel.locator(".jp-OutputArea-output", has_text="model not found")
        sync_api.expect(dead).to_have_count(players)
        titles = static_views_shown(panel)
        assert len(titles) == players + 1, titles  # each player's, and the one shown alone
        for expected in ("Wave", "Walk and shake hands", "挥手", "走路、握手"):
            assert expected in titles
        assert panel.locator("[data-stickanim-superseded]").count() == 0
        wave = panel.locator(".jp-CodeCell", has=page.locator(".stickanim-static")).first
        outputs = wave.locator(".jp-OutputArea-child")
        sync_api.expect(outputs).to_have_count(2)
        sync_api.expect(outputs.nth(0)).to_contain_text("Error displaying widget: model not found")
        picture = outputs.nth(1).locator(".stickanim-static img")
        wave.scroll_into_view_if_needed()
        still = picture.screenshot()
        assert poll(lambda: picture.screenshot() != still, page), "the static view does not move"  # no script
        page.screenshot(path=str(shots / "reopened.png"))
        wave.screenshot(path=str(shots / "reopened-cell.png"))

        # Not awaited: the command resolves only once the notebook's kernel has started.
        page.evaluate(
            "() => { window.jupyterapp.commands.execute('docmanager:open', {path: 'downloaded.ipynb'}); }"
        )
        panel = notebook_panel(page, "downloaded.ipynb")  # never trusted: no widget views at all
        lines = panel.locator(".jp-OutputArea-output", has_text="AnimationWidget: ")
        sync_api.expect(lines).to_have_count(players)
        assert panel.locator(".jp-OutputArea-output", has_text="model not found").count() == 0
        assert len(static_views_shown(panel)) == players + 1
        panel.locator(".stickanim-static").first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "downloaded.png"))
        assert errors == []
    finally:
        with contextlib.suppress(sync_api.Error):
            page.screenshot(path=str(shots / "reopen-final.png"))
        page.close()


def test_the_exports_notebook_plays_its_html_page_without_its_out_folder(
    browser: Any, lab: Lab, shots: Path
) -> None:
    """04_exports shows the standalone page inline (srcdoc): it plays where out/ does not exist.

    The server's root has no out/exports/, as in a fresh clone or on nbviewer.
    """
    nb = nbformat.read(EXPORTS, as_version=4)
    frames = [
        o["data"]["text/html"]
        for c in nb.cells
        for o in c.get("outputs", [])
        if "<iframe" in o.get("data", {}).get("text/html", "")
    ]
    assert len(frames) == 1 and "srcdoc=" in frames[0] and "out/exports" not in frames[0]
    assert not (lab.root / "nb" / "out").exists()
    copy_trusted(lab, "exports.ipynb", EXPORTS)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(RENDER_MS)
    try:
        page.goto(lab.url("lab/tree/exports.ipynb?reset"))
        panel = notebook_panel(page, "exports.ipynb")
        frame = panel.locator("iframe[srcdoc]")
        sync_api.expect(frame).to_have_count(1)
        frame.scroll_into_view_if_needed()
        player = frame.content_frame.locator(".stickanim[data-ready='true']")
        player.wait_for()
        swatch = player.locator(".stickanim-swatch").first  # the first figure's color
        color = swatch.evaluate("(el) => getComputedStyle(el).backgroundColor")  # "rgb(r, g, b)"
        rgb = [int(v) for v in color[color.index("(") + 1 : color.index(")")].split(",")[:3]]
        stats = player.evaluate(CANVAS_STATS_JS, rgb)
        assert stats["figure"] >= FIGURE_PIXELS, stats
        page.screenshot(path=str(shots / "exports-html.png"))
        assert errors == []
    finally:
        page.close()
