"""Fonts for text in raster exports, and cutting text to a measured width.

Pillow is imported inside the functions so that importing the package stays cheap.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import ImageFont

# Checked before asking fontconfig: Debian's fonts-wqy-microhei and fonts-noto-cjk.
CJK_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


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


def fit_text(text: str, font: Any, max_width: float) -> str:
    """Cut `text` with an ellipsis so that it fits `max_width` (font: anything with getlength)."""
    if font.getlength(text) <= max_width:
        return text
    dots = "..." if text.isascii() else "…"
    while text and font.getlength(text + dots) > max_width:
        text = text[:-1]
    return text + dots if text else ""


MEASURE_PX = 64  # text is measured at this size, then scaled: layouts do not depend on the export's scale


def text_measure() -> Callable[[str, float], float]:
    """(text, size) -> width in the same units as size: the CJK font's advance widths, else an estimate."""
    path = find_cjk_font()
    if path is None:
        return rough_width
    font = _truetype(path, MEASURE_PX)

    def measure(text: str, size: float) -> float:
        return font.getlength(text) * size / MEASURE_PX

    return measure


def rough_width(text: str, size: float) -> float:
    """A width without a font: wide (CJK) characters 1 em, the others 0.6 em."""
    return sum(size * (1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6) for ch in text)
