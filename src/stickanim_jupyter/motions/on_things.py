"""The first vocabulary's actions when they name a thing: sit on a chair, lie or sleep on a bed,
kick a ball, point at or go up to a thing, jump over it, push or pull it (WITH_THING; the
library's dispatch picks them when params.object or params.over is set). Without the thing
(unknown id, or held by someone) each falls back to its plain builder."""

from __future__ import annotations

import math

from .. import rig
from ..rig import Pose, fk
from ..schema import ActionParams
from .clearance import clear_move
from .core import TURN_MS, Chain, H, Key, Keyframes, Motion, Thing, World, profile_sign, sign
from .cues import GRAVITY, LAUNCH, PUSH, RISE, SEAT, Cue, Staged
from .expressive import lie_floor, sleep_after
from .gait import WALK, fit_gait
from .postures import face_within, stand_first
from .reach import arm_to
from .rest import REST, lr, rest_arms
from .single import BUILDERS as SINGLE
from .single import Builder, Jump, locomote
from .things import go_near, side_to, staged, thing_of

_PERCH = {**REST["stand"], **lr(torso=-4.0, neck=4.0, shoulder=18.0, elbow=40.0, hip=90.0, knee=90.0)}
_PERCH_MID = {**REST["stand"], **lr(torso=25.0, neck=-5.0, shoulder=40.0, elbow=30.0, hip=70.0, knee=85.0)}
PERCH = "perch"  # posture: sitting on a seat, feet on the ground (rests in the pose it ends in)


def _perch_geometry() -> tuple[float, float]:
    """(how far behind the feet the pelvis ends up, how high the hips are) when perched."""
    rel = fk(_PERCH, 1.0, 1)
    feet = rig.foot_anchor(rel)
    ground = max(rel["foot_l"][1], rel["foot_r"][1])
    return feet, ground - rel["hip_r"][1]


SEAT_BACK, HIP_HEIGHT = _perch_geometry()


def _sit_on(
    chain: Chain, pid: str, thing: Thing, budget: float, cues: list[Cue], seat: float, s: int
) -> None:
    """Stand with the back to the seat (on its side `s`), then sit down on it: the pelvis lands
    over its centre."""
    go_near(chain, thing.x + s * SEAT_BACK, s, 0.6 * budget, cap=budget - 500.0)
    ms = min(900.0, max(budget - chain.t, 300.0))
    keys = [Key(0.45 * ms, _PERCH_MID), Key(ms, _PERCH, posture=PERCH)]
    cues.append(Cue(chain.t + 0.5 * ms, RISE, pid, value=(max(0.0, seat - HIP_HEIGHT), 0.5 * ms)))
    chain.add(Keyframes(chain.end, keys))


def _turns(start: Pose, x: float, s: int) -> int:
    """How many hop-turns `go_near` makes on the way to `x`, ending facing `s`."""
    facing = start.facing
    n = 0
    if abs(x - start.x) >= 2.0:
        way = sign(x - start.x, s)
        n, facing = int(facing != way), way
    return n + int(facing != s)


def _in_time(start: Pose, x: float, s: int, dur: float, after: float) -> bool:
    """Can the figure walk to `x` (briskly, its turns, getting up first), face `s` and still have
    `after` ms?"""
    walk = abs(x - start.x) / (2.5 * WALK.speed) + _turns(start, x, s) * TURN_MS
    walk += 0.0 if start.posture == "stand" else 900.0
    return walk + after <= dur


def _seat_side(start: Pose, thing: Thing, w: World, lying: bool) -> int | None:
    """The side of the seat to sit down from (the figure's own side first) where sitting, and
    lying back, keep the whole body on the stage; None: neither."""
    near = sign(start.x - thing.x, -profile_sign(start))
    for s in (near, -near):
        x = thing.x + s * SEAT_BACK
        if abs(w.clamp_x(x) - x) > 1.0:
            continue
        stand = Pose(REST["stand"], x, float(s), s)
        if not (_fits(_PERCH_MID, stand, w.width) and _fits(_PERCH, stand, w.width)):
            continue
        if lying:
            xs = [px for px, _ in fk(REST["lie_back"], float(s), s).values()]
            r = rig.HEAD_RADIUS
            if thing.x + min(xs) - r < 0.0 or thing.x + max(xs) + r > w.width:
                continue
        return s
    return None


SEATS = frozenset({"chair", "bed", "box", "table"})  # what a figure sits or lies on
MIN_ON_MS = 1000.0  # less than this: no time to get onto a thing, the plain action instead


def _sit(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    found = thing_of(p, w)
    if found is None or found[1].kind not in SEATS or found[1].holder or dur < MIN_ON_MS:
        return SINGLE["sit"](p, dur, start, w)
    pid, thing = found
    side = _seat_side(start, thing, w, lying=False)
    if side is None or not _in_time(start, thing.x + side * SEAT_BACK, side, 0.9 * dur, 500.0):
        return SINGLE["sit"](p, dur, start, w)
    chain = Chain(start, w)
    cues: list[Cue] = []
    _sit_on(chain, pid, thing, 0.9 * dur, cues, seat=_seat_height(thing), s=side)
    return staged(chain, dur, cues)


def _seat_height(thing: Thing) -> float:
    return SEAT * thing.height if thing.kind == "chair" else thing.height


def _lie_on(p: ActionParams, dur: float, start: Pose, w: World, then_sleep: bool) -> Motion:
    found = thing_of(p, w)
    if found is None or found[1].kind not in SEATS or found[1].holder or dur < MIN_ON_MS:
        return lie_floor(dur, start, w, then_sleep)
    pid, thing = found
    side = _seat_side(start, thing, w, lying=True)
    on_it = start.posture == "lie_back" and abs(start.x - thing.x) < thing.width / 2
    if not on_it and (
        side is None or not _in_time(start, thing.x + side * SEAT_BACK, side, 0.75 * dur, 800.0)
    ):
        return lie_floor(dur, start, w, then_sleep)
    chain = Chain(start, w)
    cues: list[Cue] = []
    top = _seat_height(thing)
    if on_it:
        cues.append(Cue(0.0, RISE, pid, value=(top, 1.0)))  # already lying on it
    else:
        assert side is not None
        _sit_on(chain, pid, thing, 0.7 * dur if then_sleep else 0.75 * dur, cues, seat=top, s=side)
        ms = min(900.0, max(0.8 * dur - chain.t, 300.0))
        cues.append(Cue(chain.t, RISE, pid, value=(top, ms)))
        chain.add(Keyframes(chain.end, [Key(ms, REST["lie_back"], posture="lie_back")], anchor="pelvis"))
    if then_sleep:
        return Staged(sleep_after(chain, dur), cues)
    return staged(chain, dur, cues)


def _lie_down(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    return _lie_on(p, dur, start, w, then_sleep=False)


def _sleep(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    return _lie_on(p, dur, start, w, then_sleep=True)


KICK_RANGE = 0.3  # of the stage width: how far a kicked ball flies
_FOOT_AHEAD = 0.17 * H  # where the ball waits, ahead of the pelvis
_EDGE_ROOM = 0.75 * H  # a ball closer than this to the stage's edge is not kicked toward it


def _kick(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    found = thing_of(p, w)
    if found is None or found[1].holder is not None or dur < 0.7 * MIN_ON_MS:
        return SINGLE["kick"](p, dur, start, w)
    chain = Chain(start, w)
    cues: list[Cue] = []
    pid, ball = found
    s = side_to(chain.end, ball)
    if min(ball.x, w.width - ball.x) < _EDGE_ROOM and sign(w.width / 2 - ball.x) != s:
        # against the stage's edge: no room to kick it that way; a kick toward the middle instead
        toward = "right" if start.x < w.width / 2 else "left"
        return SINGLE["kick"](p.model_copy(update={"direction": toward, "object": None}), dur, start, w)
    go_near(chain, ball.x - s * _FOOT_AHEAD, s, 0.5 * dur, cap=dur - 900.0)
    left = dur - chain.t
    kp = p.model_copy(update={"direction": "right" if s > 0 else "left", "target": None, "object": None})
    kick = SINGLE["kick"](kp, left, chain.end, w)
    t0 = chain.t
    chain.add(kick)
    contact = _contact(kick, "foot_l" if p.hand == "left" else "foot_r", ball.x - s * ball.width / 2, s)
    if contact is not None:
        room = abs(w.clamp_x(ball.x + s * w.width) - ball.x) + 0.05 * w.width
        rng = max(min(KICK_RANGE * w.width, room), 30.0)
        v = math.sqrt(rng * GRAVITY / math.sin(math.radians(70.0)))
        vx, vy = s * v * math.cos(math.radians(35.0)), -v * math.sin(math.radians(35.0))
        cues.append(Cue(t0 + contact, LAUNCH, pid, "_r", (vx, vy)))
    return staged(chain, dur, cues)


def _contact(m: Motion, foot: str, edge: float, s: int, step: float = 15.0) -> float | None:
    """When the kicking foot first reaches `edge` (the ball's near side), sampled every `step` ms."""
    t = 0.0
    while t <= m.duration:
        pose = m.sample(t)
        rel = pose.rel or fk(pose.angles, pose.facing, pose.side)
        if s * (pose.x + rel[foot][0] - edge) >= 0:
            return t
        t += step
    return None


def _point(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """Face the thing and point the arm straight at its middle."""
    found = thing_of(p, w)
    if found is None:
        return SINGLE["point"](p, dur, start, w)
    thing = found[1]
    chain = Chain(start, w)
    s = side_to(start, thing)
    if start.posture == "stand" and (profile_sign(start) != s or abs(start.facing) < 1):
        face_within(chain, float(s), 0.3 * dur)
    e = chain.end
    prof = profile_sign(e)
    rel = fk(e.angles, e.facing, e.side)
    ground = max(rel["foot_l"][1], rel["foot_r"][1])
    far = 10.0  # far along the line to the thing: the arm ends straight
    tx, ty = thing.x - e.x, ground - (w.ground - thing.y) - thing.height / 2
    sx, sy = rel["shoulder_r"]
    aim = (sx + far * (tx - sx), sy + far * (ty - sy))
    arm = arm_to(e.angles, float(prof) if abs(e.facing) >= 1 else e.facing, e.side, "_r", aim)
    left = dur - chain.t
    lead = min(300.0, 0.25 * left)
    keys = [Key(lead, arm), Key(left - lead, arm), Key(left, rest_arms(e.posture))]
    return chain.add(Keyframes(e, keys)).build(dur)


_STOP = {"board": 0.35, "tree": 0.3, "car": 0.25, "door": 0.25}  # before its near side, in heights


def _go_to(kind: str) -> Builder:
    """walk/run/jog to a thing: stop in front of it (not inside it), facing it."""

    def build(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
        found = thing_of(p, w)
        if found is None or found[1].holder is not None:
            return SINGLE[kind](p, dur, start, w) if kind in SINGLE else locomote(kind, p, dur, start, w)
        thing = found[1]
        s = side_to(start, thing)
        goal = w.clamp_x(thing.x - s * (thing.width / 2 + _STOP.get(thing.kind, 0.15) * H))
        dist = abs(goal - start.x) / w.width
        q = p.model_copy(update={"direction": "right" if goal >= start.x else "left", "distance": dist})
        return locomote(kind, q, dur, start, w)

    return build


_OVER_GAP = 0.2 * H  # take-off and landing distance from the thing's sides


def _jump(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """Run up to the thing and jump over it: the feet clear its top in the middle of the flight."""
    found = thing_of(p, w, over=True)
    if found is None or found[1].holder is not None or dur < 0.8 * MIN_ON_MS:
        return SINGLE["jump"](p, dur, start, w)
    thing = found[1]
    chain = Chain(start, w)
    s = side_to(start, thing)
    go_near(chain, thing.x - s * (thing.width / 2 + _OVER_GAP), s, 0.5 * dur, cap=dur - 1000.0)
    left = max(dur - chain.t, 300.0)
    period = min(left, 1100.0)
    shift = w.clamp_x(chain.end.x + s * (thing.width + 2 * _OVER_GAP)) - chain.end.x
    height, at = thing.height + 0.12 * H, chain.end
    over = clear_move(at, at.x + shift, w, chain.t, lambda x: Jump(at, 1, period, height, x - at.x))
    if over is None or abs(over.shift - shift) > 1.0:  # someone where it would land: it jumps on the spot
        over = Jump(at, 1, period, height, 0.0)
    chain.add(over)
    return chain.build(dur)


_PUSH_ARMS = {**REST["stand"], **lr(torso=12.0, shoulder=80.0, elbow=25.0)}
_PULL_ARMS = {**REST["stand"], **lr(torso=-8.0, shoulder=75.0, elbow=10.0)}
MOVE_SHARE = 0.22  # of the stage width: how far a push or a pull moves a thing


def _shove_pose(height: float, pull: bool) -> dict[str, float]:
    """Both hands on its near side a little above its middle: the lower the thing, the more the
    figure leans and bends its knees (the arms reach forward and down). Pulling leans less."""
    goal = min(max(0.6 * height, 0.25 * H), 0.55 * H)  # hand height above the ground
    best: tuple[float, dict[str, float]] | None = None
    for lean in range(0, 61, 4):
        bend = 0.0 if lean < 20 else 0.6 * lean
        knee = rig.crouch_knee(bend)
        arm = 55.0 if not pull else 65.0  # from straight down: the arms reach forward and down
        pose = {**REST["stand"], **lr(torso=float(lean), neck=-0.4 * lean, hip=bend, knee=knee)}
        pose.update(lr(shoulder=arm + lean, elbow=10.0))
        rel = fk(pose, 1.0, 1)
        ground = max(rel["foot_l"][1], rel["foot_r"][1])
        miss = abs(ground - rel["hand_r"][1] - goal)
        if best is None or miss < best[0]:
            best = (miss, pose)
    assert best is not None
    return best[1]


def _fits(angles: dict[str, float], at: Pose, width: float) -> bool:
    """Would this pose, feet where `at` has them, stay on the stage (head included)?"""
    s = profile_sign(at)
    rel0, rel = fk(at.angles, at.facing, at.side), fk(angles, float(s), s)
    x = at.x + rig.foot_anchor(rel0) - rig.foot_anchor(rel)
    xs = [px for px, _ in rel.values()]
    return x + min(xs) - rig.HEAD_RADIUS >= 0.0 and x + max(xs) + rig.HEAD_RADIUS <= width


def _shove(pull: bool) -> Builder:
    """Push or pull a thing (box, car, door): hands on its near side, then it moves with them."""

    def build(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
        found = thing_of(p, w)
        chain = Chain(start, w)
        cues: list[Cue] = []
        arms = _PULL_ARMS if pull else _PUSH_ARMS
        if found is None or found[1].holder is not None or dur < MIN_ON_MS:  # mime it
            stand_first(chain, 0.3 * dur)
            chain.add(
                Keyframes(chain.end, [Key(0.3 * dur, arms), Key(0.8 * dur, arms), Key(dur, REST["stand"])])
            )
            return chain.build(dur)
        pid, thing = found
        arms = _shove_pose(thing.height, pull)
        reach = fk(arms, 1.0, 1)["hand_r"][0]
        s = side_to(start, thing)
        go_near(chain, thing.x - s * (thing.width / 2 + reach), s, 0.4 * dur, cap=dur - 1200.0)
        if not _fits(arms, chain.end, w.width):  # at the stage's edge: upright, arms out
            arms = {**REST["stand"], **{k: v for k, v in arms.items() if k.startswith(("shoulder", "elbow"))}}
        chain.add(Keyframes(chain.end, [Key(min(300.0, 0.1 * dur), arms)]))
        t0 = chain.t
        way = -s if pull else s
        room = abs(w.clamp_x(chain.end.x + way * MOVE_SHARE * w.width) - chain.end.x)
        if not pull:  # the thing ahead must stay on the stage too
            room = min(
                room, max(0.0, w.width - thing.width / 2 - thing.x if s > 0 else thing.x - thing.width / 2)
            )
        # walking, the trunk straightens (the gait sets it); the arms keep pointing the same way
        walk_arms = {**arms, **{k: arms[k] - arms["torso"] for k in ("shoulder_l", "shoulder_r")}}
        upright = {
            **REST["stand"],
            **{k: v for k, v in walk_arms.items() if k.startswith(("shoulder", "elbow"))},
        }
        chain.add(Keyframes(chain.end, [Key(min(250.0, 0.1 * dur), upright)]))
        at, ms = chain.end, max(dur - chain.t - 300.0, 1.0)
        gait = clear_move(at, at.x + way * room, w, chain.t,
                          lambda x: fit_gait(at, x, s, WALK, 0.6, ms, arms=walk_arms, lean=0.0))  # fmt: skip
        if gait is not None:
            chain.add(gait)
            cues.append(Cue(t0, PUSH, pid, "both", (chain.t,)))
        chain.add(Keyframes(chain.end, [Key(max(dur - chain.t, 1.0), REST["stand"])]))
        return staged(chain, dur, cues)

    return build


# Variants used when an action names a thing (params.object, or params.over for jump).
WITH_THING: dict[str, Builder] = {
    "sit": _sit,
    "lie_down": _lie_down,
    "sleep": _sleep,
    "kick": _kick,
    "point": _point,
    "walk": _go_to("walk"),
    "run": _go_to("run"),
    "jog": _go_to("jog"),
    "jump": _jump,
    "push": _shove(pull=False),
    "pull": _shove(pull=True),
}
