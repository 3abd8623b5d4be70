"""Raster exports: frames painted with Pillow, as a PNG poster or an animated GIF.

Strokes are drawn supersampled, then downsampled with LANCZOS, for anti-aliased lines. Pillow is
imported inside the functions so that importing the package stays cheap.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .files import ExportError, emit
from .fonts import fit_text, label_font
from .picture import Picture, prop_inks
from .shapes import (
    BACKGROUND,
    GROUND,
    INK,
    Label,
    Line,
    Polygon,
    Shape,
    Timeline,
    backdrop_shapes,
    caption_label,
    extent,
    poster_time,
    sample_times,
    static_labels,
)

if TYPE_CHECKING:
    from PIL import Image, ImageDraw

    from ..schema import Animation

SUPERSAMPLE = 3  # raster strokes are drawn at 3x, then downsampled
GIF_MAX_PIXELS = 500_000_000  # all frames together, at one byte per pixel while Pillow encodes
GIF_MIN_FPS = 8.0


# --- painting -----------------------------------------------------------------------------
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

    x0, y0, x1, y1 = extent(shapes)
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
            _round_line(draw, ends, w)
        elif isinstance(s, Polygon):
            pts = [pt(x, y) for x, y in s.points]
            if s.fill:
                draw.polygon(pts, fill=255)
            else:
                _round_line(draw, [*pts, pts[0]], w)
        elif s.fill:
            cx, cy = pt(s.cx, s.cy)
            r = s.r * scale * k
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
        else:
            cx, cy = pt(s.cx, s.cy)
            r = s.r * scale * k + w / 2  # Pillow strokes inward from the bounding box
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=max(1, round(w)))
    small = mask.resize((right - left, bottom - top), Image.Resampling.LANCZOS)
    img.paste(_rgb(shapes[0].color), (left, top, right, bottom), small)


def _round_line(draw: ImageDraw.ImageDraw, pts: list[tuple[float, float]], w: float) -> None:
    """A polyline with round joins and caps, as SVG's and the canvas's round line caps."""
    draw.line(pts, fill=255, width=max(1, round(w)))
    for cx, cy in pts:
        draw.ellipse((cx - w / 2, cy - w / 2, cx + w / 2, cy + w / 2), fill=255)


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
        text = fit_text(lab.text, font, room)
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
        self.picture = Picture(anim)
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
        moment = self.timeline.at(t)
        img = self.backdrop(moment.scene).copy()
        shapes, labels = self.picture.at(moment)
        paint_shapes(img, shapes, self.scale)
        paint_labels(img, labels, self.scale)
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
    return emit(png_bytes(anim, t, **opts), target)


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
    colors: list[tuple[int, ...]] = [bg]
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
    palette, flat = _palette([c.color for c in anim.characters] + [INK, GROUND] + prop_inks(anim.props))
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
    return emit(gif_bytes(anim, **opts), target)
