"""The actions of two characters (shake_hands, hug, high_five, push, pull): they come together,
face each other, and the gesture makes their hands meet."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..rig import Pose, fk
from ..schema import Action
from .core import MARGIN, Chain, H, Key, Keyframes, Motion, World, sign
from .gait import WALK, Gait, fit_gait
from .postures import face_within, stand_first
from .rest import full, lr, rest_arms

# The gesture, once the two stand face to face: (actor's chain, target's chain, the target's
# direction seen from the actor, ms left).
PairBuilder = Callable[[Chain, Chain, int, float], None]

_SHAKE = {"shoulder_r": 65.0, "elbow_r": 25.0}
_FIVE_UP = {"shoulder_r": 100.0, "elbow_r": 45.0}
_FIVE = {"shoulder_r": 125.0, "elbow_r": 10.0}
_HUG = lr(torso=5.0, shoulder=85.0, elbow=60.0)
_PUSH_BENT = lr(torso=5.0, shoulder=75.0, elbow=100.0)
_PUSH_OUT = lr(torso=12.0, shoulder=85.0, elbow=5.0)


def _reach(angles: Mapping[str, float], hand: str = "hand_r") -> float:
    """How far in front of the pelvis a hand is, in profile."""
    return fk(full(**angles), 1.0, 1)[hand][0]


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
    dirn = sign(target.x - actor.x, actor.side)  # where the target is, seen from the actor
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
    PAIR_BUILDERS[kind](ca, cb, dirn, ms)
    return ca.build(dur), cb.build(dur)


def _mirrored(kind: str) -> PairBuilder:
    """shake_hands, high_five, hug: both characters make the same gesture at the same time."""

    def gesture(ca: Chain, cb: Chain, dirn: int, ms: float) -> None:
        ca.add(Keyframes(ca.end, _gesture_keys(kind, ms)))
        cb.add(Keyframes(cb.end, _gesture_keys(kind, ms)))

    return gesture


def _push(ca: Chain, cb: Chain, dirn: int, ms: float) -> None:
    """The actor's arms shoot out; the target stumbles back, still facing the actor."""
    rest = rest_arms("stand")
    hit = 0.35 * ms
    ca.add(
        Keyframes(
            ca.end,
            [Key(0.25 * ms, _PUSH_BENT), Key(hit, _PUSH_OUT), Key(0.75 * ms, _PUSH_OUT), Key(ms, rest)],
        )
    )
    cb.hold(hit - 40.0)
    flail = lr(shoulder=60.0, elbow=40.0)
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
    arms = {**rest_arms("stand"), **_SHAKE}
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
