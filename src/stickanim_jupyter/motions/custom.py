"""Custom poses: the `pose` action, the Script's own key poses (channel angles at fractions of
the action's time), made to read: joints move no faster than a viewer can follow, and a foot that
steps lifts straight up before it swings and comes straight down where it lands."""

from __future__ import annotations

import math
from collections.abc import Mapping

from .. import rig
from ..rig import Pose, clamp, fk
from ..schema import ActionParams
from .core import Chain, Key, Keyframes, Motion, World


def pose(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """The Script's own key poses (the `pose` action), eased from one to the next."""
    frames = sorted(p.keyframes or [], key=lambda k: k.t)
    keys: list[Key] = []
    prev = dict(start.angles)
    for k in frames:
        goal = {**prev, **k.angles}
        t0 = keys[-1].t if keys else 0.0
        # no limb moves faster than a viewer can follow: a key asked too soon comes later
        # (past the action's end, the next action or idle takes over from where it got)
        t = max(k.t * dur, t0 + _largest_change(prev, goal, start) / POSE_SPEED)
        keys += _clear_feet(prev, goal, start, t0, t)
        keys.append(Key(t, dict(k.angles), posture="custom"))
        prev = goal
    return Chain(start, w).add(Keyframes(start, keys)).build(dur)


POSE_SPEED = 0.6  # degrees per ms: the fastest a custom pose moves a joint (a quick kick)


def _largest_change(a: Mapping[str, float], b: Mapping[str, float], start: Pose) -> float:
    ca, cb = clamp(a, start.facing, start.side), clamp(b, start.facing, start.side)
    return max(abs(cb[c] - ca[c]) for c in ca)


CLEARANCE = 8.0  # how high a foot lifts straight up before it swings (stage units)


def _clear_feet(
    a: Mapping[str, float], b: Mapping[str, float], start: Pose, t0: float, t1: float
) -> list[Key]:
    """In-between keys that lift a foot straight up before it swings away (and lower it straight
    down onto where it lands): a leg swinging from the hip would drag its foot over the ground."""
    ja, jb = (fk(clamp(x, start.facing, start.side), start.facing, start.side) for x in (a, b))

    def down(j: Mapping[str, rig.Point], f: str, o: str) -> bool:
        return j["foot" + f][1] >= j["foot" + o][1] - 1.0

    lift: dict[str, float] = {}
    land: dict[str, float] = {}
    for f, o in (("_l", "_r"), ("_r", "_l")):
        moves = abs(ja["foot" + f][0] - jb["foot" + f][0]) > 1.0
        stands = down(ja, o, f) and down(jb, o, f) and abs(ja["foot" + o][0] - jb["foot" + o][0]) < 1.0
        if moves and stands:  # one foot steps while the other stands
            lift |= _raised(a, f) if down(ja, f, o) else {}
            land |= _raised(b, f) if down(jb, f, o) else {}
    keys = []
    if lift:
        keys.append(Key(t0 + 0.25 * (t1 - t0), lift))
    if land:
        keys.append(Key(t0 + 0.75 * (t1 - t0), land))
    return keys


def _raised(angles: Mapping[str, float], f: str) -> dict[str, float]:
    """Hip and knee channels of leg `f` with its foot CLEARANCE above where `angles` put it."""
    h, k = angles["hip" + f], angles["knee" + f]
    r = math.radians
    dx = rig.THIGH * math.sin(r(h)) + rig.SHIN * math.sin(r(h - k))
    dy = rig.THIGH * math.cos(r(h)) + rig.SHIN * math.cos(r(h - k))
    hip, knee = rig.leg_ik(dx, dy - CLEARANCE)
    return {"hip" + f: hip, "knee" + f: knee}
