"""Arm geometry shared by the actions that hold, reach or gesture: two-bone arm IK in any pure
view (front or profile), and the few arm poses several actions share."""

from __future__ import annotations

import math
from collections.abc import Mapping

from .. import rig
from ..rig import FRONT_LEAN, Point, fk


def arm_to(
    angles: Mapping[str, float], facing: float, side: int, arm: str, target: Point
) -> dict[str, float]:
    """shoulder/elbow channels of `arm` ("_l" or "_r") that put its hand at `target` (relative to
    the pelvis, y down) for a figure in `angles`; an unreachable target gets the arm straight
    toward it. Exact for a pure view (facing -1, 0 or 1), which is what the callers use."""
    rel = fk(angles, facing, side)
    sx, sy = rel["shoulder" + arm]
    dx, dy = target[0] - sx, target[1] - sy
    up, fore = rig.UPPER_ARM, rig.FOREARM
    r = min(max(math.hypot(dx, dy), abs(up - fore) + 1e-6), up + fore - 1e-6)
    phi = math.degrees(math.atan2(dx, dy))
    alpha = math.degrees(math.acos(_unit((up * up + r * r - fore * fore) / (2 * up * r))))
    bend = 180.0 - math.degrees(math.acos(_unit((up * up + fore * fore - r * r) / (2 * up * fore))))
    f, lat = 1.0 - abs(facing), (1.0 if arm == "_l" else -1.0)
    m, me = f * lat + facing, -f * lat + facing  # how a view draws shoulder and elbow channels
    d = -(f * side * FRONT_LEAN["torso"] + facing) * angles["torso"]  # the spine continued downward
    a1 = phi - alpha if me >= 0 else phi + alpha  # the elbow folds the way the view draws flexion
    m = m if abs(m) > 1e-6 else 1.0
    return {"shoulder" + arm: (a1 - d) / m, "elbow" + arm: bend}


def _unit(v: float) -> float:
    return min(1.0, max(-1.0, v))


def head(angles: Mapping[str, float], facing: float, side: int) -> Point:
    return fk(angles, facing, side)["head"]


def both_to(
    angles: Mapping[str, float], facing: float, side: int, left: Point, right: Point
) -> dict[str, float]:
    """Both arms at once (each hand to its own target)."""
    a = dict(angles)
    out = arm_to(a, facing, side, "_l", left)
    out.update(arm_to(a, facing, side, "_r", right))
    return out
