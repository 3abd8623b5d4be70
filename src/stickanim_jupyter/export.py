"""Exports: an Animation as JSON, animated GIF, animated SVG, PNG poster or self-contained HTML.

One drawing model feeds every picture: a frame becomes a list of shapes (lines and circles in
stage units, y down) plus text labels. Raster formats paint them with Pillow (supersampled, then
downsampled with LANCZOS, for anti-aliased strokes); SVG turns each shape's values over time into
SMIL <animate> elements. Pillow is imported inside the functions so that importing the package
stays cheap.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import inspect
import io
import math
import os
import secrets
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from .errors import StickanimError

if TYPE_CHECKING:
    from PIL import Image, ImageFont

    from .schema import Animation, AnimCharacter

Pose = dict[str, tuple[float, float]]
Poses = dict[str, Pose]  # character id -> joint -> (x, y)

BACKGROUND = "#FFFFFF"
INK = "#333333"  # title, captions
GROUND = "#9E9E9E"
LINE_WIDTH = 5.0  # stage units
GROUND_WIDTH = 2.0
SUPERSAMPLE = 3  # raster strokes are drawn at 3x, then downsampled
TITLE_SIZE, CAPTION_SIZE, NAME_SIZE = 26.0, 20.0, 18.0
SVG_MAX_BYTES = 300_000
GIF_MAX_PIXELS = 500_000_000  # all frames together, at one byte per pixel while Pillow encodes
GIF_MIN_FPS = 8.0
SVG_NS = "http://www.w3.org/2000/svg"
MAX_ERROR_CHARS = 300  # one error line: the widget's error bar, the magics' stderr

# Checked before asking fontconfig: Debian's fonts-wqy-microhei and fonts-noto-cjk.
CJK_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


class ExportError(StickanimError, ValueError):
    """An export was asked for something it cannot do (unknown extension, unknown option...)."""

    kind = "export_error"


# --- drawing model ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Line:
    key: str
    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    width: float


@dataclass(frozen=True, slots=True)
class Circle:
    """A stroked, unfilled circle (a head)."""

    key: str
    cx: float
    cy: float
    r: float
    color: str
    width: float


Shape = Line | Circle


@dataclass(frozen=True, slots=True)
class Label:
    key: str
    x: float
    y: float
    text: str
    size: float
    color: str
    anchor: Literal["middle", "start"]  # horizontal; vertically always centred on y


def figure_shapes(anim: Animation, char: AnimCharacter, pose: Pose) -> list[Shape]:
    """One character's bones (lines) and head (circle) in stage units; bones with a missing joint are left out."""
    shapes: list[Shape] = []
    head = pose.get("head")
    r = char.head_radius
    for a, b in anim.bones:
        if a not in pose or b not in pose:
            continue
        (x1, y1), (x2, y2) = pose[a], pose[b]
        if head is not None and "head" in (a, b):
            # Start the neck at the rim of the hollow head rather than its centre.
            if b == "head":
                (x1, y1), (x2, y2) = (x2, y2), (x1, y1)
            x1, y1 = _toward(x1, y1, x2, y2, r)
        shapes.append(Line(f"{char.id}:{a}-{b}", x1, y1, x2, y2, char.color, LINE_WIDTH))
    if head is not None:
        shapes.append(Circle(f"{char.id}:head", head[0], head[1], r, char.color, LINE_WIDTH))
    return shapes


def _toward(x1: float, y1: float, x2: float, y2: float, d: float) -> tuple[float, float]:
    """The point at distance d from (x1, y1) toward (x2, y2), never past it."""
    length = math.hypot(x2 - x1, y2 - y1)
    if length <= d:
        return x2, y2
    return x1 + (x2 - x1) * d / length, y1 + (y2 - y1) * d / length


def frame_shapes(anim: Animation, poses: Poses) -> list[Shape]:
    """All characters of a frame, in the order they are drawn (later ones on top)."""
    out: list[Shape] = []
    for char in anim.characters:
        if char.id in poses:
            out.extend(figure_shapes(anim, char, poses[char.id]))
    return out


def backdrop_shapes(anim: Animation, names: bool = True) -> list[Shape]:
    """What never moves: the ground line and the legend's colour swatches."""
    st = anim.stage
    shapes: list[Shape] = [Line("ground", 0, st.ground_y, st.width, st.ground_y, GROUND, GROUND_WIDTH)]
    if names:
        for i, char in enumerate(anim.characters):
            y = _legend_y(i)
            shapes.append(Line(f"legend:{char.id}", 20, y, 44, y, char.color, LINE_WIDTH))
    return shapes


def _legend_y(i: int) -> float:
    return 70 + i * 26


def static_labels(anim: Animation, title: bool = True, names: bool = True) -> list[Label]:
    """The title (top centre) and the legend's names (top left)."""
    out: list[Label] = []
    if title and anim.title.strip():
        out.append(Label("title", anim.stage.width / 2, 30, anim.title.strip(), TITLE_SIZE, INK, "middle"))
    if names:
        for i, char in enumerate(anim.characters):
            out.append(Label(f"name:{char.id}", 52, _legend_y(i), char.name, NAME_SIZE, char.color, "start"))
    return out


def caption_label(anim: Animation, scene: int) -> Label | None:
    """The scene's description, centred between the ground line and the bottom edge."""
    text = anim.scenes[scene].description.strip()
    if not text:
        return None
    st = anim.stage
    y = min((st.ground_y + st.height) / 2, st.height - CAPTION_SIZE / 2 - 2)
    return Label(f"caption:{scene}", st.width / 2, y, text, CAPTION_SIZE, INK, "middle")


# --- time ---------------------------------------------------------------------------------
class Timeline:
    """All scenes end to end on one clock (ms); poses between frames are interpolated linearly."""

    def __init__(self, anim: Animation) -> None:
        self.anim = anim
        self.offsets: list[float] = []
        total = 0.0
        for scene in anim.scenes:
            self.offsets.append(total)
            total += scene.duration
        self.duration = total
        self._times = [[f.t for f in s.frames] for s in anim.scenes]

    def scene_at(self, t: float) -> int:
        # At a boundary the next scene wins: its first frame starts there.
        return max(0, min(bisect.bisect_right(self.offsets, t) - 1, len(self.offsets) - 1))

    def poses_at(self, t: float) -> tuple[int, Poses]:
        i = self.scene_at(t)
        frames, times = self.anim.scenes[i].frames, self._times[i]
        if not frames:
            return i, {}
        local = t - self.offsets[i]
        j = bisect.bisect_right(times, local) - 1
        if j < 0:
            return i, frames[0].poses
        if j >= len(frames) - 1:
            return i, frames[-1].poses
        span = times[j + 1] - times[j]
        f = (local - times[j]) / span if span > 0 else 0.0
        return i, _lerp_poses(frames[j].poses, frames[j + 1].poses, f)


def _lerp_poses(a: Poses, b: Poses, f: float) -> Poses:
    out: Poses = {}
    for cid, pa in a.items():
        pb = b.get(cid, pa)
        out[cid] = {
            j: (p[0] + (pb[j][0] - p[0]) * f, p[1] + (pb[j][1] - p[1]) * f) if j in pb else p
            for j, p in pa.items()
        }
    return out


def sample_times(duration_ms: float, fps: float, closed: bool = False) -> list[float]:
    """A uniform grid over [0, duration) at about `fps`; `closed` adds the end point too."""
    n = max(1, round(duration_ms * fps / 1000))
    return [duration_ms * i / n for i in range(n + (1 if closed else 0))]


def poster_time(anim: Animation) -> float:
    """The middle of the first scene, or failing that the first moment every figure is on stage."""
    timeline = Timeline(anim)
    first = anim.scenes[0].duration / 2 if anim.scenes else 0.0
    for t in [first, *sample_times(timeline.duration, 4)]:
        _, poses = timeline.poses_at(t)
        if len(poses) == len(anim.characters) and _all_on_stage(anim, poses):
            return t
    return first


def _all_on_stage(anim: Animation, poses: Poses) -> bool:
    shapes = frame_shapes(anim, poses)
    if not shapes:
        return False
    x0, y0, x1, y1 = _extent(shapes)
    return x0 >= 0 and y0 >= 0 and x1 <= anim.stage.width and y1 <= anim.stage.height


def _extent(shapes: Iterable[Shape]) -> tuple[float, float, float, float]:
    """Bounding box of the shapes' strokes, in their own units."""
    xs: list[float] = []
    ys: list[float] = []
    for s in shapes:
        if isinstance(s, Line):
            m = s.width / 2
            xs += [min(s.x1, s.x2) - m, max(s.x1, s.x2) + m]
            ys += [min(s.y1, s.y2) - m, max(s.y1, s.y2) + m]
        else:
            m = s.r + s.width / 2
            xs += [s.cx - m, s.cx + m]
            ys += [s.cy - m, s.cy + m]
    return min(xs), min(ys), max(xs), max(ys)


# --- fonts --------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def find_cjk_font() -> str | None:
    """A font file that draws Chinese: a known path, else fontconfig's answer, else None."""
    for path in CJK_FONT_PATHS:
        if os.path.isfile(path):
            return path
    if not shutil.which("fc-list"):
        return None
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
    return next((f for f in files if os.path.isfile(f)), None)


def label_font(text: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont | None:
    """A font that can draw `text`, or None: without a CJK font only ASCII text is drawn (no tofu)."""
    path = find_cjk_font()
    if path:
        return _truetype(path, size)
    if text.isascii():
        return _default_font(size)
    return None


@functools.lru_cache(maxsize=32)
def _truetype(path: str, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(path, size)


@functools.lru_cache(maxsize=32)
def _default_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow < 10.1 or built without FreeType: fixed bitmap font
        return ImageFont.load_default()


def _fit(text: str, font: Any, max_width: float) -> str:
    """Cut `text` with an ellipsis so that it fits `max_width` pixels."""
    if font.getlength(text) <= max_width:
        return text
    dots = "..." if text.isascii() else "…"
    while text and font.getlength(text + dots) > max_width:
        text = text[:-1]
    return text + dots if text else ""


# --- raster -------------------------------------------------------------------------------
def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def paint_shapes(img: Image.Image, shapes: list[Shape], scale: float) -> None:
    """Paint shapes onto an RGB image, anti-aliased, one colour group at a time (order kept)."""
    group: list[Shape] = []
    for s in shapes:
        if group and s.color != group[0].color:
            _paint_group(img, group, scale)
            group = []
        group.append(s)
    if group:
        _paint_group(img, group, scale)


def _paint_group(img: Image.Image, shapes: list[Shape], scale: float) -> None:
    # Only the group's bounding box is supersampled: a coverage mask drawn at SUPERSAMPLE x,
    # downsampled with LANCZOS, then used to paste the flat colour.
    from PIL import Image, ImageDraw

    x0, y0, x1, y1 = _extent(shapes)
    left, top = max(0, math.floor(x0 * scale) - 1), max(0, math.floor(y0 * scale) - 1)
    right, bottom = min(img.width, math.ceil(x1 * scale) + 1), min(img.height, math.ceil(y1 * scale) + 1)
    if right <= left or bottom <= top:
        return
    k = SUPERSAMPLE
    mask = Image.new("L", ((right - left) * k, (bottom - top) * k), 0)
    draw = ImageDraw.Draw(mask)

    def pt(x: float, y: float) -> tuple[float, float]:
        return (x * scale - left) * k, (y * scale - top) * k

    for s in shapes:
        w = s.width * scale * k
        if isinstance(s, Line):
            ends = [pt(s.x1, s.y1), pt(s.x2, s.y2)]
            draw.line(ends, fill=255, width=max(1, round(w)))
            for cx, cy in ends:  # round caps, as SVG's stroke-linecap="round"
                draw.ellipse((cx - w / 2, cy - w / 2, cx + w / 2, cy + w / 2), fill=255)
        else:
            cx, cy = pt(s.cx, s.cy)
            r = s.r * scale * k + w / 2  # Pillow strokes inward from the bounding box
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=max(1, round(w)))
    small = mask.resize((right - left, bottom - top), Image.Resampling.LANCZOS)
    img.paste(_rgb(shapes[0].color), (left, top, right, bottom), small)


def paint_labels(img: Image.Image, labels: Iterable[Label], scale: float) -> None:
    """Draw labels that some font can render; the others are left out rather than drawn as boxes."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(img)
    for lab in labels:
        font = label_font(lab.text, max(6, round(lab.size * scale)))
        if font is None:
            continue
        x, y = lab.x * scale, lab.y * scale
        room = img.width - 8 * scale - (x if lab.anchor == "start" else 0)
        text = _fit(lab.text, font, room)
        anchor = "mm" if lab.anchor == "middle" else "lm"
        draw.text((x, y), text, fill=_rgb(lab.color), font=font, anchor=anchor)


class _Painter:
    """Renders frames at a scale; the backdrop (and each scene's caption) is drawn once."""

    def __init__(self, anim: Animation, scale: float, title: bool, captions: bool, names: bool) -> None:
        from PIL import Image

        if not (0 < scale <= 4):
            raise ExportError(f"scale must be in (0, 4], not {scale!r}")
        self.anim, self.scale, self.captions = anim, scale, captions
        self.timeline = Timeline(anim)
        size = (max(1, round(anim.stage.width * scale)), max(1, round(anim.stage.height * scale)))
        self.base = Image.new("RGB", size, _rgb(BACKGROUND))
        paint_shapes(self.base, backdrop_shapes(anim, names), scale)
        paint_labels(self.base, static_labels(anim, title, names), scale)
        self._backdrops: dict[int, Image.Image] = {}

    def backdrop(self, scene: int) -> Image.Image:
        if scene not in self._backdrops:
            img = self.base.copy()
            label = caption_label(self.anim, scene) if self.captions else None
            if label:
                paint_labels(img, [label], self.scale)
            self._backdrops[scene] = img
        return self._backdrops[scene]

    def frame(self, t: float) -> Image.Image:
        scene, poses = self.timeline.poses_at(t)
        img = self.backdrop(scene).copy()
        paint_shapes(img, frame_shapes(self.anim, poses), self.scale)
        return img


def render_frame(
    anim: Animation,
    t: float,
    scale: float = 1.0,
    *,
    title: bool = True,
    captions: bool = True,
    names: bool = True,
) -> Image.Image:
    """The picture at time t (ms from the start of the first scene) as an RGB Pillow image."""
    return _Painter(anim, scale, title, captions, names).frame(t)


# --- PNG ----------------------------------------------------------------------------------
def png_bytes(
    anim: Animation,
    t: float | None = None,
    scale: float = 1.0,
    *,
    title: bool = True,
    captions: bool = True,
    names: bool = True,
) -> bytes:
    """A poster frame as PNG: time t in ms on the whole animation's clock, default poster_time()."""
    img = render_frame(
        anim, poster_time(anim) if t is None else t, scale, title=title, captions=captions, names=names
    )
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def to_png(
    anim: Animation, target: str | os.PathLike | IO[bytes], t: float | None = None, **opts: Any
) -> Path | None:
    """Write the poster frame to a path (returned) or a binary file object."""
    return _emit(png_bytes(anim, t, **opts), target)


# --- GIF ----------------------------------------------------------------------------------
def _gif_budget(anim: Animation, fps: float, scale: float) -> tuple[float, float]:
    """Lower fps (to GIF_MIN_FPS), then scale, until the frames fit GIF_MAX_PIXELS.

    Pillow holds every frame in memory until it writes the file (one byte per pixel), so a
    three-minute animation at 24 fps and full size would need gigabytes.
    """
    seconds = anim.duration_ms / 1000
    area = anim.stage.width * anim.stage.height

    def pixels(f: float, s: float) -> float:
        return max(1.0, seconds * f) * area * s * s

    if pixels(fps, scale) > GIF_MAX_PIXELS:
        fps = max(min(fps, GIF_MIN_FPS), GIF_MAX_PIXELS / (seconds * area * scale * scale))
    if pixels(fps, scale) > GIF_MAX_PIXELS:
        scale = math.sqrt(GIF_MAX_PIXELS / pixels(fps, 1.0))
    return fps, scale


def gif_durations(n: int, fps: float) -> list[int]:
    """Per-frame durations in ms on GIF's 10 ms grid, rounding errors carried so the total stays right."""
    out, shown = [], 0
    for i in range(1, n + 1):
        end = round(i * 100 / fps) * 10  # the i-th frame's end, in whole centiseconds
        out.append(max(10, end - shown))
        shown += out[-1]
    return out


def _palette(inks: list[str]) -> tuple[Image.Image, bytes]:
    """A fixed palette: the background plus short ramps from it to each ink (the anti-aliasing blends).

    One palette for every frame keeps unchanged pixels identical between frames, so the GIF
    encoder stores only each frame's changed rectangle; 8 levels per ink look smooth and keep
    the LZW codes short. Returns the palette image (for quantize) and its bytes (for the encoder,
    so that frames share the global colour table instead of carrying their own).
    """
    from PIL import Image

    bg = _rgb(BACKGROUND)
    inks = list(dict.fromkeys(inks))
    levels = max(2, min(8, 255 // max(1, len(inks))))
    colors = [bg]
    for ink in inks:
        c = _rgb(ink)
        colors += [
            tuple(round(b + (v - b) * k / levels) for b, v in zip(bg, c, strict=True))
            for k in range(1, levels + 1)
        ]
    flat = bytes(v for c in colors[:256] for v in c)
    pal = Image.new("P", (1, 1))
    pal.putpalette(flat)
    return pal, flat


def gif_bytes(
    anim: Animation,
    fps: float | None = None,
    scale: float = 1.0,
    *,
    title: bool = True,
    captions: bool = True,
    names: bool = True,
) -> bytes:
    """Every scene as one GIF looping forever, at `fps` (default: the animation's) and `scale` x the stage.

    Lower `fps` or `scale` for smaller files; identical consecutive frames are merged by Pillow.
    """
    from PIL import Image

    fps = float(fps or anim.fps)
    if not (0 < fps <= 100):
        raise ExportError(f"GIF fps must be in (0, 100], not {fps!r}")
    fps, scale = _gif_budget(anim, fps, scale)
    painter = _Painter(anim, scale, title, captions, names)
    palette, flat = _palette([c.color for c in anim.characters] + [INK, GROUND])
    duration = painter.timeline.duration
    times = sample_times(duration, fps)
    frames = [painter.frame(t).quantize(palette=palette, dither=Image.Dither.NONE) for t in times]
    rate = len(frames) * 1000 / duration if duration > 0 else fps  # the grid's exact rate
    buf = io.BytesIO()
    frames[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=gif_durations(len(frames), rate),
        loop=0,
        disposal=1,
        palette=flat,
        optimize=False,  # the palette is already minimal; True would re-index every frame
    )
    return buf.getvalue()


def to_gif(anim: Animation, target: str | os.PathLike | IO[bytes], **opts: Any) -> Path | None:
    """Write the animated GIF to a path (returned) or a binary file object."""
    return _emit(gif_bytes(anim, **opts), target)


# --- SVG ----------------------------------------------------------------------------------
def to_svg(
    anim: Animation,
    fps: float | None = None,
    max_bytes: int | None = SVG_MAX_BYTES,
    *,
    title: bool = True,
    captions: bool = True,
    names: bool = True,
) -> str:
    """One self-contained SVG animated with SMIL (no script), looping forever.

    Sampled at `fps` (default: the animation's) on a uniform grid over all scenes, so the
    <animate> elements need no keyTimes (evenly spaced values imply them; spelling them out in
    every element would double the file). When the document would pass `max_bytes`, fewer
    samples per second are taken (down to 4): the browser interpolates between them.
    """
    rate = float(fps or anim.fps)
    if not (0 < rate <= 100):
        raise ExportError(f"SVG fps must be in (0, 100], not {rate!r}")
    svg = _svg_document(anim, rate, title, captions, names)
    while max_bytes and len(svg.encode()) > max_bytes and rate > 4:
        rate = max(4.0, rate * 0.75)
        svg = _svg_document(anim, rate, title, captions, names)
    return svg


def _svg_document(anim: Animation, fps: float, title: bool, captions: bool, names: bool) -> str:
    timeline = Timeline(anim)
    dur = timeline.duration
    root, font = _svg_root(anim, title, names)
    if captions:
        _svg_captions(root, anim, timeline, font)
    _, poster = timeline.poses_at(poster_time(anim))
    series = _series(anim, timeline, sample_times(dur, fps, closed=True)) if dur > 0 else {}
    _svg_figures(root, anim, poster, series, dur)
    return _svg_text(root)


def still_svg(
    anim: Animation, t: float | None = None, *, title: bool = True, captions: bool = True, names: bool = True
) -> str:
    """One moment as a static SVG (no animation): time t in ms on the whole clock, default poster_time().

    The PNG poster's picture, as vectors: the same shapes and labels as to_svg, frozen.
    """
    timeline = Timeline(anim)
    scene, poses = timeline.poses_at(poster_time(anim) if t is None else t)
    root, font = _svg_root(anim, title, names)
    label = caption_label(anim, scene) if captions and anim.scenes else None
    if label is not None:
        root.append(_svg_label(label, font, anim.stage.width))
    _svg_figures(root, anim, poses, {}, 0.0)
    return _svg_text(root)


def _svg_root(anim: Animation, title: bool, names: bool) -> tuple[ET.Element, dict[str, str]]:
    """The <svg> with what never moves: title, background, ground, legend; and the labels' font."""
    st = anim.stage
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {st.width} {st.height}",
            "width": str(st.width),
            "height": str(st.height),
        },
    )
    ET.SubElement(root, "title").text = _xml_text(anim.title or "stick-figure animation")
    ET.SubElement(root, "rect", {"width": "100%", "height": "100%", "fill": BACKGROUND})
    for s in backdrop_shapes(anim, names):
        root.append(_svg_shape(s, {}))
    font = {"font-family": "sans-serif", "dominant-baseline": "central"}
    for lab in static_labels(anim, title, names):
        root.append(_svg_label(lab, font, st.width))
    return root, font


def _svg_figures(
    root: ET.Element, anim: Animation, poses: Poses, series: dict[str, list[Shape]], dur: float
) -> None:
    """One <g> per character drawn at `poses`, each shape animated by its `series` (if any)."""
    still = {s.key: s for s in frame_shapes(anim, poses)}
    for char in anim.characters:
        g = ET.SubElement(
            root,
            "g",
            {"data-character": char.id, "stroke": char.color, "stroke-width": _num(LINE_WIDTH),
             "stroke-linecap": "round", "fill": "none"},
        )  # fmt: skip
        for key, shape in still.items():
            if key.startswith(char.id + ":"):
                el = _svg_shape(shape, {"data-key": key.split(":", 1)[1]}, styled=False)
                _svg_animate(el, series.get(key, []), dur)
                g.append(el)


def _svg_text(root: ET.Element) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _series(anim: Animation, timeline: Timeline, times: list[float]) -> dict[str, list[Shape]]:
    """Each shape's state at each sample time (a shape absent at some time keeps its last state)."""
    out: dict[str, list[Shape]] = {}
    for i, t in enumerate(times):
        _, poses = timeline.poses_at(t)
        for s in frame_shapes(anim, poses):
            seq = out.setdefault(s.key, [])
            seq.extend([s] * (i + 1 - len(seq)))  # fill gaps (and the start) with this state
    for seq in out.values():
        seq.extend([seq[-1]] * (len(times) - len(seq)))
    return out


_ATTRS: dict[type, tuple[str, ...]] = {Line: ("x1", "y1", "x2", "y2"), Circle: ("cx", "cy")}


def _svg_shape(s: Shape, extra: dict[str, str], styled: bool = True) -> ET.Element:
    if isinstance(s, Line):
        attrs = {"x1": _num(s.x1), "y1": _num(s.y1), "x2": _num(s.x2), "y2": _num(s.y2)}
        el = ET.Element("line", attrs | extra)
        if styled:
            el.attrib |= {"stroke": s.color, "stroke-width": _num(s.width), "stroke-linecap": "round"}
    else:
        el = ET.Element("circle", {"cx": _num(s.cx), "cy": _num(s.cy), "r": _num(s.r)} | extra)
        if styled:
            el.attrib |= {"stroke": s.color, "stroke-width": _num(s.width), "fill": "none"}
    return el


def _svg_animate(el: ET.Element, states: list[Shape], dur: float) -> None:
    """One <animate> per coordinate that changes; a constant one stays a plain attribute."""
    if len(states) < 2:
        return
    for attr in _ATTRS[type(states[0])]:
        values = [_num(getattr(s, attr)) for s in states]
        if len(set(values)) > 1:
            ET.SubElement(
                el,
                "animate",
                {"attributeName": attr, "values": ";".join(values), "dur": f"{dur / 1000:g}s",
                 "calcMode": "linear", "repeatCount": "indefinite"},
            )  # fmt: skip


def _svg_label(lab: Label, font: dict[str, str], width: float = 0) -> ET.Element:
    el = ET.Element(
        "text",
        {"x": _num(lab.x), "y": _num(lab.y), "font-size": _num(lab.size), "fill": lab.color,
         "text-anchor": lab.anchor, "data-key": lab.key} | font,
    )  # fmt: skip
    room = (width - 8 - (lab.x if lab.anchor == "start" else 0)) if width else math.inf
    el.text = _fit(_xml_text(lab.text), _SvgMeasure(lab.size), room)
    return el


class _SvgMeasure:
    """A rough text width (no font at hand): CJK and other wide characters 1 em, the rest 0.6 em."""

    def __init__(self, size: float) -> None:
        self.size = size

    def getlength(self, text: str) -> float:
        return sum(self.size * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6) for ch in text)


def _svg_captions(root: ET.Element, anim: Animation, timeline: Timeline, font: dict[str, str]) -> None:
    """Each scene's caption, visible only during its scene (discrete visibility animation)."""
    for i in range(len(anim.scenes)):
        label = caption_label(anim, i)
        if label is None:
            continue
        el = _svg_label(label, font, anim.stage.width)
        start = timeline.offsets[i] / timeline.duration if timeline.duration else 0.0
        end = start + anim.scenes[i].duration / timeline.duration if timeline.duration else 1.0
        values, key_times = ["visible"], [0.0]
        if start > 0:
            values, key_times = ["hidden", "visible"], [0.0, start]
        if end < 1 - 1e-9:
            values.append("hidden")
            key_times.append(end)
        if len(values) > 1:
            el.set("visibility", "hidden" if start > 0 else "visible")
            ET.SubElement(
                el,
                "animate",
                {"attributeName": "visibility", "values": ";".join(values),
                 "keyTimes": ";".join(f"{k:.4f}" for k in key_times), "calcMode": "discrete",
                 "dur": f"{timeline.duration / 1000:g}s", "repeatCount": "indefinite"},
            )  # fmt: skip
        root.append(el)


def _num(v: float) -> str:
    """One decimal, without a trailing '.0' or a '-0': keeps the SVG small."""
    s = f"{v:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    return "0" if s == "-0" else s


def _xml_text(s: str) -> str:
    # XML 1.0 cannot hold most control characters even escaped; drop them.
    return "".join(
        ch
        for ch in s
        if ch in "\t\n\r" or (" " <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch >= "\U00010000"
    )


# --- JSON, HTML ---------------------------------------------------------------------------
def to_json(anim: Animation, indent: int | None = None) -> str:
    """The Animation JSON, as Animation.parse reads it back."""
    return anim.to_json(indent=indent)


def to_html(anim: Animation, title: str | None = None) -> str:
    """A self-contained page with the widget's canvas player inlined; works offline from file://."""
    try:
        from .widget import standalone_html
    except ImportError as err:
        raise ExportError(f"HTML export needs the widget module, which failed to load ({err})") from None
    return standalone_html(anim, title=title)


# --- save ---------------------------------------------------------------------------------
_WRITERS: dict[str, Callable[..., bytes]] = {
    ".json": lambda anim, **o: to_json(anim, **o).encode(),
    ".gif": gif_bytes,
    ".svg": lambda anim, **o: to_svg(anim, **o).encode(),
    ".html": lambda anim, **o: to_html(anim, **o).encode(),
    ".png": png_bytes,
}
_OPTION_SOURCES: dict[str, Callable[..., Any]] = {
    ".json": to_json, ".gif": gif_bytes, ".svg": to_svg, ".html": to_html, ".png": png_bytes,
}  # fmt: skip
FORMATS: tuple[str, ...] = tuple(_WRITERS)


def save(anim: Animation, path: str | os.PathLike, **opts: Any) -> Path:
    """Write `anim` to `path` in the format its extension names; returns the path written."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in _WRITERS:
        shown = f"'{path.suffix}'" if path.suffix else "no extension"
        raise ExportError(
            f"cannot export to {path.name} ({shown}): supported extensions are {', '.join(FORMATS)}"
        )
    _check_options(ext, opts)
    return _write_atomic(path, _WRITERS[ext](anim, **opts))


def _check_options(ext: str, opts: dict[str, Any]) -> None:
    params = list(inspect.signature(_OPTION_SOURCES[ext]).parameters)[1:]  # minus the animation
    unknown = sorted(set(opts) - set(params))
    if unknown:
        known = ", ".join(params) or "none"
        raise ExportError(f"{ext} export has no option {', '.join(unknown)} (options: {known})")


def _emit(data: bytes, target: str | os.PathLike | IO[bytes]) -> Path | None:
    if isinstance(target, (str, os.PathLike)):
        return _write_atomic(Path(target), data)
    target.write(data)
    return None


def _write_atomic(path: Path, data: bytes) -> Path:
    # A reader (a notebook's <img>, a file watcher) never sees a half-written file. os.open with
    # 0o666 keeps the usual umask-derived mode (mkstemp would leave 0600).
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as err:
        # A missing directory, a read-only file...: the user's path, never the temporary one.
        raise ExportError(f"cannot write {path}: {err.strerror or type(err).__name__}") from None
    return path


# --- errors as one line -------------------------------------------------------------------
def error_line(err: BaseException, *, with_type: bool = False) -> str:
    """An exception as one short line, never a traceback: the widget's error bar, the magics' stderr.

    A StickanimError shows its message (already one safe line); anything else, or any error
    when `with_type`, reads 'Type: message'. At most MAX_ERROR_CHARS characters.
    """
    text = " ".join(str(err).split())
    if with_type or not isinstance(err, StickanimError):
        text = f"{type(err).__name__}: {text}" if text else type(err).__name__
    text = text or "(no message)"
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"
