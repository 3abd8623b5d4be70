"""Shared bits of the browser tests that start a notebook server (test_marimo, test_notebook7).

A server runs on loopback in a subprocess of its own session, with a scratch HOME and a
config.yml that knows only the `local` provider (offline, keyless); `running()` waits until it
answers and always stops it, its process group included. A Visit records a page's errors and
any request off this machine. The canvas check counts the pixels of a character's color, as
tests/test_browser.py does.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

STOP_S = 20  # a graceful stop (kernels shut down) before the process group is killed
LOOPBACK = ("127.0.0.1", "localhost")
FIGURE_PIXELS = 40  # pixels in a figure's color that count as "a figure is drawn"

# Pixels of `rgb` (opaque, within a small distance) and all non-white opaque pixels of the
# player's canvas; `root` is the .stickanim element (open shadow roots are no obstacle).
CANVAS_PIXELS_JS = """
(root, rgb) => {
  const c = root.querySelector('canvas.stickanim-canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let figure = 0, inked = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] < 200) continue;
    const dist = Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]);
    if (dist < 40) figure++;
    if (d[i] + d[i + 1] + d[i + 2] < 600) inked++;
  }
  return {figure, inked, width: c.width, height: c.height};
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scratch_env(root: Path) -> dict[str, str]:
    """os.environ with a scratch HOME, Jupyter and marimo dirs, and a local-only stickanim config."""
    dirs = {
        "HOME": "home",
        "XDG_CONFIG_HOME": "xdg-config",
        "XDG_CACHE_HOME": "xdg-cache",
        "XDG_DATA_HOME": "xdg-data",
        "IPYTHONDIR": "ipython",
        "JUPYTER_CONFIG_DIR": "jupyter-config",
        "JUPYTER_DATA_DIR": "jupyter-data",
        "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
        "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
        "STICKANIM_CACHE_DIR": "stickanim-cache",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STICKANIM_", "JUPYTER"))}
    for var, sub in dirs.items():
        (root / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(root / sub)
    config = root / "config.yml"
    config.write_text(yaml.safe_dump({"llm": {"provider": "local", "fallbacks": []}}))
    env["STICKANIM_CONFIG"] = str(config)
    env["MARIMO_SKIP_UPDATE_CHECK"] = "1"  # no request to PyPI on start-up
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


@dataclass
class Server:
    """A server command, where it logs, and the URL that answers once it is up."""

    name: str
    cmd: list[str]
    env: dict[str, str]
    log: Path
    health_url: str
    proc: subprocess.Popen[bytes] | None = None

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def start(self) -> None:
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                self.cmd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_until_up(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                pytest.fail(f"{self.name} exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.health_url, timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        pytest.fail(f"{self.name} did not answer in {timeout_s} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM (Jupyter then shuts its kernels down), then SIGKILL the whole process group."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=STOP_S)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):  # stragglers left in the group
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)


@contextlib.contextmanager
def running(server: Server, start_s: float) -> Iterator[Server]:
    """Start `server`, wait until it answers, and stop it whatever happens."""
    try:
        server.start()
        server.wait_until_up(start_s)
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def expect_timeout(ms: float) -> Iterator[None]:
    """Playwright's expect() waits up to `ms` inside; its default (5 s) is back after."""
    from playwright.sync_api import expect

    expect.set_options(timeout=ms)
    try:
        yield
    finally:
        expect.set_options(timeout=5_000)


@dataclass
class Visit:
    """A page of the app, with its page errors (message and stack) and any request off this machine."""

    page: Any
    errors: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, browser: Any, timeout_ms: float) -> Visit:
        """A new 1280x1000 page of `browser` that records errors and off-machine requests."""
        visit = cls(page=browser.new_page(viewport={"width": 1280, "height": 1000}))
        visit.page.on("pageerror", lambda e: visit.errors.append(f"{e}\n{e.stack}"))
        visit.page.on("request", lambda r: visit.note(r.url))
        visit.page.set_default_timeout(timeout_ms)
        return visit

    def note(self, url: str) -> None:
        parts = urlsplit(url)  # data: and blob: URLs stay in the page
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOOPBACK:
            self.offsite.append(url)


def canvas_pixels(player: Any, color: str) -> dict[str, int]:
    """CANVAS_PIXELS_JS on a Playwright locator of the .stickanim element."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return player.evaluate(CANVAS_PIXELS_JS, rgb)
