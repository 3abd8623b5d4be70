"""Speech and thought bubbles: text wrapped to a few lines, boxes placed over the speakers.

The rules, mirrored by js/src/bubbles.js (tests/test_things.py compares the two): the text is
wrapped to at most MAX_LINES lines of at most MAX_EMS font sizes (between words, or between
any two CJK characters), shrunk down to MIN_SHRINK before the last line is cut with "…". A
bubble sits centred above its speaker's head, above the name label; one that would overlap a
bubble already placed (earlier start first) moves to the nearest free spot beside, above or
below the others; every bubble stays on stage. A speech bubble's tail points at the speaker;
a thought bubble is a cloud with three small circles trailing toward the head.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from .shapes import Circle, Label, Polygon, Shape

Measure = Callable[[str, float], float]  # (text, font size) -> width, both in stage units

BUBBLE_SIZE = 18.0  # font size, stage units
MAX_LINES = 3
MAX_EMS = 16.0  # widest line, in font sizes
MIN_SHRINK = 0.75  # long text shrinks the font down to this before it is cut
LINE_HEIGHT = 1.25  # in font sizes
LIFT = 2.6  # bubble bottom above the head's top (clears the name label), in font sizes
TIP_GAP = 1.4  # the tail stops this far above the head's top, in font sizes
MARGIN = 4.0  # kept free along the stage's edges
GAP = 6.0  # between two bubbles
FILL, STROKE, TEXT = "#FFFFFF", "#424242", "#212121"
STROKE_WIDTH = 2.0
ELLIPSIS = "…"
# Wide (CJK) characters: a line may break before or after any of them.
_WIDE = re.compile(
    "[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
    "\U00020000-\U0003fffd]"
)
_TOKEN = re.compile(
    "[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
    "\U00020000-\U0003fffd]| +|[^ \u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f"
    "\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]+"
)


@dataclass(frozen=True, slots=True)
class Text:
    """A bubble's words as drawn: lines, font size and the box they need (stage units)."""

    lines: tuple[str, ...]
    size: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Bubble:
    """A placed bubble: its box (left, top, width, height), where the tail points, and its text."""

    key: str
    kind: str  # "say" | "think"
    text: Text
    left: float
    top: float
    width: float
    height: float
    tip: tuple[float, float]

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


# --- text -----------------------------------------------------------------------------------
def wrap(text: str, max_width: float, size: float, measure: Measure) -> list[str]:
    """Greedy lines of `text` no wider than max_width (a word wider than that is split anywhere)."""
    lines: list[str] = []
    cur = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.startswith(" "):
            cur = cur + " " if cur else cur
            continue
        if not cur and measure(token, size) > max_width and len(token) > 1:
            for ch in token:  # a word longer than a line: split it anywhere
                cur = _add(lines, cur, ch, max_width, size, measure)
            continue
        cur = _add(lines, cur, token, max_width, size, measure)
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def _add(lines: list[str], cur: str, token: str, max_width: float, size: float, measure: Measure) -> str:
    """`cur` + token when it fits (or cur is empty), else push `cur` and start a line with token."""
    if not cur.strip() or measure((cur + token).rstrip(), size) <= max_width:
        return cur + token
    lines.append(cur.rstrip())
    return token


def fit(text: str, max_width: float, size: float, measure: Measure) -> str:
    """`text`, or its longest prefix + "…" that fits max_width."""
    if measure(text, size) <= max_width:
        return text
    lo, hi = 0, len(text) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(text[:mid] + ELLIPSIS, size) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


def bubble_text(text: str, kind: str, measure: Measure, size: float = BUBBLE_SIZE) -> Text:
    """The lines and box of a bubble: shrunk (down to MIN_SHRINK) then cut to fit MAX_LINES."""
    max_width = MAX_EMS * size
    s = size
    lines = wrap(text, max_width, s, measure)
    while len(lines) > MAX_LINES and s > size * MIN_SHRINK + 1e-9:
        s = max(size * MIN_SHRINK, s * 0.9)
        lines = wrap(text, max_width, s, measure)
    if len(lines) > MAX_LINES:
        rest = " ".join(lines[MAX_LINES - 1 :]) if not _WIDE.search(text) else "".join(lines[MAX_LINES - 1 :])
        lines = [*lines[: MAX_LINES - 1], fit(rest + ELLIPSIS, max_width, s, measure)]
    lines = lines or [""]
    pad_x, pad_y = _padding(kind, size)
    width = max(max(measure(line, s) for line in lines) + 2 * pad_x, 2 * size)
    return Text(tuple(lines), s, width, len(lines) * LINE_HEIGHT * s + 2 * pad_y)


def _padding(kind: str, size: float) -> tuple[float, float]:
    return (0.9 * size, 0.7 * size) if kind == "think" else (0.6 * size, 0.45 * size)


# --- placement ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Speaker:
    """What a bubble needs from its speaker: the head's centre and radius."""

    key: str
    kind: str
    text: Text
    head: tuple[float, float]
    radius: float


def layout(
    speakers: list[Speaker], stage_w: float, stage_h: float, size: float = BUBBLE_SIZE
) -> list[Bubble]:
    """Place bubbles in order: each at the free spot nearest its own, on stage (see the module doc)."""
    placed: list[Bubble] = []
    for sp in speakers:
        w, h = sp.text.width, sp.text.height
        hx, hy = sp.head
        x0, y0 = hx - w / 2, hy - sp.radius - LIFT * size - h
        left, top = _best_spot(placed, x0, y0, w, h, stage_w, stage_h)
        tip = (hx, hy - sp.radius - TIP_GAP * size)
        placed.append(Bubble(sp.key, sp.kind, sp.text, left, top, w, h, tip))
    return placed


def _clamp(v: float, lo: float, hi: float) -> float:
    return max(lo, min(v, hi)) if hi >= lo else lo


def _best_spot(
    placed: list[Bubble], x0: float, y0: float, w: float, h: float, stage_w: float, stage_h: float
) -> tuple[float, float]:
    """The free (left, top) nearest (x0, y0); moving down (onto the speaker) costs double."""
    xs = [x0] + [v for p in placed for v in (p.right + GAP, p.left - GAP - w)]
    ys = [y0] + [v for p in placed for v in (p.top - GAP - h, p.bottom + GAP)]
    best: tuple[float, float] | None = None
    best_cost = math.inf
    for y in ys:
        cy = _clamp(y, MARGIN, stage_h - MARGIN - h)
        for x in xs:
            cx = _clamp(x, MARGIN, stage_w - MARGIN - w)
            if any(_overlaps(cx, cy, w, h, p) for p in placed):
                continue
            cost = abs(cx - x0) + (cy - y0) * (2 if cy > y0 else -1)
            if cost < best_cost - 1e-9:
                best, best_cost = (cx, cy), cost
    if best is None:  # no free spot on stage: keep its own place
        return _clamp(x0, MARGIN, stage_w - MARGIN - w), _clamp(y0, MARGIN, stage_h - MARGIN - h)
    return best


def _overlaps(x: float, y: float, w: float, h: float, p: Bubble) -> bool:
    return (
        x < p.right + GAP - 1e-9
        and p.left < x + w + GAP - 1e-9
        and y < p.bottom + GAP - 1e-9
        and (p.top < y + h + GAP - 1e-9)
    )


# --- shapes ---------------------------------------------------------------------------------
def tail_shapes(b: Bubble) -> list[Shape]:
    """What joins a bubble to its speaker: a speech tail, or a thought's three small circles."""
    tx, ty = b.tip
    bx, by = _tail_base(b)
    size = b.text.size
    if b.kind == "think":
        out: list[Shape] = []
        for i, (f, r) in enumerate(((0.2, 0.25), (0.52, 0.18), (0.82, 0.12))):
            cx, cy = bx + (tx - bx) * f, by + (ty - by) * f
            out.append(Circle(f"{b.key}:dot{i}f", cx, cy, r * size, FILL, 0, fill=True))
            out.append(Circle(f"{b.key}:dot{i}s", cx, cy, r * size, STROKE, STROKE_WIDTH))
        return out
    if b.left <= tx <= b.right and b.top <= ty <= b.bottom:
        return []
    half = 0.4 * size
    if ty > b.bottom or ty < b.top:
        base = ((bx - half, by), (bx + half, by))
    else:
        base = ((bx, by - half), (bx, by + half))
    pts = (base[0], (tx, ty), base[1])
    return [
        Polygon(f"{b.key}:tailf", pts, FILL, 0, fill=True),
        Polygon(f"{b.key}:tails", pts, STROKE, STROKE_WIDTH),
    ]


def _tail_base(b: Bubble) -> tuple[float, float]:
    """The middle of the tail's base: on the box edge that faces the tip, kept off the corners."""
    tx, ty = b.tip
    inset = min(0.9 * b.text.size, b.width / 2, b.height / 2)
    if ty > b.bottom or ty < b.top:
        return _clamp(tx, b.left + inset, b.right - inset), b.bottom if ty > b.bottom else b.top
    return (b.left if tx < b.left else b.right), _clamp(ty, b.top + inset, b.bottom - inset)


def body_shapes(b: Bubble) -> list[Shape]:
    """The bubble itself: a rounded box (speech) or a cloud (thought), white with a dark rim."""
    if b.kind == "think":
        # Rims first, then every fill over them: only the cloud's outer edge keeps a line.
        bumps, core = cloud_circles(b), cloud_core(b)
        rims = [
            Circle(f"{b.key}:c{i}s", x, y, r, STROKE, STROKE_WIDTH * 2) for i, (x, y, r) in enumerate(bumps)
        ]
        fills = [Circle(f"{b.key}:c{i}f", x, y, r, FILL, 0, fill=True) for i, (x, y, r) in enumerate(bumps)]
        return [*rims, *fills, Polygon(f"{b.key}:core", core, FILL, 0, fill=True)]
    pts = rounded_rect(b.left, b.top, b.width, b.height, min(0.6 * b.text.size, b.height / 2))
    return [
        Polygon(f"{b.key}:bodyf", pts, FILL, 0, fill=True),
        Polygon(f"{b.key}:bodys", pts, STROKE, STROKE_WIDTH),
    ]


def _bump(b: Bubble) -> float:
    return min(0.55 * b.text.size, b.width / 4, b.height / 4)


def cloud_circles(b: Bubble) -> list[tuple[float, float, float]]:
    """A thought cloud's bumps, (cx, cy, r): centred on the box inset by r, so they reach its edge."""
    r = _bump(b)
    il, it, ir, ib = b.left + r, b.top + r, b.right - r, b.bottom - r
    nx = max(1, math.ceil((ir - il) / (1.3 * r)))
    ny = max(1, math.ceil((ib - it) / (1.3 * r)))
    out = []
    for i in range(nx + 1):
        x = il + (ir - il) * i / nx
        out += [(x, it, r), (x, ib, r)]
    for j in range(1, ny):
        y = it + (ib - it) * j / ny
        out += [(il, y, r), (ir, y, r)]
    return out


def cloud_core(b: Bubble) -> tuple[tuple[float, float], ...]:
    """The box inset by the bump radius: filled last, it hides the bumps' inner rims."""
    r = _bump(b)
    return (
        (b.left + r, b.top + r),
        (b.right - r, b.top + r),
        (b.right - r, b.bottom - r),
        (b.left + r, b.bottom - r),
    )


def rounded_rect(
    x: float, y: float, w: float, h: float, r: float, steps: int = 4
) -> tuple[tuple[float, float], ...]:
    """A rounded rectangle as a polygon: `steps` segments per corner."""
    corners = (
        (x + w - r, y + r, -90),
        (x + w - r, y + h - r, 0),
        (x + r, y + h - r, 90),
        (x + r, y + r, 180),
    )
    pts = []
    for cx, cy, start in corners:
        for k in range(steps + 1):
            a = math.radians(start + 90 * k / steps)
            pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return tuple(pts)


def text_labels(b: Bubble) -> list[Label]:
    """The bubble's lines, centred in its box."""
    t = b.text
    pad_y = (b.height - len(t.lines) * LINE_HEIGHT * t.size) / 2
    cx = b.left + b.width / 2
    return [
        Label(
            f"{b.key}:line{i}",
            cx,
            b.top + pad_y + LINE_HEIGHT * t.size * (i + 0.5),
            line,
            t.size,
            TEXT,
            "middle",
        )
        for i, line in enumerate(t.lines)
    ]
