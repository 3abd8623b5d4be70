"""Where every thing is in every frame, and how high each figure stands: from the actions' cues.

The compiler builds each scene's motions in the order the actions start; after each one it
hands the motion's cues (motions.cues) to :class:`Tracks`, which keeps, per thing, a list of
segments in time (resting, held, flying, pushed, sliding) and, per character, how far its feet
are raised (a bed, a ladder). A later action sees the things where the earlier ones left them
(Tracks.things_at -> World.things), and every frame asks Tracks.frame for the props' places and
the raised figures.

Rules the tracks keep: a thing never sinks below the ground; a held thing sits in the hand(s)
(its middle at the hand, or between both hands); a flying thing follows a ballistic arc and
comes to rest on the ground (on the stage); a raised figure stays up while it makes gestures
(say, wave, read...) and steps down at the start of its next action that moves it.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .motions import Thing
from .motions.cues import GRAVITY, HOLD, LAUNCH, PUSH, PUT, RISE, SLIDE, Cue
from .props import SIZES, start_places
from .rig import HEAD_RADIUS, Point
from .schema import Action, PropPlace, Script, Stage

Joints = Mapping[str, Point]
JointsAt = Callable[[str, float], Joints]  # (character, t) -> drawn joints before raising

# Gestures a raised figure makes where it is (on a ladder, on a bed, on a chair): no step down.
STAY_UP = frozenset({
    "idle", "wave", "clap", "nod", "shake_head", "point", "say", "think", "cry", "laugh", "look",
    "read", "drink", "throw", "catch", "pose", "sleep", "lie_down", "sit",
})  # fmt: skip
STEP_DOWN_MS = 500.0
GRAB_REACH = 90.0  # a hold cue takes a resting thing only this close to the hand(s)
THROW_SPEED = 0.5  # units per ms along the ground, for a throw at someone
PUSH_STEP = 20.0  # ms between the samples of a pushed thing's way
SPIN = 180.0 / math.pi  # a rolling or flying ball turns by its travel over its radius


@dataclass(frozen=True, slots=True)
class _Seg:
    t0: float
    kind: str  # rest, held, flight, push, slide
    x: float = 0.0
    y: float = 0.0
    angle: float = 0.0
    who: str = ""  # held, push: the character
    hand: str = "_r"
    vx: float = 0.0  # flight: velocity (units per ms); slide: distance
    vy: float = 0.0  # flight; slide: its duration
    t1: float = math.inf  # flight: when it lands
    table: tuple[tuple[float, float], ...] = ()  # push: (t, x) samples


@dataclass(frozen=True, slots=True)
class Carried:
    """A thing's state between scenes: resting at a place, or held."""

    place: PropPlace
    who: str | None = None
    hand: str = "_r"


class Tracks:
    """The things and the figures' heights of one scene."""

    def __init__(
        self, script: Script, stage: Stage, start: Mapping[str, Carried], raised: Mapping[str, float]
    ) -> None:
        self.stage = stage
        self.joints: JointsAt = _no_joints  # the compiler binds it to the scene's timelines
        self.size = {p.id: SIZES[p.kind] for p in script.props}
        self.kind = {p.id: p.kind for p in script.props}
        self.segs: dict[str, list[_Seg]] = {}
        for pid, c in start.items():
            x, y, a = c.place
            seg = _Seg(0.0, "held", who=c.who, hand=c.hand) if c.who else _Seg(0.0, "rest", x, y, a)
            self.segs[pid] = [seg]
        # per character: (t0, from, to, ms) ramps of the feet's height above the ground
        self.rises: dict[str, list[tuple[float, float, float, float]]] = {
            cid: [(0.0, h, h, 1.0)] for cid, h in raised.items()
        }

    # --- planning -------------------------------------------------------------------------
    def things_at(self, t: float) -> dict[str, Thing]:
        """Every thing where it is at `t`, as an action starting then sees it."""
        out = {}
        for pid, segs in self.segs.items():
            x, y, _ = self.place(pid, t, None)
            seg = _at(segs, t)
            holder = seg.who if seg.kind == "held" else None
            w, h = self.size[pid]
            out[pid] = Thing(self.kind[pid], x, y, w, h, holder)
        return out

    def apply(self, action: Action, cues: list[Cue]) -> None:
        """An action's cues, at its start; a raised figure steps down when the action moves it."""
        who, t0 = action.character, action.start
        if not any(c.kind == RISE for c in cues) and action.action not in STAY_UP:
            self.step_down(who, t0)
        for c in sorted(cues, key=lambda c: c.t):
            self._cue(who, t0 + c.t, c, action)

    def step_down(self, who: str, t: float) -> None:
        h = self.raise_at(who, t)
        if h > 0.0:
            self._ramp(who, t, 0.0, STEP_DOWN_MS)

    def _ramp(self, who: str, t: float, to: float, ms: float) -> None:
        h = self.raise_at(who, t)
        ramps = [r for r in self.rises.get(who, []) if r[0] < t]
        self.rises[who] = [*ramps, (t, h, to, max(ms, 1.0))]

    def _cue(self, who: str, t: float, c: Cue, action: Action) -> None:
        if c.kind == RISE:
            self._ramp(who, t, c.value[0], c.value[1])
            return
        pid = c.thing
        if pid is None or pid not in self.segs:
            return
        x, y, a = self.place(pid, t, None)
        if c.kind == HOLD:
            seg = _at(self.segs[pid], t)
            near = self._hand_distance(who, c.hand, t, (x, y - self.size[pid][1] / 2)) <= GRAB_REACH
            if seg.kind in ("flight", "held") or near:
                self._add(pid, _Seg(t, "held", who=who, hand=c.hand))
        elif c.kind == PUT:
            self._add(pid, _Seg(t, "rest", x, float(self.stage.ground_y), 0.0))
        elif c.kind == LAUNCH:
            self._launch(pid, t, (x, y, a), c, action)
        elif c.kind == PUSH:  # its near side at the hands; it only ever moves the way it is moved
            self._push(pid, who, c.hand, t, action.start + c.value[0], (x, y, a), action.action == "pull")
        elif c.kind == SLIDE:
            self._add(pid, _Seg(t, "slide", x, y, a, vx=c.value[0], vy=c.value[1]))

    def _push(self, pid: str, who: str, hand: str, t0: float, t1: float, at: PropPlace, pull: bool) -> None:
        """A table of where the pushed (pulled) thing is, sampled every PUSH_STEP ms: its near side
        at the hands, never back the other way (hands bob as the figure walks)."""
        x0, y, a = at
        side = 1.0 if x0 >= self._hand(who, hand, t0)[0] else -1.0
        way = -side if pull else side
        half, best, table = self.size[pid][0] / 2, x0, []
        t = t0
        while True:
            touching = self._hand(who, hand, t)[0] + side * half
            best = self._clamp_x(pid, best + way * max(0.0, way * (touching - best)))
            table.append((t, best))
            if t >= t1:
                break
            t = min(t + PUSH_STEP, t1)
        self._add(pid, _Seg(t0, "push", x0, y, a, who=who, table=tuple(table)))
        self._add(pid, _Seg(t1, "rest", best, y, a))

    def _launch(self, pid: str, t: float, at: PropPlace, c: Cue, action: Action) -> None:
        x, y, a = at
        ground = float(self.stage.ground_y)
        if len(c.value) == 3:  # aimed at a point: arrive there (a catch may take it)
            tx, ty, ms = c.value
            ty += self.size[pid][1] / 2  # the point is the thing's middle; tracks keep its bottom
            ms = ms or max(350.0, abs(tx - x) / THROW_SPEED)
            vx = (tx - x) / ms
            vy = (ty - y - 0.5 * GRAVITY * ms * ms) / ms
        else:
            vx, vy = c.value
        land = _landing(y, vy, ground)
        lx = self._clamp_x(pid, x + vx * land)
        self._add(pid, _Seg(t, "flight", x, y, a, vx=vx, vy=vy, t1=t + land))
        end_angle = a + (lx - x) * SPIN / max(self.size[pid][1] / 2, 1.0) if self.kind[pid] == "ball" else a
        self._add(pid, _Seg(t + land, "rest", lx, ground, end_angle))

    def _add(self, pid: str, seg: _Seg) -> None:
        """A new segment from seg.t0: what the thing was to do after that is replaced."""
        self.segs[pid] = [s for s in self.segs[pid] if s.t0 < seg.t0] + [seg]

    # --- where things are -----------------------------------------------------------------
    def raise_at(self, who: str, t: float) -> float:
        ramps = self.rises.get(who)
        if not ramps:
            return 0.0
        r = ramps[0]
        for cand in ramps:
            if cand[0] <= t:
                r = cand
        t0, h0, h1, ms = r
        if t <= t0:
            return h0
        u = min(1.0, (t - t0) / ms)
        return h0 + (h1 - h0) * u * u * (3.0 - 2.0 * u)

    def _drawn(self, who: str, t: float, frame: Mapping[str, Joints] | None) -> Joints:
        if frame is not None and who in frame:
            return frame[who]
        h = self.raise_at(who, t)
        j = self.joints(who, t)
        return {k: (x, y - h) for k, (x, y) in j.items()} if h else j

    def _hand(self, who: str, hand: str, t: float, frame: Mapping[str, Joints] | None = None) -> Point:
        j = self._drawn(who, t, frame)
        if hand == "both":
            (lx, ly), (rx, ry) = j["hand_l"], j["hand_r"]
            return (lx + rx) / 2, (ly + ry) / 2
        return j["hand" + hand]

    def _hand_distance(self, who: str, hand: str, t: float, p: Point) -> float:
        return math.dist(self._hand(who, hand, t), p)

    def _clamp_x(self, pid: str, x: float) -> float:
        half = self.size[pid][0] / 2
        return min(max(x, half), self.stage.width - half)

    def place(self, pid: str, t: float, frame: Mapping[str, Joints] | None) -> PropPlace:
        """Bottom centre and angle of a thing at `t` (frame: the drawn, raised joints, if known)."""
        seg = _at(self.segs[pid], t)
        ground = float(self.stage.ground_y)
        w, h = self.size[pid]
        if seg.kind == "held":
            hx, hy = self._hand(seg.who, seg.hand, t, frame)
            return hx, min(hy + h / 2, ground), 0.0
        if seg.kind == "push":
            return _lookup(seg.table, t), seg.y, seg.angle
        if seg.kind == "flight":
            dt = t - seg.t0
            x = self._clamp_x(pid, seg.x + seg.vx * dt)
            y = min(seg.y + seg.vy * dt + 0.5 * GRAVITY * dt * dt, ground)
            spin = (x - seg.x) * SPIN / max(h / 2, 1.0) if self.kind[pid] == "ball" else 0.0
            return x, y, seg.angle + spin
        if seg.kind == "slide":
            u = min(1.0, max(0.0, (t - seg.t0) / max(seg.vy, 1.0)))
            x = self._clamp_x(pid, seg.x + seg.vx * u * u * (3.0 - 2.0 * u))
            return x, seg.y, seg.angle
        return seg.x, min(seg.y, ground), seg.angle

    def frame(self, t: float, drawn: dict[str, dict[str, Point]]) -> dict[str, PropPlace]:
        """Raise the figures standing on things (in place) and place every thing at `t`."""
        for who in self.rises:
            h = self.raise_at(who, t)
            joints = drawn.get(who)
            if h <= 0.0 or joints is None:
                continue
            top = min(min(y for _, y in joints.values()), joints["head"][1] - HEAD_RADIUS)
            h = min(h, max(top, 0.0))  # never above the stage top
            drawn[who] = {k: (x, y - h) for k, (x, y) in joints.items()}
        return {pid: self.place(pid, t, drawn) for pid in self.segs}

    def carried(self, t: float) -> tuple[dict[str, Carried], dict[str, float]]:
        """What the next scene starts from: each thing's place (or holder) and each raised figure."""
        things = {}
        for pid, segs in self.segs.items():
            seg = _at(segs, t)
            place = self.place(pid, t, None)
            if seg.kind == "held":
                things[pid] = Carried(place, seg.who, seg.hand)
            else:  # whatever was still moving comes to rest where it is, on the ground
                things[pid] = Carried((place[0], float(self.stage.ground_y), place[2]))
        return things, {who: self.raise_at(who, t) for who in self.rises}


def _no_joints(who: str, t: float) -> Joints:
    raise LookupError(f"no timeline for {who!r}: Tracks.joints is bound by the compiler")


def _at(segs: list[_Seg], t: float) -> _Seg:
    seg = segs[0]
    for s in segs:
        if s.t0 <= t:
            seg = s
        else:
            break
    return seg


def _lookup(table: tuple[tuple[float, float], ...], t: float) -> float:
    """Linear interpolation in a (t, x) table sorted by t."""
    i = bisect_right(table, (t, math.inf))
    if i <= 0:
        return table[0][1]
    if i >= len(table):
        return table[-1][1]
    (ta, xa), (tb, xb) = table[i - 1], table[i]
    return xa + (xb - xa) * (t - ta) / max(tb - ta, 1e-9)


def _landing(y0: float, vy: float, ground: float) -> float:
    """ms until a thing at bottom height y0 (y down) moving at vy reaches the ground."""
    drop = ground - y0
    if drop <= 0 and vy >= 0:
        return 0.0
    disc = vy * vy + 2.0 * GRAVITY * max(drop, 0.0)
    return max((-vy + math.sqrt(disc)) / GRAVITY, 0.0)


def start_state(script: Script, stage: Stage) -> dict[str, Carried]:
    """Every thing on the ground at its `x`, upright (props.start_places), nobody holding it."""
    return {pid: Carried(place) for pid, place in start_places(script, stage).items()}
