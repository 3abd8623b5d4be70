"""Walking and running: inverse kinematics on scheduled foot plants, so a planted foot never slides."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import rig
from ..rig import Pose, clamp, fk
from .core import BLEND_MS, H, ease, sign


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


WALK = GaitStyle(0.75 * H / 1000, 0.36 * H, 0.45 * H, 0.58, 9.0, 0.965, 4.0, 0.7, 6.0, 18.0)
RUN = GaitStyle(2.0 * H / 1000, 0.66 * H, 0.75 * H, 0.36, 24.0, 0.9, 12.0, 1.1, 12.0, 85.0)
JOG = GaitStyle(1.25 * H / 1000, 0.5 * H, 0.6 * H, 0.45, 16.0, 0.93, 6.0, 0.9, 10.0, 80.0)  # a slow run
GAITS = {"walk": WALK, "run": RUN, "jog": JOG}  # by action name: the registry's actions that travel
MAX_SPEED = 5.0 * H / 1000  # units per ms; a squeezed schedule never moves faster
MIN_SWING_MS = 125.0  # a foot's shortest time in the air
MIN_STEP_MS = MIN_SWING_MS / 1.6  # a squeezed schedule's shortest step (a swing lasts < 2 steps)
SHORT_STEP = 0.3 * H  # the steps of a walk or run too short for its own stride


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
        cap: float = MAX_SPEED,
    ) -> None:
        self.start, self.s, self.style, self.arms = start, facing, style, arms
        self.lean = style.lean if lean is None else lean
        self.x0 = start.x
        d = goal_x - start.x
        self.sigma = sign(d, facing)
        self.dist = abs(d)
        v = style.speed * speed
        step = min(style.step * math.sqrt(speed), style.max_step, step or math.inf)
        if max_time:  # squeeze the schedule into the time available
            v = min(max(v, (self.dist + 3 * step) / max(max_time - self.RAMP, 1.0)), cap, step / MIN_STEP_MS)
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

    def along(self, t: float) -> float:
        """How far along its way the pelvis is at `t` (ms; it stays at the end afterward)."""
        return _trapezoid(min(max(t, 0.0), self.duration), self.t_move, self.ramp, self.dist)[0]

    def _cap(self, t: float) -> float:
        """Leg length cap: straight at rest, slightly bent while moving."""
        straight = rig.LEG - 1e-7
        if t < self.RAMP:
            return straight + (self.l_max - straight) * ease(t / self.RAMP)
        end = max(self.t_swing_end, self.t_move)
        return self.l_max + (straight - self.l_max) * ease((t - end) / self.RAMP)

    def _foot(self, f: str, t: float) -> tuple[float, float, float]:
        """(u along the path, height above ground, leg length allowed) of one foot."""
        cap = self._cap(t)
        for ph in self.phases[f]:
            if ph.t0 <= t < ph.t1 or ph.t1 == math.inf:
                if ph.swing:
                    phi = (t - ph.t0) / (ph.t1 - ph.t0)
                    h = self.style.clearance * min(1.0, 0.35 + abs(ph.u1 - ph.u0) / (2 * self.step))
                    ahead = ease((phi - 0.1) / 0.8)  # lift off and set down vertically: no scuffing
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
        blend = ease(t / BLEND_MS)
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


MIN_PACE = {"walk": 0.35, "run": 0.5, "jog": 0.5}  # slowest fraction of its speed a walk or run is eased to
SETTLE_MS = 200.0  # a gait may end this long before its time is up


def steady_gait(
    start: Pose,
    goal_x: float,
    facing: int,
    kind: str,
    speed: float,
    ms: float,
    far_x: float | None = None,
    stretch: bool = False,
) -> Gait | None:
    """A walk or run that keeps moving for about `ms`. To `goal_x` at `speed` if that takes
    the time; else (`stretch`: the goal was only a guess) further on toward `far_x` (the
    farthest it may go that way) at that pace; else slower, down to MIN_PACE of it; else on
    toward `far_x` at the slowest pace. Never standing still for most of its time."""
    style = GAITS[kind]
    gait = fit_gait(start, goal_x, facing, style, speed, ms)
    if gait is None or gait.duration >= ms - SETTLE_MS:
        return gait
    if stretch and far_x is not None:
        gait = _furthest(start, goal_x, far_x, facing, style, speed, ms) or gait
        if gait.duration >= ms - SETTLE_MS:
            return gait
    slow = speed * MIN_PACE[kind]
    end = ms - 0.5 * SETTLE_MS if stretch else ms  # a guessed goal: rather a little early than slow
    lo = 0.85 * speed if stretch else slow  # a guessed goal: hardly slower
    goal = start.x + gait.sigma * gait.dist
    best = _paced(start, goal, facing, style, lo, max(speed, gait.v / style.speed), end) or gait
    if best.duration >= ms - SETTLE_MS or far_x is None:
        return best
    further = _furthest(start, goal, far_x, facing, style, slow, ms)
    if further is None or further.dist <= gait.dist + 1.0:
        return best
    x = start.x + further.sigma * further.dist
    paced = _paced(start, x, facing, style, slow, speed, ms) or further
    return max((best, further, paced), key=lambda g: g.duration)


def _paced(
    start: Pose, goal_x: float, facing: int, style: GaitStyle, lo: float, hi: float, end: float
) -> Gait | None:
    """The slowest gait to `goal_x` between paces `lo` and `hi` (of the style's speed) that ends
    by `end`; one more step is a jump in time, so three step lengths are tried."""
    best = None
    # (a short fixed step last: its count does not change with the pace, so some pace fills the time)
    for step in (None, 0.85 * style.step, 0.5 * style.step):
        a, b = lo, hi
        for _ in range(8):
            mid = (a + b) / 2
            g = Gait(start, goal_x, facing, style, mid, step=step)
            if g.duration <= end:
                b = mid
                best = g if best is None or g.duration > best.duration else best
            else:
                a = mid
        if best is not None and best.duration >= end - SETTLE_MS:
            break
    return best


def _furthest(
    start: Pose, near_x: float, far_x: float, facing: int, style: GaitStyle, speed: float, ms: float
) -> Gait | None:
    """The gait at `speed` (not squeezed) that ends within `ms` nearest `far_x`, past `near_x`."""
    best = None
    for step in (None, 0.85 * style.step, 0.7 * style.step):  # steps come whole: try three lengths
        lo, hi = 0.0, 1.0
        for _ in range(10):
            mid = (lo + hi) / 2
            x = near_x + (far_x - near_x) * mid
            if abs(x - start.x) < 1.0:
                lo = mid
                continue
            g = Gait(start, x, facing, style, speed, step=step)
            if g.duration <= ms:
                lo = mid
                best = g if best is None or g.duration > best.duration else best
            else:
                hi = mid
        if best is not None and best.duration >= ms - SETTLE_MS:
            break
    return best
