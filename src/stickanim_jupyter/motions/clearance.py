"""Bodies do not pass through each other: how far a walk or run may go along its way without
meeting the others, where they stand now and where their planned paths take them meanwhile.

On a line, two bodies that never overlap never change order: a mover only has to stay short of
the nearest other ahead of it, at every moment its plan holds. Whoever is planned later stops
short of whoever was planned earlier; a walk planned first, toward someone who will come its way
later (World.oncoming), leaves them their share of the gap.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..rig import Pose
from .core import H, World
from .gait import Gait

PASS_GAP = 0.4 * H  # a walk stops this far (pelvis to pelvis) from someone in its way
LANE_MS = 25.0  # how often the others' paths are looked at (a run moves 0.05 H meanwhile)
SLACK = 0.5  # stage units: rounding


@dataclass(frozen=True, slots=True)
class Lane:
    """How far a mover may be along its way (from where it starts, in its direction) at each time
    (ms since the action start): PASS_GAP short of the nearest standing other ahead."""

    times: tuple[float, ...]
    limit: tuple[float, ...]  # math.inf: no one ahead then

    def last(self) -> float:
        """How far it may end up: it stands there until its plan no longer holds."""
        return self.limit[-1] if self.limit else math.inf

    def clears(self, gait: Gait, t0: float) -> bool:
        """Does `gait`, started `t0` ms into the action, stay short of the others all along?
        (Someone already closer than PASS_GAP only keeps it from stepping toward them.)"""
        return all(
            gait.along(t - t0) <= max(lim, 0.0) + SLACK for t, lim in zip(self.times, self.limit, strict=True)
        )


def lane(start: Pose, sig: int, w: World, t0: float) -> Lane:
    """The Lane of a gait from `start`, `t0` ms into the action, moving in direction `sig`:
    the others ahead of it then, along their planned paths until the plan horizon."""
    ahead = [plan for plan in w.plans.values() if (plan(t0).x - start.x) * sig > 1e-6]
    if not ahead:
        return Lane((), ())
    n = max(1, math.ceil((w.horizon - t0) / LANE_MS))
    times = tuple(t0 + (w.horizon - t0) * i / n for i in range(n + 1))
    return Lane(times, tuple(_nearest(start.x, sig, [p(t) for p in ahead]) for t in times))


def _nearest(x0: float, sig: int, poses: list[Pose]) -> float:
    """How far past `x0` (direction `sig`) a mover may be, short of the standing `poses`."""
    return min([math.inf, *((p.x - x0) * sig - PASS_GAP for p in poses if p.posture == "stand")])


def oncoming_room(start: Pose, sig: int, w: World) -> float:
    """How far toward the others who will come this way later (not yet planned) a walk may go:
    each keeps what it comes (up to half the gap, as when two walk toward each other)."""
    room = math.inf
    for o, come in w.oncoming.items():
        pose = w.others.get(o)
        gap = (pose.x - start.x) * sig - PASS_GAP if pose is not None else -1.0
        if gap > 0 and pose is not None and pose.posture == "stand":
            room = min(room, gap - min(come, gap / 2))
    return room


def clear_gait(make: Callable[[float], Gait | None], room: float, lane: Lane, t0: float) -> Gait | None:
    """`make(room)` if it stays clear of the others, else the gait going furthest that does
    (bisected on the room it is given; None: not a step)."""
    gait = make(room)
    if gait is None or lane.clears(gait, t0):
        return gait
    lo, hi, best = 0.0, room, None
    for _ in range(8):
        mid = (lo + hi) / 2
        g = make(mid)
        if g is None or lane.clears(g, t0):
            lo, best = mid, g or best
        else:
            hi = mid
    return best
