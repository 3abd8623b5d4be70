"""Where things stand: placed for the action that first uses them, or in a free spot."""

from __future__ import annotations

from ...props import SIZES
from ...schema import Stage
from .model import _Act, _Thing
from .things import AFAR, HELD_KINDS, IN_FRONT, UNDER

_STAGE_WIDTH = float(Stage().width)
_GAP = 0.05  # between a figure's pelvis and the near edge of the thing it reaches for
_AFAR = 0.3  # how far a thing one walks to, points or looks at starts


def half_width(thing: _Thing) -> float:
    """Half the thing's width, in stage widths."""
    return SIZES[thing.kind][0] / _STAGE_WIDTH / 2


def reach(thing: _Thing) -> float:
    """How far from a thing's centre a figure stands to touch it."""
    return half_width(thing) + _GAP


def place_for(thing: _Thing, a: _Act, here: float) -> None:
    """Put a thing not yet placed where act `a`, done from `here`, needs it."""
    if thing.x is not None:
        return
    side = 1 if here <= 0.5 else -1  # toward the middle of the stage, where there is room
    if a.direction in ("left", "right"):
        side = 1 if a.direction == "right" else -1
    if a.action in UNDER:
        offset = 0.0
    elif a.action in IN_FRONT or a.over is not None:
        offset = reach(thing) + 0.01
    elif a.action in AFAR:
        offset = _AFAR
    elif thing.kind in HELD_KINDS:
        offset = 0.04
    else:
        offset = 0.1
    thing.x = clamp(thing, here + side * offset)


def clamp(thing: _Thing, x: float) -> float:
    """Keep the whole thing on the stage."""
    edge = min(0.5, half_width(thing) + 0.01)
    return round(min(1 - edge, max(edge, x)), 3)


def place_rest(things: list[_Thing], xs: list[float]) -> None:
    """Things no action uses: in the free spot farthest from everyone and everything."""
    for thing in things:
        if thing.x is not None:
            continue
        taken = [*xs, *(t.x for t in things if t.x is not None)]
        spots = [0.1 + 0.05 * k for k in range(17)]
        thing.x = clamp(thing, max(spots, key=lambda x: (min((abs(x - t) for t in taken), default=1.0), -x)))
