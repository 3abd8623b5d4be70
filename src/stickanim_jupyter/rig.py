"""The stick figure: proportions, forward kinematics and range-of-motion clamps.

Conventions (stage units, y grows downward as on a canvas):

- A bone direction is an angle in degrees measured from straight down toward +x:
  ``direction(0) = (0, 1)`` (down), ``direction(90) = (1, 0)`` (stage right), ``direction(180)`` is up.
  Every joint is its parent plus ``length * direction(angle)``, so bone lengths are constant by
  construction, whatever the angles, with one exception: a head bowed toward the viewer (a nod
  seen from the front) foreshortens the neck, see :func:`fk`.
- ``facing`` is a float in [-1, 1]: -1 is a profile looking left (-x), +1 a profile looking right,
  0 is facing the viewer; values in between are a turn in progress (front and profile drawings
  are blended angle by angle, which keeps lengths exact).
- ``side`` (+1/-1) is where a front-facing figure draws a forward lean: a 2D drawing has to put
  "toward the viewer" somewhere, and we use the last profile direction (scaled down, FRONT_LEAN).
- Channels (schema.POSE_CHANNELS), in degrees, in the character's own frame:
  torso: spine lean from vertical, + forward.  neck: head tilt relative to the spine, + forward.
  shoulder_*: arm relative to the spine, 0 down along the body, 90 forward (front view: outward),
  180 straight up, - backward.  elbow_*: 0 straight, + flexion (profile: forearm folds forward;
  front view: toward the body's midline).  hip_*: thigh relative to the vertical, 0 down,
  + forward (front view: outward).  knee_*: 0 straight, + flexion (the shin folds backward;
  front view: toward the midline).
- ``_l``/``_r`` are the character's own sides: facing the viewer, the left arm is at +x.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from .schema import BONES, JOINTS, POSE_CHANNELS

# --- proportions (stage units) -------------------------------------------------------------
# Human proportions for a figure ~195-199 units tall, i.e. a bit over a third of the stage height.
THIGH, SHIN = 48.0, 46.0
UPPER_ARM, FOREARM = 31.0, 29.0
SPINE, NECK = 58.0, 22.0  # pelvis->neck, neck->head centre
SHOULDER, HIP = 12.0, 9.0  # neck->shoulder, pelvis->hip: fixed-length offsets
HEAD_RADIUS = 16.0
SHOULDER_SPREAD = 70.0  # front view: neck->shoulder direction, degrees out from the spine
HIP_SPREAD = 50.0  # front view: pelvis->hip direction, degrees out from straight down
LEG = THIGH + SHIN

BONE_LENGTHS: dict[tuple[str, str], float] = {
    ("head", "neck"): NECK,
    ("neck", "pelvis"): SPINE,
    ("neck", "shoulder_l"): SHOULDER,
    ("shoulder_l", "elbow_l"): UPPER_ARM,
    ("elbow_l", "hand_l"): FOREARM,
    ("neck", "shoulder_r"): SHOULDER,
    ("shoulder_r", "elbow_r"): UPPER_ARM,
    ("elbow_r", "hand_r"): FOREARM,
    ("pelvis", "hip_l"): HIP,
    ("hip_l", "knee_l"): THIGH,
    ("knee_l", "foot_l"): SHIN,
    ("pelvis", "hip_r"): HIP,
    ("hip_r", "knee_r"): THIGH,
    ("knee_r", "foot_r"): SHIN,
}
assert tuple(BONE_LENGTHS) == BONES

# --- range of motion ------------------------------------------------------------------------
# Limits on the channels, in degrees. Hips are limited relative to the trunk (hip + torso), which
# is the anatomical hip angle: a bow (torso 60, hips 0) flexes the hips by 60.
ROM: dict[str, tuple[float, float]] = {
    "torso": (-95.0, 100.0),  # -90 lying on the back, +90 face down
    "neck": (-40.0, 60.0),
    "shoulder_l": (-60.0, 180.0),
    "shoulder_r": (-60.0, 180.0),
    "elbow_l": (0.0, 150.0),
    "elbow_r": (0.0, 150.0),
    "hip_l": (-40.0, 130.0),  # hip + torso
    "hip_r": (-40.0, 130.0),
    "knee_l": (0.0, 150.0),
    "knee_r": (0.0, 150.0),
}
assert set(ROM) == set(POSE_CHANNELS)

# What a drawing can show of each limit: the unsigned angle between two bones (front and
# profile views fold the same channel to different sides, so the sign is not recoverable from
# frames). quality.py checks these on the output: channel -> (bone A, bone B, limit in degrees),
# the angle between the directions of bone A and bone B; bone A None means "straight up".
GEOMETRIC_LIMITS: dict[str, tuple[tuple[str, str] | None, tuple[str, str], float]] = {
    "torso": (None, ("pelvis", "neck"), max(map(abs, ROM["torso"]))),
    "neck": (("pelvis", "neck"), ("neck", "head"), max(map(abs, ROM["neck"]))),
    "shoulder_l": (("neck", "pelvis"), ("shoulder_l", "elbow_l"), max(map(abs, ROM["shoulder_l"]))),
    "shoulder_r": (("neck", "pelvis"), ("shoulder_r", "elbow_r"), max(map(abs, ROM["shoulder_r"]))),
    "elbow_l": (("shoulder_l", "elbow_l"), ("elbow_l", "hand_l"), max(map(abs, ROM["elbow_l"]))),
    "elbow_r": (("shoulder_r", "elbow_r"), ("elbow_r", "hand_r"), max(map(abs, ROM["elbow_r"]))),
    "hip_l": (("neck", "pelvis"), ("hip_l", "knee_l"), max(map(abs, ROM["hip_l"]))),
    "hip_r": (("neck", "pelvis"), ("hip_r", "knee_r"), max(map(abs, ROM["hip_r"]))),
    "knee_l": (("hip_l", "knee_l"), ("knee_l", "foot_l"), max(map(abs, ROM["knee_l"]))),
    "knee_r": (("hip_r", "knee_r"), ("knee_r", "foot_r"), max(map(abs, ROM["knee_r"]))),
}

Point = tuple[float, float]
_RAD = math.pi / 180.0


@dataclass(frozen=True, slots=True)
class Pose:
    """A character's full state at one instant: what the compiler draws and a motion starts from."""

    angles: Mapping[str, float]  # every channel of POSE_CHANNELS, degrees
    x: float  # pelvis x, stage units
    facing: float = 0.0  # -1 left .. 0 front .. +1 right
    side: int = 1  # where a front-facing figure draws "forward"
    lift: float = 0.0  # height of the lowest point above the ground (> 0: airborne)
    posture: str = "stand"  # stand, sit, squat, kneel, all_fours, lie_back, lie_front, custom
    # fk(angles, facing, side) when the motion already computed it (angles then already clamped)
    rel: Mapping[str, Point] | None = field(default=None, compare=False, repr=False)


def direction(angle: float) -> Point:
    """Unit vector of a bone direction (degrees from straight down toward +x)."""
    r = angle * _RAD
    return math.sin(r), math.cos(r)


# A forward lean seen from the front is mostly foreshortening. The trunk keeps its drawn length
# (its whole lean would be invisible otherwise) and draws this much of the lean sideways; the
# head is projected: bowing toward the viewer brings it down over the shoulders (cos of the
# bow), with this much sideways as a hint of the direction.
FRONT_LEAN = {"torso": 0.3, "neck": 0.2}
# The shortest a foreshortened neck is drawn, as a fraction of NECK: the widest bow, seen with
# nothing of it across (a turn between front and profile can cancel the sideways hint).
NECK_MIN = math.cos(math.radians(max(map(abs, ROM["neck"]))))


def lean_sign(facing: float, side: int, channel: str = "torso") -> float:
    """Multiplier that turns a forward lean (torso or neck) into a 2D rotation (see module doc)."""
    return (1.0 - abs(facing)) * side * FRONT_LEAN[channel] + facing


def fk(
    angles: Mapping[str, float], facing: float = 0.0, side: int = 1, x: float = 0.0, y: float = 0.0
) -> dict[str, Point]:
    """Joint positions for channel `angles`, with the pelvis at (x, y)."""
    p = facing
    f = 1.0 - abs(p)
    lam = f * side * FRONT_LEAN["torso"] + p
    d = -lam * angles["torso"]  # direction of the spine continued below the pelvis
    sin, cos, k = math.sin, math.cos, _RAD
    out: dict[str, Point] = {}
    a = (d + 180.0) * k
    nx, ny = x + SPINE * sin(a), y + SPINE * cos(a)
    # head: cos(bow) along the spine, sin(bow) across, scaled by how much of "forward" is in
    # the picture plane (all of it in profile): an orthographic projection of the bow
    bow = angles["neck"] * k
    up, across = NECK * cos(bow), NECK * sin(bow) * (f * side * FRONT_LEAN["neck"] + p)
    a = (d + 180.0) * k
    out["head"] = (nx + up * sin(a) - across * cos(a), ny + up * cos(a) + across * sin(a))
    out["neck"] = (nx, ny)
    for s, lat in (("_l", 1.0), ("_r", -1.0)):
        m = f * lat + p  # upper limbs and legs: front view turns "forward" into "outward"
        me = -f * lat + p  # elbows: front view folds toward the midline
        a = (d + f * lat * SHOULDER_SPREAD) * k
        sx, sy = nx + SHOULDER * sin(a), ny + SHOULDER * cos(a)
        up = d + m * angles["shoulder" + s]
        a = up * k
        ex, ey = sx + UPPER_ARM * sin(a), sy + UPPER_ARM * cos(a)
        a = (up + me * angles["elbow" + s]) * k
        out["shoulder" + s] = (sx, sy)
        out["elbow" + s] = (ex, ey)
        out["hand" + s] = (ex + FOREARM * sin(a), ey + FOREARM * cos(a))
    out["pelvis"] = (x, y)
    for s, lat in (("_l", 1.0), ("_r", -1.0)):
        m = f * lat + p
        a = (f * lat * HIP_SPREAD + abs(p) * d) * k
        hx, hy = x + HIP * sin(a), y + HIP * cos(a)
        th = m * angles["hip" + s]
        a = th * k
        kx, ky = hx + THIGH * sin(a), hy + THIGH * cos(a)
        a = (th - m * angles["knee" + s]) * k
        out["hip" + s] = (hx, hy)
        out["knee" + s] = (kx, ky)
        out["foot" + s] = (kx + SHIN * sin(a), ky + SHIN * cos(a))
    return out


def lowest_depth(joints: Mapping[str, Point], pelvis_y: float = 0.0) -> float:
    """How far below the pelvis the figure reaches (the head counts with its radius)."""
    low = max(p[1] for p in joints.values())
    return max(low, joints["head"][1] + HEAD_RADIUS) - pelvis_y


def clamp(angles: Mapping[str, float], facing: float = 0.0, side: int = 1) -> dict[str, float]:
    """Channels clipped to the range of motion (ROM), hips relative to the trunk.

    Hips get one more bound: the angle drawn between thigh and spine must stay within the hip
    limit in every view (front view draws a lean sideways, so it can differ from hip + torso).
    """
    out = {c: _clip(angles[c], lo, hi) for c, (lo, hi) in _ROM_ITEMS}
    torso = out["torso"]
    f = 1.0 - abs(facing)
    lam = lean_sign(facing, side)
    for s, lat in (("_l", 1.0), ("_r", -1.0)):
        lo, hi = _HIP_LO - torso, _HIP_HI - torso
        m = f * lat + facing
        if abs(m) > 1e-9:
            glo, ghi = (-_HIP_GEOM - lam * torso) / m, (_HIP_GEOM - lam * torso) / m
            if glo > ghi:
                glo, ghi = ghi, glo
            lo, hi = (max(lo, glo), min(hi, ghi)) if max(lo, glo) <= min(hi, ghi) else (glo, ghi)
        out["hip" + s] = _clip(angles["hip" + s], lo, hi)
    return out


_ROM_ITEMS = tuple((c, ROM[c]) for c in POSE_CHANNELS if not c.startswith("hip"))
_HIP_LO, _HIP_HI = ROM["hip_l"]
_HIP_GEOM = GEOMETRIC_LIMITS["hip_l"][2]


def _clip(v: float, lo: float, hi: float) -> float:
    if v < lo:
        return lo
    if v > hi:
        return hi
    if v != v or v in (math.inf, -math.inf):  # NaN compares false both ways
        return min(max(0.0, lo), hi)
    return v


def foot_anchor(joints: Mapping[str, Point], which: str = "feet") -> float:
    """x of what stays put on the ground: both feet (their mean) or one joint (a foot, the pelvis)."""
    if which == "feet":
        return (joints["foot_l"][0] + joints["foot_r"][0]) * 0.5
    return joints[which][0]


def leg_ik(dx: float, dy: float) -> tuple[float, float]:
    """(hip, knee) channels that put a foot at (dx forward, dy down) from the hip, in profile.

    The knee bends backward (shin folds behind), the hip angle is relative to the vertical.
    An unreachable target is clamped to the leg's reach.
    """
    r = math.hypot(dx, dy)
    r = min(max(r, abs(THIGH - SHIN) + 1e-6), LEG - 1e-9)
    alpha = math.degrees(math.atan2(dx, dy))
    beta = math.degrees(math.acos(_unit((THIGH * THIGH + r * r - SHIN * SHIN) / (2 * THIGH * r))))
    inner = math.degrees(math.acos(_unit((THIGH * THIGH + SHIN * SHIN - r * r) / (2 * THIGH * SHIN))))
    return alpha + beta, 180.0 - inner


def crouch_knee(hip: float) -> float:
    """Knee flexion that keeps the foot straight under the hip for a given hip flexion.

    Squats and jump crouches use it so feet do not slide while the legs fold.
    """
    s = min(1.0, THIGH / SHIN * math.sin(hip * _RAD))
    return hip + math.degrees(math.asin(s))


def leg_length(knee: float) -> float:
    """Hip-to-foot distance for a knee flexion (degrees)."""
    c = math.cos(knee * _RAD)
    return math.sqrt(THIGH * THIGH + SHIN * SHIN + 2 * THIGH * SHIN * c)


def _unit(c: float) -> float:
    return -1.0 if c < -1.0 else 1.0 if c > 1.0 else c


def standing_height(facing: float = 1.0) -> float:
    """Feet to top of the head of a straight, upright figure."""
    j = fk(dict.fromkeys(POSE_CHANNELS, 0.0), facing)
    return lowest_depth(j) - (j["head"][1] - HEAD_RADIUS)


FIGURE_HEIGHT = standing_height(1.0)  # ~199 in profile, ~196 facing front
assert set(fk(dict.fromkeys(POSE_CHANNELS, 0.0))) == set(JOINTS)
