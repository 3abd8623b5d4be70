"""Things (props) and words (bubbles) in the widget state and every export.

The widget (js/src/things.js, bubbles.js) and the exports (export/things.py, bubbles.py) draw
the same primitives and lay bubbles out by the same rules: the mirror tests run both on the
same input and compare.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stickanim_jupyter import compile_script, export
from stickanim_jupyter.export import bubbles, things
from stickanim_jupyter.export.fonts import find_cjk_font, rough_width
from stickanim_jupyter.export.picture import Picture, bubble_active
from stickanim_jupyter.export.shapes import Circle, Line, Polygon, Timeline, extent
from stickanim_jupyter.schema import PROP_KINDS, Animation, AnimProp, Script, Speech
from stickanim_jupyter.state import animation_json_from_state, animation_state

if TYPE_CHECKING:
    from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
STAGE_W, STAGE_H = 960, 540


def story(
    kinds: tuple[str, ...] = ("ball", "chair", "tree"), seconds: float = 4, speech: bool = True
) -> Animation:
    """Two characters talking among `kinds` things (speech added to the compiled scene)."""
    props = [
        {"id": f"p{i}", "kind": k, "name": k, "x": 0.08 + 0.84 * i / max(1, len(kinds) - 1)}
        for i, k in enumerate(kinds)
    ]
    ms = seconds * 1000
    script = Script.parse(
        {
            "title": "Things & words",
            "characters": [
                {"id": "a", "name": "Ann", "x": 0.3, "color": "#1E88E5"},
                {"id": "b", "name": "Bo", "x": 0.62, "color": "#E91E63"},
            ],
            "props": props,
            "scenes": [
                {
                    "id": "s1",
                    "description": "They talk",
                    "duration": ms,
                    "actions": [
                        {"character": "a", "action": "wave", "duration": ms},
                        {"character": "b", "action": "nod", "duration": ms},
                    ],
                }
            ],
        }
    )
    anim = compile_script(script)
    if speech:
        anim.scenes[0].speech += [
            Speech(character="a", kind="say", text="Hello! Shall we play ball?", start=0, end=ms),
            Speech(character="b", kind="think", text="我想先喝一杯茶。", start=500, end=ms),
        ]
    return anim


# --- widget state ---------------------------------------------------------------------------
def test_things_round_trip_through_the_widget_state() -> None:
    anim = story()
    anim.scenes[0].frames[3].props["p0"] = (123.5, 400.25, -45.0)
    state = animation_state(anim)
    back = Animation.parse(animation_json_from_state(state["animation"], state["frames"]))
    assert back.scenes[0].frames[3].props["p0"] == (123.5, 400.25, -45.0)
    for pid, place in anim.scenes[0].frames[0].props.items():
        assert back.scenes[0].frames[0].props[pid] == pytest.approx(place)  # at float32
    assert back.scenes[0].speech == anim.scenes[0].speech
    assert [p.kind for p in back.props] == ["ball", "chair", "tree"]


def test_a_frame_without_a_things_place_is_a_clear_error() -> None:
    from stickanim_jupyter.errors import ValidationError

    anim = story()
    del anim.scenes[0].frames[2].props["p1"]
    with pytest.raises(ValidationError, match="no place for thing 'p1'"):
        animation_state(anim)


def test_widget_state_for_10_s_with_2_characters_and_3_things_is_under_120_kb() -> None:
    anim = story(seconds=10)
    state = animation_state(anim)
    size = len(json.dumps(state["animation"], ensure_ascii=False, separators=(",", ":")).encode()) + len(
        state["frames"]
    )
    assert size < 120_000, size


# --- things ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", PROP_KINDS)
def test_every_kind_has_shapes_that_stand_on_the_ground_within_its_box(kind: str) -> None:
    prop = AnimProp(id="p", kind=kind, color="#8D6E63", width=60, height=80)
    shapes = things.local_shapes(prop)
    assert len(shapes) >= 2
    x0, y0, x1, y1 = extent(s for s in shapes if not isinstance(s, Line) or s.width < 6)
    assert -0.75 * 60 - 4 <= x0 and x1 <= 0.75 * 60 + 4
    assert -80 - 4 <= y0 <= -80 * 0.6
    lowest = max(
        (
            s.cy + s.r
            if isinstance(s, Circle)
            else max(p[1] for p in s.points)
            if isinstance(s, Polygon)
            else max(s.y1, s.y2)
        )
        for s in shapes
    )
    assert abs(lowest) < 1e-9, f"{kind} floats or sinks: lowest point {lowest}"


def test_placing_a_thing_moves_its_bottom_centre_and_turns_it_clockwise() -> None:
    square = [Polygon("k", ((0, 0), (10, 0), (10, -10)), "#000000", 1, fill=True)]
    (moved,) = things.placed(square, (100, 200, 90))
    assert [(round(x, 6), round(y, 6)) for x, y in moved.points] == [(100, 200), (100, 210), (110, 210)]


def test_things_stand_behind_or_in_front_of_the_figures() -> None:
    anim = story(kinds=("chair", "ball"), speech=False)
    moment = Timeline(anim).at(1000)
    shapes, labels = Picture(anim, rough_width).at(moment)
    keys = [s.key for s in shapes]
    first_figure = next(i for i, k in enumerate(keys) if k.startswith("a:"))
    assert all(i < first_figure for i, k in enumerate(keys) if k.startswith("prop:p0:"))  # the chair
    assert all(i > first_figure for i, k in enumerate(keys) if k.startswith("prop:p1:"))  # the ball
    assert labels == []


def test_angles_between_frames_turn_the_short_way_round() -> None:
    anim = story(speech=False)
    f0, f1 = anim.scenes[0].frames[0], anim.scenes[0].frames[1]
    f0.props["p0"] = (100.0, 480.0, 350.0)
    f1.props["p0"] = (110.0, 480.0, 10.0)
    x, _, angle = Timeline(anim).at((f0.t + f1.t) / 2).places["p0"]
    assert x == pytest.approx(105)
    assert angle % 360 == pytest.approx(0, abs=1e-6)


# --- bubbles --------------------------------------------------------------------------------
def test_bubble_text_wraps_cjk_and_words_within_three_lines() -> None:
    text = bubbles.bubble_text(
        "Hello there, shall we play ball in the park today after lunch? " * 2, "say", rough_width
    )
    assert 1 < len(text.lines) <= bubbles.MAX_LINES
    cjk = bubbles.bubble_text("我" * 80, "say", rough_width)
    assert len(cjk.lines) == 3 and cjk.lines[-1].endswith("…") and cjk.size < bubbles.BUBBLE_SIZE
    for t in (text, cjk):
        assert all(
            rough_width(line, t.size) <= bubbles.MAX_EMS * bubbles.BUBBLE_SIZE + 1e-9 for line in t.lines
        )
    assert (
        bubbles.bubble_text("Hi", "say", rough_width).width
        < bubbles.bubble_text("Hi there", "say", rough_width).width
    )


speaker_lists = st.lists(
    st.tuples(
        st.floats(-100, 1060), st.floats(-50, 600), st.integers(1, 16), st.sampled_from(["say", "think"]),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(speaker_lists)
def test_bubbles_stay_on_stage_and_never_overlap(specs: list[tuple[float, float, int, str, bool]]) -> None:
    speakers = [
        bubbles.Speaker(
            f"b{i}",
            kind,
            bubbles.bubble_text(("我想" if cjk else "word ") * n, kind, rough_width),
            (x, y),
            18.0,
        )
        for i, (x, y, n, kind, cjk) in enumerate(specs)
    ]
    placed = bubbles.layout(speakers, STAGE_W, STAGE_H)
    m = bubbles.MARGIN - 1e-9
    for b in placed:
        assert b.left >= m and b.top >= m and b.right <= STAGE_W - m and b.bottom <= STAGE_H - m, b
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            apart = a.right + bubbles.GAP <= b.left + 1e-6 or b.right + bubbles.GAP <= a.left + 1e-6
            assert apart or a.bottom + bubbles.GAP <= b.top + 1e-6 or b.bottom + bubbles.GAP <= a.top + 1e-6


def test_a_bubble_shows_from_start_to_end_and_stays_at_its_scenes_end() -> None:
    sp = Speech(character="a", kind="say", text="hi", start=100, end=500)
    assert (
        bubble_active(sp, 100, 1000) and not bubble_active(sp, 500, 1000) and not bubble_active(sp, 99, 1000)
    )
    assert bubble_active(Speech(character="a", kind="say", text="hi", start=0, end=1000), 1000, 1000)


# --- exports --------------------------------------------------------------------------------
def _colors(img: Image.Image) -> list[tuple[int, tuple[int, int, int]]]:
    """(count, rgb) of every colour of an image."""
    return img.convert("RGB").getcolors(maxcolors=1 << 24) or []


def _dark(img: Image.Image) -> int:
    """Pixels dark enough to be text ink."""
    return sum(n for n, rgb in _colors(img) if max(rgb) < 120)


def _pixels(png: bytes, color: str) -> int:
    from PIL import Image

    rgb = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    return sum(n for n, c in _colors(Image.open(io.BytesIO(png))) if c == rgb)


@pytest.mark.parametrize("kinds", [PROP_KINDS[:7], PROP_KINDS[7:]])
def test_the_png_draws_every_kind_in_its_colour(kinds: tuple[str, ...]) -> None:
    anim = story(kinds=kinds, speech=False)
    png = export.png_bytes(anim, t=1000)
    for prop in anim.props:
        assert _pixels(png, prop.color) > 10, prop.kind


def test_the_png_draws_bubbles_with_their_words() -> None:
    from PIL import Image

    anim = story()
    img = Image.open(io.BytesIO(export.png_bytes(anim, t=2000))).convert("RGB")
    moment = Timeline(anim).at(2000)
    placed = Picture(anim).bubbles(moment)
    assert [b.kind for b in placed] == ["say", "think"]
    for b in placed:
        inside = img.crop((round(b.left) + 6, round(b.top) + 6, round(b.right) - 6, round(b.bottom) - 6))
        assert _dark(inside) > 30, b.kind  # the text's ink


@pytest.mark.skipif(find_cjk_font() is None, reason="no CJK font installed")
def test_cjk_words_are_drawn_with_the_cjk_font() -> None:
    anim = story()
    anim.scenes[0].speech = [
        Speech(character="b", kind="say", text="你好，世界！我们去公园吧。", start=0, end=4000)
    ]
    img = export.render_frame(anim, 2000)
    (b,) = Picture(anim).bubbles(Timeline(anim).at(2000))
    inside = img.crop((round(b.left) + 4, round(b.top) + 4, round(b.right) - 4, round(b.bottom) - 4))
    assert _dark(inside) > 100


def test_the_gif_holds_things_and_bubbles() -> None:
    from PIL import Image

    anim = story(seconds=2)
    gif = Image.open(io.BytesIO(export.gif_bytes(anim, fps=6, scale=0.5)))
    gif.seek(gif.n_frames // 2)
    frame = gif.convert("RGB")
    ball = anim.props[0]
    rgb = tuple(int(ball.color[i : i + 2], 16) for i in (1, 3, 5))
    assert any(c == rgb for _, c in _colors(frame))


def test_svg_words_and_names_are_text_never_markup() -> None:
    anim = story()
    anim.characters[0].name = "<b>Ann</b>"
    anim.scenes[0].speech[0] = Speech(character="a", kind="say", text="<b>bold</b> & <i>", start=0, end=4000)
    for svg in (export.to_svg(anim), export.still_svg(anim, t=2000)):
        root = ET.fromstring(svg.split("\n", 1)[1])
        tags = {el.tag.split("}")[-1] for el in root.iter()}
        assert not tags & {"b", "i", "script", "foreignObject"}
        assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;" in svg
        texts = [el.text or "" for el in root.iter() if el.tag.endswith("text")]
        assert "<b>bold</b> & <i>" in texts and any("<b>Ann</b>" in t for t in texts)


def test_the_animated_svg_moves_things_and_shows_bubbles_only_while_spoken() -> None:
    anim = story(kinds=("ball",))
    last = anim.scenes[0].frames[-1]
    last.props["p0"] = (700.0, 480.0, 90.0)  # rolled over at the end
    svg = export.to_svg(anim)
    root = ET.fromstring(svg.split("\n", 1)[1])
    ns = {"s": "http://www.w3.org/2000/svg"}
    (ball,) = root.findall(".//s:g[@data-prop='p0']", ns)
    kinds = {a.get("type") for a in ball.iter() if a.tag.endswith("animateTransform")}
    assert kinds == {"translate", "rotate"}
    bodies = root.findall(".//s:g[@data-bubble]", ns)
    assert [b.get("data-kind") for b in bodies] == ["say", "think"]
    think = bodies[1]
    (vis,) = [a for a in think if a.get("attributeName") == "visibility"]
    assert vis.get("values") == "hidden;visible" and think.get("visibility") == "hidden"
    tails = root.findall(".//s:g[@data-bubble-tail]", ns)
    assert list(root).index(tails[-1]) < list(root).index(bodies[0])  # tails under every body


def test_the_static_view_shows_things_bubbles_and_notes() -> None:
    from stickanim_jupyter.static_view import fallback_html, summary_line

    anim = story()
    anim.meta.notes = ["not understood: <浇花>"]
    page = fallback_html(anim)
    assert "Note: not understood: &lt;浇花&gt;" in page
    assert "3 things" in summary_line(anim)
    assert "2 things" not in summary_line(story(speech=False)) and "scene" in summary_line(story())


# --- the widget and the exports agree -------------------------------------------------------
MIRROR_JS = """
import { pathToFileURL } from "node:url";
const src = (name) => import(pathToFileURL(`${process.argv[1]}/js/src/${name}`).href);
const things = await src("things.js");
const bubbles = await src("bubbles.js");
const input = JSON.parse(process.argv[2]);
const WIDE = /[\\u1100-\\u115f\\u2e80-\\ua4cf\\uac00-\\ud7a3\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uff60\\uffe0-\\uffe6]/u;
const measure = (t, size) => Array.from(t).reduce((w, ch) => w + size * (WIDE.test(ch) ? 1 : 0.6), 0);
const prims = input.props.map(([k, w, h, c]) => things.propPrimitives(k, w, h, c));
const layouts = input.layouts.map((speakers) =>
  bubbles.layoutBubbles(
    speakers.map(([key, kind, text, hx, hy]) => ({ key, kind, text: bubbles.bubbleText(text, kind, measure), head: [hx, hy], radius: 18 })),
    960, 540,
  ).map((b) => ({ ...b, tail: bubbles.tailTriangle(b), dots: bubbles.thoughtDots(b), bumps: bubbles.cloudCircles(b) })),
);
console.log(JSON.stringify({ prims, layouts }));
"""

MIRROR_TEXTS = [
    "Hi!",
    "Hello there! Shall we play ball in the park today?",
    "我想先喝一杯茶，然后再去公园。",
    "一" * 80,
    "Supercalifragilisticexpialidocious is a very long word indeed, isn't it? Yes.",
    "mixed 中文 and English 混合 text",
]


def _close(a: object, b: object, path: str = "") -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)):
        assert a == pytest.approx(b, abs=1e-6), path
    elif isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b), f"{path}: {a!r} != {b!r}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_widget_draws_things_and_lays_bubbles_out_as_the_exports_do() -> None:
    props = [
        (k, w, h, c)
        for k in PROP_KINDS
        for w, h, c in ((60, 80, "#8D6E63"), (26, 26, "#E53935"), (240, 90, "#FAFAFA"))
    ]
    layouts = [
        [(f"b{i}", "say" if i % 2 else "think", t, 200 + 60 * i, 300) for i, t in enumerate(MIRROR_TEXTS)],
        [("a", "say", MIRROR_TEXTS[1], 20, 40), ("b", "think", MIRROR_TEXTS[2], 940, 500)],
    ]
    proc = subprocess.run(
        ["node", "--input-type=module", "-e", MIRROR_JS, str(ROOT), json.dumps({"props": props, "layouts": layouts})],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    js = json.loads(proc.stdout)
    for (kind, w, h, c), got in zip(props, js["prims"], strict=True):
        want = [
            {"type": p.type, "pts": list(p.pts), "fill": p.fill, "stroke": p.stroke, "width": p.width}
            for p in things.prop_primitives(kind, w, h, c)
        ]
        _close(got, want, kind)
    for speakers, got in zip(layouts, js["layouts"], strict=True):
        want = bubbles.layout(
            [
                bubbles.Speaker(key, kind, bubbles.bubble_text(text, kind, rough_width), (hx, hy), 18.0)
                for key, kind, text, hx, hy in speakers
            ],
            STAGE_W,
            STAGE_H,
        )
        for b, g in zip(want, got, strict=True):
            _close(list(g["text"]["lines"]), list(b.text.lines), b.key)
            _close(
                [g["left"], g["top"], g["width"], g["height"], *g["tip"]],
                [b.left, b.top, b.width, b.height, *b.tip],
                b.key,
            )
            tail = bubbles.tail_shapes(b)
            if b.kind == "say":
                _close(g["tail"], [list(p) for p in tail[0].points] if tail else None, b.key)
            else:
                _close(g["dots"], [[s.cx, s.cy, s.r] for s in tail[::2]], b.key)
                _close(g["bumps"], [list(c) for c in bubbles.cloud_circles(b)], b.key)
