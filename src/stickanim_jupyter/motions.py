"""The motion library: every action of the vocabulary as a function of its parameters.

A motion is built from the character's pose when the action starts, so it always continues
from whatever came before, and answers ``sample(t)`` (ms since its start) with a full
:class:`~stickanim_jupyter.rig.Pose`: joint angles, root x, facing, lift and posture. Root y
is not a motion's business: the compiler puts the lowest point on the ground, raised by
``lift`` when airborne.

Building blocks:
- :class:`Keyframes`: eased key poses; root x keeps the feet (or one foot) where they were.
- :class:`Gait`: walking and running by inverse kinematics on scheduled foot plants, so a
  planted foot never slides.
- :class:`Idle`: relax into the posture's rest pose and breathe (never frozen).
- :class:`Sequence` / :class:`Chain`: one motion after another, each starting where the last ended.

Public entry points: :func:`build` for one character's action and :func:`interaction` for the
two characters of shake_hands, hug, high_five, push and pull.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping
from collections.abc import Sequence as Seq
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import rig
from .rig import FIGURE_HEIGHT, Pose, clamp, fk, foot_anchor
from .schema import Action, ActionParams

# --- tuning ---------------------------------------------------------------------------------
MARGIN = 75.0  # keep planned pelvis positions this far from the stage edges
TURN_MS = 260.0  # a hop-turn
MIN_TURN_MS = 140.0  # the quickest (still airborne in a frame 100 ms apart, see quality.MAX_GAP_MS)
HOP = 5.0  # its height: a quick hop turns the feet without dragging them over the ground
BLEND_MS = 250.0
REST_MS = 500.0  # Idle: time to relax into the rest pose
BREATH_MS = 3400.0  # one breath


def _full(**kw: float) -> dict[str, float]:
    """A complete channel dict: the standing rest pose overridden by `kw` (l/r pairs via `_lr`)."""
    base = {"torso": 0.0, "neck": 0.0, "shoulder_l": 6.0, "elbow_l": 10.0, "shoulder_r": 6.0,
            "elbow_r": 10.0, "hip_l": 0.0, "knee_l": 0.0, "hip_r": 0.0, "knee_r": 0.0}  # fmt: skip
    base.update(kw)
    return base


def _lr(**kw: float) -> dict[str, float]:
    """`shoulder=10` -> shoulder_l=10, shoulder_r=10 (torso/neck pass through)."""
    out: dict[str, float] = {}
    for k, v in kw.items():
        if k in ("torso", "neck") or k.endswith(("_l", "_r")):
            out[k] = v
        else:
            out[k + "_l"] = out[k + "_r"] = v
    return out


def _kneel_pose() -> dict[str, float]:
    # Left knee and shin on the ground, right foot planted forward at the same depth (by IK).
    hip_r, knee_r = rig.leg_ik(38.0, rig.THIGH)  # hips coincide in profile: same depth as the knee
    return _full(hip_l=0.0, knee_l=90.0, hip_r=hip_r, knee_r=knee_r, shoulder_l=10, shoulder_r=10)


# Rest pose of each posture (profile drawings; stand and squat also read well from the front).
REST: dict[str, dict[str, float]] = {
    "stand": _full(),
    "squat": _full(
        **_lr(torso=30.0, neck=-10.0, shoulder=60.0, elbow=30.0, hip=70.0, knee=rig.crouch_knee(70.0))
    ),
    "sit": _full(**_lr(torso=-8.0, neck=5.0, shoulder=35.0, elbow=45.0, hip=118.0, knee=62.0)),
    "lie_back": _full(**_lr(torso=-90.0, neck=35.0, shoulder=10.0, elbow=10.0, hip=90.0, knee=5.0)),
    "kneel": _kneel_pose(),
    "all_fours": _full(**_lr(torso=78.0, neck=-30.0, shoulder=78.0, elbow=0.0, hip=0.0, knee=90.0)),
    "lie_front": _full(**_lr(torso=90.0, neck=-40.0, shoulder=172.0, elbow=8.0, hip=-90.0, knee=10.0)),
}
PROFILE_POSTURES = frozenset({"sit", "lie_back", "kneel", "all_fours", "lie_front"})

_LIFT_R = {"hip_r": 40.0, "knee_r": rig.crouch_knee(40.0)}  # foot straight up: no drag
_LIFT_L = {"hip_l": 30.0, "knee_l": rig.crouch_knee(30.0)}

# Posture graph: (from, to) -> (ms, what stays put on the ground, in-between keys as (fraction,
# channels)). The in-between keys lift a stepping foot so it never drags over the floor.
_EDGES: dict[tuple[str, str], tuple[float, str, tuple[tuple[float, dict[str, float]], ...]]] = {
    ("stand", "squat"): (450.0, "feet", ()),
    ("squat", "stand"): (450.0, "feet", ()),
    ("squat", "sit"): (550.0, "feet", ()),
    ("sit", "squat"): (550.0, "feet", ()),
    ("sit", "lie_back"): (650.0, "feet", ()),
    ("lie_back", "sit"): (650.0, "feet", ()),
    ("stand", "kneel"): (
        800.0,
        "foot_l",
        (
            (0.2, _LIFT_R),
            (0.5, {"hip_l": -5.0, "knee_l": 40.0, "hip_r": 70.0, "knee_r": 80.0, "torso": 5.0}),
        ),
    ),
    ("kneel", "stand"): (
        800.0,
        "foot_r",
        (
            (0.5, {"torso": 15.0, "hip_r": 45.0, "knee_r": 80.0, "hip_l": 20.0, "knee_l": 110.0}),
            (0.8, {"torso": 5.0, "hip_r": 15.0, "knee_r": rig.crouch_knee(15.0), **_LIFT_L}),
        ),
    ),
    ("kneel", "all_fours"): (
        600.0,
        "foot_l",
        (
            (0.35, {"torso": 25.0, "hip_r": 100.0, "knee_r": 100.0}),
            (0.7, {"torso": 60.0, "hip_r": 20.0, "knee_r": 140.0}),
        ),
    ),
    ("all_fours", "kneel"): (
        600.0,
        "foot_l",
        (
            (0.3, {"torso": 60.0, "hip_r": 20.0, "knee_r": 140.0}),
            (0.65, {"torso": 25.0, "hip_r": 100.0, "knee_r": 100.0}),
        ),
    ),
    ("all_fours", "lie_front"): (600.0, "feet", ()),
    ("lie_front", "all_fours"): (600.0, "feet", ()),
    ("custom", "stand"): (500.0, "feet", ()),
}


@dataclass(frozen=True, slots=True)
class GaitStyle:
    speed: float  # units per ms at speed 1
    step: float  # nominal step length (one foot to the other)
    max_step: float
    duty: float  # fraction of a stride each foot is on the ground (< 0.5: flight phases)
    clearance: float  # swing foot height
    squash: float  # leg length at mid-stance / leg length
    lean: float  # torso lean at full speed
    arm_gain: float  # arm swing per degree of the same-side hip
    arm_base: float
    elbow: float


H = FIGURE_HEIGHT
WALK = GaitStyle(0.75 * H / 1000, 0.36 * H, 0.45 * H, 0.58, 9.0, 0.965, 4.0, 0.7, 6.0, 18.0)
RUN = GaitStyle(2.0 * H / 1000, 0.66 * H, 0.75 * H, 0.36, 24.0, 0.9, 12.0, 1.1, 12.0, 85.0)
GAITS = {"walk": WALK, "run": RUN}
MAX_SPEED = 5.0 * H / 1000  # units per ms; a squeezed schedule never moves faster
MIN_SWING_MS = 125.0  # a foot's shortest time in the air
MIN_STEP_MS = MIN_SWING_MS / 1.6  # a squeezed schedule's shortest step (a swing lasts < 2 steps)
SHORT_STEP = 0.3 * H  # the steps of a walk or run too short for its own stride


# --- context --------------------------------------------------------------------------------
@dataclass(frozen=True)
class World:
    """What a motion may know about the stage and the others when it is built."""

    width: float = 960.0
    ground: float = 480.0
    others: Mapping[str, Pose] = field(default_factory=dict)  # other characters at the action start
    partner: str | None = None  # who toward/away refer to: the target, else the nearest other
    mutual: bool = False  # the partner walks toward this character at the same time
    phase: float = 0.0  # breathing phase of this character

    def partner_x(self) -> float | None:
        pose = self.others.get(self.partner) if self.partner else None
        return pose.x if pose else None

    def clamp_x(self, x: float) -> float:
        return min(max(x, MARGIN), self.width - MARGIN)


class Motion(Protocol):
    duration: float

    def sample(self, t: float) -> Pose: ...


def _ease(u: float) -> float:
    u = 0.0 if u < 0 else 1.0 if u > 1 else u
    return u * u * (3.0 - 2.0 * u)


def _sign(v: float, default: int = 1) -> int:
    return 1 if v > 1e-9 else -1 if v < -1e-9 else default


def _side_of(facing: float, side: int) -> int:
    # Once in profile, "forward" for a later front view is that profile's direction.
    return 1 if facing >= 1.0 else -1 if facing <= -1.0 else side


def profile_sign(pose: Pose) -> int:
    """The way a figure looks in profile: its facing if turned, else its side."""
    return _sign(pose.facing, pose.side)


# --- building blocks ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Key:
    t: float  # ms from the motion start
    angles: Mapping[str, float]  # channels that change; the others keep their previous value
    facing: float | None = None
    posture: str | None = None


class Keyframes:
    """Smoothly eased key poses. Root x keeps `anchor` (feet, foot_l, foot_r, pelvis) where it
    was, so a grounded pose change does not slide the feet; `lift(t)` raises it off the ground."""

    def __init__(
        self,
        start: Pose,
        keys: Seq[Key],
        *,
        anchor: str = "feet",
        lift: Callable[[float], float] | None = None,
    ) -> None:
        self.start, self.anchor, self.lift = start, anchor, lift
        self.times = [0.0]
        self.frames = [dict(start.angles)]
        self.facings = [start.facing]
        self.postures = [start.posture]
        for k in keys:
            t = max(k.t, self.times[-1] + 1.0)  # strictly increasing: no jump at a key
            frame = dict(self.frames[-1])
            frame.update(k.angles)
            self.times.append(t)
            self.frames.append(frame)
            self.facings.append(self.facings[-1] if k.facing is None else k.facing)
            self.postures.append(k.posture or self.postures[-1])
        self.duration = self.times[-1]
        # Legs folding between two "foot under the hip" poses keep that relation all the way,
        # so squats and crouches lift or lower the pelvis without dragging the feet.
        self.crouch = [
            tuple(_is_crouch(a, f) and _is_crouch(b, f) for f in ("_l", "_r"))
            for a, b in zip(self.frames, self.frames[1:], strict=False)
        ]
        rel = fk(start.angles, start.facing, start.side)
        self.anchor_x = start.x + foot_anchor(rel, anchor)

    def _at(self, t: float) -> tuple[dict[str, float], float, str]:
        i = bisect_right(self.times, t) - 1
        if i >= len(self.times) - 1:
            return self.frames[-1], self.facings[-1], self.postures[-1]
        if i < 0:
            return self.frames[0], self.facings[0], self.postures[0]
        u = _ease((t - self.times[i]) / (self.times[i + 1] - self.times[i]))
        a, b = self.frames[i], self.frames[i + 1]
        angles = {c: a[c] + (b[c] - a[c]) * u for c in a}
        for f, on in zip(("_l", "_r"), self.crouch[i], strict=True):
            if on:
                angles["knee" + f] = rig.crouch_knee(angles["hip" + f])
        facing = self.facings[i] + (self.facings[i + 1] - self.facings[i]) * u
        return angles, facing, self.postures[i + 1 if u >= 0.5 else i]

    def sample(self, t: float) -> Pose:
        angles, facing, posture = self._at(t)
        side = _side_of(facing, self.start.side)
        angles = clamp(angles, facing, side)
        rel = fk(angles, facing, side)
        x = self._root_x(t, rel)
        lift = self.lift(t) if self.lift else 0.0
        return Pose(angles, x, facing, side, lift, posture, rel)

    def _root_x(self, t: float, rel: Mapping[str, rig.Point]) -> float:
        return self.anchor_x - foot_anchor(rel, self.anchor)


def _is_crouch(a: Mapping[str, float], f: str) -> bool:
    h = a["hip" + f]
    return 0.0 <= h <= 73.0 and abs(a["knee" + f] - rig.crouch_knee(h)) < 1e-6


class Idle:
    """Stay in the current posture: relax into its rest pose, then breathe."""

    def __init__(self, start: Pose, world: World, duration: float = math.inf) -> None:
        self.start, self.duration, self.phase = start, duration, world.phase
        self.rest = dict(REST.get(start.posture, start.angles))
        self.relax = REST_MS if any(abs(self.rest[c] - start.angles[c]) > 0.5 for c in self.rest) else 0.0
        self.anchor_x = start.x + foot_anchor(fk(start.angles, start.facing, start.side))

    def sample(self, t: float) -> Pose:
        s = self.start
        u = _ease(t / self.relax) if self.relax else 1.0
        a = {c: v + (self.rest[c] - v) * u for c, v in s.angles.items()}
        w = 2 * math.pi / BREATH_MS
        b = math.sin(w * t + self.phase) - math.sin(self.phase)  # 0 at t=0: no jump
        for c, amp in (
            ("shoulder_l", 3.0),
            ("shoulder_r", 3.0),
            ("elbow_l", 4.0),
            ("elbow_r", 4.0),
            ("neck", 1.5),
        ):
            a[c] += amp * b
        a = clamp(a, s.facing, s.side)
        rel = fk(a, s.facing, s.side)
        return Pose(a, self.anchor_x - foot_anchor(rel), s.facing, s.side, 0.0, s.posture, rel)


class Sequence:
    """Motions one after another (each was built from the end of the previous one)."""

    def __init__(self, parts: Seq[Motion]) -> None:
        self.parts = list(parts)
        self.starts: list[float] = []
        t = 0.0
        for p in self.parts:
            self.starts.append(t)
            t += p.duration
        self.duration = t

    def sample(self, t: float) -> Pose:
        i = max(0, bisect_right(self.starts, t) - 1)
        part = self.parts[i]
        return part.sample(min(t - self.starts[i], part.duration))


class Chain:
    """Builds a Sequence part by part, each starting from where the previous one ends."""

    def __init__(self, start: Pose, world: World) -> None:
        self.parts: list[Motion] = []
        self.end, self.t, self.world = start, 0.0, world

    def add(self, *motions: Motion) -> Chain:
        for m in motions:
            if m.duration > 0:
                self.parts.append(m)
                self.t += m.duration
                self.end = m.sample(m.duration)
        return self

    def hold(self, ms: float) -> Chain:
        if ms > 0.5:
            self.add(Idle(self.end, self.world, ms))
        return self

    def build(self, duration: float) -> Motion:
        self.hold(duration - self.t)
        return Sequence(self.parts) if self.parts else Idle(self.end, self.world, duration)


# --- gait -----------------------------------------------------------------------------------
def _trapezoid(t: float, total: float, ramp: float, dist: float) -> tuple[float, float]:
    """Position and speed along a trapezoidal speed profile covering `dist` in `total` ms."""
    if total <= 0 or dist <= 0:
        return (dist if t > 0 else 0.0), 0.0
    ramp = min(ramp, total / 2)
    vmax = dist / (total - ramp)
    if t <= 0:
        return 0.0, 0.0
    if t >= total:
        return dist, 0.0
    if t < ramp:
        return 0.5 * vmax * t * t / ramp, vmax * t / ramp
    if t <= total - ramp:
        return 0.5 * vmax * ramp + vmax * (t - ramp), vmax
    r = total - t
    return dist - 0.5 * vmax * r * r / ramp, vmax * r / ramp


@dataclass(slots=True)
class _Phase:
    t0: float
    t1: float
    swing: bool
    u0: float  # stance: where the foot is; swing: where it lifts off
    u1: float  # swing: where it lands
    kind: str = "mid"  # stance: first / mid / last


class Gait:
    """Walk or run from the start pose to `goal_x`, facing `facing` (walking backward if the goal
    is behind). Feet land on scheduled plants and stay there while on the ground; the pelvis
    height comes from what the legs can reach, and the legs from inverse kinematics."""

    RAMP = 150.0  # ms to bend the knees into the gait and straighten them at the end

    def __init__(
        self,
        start: Pose,
        goal_x: float,
        facing: int,
        style: GaitStyle = WALK,
        speed: float = 1.0,
        max_time: float | None = None,
        arms: Mapping[str, float] | None = None,
        lean: float | None = None,
        step: float | None = None,
    ) -> None:
        self.start, self.s, self.style, self.arms = start, facing, style, arms
        self.lean = style.lean if lean is None else lean
        self.x0 = start.x
        d = goal_x - start.x
        self.sigma = _sign(d, facing)
        self.dist = abs(d)
        v = style.speed * speed
        step = min(style.step * math.sqrt(speed), style.max_step, step or math.inf)
        if max_time:  # squeeze the schedule into the time available
            v = min(
                max(v, (self.dist + 3 * step) / max(max_time - self.RAMP, 1.0)), MAX_SPEED, step / MIN_STEP_MS
            )
        self.v, self.step = v, step
        self.tau = step / v  # ms per step
        self.ramp = self.tau  # a step to speed up (the trailing foot stays within reach), one to stop
        self.t_move = self.dist / v + self.ramp
        self.l_max = rig.LEG * 0.998
        self.l_mid = rig.LEG * style.squash
        rel = fk(start.angles, start.facing, start.side)
        feet = {f: self.sigma * (rel["foot" + f][0]) for f in ("_l", "_r")}
        self.phases = self._schedule(feet)
        self.t_swing_end = max(p[-1].t0 for p in self.phases.values())
        self.duration = max(self.t_swing_end, self.t_move) + self.RAMP

    @classmethod
    def natural_reach(cls, start: Pose, facing: int, style: GaitStyle, speed: float, ms: float) -> float:
        """How far this gait gets in `ms` at its natural pace, starting and stopping included."""
        v = style.speed * speed
        guess = max(0.0, v * (ms - cls.RAMP) - 2 * style.step)
        probe = cls(start, start.x + facing * guess, facing, style, speed)
        overhead = probe.duration - guess / v  # start, last steps, settling: nearly fixed
        return max(0.0, v * (ms - overhead))

    def _schedule(self, feet: dict[str, float]) -> dict[str, list[_Phase]]:
        tau, beta = self.tau, self.style.duty
        # A squeezed walk turns into a run (flight phases) rather than a shuffle: each swing
        # lasts long enough to be seen in the air at 10 fps (see quality.MAX_GAP_MS).
        swing_ms = max(2 * tau * (1 - beta), min(MIN_SWING_MS, 1.6 * tau))
        lead = "_l" if feet["_l"] < feet["_r"] else "_r"
        order = [lead, "_r" if lead == "_l" else "_l"]
        cur = dict(feet)
        phases: dict[str, list[_Phase]] = {f: [] for f in feet}
        last_end = dict.fromkeys(feet, 0.0)
        for k in range(4000):
            foot = order[k % 2]
            t0, t1 = k * tau, k * tau + swing_ms
            target = min(_trapezoid(t1 + beta * tau, self.t_move, self.ramp, self.dist)[0], self.dist)
            if abs(cur[foot] - self.dist) < 1e-9 and abs(cur[order[1 - k % 2]] - self.dist) < 1e-9:
                break
            kind = "first" if not phases[foot] else "mid"
            phases[foot].append(_Phase(last_end[foot], t0, False, cur[foot], cur[foot], kind))
            phases[foot].append(_Phase(t0, t1, True, cur[foot], target))
            cur[foot], last_end[foot] = target, t1
        for f in feet:
            phases[f].append(_Phase(last_end[f], math.inf, False, cur[f], cur[f], "last"))
        return phases

    def _cap(self, t: float) -> float:
        """Leg length cap: straight at rest, slightly bent while moving."""
        straight = rig.LEG - 1e-7
        if t < self.RAMP:
            return straight + (self.l_max - straight) * _ease(t / self.RAMP)
        end = max(self.t_swing_end, self.t_move)
        return self.l_max + (straight - self.l_max) * _ease((t - end) / self.RAMP)

    def _foot(self, f: str, t: float) -> tuple[float, float, float]:
        """(u along the path, height above ground, leg length allowed) of one foot."""
        cap = self._cap(t)
        for ph in self.phases[f]:
            if ph.t0 <= t < ph.t1 or ph.t1 == math.inf:
                if ph.swing:
                    phi = (t - ph.t0) / (ph.t1 - ph.t0)
                    h = self.style.clearance * min(1.0, 0.35 + abs(ph.u1 - ph.u0) / (2 * self.step))
                    ahead = _ease((phi - 0.1) / 0.8)  # lift off and set down vertically: no scuffing
                    return ph.u0 + (ph.u1 - ph.u0) * ahead, h * math.sin(math.pi * phi), cap
                if ph.kind == "mid" and ph.t1 > ph.t0:
                    squash = math.sin(math.pi * (t - ph.t0) / (ph.t1 - ph.t0))
                    return ph.u0, 0.0, cap - (cap - self.l_mid) * squash
                return ph.u0, 0.0, cap
        raise AssertionError("gait phases cover all times")

    def sample(self, t: float) -> Pose:
        t = min(max(t, 0.0), self.duration)
        s, sig, st = self.s, self.sigma, self.style
        u, vel = _trapezoid(t, self.t_move, self.ramp, self.dist)
        frac = min(1.0, vel / self.v) if self.dist > 0 else 0.0
        blend = _ease(t / BLEND_MS)
        a0 = self.start.angles
        torso = a0["torso"] + (self.lean * frac - a0["torso"]) * blend
        rad = torso * math.pi / 180
        ox, oy = -rig.HIP * math.sin(rad), rig.HIP * math.cos(rad)  # hip from pelvis, facing frame
        feet = {f: self._foot(f, t) for f in ("_l", "_r")}
        height = math.inf  # pelvis height above ground: the most every leg can reach
        for fu, z, length in feet.values():
            dx = s * sig * (fu - u) - ox
            height = min(height, z + oy + math.sqrt(max(length * length - dx * dx, 0.0)))
        angles = {"torso": torso, "neck": a0["neck"] + (-0.5 * torso - a0["neck"]) * blend}
        for f, (fu, z, _) in feet.items():
            hip, knee = rig.leg_ik(s * sig * (fu - u) - ox, height - z - oy)
            angles["hip" + f], angles["knee" + f] = hip, knee
        for f in ("_l", "_r"):
            if self.arms is not None:
                sh, el = self.arms["shoulder" + f], self.arms["elbow" + f]
            else:
                sh = 6.0 + (st.arm_base - 6.0) * frac - st.arm_gain * angles["hip" + f]
                el = 10.0 + (st.elbow - 10.0) * frac + 0.3 * max(0.0, sh - st.arm_base)
            angles["shoulder" + f] = a0["shoulder" + f] + (sh - a0["shoulder" + f]) * blend
            angles["elbow" + f] = a0["elbow" + f] + (el - a0["elbow" + f]) * blend
        angles = clamp(angles, float(s), s)
        rel = fk(angles, float(s), s)
        for f, (_, z, _) in feet.items():
            if z > 0 and rel["foot" + f][1] > height - z + 1e-6:  # hip at its limit: the foot hangs low
                angles, rel = _fold_knee(angles, f, height - z, s)
        lift = min(z for _, z, _ in feet.values())
        return Pose(angles, self.x0 + sig * u, float(s), s, lift, "stand", rel)


def _fold_knee(
    angles: dict[str, float], f: str, y: float, s: int
) -> tuple[dict[str, float], dict[str, rig.Point]]:
    """A swing foot whose hip is at its range limit raised to `y` (below the pelvis) by bending the knee."""
    lo, hi = angles["knee" + f], rig.ROM["knee" + f][1]
    best = dict(angles, **{"knee" + f: hi})
    for _ in range(30):
        mid = (lo + hi) / 2
        a = dict(angles, **{"knee" + f: mid})
        if fk(a, float(s), s)["foot" + f][1] <= y:
            hi, best = mid, a
        else:
            lo = mid
    return best, fk(best, float(s), s)


# --- shared steps ---------------------------------------------------------------------------
def turn(start: Pose, facing: float, ms: float = TURN_MS) -> Motion | None:
    """Turn to `facing` with a small hop, so no foot drags: standing, the feet land where they
    were; sitting or lying, the figure spins about its pelvis."""
    if abs(start.facing - facing) < 1e-9 or ms <= 0:
        return None
    anchor = "feet" if start.posture == "stand" else "pelvis"
    return Keyframes(
        start,
        [Key(ms, {}, facing=facing)],
        anchor=anchor,
        lift=lambda t: HOP * math.sin(math.pi * min(t / ms, 1.0)),
    )


def posture_path(src: str, dst: str) -> list[str]:
    """Postures passed through from `src` to `dst` (excluding `src`), by the posture graph."""
    src = src if src in REST or src == "custom" else "custom"
    if src == dst:
        return []
    prev: dict[str, str] = {src: ""}
    queue = [src]
    while queue:
        node = queue.pop(0)
        for a, b in _EDGES:
            if a == node and b not in prev:
                prev[b] = node
                queue.append(b)
    if dst not in prev:
        return [dst]
    path = [dst]
    while prev[path[-1]] != src:
        path.append(prev[path[-1]])
    return path[::-1]


def transition(start: Pose, goal: str, world: World, budget: float | None = None) -> list[Motion]:
    """Motions that take `start` into the rest pose of posture `goal` (through the posture graph)."""
    edges = []
    prev = start.posture if start.posture in REST else "custom"
    for node in posture_path(start.posture, goal):
        edges.append((node, *_EDGES.get((prev, node), (500.0, "feet", ()))))
        prev = node
    if not edges and any(abs(REST[goal][c] - v) > 0.5 for c, v in start.angles.items()):
        edges.append((goal, 350.0, "feet", ()))  # same posture, but not settled in it
    prof = float(profile_sign(start))
    if any(e[0] in PROFILE_POSTURES for e in edges) and start.posture in ("stand", "squat"):
        prof = float(_roomy(start, world, int(prof), _EXTENT.get(goal, 0.0)))
    needs_profile = any(e[0] in PROFILE_POSTURES for e in edges) and start.facing != prof
    natural = sum(e[1] for e in edges) + (TURN_MS if needs_profile else 0.0)
    scale = 1.0 if not budget or natural <= budget else max(0.2, budget / natural)
    chain = Chain(start, world)
    if needs_profile:
        m = turn(start, prof, TURN_MS * scale)
        if m:
            chain.add(m)
    for node, ms, anchor, between in edges:
        ms *= scale
        keys = [Key(f * ms, a) for f, a in between] + [Key(ms, REST[node], posture=node)]
        chain.add(Keyframes(chain.end, keys, anchor=anchor))
    return chain.parts


# Where the body ends up in a posture, in figure heights ahead (+) or behind (-) of the feet.
_EXTENT = {"sit": -0.45, "lie_back": -1.0, "kneel": 0.3, "all_fours": 0.5, "lie_front": 1.0}


def _roomy(pose: Pose, world: World, prof: int, extent: float) -> int:
    """`prof`, unless getting down that way would put the body off the stage: then the other way."""
    end = pose.x + prof * extent * H
    return prof if MARGIN / 2 <= end <= world.width - MARGIN / 2 else -prof


def stand_first(chain: Chain, budget: float) -> None:
    """Actions that need the figure on its feet get up first."""
    if chain.end.posture != "stand":
        chain.add(*transition(chain.end, "stand", chain.world, budget))


def face(chain: Chain, facing: float, ms: float = TURN_MS) -> None:
    m = turn(chain.end, facing, ms)
    if m:
        chain.add(m)


def face_within(chain: Chain, facing: float, avail: float) -> None:
    """`face`, quicker when an action has less than ~0.9 s left; not at all without time for it."""
    hop = min(TURN_MS, max(MIN_TURN_MS, 0.3 * avail))
    if hop <= avail:
        face(chain, facing, hop)


def toward_sign(pose: Pose, world: World) -> int:
    """+1 if the partner (else the stage centre) is to the right."""
    ref = world.partner_x()
    ref = world.width / 2 if ref is None else ref
    return _sign(ref - pose.x, pose.side)


def direction_sign(direction: str | None, pose: Pose, world: World) -> int:
    """Stage direction (+1 right, -1 left) of a params.direction for this pose."""
    if direction == "left":
        return -1
    if direction == "right":
        return 1
    if direction == "toward":
        return toward_sign(pose, world)
    if direction == "away":
        return -toward_sign(pose, world)
    prof = profile_sign(pose)
    return -prof if direction == "back" else prof


def _count(params: ActionParams, avail: float, period: float, default: int | None = None) -> int:
    if params.times:
        return params.times
    if default is not None:
        return default
    speed = params.speed or 1.0
    return max(1, round(avail * speed / period))


def _arms(hand: str | None, pose: Mapping[str, float], default: str = "right") -> dict[str, float]:
    """Apply an arm pose given as {'shoulder': a, 'elbow': e} to the hand(s) named."""
    sides = {"left": ("_l",), "right": ("_r",), "both": ("_l", "_r")}[hand or default]
    return {f"{k}{s}": v for s in sides for k, v in pose.items()}


def _rest_arms(posture: str) -> dict[str, float]:
    r = REST.get(posture, REST["stand"])
    return {c: r[c] for c in ("shoulder_l", "elbow_l", "shoulder_r", "elbow_r")}


def _oscillate(start: Pose, a: Mapping[str, float], b: Mapping[str, float], n: int, period: float,
               lead_in: float, lead_out: float, end: Mapping[str, float]) -> Keyframes:  # fmt: skip
    """Go to `a`, swing a->b->a `n` times, then settle into `end`."""
    keys = [Key(lead_in, a)]
    t = lead_in
    for _ in range(n):
        keys += [Key(t + period / 2, b), Key(t + period, a)]
        t += period
    keys.append(Key(t + lead_out, end))
    return Keyframes(start, keys)


# --- actions --------------------------------------------------------------------------------
Builder = Callable[[ActionParams, float, Pose, World], Motion]


def _idle(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    return Idle(start, w, dur)


def _stand(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    chain.add(*transition(start, "stand", w, dur))
    return chain.build(dur)


def locomote(kind: str, p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """walk / run: get up if needed, face the way, then a gait to a goal on the stage."""
    style = GAITS[kind]
    chain = Chain(start, w)
    stand_first(chain, 0.4 * dur)
    sig = direction_sign(p.direction, chain.end, w)
    facing = -sig if p.direction == "back" else sig  # "back": step backward, keep facing
    face_within(chain, float(facing), dur - chain.t)
    left = max(dur - chain.t, 1.0)
    speed = p.speed or 1.0
    reach = (
        p.distance * w.width
        if p.distance is not None
        else Gait.natural_reach(chain.end, sig, style, speed, left)
    )
    partner = w.partner_x()
    if p.direction == "toward" and partner is not None:
        gap = abs(partner - chain.end.x) - SEPARATION["shake_hands"]
        reach = min(reach, max(0.0, gap / 2 if w.mutual else gap))
    goal = w.clamp_x(chain.end.x + sig * reach)
    gait = fit_gait(chain.end, goal, facing, style, speed, dur - chain.t)
    if gait is not None:
        chain.add(gait)
    return chain.build(dur)


def fit_gait(
    start: Pose, goal_x: float, facing: int, style: GaitStyle, speed: float, ms: float, **kw: Any
) -> Gait | None:
    """The gait toward `goal_x` that ends, both feet planted, within `ms`: the whole way if the
    time allows it (squeezed up to MAX_SPEED), else as far as it gets (None: not a step)."""
    d = goal_x - start.x
    if abs(d) < 1.0 or ms <= 0:
        return None
    gait = Gait(start, goal_x, facing, style, speed, max_time=ms, **kw)
    if gait.duration <= ms:
        return gait
    best: Gait | None = None
    for step in (None, SHORT_STEP):  # its own stride, else quick short steps: whichever gets further
        lo, hi = 0.0, 1.0  # bisect on the fraction of the way
        for _ in range(20):
            mid = (lo + hi) / 2
            if abs(d * mid) < 1.0:
                lo = mid
                continue
            g = Gait(start, start.x + d * mid, facing, style, speed, max_time=ms, step=step, **kw)
            if g.duration > ms:
                hi = mid
                continue
            lo = mid
            if best is None or g.dist > best.dist:
                best = g
    return best


def _walk(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    return locomote("walk", p, dur, start, w)


def _run(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    return locomote("run", p, dur, start, w)


_CROUCH = _lr(torso=25.0, neck=-10.0, shoulder=-35.0, elbow=15.0, hip=45.0, knee=rig.crouch_knee(45.0))
_TAKEOFF = _lr(torso=5.0, neck=0.0, shoulder=165.0, elbow=10.0, hip=0.0, knee=0.0)
_TUCK = _lr(torso=10.0, shoulder=150.0, elbow=20.0, hip=40.0, knee=70.0)
_LAND = _lr(torso=8.0, shoulder=90.0, elbow=15.0, hip=4.0, knee=8.0)
_ABSORB = _lr(torso=15.0, neck=-5.0, shoulder=50.0, elbow=20.0, hip=30.0, knee=rig.crouch_knee(30.0))
# Fractions of one jump: crouch, push off, tuck, land, absorb, recover; airborne between 0.40 and 0.80.
_JUMP_KEYS = ((0.28, _CROUCH), (0.40, _TAKEOFF), (0.56, _TUCK), (0.78, _LAND), (0.90, _ABSORB))
_UP, _DOWN = 0.40, 0.80


class Jump(Keyframes):
    """`n` jumps: feet stay put on the ground, the pelvis flies in a straight line in the air."""

    def __init__(self, start: Pose, n: int, period: float, height: float, shift: float) -> None:
        keys = []
        for i in range(n):
            t0 = i * period
            keys += [Key(t0 + f * period, a) for f, a in _JUMP_KEYS]
            keys.append(Key(t0 + period, REST["stand"]))
        super().__init__(start, keys)
        self.n, self.period, self.height, self.shift = n, period, height, shift

    def _flight(self, t: float) -> tuple[int, float] | None:
        i = min(int(t // self.period), self.n - 1)
        u = (t - i * self.period) / self.period
        return (i, (u - _UP) / (_DOWN - _UP)) if _UP < u < _DOWN else None

    def sample(self, t: float) -> Pose:
        pose = super().sample(t)
        fl = self._flight(t)
        lift = self.height * 4 * fl[1] * (1 - fl[1]) if fl else 0.0
        return Pose(pose.angles, pose.x, pose.facing, pose.side, lift, pose.posture, pose.rel)

    def _ground_x(self, t: float, i: int) -> float:
        angles, facing, _ = self._at(t)
        side = _side_of(facing, self.start.side)
        a = clamp(angles, facing, side)
        return self.anchor_x + i * self.shift - foot_anchor(fk(a, facing, side), self.anchor)

    def _root_x(self, t: float, rel: Mapping[str, rig.Point]) -> float:
        fl = self._flight(t)
        if fl is None:
            i = min(int(t // self.period), self.n - 1)
            done = i + (1 if (t - i * self.period) >= _DOWN * self.period else 0)
            return self.anchor_x + done * self.shift - foot_anchor(rel, self.anchor)
        i, u = fl
        x0 = self._ground_x((i + _UP) * self.period, i)
        x1 = self._ground_x((i + _DOWN) * self.period, i + 1)
        return x0 + (x1 - x0) * u


def _jump(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    stand_first(chain, 0.4 * dur)
    shift = 0.0
    if p.direction or p.distance:
        sig = direction_sign(p.direction, chain.end, w)
        if abs(chain.end.facing) >= 1 and p.direction != "back":
            face(chain, float(sig))
        shift = sig * (p.distance * w.width if p.distance else 0.06 * w.width)
    left = max(dur - chain.t, 1.0)
    n = _count(p, left, 750.0)
    period = min(left / n, 1100.0)
    if shift:  # the last landing stays on the stage
        shift = (w.clamp_x(chain.end.x + shift * n) - chain.end.x) / n
    height = 0.25 * H * min(1.0, max(0.45, period / 800.0))
    chain.add(Jump(chain.end, n, period, height, shift))
    return chain.build(dur)


def _wave_poses(pose: Pose) -> tuple[dict[str, float], dict[str, float]]:
    # Hand above the shoulder, forearm sweeping side to side (front: outward; profile: over the head).
    if abs(pose.facing) < 0.5:
        return {"shoulder": 170.0, "elbow": 15.0}, {"shoulder": 145.0, "elbow": 70.0}
    return {"shoulder": 160.0, "elbow": 60.0}, {"shoulder": 160.0, "elbow": 0.0}


def _wave(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    a, b = _wave_poses(start)
    lead = min(300.0, 0.2 * dur)
    n = _count(p, dur - 2 * lead, 550.0)
    period = min(max((dur - 2 * lead) / n, 120.0), 900.0)
    m = _oscillate(
        start, _arms(p.hand, a), _arms(p.hand, b), n, period, lead, lead, _rest_arms(start.posture)
    )
    return Chain(start, w).add(m).build(dur)


def _clap_meet(pose: Pose, shoulder: float) -> float:
    """Elbow flexion that brings both hands together in a front view (golden-section search)."""

    def gap(e: float) -> float:
        a = dict(pose.angles, shoulder_l=shoulder, shoulder_r=shoulder, elbow_l=e, elbow_r=e)
        j = fk(a, pose.facing, pose.side)
        return math.dist(j["hand_l"], j["hand_r"])

    lo, hi = 60.0, rig.ROM["elbow_l"][1]
    g = (math.sqrt(5) - 1) / 2
    for _ in range(40):
        m1, m2 = hi - g * (hi - lo), lo + g * (hi - lo)
        if gap(m1) < gap(m2):
            hi = m2
        else:
            lo = m1
    return (lo + hi) / 2


def _clap(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    if abs(start.facing) < 0.5:
        meet = _lr(shoulder=30.0, elbow=_clap_meet(start, 30.0))
        apart = _lr(shoulder=55.0, elbow=95.0)
    else:  # profile: both arms forward; apart = one higher than the other
        meet = _lr(shoulder=80.0, elbow=25.0)
        apart = {"shoulder_l": 60.0, "elbow_l": 25.0, "shoulder_r": 100.0, "elbow_r": 25.0}
    lead = min(250.0, 0.15 * dur)
    n = _count(p, dur - 2 * lead, 450.0)
    period = min(max((dur - 2 * lead) / n, 120.0), 800.0)
    m = _oscillate(start, apart, meet, n, period, lead, lead, _rest_arms(start.posture))
    return Chain(start, w).add(m).build(dur)


_BOW = _lr(torso=55.0, neck=15.0, shoulder=50.0, elbow=5.0, hip=0.0, knee=0.0)


_BOW_REACH = max(x for x, _ in fk(_full(**_BOW), 1.0, 1).values()) + rig.HEAD_RADIUS  # ahead of the pelvis


def _bow(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    stand_first(chain, 0.4 * dur)
    # To someone, else in profile (a bow only reads in profile); never leaning over the stage edge.
    sig = toward_sign(chain.end, w) if w.partner_x() is not None else profile_sign(chain.end)
    if not 0.0 <= chain.end.x + sig * _BOW_REACH <= w.width:
        sig = -sig
    face_within(chain, float(sig), dur - chain.t)
    left = dur - chain.t
    n = _count(p, left, 1500.0, default=1)
    period = min(left / n, 1800.0)
    keys = []
    for i in range(n):
        t0 = i * period
        keys += [Key(t0 + 0.35 * period, _BOW), Key(t0 + 0.6 * period, _BOW), Key(t0 + period, REST["stand"])]
    return chain.add(Keyframes(chain.end, keys)).build(dur)


def _to_posture(goal: str) -> Builder:
    def build(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
        chain = Chain(start, w)
        chain.add(*transition(start, goal, w, 0.9 * dur))
        return chain.build(dur)

    return build


def _squat(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    if not p.times:  # "squat down": stay down
        return _to_posture("squat")(p, dur, start, w)
    chain = Chain(start, w)
    stand_first(chain, 0.4 * dur)
    period = min((dur - chain.t) / p.times, 1400.0)
    keys = []
    for i in range(p.times):
        keys += [
            Key((i + 0.45) * period, REST["squat"]),
            Key((i + 1) * period, REST["stand"], posture="stand"),
        ]
    return chain.add(Keyframes(chain.end, keys)).build(dur)


_FALL = (
    (0.25, _lr(torso=20.0, neck=-10.0, shoulder=70.0, elbow=20.0, hip=8.0, knee=45.0)),
    (0.55, _lr(torso=55.0, neck=-25.0, shoulder=140.0, elbow=15.0, hip=-25.0, knee=75.0)),
    (0.8, _lr(torso=88.0, neck=-35.0, shoulder=170.0, elbow=10.0, hip=-85.0, knee=20.0)),
)


def _fall(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    if start.posture != "stand":
        chain.add(*transition(start, "lie_front", w, 0.9 * dur))
        return chain.build(dur)
    face(chain, float(_roomy(start, w, direction_sign(p.direction, start, w), _EXTENT["lie_front"])))
    ms = min(1100.0, 0.8 * (dur - chain.t))
    keys = [Key(f * ms, a) for f, a in _FALL] + [Key(ms, REST["lie_front"], posture="lie_front")]
    return chain.add(Keyframes(chain.end, keys)).build(dur)


def _point_hand(p: ActionParams, chain: Chain, w: World) -> str:
    """Which hand points, turning first when the pointing direction is behind the figure."""
    if p.direction is None:
        return {"left": "left", "both": "both"}.get(p.hand or "", "right")
    sig = direction_sign(p.direction, chain.end, w)
    if abs(chain.end.facing) < 0.5:  # front view: the hand on that side points outward
        return "left" if sig > 0 else "right"
    if profile_sign(chain.end) != sig:
        face(chain, float(sig))
    return p.hand or "right"


def _point(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    hand = _point_hand(p, chain, w)
    left = dur - chain.t
    lead = min(300.0, 0.25 * left)
    arm = _arms(hand, {"shoulder": 90.0, "elbow": 0.0})
    keys = [Key(lead, arm), Key(left - lead, arm), Key(left, _rest_arms(chain.end.posture))]
    return chain.add(Keyframes(chain.end, keys)).build(dur)


def _nod(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    n = _count(p, dur, 600.0, default=2)
    period = min(dur / n, 900.0)
    keys = []
    for i in range(n):
        keys += [Key((i + 0.5) * period, {"neck": 24.0}), Key((i + 1) * period, {"neck": 0.0})]
    return Chain(start, w).add(Keyframes(start, keys)).build(dur)


def _shake_head(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    n = _count(p, dur, 500.0, default=3)
    period = min(dur / n, 800.0)
    keys = []
    for i in range(n):
        keys += [Key((i + 0.25) * period, {"neck": 14.0}), Key((i + 0.75) * period, {"neck": -14.0})]
    keys.append(Key(n * period + 0.25 * period, {"neck": 0.0}))
    return Chain(start, w).add(Keyframes(start, keys)).build(dur)


def _turn(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    if p.direction == "forward":
        goal = 0.0
    elif p.direction in ("left", "right", "toward", "away"):
        goal = float(direction_sign(p.direction, start, w))
    else:  # no direction or "back": turn around
        goal = float(-profile_sign(start))
    chain = Chain(start, w)
    m = turn(start, goal, min(TURN_MS * 1.5, dur))
    if m:
        chain.add(m)
    return chain.build(dur)


def _dance(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    stand_first(chain, 0.3 * dur)
    left = dur - chain.t
    beats = 2 * p.times if p.times else _count(p, left, 450.0)
    beat = min(left / beats, 700.0)
    down, up = _lr(hip=22.0, knee=rig.crouch_knee(22.0)), _lr(hip=4.0, knee=rig.crouch_knee(4.0))
    arms_a = {"shoulder_l": 150.0, "elbow_l": 30.0, "shoulder_r": 40.0, "elbow_r": 70.0}
    arms_b = {"shoulder_l": 40.0, "elbow_l": 70.0, "shoulder_r": 150.0, "elbow_r": 30.0}
    keys = []
    for i in range(beats):
        arms, lean = (arms_a, 7.0) if i % 2 == 0 else (arms_b, -7.0)
        keys += [
            Key((i + 0.5) * beat, {**down, **arms, "torso": lean, "neck": -lean}),
            Key((i + 1) * beat, up),
        ]
    keys.append(Key(beats * beat + 200.0, REST["stand"]))
    return chain.add(Keyframes(chain.end, keys)).build(dur)


def _face_target(chain: Chain, p: ActionParams, w: World) -> None:
    """Profile toward the direction asked, the partner, or the current profile."""
    if p.direction:
        sig = direction_sign(p.direction, chain.end, w)
    elif w.partner_x() is not None:
        sig = toward_sign(chain.end, w)
    else:
        sig = profile_sign(chain.end)
    face(chain, float(sig))


def _kick(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """Kick `times` times toward the direction/partner; params.hand names the kicking leg."""
    chain = Chain(start, w)
    stand_first(chain, 0.4 * dur)
    _face_target(chain, p, w)
    leg = "_l" if p.hand == "left" else "_r"
    other = "_r" if leg == "_l" else "_l"
    left = dur - chain.t
    n = _count(p, left, 900.0, default=1)
    period = min(left / n, 1200.0)
    guard = _lr(shoulder=45.0, elbow=100.0)
    lift = {"hip" + leg: 30.0, "knee" + leg: rig.crouch_knee(30.0)}  # foot straight up first
    keys = []
    for i in range(n):
        t0 = i * period
        keys += [
            Key(t0 + 0.15 * period, {**guard, **lift}),
            Key(t0 + 0.3 * period, {"torso": -5.0, "hip" + leg: -20.0, "knee" + leg: 80.0}),
            Key(t0 + 0.5 * period, {"torso": -15.0, "hip" + leg: 85.0, "knee" + leg: 5.0}),
            Key(t0 + 0.75 * period, {"torso": -5.0, **lift}),
            Key(t0 + period, REST["stand"]),
        ]
    return chain.add(Keyframes(chain.end, keys, anchor="foot" + other)).build(dur)


def _punch(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    stand_first(chain, 0.4 * dur)
    _face_target(chain, p, w)
    left = dur - chain.t
    n = _count(p, left, 500.0, default=2 if p.hand == "both" else 1)
    lead = min(250.0, 0.2 * left)
    period = min((left - 2 * lead) / n, 800.0)
    guard = _lr(torso=8.0, shoulder=50.0, elbow=120.0)
    keys = [Key(lead, guard)]
    for i in range(n):
        side = ("_r" if i % 2 == 0 else "_l") if p.hand == "both" else ("_l" if p.hand == "left" else "_r")
        t0 = lead + i * period
        keys += [
            Key(t0 + 0.4 * period, {"torso": 15.0, "shoulder" + side: 88.0, "elbow" + side: 5.0}),
            Key(t0 + period, guard),
        ]
    keys.append(Key(lead + n * period + lead, REST["stand"]))
    return chain.add(Keyframes(chain.end, keys)).build(dur)


def _pose(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    frames = sorted(p.keyframes or [], key=lambda k: k.t)
    keys = []
    for i, k in enumerate(frames):
        t = k.t * dur
        if i == 0 and t < 1.0:  # a key at 0 is reached shortly after, not by a jump
            t = min(200.0, 0.5 * dur, (frames[1].t * dur / 2) if len(frames) > 1 else 200.0)
        keys.append(Key(t, dict(k.angles), posture="custom"))
    return Chain(start, w).add(Keyframes(start, keys)).build(dur)


BUILDERS: dict[str, Builder] = {
    "idle": _idle,
    "stand": _stand,
    "walk": _walk,
    "run": _run,
    "jump": _jump,
    "wave": _wave,
    "clap": _clap,
    "bow": _bow,
    "sit": _to_posture("sit"),
    "stand_up": _stand,
    "squat": _squat,
    "kneel": _to_posture("kneel"),
    "point": _point,
    "nod": _nod,
    "shake_head": _shake_head,
    "turn": _turn,
    "dance": _dance,
    "kick": _kick,
    "punch": _punch,
    "fall": _fall,
    "lie_down": _to_posture("lie_back"),
    "pose": _pose,
}


def build(action: Action, start: Pose, world: World) -> Motion:
    """The motion of one character's (non-interaction) action, from its pose at the start."""
    return BUILDERS[action.action](action.params, action.duration, start, world)


# --- interactions ---------------------------------------------------------------------------
_SHAKE = {"shoulder_r": 65.0, "elbow_r": 25.0}
_FIVE_UP = {"shoulder_r": 100.0, "elbow_r": 45.0}
_FIVE = {"shoulder_r": 125.0, "elbow_r": 10.0}
_HUG = _lr(torso=5.0, shoulder=85.0, elbow=60.0)
_PUSH_BENT = _lr(torso=5.0, shoulder=75.0, elbow=100.0)
_PUSH_OUT = _lr(torso=12.0, shoulder=85.0, elbow=5.0)


def _reach(angles: Mapping[str, float], hand: str = "hand_r") -> float:
    """How far in front of the pelvis a hand is, in profile."""
    return fk(_full(**angles), 1.0, 1)[hand][0]


# Pelvis-to-pelvis distance at which the gesture's hands meet (both figures share the rig).
SEPARATION: dict[str, float] = {
    "shake_hands": 2 * _reach(_SHAKE),
    "pull": 2 * _reach(_SHAKE),
    "high_five": 2 * _reach(_FIVE),
    "hug": _reach(_HUG) - 3.0,  # hands just behind the other's back
    "push": _reach(_PUSH_BENT) + 6.0,  # hands on the other's chest
}


def _gesture_keys(kind: str, ms: float) -> list[Key]:
    """Arm keys of an interaction's gesture, identical in timing for both characters."""
    rest = _rest_arms("stand")
    if kind == "shake_hands":
        keys = [Key(0.18 * ms, _SHAKE)]
        for i in range(3):  # pump, both in step so the hands stay together
            t = 0.18 + i * 0.2
            keys += [Key((t + 0.1) * ms, {"shoulder_r": 57.0}), Key((t + 0.2) * ms, _SHAKE)]
        return keys + [Key(ms, rest)]
    if kind == "high_five":
        return [Key(0.3 * ms, _FIVE_UP), Key(0.45 * ms, _FIVE), Key(0.75 * ms, _FIVE), Key(ms, rest)]
    if kind == "hug":
        return [Key(0.3 * ms, _HUG), Key(0.8 * ms, _HUG), Key(ms, {**rest, "torso": 0.0})]
    raise ValueError(kind)


def _approach(chain: Chain, goal: float, facing: int, budget: float, limit: float) -> None:
    """Get up, face the other and walk to `goal`: on the `budget`'s schedule, and stopped on both
    feet by `limit` (ms) however short of the goal that leaves it."""
    stand_first(chain, 0.5 * budget)
    face_within(chain, float(facing), limit - chain.t)
    if abs(goal - chain.end.x) >= 1.0:
        gait = Gait(chain.end, goal, facing, WALK, max_time=max(budget - chain.t, 200.0))
        fitted = (
            gait
            if gait.duration <= limit - chain.t
            else fit_gait(chain.end, goal, facing, WALK, 1.0, limit - chain.t)
        )
        if fitted is not None:
            chain.add(fitted)


def interaction(action: Action, actor: Pose, target: Pose, wa: World, wb: World) -> tuple[Motion, Motion]:
    """Both characters of an interaction: they come together, face each other, and the gesture
    makes their hands meet (each uses its own right hand for shake_hands, high_five and pull).
    Returns (actor's motion, target's motion), both lasting the action's duration."""
    kind, dur = action.action, action.duration
    dirn = _sign(target.x - actor.x, actor.side)  # where the target is, seen from the actor
    sep = SEPARATION[kind]
    mid = min(max((actor.x + target.x) / 2, MARGIN + sep / 2), wa.width - MARGIN - sep / 2)
    ca, cb = Chain(actor, wa), Chain(target, wb)
    limit = dur - min(200.0, 0.2 * dur)  # time left for the gesture
    _approach(ca, mid - dirn * sep / 2, dirn, 0.5 * dur, limit)
    _approach(cb, mid + dirn * sep / 2, -dirn, 0.5 * dur, limit)
    meet = max(ca.t, cb.t)
    ca.hold(meet - ca.t)
    cb.hold(meet - cb.t)
    ms = max(dur - meet, 1.0)
    if kind in ("shake_hands", "high_five", "hug"):
        ca.add(Keyframes(ca.end, _gesture_keys(kind, ms)))
        cb.add(Keyframes(cb.end, _gesture_keys(kind, ms)))
    elif kind == "push":
        _push(ca, cb, dirn, ms)
    else:
        _pull(ca, cb, dirn, ms)
    return ca.build(dur), cb.build(dur)


def _push(ca: Chain, cb: Chain, dirn: int, ms: float) -> None:
    """The actor's arms shoot out; the target stumbles back, still facing the actor."""
    rest = _rest_arms("stand")
    hit = 0.35 * ms
    ca.add(
        Keyframes(
            ca.end,
            [Key(0.25 * ms, _PUSH_BENT), Key(hit, _PUSH_OUT), Key(0.75 * ms, _PUSH_OUT), Key(ms, rest)],
        )
    )
    cb.hold(hit - 40.0)
    flail = _lr(shoulder=60.0, elbow=40.0)
    stumble = 0.35 * ms
    goal = cb.world.clamp_x(cb.end.x + dirn * 0.3 * H)
    gait = fit_gait(cb.end, goal, -dirn, WALK, 1.0, stumble, arms=flail, lean=-10.0)
    if gait is not None:
        cb.add(gait)


def _pull(ca: Chain, cb: Chain, dirn: int, ms: float) -> None:
    """Right hands join; the actor backs off and the target follows, hands together."""
    grip = Key(0.2 * ms, _SHAKE)
    ca.add(Keyframes(ca.end, [grip]))
    cb.add(Keyframes(cb.end, [grip]))
    arms = {**_rest_arms("stand"), **_SHAKE}
    walk = 0.6 * ms
    shift = -dirn * 0.3 * H
    room = ca.world.clamp_x(ca.end.x + shift) - ca.end.x  # stay on stage: both move the same
    room = -dirn * min(abs(room), abs(cb.world.clamp_x(cb.end.x + shift) - cb.end.x))
    ga = fit_gait(ca.end, ca.end.x + room, dirn, WALK, 1.0, walk, arms=arms, lean=-6.0)
    if ga is not None:  # the target follows as far as the actor gets
        ca.add(ga)
        room = ga.sigma * ga.dist
        gb = fit_gait(cb.end, cb.end.x + room, -dirn, WALK, 1.0, walk, arms=arms, lean=6.0)
        if gb is not None:
            cb.add(gb)
    release = Key(0.2 * ms, _rest_arms("stand"))
    ca.add(Keyframes(ca.end, [release]))
    cb.add(Keyframes(cb.end, [release]))
