"""The actions of one character: one builder per action name (BUILDERS), each a function of the
action's params and duration, the pose it starts from and the world."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from .. import rig
from ..rig import Pose, clamp, fk, foot_anchor
from ..schema import Action, ActionParams
from .clearance import PASS_GAP, clear_gait, clear_move, lane, oncoming_room
from .core import (
    TURN_MS,
    Chain,
    H,
    Idle,
    Key,
    Keyframes,
    Motion,
    World,
    direction_sign,
    profile_sign,
    side_of,
    toward_sign,
)
from .custom import pose
from .gait import GAITS, Gait, steady_gait
from .gestures import clap, count, nod, point, shake_head, wave
from .interactions import SEPARATION
from .postures import EXTENT, face, face_within, fits, roomy, stand_first, step_aside, transition, turn
from .rest import REST, full, lr, rest_pose

# (params, duration in ms, the pose it starts from, the world) -> the motion
Builder = Callable[[ActionParams, float, Pose, World], Motion]


def _idle(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    return Idle(start, w, dur)


def _stand(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    return _change_posture(start, "stand", w, dur, dur)


def _change_posture(start: Pose, goal: str, w: World, budget: float, dur: float) -> Motion:
    """Into posture `goal` within `budget`; not started at all if it cannot end by `dur` (a
    change cut halfway leaves a foot lifted or a turn half done)."""
    parts = transition(start, goal, w, budget)
    if sum(m.duration for m in parts) > dur:
        return Idle(start, w, dur)
    return Chain(start, w).add(*parts).build(dur)


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
    room = min(_room(chain.end, sig, p.direction, w), oncoming_room(chain.end, sig, w))
    ahead = lane(chain.end, sig, w, chain.t)
    room = max(0.0, min(room, ahead.last()))

    def toward(r: float) -> Gait | None:  # a gait with `r` of room ahead
        goal, far = chain.end.x + sig * min(reach, r), chain.end.x + sig * r
        return steady_gait(
            chain.end, goal, facing, kind, speed, dur - chain.t, far, stretch=p.distance is None
        )

    gait = clear_gait(toward, room, ahead, chain.t)
    if gait is not None:
        chain.add(gait)
    return chain.build(dur)


def _room(pose: Pose, sig: int, direction: str | None, w: World) -> float:
    """How far a walk or run may go in direction `sig`: to the stage margin, and "toward" someone
    stops in front of them (halfway when they come too); toward no one, it stops at the stage
    centre. Whoever stands or moves in the way is the Lane's (clearance.lane)."""
    room = abs(w.clamp_x(pose.x + sig * w.width) - pose.x)
    partner = w.partner_x()
    if direction == "toward":
        if partner is None:
            return min(room, abs(w.width / 2 - pose.x)) if abs(w.width / 2 - pose.x) > 0.1 * H else room
        gap = abs(partner - pose.x) - SEPARATION["shake_hands"]
        return max(0.0, min(room, gap / 2 if w.mutual else gap))
    return room


def _walk(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    return locomote("walk", p, dur, start, w)


def _run(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    return locomote("run", p, dur, start, w)


_CROUCH = lr(torso=25.0, neck=-10.0, elbow=15.0, hip=45.0, knee=rig.crouch_knee(45.0))
_DRIVE = lr(torso=15.0, neck=-5.0, elbow=15.0, hip=25.0, knee=rig.crouch_knee(25.0))  # legs push, arms swing
_TAKEOFF = lr(torso=5.0, neck=0.0, elbow=10.0, hip=0.0, knee=0.0)
_TUCK = lr(torso=10.0, elbow=20.0, hip=40.0, knee=70.0)
_LAND = lr(torso=8.0, shoulder=90.0, elbow=15.0, hip=4.0, knee=8.0)
_ABSORB = lr(torso=15.0, neck=-5.0, shoulder=50.0, elbow=20.0, hip=30.0, knee=rig.crouch_knee(30.0))
# Shoulders through crouch, drive, take-off and tuck. In profile the arms swing back, then
# forward and up in front of the face (straight up would cross the head); from the front they
# hang a little out (backward would cross them in an X), then rise out to the sides.
_JUMP_ARMS = {True: (20.0, 95.0, 155.0, 165.0), False: (-25.0, 45.0, 115.0, 135.0)}
_UP, _DOWN = 0.40, 0.80  # fractions of one jump: airborne between them
MIN_JUMP_MS = 300.0  # the quickest jump (a shorter one is not jumped)
MAX_LEAP = 0.6 * H  # the farthest one jump of 750 ms travels (quicker ones: less)


def _jump_keys(front: bool) -> tuple[tuple[float, dict[str, float]], ...]:
    """Fractions of one jump: crouch, drive, push off, tuck, land, absorb (then recover)."""
    crouch, drive, takeoff, tuck = (lr(shoulder=a) for a in _JUMP_ARMS[front])
    lean = {"torso": 10.0} if front else {}  # a lean from the front is drawn sideways: less of it
    return (
        (0.20, {**_CROUCH, **crouch, **lean}),
        (0.30, {**_DRIVE, **drive}),
        (_UP, {**_TAKEOFF, **takeoff}),
        (0.56, {**_TUCK, **tuck}),
        (0.78, _LAND),
        (0.90, _ABSORB),
    )


class Jump(Keyframes):
    """`n` jumps: feet stay put on the ground, the pelvis flies in a straight line in the air."""

    def __init__(self, start: Pose, n: int, period: float, height: float, shift: float) -> None:
        keys = []
        shape = _jump_keys(abs(start.facing) < 0.5)
        for i in range(n):
            t0 = i * period
            keys += [Key(t0 + f * period, a) for f, a in shape]
            keys.append(Key(t0 + period, REST["stand"]))
        super().__init__(start, keys)
        self.n, self.period, self.height, self.shift = n, period, height, shift

    def along(self, t: float) -> float:
        """How far along its way the pelvis is at `t` (about: the feet's way, see clearance)."""
        t = min(max(t, 0.0), self.duration)
        i = min(int(t // self.period), self.n - 1)
        u = (t - i * self.period) / self.period
        return abs(self.shift) * (i + min(max((u - _UP) / (_DOWN - _UP), 0.0), 1.0))

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
        side = side_of(facing, self.start.side)
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
    n = min(count(p, left, 750.0), int(left // MIN_JUMP_MS))
    if n < 1:  # no time to crouch, fly and land
        return chain.build(dur)
    period = min(left / n, 1100.0)
    leap = MAX_LEAP * min(1.0, period / 750.0)
    shift = max(-leap, min(leap, shift))
    height = 0.25 * H * min(1.0, max(0.45, period / 800.0))
    s = chain.end
    goal = w.clamp_x(s.x + shift * n) if shift else s.x  # the last landing stays on the stage

    def jumps(x: float) -> Jump:
        return Jump(s, n, period, height, (x - s.x) / n)

    move = clear_move(s, goal, w, chain.t, jumps) if abs(goal - s.x) > 1e-9 else None
    chain.add(move or jumps(s.x))  # short of anyone in the way: else on the spot
    return chain.build(dur)


_BOW = lr(torso=55.0, neck=15.0, shoulder=50.0, elbow=5.0, hip=0.0, knee=0.0)


BOW_TURN_MS = 290.0  # a bow turns first only with this much time: a quick hop, then 150 ms to bow
_BOW_REACH = max(x for x, _ in fk(full(**_BOW), 1.0, 1).values()) + rig.HEAD_RADIUS  # ahead of the pelvis


def _bow(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    stand_first(chain, 0.4 * dur)
    # To someone, else in profile (a bow only reads in profile); never leaning over the stage edge.
    sig = toward_sign(chain.end, w) if w.partner_x() is not None else profile_sign(chain.end)
    if not 0.0 <= chain.end.x + sig * _BOW_REACH <= w.width:
        sig = -sig
    if dur - chain.t >= BOW_TURN_MS:  # else a turn would leave no time to bow
        face_within(chain, float(sig), dur - chain.t)
    left = dur - chain.t
    n = count(p, left, 1500.0, default=1)
    period = min(left / n, 1800.0)
    keys = []
    for i in range(n):
        t0 = i * period
        keys += [Key(t0 + 0.35 * period, _BOW), Key(t0 + 0.6 * period, _BOW), Key(t0 + period, REST["stand"])]
    return chain.add(Keyframes(chain.end, keys)).build(dur)


def _to_posture(goal: str) -> Builder:
    def build(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
        return _change_posture(start, goal, w, 0.9 * dur, dur)

    return build


def _squat(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    if not p.times:  # "squat down": stay down
        return _to_posture("squat")(p, dur, start, w)
    chain = Chain(start, w)
    stand_first(chain, 0.4 * dur)
    period = min((dur - chain.t) / p.times, 1400.0)
    down = rest_pose("squat", chain.end.facing)
    keys = []
    for i in range(p.times):
        keys += [
            Key((i + 0.45) * period, down),
            Key((i + 1) * period, REST["stand"], posture="stand"),
        ]
    return chain.add(Keyframes(chain.end, keys)).build(dur)


_FALL = (
    (0.25, lr(torso=20.0, neck=-10.0, shoulder=70.0, elbow=20.0, hip=8.0, knee=45.0)),
    (0.55, lr(torso=55.0, neck=-25.0, shoulder=140.0, elbow=15.0, hip=-25.0, knee=75.0)),
    (0.8, lr(torso=88.0, neck=-35.0, shoulder=170.0, elbow=10.0, hip=-85.0, knee=20.0)),
)


# Falling backward, onto the back: knees buckle, arms go forward.
_FALL_BACK = (
    (0.25, lr(torso=-15.0, neck=20.0, shoulder=60.0, elbow=20.0, hip=25.0, knee=45.0)),
    (0.55, lr(torso=-50.0, neck=30.0, shoulder=90.0, elbow=15.0, hip=70.0, knee=40.0)),
    (0.8, lr(torso=-85.0, neck=35.0, shoulder=40.0, elbow=10.0, hip=88.0, knee=10.0)),
)


def _fall(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    if start.posture != "stand":
        chain.add(*transition(start, "lie_front", w, 0.9 * dur))
        return chain.build(dur)
    aside = step_aside(
        start, w, EXTENT["lie_front"], 0.5 * dur
    )  # no room to fall here: it staggers aside first
    start = chain.add(aside).end if aside is not None else start
    feet = replace(start, x=start.x + foot_anchor(fk(start.angles, start.facing, start.side)))
    if not fits(feet, w, EXTENT["lie_front"]):  # no room to lie anywhere near: it falls to its knees
        return chain.add(*transition(start, "kneel", w, 0.9 * (dur - chain.t))).build(dur)
    sig = roomy(start, w, direction_sign(p.direction, start, w), EXTENT["lie_front"])
    backward = _someone_within(start, w, sig, EXTENT["lie_front"] * H + PASS_GAP / 2)
    backward = backward and roomy(start, w, -sig, EXTENT["lie_front"]) == -sig
    face(chain, float(sig))  # backward: facing whoever is there, falling away from them
    ms = min(1100.0, 0.8 * (dur - chain.t))
    shape, end = (_FALL_BACK, "lie_back") if backward else (_FALL, "lie_front")
    keys = [Key(f * ms, a) for f, a in shape] + [Key(ms, REST[end], posture=end)]
    return chain.add(Keyframes(chain.end, keys)).build(dur)


def _someone_within(pose: Pose, w: World, sig: int, reach: float) -> bool:
    """Is another character's body within `reach` of this one's pelvis, in direction `sig`?"""
    return any(0.0 < (o.x - pose.x) * sig < reach for o in w.others.values())


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
    settle = min(200.0, 0.15 * left)  # back to standing: inside the action, not cut off
    beats = 2 * p.times if p.times else count(p, left, 450.0)
    beat = min((left - settle) / beats, 700.0)
    down, up = lr(hip=22.0, knee=rig.crouch_knee(22.0)), lr(hip=4.0, knee=rig.crouch_knee(4.0))
    arms_a = {"shoulder_l": 150.0, "elbow_l": 30.0, "shoulder_r": 40.0, "elbow_r": 70.0}
    arms_b = {"shoulder_l": 40.0, "elbow_l": 70.0, "shoulder_r": 150.0, "elbow_r": 30.0}
    keys = []
    for i in range(beats):
        arms, lean = (arms_a, 7.0) if i % 2 == 0 else (arms_b, -7.0)
        keys += [
            Key((i + 0.5) * beat, {**down, **arms, "torso": lean, "neck": -lean}),
            Key((i + 1) * beat, up),
        ]
    keys.append(Key(beats * beat + settle, REST["stand"]))
    return chain.add(Keyframes(chain.end, keys)).build(dur)


def _face_target(chain: Chain, p: ActionParams, w: World, reach: float = 0.0) -> None:
    """Profile toward the direction asked, the partner, or the current profile; the other way
    when a limb reaching `reach` ahead would leave the stage (the figure would be pushed back)."""
    if p.direction:
        sig = direction_sign(p.direction, chain.end, w)
    elif w.partner_x() is not None:
        sig = toward_sign(chain.end, w)
    else:
        sig = profile_sign(chain.end)
    if not 0.0 <= chain.end.x + sig * reach <= w.width:
        sig = -sig
    face(chain, float(sig))


def _kick(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """Kick `times` times toward the direction/partner; params.hand names the kicking leg."""
    chain = Chain(start, w)
    stand_first(chain, 0.4 * dur)
    room = dur - chain.t >= TURN_MS + MIN_KICK_MS  # else turning away would leave no time to kick
    _face_target(chain, p, w, KICK_REACH if room else 0.0)
    return chain.add(kick_motion(chain.end, p, dur - chain.t)[0]).build(dur)


def kick_leg(p: ActionParams) -> tuple[str, str]:
    """(kicking leg, standing leg) suffixes: params.hand names the kicking leg."""
    return ("_l", "_r") if p.hand == "left" else ("_r", "_l")


KICK_REACH = rig.LEG + 2 * rig.HIP + 5.0  # how far ahead of the pelvis a kicking foot goes, at most
MIN_KICK_MS, MIN_PUNCH_MS = 300.0, 150.0  # the quickest kick or punch (a shorter one is not thrown)
KICK_OUT = {"torso": -15.0, "hip": 85.0, "knee": 5.0}  # the leg at full stretch (hip, knee: the kicking leg)


def kick_motion(start: Pose, p: ActionParams, left: float) -> tuple[Keyframes, list[float]]:
    """The kicks from `start` (standing, facing the way) and when each one lands (ms)."""
    leg, other = kick_leg(p)
    n = min(count(p, left, 900.0, default=1), int(left // MIN_KICK_MS))
    if n < 1:  # no time to lift a leg and put it down again: a guard only
        return Keyframes(start, [Key(max(left, 1.0), lr(shoulder=45.0, elbow=100.0))]), []
    period = min(left / n, 1200.0)
    guard = lr(shoulder=45.0, elbow=100.0)
    lift = {"hip" + leg: 30.0, "knee" + leg: rig.crouch_knee(30.0)}  # foot straight up first
    out = {"torso": KICK_OUT["torso"], "hip" + leg: KICK_OUT["hip"], "knee" + leg: KICK_OUT["knee"]}
    keys, hits = [], []
    for i in range(n):
        t0 = i * period
        keys += [
            Key(t0 + 0.15 * period, {**guard, **lift}),
            Key(t0 + 0.3 * period, {"torso": -5.0, "hip" + leg: -20.0, "knee" + leg: 80.0}),
            Key(t0 + 0.5 * period, out),
            Key(t0 + 0.75 * period, {"torso": -5.0, **lift}),
            Key(t0 + period, REST["stand"]),
        ]
        hits.append(t0 + 0.5 * period)
    return Keyframes(start, keys, anchor="foot" + other), hits


def _punch(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    stand_first(chain, 0.4 * dur)
    _face_target(chain, p, w)
    return chain.add(punch_motion(chain.end, p, dur - chain.t)[0]).build(dur)


PUNCH_OUT = {"torso": 15.0, "shoulder": 100.0, "elbow": 5.0}  # the arm at full stretch, fist at chest height
PUNCH_GUARD = lr(torso=8.0, shoulder=50.0, elbow=120.0)


def punch_motion(start: Pose, p: ActionParams, left: float) -> tuple[Keyframes, list[float]]:
    """The punches from `start` (standing, facing the way) and when each one lands (ms)."""
    lead = min(250.0, 0.2 * left)
    n = min(
        count(p, left, 500.0, default=2 if p.hand == "both" else 1), int((left - 2 * lead) // MIN_PUNCH_MS)
    )
    if n < 1:  # no time for a blow: a guard only
        return Keyframes(start, [Key(max(left, 1.0), PUNCH_GUARD)]), []
    period = min((left - 2 * lead) / n, 800.0)
    keys, hits = [Key(lead, PUNCH_GUARD)], []
    for i in range(n):
        side = ("_r" if i % 2 == 0 else "_l") if p.hand == "both" else ("_l" if p.hand == "left" else "_r")
        t0 = lead + i * period
        out = {
            "torso": PUNCH_OUT["torso"],
            "shoulder" + side: PUNCH_OUT["shoulder"],
            "elbow" + side: PUNCH_OUT["elbow"],
        }
        keys += [Key(t0 + 0.4 * period, out), Key(t0 + period, PUNCH_GUARD)]
        hits.append(t0 + 0.4 * period)
    keys.append(Key(lead + n * period + lead, REST["stand"]))
    return Keyframes(start, keys), hits


# One builder per single-character action (interactions: interactions.PAIR_BUILDERS); the
# action registry (actions.py) names the same actions, tests/test_actions.py checks it.
BUILDERS: dict[str, Builder] = {
    "idle": _idle,
    "stand": _stand,
    "walk": _walk,
    "run": _run,
    "jump": _jump,
    "wave": wave,
    "clap": clap,
    "bow": _bow,
    "sit": _to_posture("sit"),
    "stand_up": _stand,
    "squat": _squat,
    "kneel": _to_posture("kneel"),
    "point": point,
    "nod": nod,
    "shake_head": shake_head,
    "turn": _turn,
    "dance": _dance,
    "kick": _kick,
    "punch": _punch,
    "fall": _fall,
    "lie_down": _to_posture("lie_back"),
    "pose": pose,
}


def build(action: Action, start: Pose, world: World) -> Motion:
    """The motion of one character's (non-interaction) action, from its pose at the start."""
    return BUILDERS[action.action](action.params, action.duration, start, world)
