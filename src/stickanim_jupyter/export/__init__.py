"""Exports: an Animation as JSON, animated GIF, animated SVG, PNG poster or self-contained HTML.

One drawing model (shapes.py) feeds every picture: a frame becomes a list of shapes (lines,
circles and polygons in stage units, y down) plus text labels; things.py draws each kind of
thing and bubbles.py lays speech and thought bubbles out (both mirrored by the widget's JS),
picture.py puts one moment together. raster.py paints them with Pillow (PNG, GIF), svg.py
turns each shape's values over time into SMIL <animate> elements, html.py inlines the widget's
player in a page. Pillow is imported inside the functions so that importing the
package stays cheap. save() picks the format from the path's extension.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..text import MAX_ERROR_CHARS, error_line
from .files import ExportError, write_atomic
from .fonts import CJK_FONT_PATHS, find_cjk_font, label_font
from .html import standalone_html, to_html
from .raster import (
    gif_bytes,
    gif_durations,
    paint_labels,
    paint_shapes,
    png_bytes,
    render_frame,
    to_gif,
    to_png,
)
from .shapes import (
    BACKGROUND,
    GROUND,
    INK,
    Circle,
    Label,
    Line,
    Polygon,
    Shape,
    Timeline,
    backdrop_shapes,
    caption_label,
    figure_shapes,
    frame_shapes,
    poster_time,
    sample_times,
    static_labels,
)
from .svg import SVG_MAX_BYTES, still_svg, to_svg

if TYPE_CHECKING:
    from ..schema import Animation

__all__ = [
    "save", "FORMATS", "ExportError", "error_line", "MAX_ERROR_CHARS",
    "to_json", "to_gif", "gif_bytes", "gif_durations", "to_png", "png_bytes", "render_frame",
    "to_svg", "still_svg", "SVG_MAX_BYTES", "to_html", "standalone_html",
    "Line", "Circle", "Polygon", "Label", "Shape", "figure_shapes", "frame_shapes", "backdrop_shapes",
    "static_labels", "caption_label", "Timeline", "sample_times", "poster_time",
    "paint_shapes", "paint_labels", "find_cjk_font", "label_font", "CJK_FONT_PATHS",
    "BACKGROUND", "INK", "GROUND",
]  # fmt: skip


def to_json(anim: Animation, indent: int | None = None) -> str:
    """The Animation JSON, as Animation.parse reads it back."""
    return anim.to_json(indent=indent)


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
    return write_atomic(path, _WRITERS[ext](anim, **opts))


def _check_options(ext: str, opts: dict[str, Any]) -> None:
    params = list(inspect.signature(_OPTION_SOURCES[ext]).parameters)[1:]  # minus the animation
    unknown = sorted(set(opts) - set(params))
    if unknown:
        known = ", ".join(params) or "none"
        raise ExportError(f"{ext} export has no option {', '.join(unknown)} (options: {known})")
