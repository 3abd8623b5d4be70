"""Gestures of one character that move the arms or the head: wave, clap, point, nod, shake
the head; and the helpers every one-character action shares to count and shape repetitions."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .. import rig
from ..rig import Pose, fk
from ..schema import ActionParams
from .core import Chain, Key, Keyframes, Motion, World, direction_sign, profile_sign
from .postures import face
from .rest import PROFILE_POSTURES, lr, rest_arms


def count(params: ActionParams, avail: float, period: float, default: int | None = None) -> int:
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


def _wave_poses(pose: Pose) -> tuple[dict[str, float], dict[str, float]]:
    # Hand above the shoulder, forearm sweeping side to side (front: outward; profile: raised in
    # front of the face, so the forearm never sweeps through the head).
    if pose.posture in PROFILE_POSTURES:  # sitting or lying: the arm up from the shoulder, lower
        return {"shoulder": 100.0, "elbow": 60.0}, {"shoulder": 95.0, "elbow": 5.0}
    if abs(pose.facing) < 0.5:
        return {"shoulder": 170.0, "elbow": 15.0}, {"shoulder": 145.0, "elbow": 70.0}
    return {"shoulder": 130.0, "elbow": 60.0}, {"shoulder": 125.0, "elbow": 5.0}


def wave(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    a, b = _wave_poses(start)
    lead = min(300.0, 0.2 * dur)
    n = count(p, dur - 2 * lead, 550.0)
    period = min(max((dur - 2 * lead) / n, 120.0), 900.0)
    m = _oscillate(start, _arms(p.hand, a), _arms(p.hand, b), n, period, lead, lead, rest_arms(start.posture))
    return Chain(start, w).add(m).build(dur)


def _clap_meet(pose: Pose, shoulder: float) -> float:
    """Elbow flexion that brings both hands together in a front view (golden-section search),
    forearms folded up toward the chest (less flexion would meet lower, at the belly)."""

    def gap(e: float) -> float:
        a = dict(pose.angles, shoulder_l=shoulder, shoulder_r=shoulder, elbow_l=e, elbow_r=e)
        j = fk(a, pose.facing, pose.side)
        return math.dist(j["hand_l"], j["hand_r"])

    lo, hi = 120.0, rig.ROM["elbow_l"][1]
    g = (math.sqrt(5) - 1) / 2
    for _ in range(40):
        m1, m2 = hi - g * (hi - lo), lo + g * (hi - lo)
        if gap(m1) < gap(m2):
            hi = m2
        else:
            lo = m1
    return (lo + hi) / 2


def clap(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    if abs(start.facing) < 0.5:  # chest height; apart: upper arms out, forearms level
        meet = lr(shoulder=26.0, elbow=_clap_meet(start, 26.0))
        apart = lr(shoulder=75.0, elbow=135.0)
    else:  # profile: both arms forward; apart = one higher than the other
        meet = lr(shoulder=80.0, elbow=25.0)
        apart = {"shoulder_l": 60.0, "elbow_l": 25.0, "shoulder_r": 100.0, "elbow_r": 25.0}
    lead = min(250.0, 0.15 * dur)
    n = count(p, dur - 2 * lead, 450.0)
    period = min(max((dur - 2 * lead) / n, 120.0), 800.0)
    m = _oscillate(start, apart, meet, n, period, lead, lead, rest_arms(start.posture))
    return Chain(start, w).add(m).build(dur)


def _point_hand(p: ActionParams, chain: Chain, w: World) -> str:
    """Which hand points, turning first when the pointing direction is behind the figure."""
    if p.direction is None:
        return {"left": "left", "both": "both"}.get(p.hand or "", "right")
    sig = direction_sign(p.direction, chain.end, w)
    outward = "left" if sig > 0 else "right"  # front view: the hand on that side points outward
    if abs(chain.end.facing) < 0.5 and p.hand in (None, outward):
        return p.hand or outward
    if profile_sign(chain.end) != sig or abs(chain.end.facing) < 0.5:  # the named hand, in profile
        face(chain, float(sig))
    return p.hand or "right"


def point(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    hand = _point_hand(p, chain, w)
    left = dur - chain.t
    lead = min(300.0, 0.25 * left)
    arm = _arms(hand, {"shoulder": 90.0, "elbow": 0.0})
    keys = [Key(lead, arm), Key(left - lead, arm), Key(left, rest_arms(chain.end.posture))]
    return chain.add(Keyframes(chain.end, keys)).build(dur)


# A nod reads when the head clearly dips: in profile the head tips forward with a little lean;
# from the front the bow foreshortens the neck (rig.fk), so the head drops over the shoulders.
_NOD_PROFILE = {"torso": 6.0, "neck": 40.0}
_NOD_FRONT = {"torso": 2.0, "neck": 55.0}


def nod(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    n = count(p, dur, 600.0, default=2)
    period = min(dur / n, 900.0)
    down = _NOD_FRONT if abs(start.facing) < 0.5 else _NOD_PROFILE
    if start.posture != "stand":  # sitting, kneeling, lying: the head alone, from where it is
        dip = -15.0 if start.posture == "lie_front" else 25.0  # face down: arms overhead, head bobs up
        down = {"neck": start.angles["neck"] + dip}
    up = {c: start.angles[c] for c in down}
    keys = []
    for i in range(n):
        keys += [Key((i + 0.45) * period, down), Key((i + 1) * period, up)]
    return Chain(start, w).add(Keyframes(start, keys)).build(dur)


@dataclass(frozen=True)
class HeadRoll:
    """`inner` with the head rolling side to side `n` times (`amp` degrees, one `period` each):
    a head shake seen from the front, where the neck channel bows toward the viewer. Profile
    views keep `inner` as it is (rolled toward the viewer, the head would hardly move)."""

    inner: Motion
    n: int
    period: float
    amp: float

    @property
    def duration(self) -> float:
        return self.inner.duration

    def sample(self, t: float) -> Pose:
        pose = self.inner.sample(t)
        u = t / self.period
        roll = self.amp * (1.0 - abs(pose.facing)) * math.sin(2 * math.pi * u) if u < self.n else 0.0
        if pose.rel is None or abs(roll) < 1e-9:
            return pose
        (hx, hy), (nx, ny) = pose.rel["head"], pose.rel["neck"]
        c, s = math.cos(math.radians(roll)), math.sin(math.radians(roll))
        head = (nx + (hx - nx) * c - (hy - ny) * s, ny + (hx - nx) * s + (hy - ny) * c)
        return replace(pose, rel={**pose.rel, "head": head})


def shake_head(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    n = count(p, dur, 500.0, default=3)
    period = min(dur / (n + 0.25), 800.0)  # n shakes and a quarter to settle, within `dur`
    keys = []
    neck = start.angles["neck"] if start.posture != "stand" else 0.0  # lying: about where the head is
    if abs(start.facing) < 0.5:
        settle = Keyframes(start, [Key((n + 0.25) * period, {"neck": neck})])
        return Chain(start, w).add(HeadRoll(settle, n, period, 16.0)).build(dur)
    for i in range(n):
        keys += [
            Key((i + 0.25) * period, {"neck": neck + 14.0}),
            Key((i + 0.75) * period, {"neck": neck - 14.0}),
        ]
    keys.append(Key(n * period + 0.25 * period, {"neck": neck}))
    return Chain(start, w).add(Keyframes(start, keys)).build(dur)
