"""How each kind of thing (prop) is drawn: a few primitives in the thing's own frame.

The frame: origin at the thing's bottom centre, u to the right, v down (so the thing spans
v in [-height, 0]), in stage units. A frame's place (x, y, angle in degrees) moves and turns
that frame onto the stage (a positive angle turns clockwise on screen, as the canvas does).
js/src/things.js draws the same primitives (tests/test_things.py compares the two), so the
widget, the static view and every export show a thing alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .shapes import Circle, Line, Polygon, Shape

if TYPE_CHECKING:
    from ..schema import AnimProp, PropPlace

# Small things drawn over the figures (held, carried, thrown); the rest stand behind them.
FRONT_KINDS: frozenset[str] = frozenset({"ball", "box", "book", "cup", "phone", "flower"})
WHITE, WOOD, GLASS, TIRE, HUB, GOLD, LEAF, YELLOW = (
    "#FFFFFF", "#795548", "#BBDEFB", "#212121", "#BDBDBD", "#FFC107", "#43A047", "#FFEB3B",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Prim:
    """One primitive: a polygon (flat u, v pairs), a circle (cx, cy, r) or a line (x1, y1, x2, y2)."""

    type: Literal["poly", "circle", "line"]
    pts: tuple[float, ...]
    fill: str | None
    stroke: str | None
    width: float


def shade(color: str, k: float) -> str:
    """`color` (#RRGGBB) with each channel times k (k < 1 darkens), rounded half up."""
    channels = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{min(255, int(c * k + 0.5)):02X}" for c in channels)


def _rect(x0: float, y0: float, x1: float, y1: float, fill: str | None, stroke: str | None, w: float) -> Prim:
    return Prim("poly", (x0, y0, x1, y0, x1, y1, x0, y1), fill, stroke, w)


def _poly(pts: tuple[float, ...], fill: str | None, stroke: str | None, w: float) -> Prim:
    return Prim("poly", pts, fill, stroke, w)


def _circle(cx: float, cy: float, r: float, fill: str | None, stroke: str | None, w: float) -> Prim:
    return Prim("circle", (cx, cy, r), fill, stroke, w)


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, w: float) -> Prim:
    return Prim("line", (x1, y1, x2, y2), None, stroke, w)


def prop_primitives(kind: str, w: float, h: float, color: str) -> list[Prim]:
    """The primitives of a `kind` thing `w` x `h` stage units in `color`, in drawing order."""
    o = shade(color, 0.6)
    lw = min(max(min(w, h) * 0.06, 1.5), 4.0)
    draw = _KINDS.get(kind, _box)
    return draw(w, h, color, o, lw)


def _ball(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    r = min(w, h) / 2
    return [_circle(0, -r, r, c, o, lw), _circle(-r * 0.35, -r - r * 0.35, r * 0.22, WHITE, None, 0)]


def _box(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    return [
        _rect(-w / 2, -h, w / 2, 0, c, o, lw),
        _line(-w / 2, -h * 0.78, w / 2, -h * 0.78, o, lw),
        _line(0, -h, 0, -h * 0.78, o, lw),
    ]


def _chair(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    t = h * 0.07
    seat = -h * 0.5
    leg = max(lw, t * 0.8)
    return [
        _line(-w / 2 + t * 0.6, seat, -w / 2 + t * 0.6, 0, o, leg),
        _line(w / 2 - t * 0.6, seat, w / 2 - t * 0.6, 0, o, leg),
        _rect(-w / 2, -h, -w / 2 + t * 1.2, seat - t, c, o, lw),
        _rect(-w / 2, seat - t, w / 2, seat, c, o, lw),
    ]


def _table(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    t = h * 0.12
    leg = max(lw, w * 0.04)
    return [
        _line(-w / 2 + w * 0.08, -h + t, -w / 2 + w * 0.08, 0, o, leg),
        _line(w / 2 - w * 0.08, -h + t, w / 2 - w * 0.08, 0, o, leg),
        _rect(-w / 2, -h, w / 2, -h + t, c, o, lw),
    ]


def _bed(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    return [
        _rect(-w / 2, -h, -w / 2 + w * 0.05, 0, c, o, lw),
        _rect(w / 2 - w * 0.04, -h * 0.75, w / 2, 0, c, o, lw),
        _rect(-w / 2 + w * 0.05, -h * 0.45, w / 2 - w * 0.04, -h * 0.15, c, o, lw),
        _rect(-w / 2 + w * 0.05, -h * 0.7, w / 2 - w * 0.04, -h * 0.45, "#ECEFF1", o, lw),
        _rect(-w / 2 + w * 0.07, -h * 0.92, -w / 2 + w * 0.24, -h * 0.7, WHITE, o, lw),
    ]


def _door(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    return [
        _rect(-w / 2, -h, w / 2, 0, c, o, lw),
        _rect(-w * 0.32, -h * 0.92, w * 0.18, -h * 0.56, None, o, lw),
        _rect(-w * 0.32, -h * 0.44, w * 0.18, -h * 0.08, None, o, lw),
        _circle(w * 0.33, -h * 0.5, max(2.0, w * 0.06), GOLD, o, lw),
    ]


def _tree(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    r = w * 0.3
    crown = ((-w * 0.2, -h + r * 2.1), (w * 0.2, -h + r * 2.1), (0.0, -h + r * 2.1), (0.0, -h + r))
    # Stroke every circle, then fill them all: only the crown's outer rim keeps a line.
    return [
        _rect(-w * 0.08, -h + r * 2.1, w * 0.08, 0, WOOD, shade(WOOD, 0.6), lw),
        *(_circle(x, y, r, None, o, lw * 2) for x, y in crown),
        *(_circle(x, y, r, c, None, 0) for x, y in crown),
    ]


def _ladder(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    rail = max(lw, w * 0.08)
    n = max(3, round(h / 28))
    rungs = [_line(-w * 0.4, -h * (i + 0.5) / n, w * 0.4, -h * (i + 0.5) / n, c, lw * 1.2) for i in range(n)]
    return [*rungs, _line(-w * 0.4, 0, -w * 0.4, -h, o, rail), _line(w * 0.4, 0, w * 0.4, -h, o, rail)]


def _book(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    return [
        _rect(-w / 2, -h, w / 2, 0, c, o, lw),
        _line(-w / 2 + w * 0.15, -h, -w / 2 + w * 0.15, 0, o, lw),
        _line(-w * 0.1, -h * 0.65, w * 0.3, -h * 0.65, WHITE, lw),
    ]


def _cup(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    return [
        _circle(w * 0.5, -h * 0.55, h * 0.2, None, o, lw * 1.2),
        _poly((-w / 2, -h, w / 2, -h, w * 0.38, 0, -w * 0.38, 0), c, o, lw),
    ]


def _board(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    ink = _ink(c)
    return [
        _line(-w * 0.38, -h * 0.3, -w * 0.44, 0, o, lw * 1.5),
        _line(w * 0.38, -h * 0.3, w * 0.44, 0, o, lw * 1.5),
        _rect(-w / 2, -h, w / 2, -h * 0.3, c, HUB, lw * 1.5),
        _line(-w * 0.45, -h * 0.3, w * 0.45, -h * 0.3, o, lw * 1.5),
        _line(-w * 0.35, -h * 0.82, w * 0.1, -h * 0.82, ink, lw * 0.8),
        _line(-w * 0.35, -h * 0.66, w * 0.25, -h * 0.66, ink, lw * 0.8),
        _line(-w * 0.35, -h * 0.5, -w * 0.05, -h * 0.5, ink, lw * 0.8),
    ]


def _ink(c: str) -> str:
    """Chalk on a dark board, marker on a light one."""
    dark = sum(int(c[i : i + 2], 16) for i in (1, 3, 5)) < 384
    return "#ECEFF1" if dark else shade(c, 0.45)


def _car(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    r = h * 0.2
    return [
        _poly((-w * 0.3, -h * 0.6, -w * 0.18, -h, w * 0.15, -h, w * 0.3, -h * 0.6), c, o, lw),
        _poly((-w * 0.25, -h * 0.62, -w * 0.16, -h * 0.92, -w * 0.02, -h * 0.92, -w * 0.02, -h * 0.62), GLASS, o, lw),
        _poly((w * 0.02, -h * 0.62, w * 0.02, -h * 0.92, w * 0.13, -h * 0.92, w * 0.24, -h * 0.62), GLASS, o, lw),
        _poly((-w / 2, -h * 0.2, -w / 2, -h * 0.52, -w * 0.44, -h * 0.6, w * 0.44, -h * 0.6, w / 2, -h * 0.48,
               w / 2, -h * 0.2), c, o, lw),
        _circle(-w * 0.3, -r, r, TIRE, None, 0),
        _circle(w * 0.3, -r, r, TIRE, None, 0),
        _circle(-w * 0.3, -r, r * 0.4, HUB, None, 0),
        _circle(w * 0.3, -r, r * 0.4, HUB, None, 0),
    ]  # fmt: skip


def _phone(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    return [
        _rect(-w / 2, -h, w / 2, 0, c, o, lw),
        _rect(-w / 2 + w * 0.15, -h + h * 0.12, w / 2 - w * 0.15, -h * 0.2, "#90CAF9", None, 0),
    ]


def _flower(w: float, h: float, c: str, o: str, lw: float) -> list[Prim]:
    cy = -h + w * 0.45
    petals = [
        _circle(math.cos(a) * w * 0.22, cy + math.sin(a) * w * 0.22, w * 0.2, c, None, 0)
        for a in (math.radians(-90 + 72 * k) for k in range(5))
    ]
    return [
        _line(0, 0, 0, cy, LEAF, max(lw, w * 0.08)),
        _poly((0, -h * 0.3, w * 0.3, -h * 0.45, w * 0.05, -h * 0.42), LEAF, None, 0),
        *petals,
        _circle(0, cy, w * 0.16, YELLOW, None, 0),
    ]


_KINDS = {
    "ball": _ball, "box": _box, "chair": _chair, "table": _table, "bed": _bed, "door": _door,
    "tree": _tree, "ladder": _ladder, "book": _book, "cup": _cup, "board": _board, "car": _car,
    "phone": _phone, "flower": _flower,
}  # fmt: skip


# --- onto the stage -------------------------------------------------------------------------
def local_shapes(prop: AnimProp) -> list[Shape]:
    """The thing's shapes in its own frame (keys "prop:<id>:<n>"); fill before stroke per primitive."""
    out: list[Shape] = []
    for i, p in enumerate(prop_primitives(prop.kind, prop.width, prop.height, prop.color)):
        key = f"prop:{prop.id}:{i}"
        if p.type == "line":
            x1, y1, x2, y2 = p.pts
            out.append(Line(key, x1, y1, x2, y2, p.stroke or "#000000", p.width))
            continue
        for paint, filled in ((p.fill, True), (p.stroke, False)):
            if paint is None:
                continue
            suffix = "f" if filled else "s"
            if p.type == "circle":
                cx, cy, r = p.pts
                out.append(Circle(f"{key}{suffix}", cx, cy, r, paint, p.width, fill=filled))
            else:
                out.append(Polygon(f"{key}{suffix}", _pairs(p.pts), paint, p.width, fill=filled))
    return out


def _pairs(flat: tuple[float, ...]) -> tuple[tuple[float, float], ...]:
    return tuple((flat[i], flat[i + 1]) for i in range(0, len(flat), 2))


def placed(shapes: list[Shape], place: PropPlace) -> list[Shape]:
    """Shapes of a thing's own frame moved and turned to `place` (x, y, angle in degrees)."""
    x, y, angle = place
    a = math.radians(angle)
    cos, sin = math.cos(a), math.sin(a)

    def move(u: float, v: float) -> tuple[float, float]:
        return x + u * cos - v * sin, y + u * sin + v * cos

    out: list[Shape] = []
    for s in shapes:
        if isinstance(s, Line):
            (x1, y1), (x2, y2) = move(s.x1, s.y1), move(s.x2, s.y2)
            out.append(Line(s.key, x1, y1, x2, y2, s.color, s.width))
        elif isinstance(s, Circle):
            cx, cy = move(s.cx, s.cy)
            out.append(Circle(s.key, cx, cy, s.r, s.color, s.width, fill=s.fill))
        else:
            out.append(Polygon(s.key, tuple(move(u, v) for u, v in s.points), s.color, s.width, fill=s.fill))
    return out


def is_front(prop: AnimProp) -> bool:
    """Drawn over the figures (a held or thrown thing), else behind them (furniture, trees, cars)."""
    return prop.kind in FRONT_KINDS


def prop_colors(prop: AnimProp) -> list[str]:
    """Every colour a thing is drawn in (a GIF palette needs them)."""
    prims = prop_primitives(prop.kind, prop.width, prop.height, prop.color)
    return list(dict.fromkeys(c for p in prims for c in (p.fill, p.stroke) if c))
