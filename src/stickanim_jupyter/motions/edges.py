"""Room at the stage edges: an action that would reach over an edge makes room first.

The compiler keeps every figure on the stage by shifting it sideways for the frame (see
:func:`on_stage_x`); done while a foot is on the ground, that shift drags the foot. So the
motion of an action is checked against the stage before it is used: if it would need that shift,
the character first steps inward (a short walk, backing away from an edge it faces) and does
the action from there, in the time left; without the time for a step, the motion plays only as
far as it fits and holds there (the Idle that follows relaxes it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace

from .. import rig
from ..rig import Pose
from .core import Chain, H, Motion, Sequence, World, profile_sign, sign
from .cues import Staged
from .gait import WALK, fit_gait
from .postures import face_within

PROBE_MS = 10.0  # how often a motion is looked at near an edge
FAST = 2.5  # units per ms: no part of a figure moves faster (walking, and a limb swinging)...
QUICK_MS = 500.0  # ...in a motion longer than this (a quicker one is looked at 40 times or more)
PELVIS_FAST = 1.5  # units per ms: no pelvis moves faster (and no joint is further than H from it)
SLACK = 4.0  # units a figure keeps from an edge it had room from (breathing arms stay on)
STEP_SHARE = 0.45  # of an action's time, the most a step inward may take
MAX_STEP_MS = 1100.0
TRIES = 3  # step further in when the action, built from there, still reaches over

Build = Callable[[Pose, float], Motion]  # (start pose, ms) -> the action's motion


def figure(pose: Pose) -> tuple[Mapping[str, float], Mapping[str, rig.Point]]:
    """(clamped angles, joints relative to the pelvis) of a pose, as it is drawn."""
    if pose.rel is not None:  # computed by the motion from clamped angles
        return pose.angles, pose.rel
    angles = rig.clamp(pose.angles, pose.facing, pose.side)
    return angles, rig.fk(angles, pose.facing, pose.side)


def bounds(rel: Mapping[str, rig.Point]) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) of a figure relative to its pelvis, the head with its circle."""
    r = rig.HEAD_RADIUS
    hx, hy = rel["head"]
    x0, x1, y0, y1 = hx - r, hx + r, hy - r, hy + r
    for px, py in rel.values():  # plain comparisons: this runs for every figure in every frame
        if px < x0:
            x0 = px
        elif px > x1:
            x1 = px
        if py < y0:
            y0 = py
        elif py > y1:
            y1 = py
    return x0, x1, y0, y1


def on_stage_x(x: float, x0: float, x1: float, width: float) -> float:
    """The root x nearest `x` that keeps a figure spanning x0..x1 (from its pelvis) on the stage."""
    lo, hi = -x0, width - x1
    return min(max(x, lo), hi) if lo <= hi else (lo + hi) / 2


def _over(pose: Pose, lo: float, hi: float) -> float:
    """How far the figure reaches past `lo` (negative) or `hi` (positive); 0 inside."""
    x0, x1, _, _ = bounds(figure(pose)[1])
    left, right = pose.x + x0, pose.x + x1
    return left - lo if left < lo else right - hi if right > hi else 0.0


def _band(start: Pose, width: float) -> tuple[float, float]:
    """Where the figure must stay: SLACK in from each edge, or as far in as it starts."""
    x0, x1, _, _ = bounds(figure(start)[1])
    return min(SLACK, max(0.0, start.x + x0)), max(width - SLACK, min(width, start.x + x1))


def reach_over(motion: Motion, start: Pose, width: float, dur: float) -> tuple[float, float]:
    """(how far the motion reaches over its band in its first `dur` ms, signed: + right; the
    last time it is still inside before it first goes over). Looked at every PROBE_MS near an
    edge; far from it, as seldom as a figure moving at FAST (its pelvis at PELVIS_FAST) could
    still get there."""
    lo, hi = _band(start, width)
    end = min(motion.duration, dur)
    quick = end <= QUICK_MS
    fast, probe = (math.inf, max(0.01, min(PROBE_MS, end / 40))) if quick else (FAST, PROBE_MS)
    worst, fits, t, last = 0.0, end, 0.0, 0.0
    while True:
        pose = motion.sample(t)
        x0, x1, _, _ = bounds(figure(pose)[1])
        left, right = pose.x + x0 - lo, hi - pose.x - x1  # room on each side
        if min(left, right) < 0.0 and pose.lift <= 0.0:  # (shifted in the air, no foot drags)
            if fits == end:
                fits = _last_inside(motion, last, t, lo, hi)
            over = left if left < 0.0 else -right
            worst = over if abs(over) > abs(worst) else worst
        if t >= end:
            return worst, fits
        last = t
        far = min(pose.x - lo, hi - pose.x) - H  # the pelvis this far from where a joint could be over
        t = min(t + max(probe, min(left, right) / fast, far / PELVIS_FAST), end)


def _last_inside(motion: Motion, a: float, b: float, lo: float, hi: float) -> float:
    """About when, between `a` (inside lo..hi) and `b` (over), the motion goes over."""
    for _ in range(6):
        m = (a + b) / 2
        a, b = (m, b) if not _over(motion.sample(m), lo, hi) else (a, m)
    return a


def with_room(build: Build, start: Pose, dur: float, world: World) -> Motion:
    """The motion of an action from `start`, never reaching over a stage edge (see the module)."""
    motion = build(start, dur)
    over, fits = reach_over(motion, start, world.width, dur)
    if not over:
        return motion
    return _stepped_in(build, start, dur, world, over) or Held(motion, fits)


def _stepped_in(build: Build, start: Pose, dur: float, world: World, over: float) -> Motion | None:
    """A step inward, far enough, then the action from there; None without the time for it."""
    if start.posture != "stand" or start.lift > 0.0:
        return None
    budget = min(STEP_SHARE * dur, MAX_STEP_MS)
    way = -sign(over)
    dist = abs(over) + 1.0
    for _ in range(TRIES):
        chain = Chain(start, world)
        if abs(start.facing) < 1.0:  # from the front: turn to walk in
            face_within(chain, float(way), budget)
        facing = profile_sign(chain.end)
        gait = fit_gait(chain.end, chain.end.x + way * dist, facing, WALK, 1.0, budget - chain.t)
        if gait is None or gait.dist < dist - 0.5 or chain.t + gait.duration > budget:
            return None
        chain.add(gait)
        rest = build(chain.end, dur - chain.t)
        more, _ = reach_over(rest, chain.end, world.width, dur - chain.t)
        if not more:
            return _then(chain, rest)
        if sign(more) != sign(over):  # now it reaches over the other edge: no room either way
            return None
        dist += abs(more) + 1.0
    return None


def _then(chain: Chain, action: Motion) -> Motion:
    """The step, then the action (what it does to things: as much later)."""
    both = Sequence([*chain.parts, action])
    cues = getattr(action, "cues", None)
    if not cues:
        return both
    return Staged(both, [replace(c, t=c.t + chain.t) for c in cues])


class Held:
    """A motion played until `until` ms, then held there (the rest of it would leave the stage)."""

    def __init__(self, motion: Motion, until: float) -> None:
        self.motion, self.until = motion, until
        self.cues = [c for c in getattr(motion, "cues", ()) if c.t <= until]

    @property
    def duration(self) -> float:
        return self.motion.duration

    def sample(self, t: float) -> Pose:
        return self.motion.sample(min(t, self.until))
