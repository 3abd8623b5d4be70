"""Exports: each format read back by its standard reader (Pillow, ElementTree, Chromium, the schema)."""

from __future__ import annotations

import io
import json
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from chromium import CHROMIUM, launch
from PIL import Image, ImageChops

from stickanim_jupyter import export
from stickanim_jupyter.errors import StickanimError
from stickanim_jupyter.schema import Animation
from stickanim_jupyter.text import NAME_CHARS, display_text

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<img src=x onerror=alert(1)> & </text>"
COLORS = ("#2196F3", "#E91E63", "#4CAF50")


# --- a hand-built Animation: walkers whose every bone moves in every frame -----------------
def _walker(x: float, ground: float, phase: float) -> dict[str, tuple[float, float]]:
    s = math.sin(phase)
    neck, pelvis, head = (x, ground - 180), (x, ground - 100), (x, ground - 205)

    def limb(root, angle, bend):  # two 45-unit segments hanging from root
        knee = (root[0] + 45 * math.sin(angle), root[1] + 45 * math.cos(angle))
        end = (knee[0] + 45 * math.sin(angle + bend), knee[1] + 45 * math.cos(angle + bend))
        return knee, end

    (el, hl), (er, hr) = limb(neck, 0.5 * s, 0.3), limb(neck, -0.5 * s, 0.3)
    (kl, fl), (kr, fr) = limb(pelvis, -0.4 * s, -0.2), limb(pelvis, 0.4 * s, -0.2)
    return {"head": head, "neck": neck, "shoulder_l": neck, "elbow_l": el, "hand_l": hl,
            "shoulder_r": neck, "elbow_r": er, "hand_r": hr, "pelvis": pelvis, "hip_l": pelvis,
            "knee_l": kl, "foot_l": fl, "hip_r": pelvis, "knee_r": kr, "foot_r": fr}  # fmt: skip


def make_animation(
    title: str = "Two walkers",
    names: tuple[str, ...] = ("Ann", "Bob"),
    scenes: tuple[tuple[str, int], ...] = (("they walk", 2000), ("and walk on", 1500)),
    fps: int = 24,
) -> Animation:
    chars = [
        {"id": f"char_{i + 1}", "name": n, "color": COLORS[i], "head_radius": 18} for i, n in enumerate(names)
    ]
    out = []
    for si, (desc, dur) in enumerate(scenes):
        n = round(dur * fps / 1000)
        frames = [
            {"t": dur * k / n,
             "poses": {c["id"]: _walker(250 + 350 * ci + 0.05 * dur * k / n + 20 * si, 480, dur * k / n / 150 + ci)
                       for ci, c in enumerate(chars)}}
            for k in range(n + 1)
        ]  # fmt: skip
        out.append({"id": f"scene_{si + 1}", "description": desc, "duration": dur, "frames": frames})
    script = {
        "title": title,
        "characters": [{"id": c["id"], "name": c["name"]} for c in chars],
        "scenes": [{"id": s["id"], "actions": [{"character": "char_1", "action": "walk"}]} for s in out],
    }
    return Animation.parse({"title": title, "fps": fps, "characters": chars, "scenes": out, "script": script})


@pytest.fixture(scope="module")
def anim() -> Animation:
    return make_animation()


@pytest.fixture(scope="module")
def handshake() -> Animation:
    """The two-character story through the real local pipeline."""
    from stickanim_jupyter import generate

    return generate("two people walk toward each other and shake hands", provider="local", cache=False)


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _has_color(img: Image.Image, color: str, min_pixels: int = 20) -> bool:
    rgb = img.convert("RGB")
    mask = Image.eval(
        ImageChops.difference(rgb, Image.new("RGB", rgb.size, _rgb(color))).convert("L"),
        lambda v: 255 if v < 8 else 0,
    )
    return sum(mask.histogram()[255:]) >= min_pixels


def _gif_frames(data: bytes) -> tuple[Image.Image, list[int]]:
    im = Image.open(io.BytesIO(data))
    durations = []
    for i in range(im.n_frames):
        im.seek(i)
        durations.append(im.info["duration"])
    im.seek(0)
    return im, durations


# --- GIF ----------------------------------------------------------------------------------
def test_gif_frames_durations_and_loop(anim: Animation, tmp_path: Path) -> None:
    path = export.save(anim, tmp_path / "a.gif")
    im, durations = _gif_frames(path.read_bytes())
    assert im.format == "GIF" and im.size == (960, 540)
    assert im.n_frames == round(anim.duration_ms * anim.fps / 1000) == 84  # both scenes, every frame
    assert im.info["loop"] == 0  # forever
    assert set(durations) <= {40, 50}  # 1000/24 ms on GIF's 10 ms grid...
    assert sum(durations) == anim.duration_ms  # ...with the rounding carried, so no drift
    im.seek(im.n_frames // 2)
    frame = im.convert("RGB")
    assert all(_has_color(frame, c.color) for c in anim.characters)


def test_gif_lower_fps_and_scale_is_smaller(anim: Animation) -> None:
    full = export.gif_bytes(anim)
    small = export.gif_bytes(anim, fps=12, scale=0.5)
    im, durations = _gif_frames(small)
    assert im.size == (480, 270) and im.n_frames == 42
    assert set(durations) <= {80, 90} and sum(durations) == anim.duration_ms
    assert len(small) < len(full) / 2


def test_gif_to_file_object(anim: Animation) -> None:
    buf = io.BytesIO()
    assert export.to_gif(anim, buf, fps=6, scale=0.25) is None
    assert Image.open(io.BytesIO(buf.getvalue())).n_frames == 21


def test_gif_long_animation_lowers_fps_then_scale(anim: Animation, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pillow keeps every frame in memory: past the budget, fewer frames first, then smaller ones.
    monkeypatch.setattr(export.raster, "GIF_MAX_PIXELS", 960 * 540 * 40)
    im, durations = _gif_frames(export.gif_bytes(anim))
    assert im.size == (960, 540) and im.n_frames <= 40 and sum(durations) == anim.duration_ms
    monkeypatch.setattr(export.raster, "GIF_MAX_PIXELS", 960 * 540 * 7)
    im, _ = _gif_frames(export.gif_bytes(anim))
    assert im.n_frames == 28 and im.width < 960  # 8 fps at least, so the frames shrink


def test_gif_durations_grid() -> None:
    one_second = export.gif_durations(24, 24)
    assert sum(one_second) == 1000 and sorted(set(one_second)) == [40, 50] and one_second.count(50) == 4
    assert sum(export.gif_durations(7, 7)) == 1000
    assert export.gif_durations(3, 200) == [10, 10, 10]  # never below GIF's 10 ms


# --- SVG ----------------------------------------------------------------------------------
def test_svg_one_animated_element_per_bone_and_head(anim: Animation, tmp_path: Path) -> None:
    text = export.save(anim, tmp_path / "a.svg").read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 960 540"
    assert not list(root.iter(f"{SVG}script")) and "<script" not in text
    n_samples = round(anim.duration_ms * anim.fps / 1000) + 1  # the closed loop: start and end
    groups = root.findall(f"{SVG}g[@data-character]")
    assert [g.get("data-character") for g in groups] == [c.id for c in anim.characters]
    for g in groups:
        lines, circles = g.findall(f"{SVG}line"), g.findall(f"{SVG}circle")
        assert sorted(el.get("data-key") for el in lines) == sorted(f"{a}-{b}" for a, b in anim.bones)
        assert [el.get("data-key") for el in circles] == ["head"]
        for el in lines + circles:
            animates = el.findall(f"{SVG}animate")
            assert animates, f"{el.get('data-key')} does not move"
            for a in animates:
                assert a.get("repeatCount") == "indefinite" and a.get("calcMode") == "linear"
                assert a.get("dur") == f"{anim.duration_ms / 1000:g}s"
                assert len(a.get("values").split(";")) == n_samples
    ground = [el for el in root.findall(f"{SVG}line") if el.get("data-key") is None]
    assert ground and ground[0].get("y1") == str(anim.stage.ground_y)


def test_svg_hostile_title_stays_text() -> None:
    anim = make_animation(title=HOSTILE, names=(HOSTILE[:NAME_CHARS], "小明"))
    text = export.to_svg(anim)
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    root = ET.fromstring(text)
    titles = [el for el in root.iter(f"{SVG}text") if el.get("data-key") == "title"]
    assert titles[0].text == HOSTILE
    assert root.find(f"{SVG}title").text == HOSTILE
    assert [el.text for el in root.iter(f"{SVG}text") if el.get("data-key", "").startswith("name:")] == [
        HOSTILE[:NAME_CHARS],
        "小明",
    ]


def test_svg_drops_characters_xml_cannot_hold() -> None:
    root = ET.fromstring(export.to_svg(make_animation(title="bell\x07 and \x1bescape")))
    assert root.find(f"{SVG}title").text == "bell and escape"


def test_svg_captions_show_during_their_scene(anim: Animation) -> None:
    root = ET.fromstring(export.to_svg(anim))
    caps = {
        el.get("data-key"): el
        for el in root.iter(f"{SVG}text")
        if el.get("data-key", "").startswith("caption")
    }
    first, second = caps["caption:0"].find(f"{SVG}animate"), caps["caption:1"].find(f"{SVG}animate")
    split = f"{2000 / 3500:.4f}"
    assert first.get("values") == "visible;hidden" and first.get("keyTimes") == f"0.0000;{split}"
    assert second.get("values") == "hidden;visible" and second.get("keyTimes") == f"0.0000;{split}"


def test_svg_long_text_is_cut_to_the_stage() -> None:
    root = ET.fromstring(export.to_svg(make_animation(title="走" * 100)))
    title = next(el for el in root.iter(f"{SVG}text") if el.get("data-key") == "title")
    assert title.text.endswith("…") and len(title.text) < 40
    assert root.find(f"{SVG}title").text == "走" * 100  # the accessible title stays whole


def test_svg_size_budget_subsamples() -> None:
    long = make_animation(scenes=(("one", 5000), ("two", 5000)))  # 10 s, 2 characters
    full = export.to_svg(long)
    assert len(full.encode()) < export.SVG_MAX_BYTES
    small = export.to_svg(long, max_bytes=60_000)
    assert len(small.encode()) <= 60_000
    values = ET.fromstring(small).find(f"{SVG}g/{SVG}line/{SVG}animate").get("values").split(";")
    assert 40 < len(values) < 241  # fewer samples, still a smooth loop


# --- PNG ----------------------------------------------------------------------------------
def test_png_poster_has_each_figure_color(anim: Animation, tmp_path: Path) -> None:
    path = export.save(anim, tmp_path / "a.png")
    im = Image.open(path)
    assert im.format == "PNG" and im.size == (960, 540)
    for char in anim.characters:
        assert _has_color(im, char.color, min_pixels=200), char.color
    assert export.poster_time(anim) == 1000  # middle of the first scene


def test_png_at_time_and_scale(anim: Animation) -> None:
    a = Image.open(io.BytesIO(export.png_bytes(anim, t=0, scale=0.5)))
    b = Image.open(io.BytesIO(export.png_bytes(anim, t=3000, scale=0.5)))
    assert a.size == (480, 270)
    assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is not None


def test_png_to_file_object(anim: Animation) -> None:
    buf = io.BytesIO()
    export.to_png(anim, buf, t=500)
    assert Image.open(io.BytesIO(buf.getvalue())).format == "PNG"


# --- text in raster exports ---------------------------------------------------------------
def _title_band(img: Image.Image) -> Image.Image:
    return img.crop((0, 0, img.width, 50))


def test_chinese_text_drawn_with_a_cjk_font() -> None:
    if export.find_cjk_font() is None:
        pytest.skip("no CJK font on this system")
    anim = make_animation(title="两个人握手", names=("小明", "小红"))
    with_text = export.render_frame(anim, 500)
    without = export.render_frame(anim, 500, title=False)
    assert ImageChops.difference(_title_band(with_text), _title_band(without)).getbbox() is not None
    assert _has_color(_title_band(with_text), export.INK)  # glyph cores in the text colour


def test_chinese_text_left_out_without_a_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export.fonts, "find_cjk_font", lambda: None)
    anim = make_animation(title="两个人握手", names=("小明", "小红"), scenes=(("他们走过来", 1000),))
    with_text = export.render_frame(anim, 500)
    bare = export.render_frame(anim, 500, title=False, captions=False, names=False)
    swatches_only = export.render_frame(anim, 500, title=False, captions=False)
    assert ImageChops.difference(with_text, swatches_only).getbbox() is None  # no boxes, no tofu
    assert ImageChops.difference(with_text, bare).getbbox() is not None  # the legend swatches stay


def test_ascii_text_drawn_without_a_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export.fonts, "find_cjk_font", lambda: None)
    anim = make_animation(title="Two walkers")
    with_text, without = export.render_frame(anim, 500), export.render_frame(anim, 500, title=False)
    assert ImageChops.difference(_title_band(with_text), _title_band(without)).getbbox() is not None


def test_find_cjk_font_answers_a_real_file() -> None:
    path = export.find_cjk_font()
    assert path is None or os.path.isfile(path)


# --- text for display: long names, bidi controls -------------------------------------------
LONG_NAME = "W" * 200  # no space to break at
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "\u202eevil" would show as "live"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_display_text_drops_bidi_controls_and_clips() -> None:
    assert display_text(RLO + "evil") == "evil"
    assert display_text(f"a{BIDI}b c") == "ab c"
    assert display_text("名字" * 20, NAME_CHARS) == "名字" * 11 + "名…"
    assert len(display_text(LONG_NAME, NAME_CHARS)) == NAME_CHARS
    assert display_text("Alice", NAME_CHARS) == "Alice"


def _legend_right_edge(img: Image.Image, color: str) -> int:
    """The rightmost pixel of `color` (anti-aliased edges included) in the first legend row."""
    band = img.convert("RGB").crop((0, 57, img.width, 83))
    diff = ImageChops.difference(band, Image.new("RGB", band.size, _rgb(color))).convert("L")
    box = Image.eval(diff, lambda v: 255 if v < 60 else 0).getbbox()
    assert box is not None
    return box[2]


def test_a_long_name_stays_in_the_legend() -> None:
    anim = make_animation(names=(LONG_NAME, "Bob"))
    short = "W" * (NAME_CHARS - 1) + "…"
    assert export.static_labels(anim)[1].text == short
    names = [el.text for el in ET.fromstring(export.to_svg(anim)).iter(f"{SVG}text")]
    assert short in names and not any(LONG_NAME[:NAME_CHARS] in (t or "") for t in names)
    assert short in export.still_svg(anim)
    png = Image.open(io.BytesIO(export.png_bytes(anim)))
    gif = Image.open(io.BytesIO(export.gif_bytes(anim, fps=2)))
    for img in (png, gif):
        # at most one em per character past the name's start (uncut, it runs to the stage's edge)
        assert _legend_right_edge(img, COLORS[0]) <= 52 + NAME_CHARS * 18 + 4


def test_bidi_controls_never_reach_a_picture() -> None:
    tricky = make_animation(
        title=f"{RLO}Two walkers",
        names=(f"{RLO}evil", f"B{BIDI}ob"),
        scenes=(("\u2067they walk\u2069", 2000),),
    )
    plain = make_animation(title="Two walkers", names=("evil", "Bob"), scenes=(("they walk", 2000),))
    assert export.static_labels(tricky)[1].text == "evil"
    assert export.to_svg(tricky) == export.to_svg(plain)
    assert export.still_svg(tricky) == export.still_svg(plain)
    assert export.png_bytes(tricky) == export.png_bytes(plain)
    assert export.gif_bytes(tricky, fps=4) == export.gif_bytes(plain, fps=4)
    page = export.to_html(tricky)
    assert re.search(r"<title>(.*?)</title>", page).group(1) == "Two walkers"


# --- JSON ---------------------------------------------------------------------------------
def test_json_round_trips(anim: Animation, tmp_path: Path) -> None:
    path = anim.save(tmp_path / "a.json")
    assert isinstance(path, Path)
    assert Animation.parse(path.read_text(encoding="utf-8")) == anim


# --- save ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["a.mp4", "a", "a.GIFF"])
def test_unknown_extension(anim: Animation, tmp_path: Path, name: str) -> None:
    with pytest.raises(StickanimError) as info:
        export.save(anim, tmp_path / name)
    msg = str(info.value)
    assert "\n" not in msg and all(ext in msg for ext in (".json", ".gif", ".svg", ".html", ".png"))
    assert not list(tmp_path.iterdir())  # nothing written


def test_unknown_option(anim: Animation, tmp_path: Path) -> None:
    with pytest.raises(export.ExportError, match=r"\.json export has no option fps"):
        export.save(anim, tmp_path / "a.json", fps=12)


def test_extension_is_case_insensitive_and_no_temp_left(anim: Animation, tmp_path: Path) -> None:
    path = export.save(anim, str(tmp_path / "A.SVG"))
    assert path == tmp_path / "A.SVG" and path.read_bytes().startswith(b"<?xml")
    assert [p.name for p in tmp_path.iterdir()] == ["A.SVG"]


def test_unwritable_path_is_an_export_error_naming_the_users_path(anim: Animation, tmp_path: Path) -> None:
    # B7: the OSError named the temporary file (".x.png.<pid>.<hex>.tmp"), and the CLI called it internal.
    target = tmp_path / "missing" / "x.png"
    with pytest.raises(export.ExportError) as info:
        export.save(anim, target)
    assert str(info.value) == f"cannot write {target}: No such file or directory"
    assert ".tmp" not in str(info.value) and info.value.__cause__ is None
    (tmp_path / "dir.json").mkdir()  # os.replace onto a directory fails after the temp file exists
    with pytest.raises(export.ExportError, match=r"^cannot write .*dir\.json: Is a directory$"):
        export.save(anim, tmp_path / "dir.json")
    assert [p.name for p in tmp_path.iterdir()] == ["dir.json"]  # the temp file is gone
    with pytest.raises(export.ExportError, match="cannot write"):
        export.to_png(anim, tmp_path / "missing" / "y.png")  # every path writer goes through it


def test_cli_save_to_a_missing_directory_is_an_export_error(tmp_path: Path) -> None:
    target = tmp_path / "nonexistent" / "x.png"
    cmd = [sys.executable, "-m", "stickanim_jupyter.cli", "generate", "一个人挥手", "-p", "local",
           "--save", str(target), "--json", "--no-cache"]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    error = json.loads(proc.stdout)["error"]
    assert error == {"type": "export_error", "message": f"cannot write {target}: No such file or directory"}


def test_error_line_is_one_short_line() -> None:
    try:
        raise ValueError("bad\nvalue")
    except ValueError as err:
        assert export.error_line(err) == "ValueError: bad value"
    assert export.error_line(export.ExportError("no  disk\n")) == "no disk"
    assert export.error_line(export.ExportError("no disk"), with_type=True) == "ExportError: no disk"
    assert export.error_line(KeyError()) == "KeyError"
    assert export.error_line(StickanimError()) == "(no message)"
    long = export.error_line(RuntimeError("x" * 1000), with_type=True)
    assert len(long) == export.MAX_ERROR_CHARS and long.endswith("…")


def test_still_svg_is_the_poster_frame_without_animation(anim: Animation) -> None:
    text = export.still_svg(anim)
    root = ET.fromstring(text)
    assert not list(root.iter(f"{SVG}animate"))
    groups = root.findall(f"{SVG}g[@data-character]")
    assert [g.get("data-character") for g in groups] == [c.id for c in anim.characters]
    # the same figures as the animated SVG's still attributes (both show poster_time())
    animated = ET.fromstring(export.to_svg(anim))
    for still_g, anim_g in zip(groups, animated.findall(f"{SVG}g[@data-character]"), strict=True):
        strip = [{k: v for k, v in el.attrib.items()} for el in anim_g]
        assert [dict(el.attrib) for el in still_g] == strip
    assert [el.text for el in root.iter(f"{SVG}text") if el.get("data-key", "").startswith("caption")] == [
        anim.scenes[0].description
    ]
    late = ET.fromstring(export.still_svg(anim, t=anim.duration_ms - 1, title=False))
    keys = [el.get("data-key") for el in late.iter(f"{SVG}text")]
    assert "title" not in keys and f"caption:{len(anim.scenes) - 1}" in keys


def test_import_stays_cheap() -> None:
    code = "import sys, stickanim_jupyter.export; assert 'PIL' not in sys.modules, 'Pillow imported eagerly'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_timeline_interpolates_and_cuts_at_scene_starts(anim: Animation) -> None:
    tl = export.Timeline(anim)
    assert tl.duration == 3500 and tl.offsets == [0, 2000]
    assert tl.scene_at(1999.9) == 0 and tl.scene_at(2000) == 1 and tl.scene_at(9999) == 1
    f0, f1 = anim.scenes[0].frames[0], anim.scenes[0].frames[1]
    _, mid = tl.poses_at((f0.t + f1.t) / 2)
    x0, x1 = f0.poses["char_1"]["hand_r"][0], f1.poses["char_1"]["hand_r"][0]
    assert mid["char_1"]["hand_r"][0] == pytest.approx((x0 + x1) / 2)


def test_every_format_for_the_handshake_story(handshake: Animation, tmp_path: Path) -> None:
    for ext in (".json", ".gif", ".svg", ".png"):
        assert export.save(handshake, tmp_path / f"h{ext}").stat().st_size > 0
    assert len((tmp_path / "h.svg").read_bytes()) < export.SVG_MAX_BYTES
    poster = Image.open(tmp_path / "h.png")
    assert all(_has_color(poster, c.color) for c in handshake.characters)


# --- HTML and the SVG in a real browser ---------------------------------------------------
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} missing")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def test_html_is_self_contained(anim: Animation) -> None:
    html = export.to_html(anim)
    assert html.lstrip().lower().startswith("<!doctype html")
    assert not re.search(r"<script[^>]*\bsrc=", html, re.I)  # the player is inlined


def test_html_inlines_the_stylesheet_when_there_is_one(
    anim: Animation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export.html, "widget_css_path", lambda: tmp_path / "missing.css")
    assert export.to_html(anim).split("<script")[0].count("<style>") == 1  # the page's own rules only
    css = tmp_path / "widget.css"
    css.write_text(
        ".stickanim-x { color: red; }\n/* </style><script>alert(1)</script> */\n", encoding="utf-8"
    )
    monkeypatch.setattr(export.html, "widget_css_path", lambda: css)
    page = export.to_html(anim)
    assert page.split("<script")[0].count("<style>") == 2 and ".stickanim-x { color: red; }" in page
    assert page.count("</style>") == 2 and "alert(1)</script>" not in page  # cannot close the element


def test_html_export_needs_no_widget(anim: Animation) -> None:
    code = (
        "import sys; from stickanim_jupyter import export; from stickanim_jupyter.schema import Animation; "
        "page = export.to_html(Animation.parse(sys.stdin.read())); "
        "assert page.startswith('<!doctype html>'); "
        "assert not [m for m in ('stickanim_jupyter.widget', 'anywidget', 'PIL') if m in sys.modules]"
    )
    subprocess.run([sys.executable, "-c", code], input=anim.to_json(), text=True, check=True)


@needs_chromium
@pytest.mark.browser
def test_html_draws_a_figure_from_file_url(browser, tmp_path: Path) -> None:
    anim = make_animation(title=HOSTILE)
    path = export.save(anim, tmp_path / "a.html")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("canvas")
    r, g, b = _rgb(anim.characters[0].color)
    count_js = """([r, g, b]) => {
        let n = 0;
        for (const c of document.querySelectorAll('canvas')) {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 0; i < d.length; i += 4)
                if (Math.abs(d[i] - r) < 12 && Math.abs(d[i + 1] - g) < 12 && Math.abs(d[i + 2] - b) < 12) n++;
        }
        return n;
    }"""
    page.wait_for_function(f"({count_js})([{r}, {g}, {b}]) > 50", timeout=10_000)
    assert not dialogs  # the hostile title did not run
    page.close()


@needs_chromium
@pytest.mark.browser
def test_svg_plays_in_chromium(browser, anim: Animation, tmp_path: Path) -> None:
    path = export.save(anim, tmp_path / "a.svg")
    page = browser.new_page(viewport={"width": 960, "height": 540})
    page.goto(path.resolve().as_uri())
    page.wait_for_timeout(200)
    first = Image.open(io.BytesIO(page.screenshot()))
    page.wait_for_timeout(700)
    later = Image.open(io.BytesIO(page.screenshot()))
    page.close()
    assert _has_color(first, anim.characters[0].color, min_pixels=200)
    assert ImageChops.difference(first.convert("RGB"), later.convert("RGB")).getbbox() is not None  # it moves
