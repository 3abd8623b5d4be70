"""The actions of two characters (shake_hands, hug, high_five, push, pull): they come together,
face each other, and the gesture makes their hands meet."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from ..rig import HEAD_RADIUS, Pose, fk
from ..schema import Action
from .clearance import clear_move
from .core import MARGIN, Chain, H, Key, Keyframes, Motion, World, sign
from .gait import RUN, SHORT_STEP, WALK, Gait, GaitStyle, fit_gait
from .postures import face_within, stand_first
from .rest import full, lr, rest_arms

# The gesture, once the two stand face to face: (actor's chain, target's chain, the target's
# direction seen from the actor, ms left).
PairBuilder = Callable[[Chain, Chain, int, float], None]

_SHAKE = {"shoulder_r": 65.0, "elbow_r": 25.0}
_FIVE_UP = {"shoulder_r": 100.0, "elbow_r": 45.0}
_FIVE = {"shoulder_r": 125.0, "elbow_r": 10.0}
_HUG = lr(torso=3.0, shoulder=80.0, elbow=35.0)
_PUSH_BENT = lr(torso=5.0, shoulder=90.0, elbow=100.0)
_PUSH_OUT = lr(torso=12.0, shoulder=100.0, elbow=5.0)  # hands level with the other's chest
HEAD_GAP = 2 * HEAD_RADIUS + 6.0  # head centres at least this far apart: circles (and strokes) touch


def _reach(angles: Mapping[str, float], hand: str = "hand_r") -> float:
    """How far in front of the pelvis a hand is, in profile."""
    return fk(full(**angles), 1.0, 1)[hand][0]


def _head_ahead(angles: Mapping[str, float]) -> float:
    return fk(full(**angles), 1.0, 1)["head"][0]


# Pelvis-to-pelvis distance at which the gesture's hands meet (both figures share the rig).
SEPARATION: dict[str, float] = {
    "shake_hands": 2 * _reach(_SHAKE),
    "pull": 2 * _reach(_SHAKE),
    "high_five": 2 * _reach(_FIVE),
    "hug": HEAD_GAP + 2 * _head_ahead(_HUG),  # heads side by side, hands behind the other's back
    "push": _reach(_PUSH_OUT) - 1.0,  # outstretched hands on the other's chest
}
# The shortest time each gesture needs once the two are face to face (the approach gets the rest).
GESTURE_MS = {"shake_hands": 900.0, "pull": 1100.0, "high_five": 400.0, "hug": 900.0, "push": 1200.0}
# Plausible paces to come together, the calmest first: (gait, speed cap in units per ms).
_PACES: tuple[tuple[GaitStyle, float], ...] = (
    (WALK, WALK.speed),
    (WALK, 1.35 * WALK.speed),
    (RUN, RUN.speed),
)


def _gesture_keys(kind: str, ms: float) -> list[Key]:
    """Arm keys of an interaction's gesture, identical in timing for both characters."""
    rest = rest_arms("stand")
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


def approach(chain: Chain, goal: float, facing: int, limit: float, spared: Collection[str] = ()) -> None:
    """Get up, face the other and come to `goal`, stopped on both feet by `limit` (ms): at the
    calmest plausible pace that gets there in time (a walk, a brisk walk, a run), else as far
    as a run gets; short of anyone in the way but the `spared` (whom it comes to)."""
    stand_first(chain, 0.5 * limit)
    face_within(chain, float(facing), limit - chain.t)
    left = limit - chain.t
    if abs(goal - chain.end.x) < 1.0 or left <= 0:
        return
    gait = clear_move(
        chain.end, goal, chain.world, chain.t, lambda x: _paced(chain.end, x, facing, left), spared
    )
    if gait is not None:
        chain.add(gait)


def _paced(start: Pose, goal: float, facing: int, left: float) -> Gait | None:
    """The calmest plausible gait to `goal` within `left` ms, else as far as a run gets."""
    if abs(goal - start.x) < 1.0:
        return None
    natural = Gait(start, goal, facing, WALK)
    if natural.duration <= left:
        return natural
    for style, cap in _PACES:
        for step in (None, SHORT_STEP):
            g = Gait(start, goal, facing, style, max_time=left, step=step, cap=cap)
            if g.duration <= left:
                return g
    return fit_gait(start, goal, facing, RUN, 1.0, left, cap=RUN.speed)


def interaction(action: Action, actor: Pose, target: Pose, wa: World, wb: World) -> tuple[Motion, Motion]:
    """Both characters of an interaction: they come together, face each other, and the gesture
    makes their hands meet (each uses its own right hand for shake_hands, high_five and pull).
    Returns (actor's motion, target's motion), both lasting the action's duration."""
    kind, dur = action.action, action.duration
    dirn = sign(target.x - actor.x, actor.side)  # where the target is, seen from the actor
    sep = SEPARATION[kind]
    mid = min(max((actor.x + target.x) / 2, MARGIN + sep / 2), wa.width - MARGIN - sep / 2)
    goals = (mid - dirn * sep / 2, mid + dirn * sep / 2)
    for share in (1.0, 0.5):  # too far for a walk or run in time: a quicker gesture
        ca, cb = Chain(actor, wa), Chain(target, wb)
        limit = max(0.35 * dur, dur - share * GESTURE_MS[kind])  # the rest is the gesture's
        approach(ca, goals[0], dirn, limit, (wa.partner or "",))
        approach(cb, goals[1], -dirn, limit, (wb.partner or "",))
        if abs(ca.end.x - goals[0]) + abs(cb.end.x - goals[1]) < 2.0:
            break
    meet = max(ca.t, cb.t)
    ca.hold(meet - ca.t)
    cb.hold(meet - cb.t)
    ms = max(dur - meet, 1.0)
    PAIR_BUILDERS[kind](ca, cb, dirn, ms)
    return ca.build(dur), cb.build(dur)


def _mirrored(kind: str) -> PairBuilder:
    """shake_hands, high_five, hug: both characters make the same gesture at the same time."""

    def gesture(ca: Chain, cb: Chain, dirn: int, ms: float) -> None:
        ca.add(Keyframes(ca.end, _gesture_keys(kind, ms)))
        cb.add(Keyframes(cb.end, _gesture_keys(kind, ms)))

    return gesture


def _push(ca: Chain, cb: Chain, dirn: int, ms: float) -> None:
    """The actor's arms shoot out and land on the other's chest as they straighten; the other
    is thrown back a step or two, still facing the actor."""
    rest = rest_arms("stand")
    hit = min(0.4 * ms, 320.0)  # then the other needs the time to stagger back
    keys = [
        Key(0.5 * hit, _PUSH_BENT),
        Key(hit, _PUSH_OUT),
        Key(hit + 0.4 * (ms - hit), _PUSH_OUT),
        Key(ms, rest),
    ]
    ca.add(Keyframes(ca.end, keys))
    react(cb, dirn, [cb.t + hit], cb.t + ms, 0.3 * H)


_RECOIL = lr(torso=-14.0, neck=-20.0, shoulder=55.0, elbow=45.0)  # struck: leans back, arms fly up
_FLAIL = lr(shoulder=60.0, elbow=40.0)
RECOIL_MS = 120.0


def react(chain: Chain, away: int, hits: Sequence[float], end: float, stagger: float) -> None:
    """The target of a push or a blow, facing its attacker: at each hit (ms on the chain's clock)
    it recoils; after the last it staggers `stagger` back (`away`: +1 right), then straightens
    up, on both feet by `end`."""
    stand = {**rest_arms("stand"), "torso": 0.0, "neck": 0.0}
    for i, t in enumerate(hits):
        chain.hold(t - chain.t)
        if i < len(hits) - 1:  # flinch and come back before the next blow
            back = max(RECOIL_MS + 1.0, min(350.0, hits[i + 1] - t - 10.0))
            chain.add(Keyframes(chain.end, [Key(RECOIL_MS, _RECOIL), Key(back, stand)]))
    if not hits or end - chain.t < RECOIL_MS:
        return
    chain.add(Keyframes(chain.end, [Key(RECOIL_MS, _RECOIL)]))
    left = end - chain.t
    goal = chain.world.clamp_x(chain.end.x + away * stagger)
    ms = min(650.0, left - 150.0)
    gait = clear_move(chain.end, goal, chain.world, chain.t,
                      lambda x: fit_gait(chain.end, x, -away, WALK, 1.6, ms, arms=_FLAIL, lean=-10.0))  # fmt: skip
    if gait is not None:
        chain.add(gait)
    settle = min(350.0, end - chain.t)
    if settle > 1.0:
        chain.add(Keyframes(chain.end, [Key(settle, stand)]))


def _pull(ca: Chain, cb: Chain, dirn: int, ms: float) -> None:
    """Right hands join; the actor backs off and the target follows, hands together."""
    grip = Key(0.2 * ms, _SHAKE)
    ca.add(Keyframes(ca.end, [grip]))
    cb.add(Keyframes(cb.end, [grip]))
    arms = {**rest_arms("stand"), **_SHAKE}
    walk = 0.6 * ms
    shift = -dirn * 0.3 * H
    room = ca.world.clamp_x(ca.end.x + shift) - ca.end.x  # stay on stage: both move the same
    room = -dirn * min(abs(room), abs(cb.world.clamp_x(cb.end.x + shift) - cb.end.x))
    ga = clear_move(ca.end, ca.end.x + room, ca.world, ca.t,
                    lambda x: fit_gait(ca.end, x, dirn, WALK, 1.0, walk, arms=arms, lean=-6.0))  # fmt: skip
    if ga is not None:  # the target follows as far as the actor gets
        ca.add(ga)
        room = ga.sigma * ga.dist
        gb = clear_move(cb.end, cb.end.x + room, cb.world, cb.t,
                        lambda x: fit_gait(cb.end, x, -dirn, WALK, 1.0, walk, arms=arms, lean=6.0),
                        (cb.world.partner or "",))  # fmt: skip
        if gb is not None:
            cb.add(gb)
    release = Key(0.2 * ms, rest_arms("stand"))
    ca.add(Keyframes(ca.end, [release]))
    cb.add(Keyframes(cb.end, [release]))


PAIR_BUILDERS: dict[str, PairBuilder] = {
    "push": _push,
    "pull": _pull,
    "hug": _mirrored("hug"),
    "shake_hands": _mirrored("shake_hands"),
    "high_five": _mirrored("high_five"),
}
