"""Reliability suite: hostile LLM output, concurrency, soak, secrets, property-based parsing.

Everything runs offline: LLM answers come from tests/llmserver.py on 127.0.0.1 through
LiteLLM's real HTTP client. Time and memory bounds here are hang and blow-up guards, set
generously (several times what this machine needs), not benchmarks: bench/ measures speed.

Documented bounds (and what this 2-CPU machine measured):
- a hostile answer ends in a StickanimError within HOSTILE_S seconds (measured: under 2 s),
  with a traced Python peak under HOSTILE_PEAK_MB (measured: 41 MB for the 5 MB answer, which
  planners/llm/transport.py cuts off at MAX_ANSWER_CHARS) and a resident-set growth under
  HOSTILE_RSS_MB (measured: 100 MB, the in-process loopback server's copies included);
- SOAK_N generations in one process (local and loopback-LLM mixed, after a warm-up) grow the
  Python heap by fewer than SOAK_BLOCKS allocated blocks (about 30 per generation; measured
  here: a few hundred in all) and the RSS by less than SOAK_RSS_MB (measured: under 6 MB);
- the largest Script the caps allow (8 characters, 12 scenes of 64 actions, 180 s) is refused
  at 60 fps by the pose cap (MAX_POSES) and compiles at 24 fps within HOSTILE_S into at most
  MAX_POSES poses (under 5 MB of widget frame data), with an RSS growth under CAPS_RSS_MB.
"""

from __future__ import annotations

import base64
import gc
import html.parser
import json
import logging
import os
import random
import re
import sys
import threading
import time
import traceback
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FAKE_KEY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from llmserver import VALID_SCRIPT_TEXT, WAVE_SCRIPT, LLMServer, Reply, refused_port

from stickanim_jupyter import quality
from stickanim_jupyter.config import Config, ProviderConfig, load_config
from stickanim_jupyter.errors import GenerationError, ProviderError, StickanimError, ValidationError
from stickanim_jupyter.planners import generate_script, llm
from stickanim_jupyter.schema import (
    ACTIONS,
    MAX_CHARACTERS,
    MAX_FPS,
    MAX_FRAMES,
    MAX_POSES,
    POSE_CHANNELS,
    Animation,
    Meta,
    Script,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:litellm.*")

STORY = "一个人挥手"
HOSTILE_S = 30.0
HOSTILE_PEAK_MB = 200.0
HOSTILE_RSS_MB = 400.0
CAPS_RSS_MB = 1024.0
SOAK_N = 300
SOAK_BLOCKS = 10_000
SOAK_RSS_MB = 64.0
HTML_PAYLOAD = '<img src=x onerror="window.__xss=1">'
SCRIPT_PAYLOAD = "</script><script>window.__xss=2</script><!--"


# --- helpers ----------------------------------------------------------------------------------
def rss_bytes() -> int:
    """Resident set size of this process (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


class Watch:
    """Wall time, tracemalloc peak (when `trace`) and sampled RSS peak growth of a block."""

    def __init__(self, trace: bool = True) -> None:
        self.trace = trace
        self.peak_mb = 0.0

    def __enter__(self) -> Watch:
        gc.collect()
        self._was_tracing = tracemalloc.is_tracing()
        if self.trace and not self._was_tracing:
            tracemalloc.start()
        if self.trace:
            tracemalloc.reset_peak()
        self.rss0 = self._rss_max = rss_bytes()
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, name="rss-sampler", daemon=True)
        self._sampler.start()
        self.t0 = time.perf_counter()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self._rss_max = max(self._rss_max, rss_bytes())

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.t0
        self._stop.set()
        self._sampler.join()
        if self.trace:
            self.peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
            if not self._was_tracing:
                tracemalloc.stop()
        self.rss_mb = (max(self._rss_max, rss_bytes()) - self.rss0) / 2**20


def no_sleep(_: float) -> None:
    pass


def script_text(**changes: Any) -> str:
    """WAVE_SCRIPT with its first action's fields changed (keys with dots reach into params)."""
    data = json.loads(VALID_SCRIPT_TEXT)
    action = data["scenes"][0]["actions"][0]
    for key, value in changes.items():
        if key.startswith("params."):
            action["params"][key.split(".", 1)[1]] = value
        else:
            action[key] = value
    return json.dumps(data, ensure_ascii=False)


def with_script(mutate: Callable[[dict], Any]) -> str:
    data = json.loads(VALID_SCRIPT_TEXT)
    mutate(data)
    return json.dumps(data, ensure_ascii=False)


def pose_script(angles: dict[str, Any], keyframes: int = 1) -> str:
    action = {
        "character": "char_1",
        "action": "pose",
        "duration": 1000,
        "params": {
            "keyframes": [
                {"t": min(1.0, i / max(1, keyframes - 1)), "angles": angles} for i in range(keyframes)
            ]
        },
    }
    return with_script(lambda d: d["scenes"][0].__setitem__("actions", [action]))


# --- hostile LLM output -----------------------------------------------------------------------
def _five_mb() -> str:
    data = json.loads(VALID_SCRIPT_TEXT)
    data["description"] = "x" * (5 * 2**20)
    return json.dumps(data)


def _many_actions(n: int) -> str:
    one = WAVE_SCRIPT["scenes"][0]["actions"][0]
    return with_script(
        lambda d: d["scenes"][0].__setitem__("actions", [dict(one, start=i % 1000) for i in range(n)])
    )


def _long_scenes(n: int, ms: float) -> str:
    one = WAVE_SCRIPT["scenes"][0]["actions"][0]
    scenes = [{"id": f"scene_{i + 1}", "duration": ms, "actions": [one]} for i in range(n)]
    return with_script(lambda d: d.__setitem__("scenes", scenes))


# (id, answer text, words the error must contain (any of))
HOSTILE: list[tuple[str, Callable[[], str], tuple[str, ...]]] = [
    ("5MB-response", _five_mb, ("characters",)),
    ("nested-arrays-100k", lambda: "[" * 100_000 + "]" * 100_000, ("not valid JSON", "nested")),
    ("nested-objects-50k", lambda: '{"a":' * 50_000 + "1" + "}" * 50_000, ("not valid JSON", "nested")),
    (
        "nested-in-params-500",
        lambda: script_text(params={"hand": json.loads("[" * 500 + "]" * 500)}),
        ("params.hand",),
    ),
    ("100k-actions", lambda: _many_actions(100_000), ("characters", "at most 64")),
    ("1000-actions", lambda: _many_actions(1000), ("at most 64",)),
    ("100k-times", lambda: script_text(**{"params.times": 100_000}), ("times",)),
    ("100k-scenes-of-frames", lambda: _long_scenes(100, 60_000), ("scenes",)),
    ("frames-over-duration-cap", lambda: _long_scenes(1, 100_000 * 1000 / 24), ("duration",)),
    ("100k-keyframes", lambda: pose_script({"torso": 10}, keyframes=100_000), ("characters", "keyframes")),
    ("huge-duration", lambda: script_text(duration=1e308), ("duration",)),
    ("huge-start", lambda: script_text(start=1e300), ("start",)),
    ("huge-x", lambda: with_script(lambda d: d["characters"][0].__setitem__("x", 1e20)), ("characters.0.x",)),
    ("huge-speed", lambda: script_text(**{"params.speed": 1e10}), ("speed",)),
    (
        "5000-digit-int",
        lambda: script_text(duration=0).replace('"duration": 0', '"duration": ' + "9" * 5000),
        ("not valid JSON", "digits"),
    ),
    ("huge-angle", lambda: pose_script({"torso": 1e9}), ("angles",)),
    ("negative-start", lambda: script_text(start=-5), ("start",)),
    ("negative-duration", lambda: script_text(duration=-1000), ("duration",)),
    ("negative-times", lambda: script_text(**{"params.times": -3}), ("times",)),
    (
        "negative-x",
        lambda: with_script(lambda d: d["characters"][0].__setitem__("x", -0.5)),
        ("characters.0.x",),
    ),
    ("NaN-literal", lambda: script_text(duration=0).replace('"duration": 0', '"duration": NaN'), ("NaN",)),
    (
        "Infinity-literal",
        lambda: script_text(start=0).replace('"start": 0', '"start": -Infinity'),
        ("Infinity",),
    ),
    (
        "1e999-overflows-to-inf",
        lambda: script_text(duration=0).replace('"duration": 0', '"duration": 1e999'),
        ("finite",),
    ),
    ("NaN-angle", lambda: pose_script({"torso": 0}).replace('"torso": 0', '"torso": NaN'), ("NaN",)),
    ("unknown-joint", lambda: pose_script({"tail": 30}), ("tail", "angles")),
    ("joint-not-a-channel", lambda: pose_script({"head": 30}), ("angles",)),
    ("proto-joint", lambda: pose_script({"__proto__": 1}), ("angles",)),
    (
        "css-injection-color",
        lambda: with_script(
            lambda d: d["characters"][0].__setitem__("color", "#2196F3;background:url(javascript:alert(1))")
        ),
        ("color",),
    ),
    (
        "css-expression-color",
        lambda: with_script(lambda d: d["characters"][0].__setitem__("color", "red;}body{display:none")),
        ("color",),
    ),
    (
        "color-trailing-newline",
        lambda: with_script(lambda d: d["characters"][0].__setitem__("color", "#2196F3\n")),
        ("color",),
    ),
    (
        "html-in-id",
        lambda: with_script(lambda d: d["characters"][0].__setitem__("id", HTML_PAYLOAD)),
        ("id",),
    ),
    (
        "too-many-characters",
        lambda: with_script(
            lambda d: d.__setitem__(
                "characters", [{"id": f"c{i}", "name": f"n{i}"} for i in range(MAX_CHARACTERS * 100)]
            )
        ),
        ("characters",),
    ),
]


@pytest.fixture
def loop_cfg(loop_config: Callable[..., Path]) -> Config:
    llm.litellm_module()  # the one-off import is not under test
    return load_config(loop_config(retries=0, timeout=20))


def _hostile_run(cfg: Config, server: LLMServer, text: str) -> tuple[BaseException | None, Watch]:
    server.default = Reply(content=text)
    err: BaseException | None = None
    with Watch() as watch:
        try:
            generate_script(STORY, cfg, provider="loopback", cache=False, sleep=no_sleep)
        except StickanimError as e:  # anything else fails the test with its traceback
            err = e
    return err, watch


@pytest.mark.parametrize(("make", "words"), [(m, w) for _, m, w in HOSTILE], ids=[i for i, _, _ in HOSTILE])
def test_hostile_answer_is_rejected_clearly_in_bounded_time_and_memory(
    loop_cfg: Config, llm_server: LLMServer, make: Callable[[], str], words: tuple[str, ...]
) -> None:
    text = make()
    err, watch = _hostile_run(loop_cfg, llm_server, text)
    assert isinstance(err, GenerationError), f"accepted a hostile answer ({len(text):,} chars)"
    msg = str(err)
    assert "\n" not in msg and len(msg) <= 1000, "a clear one-line error"
    assert any(w in msg for w in words), msg
    assert llm_server.hit_count <= 2, "at most one re-ask"
    assert watch.seconds < HOSTILE_S, f"took {watch.seconds:.1f} s"
    assert watch.peak_mb < HOSTILE_PEAK_MB, f"traced peak {watch.peak_mb:.0f} MB"
    assert watch.rss_mb < HOSTILE_RSS_MB, f"RSS grew {watch.rss_mb:.0f} MB"
    # ...and the process is alive and the planner still works.
    llm_server.default = Reply()
    script, _ = generate_script(STORY, loop_cfg, provider="loopback", cache=False)
    assert script == Script.parse(VALID_SCRIPT_TEXT)


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "no-stream"])
def test_5mb_answer_is_cut_off_early(
    loop_config: Callable[..., Path], llm_server: LLMServer, stream: bool
) -> None:
    llm.litellm_module()
    cfg = load_config(loop_config(retries=0, timeout=20, stream=stream))
    llm_server.default = Reply(content=_five_mb(), chunks=400)  # a realistic stream: many small deltas
    err, watch = _hostile_run(cfg, llm_server, _five_mb())
    assert isinstance(err, GenerationError) and f"{llm.MAX_ANSWER_CHARS:,} characters" in str(err)
    assert llm_server.hit_count == 1, "no re-ask for an answer that size"
    assert err.raw is not None and len(err.raw) <= llm.MAX_RAW_ECHO
    assert watch.seconds < HOSTILE_S and watch.peak_mb < HOSTILE_PEAK_MB


def test_deeply_nested_json_is_a_validation_error_not_a_recursion_error() -> None:
    # planners/llm/answer.py parse_answer -> _unknown_actions re-parsed the body and let RecursionError out.
    target = llm.Target(name="t", pc=ProviderConfig(name="t", model="openai/x"), model="openai/x")
    for body in ("[" * 100_000 + "]" * 100_000, '{"scenes":' * 50_000 + "1" + "}" * 50_000):
        with pytest.raises(ValidationError, match="not valid JSON"):
            llm.parse_answer(llm.Answer(body, "stop"), target)


@pytest.mark.parametrize(
    "key", ["\n", "a\nb\r\nc", "x" * 100_000, "\u2028<b>\t</b>"], ids=["nl", "crlf", "100k", "ls"]
)
def test_validation_errors_are_one_bounded_line_whatever_the_keys(key: str) -> None:
    # schema.format_errors put keys of the input (an LLM's, a user's file) into the message verbatim.
    with pytest.raises(ValidationError) as info:
        Script.parse(json.dumps({key: None, "characters": [{"id": "c", "name": "n", key: 1}]}))
    assert len(str(info.value).splitlines()) == 1 and len(str(info.value)) < 2000, str(info.value)[:300]


def test_a_script_at_every_cap_compiles_in_bounded_time_and_frames() -> None:
    """The largest Script the caps allow: refused at the highest fps (pose cap), compiled at 24 fps
    with capped frames, in bounded time, sane."""
    from stickanim_jupyter import compile_script
    from stickanim_jupyter.widget import animation_state

    def params(action: str, i: int) -> dict[str, Any]:
        if action in ("push", "pull", "hug", "shake_hands", "high_five"):
            return {"target": f"c{(i + 1) % MAX_CHARACTERS}"}
        if action == "pose":
            return {"keyframes": [{"t": 0, "angles": {"torso": 30}}, {"t": 1, "angles": {"torso": -10}}]}
        if action in ("say", "think"):
            return {"text": "x" * 80}
        return {"times": 20, "speed": 4.0} if i % 2 else {"direction": "toward", "distance": 1.0}

    chars = [{"id": f"c{i}", "name": f"N{i}", "x": i / (MAX_CHARACTERS - 1)} for i in range(MAX_CHARACTERS)]
    scenes = []
    for s in range(12):  # 12 scenes x 64 actions x 15 s: every count and duration cap at once
        names = [ACTIONS[(s * 64 + i) % len(ACTIONS)] for i in range(64)]
        actions = [
            {"character": f"c{i % MAX_CHARACTERS}", "action": a, "start": (i // MAX_CHARACTERS) * 1500,
             "duration": 1500, "params": params(a, i)}
            for i, a in enumerate(names)
        ]  # fmt: skip
        scenes.append({"id": f"s{s}", "duration": 15_000, "actions": actions})
    script = Script.parse({"title": "caps", "characters": chars, "scenes": scenes})
    assert script.duration_ms == 180_000
    with pytest.raises(ValidationError, match="poses"):  # 8 figures x 3 min at 60 fps: over the cap
        compile_script(script, fps=MAX_FPS)
    with Watch(trace=False) as watch:  # tracing would make this 10x slower
        anim = compile_script(script, fps=24)
        state = animation_state(anim)
    frames = sum(len(s.frames) for s in anim.scenes)
    assert frames <= MAX_FRAMES and watch.seconds < HOSTILE_S, (frames, watch.seconds)
    assert watch.rss_mb < CAPS_RSS_MB, f"RSS grew {watch.rss_mb:.0f} MB"
    # The most a browser can be sent: MAX_POSES poses of 15 float32 points, under 5 MB.
    assert len(state["frames"]) <= MAX_POSES * 15 * 2 * 4 < 5 * 2**20
    assert quality.non_finite(anim) == 0 and not quality.off_stage(anim, limit=3)
    with pytest.raises(ValidationError, match="fps"):
        compile_script(script, fps=MAX_FPS + 1)


# --- HTML stays text --------------------------------------------------------------------------
class _Tags(html.parser.HTMLParser):
    """Every start tag and attribute name of a page (what a browser would build)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]


def tags_of(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


def _markup_script() -> str:
    data = {
        "title": HTML_PAYLOAD,
        "description": SCRIPT_PAYLOAD,
        "characters": [
            {"id": "char_1", "name": HTML_PAYLOAD, "color": "#E53935", "x": 0.3},
            {"id": "char_2", "name": SCRIPT_PAYLOAD, "color": "#1E88E5", "x": 0.7},
        ],
        "scenes": [
            {
                "id": "scene_1",
                "description": f"{HTML_PAYLOAD}{SCRIPT_PAYLOAD}",
                "actions": [
                    {"character": "char_1", "action": "wave", "duration": 1000},
                    {
                        "character": "char_2",
                        "action": "high_five",
                        "duration": 1200,
                        "params": {"target": "char_1"},
                    },
                ],
            }
        ],
    }
    return json.dumps(data, ensure_ascii=False)


def test_html_in_every_string_field_comes_through_as_plain_text(
    loop_config: Callable[..., Path], llm_server: LLMServer, tmp_path: Path
) -> None:
    from stickanim_jupyter import generate
    from stickanim_jupyter.widget import AnimationWidget, animation_state, standalone_html

    llm_server.default = Reply(content=_markup_script())
    anim = generate(STORY, provider="loopback", config=loop_config(), cache=False)
    # The data keeps the markup verbatim: it is text, and text is what the views must show.
    state = animation_state(anim)["animation"]
    assert state["title"] == HTML_PAYLOAD and state["description"] == SCRIPT_PAYLOAD
    assert [c["name"] for c in state["characters"]] == [HTML_PAYLOAD, SCRIPT_PAYLOAD]
    assert state["scenes"][0]["description"] == HTML_PAYLOAD + SCRIPT_PAYLOAD
    assert state["script"]["title"] == HTML_PAYLOAD
    widget = AnimationWidget.from_animation(anim, story=HTML_PAYLOAD, providers=[])
    assert widget.get_state()["animation"]["title"] == HTML_PAYLOAD
    data, _ = widget._repr_mimebundle_()
    # HTML surfaces: nothing of the payload becomes an element or an attribute.
    pages = {"text/html fallback": data["text/html"], "standalone_html": standalone_html(anim)}
    for ext in (".html", ".svg"):
        path = tmp_path / f"out{ext}"
        anim.save(path)
        pages[f"export {ext}"] = path.read_text(encoding="utf-8")
    for src in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', data["text/html"]):
        pages["fallback's SVG"] = base64.b64decode(src).decode("utf-8")
    assert "fallback's SVG" in pages
    for where, page in pages.items():
        assert HTML_PAYLOAD not in page and "<script>window" not in page, where
        parsed = tags_of(page)
        assert not [a for a in parsed.attrs if a.startswith("on")], f"{where}: event-handler attribute"
        assert parsed.tags.count("script") <= 2, f"{where}: {parsed.tags.count('script')} script elements"
    standalone = tags_of(pages["standalone_html"])
    assert standalone.tags.count("script") == 2  # the state (application/json) and the player module
    # JSON exports keep it as a JSON string, which parses back to the same text.
    path = tmp_path / "out.json"
    anim.save(path)
    assert json.loads(path.read_text(encoding="utf-8"))["title"] == HTML_PAYLOAD
    assert data["text/plain"].startswith("AnimationWidget: ")  # plain text may show it verbatim


# --- concurrency --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def base_animation() -> Animation:
    from stickanim_jupyter import generate

    return generate(STORY, provider="local", cache=False)


def _thread_baseline(expected: int, timeout: float = 5.0) -> int:
    deadline = time.monotonic() + timeout
    while threading.active_count() > expected and time.monotonic() < deadline:
        time.sleep(0.01)
    return threading.active_count()


@pytest.mark.parametrize("last_fails", [False, True], ids=["last-succeeds", "last-fails"])
def test_twenty_rapid_provider_changes_last_wins(
    base_animation: Animation, monkeypatch: pytest.MonkeyPatch, last_fails: bool
) -> None:
    from stickanim_jupyter.widget import AnimationWidget

    names = [f"p{i:02d}" for i in range(20)]
    rng = random.Random(6)
    escaped: list[Any] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: escaped.append(args))
    applied: list[str] = []

    def generate(story: str, provider: str | None = None, progress: Any = None, **_: Any) -> Animation:
        assert threading.current_thread() is not threading.main_thread()
        time.sleep(rng.uniform(0, 0.04))
        if progress:
            progress({"event": "request", "provider": provider, "model": "m"})
        time.sleep(rng.uniform(0, 0.04))
        index = names.index(provider)
        if last_fails and provider == names[-1]:
            raise ProviderError(f"{provider}: rate limited", provider=provider)
        if index % 5 == 3:  # some earlier ones fail too, with our error or a foreign one
            raise ProviderError(f"{provider}: down", provider=provider) if index % 2 else RuntimeError("boom")
        return base_animation.model_copy(update={"meta": Meta(provider=provider)})

    providers = [{"name": n, "model": None, "available": True, "reason": ""} for n in names]
    widget = AnimationWidget.from_animation(
        base_animation, story=STORY, providers=providers, generate=generate
    )
    widget.observe(lambda change: applied.append(change["new"]["meta"]["provider"]), names="animation")
    baseline = threading.active_count()
    threads = []
    for i, name in enumerate(names):  # as the dropdown does: a custom message, or a direct call
        if i % 2:
            widget._on_custom_msg(widget, {"type": "regenerate", "provider": name}, [])
            threads.append(widget._thread)
        else:
            threads.append(widget.regenerate(name))
        time.sleep(rng.uniform(0, 0.01))
    for t in threads:
        t.join(10)
        assert not t.is_alive()
    assert widget.provider == names[-1]
    if last_fails:
        assert (widget.status, widget.error) == ("error", f"{names[-1]}: rate limited")
        assert widget.animation_model is not None  # an older animation stays shown
    else:
        assert (widget.status, widget.error) == ("idle", "")
        assert widget.animation["meta"]["provider"] == names[-1]
    assert widget.progress == ""
    order = [names.index(p) for p in applied]
    assert order == sorted(order), f"a stale result replaced a newer one: {applied}"
    assert _thread_baseline(baseline) <= baseline, "regenerate threads leaked"
    assert not escaped, f"exceptions escaped threads: {[a.exc_value for a in escaped]}"


def _non_litellm_threads() -> set[str]:
    return {f"{t.name}:{t.ident}" for t in threading.enumerate() if not t.name.startswith("litellm")}


def test_generate_many_keeps_order_and_returns_errors_in_place(
    loop_config: Callable[..., Path], llm_server: LLMServer
) -> None:
    from stickanim_jupyter import generate, generate_many
    from stickanim_jupyter.errors import StoryError

    stories = [f"{s} {i}" for i, s in enumerate(["一个人挥手", "小明跳了三下", "两个小朋友拍手"] * 5)]
    stories[3], stories[10] = "   ", "x" * 5000  # a blank story and an over-long one
    before = _non_litellm_threads()
    local = generate_many(stories, concurrency=6, provider="local", cache=False)
    assert [type(r) for r in local] == [
        StoryError if i in (3, 10) else Animation for i in range(len(stories))
    ]
    for story, result in zip(stories, local, strict=True):
        if isinstance(result, Animation):  # each result is its own story's, in its place
            assert result.script == generate(story, provider="local", cache=False).script
    llm_server.default = Reply(delay=0.05)
    remote = generate_many(stories, concurrency=8, provider="loopback", config=loop_config(), cache=False)
    assert [isinstance(r, StoryError) for r in remote] == [i in (3, 10) for i in range(len(stories))]
    assert all(r.meta.provider == "loopback" for r in remote if isinstance(r, Animation))
    assert llm_server.hit_count == len(stories) - 2
    assert generate_many([], concurrency=4) == []
    with pytest.raises(ValueError, match="concurrency"):
        generate_many(stories, concurrency=0)
    # LiteLLM keeps its own pool of "litellm-logging" threads (up to 100, idle between calls):
    # not ours to join. Every other thread is gone once generate_many returns.
    assert _non_litellm_threads() <= before, "the pool's threads leaked"


# --- soak ---------------------------------------------------------------------------------------
def test_soak_300_generations_memory_stays_flat(
    loop_config: Callable[..., Path], llm_server: LLMServer
) -> None:
    """Python heap blocks (sys.getallocatedblocks, after gc) and RSS, after a warm-up and after
    SOAK_N more generations. Cheap enough to run untraced; a leak of one small object per
    generation already shows as SOAK_N blocks (the bound allows ~30 per generation)."""
    from stickanim_jupyter import generate
    from stickanim_jupyter.widget import animation_state

    cfg = load_config(loop_config(retries=0, timeout=20))
    llm.litellm_module()
    stories = [
        s["story"]
        for s in yaml.safe_load((Path(__file__).parent / "stories.yml").read_text("utf-8"))
        if s["story"].strip()
    ]
    asked = [0]

    def one(i: int) -> None:
        story = f"{stories[i % len(stories)]} {i}"  # distinct: no cache of any kind may help
        if i % 2:
            anim = generate(story, provider="loopback", config=cfg, cache=False)
            asked[0] += llm_server.hit_count
            llm_server.hits.clear()  # the fixture records requests; that is not our memory
        else:
            anim = generate(story, provider="local", cache=False)
        assert animation_state(anim)["frames"]

    for i in range(30):  # warm-up: imports, first-use caches, LiteLLM's client pool
        one(i)
    gc.collect()
    rss0, blocks0 = rss_bytes(), sys.getallocatedblocks()
    t0 = time.perf_counter()
    for i in range(30, 30 + SOAK_N):
        one(i)
    seconds = time.perf_counter() - t0
    gc.collect()
    blocks = sys.getallocatedblocks() - blocks0
    rss_mb = (rss_bytes() - rss0) / 2**20
    assert asked[0] == 15 + SOAK_N // 2, "every LLM generation asked the server (cache off)"
    assert blocks < SOAK_BLOCKS, f"the Python heap grew by {blocks:,} blocks over {SOAK_N} generations"
    assert rss_mb < SOAK_RSS_MB, f"RSS grew {rss_mb:.0f} MB over {SOAK_N} generations"
    assert seconds < 120


# --- secrets ------------------------------------------------------------------------------------
FAULTS: list[tuple[str, list[Reply], Reply | None, dict[str, Any]]] = [
    # (id, queued replies, default reply, provider settings)
    ("ok-stream", [], None, {}),
    ("ok-no-stream", [], None, {"stream": False}),
    ("fenced", [Reply(content=f"```json\n{VALID_SCRIPT_TEXT}\n```")], None, {}),
    ("401-echoes-the-key", [], Reply(status=401), {}),
    ("403", [], Reply(status=403), {}),
    ("404", [], Reply(status=404), {}),
    ("400", [], Reply(status=400), {}),
    ("429-then-ok", [Reply(status=429, headers={"Retry-After": "0"})], None, {}),
    ("500-persistent", [], Reply(status=500), {}),
    (
        "context-window",
        [],
        Reply(
            status=400,
            body={
                "error": {
                    "message": f"maximum context length exceeded; key {FAKE_KEY}",
                    "type": "invalid_request_error",
                    "code": "context_length_exceeded",
                }
            },
        ),
        {},
    ),
    ("dropped-then-ok", [Reply(drop=True)], None, {}),
    ("malformed-body", [], Reply(body=f"<html>bad gateway {FAKE_KEY}</html>"), {"stream": False}),
    ("invalid-twice", [], Reply(content=f'{{"title": "{FAKE_KEY}", "characters": ['), {}),
    ("truncated-twice", [], Reply(content=VALID_SCRIPT_TEXT[:100], finish_reason="length"), {}),
    ("timeout", [], Reply(delay=2), {"timeout": 0.3}),
    ("refused", [], None, {"api_base": "refused"}),
]


@pytest.fixture
def key_surfaces(caplog: pytest.LogCaptureFixture) -> Iterator[logging.Handler]:
    """Every log record of every library at DEBUG, LiteLLM's console handler muted."""
    root, level = logging.getLogger(), logging.getLogger().level
    root.setLevel(logging.DEBUG)
    lite = logging.getLogger("LiteLLM")
    muted = [(h, h.level) for h in lite.handlers]
    for h, _ in muted:
        h.setLevel(logging.CRITICAL + 1)
    lite.addHandler(caplog.handler)
    yield caplog.handler
    lite.removeHandler(caplog.handler)
    root.setLevel(level)
    for h, lvl in muted:
        h.setLevel(lvl)


def _leaks(surfaces: dict[str, str]) -> list[str]:
    return [name for name, text in surfaces.items() if FAKE_KEY in text or FAKE_KEY[3:] in text]


def test_fault_matrix_never_leaks_the_key(
    tmp_path: Path,
    loop_config: Callable[..., Path],
    llm_server: LLMServer,
    key_surfaces: logging.Handler,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture,
    _isolated_cache: Path,
) -> None:
    from stickanim_jupyter import generate
    from stickanim_jupyter.widget import AnimationWidget

    llm.litellm_module()
    surfaces: dict[str, str] = {}
    outcomes: dict[str, str] = {}
    for name, queued, default, settings_ in FAULTS:
        params = {"retries": 1, "backoff": 0.01, "timeout": 5, **settings_}
        if params.get("api_base") == "refused":
            params["api_base"] = f"http://127.0.0.1:{refused_port()}/v1"
        config = loop_config(**params)
        llm_server.default = default or Reply()
        for r in queued:
            llm_server.queue(r)
        try:
            anim = generate(f"{STORY} {name}", provider="loopback", config=config, cache=True)
        except StickanimError as err:
            outcomes[name] = type(err).__name__
            surfaces[f"{name}: error"] = f"{err!r} {err} {err.to_dict()} {getattr(err, 'raw', '')}"
            surfaces[f"{name}: traceback"] = "".join(traceback.format_exception(err))
            # The widget's error bar and state, after a regeneration through the same path.
            w = AnimationWidget(
                story=f"{STORY} {name}", providers=[], generate_options={"config": config, "cache": False}
            )
            w.regenerate("loopback")
            assert w.wait(30)
            surfaces[f"{name}: widget error"] = json.dumps(w.get_state(), default=str)
            assert w.status == "error" and w.error
        else:
            outcomes[name] = "ok"
            widget = AnimationWidget.from_animation(
                anim, story=STORY, providers=None, generate_options={"config": config}
            )
            state = widget.get_state()
            surfaces[f"{name}: widget state"] = json.dumps(state, default=str, ensure_ascii=False)
            surfaces[f"{name}: widget repr"] = repr(widget) + json.dumps(widget._repr_mimebundle_()[0])
            for ext in (".json", ".svg", ".html"):
                path = tmp_path / f"{name}{ext}"
                anim.save(path)
                surfaces[f"{name}: export {ext}"] = path.read_text(encoding="utf-8")
        while not llm_server.replies.empty():
            llm_server.replies.get_nowait()
    expected_ok = {"ok-stream", "ok-no-stream", "fenced", "429-then-ok", "dropped-then-ok"}
    assert {n for n, o in outcomes.items() if o == "ok"} == expected_ok, outcomes
    out, err = capfd.readouterr()
    surfaces["stdout"], surfaces["stderr"] = out, err
    surfaces["logs"] = "\n".join(r.getMessage() for r in caplog.records)
    for path in _isolated_cache.rglob("*"):
        if path.is_file():
            surfaces[f"cache {path.name}"] = path.read_text(encoding="utf-8", errors="replace")
    assert len([k for k in surfaces if k.startswith("cache")]) >= 4, "the successes were cached"
    assert not _leaks(surfaces), f"the fake key leaked into: {_leaks(surfaces)}"


NOTEBOOK_CELLS = [
    "import logging; logging.basicConfig(level=logging.DEBUG)  # every library's log into the outputs",
    "%load_ext stickanim_jupyter",
    "%animate config",
    "%animate providers",
    "%animate health loopback",
    "%%animate -p loopback --no-cache -o anim\n一个人挥手",
    "%%animate -p loopback --save {out}/wave.html\ntwo people walk toward each other and shake hands",
    "%%animate -p loopback --json\n两个小朋友拍手",
    "%%animate -p denied\n一个人挥手",
    "%%animate -p broken\n一个人挥手",
    "anim.save('{out}/wave.svg'); anim.save('{out}/wave.json'); print(anim.meta)",
]


@pytest.mark.timeout(240)
def test_notebook_execution_never_leaks_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture
) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    out = tmp_path / "out"
    out.mkdir()
    cache = tmp_path / "cache"
    with LLMServer() as ok, LLMServer(default=Reply(status=401)) as denied:
        fast = {"timeout": 10, "retries": 0, "deadline": 20}
        section = {
            "provider": "local",
            "fallbacks": [],
            "loopback": {"model": "openai/test-model", "api_base": ok.url, **fast},
            "denied": {"model": "openai/test-model", "api_base": denied.url, **fast},
            "broken": {
                "model": "openai/test-model",
                "api_base": f"http://127.0.0.1:{refused_port()}/v1",
                **fast,
            },
        }
        (tmp_path / "config.yml").write_text(yaml.safe_dump({"llm": section}))
        (tmp_path / "llm_config.yml").write_text(
            yaml.safe_dump({name: {"api_key": FAKE_KEY} for name in ("loopback", "denied", "broken")})
        )
        monkeypatch.setenv("STICKANIM_CONFIG", str(tmp_path / "config.yml"))
        monkeypatch.setenv("STICKANIM_CACHE_DIR", str(cache))
        monkeypatch.delenv("STICKANIM_LLM_CONFIG", raising=False)
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(c.replace("{out}", str(out))) for c in NOTEBOOK_CELLS]
        client = nbclient.NotebookClient(
            nb,
            timeout=120,
            kernel_name="python3",
            allow_errors=False,
            store_widget_state=True,
            resources={"metadata": {"path": str(tmp_path)}},
        )
        client.execute()
        assert ok.hit_count >= 3 and denied.hit_count >= 1
        # The key went where it belongs: the provider's Authorization header.
        assert any(
            {k.lower(): v for k, v in h.headers.items()}.get("authorization") == f"Bearer {FAKE_KEY}"
            for h in denied.hits
        )
    text = nbformat.writes(nb)
    errors = "".join(
        o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr"
    )
    assert "authentication failed" in errors and "connection failed" in errors, errors[-2000:]
    assert "application/vnd.jupyter.widget-view+json" in text
    assert "widgets" in nb.metadata and "application/vnd.jupyter.widget-state+json" in nb.metadata.widgets
    surfaces = {"notebook (outputs + widget state)": text}
    for path in [*out.iterdir(), *cache.rglob("*.json")]:
        surfaces[str(path.relative_to(tmp_path))] = path.read_text(encoding="utf-8", errors="replace")
    assert {"out/wave.html", "out/wave.svg", "out/wave.json"} <= set(surfaces)
    assert any(k.startswith("cache") for k in surfaces), "the cached Script is scanned too"
    surfaces["kernel stdout/stderr"] = "".join(capfd.readouterr())
    assert not _leaks(surfaces), f"the fake key leaked into: {_leaks(surfaces)}"


# --- property-based -----------------------------------------------------------------------------
# STICKANIM_FUZZ_SCALE=20 python -m pytest tests/test_reliability.py -k "script or raw" digs deeper.
FUZZ_SCALE = float(os.environ.get("STICKANIM_FUZZ_SCALE", "1"))


def examples(n: int) -> int:
    return max(1, int(n * FUZZ_SCALE))


FUZZ_TARGET = llm.Target(name="fuzz", pc=ProviderConfig(name="fuzz", model="openai/x"), model="openai/x")
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from([*ACTIONS, "fly", *POSE_CHANNELS, "tail", "char_1", "char_2", "#2196F3", HTML_PAYLOAD]),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
_BASES = [
    WAVE_SCRIPT,
    {
        "title": "Handshake",
        "characters": [
            {"id": "char_1", "name": "A", "x": 0.2, "facing": "right"},
            {"id": "char_2", "name": "B", "x": 0.8, "facing": "left"},
        ],
        "scenes": [
            {
                "id": "scene_1",
                "actions": [
                    {
                        "character": "char_1",
                        "action": "walk",
                        "duration": 2000,
                        "params": {"direction": "toward", "target": "char_2"},
                    },
                    {
                        "character": "char_1",
                        "action": "shake_hands",
                        "start": 2000,
                        "duration": 1500,
                        "params": {"target": "char_2"},
                    },
                    {
                        "character": "char_2",
                        "action": "pose",
                        "start": 0,
                        "duration": 1500,
                        "params": {
                            "keyframes": [
                                {"t": 0, "angles": {"shoulder_r": 170, "elbow_r": 10}},
                                {"t": 1, "angles": {"torso": 30}},
                            ]
                        },
                    },
                ],
            }
        ],
    },
]


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


BOUNDARY_NUMBERS = [
    0,
    1e-9,
    0.25,
    0.5,
    1,
    4,
    20,
    21,
    499,
    500,
    1000,
    29_999.9,
    30_000,
    60_000,
    360,
    -360,
    1e308,
]
ENUMS = {
    "action": list(ACTIONS),
    "hand": ["left", "right", "both", "none"],
    "direction": ["left", "right", "toward", "away", "forward", "back", "up"],
    "facing": ["front", "left", "right", "back"],
    "character": ["char_1", "char_2", "char_3"],
    "target": ["char_1", "char_2", "char_3"],
}


def _tweak(draw: st.DrawFn, key: Any, value: Any) -> Any:
    """A plausible replacement: same kind of value, often at or just past a boundary."""
    if key in ENUMS:
        return draw(st.sampled_from(ENUMS[key]))
    if isinstance(value, bool) or value is None:
        return draw(JSON_SCALARS)
    if isinstance(value, (int, float)):
        return draw(st.one_of(st.sampled_from(BOUNDARY_NUMBERS), st.floats(0, 5000), st.integers(0, 100)))
    if isinstance(value, str):
        return draw(st.one_of(st.text(max_size=30), st.sampled_from([HTML_PAYLOAD, SCRIPT_PAYLOAD, "", " "])))
    return draw(JSON_VALUES)


@st.composite
def mutated_scripts(draw: st.DrawFn) -> str:
    """A valid Script JSON, mutated at random places: mostly plausible tweaks (enums swapped,
    numbers at their bounds), also values replaced by any JSON, keys dropped or added, list
    items duplicated; then maybe cut, fenced, wrapped in prose or given a NaN."""
    data = json.loads(json.dumps(draw(st.sampled_from(_BASES))))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        op = draw(st.sampled_from(["tweak"] * 5 + ["replace", "delete", "duplicate", "add"]))
        key = path[-1]
        if op == "tweak":
            parent[key] = _tweak(draw, key, parent[key])
        elif op == "replace":
            parent[key] = draw(JSON_VALUES)
        elif op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(int(key), json.loads(json.dumps(parent[key])))
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(JSON_VALUES)
    text = json.dumps(data, ensure_ascii=draw(st.booleans()), allow_nan=True)
    shape = draw(st.sampled_from(["plain"] * 6 + ["cut", "fence", "prose", "nan"]))
    if shape == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif shape == "fence":
        text = f"```json\n{text}\n```"
    elif shape == "prose":
        text = f"{draw(st.text(max_size=30))} {text} {draw(st.text(max_size=30))}"
    elif shape == "nan":
        text = text.replace("1500", draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-0"])), 1)
    return text


RAW_TEXT = st.one_of(
    st.text(max_size=300),
    JSON_VALUES.map(lambda v: json.dumps(v, allow_nan=True)),
    st.builds(
        lambda a, b, c: a + b + c,
        st.sampled_from(["", "{", "[", "```json\n", '{"scenes":']),
        st.text(alphabet='{}[]":,0123456789.eE-+ntrufalsNIiy \n\\', max_size=200),
        st.sampled_from(["", "}", "]", "```"]),
    ),
    mutated_scripts(),
)


def check_compiled(script: Script, fps: int) -> None:
    """A Script that validated compiles (or refuses with our error) to sane frames."""
    from stickanim_jupyter import compile_script

    try:
        anim = compile_script(script, fps=fps)
    except StickanimError:
        return
    assert quality.non_finite(anim) == 0, "non-finite coordinates"
    assert not quality.off_stage(anim, limit=3), quality.off_stage(anim, limit=3)
    assert quality.bone_length_variation(anim) < 1e-6, quality.bone_length_variation(anim)
    assert not quality.contract_errors(anim), quality.contract_errors(anim)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=RAW_TEXT, finish=st.sampled_from(["stop", "stop", "length", None]))
def test_raw_llm_text_only_ever_raises_our_errors(text: str, finish: str | None) -> None:
    try:
        script = llm.parse_answer(llm.Answer(text, finish), FUZZ_TARGET)
    except StickanimError as err:
        assert "\n" not in str(err)
        return
    assert finish != "length"
    check_compiled(script, fps=12)


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated_scripts())
def test_mutated_scripts_validate_or_fail_cleanly_and_compile_sanely(text: str) -> None:
    try:
        script = llm.parse_answer(llm.Answer(text, "stop"), FUZZ_TARGET)
    except StickanimError:
        return
    check_compiled(script, fps=12)


CHAR_IDS = ["char_1", "char_2", "char_3"]
ANGLE = st.floats(-360, 360, allow_nan=False)


@st.composite
def scripts(draw: st.DrawFn) -> dict:
    """Valid-looking Scripts over the whole vocabulary and parameter space."""
    n = draw(st.integers(1, 3))
    chars = [
        {
            "id": CHAR_IDS[i],
            "name": draw(st.text(min_size=1, max_size=12)),
            "x": draw(st.floats(0, 1)),
            "facing": draw(st.sampled_from(["front", "left", "right"])),
        }
        for i in range(n)
    ]
    actions = []
    for _ in range(draw(st.integers(0, 6))):
        who = draw(st.sampled_from(CHAR_IDS[:n]))
        action = draw(st.sampled_from(ACTIONS))
        params: dict[str, Any] = {}
        if draw(st.booleans()):
            params["hand"] = draw(st.sampled_from(["left", "right", "both"]))
        if draw(st.booleans()):
            params["times"] = draw(st.integers(1, 20))
        if draw(st.booleans()):
            params["speed"] = draw(st.floats(0.25, 4.0))
        if draw(st.booleans()):
            params["direction"] = draw(
                st.sampled_from(["left", "right", "toward", "away", "forward", "back"])
            )
        if draw(st.booleans()):
            params["distance"] = draw(st.floats(0, 1))
        others = [c for c in CHAR_IDS[:n] if c != who]
        if others and (action in ("push", "pull", "hug", "shake_hands", "high_five") or draw(st.booleans())):
            params["target"] = draw(st.sampled_from(others))
        if action in ("push", "pull", "hug", "shake_hands", "high_five") and not others:
            action = "wave"
        if action == "pose":
            params["keyframes"] = [
                {
                    "t": draw(st.floats(0, 1)),
                    "angles": draw(
                        st.dictionaries(st.sampled_from(POSE_CHANNELS), ANGLE, min_size=1, max_size=4)
                    ),
                }
                for _ in range(draw(st.integers(1, 4)))
            ]
        actions.append(
            {
                "character": who,
                "action": action,
                "start": draw(st.floats(0, 4000)),
                "duration": draw(st.floats(50, 4000)),
                "params": params,
            }
        )
    return {
        "title": draw(st.text(max_size=20)),
        "characters": chars,
        "scenes": [{"id": "scene_1", "actions": actions}],
    }


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=scripts(), fps=st.sampled_from([1, 5, 12, 24]))
def test_any_valid_script_compiles_to_finite_on_stage_constant_bone_frames(data: dict, fps: int) -> None:
    try:
        script = Script.parse(json.dumps(data))
    except StickanimError:
        return
    check_compiled(script, fps=fps)
