"""Bodies do not pass through each other: how far anything that carries a figure along the stage
(a walk or run, the approach to someone or something, a jump forward, a stagger back) may go
along its way without meeting the others, where they stand now and where their planned paths
take them meanwhile; and which way a figure getting down may lie without landing on someone.

On a line, two bodies that never overlap never change order: a mover only has to stay short of
the nearest other ahead of it, at every moment its plan holds. Whoever is planned later stops
short of whoever was planned earlier; a walk planned first, toward someone who will come its way
later (World.oncoming), leaves them their share of the gap. Whom a mover means to reach (the
target of a blow or a hug) is `spared`: it may come as close to them as its action needs.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol, TypeVar

from ..rig import Pose, fk, foot_anchor
from .core import H, World, sign

PASS_GAP = 0.4 * H  # a walk stops this far (pelvis to pelvis) from someone in its way
LANE_MS = 25.0  # how often the others' paths are looked at (a run moves 0.05 H meanwhile)
SLACK = 0.5  # stage units: rounding
UPRIGHT = ("stand", "sit", "kneel", "squat", "custom")  # postures whose trunk is in the way
BODY_GAP = 0.2 * H  # a body getting down keeps its trunk this far from another's pelvis


class Travel(Protocol):
    """A motion that carries the pelvis along its way (a Gait, a Jump)."""

    def along(self, t: float) -> float: ...  # how far along its way the pelvis is at `t` ms


T = TypeVar("T", bound=Travel)


@dataclass(frozen=True, slots=True)
class Lane:
    """How far a mover may be along its way (from where it starts, in its direction) at each time
    (ms since the action start): PASS_GAP short of the nearest standing other ahead."""

    times: tuple[float, ...]
    limit: tuple[float, ...]  # math.inf: no one ahead then

    def last(self) -> float:
        """How far it may end up: it stands there until its plan no longer holds."""
        return self.limit[-1] if self.limit else math.inf

    def clears(self, move: Travel, t0: float) -> bool:
        """Does `move`, started `t0` ms into the action, stay short of the others all along?
        (Someone already closer than PASS_GAP only keeps it from stepping toward them.)"""
        return all(
            move.along(t - t0) <= max(lim, 0.0) + SLACK for t, lim in zip(self.times, self.limit, strict=True)
        )


def lane(start: Pose, sig: int, w: World, t0: float, spared: Collection[str] = ()) -> Lane:
    """The Lane of a move from `start`, `t0` ms into the action, in direction `sig`: the others
    ahead of it then (but the `spared`), along their planned paths until the plan horizon; those
    without a plan where they stood when the action started."""
    paths = [_path(w, o) for o in {*w.plans, *w.others} if o not in spared]
    ahead = [p for p in paths if (_spot(p(t0)) - start.x) * sig > 1e-6]
    if not ahead:
        return Lane((), ())
    end = max(w.horizon, t0)
    # on a grid from the action's start, not from t0: the plans remember the instants they
    # were asked about, and every move of one action asks about the same ones
    grid = (k * LANE_MS for k in range(math.floor(t0 / LANE_MS) + 1, math.ceil(end / LANE_MS)))
    times = (t0, *grid, end) if end > t0 else (t0,)
    return Lane(times, tuple(_nearest(start.x, sig, [p(t) for p in ahead]) for t in times))


def _path(w: World, who: str) -> Callable[[float], Pose]:
    plan = w.plans.get(who)
    if plan is not None:
        return plan
    pose = w.others[who]
    return lambda t: pose


def _spot(pose: Pose) -> float:
    """Where a figure is in the way of a mover: an upright one's pelvis; one lying or on all
    fours, its feet, where it stands up (a mover may step over its body, not stand on its feet)."""
    if pose.posture in UPRIGHT:
        return pose.x
    rel = pose.rel if pose.rel is not None else fk(pose.angles, pose.facing, pose.side)
    return pose.x + foot_anchor(rel)


def _nearest(x0: float, sig: int, poses: list[Pose]) -> float:
    """How far past `x0` (direction `sig`) a mover may be, short of the `poses` (see _spot)."""
    return min([math.inf, *((_spot(p) - x0) * sig - PASS_GAP for p in poses)])


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


def clear_gait(make: Callable[[float], T | None], room: float, lane: Lane, t0: float) -> T | None:
    """`make(room)` if it stays clear of the others, else the move going furthest that does
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


def clear_move(
    start: Pose,
    goal_x: float,
    w: World,
    t0: float,
    make: Callable[[float], T | None],
    spared: Collection[str] = (),
) -> T | None:
    """`make(goal_x)` (a move from `start`, `t0` ms into the action), or the one toward a nearer
    goal that goes furthest without passing through anyone but the `spared`."""
    sig = sign(goal_x - start.x)
    ahead = lane(start, sig, w, t0, spared)
    room = min(abs(goal_x - start.x), max(0.0, ahead.last()))
    return clear_gait(lambda r: make(start.x + sig * r), room, ahead, t0)


def crowded(x0: float, x1: float, w: World, t0: float, t1: float, spared: Collection[str] = ()) -> float:
    """How close (stage units, negative: inside) the upright others come, between `t0` and `t1` ms
    into the action, to the span from `x0` to `x1` where a figure gets down: BODY_GAP is room."""
    lo, hi = min(x0, x1), max(x0, x1)
    n = max(1, math.ceil((t1 - t0) / (4 * LANE_MS)))
    worst = math.inf
    for o in {*w.plans, *w.others}:
        if o in spared:
            continue
        path = _path(w, o)
        for i in range(n + 1):
            p = path(t0 + (t1 - t0) * i / n)
            if p.posture in UPRIGHT:
                worst = min(worst, max(lo - p.x, p.x - hi))
    return worst
