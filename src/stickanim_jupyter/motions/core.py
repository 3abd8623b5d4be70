"""Building blocks of every motion, and what a motion may know about the stage.

- :class:`Keyframes`: eased key poses; root x keeps the feet (or one foot) where they were.
- :class:`Idle`: relax into the posture's rest pose and breathe (never frozen).
- :class:`Sequence` / :class:`Chain`: one motion after another, each starting where the last ended.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping
from collections.abc import Sequence as Seq
from dataclasses import dataclass, field
from typing import Protocol

from .. import rig
from ..rig import FIGURE_HEIGHT, Pose, clamp, fk, foot_anchor
from .footing import clear_feet
from .rest import REST, rest_pose

# --- tuning ---------------------------------------------------------------------------------
MARGIN = 75.0  # keep planned pelvis positions this far from the stage edges
TURN_MS = 260.0  # a hop-turn
MIN_TURN_MS = 140.0  # the quickest (still airborne in a frame 100 ms apart, see quality.MAX_GAP_MS)
HOP = 5.0  # its height: a quick hop turns the feet without dragging them over the ground
BLEND_MS = 250.0
REST_MS = 500.0  # Idle: time to relax into the rest pose
BREATH_MS = 3400.0  # one breath

H = FIGURE_HEIGHT


# --- context --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Thing:
    """A prop as an action sees it when it starts (the compiler's prop tracks say where it is)."""

    kind: str
    x: float  # bottom centre, stage units
    y: float  # bottom, stage units (y down): the ground unless carried or flying
    width: float
    height: float
    holder: str | None = None  # the character holding it, if any


@dataclass(frozen=True)
class World:
    """What a motion may know about the stage and the others when it is built."""

    width: float = 960.0
    ground: float = 480.0
    others: Mapping[str, Pose] = field(default_factory=dict)  # other characters at the action start
    partner: str | None = None  # who toward/away refer to: the target, else the nearest other
    mutual: bool = False  # the partner walks toward this character at the same time
    phase: float = 0.0  # breathing phase of this character
    things: Mapping[str, Thing] = field(default_factory=dict)  # props at the action start, by id
    me: str | None = None  # this character's id (who holds a thing)
    # The others' planned poses at ms since the action start, as far as they are built (the
    # compiler builds actions in start order), until `horizon` ms: this action's plan holds that
    # long (its character's next action, or the scene end). A walk stops short of their paths.
    plans: Mapping[str, Callable[[float], Pose]] = field(default_factory=dict)
    horizon: float = 0.0
    # How far the others' walks planned after this one come toward this character while it moves.
    oncoming: Mapping[str, float] = field(default_factory=dict)

    def partner_x(self) -> float | None:
        pose = self.others.get(self.partner) if self.partner else None
        return pose.x if pose else None

    def clamp_x(self, x: float) -> float:
        return min(max(x, MARGIN), self.width - MARGIN)


class Motion(Protocol):
    @property
    def duration(self) -> float: ...  # read-only: a Staged motion reports its inner one's

    def sample(self, t: float) -> Pose: ...


def ease(u: float) -> float:
    u = 0.0 if u < 0 else 1.0 if u > 1 else u
    return u * u * (3.0 - 2.0 * u)


def sign(v: float, default: int = 1) -> int:
    return 1 if v > 1e-9 else -1 if v < -1e-9 else default


def side_of(facing: float, side: int) -> int:
    # Once in profile, "forward" for a later front view is that profile's direction.
    return 1 if facing >= 1.0 else -1 if facing <= -1.0 else side


def profile_sign(pose: Pose) -> int:
    """The way a figure looks in profile: its facing if turned, else its side."""
    return sign(pose.facing, pose.side)


def toward_sign(pose: Pose, world: World) -> int:
    """+1 if the partner (else the stage centre) is to the right."""
    ref = world.partner_x()
    ref = world.width / 2 if ref is None else ref
    return sign(ref - pose.x, pose.side)


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


# --- building blocks ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Key:
    t: float  # ms from the motion start
    angles: Mapping[str, float]  # channels that change; the others keep their previous value
    facing: float | None = None
    posture: str | None = None


STEP_MS = 25.0  # Keyframes: how often the planted foot is looked at
LEVEL = 0.25  # feet closer in height than this are both on the ground (quality.GROUND_EPS: 0.5)


class Keyframes:
    """Smoothly eased key poses. Root x keeps `anchor` (feet, foot_l, foot_r, pelvis) where it
    was, so a grounded pose change does not slide the feet; `lift(t)` raises it off the ground.

    With the default anchor ("feet") and legs that move, the foot that is on the ground at each
    moment stays put (looked at every STEP_MS): a pose that lifts one foot, then the other, or
    whose in-betweens lower another foot than its key poses do, never drags the standing one."""

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
        legs_move = anchor == "feet" and self._legs_move()
        self.anchor = anchor = self._standing_foot(rel) if anchor == "feet" else anchor
        self.anchor_x = start.x + foot_anchor(rel, anchor)
        self._pieces: list[tuple[float, str, float]] | None = None if legs_move else []

    @property
    def pieces(self) -> list[tuple[float, str, float]]:
        """The planted-foot pieces, worked out when first sampled: many motions are built only
        to be measured or tried, and never sampled."""
        if self._pieces is None:
            self._pieces = self._plant()
        return self._pieces

    def _legs_move(self) -> bool:
        first = self.frames[0]
        return any(f != self.facings[0] for f in self.facings) or any(
            abs(frame[c] - first[c]) > 1e-9 for frame in self.frames for c in _LEG_CHANNELS
        )

    def _plant(self) -> list[tuple[float, str, float]]:
        """(from t, planted joint, its x) pieces: the lower foot; while both are level, the one
        that stays down next (else the one down before, else both: their mean). A change takes
        over from where that joint is then, found to within a millisecond (no jump, no drag)."""
        times = sorted({*(min(i * STEP_MS, self.duration) for i in range(math.ceil(self.duration / STEP_MS) + 1)),
                        *self.times})  # fmt: skip
        raw = [planted(self._rel(t)[4], level=LEVEL) for t in times]
        ahead = _resolve_level(raw)
        x = self.start.x + foot_anchor(fk(self.start.angles, self.start.facing, self.start.side), ahead[0])
        pieces = [(0.0, ahead[0], x)]
        for i in range(1, len(times)):
            if ahead[i] == pieces[-1][1]:
                continue
            t = self._switch(times[i - 1], times[i], raw[i - 1])
            rel = self._rel(t)[4]
            root = pieces[-1][2] - foot_anchor(rel, pieces[-1][1])
            pieces.append((t, ahead[i], root + foot_anchor(rel, ahead[i])))
        return pieces

    def _switch(self, a: float, b: float, state: str) -> float:
        """When, between `a` (in `state`) and `b`, the planted foot changes."""
        for _ in range(5):
            m = (a + b) / 2
            a, b = (m, b) if planted(self._rel(m)[4], level=LEVEL) == state else (a, m)
        return b

    def _standing_foot(self, rel: Mapping[str, rig.Point]) -> str:
        """ "feet", or the one foot that stays down when a key pose (or the start) lifts the other:
        the mean of both feet would drag the standing one along."""
        standing = {planted(rel)}
        for angles, facing in zip(self.frames[1:], self.facings[1:], strict=True):
            side = side_of(facing, self.start.side)
            standing.add(planted(fk(clamp(angles, facing, side), facing, side)))
        standing.discard("feet")
        return standing.pop() if len(standing) == 1 else "feet"

    def _at(self, t: float) -> tuple[dict[str, float], float, str]:
        i = bisect_right(self.times, t) - 1
        if i >= len(self.times) - 1:
            return self.frames[-1], self.facings[-1], self.postures[-1]
        if i < 0:
            return self.frames[0], self.facings[0], self.postures[0]
        u = ease((t - self.times[i]) / (self.times[i + 1] - self.times[i]))
        a, b = self.frames[i], self.frames[i + 1]
        angles = {c: a[c] + (b[c] - a[c]) * u for c in a}
        for f, on in zip(("_l", "_r"), self.crouch[i], strict=True):
            if on:
                angles["knee" + f] = rig.crouch_knee(angles["hip" + f])
        facing = self.facings[i] + (self.facings[i + 1] - self.facings[i]) * u
        return angles, facing, self.postures[i + 1 if u >= 0.5 else i]

    def _rel(self, t: float) -> tuple[dict[str, float], float, int, str, dict[str, rig.Point]]:
        """(clamped angles, facing, side, posture, joints relative to the pelvis) at `t`."""
        angles, facing, posture = self._at(t)
        side = side_of(facing, self.start.side)
        angles = clamp(angles, facing, side)
        return angles, facing, side, posture, fk(angles, facing, side)

    def sample(self, t: float) -> Pose:
        angles, facing, side, posture, rel = self._rel(t)
        x = self._root_x(t, rel)
        lift = self.lift(t) if self.lift else 0.0
        return Pose(angles, x, facing, side, lift, posture, rel)

    def _root_x(self, t: float, rel: Mapping[str, rig.Point]) -> float:
        if self.pieces:
            _, anchor, x = self.pieces[max(0, bisect_right(self.pieces, (t, "~")) - 1)]
            return x - foot_anchor(rel, anchor)
        return self.anchor_x - foot_anchor(rel, self.anchor)


_LEG_CHANNELS = ("torso", "hip_l", "hip_r", "knee_l", "knee_r")


def _resolve_level(raw: list[str]) -> list[str]:
    """Planted joints with "feet" (both level) replaced by the foot planted next, else before."""
    out = list(raw)
    nxt = "feet"
    for i in range(len(out) - 1, -1, -1):
        if out[i] == "feet":
            out[i] = nxt
        else:
            nxt = out[i]
    prev = "feet"
    for i, r in enumerate(raw):
        if r != "feet":
            prev = r
        elif out[i] == "feet":
            out[i] = prev
    return out


def planted(rel: Mapping[str, rig.Point], anchor: str = "feet", level: float = 1.0) -> str:
    """`anchor`, except that "feet" with one foot off the ground (more than `level` higher: a
    motion cut mid-step) keeps the other one put: the mean of both would drag it along."""
    if anchor == "feet" and abs(rel["foot_l"][1] - rel["foot_r"][1]) > level:
        return "foot_l" if rel["foot_l"][1] > rel["foot_r"][1] else "foot_r"
    return anchor


def _is_crouch(a: Mapping[str, float], f: str) -> bool:
    h = a["hip" + f]
    return 0.0 <= h <= 73.0 and abs(a["knee" + f] - rig.crouch_knee(h)) < 1e-6


class Idle:
    """Stay in the current posture: relax into its rest pose, then breathe."""

    def __init__(self, start: Pose, world: World, duration: float = math.inf) -> None:
        self.start, self.duration, self.phase = start, duration, world.phase
        rest = dict(rest_pose(start.posture, start.facing) if start.posture in REST else start.angles)
        relax = any(abs(rest[c] - start.angles[c]) > 0.5 for c in rest)
        # relaxing is a key pose change like any other: the foot on the ground stays put, and
        # one that steps back under the body (a motion cut mid-step) lifts and lands straight
        steps = clear_feet(start.angles, rest, start.facing, start.side) if start.posture == "stand" else []
        keys = [*(Key(u * REST_MS, leg) for u, leg in steps), Key(REST_MS, rest)]
        self.settle = Keyframes(start, keys) if relax else None
        self.settled = self.settle.sample(self.settle.duration) if self.settle else start
        rel = fk(start.angles, start.facing, start.side)
        self.anchor = planted(rel)
        self.anchor_x = start.x + foot_anchor(rel, self.anchor)

    def sample(self, t: float) -> Pose:
        s = self.start
        base = self.settle.sample(t) if self.settle and t < self.settle.duration else self.settled
        a = dict(base.angles)
        w = 2 * math.pi / BREATH_MS
        b = math.sin(w * t + self.phase) - math.sin(self.phase)  # 0 at t=0: no jump
        for c, amp in _BREATH:  # arms and neck only: the legs, and so the root, are the settle's
            a[c] += amp * b
        a = clamp(a, s.facing, s.side)
        rel = fk(a, s.facing, s.side)
        x = base.x if self.settle else self.anchor_x - foot_anchor(rel, self.anchor)
        return Pose(a, x, s.facing, s.side, 0.0, s.posture, rel)


_BREATH = (("shoulder_l", 3.0), ("shoulder_r", 3.0), ("elbow_l", 4.0), ("elbow_r", 4.0), ("neck", 1.5))


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
