"""`stickanim serve`: the seed's web API on a real uvicorn server (loopback, free port), its
exports, limits and errors, the CLI command, and the page in headless Chromium.

The module's server runs in a thread of this process with a config of three providers:
`local` (default), `loopback` (tests/llmserver.py, answering WAVE_SCRIPT) and `nokey` (needs
a key nobody set). Tests of failing or slow providers start a server of their own on the
conftest's `loop_config`. Every response is checked for FAKE_KEY by an httpx event hook.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FAKE_KEY
from llmserver import WAVE_SCRIPT, LLMServer, Reply, refused_port

from stickanim_jupyter.api import generate
from stickanim_jupyter.cli import main as cli_main
from stickanim_jupyter.schema import MAX_STORY_CHARS, Animation

httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn", reason="needs the serve extra")
pytest.importorskip("starlette", reason="needs the serve extra")

from stickanim_jupyter.serve.app import create_app, disposition, host_name, widget_js_path  # noqa: E402
from stickanim_jupyter.serve.payload import MAX_BODY_BYTES  # noqa: E402
from stickanim_jupyter.serve.runner import Busy, Deadline, Runner  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ENGLISH = "Alice waves at Bob, then Bob runs away"
CHINESE = "小明和小红见面握手，然后小明跳了三下"
JSON_HEADERS = {"Content-Type": "application/json"}


# --- servers ---------------------------------------------------------------------------------
@contextmanager
def running(app: Any) -> Iterator[str]:
    """`app` on uvicorn in a thread, on a free loopback port; yields the base URL."""
    sock = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True)
    thread.start()
    end = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > end:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def no_key(response: httpx.Response) -> None:
    response.read()
    assert FAKE_KEY not in response.text
    assert FAKE_KEY not in str(response.headers)


@contextmanager
def client(base: str, timeout: float = 90) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=timeout, event_hooks={"response": [no_key]}) as c:
        yield c


def write_config(root: Path, providers: dict[str, dict[str, Any]], keys: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "config.yml"
    path.write_text(yaml.safe_dump({"llm": {"provider": "local", "fallbacks": [], **providers}}))
    (root / "llm_config.yml").write_text(yaml.safe_dump({k: {"api_key": v} for k, v in keys.items()}))
    return path


FAST = {"model": "openai/test-model", "timeout": 10, "retries": 0, "backoff": 0.01, "max_tokens": 1024}


@pytest.fixture(scope="module")
def llm() -> Iterator[LLMServer]:
    with LLMServer() as server:
        yield server


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, llm: LLMServer) -> Iterator[str]:
    providers = {
        "loopback": {**FAST, "api_base": llm.url},
        "nokey": {**FAST, "api_base": "https://llm.example.invalid/v1"},  # not loopback: needs a key
    }
    config = write_config(tmp_path_factory.mktemp("serve"), providers, {"loopback": FAKE_KEY})
    with running(create_app(config, deadline=60)) as url:
        yield url


@pytest.fixture
def api(base: str) -> Iterator[httpx.Client]:
    with client(base) as c:
        yield c


def envelope_error(response: httpx.Response, status: int, kind: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and set(body["error"]) >= {"type", "message"}, body
    assert body["error"]["type"] == kind, body
    message = body["error"]["message"]
    assert message and "\n" not in message and "Traceback" not in message
    return message


def same_animation(a: dict[str, Any], b: dict[str, Any]) -> bool:
    strip = lambda d: {k: v for k, v in d.items() if k != "meta"}  # noqa: E731
    return strip(a) == strip(b)


# --- the seed's API --------------------------------------------------------------------------
def test_health(api: httpx.Client) -> None:
    response = api.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "healthy", "provider": "local"}


def test_providers_never_show_a_key(api: httpx.Client) -> None:
    body = api.get("/api/providers").json()
    assert body["default"] == "local"
    rows = {row["name"]: row for row in body["providers"]}
    assert list(rows) == ["local", "loopback", "nokey"]
    assert rows["local"] == {
        "name": "local", "model": None, "default": True, "available": True, "key_present": False, "reason": None,
    }  # fmt: skip
    assert rows["loopback"]["key_present"] is True and rows["loopback"]["available"] is True
    assert rows["loopback"]["model"] == "openai/test-model"
    assert rows["nokey"]["available"] is False and "no API key" in rows["nokey"]["reason"]
    assert all("key" not in row for row in body["providers"])
    assert "TESTKEY" not in json.dumps(body) and "sk-" not in json.dumps(body)  # not even masked


@pytest.mark.parametrize("story", [ENGLISH, CHINESE], ids=["english", "chinese"])
def test_generate(api: httpx.Client, story: str) -> None:
    response = api.post("/api/generate", json={"story": story})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["success"] is True and set(body) == {"success", "data"}
    anim = Animation.parse(body["data"])
    assert anim.meta.provider == "local" and anim.characters and anim.scenes
    assert same_animation(body["data"], generate(story).model_dump(mode="json"))  # the library's own result


def test_generate_options(api: httpx.Client) -> None:
    body = api.post(
        "/api/generate", json={"story": ENGLISH, "provider": "local", "fps": 12, "seed": 7}
    ).json()
    assert body["data"]["fps"] == 12
    assert same_animation(body["data"], generate(ENGLISH, fps=12, seed=7).model_dump(mode="json"))


def test_generate_with_an_llm_provider(api: httpx.Client, llm: LLMServer) -> None:
    before = llm.hit_count
    body = api.post("/api/generate", json={"story": "一个人挥手", "provider": "loopback"}).json()
    assert body["success"] is True, body
    assert body["data"]["title"] == WAVE_SCRIPT["title"]
    assert body["data"]["meta"]["provider"] == "loopback"
    assert llm.hit_count == before + 1
    sent = {k.lower(): v for k, v in llm.hits[-1].headers.items()}
    assert sent["authorization"] == f"Bearer {FAKE_KEY}"  # the key goes there, and in no answer


def test_concurrent_requests(api: httpx.Client) -> None:
    stories = [f"{name} waves three times" for name in ("Ann", "Ben", "Cid", "Dee")] + [
        f"{name}跳了三下" for name in ("小明", "小红", "小刚", "小丽")
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda s: api.post("/api/generate", json={"story": s}), stories))
    assert [r.status_code for r in responses] == [200] * 8
    for story, response in zip(stories, responses, strict=True):
        expected = generate(story).model_dump(mode="json")
        assert same_animation(response.json()["data"], expected), story


# --- refusals ----------------------------------------------------------------------------------
def chunks(data: bytes, size: int = 8192) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


BIG = json.dumps({"story": "a" * (MAX_BODY_BYTES + 10)}).encode()
REFUSALS: dict[str, tuple[dict[str, Any], int, str]] = {
    "bad json": ({"content": b'{"story": "a', "headers": JSON_HEADERS}, 400, "bad_request"),
    "not an object": ({"json": ["a story"]}, 400, "bad_request"),
    "not json": ({"content": b"story=hi", "headers": {"Content-Type": "text/plain"}}, 415, "unsupported_media_type"),
    "too large": ({"content": BIG, "headers": JSON_HEADERS}, 413, "payload_too_large"),
    "too large, chunked": ({"content": chunks(BIG), "headers": JSON_HEADERS}, 413, "payload_too_large"),
    "no story": ({"json": {"provider": "local"}}, 422, "story_error"),
    "empty story": ({"json": {"story": " \n\t "}}, 422, "story_error"),
    "story not text": ({"json": {"story": 42}}, 422, "story_error"),
    "story too long": ({"json": {"story": "x" * (MAX_STORY_CHARS + 1)}}, 422, "story_error"),
    "unknown provider": ({"json": {"story": ENGLISH, "provider": "nope"}}, 400, "config_error"),
    "provider without key": ({"json": {"story": ENGLISH, "provider": "nokey"}}, 400, "config_error"),
    "bad fps": ({"json": {"story": ENGLISH, "fps": 0}}, 422, "validation_error"),
    "fps not int": ({"json": {"story": ENGLISH, "fps": 12.5}}, 422, "validation_error"),
    "bad seed": ({"json": {"story": ENGLISH, "seed": "1"}}, 422, "validation_error"),
    "bad model": ({"json": {"story": ENGLISH, "model": ["gpt"]}}, 422, "validation_error"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refusals(api: httpx.Client, case: str) -> None:
    kwargs, status, kind = REFUSALS[case]
    message = envelope_error(api.post("/api/generate", **kwargs), status, kind)
    if case == "unknown provider":
        assert "nope" in message and "local" in message


def test_unknown_routes_and_methods(api: httpx.Client) -> None:
    envelope_error(api.get("/api/nothing"), 404, "not_found")
    envelope_error(api.get("/api/generate"), 405, "method_not_allowed")


def test_only_loopback_host_names(base: str) -> None:
    response = httpx.get(f"{base}/api/health", headers={"Host": "rebound.example:5001"})
    envelope_error(response, 421, "misdirected_request")
    assert [host_name(h) for h in ("LocalHost:5001", "[::1]:80", "127.0.0.1", "::1")] == [
        "localhost", "::1", "127.0.0.1", "::1",
    ]  # fmt: skip


# --- failing providers (the conftest's loopback LLM server) ------------------------------------
def test_provider_failure_is_502_and_redacted(
    llm_server: LLMServer, loop_config: Callable[..., Path], caplog: pytest.LogCaptureFixture
) -> None:
    llm_server.default = Reply(status=500)  # its error body echoes the Authorization header
    with running(create_app(loop_config(retries=1))) as url, client(url) as c:
        response = c.post("/api/generate", json={"story": ENGLISH, "provider": "loopback"})
    message = envelope_error(response, 502, "provider_error")
    assert "loopback" in message
    assert llm_server.hit_count == 2  # the first attempt and one retry
    assert "TESTKEY" not in caplog.text and "provider_error" in caplog.text  # logged, one line, redacted


def test_invalid_llm_answer_is_502_with_the_raw_answer(
    llm_server: LLMServer, loop_config: Callable[..., Path]
) -> None:
    llm_server.default = Reply(content="Sorry, I cannot draw <b>that</b>.")  # not a Script, twice
    with running(create_app(loop_config())) as url, client(url) as c:
        response = c.post("/api/generate", json={"story": ENGLISH, "provider": "loopback"})
    envelope_error(response, 502, "generation_error")
    assert "Sorry, I cannot draw <b>that</b>." in response.json()["error"]["raw"]  # for the page's inspector


def test_refused_connection_is_502(loop_config: Callable[..., Path]) -> None:
    config = loop_config(name="broken", api_base=f"http://127.0.0.1:{refused_port()}/v1", retries=0)
    with running(create_app(config)) as url, client(url) as c:
        response = c.post("/api/generate", json={"story": ENGLISH, "provider": "broken"})
        envelope_error(response, 502, "provider_error")
        assert c.get("/api/health").status_code == 200


def test_deadline_is_504(llm_server: LLMServer, loop_config: Callable[..., Path]) -> None:
    llm_server.default = Reply(delay=4)
    with running(create_app(loop_config(name="slow", timeout=10), deadline=1.0)) as url, client(url) as c:
        t0 = time.monotonic()
        response = c.post("/api/generate", json={"story": ENGLISH, "provider": "slow"})
        envelope_error(response, 504, "timeout")
        assert time.monotonic() - t0 < 3.5
        assert c.get("/api/health").status_code == 200  # the loop is not blocked


# --- the runner: bounded concurrency and deadlines ------------------------------------------
def test_runner_bounds_concurrency() -> None:
    lock, state = threading.Lock(), {"now": 0, "max": 0}

    def job(i: int) -> int:
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return i

    async def main() -> list[int]:
        runner = Runner(concurrency=3, deadline=10)
        try:
            return list(await asyncio.gather(*(runner.run(job, i) for i in range(10))))
        finally:
            runner.close()

    assert asyncio.run(main()) == list(range(10))
    assert state["max"] == 3


def test_runner_deadline_keeps_the_slot_until_the_thread_ends() -> None:
    release = threading.Event()

    async def main() -> None:
        runner = Runner(concurrency=1, deadline=0.2, max_waiting=0)
        try:
            with pytest.raises(Deadline):
                await runner.run(release.wait, 5)
            assert runner.running == 1  # timed out, but its thread still runs: the slot stays taken
            with pytest.raises(Busy):  # nothing may wait (max_waiting=0) while the slot is taken
                await runner.run(lambda: 1)
            release.set()
            for _ in range(100):
                if runner.running == 0:
                    break
                await asyncio.sleep(0.01)
            assert await runner.run(lambda: 42) == 42
        finally:
            release.set()
            runner.close()

    asyncio.run(main())


# --- exports ---------------------------------------------------------------------------------
MAGIC = {"gif": b"GIF8", "png": b"\x89PNG", "svg": b"<?xml", "html": b"<!doctype html", "json": b"{"}
TYPES = {
    "gif": "image/gif",
    "png": "image/png",
    "svg": "image/svg+xml",
    "html": "text/html",
    "json": "application/json",
}


@pytest.mark.parametrize("fmt", ["gif", "svg", "json", "png", "html"])
def test_export_from_a_story(api: httpx.Client, fmt: str) -> None:
    response = api.post("/api/export", json={"story": ENGLISH, "format": fmt})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(TYPES[fmt])
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert response.headers["content-disposition"].split('"')[1].endswith(f".{fmt}")
    assert response.content.lstrip()[: len(MAGIC[fmt])].lower() == MAGIC[fmt].lower()
    if fmt == "json":
        assert same_animation(response.json(), generate(ENGLISH).model_dump(mode="json"))


def test_generate_with_format_query(api: httpx.Client) -> None:
    response = api.post("/api/generate?format=svg", json={"story": CHINESE})
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]  # the Chinese title
    envelope_error(api.post("/api/generate?format=bmp", json={"story": CHINESE}), 422, "validation_error")


def test_export_from_a_script_matches_the_generated_animation(api: httpx.Client) -> None:
    data = api.post("/api/generate", json={"story": CHINESE, "fps": 12, "seed": 3}).json()["data"]
    body = {"format": "json", "script": data["script"], "fps": 12, "seed": 3}
    exported = api.post("/api/export", json=body)
    assert exported.status_code == 200, exported.text
    assert same_animation(exported.json(), data)
    both = {**body, "story": CHINESE}
    envelope_error(api.post("/api/export", json=both), 422, "validation_error")
    bad = {"format": "gif", "script": {"title": "x", "characters": [], "scenes": []}}
    envelope_error(api.post("/api/export", json=bad), 422, "validation_error")
    envelope_error(api.post("/api/export", json={"story": ENGLISH}), 422, "validation_error")  # no format


def test_disposition_keeps_the_header_intact() -> None:
    anim = generate(ENGLISH)
    anim.title = 'Evil "name"\r\nSet-Cookie: x=1 / 跳'
    header = disposition(anim, "gif")
    assert "\r" not in header and "\n" not in header and header.count('"') == 2
    assert header.startswith("attachment; filename=\"evil-name-set-cookie-x-1.gif\"; filename*=UTF-8''")


# --- the page's files --------------------------------------------------------------------------
def test_page_and_scripts(api: httpx.Client) -> None:
    page = api.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert '<script type="module" src="/static/page.js">' in page.text
    widget_js = api.get("/static/widget.js")
    assert widget_js.headers["content-type"].startswith("text/javascript")
    assert widget_js.content == widget_js_path().read_bytes()  # the notebook widget's module, as is
    page_js = api.get("/static/page.js")
    assert 'from "/static/widget.js"' in page_js.text and not re.search(r"innerHTML\s*=", page_js.text)


# --- the command -----------------------------------------------------------------------------
def test_cli_without_the_extra_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # `import uvicorn` now raises ImportError
    assert cli_main(["serve"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install 'stickanim-jupyter[serve]'" in err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_serves_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "stickanim_jupyter.cli", "serve", "--port", str(port)]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        end = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < end, log.read_text()
                time.sleep(0.1)
        assert response.json()["status"] == "healthy"
        taken = subprocess.run([*cmd], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert taken.returncode == 1 and taken.stderr.count("\n") == 1, taken.stderr
        assert f"cannot listen on 127.0.0.1:{port}" in taken.stderr
    finally:
        proc.terminate()
        proc.wait(15)
    assert f"stickanim serve: http://127.0.0.1:{port}/" in log.read_text()
    assert "Traceback" not in log.read_text()


# --- the page in Chromium --------------------------------------------------------------------
CANVAS_INK_JS = """
() => {
  const c = document.querySelector('canvas.stickanim-canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const bg = [d[0], d[1], d[2]];
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 60) ink++;
  }
  return ink;
}
"""
XSS = '<img src=x onerror="window.__xss=true">'


@pytest.mark.browser
def test_page_in_chromium(base: str, tmp_path: Path) -> None:
    from chromium import CHROMIUM, launch

    if not CHROMIUM.exists():
        pytest.skip("needs Debian's /usr/bin/chromium (apt install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright's Python package")
    problems: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(accept_downloads=True)
            page.on("pageerror", lambda err: problems.append(f"pageerror: {err}"))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/")
            dropdown = page.locator("select.stickanim-provider option")
            sync_api.expect(dropdown).to_have_count(3, timeout=15_000)
            assert dropdown.evaluate_all("os => os.map(o => [o.value, o.disabled])") == [
                ["local", False], ["loopback", False], ["nokey", True],
            ]  # fmt: skip

            page.fill("#story", f"{ENGLISH} {XSS}")
            page.click("#generate")
            root = page.locator(".stickanim")
            sync_api.expect(root).to_have_attribute("data-ready", "true", timeout=30_000)
            page.wait_for_timeout(300)  # a few frames drawn
            assert page.evaluate(CANVAS_INK_JS) > 500  # stick figures, not a blank canvas
            title = page.evaluate("window.stickanimPage.model.get('animation').title")
            sync_api.expect(page.locator(".stickanim-title")).to_have_text(title)

            page.click(".stickanim-inspector > summary")
            body = page.locator(".stickanim-inspector-body")
            sync_api.expect(body).to_contain_text("characters", timeout=10_000)
            sync_api.expect(body).to_contain_text(title)

            with page.expect_download() as info:
                page.click("#download-gif")
            gif = tmp_path / "page.gif"
            info.value.save_as(gif)
            assert info.value.suggested_filename.endswith(".gif") and gif.read_bytes()[:4] == b"GIF8"
            with page.expect_download() as info:
                page.click("#download-json")
            saved = tmp_path / "page.json"
            info.value.save_as(saved)
            assert json.loads(saved.read_text())["title"] == title

            # The player's dropdown regenerates the story with another provider, through the API.
            page.select_option("select.stickanim-provider", "loopback")
            sync_api.expect(root).to_have_attribute("data-title", WAVE_SCRIPT["title"], timeout=60_000)
            sync_api.expect(root).to_have_attribute("data-status", "idle")

            page.fill("#story", "   ")
            page.click("#generate")
            sync_api.expect(page.locator(".stickanim-error-text")).to_have_text("write a story first")
            assert page.evaluate("window.__xss") is None
        finally:
            browser.close()
    assert problems == []
