"""Stepping feet: when a pose change moves one foot while the other stands, the moving one lifts
straight up before it swings and comes straight down where it lands, so no in-between drags it
over the ground (a leg swinging from the hip sweeps its foot along the floor)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from .. import rig
from ..rig import clamp, fk

CLEARANCE = 8.0  # how high a foot lifts straight up before it swings (stage units)
DOWN = 1.0  # a foot no higher than this above the other one is on the ground
MOVES = 1.0  # the feet's horizontal gap changes by more than this: one of them steps
LIFT, LAND = 0.25, 0.75  # fractions of a pose change: lifted by then; above its landing spot by then


def clear_feet(
    a: Mapping[str, float], b: Mapping[str, float], facing: float, side: int
) -> list[tuple[float, dict[str, float]]]:
    """In-between keys (fraction of the way from pose `a` to `b`, channels) that lift the
    stepping foot straight up before it swings away and lower it straight down onto where it
    lands. The stepping foot: the one whose gap to the other changes while that other stays
    down; with both down, the one higher at the start, else the one moving more."""
    ca, cb = clamp(a, facing, side), clamp(b, facing, side)
    ja, jb = fk(ca, facing, side), fk(cb, facing, side)
    f = _stepper(ja, jb)
    if f is None:
        return []
    o = "_r" if f == "_l" else "_l"
    keys = []
    if _down(ja, f, o):
        keys.append((LIFT, _raised(ca, f)))
    if _down(jb, f, o):  # the rest of the body gets there first: the foot then only comes down
        keys.append((LAND, {**cb, **_raised(cb, f)}))
    return keys


def _stepper(ja: Mapping[str, rig.Point], jb: Mapping[str, rig.Point]) -> str | None:
    gap_a = ja["foot_l"][0] - ja["foot_r"][0]
    gap_b = jb["foot_l"][0] - jb["foot_r"][0]
    if abs(gap_a - gap_b) <= MOVES:
        return None
    cands = [f for f, o in (("_l", "_r"), ("_r", "_l")) if _down(ja, o, f) and _down(jb, o, f)]
    if len(cands) < 2:
        return cands[0] if cands else None

    def rank(f: str) -> tuple[float, float]:
        o = "_r" if f == "_l" else "_l"
        higher = ja["foot" + o][1] - ja["foot" + f][1]  # y grows downward
        return (1.0 if higher > 0.1 else 0.0, abs(ja["foot" + f][0] - jb["foot" + f][0]))

    return max(cands, key=rank)


def _down(j: Mapping[str, rig.Point], f: str, o: str) -> bool:
    """Foot `f` is no more than DOWN above foot `o`."""
    return j["foot" + f][1] >= j["foot" + o][1] - DOWN


def _raised(angles: Mapping[str, float], f: str) -> dict[str, float]:
    """Hip and knee channels of leg `f` with its foot CLEARANCE above where `angles` put it."""
    h, k = angles["hip" + f], angles["knee" + f]
    r = math.radians
    dx = rig.THIGH * math.sin(r(h)) + rig.SHIN * math.sin(r(h - k))
    dy = rig.THIGH * math.cos(r(h)) + rig.SHIN * math.cos(r(h - k))
    hip, knee = rig.leg_ik(dx, dy - CLEARANCE)
    return {"hip" + f: hip, "knee" + f: knee}


def span(keys: list[tuple[float, dict[str, float]]]) -> float:
    """The fraction of a pose change left for the body to move in, around `clear_feet`'s keys."""
    fractions = {u for u, _ in keys}
    return (LAND if LAND in fractions else 1.0) - (LIFT if LIFT in fractions else 0.0)
