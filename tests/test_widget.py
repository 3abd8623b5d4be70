"""AnimationWidget: state encoding, reprs, the regenerate flow, and the JS unit tests."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from stickanim_jupyter import export
from stickanim_jupyter.assets import widget_css_path, widget_js_path
from stickanim_jupyter.errors import GenerationError, ProviderError
from stickanim_jupyter.schema import JOINTS, Animation, Script
from stickanim_jupyter.widget import (
    MAX_EMBEDDED_SVG,
    STATIC_CLASS,
    AnimationWidget,
    StaticView,
    animation_from_state,
    animation_state,
    error_line,
    esm_path,
    fallback_html,
    poster_svg,
    progress_text,
    raw_answer,
    standalone_html,
)

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "<img src=x onerror=alert(1)>"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def make_animation(
    title: str = "Greeting",
    names: tuple[str, ...] = ("Alice", "Bob"),
    seconds: float = 4.0,
    fps: int = 24,
    scenes: int = 1,
    provider: str = "local",
) -> Animation:
    """A hand-built Animation: figures standing at evenly spaced x, drifting right by frame."""
    chars = [
        {"id": f"char_{i + 1}", "name": n, "color": "#2196F3", "x": (i + 1) / (len(names) + 1)}
        for i, n in enumerate(names)
    ]
    scene_ms = seconds * 1000 / scenes
    script = Script.parse(
        {
            "title": title,
            "characters": chars,
            "scenes": [
                {"id": f"scene_{k + 1}", "description": f"part {k + 1}", "duration": scene_ms}
                for k in range(scenes)
            ],
        }
    )
    n_frames = round(scene_ms / 1000 * fps) + 1
    anim_scenes = []
    for k in range(scenes):
        frames = []
        for f in range(n_frames):
            poses = {}
            for c in chars:
                x = 960 * c["x"] + f * 0.5 + k
                poses[c["id"]] = {j: (x + ji, 250.0 + 16 * ji) for ji, j in enumerate(JOINTS)}
            frames.append({"t": scene_ms * f / (n_frames - 1), "poses": poses})
        anim_scenes.append(
            {"id": f"scene_{k + 1}", "description": f"part {k + 1}", "duration": scene_ms, "frames": frames}
        )
    return Animation.parse(
        {
            "title": title,
            "fps": fps,
            "characters": [
                {"id": c["id"], "name": c["name"], "color": c["color"], "head_radius": 18} for c in chars
            ],
            "scenes": anim_scenes,
            "script": script.model_dump(mode="json"),
            "meta": {"provider": provider},
        }
    )


# --- state encoding ----------------------------------------------------------------------------
def test_state_replaces_frames_by_times_and_packs_float32_le() -> None:
    anim = make_animation(scenes=2, seconds=2)
    state = animation_state(anim)
    scene = state["animation"]["scenes"][1]
    assert "frames" not in scene
    assert scene["n_frames"] == len(anim.scenes[1].frames) == 25
    assert scene["times"] == [f.t for f in anim.scenes[1].frames]
    per_frame = 2 * len(JOINTS) * 2
    assert len(state["frames"]) == 4 * per_frame * 50
    # scene 1, frame 3, character 2 (Bob), joint "pelvis": x, y
    ji = JOINTS.index("pelvis")
    offset = 4 * (25 * per_frame + 3 * per_frame + 1 * len(JOINTS) * 2 + ji * 2)
    x, y = struct.unpack_from("<ff", state["frames"], offset)
    assert (x, y) == pytest.approx(anim.scenes[1].frames[3].poses["char_2"]["pelvis"])


def test_state_round_trips_at_float32_precision() -> None:
    anim = make_animation(scenes=3, seconds=3)
    state = animation_state(anim)
    back = animation_from_state(json.loads(json.dumps(state["animation"])), state["frames"])
    assert back.model_dump(exclude={"scenes"}) == anim.model_dump(exclude={"scenes"})
    for a, b in zip(anim.scenes, back.scenes, strict=True):
        assert (a.id, a.duration, len(a.frames)) == (b.id, b.duration, len(b.frames))
        for fa, fb in zip(a.frames, b.frames, strict=True):
            assert fa.t == fb.t
            for cid, pose in fa.poses.items():
                for joint, point in pose.items():
                    assert fb.poses[cid][joint] == pytest.approx(point, abs=1e-3)


def test_state_of_10s_two_characters_is_under_100kb() -> None:
    anim = make_animation(seconds=10, fps=24)
    state = animation_state(anim)
    size = len(json.dumps(state["animation"]).encode()) + len(state["frames"])
    assert len(state["frames"]) == 241 * 2 * 15 * 2 * 4
    assert size < 100_000, size


def test_state_of_real_compiled_story_is_under_100kb() -> None:
    compiler = pytest.importorskip("stickanim_jupyter.compiler")
    anim = make_animation(seconds=10)
    compiled = compiler.compile_script(anim.script, fps=24)
    state = animation_state(compiled)
    size = len(json.dumps(state["animation"]).encode()) + len(state["frames"])
    assert size < 100_000, size


def test_widget_traits_carry_the_state() -> None:
    anim = make_animation()
    w = AnimationWidget.from_animation(anim, story="two friends", providers=[])
    assert w.animation == animation_state(anim)["animation"]
    assert w.frames == animation_state(anim)["frames"]
    assert (w.story, w.provider, w.status, w.error) == ("two friends", "local", "idle", "")
    assert w.animation_model is anim
    # Set directly, the traits still decode into an Animation.
    w2 = AnimationWidget(animation=w.animation, frames=w.frames)
    assert w2.animation_model.title == "Greeting"
    assert w2.animation_model.scenes[0].frames[5].poses["char_1"]["head"] == pytest.approx(
        anim.scenes[0].frames[5].poses["char_1"]["head"]
    )
    assert AnimationWidget().animation_model is None


def test_esm_is_the_repo_or_packaged_module() -> None:
    path = widget_js_path()
    assert esm_path() == path  # the former name stays
    assert widget_css_path().parent == path.parent and widget_css_path().name == "widget.css"
    assert path.is_file()
    assert "export default widget" in path.read_text(encoding="utf-8")
    assert "innerHTML" not in "".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("//")
    )


# --- reprs -------------------------------------------------------------------------------------
def test_repr_is_deterministic_and_descriptive() -> None:
    a = AnimationWidget.from_animation(make_animation(), providers=[])
    b = AnimationWidget.from_animation(make_animation(), providers=[])
    text = "AnimationWidget: Greeting — 2 characters (Alice, Bob), 1 scene, 4.0 s, provider local"
    assert repr(a) == repr(b) == text
    assert repr(AnimationWidget.from_animation(make_animation(names=("Solo",), scenes=2), providers=[])) == (
        "AnimationWidget: Greeting — 1 character (Solo), 2 scenes, 4.0 s, provider local"
    )
    assert repr(AnimationWidget()) == "AnimationWidget: (empty)"
    broken = AnimationWidget(animation={"title": "x", "scenes": "nope"}, frames=b"123")
    assert repr(broken) == "AnimationWidget: (invalid animation state)"
    assert "text/html" not in broken._repr_mimebundle_()[0]
    assert "0x" not in text


def test_pretty_repr_matches() -> None:
    from IPython.lib.pretty import pretty

    w = AnimationWidget.from_animation(make_animation(), providers=[])
    assert pretty(w) == repr(w)


def test_mimebundle_has_widget_view_text_and_static_view() -> None:
    """For frontends that ask for the bundle directly: one output, the player or the static view."""
    w = AnimationWidget.from_animation(make_animation(title=HOSTILE), providers=[])
    data, _meta = w._repr_mimebundle_()
    assert data[WIDGET_MIME]["model_id"] == w.model_id
    assert data["text/plain"] == repr(w)
    page = data["text/html"]
    assert HOSTILE not in page and "&lt;img src=x" in page
    assert "data:image/svg+xml;base64," in page
    assert fallback_html(w.animation_model) == page  # deterministic


def test_static_view_matches_the_player_size() -> None:
    page = fallback_html(make_animation())
    assert page.startswith(f'<div class="{STATIC_CLASS}" ')
    assert page.count(STATIC_CLASS) == 1
    img = re.search(r"<img [^>]*>", page).group(0)
    assert 'width="720" height="405"' in img  # the player's canvas: 720 CSS px at most
    assert "max-width:100%" in img and "height:auto" in img  # narrower pages scale it down
    assert "max-width:722px" in page  # the picture and its border


def displayed(code: str, **names: Any) -> tuple[Any, list[Any]]:
    """Run `code` in an IPython InteractiveShell; (result, the display_data outputs it published)."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    ip = InteractiveShell.instance()
    ip.user_ns.update(names)
    with capture_output() as cap:
        result = ip.run_cell(code)
    assert result.success, result.error_in_exec
    return result, cap.outputs


def test_display_publishes_the_player_then_the_static_view() -> None:
    anim = make_animation(title=HOSTILE)
    w = AnimationWidget.from_animation(anim, providers=[])
    # include= does not pick a part: IPython hands the whole display to _ipython_display_.
    for code in ("w", "display(w)", "from IPython.display import display as d; d(w, include=['text/html'])"):
        _result, outputs = displayed(code, w=w)
        assert len(outputs) == 2, code
        player, static = (o.data for o in outputs)
        # The player's output: no text/html, so a dead widget view is all a frontend can pick...
        assert set(player) == {WIDGET_MIME, "text/plain"}
        assert player[WIDGET_MIME]["model_id"] == w.model_id
        assert player["text/plain"] == repr(w)
        # ...and the static view is an output of its own, shown wherever the player is not.
        assert set(static) == {"text/html", "text/plain"}
        assert static["text/html"] == fallback_html(anim)
        assert static["text/html"].count(f'class="{STATIC_CLASS}"') == 1
        assert HOSTILE not in static["text/html"]
        assert static["text/plain"] == f"Static view: {HOSTILE} (animated SVG)"  # plain text, never HTML
        assert [o.metadata for o in outputs] == [{}, {}]


def test_a_widget_as_the_last_value_is_displayed_not_returned_as_text() -> None:
    w = AnimationWidget.from_animation(make_animation(), providers=[])
    result, outputs = displayed("w", w=w)
    assert result.result is w
    assert [sorted(o.data) for o in outputs] == [
        ["application/vnd.jupyter.widget-view+json", "text/plain"],
        ["text/html", "text/plain"],
    ]
    assert outputs[1].data["text/plain"] == "Static view: Greeting (animated SVG)"


def test_displayed_outputs_are_deterministic_apart_from_the_model_id() -> None:
    def run_once() -> list[dict[str, Any]]:
        w = AnimationWidget.from_animation(make_animation(), providers=[])
        _result, outputs = displayed("w", w=w)
        data = [dict(o.data) for o in outputs]
        assert data[0].pop(WIDGET_MIME)["model_id"] == w.model_id
        return data

    first, second = run_once(), run_once()
    assert first == second
    assert not re.search(r"\b[0-9a-f]{32}\b", json.dumps(first))  # no ids, uuids or timestamps


def test_an_empty_widget_displays_the_player_only() -> None:
    _result, outputs = displayed("w", w=AnimationWidget())
    assert len(outputs) == 1
    assert outputs[0].data["text/plain"] == "AnimationWidget: (empty)"
    assert AnimationWidget().static_view() is None


def test_an_animation_repr_is_one_short_line_and_its_dump_is_whole() -> None:
    anim = make_animation()
    line = "Animation: Greeting — 2 characters (Alice, Bob), 1 scene, 4.0 s, provider local"
    assert repr(anim) == str(anim) == line == repr(make_animation())
    from IPython.lib.pretty import pretty

    assert pretty(anim) == line
    assert len(anim.model_dump()["scenes"][0]["frames"]) == 97  # the data is all still there
    assert repr(make_animation(title="")).startswith("Animation: (untitled) — ")
    long = repr(make_animation(title="x" * 150 + "\n\u202e"))
    assert "\n" not in long and "\u202e" not in long and len(long) < 160


def test_an_animation_as_the_last_value_shows_the_player() -> None:
    """`anim = generate(...)` then `anim`: the player and the static view, as %%animate shows."""
    anim = make_animation(title=HOSTILE)
    for code in ("anim", "display(anim)"):
        result, outputs = displayed(code, anim=anim)
        assert len(outputs) == 2, code
        player, static = (o.data for o in outputs)
        assert set(player) == {WIDGET_MIME, "text/plain"}
        assert player["text/plain"] == repr(anim)
        assert static["text/html"] == fallback_html(anim)
    assert result.result is None  # displayed, not an Out[] line with the pydantic repr


def test_an_animation_mimebundle_is_the_players() -> None:
    anim = make_animation()
    data, _meta = anim._repr_mimebundle_()
    assert set(data) == {WIDGET_MIME, "text/plain", "text/html"}
    assert data["text/plain"] == repr(anim)
    assert data["text/html"] == fallback_html(anim)


def test_in_a_terminal_an_animation_shows_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from stickanim_jupyter import display

    monkeypatch.setattr(display, "_in_terminal", lambda: True)
    anim = make_animation()
    _result, outputs = displayed("anim", anim=anim)
    assert [o.data for o in outputs] == [{"text/plain": repr(anim)}]


def test_importing_the_package_does_not_import_anywidget() -> None:
    code = "import sys, stickanim_jupyter; print('anywidget' in sys.modules, 'IPython' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_static_view_alone() -> None:
    anim = make_animation()
    w = AnimationWidget.from_animation(anim, providers=[])
    view = w.static_view()
    assert isinstance(view, StaticView)
    assert view._repr_mimebundle_() == {"text/html": fallback_html(anim), "text/plain": repr(view)}
    assert repr(view) == "Static view: Greeting (animated SVG)"
    _result, outputs = displayed("display(view)", view=view)
    assert len(outputs) == 1 and WIDGET_MIME not in outputs[0].data
    assert StaticView(anim).html == fallback_html(anim)


def test_fallback_uses_the_static_poster_without_an_animated_svg(monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    export = pytest.importorskip("stickanim_jupyter.export")

    def broken(*_args: Any, **_kwargs: Any) -> str:
        raise RuntimeError("no SVG today")

    monkeypatch.setattr(export, "to_svg", broken)
    anim = make_animation()
    page = fallback_html(anim)
    encoded = re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page).group(1)
    assert base64.b64decode(encoded).decode() == poster_svg(anim)
    # one drawing code for every SVG: the poster is export's still frame, without the title
    assert poster_svg(anim) == export.still_svg(anim, title=False)
    monkeypatch.setattr(export, "still_svg", broken)
    page = fallback_html(anim)  # no picture at all: still the title and the summary, no error
    assert "<img" not in page and "Greeting" in page and "provider local" in page


def test_poster_svg_draws_each_figure_and_escapes_names() -> None:
    svg = poster_svg(make_animation(names=("A<b>", "Bob")))
    assert svg.startswith("<?xml") and svg.endswith("</svg>")
    assert svg.count("<circle") == 2 and "<animate" not in svg
    assert "A&lt;b&gt;" in svg and "<b>" not in svg


def test_a_long_animation_falls_back_to_the_poster_frame() -> None:
    import base64

    anim = make_animation(seconds=120, scenes=2, names=("A", "B", "C"))
    assert len(export.to_svg(anim, max_bytes=MAX_EMBEDDED_SVG, title=False).encode()) > MAX_EMBEDDED_SVG
    page = fallback_html(anim)
    encoded = re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page).group(1)
    assert base64.b64decode(encoded).decode() == poster_svg(anim)
    assert fallback_html(anim) == page  # deterministic, as strict nbval needs


def test_static_view_ellipsises_long_names_and_drops_bidi_controls() -> None:
    long = make_animation(names=("W" * 200, "Bob"))
    assert "(" + "W" * 23 + "…, Bob)" in fallback_html(long)
    assert "W" * 25 not in fallback_html(long)
    tricky = make_animation(title="\u202eGreeting", names=("\u202eevil", "B\u2066ob\u2069"))
    plain = make_animation(title="Greeting", names=("evil", "Bob"))
    assert fallback_html(tricky) == fallback_html(plain)  # title, picture and summary alike
    assert repr(StaticView(tricky)) == "Static view: Greeting (animated SVG)"


# --- the standalone page -------------------------------------------------------------------------
def test_standalone_html_inlines_everything_and_escapes_the_state() -> None:
    anim = make_animation(title=f"</script>{HOSTILE}")
    page = standalone_html(anim, title="My <page>")
    assert "<title>My &lt;page&gt;</title>" in page
    assert page.count("</script>") == 2  # the state's and the module's, nothing from the story
    offline = page.replace("http://www.w3.org/2000/svg", "")  # a namespace name, never fetched
    assert "http://" not in offline and "https://" not in offline
    state = re.search(r'<script type="application/json" id="stickanim-state">(.*?)</script>', page, re.S)
    payload = json.loads(state.group(1))
    assert payload["animation"]["title"] == anim.title
    assert payload["providers"] == []


# --- regenerate ----------------------------------------------------------------------------------
class FakeGenerator:
    """A slow provider: each call blocks until released; results are scripted per provider."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.gates: dict[str, threading.Event] = {}
        self.started = threading.Semaphore(0)

    def release(self, provider: str) -> None:
        self.gates.setdefault(provider, threading.Event()).set()

    def __call__(
        self, story: str, provider: str | None = None, progress: Any = None, **options: Any
    ) -> Animation:
        self.calls.append({"story": story, "provider": provider, **options})
        gate = self.gates.setdefault(provider, threading.Event())
        progress({"message": f"asking {provider}"})
        self.started.release()
        assert gate.wait(10)
        if provider == "broken":
            raise ProviderError("broken: 401 invalid key (sk-12***)", provider="broken")
        if provider == "crashy":
            raise RuntimeError("boom\n  second line")
        return make_animation(title=f"by {provider}", provider=provider)


@pytest.fixture
def fake() -> FakeGenerator:
    return FakeGenerator()


def widget_with(fake: FakeGenerator) -> AnimationWidget:
    return AnimationWidget.from_animation(
        make_animation(title="original"), story="two friends wave", providers=[], generate=fake,
        generate_options={"seed": 3, "fps": 12, "model": "local-model", "cache": False},
    )  # fmt: skip


def test_regenerate_runs_off_the_main_thread_and_reports_progress(fake: FakeGenerator) -> None:
    w = widget_with(fake)
    seen: list[str] = []
    w.observe(lambda ch: seen.append(ch["new"]), names="status")
    thread = w.regenerate("fake")
    assert thread is not None and thread is not threading.current_thread()
    assert fake.started.acquire(timeout=5)
    assert w.status == "running"
    assert re.fullmatch(r"asking fake \d+\.\d s", w.progress)  # with the time elapsed
    assert w.animation_model.title == "original"
    fake.release("fake")
    assert w.wait(5)
    assert (w.status, w.error, w.progress, w.provider) == ("idle", "", "", "fake")
    assert w.animation_model.title == "by fake"
    assert w.animation["title"] == "by fake"
    assert seen == ["running", "idle"]
    # seed/fps/cache kept; the old provider's model is not sent to another provider
    assert fake.calls == [
        {"story": "two friends wave", "provider": "fake", "seed": 3, "fps": 12, "cache": False}
    ]


def test_error_keeps_the_old_animation(fake: FakeGenerator) -> None:
    w = widget_with(fake)
    before = (w.animation, w.frames)
    fake.release("broken")
    w.regenerate("broken")
    assert w.wait(5)
    assert w.status == "error"
    assert w.error == "broken: 401 invalid key (sk-12***)"
    assert (w.animation, w.frames) == before
    assert w.animation_model.title == "original"


def test_unexpected_exception_becomes_one_line_without_traceback(fake: FakeGenerator) -> None:
    w = widget_with(fake)
    fake.release("crashy")
    w.regenerate("crashy")
    assert w.wait(5)
    assert w.status == "error"
    assert w.error == "RuntimeError: boom second line"
    assert "Traceback" not in w.error and 'File "' not in w.error
    assert len(w.error) <= 300


def test_error_line_never_carries_a_traceback() -> None:
    try:
        raise ValueError("bad\nvalue")
    except ValueError as err:
        line = error_line(err)
    assert line == "ValueError: bad value"
    assert error_line(ProviderError("quota exceeded")) == "quota exceeded"
    assert error_line(KeyError()) == "KeyError"
    assert len(error_line(RuntimeError("x" * 1000))) == 300
    assert error_line is export.error_line  # one function for the widget and the magics


class RawFailure:
    """A generator whose LLM answered with something that is not a Script."""

    def __init__(self, raw: str | None) -> None:
        self.raw, self.fail = raw, True

    def __call__(self, story: str, provider: str | None = None, progress: Any = None, **_: Any) -> Animation:
        if self.fail:
            raise GenerationError("fake did not return a valid Script after one re-ask", raw=self.raw)
        return make_animation(title="fixed")


def test_a_generation_error_keeps_the_raw_answer_for_the_inspector() -> None:
    answer = f"Sure! Here is your script: {HOSTILE}\n{{'title': 1}}"
    gen = RawFailure(answer)
    w = AnimationWidget.from_animation(make_animation(), story="wave", providers=[], generate=gen)
    assert w.raw == "" and "raw" in w.keys  # a synced trait
    w.regenerate("fake")
    assert w.wait(5)
    assert (w.status, w.error) == ("error", "fake did not return a valid Script after one re-ask")
    assert w.raw == answer  # the text as is: the JS shows it with textContent
    gen.fail = False
    w.regenerate("fake")
    assert w.wait(5)
    assert (w.status, w.error, w.raw) == ("idle", "", "")
    assert w.animation_model.title == "fixed"


def test_raw_answer_is_capped_and_only_for_generation_errors() -> None:
    assert raw_answer(GenerationError("bad", raw="x" * 100)) == "x" * 100
    capped = raw_answer(GenerationError("bad", raw="y" * 50_000))
    assert capped.startswith("y" * 20_000) and capped.endswith("… (30000 more characters)")
    assert len(capped) < 20_100
    assert raw_answer(GenerationError("bad")) == ""
    assert raw_answer(ProviderError("down")) == raw_answer(RuntimeError("x")) == ""


def test_another_error_clears_the_raw_answer() -> None:
    gen = RawFailure("not json")
    w = AnimationWidget.from_animation(make_animation(), story="wave", providers=[], generate=gen)
    w.regenerate("fake")
    assert w.wait(5) and w.raw == "not json"
    gen.raw = None  # a GenerationError without an answer (e.g. the provider sent nothing)
    w.regenerate("fake")
    assert w.wait(5)
    assert (w.status, w.raw) == ("error", "")


def test_a_stale_result_never_replaces_a_newer_one(fake: FakeGenerator) -> None:
    w = widget_with(fake)
    w.regenerate("slow")
    assert fake.started.acquire(timeout=5)
    w.regenerate("fast")
    assert fake.started.acquire(timeout=5)
    fake.release("fast")
    assert w.wait(5)
    assert w.animation_model.title == "by fast"
    assert w.status == "idle"
    fake.release("slow")  # the older call finishes last...
    for t in threading.enumerate():
        if t.name == "stickanim-regenerate":
            t.join(5)
    assert w.animation_model.title == "by fast"  # ...and is dropped
    assert (w.status, w.provider) == ("idle", "fast")


def test_a_stale_error_does_not_mark_a_newer_run_failed(fake: FakeGenerator) -> None:
    w = widget_with(fake)
    w.regenerate("broken")
    assert fake.started.acquire(timeout=5)
    w.regenerate("late")
    assert fake.started.acquire(timeout=5)
    fake.release("broken")
    for t in threading.enumerate():
        if t.name == "stickanim-regenerate" and t is not w._thread:
            t.join(5)
    assert (w.status, w.error) == ("running", "")
    fake.release("late")
    assert w.wait(5)
    assert (w.status, w.animation_model.title) == ("idle", "by late")


def test_the_dropdown_message_triggers_regenerate(fake: FakeGenerator) -> None:
    w = widget_with(fake)
    fake.release("fake")
    w._handle_custom_msg({"type": "regenerate", "provider": "fake"}, [])
    assert w.wait(5)
    assert w.animation_model.title == "by fake"
    w._handle_custom_msg({"type": "something else"}, [])
    assert len(fake.calls) == 1


def test_regenerate_without_a_story_is_a_clear_error(fake: FakeGenerator) -> None:
    w = AnimationWidget.from_animation(make_animation(), providers=[], generate=fake)
    assert w.regenerate("fake") is None
    assert w.status == "error" and "no story" in w.error
    assert fake.calls == []


def test_progress_text_is_one_short_line() -> None:
    assert progress_text({"message": "calling\nopenai"}) == "calling openai"
    assert progress_text({"attempt": 2, "model": None}) == "attempt=2"
    event = {"event": "request", "provider": "openai", "model": "openai/gpt-4o-mini", "attempt": 1}
    assert progress_text(event) == "connecting to openai (openai/gpt-4o-mini)…"
    assert progress_text({"event": "retry", "provider": "openai", "reason": "rate_limit", "delay": 1.5}) == (
        "openai: rate_limit, retrying in 1.5 s…"
    )
    assert progress_text({"event": "fallback", "provider": "a"}) == "event=fallback, provider=a"  # no "next"
    assert progress_text("waiting") == "waiting"


# --- animate() ------------------------------------------------------------------------------------
def test_animate_fills_the_dropdown_from_the_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import stickanim_jupyter.api as api
    from stickanim_jupyter.options import GenerationOptions
    from stickanim_jupyter.widget import animate

    config = tmp_path / "config.yml"
    config.write_text("llm:\n  provider: local\n  openai: {model: openai/gpt-4o-mini}\n", encoding="utf-8")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("STICKANIM_OPENAI_API_KEY", raising=False)
    seen: dict[str, Any] = {}

    def fake_generate(story: str, options: GenerationOptions) -> Animation:
        seen.update(options.keywords(), story=story)
        return make_animation()

    monkeypatch.setattr(api, "generate_with", fake_generate)
    w = animate("two friends wave", seed=7, config=config)
    assert seen == {"story": "two friends wave", "provider": None, "model": None, "seed": 7, "fps": None,
                    "config": config, "cache": True}  # fmt: skip
    assert w.story == "two friends wave" and w.provider == "local"
    names = [p["name"] for p in w.providers]
    assert names[:2] == ["local", "openai"]
    for p in w.providers:
        assert set(p) == {"name", "model", "available", "reason"}  # nothing key-related in the state
    openai = w.providers[1]
    assert openai["available"] is False and "API key" in openai["reason"]
    assert w.options.seed == 7


# --- the JS unit tests ---------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_js_unit_tests_pass() -> None:
    proc = subprocess.run(
        ["node", "--test", "js/"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert re.search(r"^# fail 0$", proc.stdout, re.M), proc.stdout[-2000:]
