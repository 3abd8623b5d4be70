"""Actions with things (props): pick up, put down, throw, catch, carry, read, open, drink, climb
(the thing-aware variants of the first vocabulary are in on_things).

A builder sees the things where they are when its action starts (World.things). When the thing
is far away it first walks up to it, within the action's own duration (the planner need not
schedule a walk). What the action does to the thing is not drawn here: the motion carries
*cues* (cues.Staged, times in ms from the action start: "hold it in these hands from now",
"launch it", "the figure rises by h") that the compiler's prop tracks (prop_tracks.py) turn into
a place for every thing in every frame. Without a thing (object absent or unknown), each action
mimes its gesture.
"""

from __future__ import annotations

import math

from .. import rig
from ..rig import Pose, fk
from ..schema import ActionParams
from .clearance import clear_move
from .core import TURN_MS, Chain, H, Key, Keyframes, Motion, Thing, World, profile_sign, sign
from .cues import GRAVITY, HOLD, LAUNCH, PUT, REACH_GAP, RISE, SLIDE, TWO_HANDED, Cue, Staged, catch_time
from .expressive import aim_sign
from .gait import WALK, fit_gait
from .postures import face_within, stand_first
from .reach import arm_to
from .rest import REST, lr, rest_arms
from .single import Builder


# --- shared steps ---------------------------------------------------------------------------
def thing_of(p: ActionParams, w: World, over: bool = False) -> tuple[str, Thing] | None:
    pid = p.over if over else p.object
    if pid and pid in w.things:
        return pid, w.things[pid]
    return None


def go_near(chain: Chain, goal: float, facing: int, budget: float, cap: float | None = None) -> None:
    """Get up, face the way and walk to `goal` by `budget` ms into the action (as far as it gets);
    with a `cap`, the budget grows up to it when the way is long (a brisk walk and two turns)."""
    if cap is not None:
        need = chain.t + abs(goal - chain.end.x) / (1.6 * WALK.speed) + 2 * TURN_MS
        need += 0.0 if chain.end.posture == "stand" else 900.0
        budget = min(max(budget, need), max(cap, budget))
    stand_first(chain, 0.3 * budget)
    goal = chain.world.clamp_x(goal)
    way = sign(goal - chain.end.x, facing)
    if abs(goal - chain.end.x) >= 2.0:
        face_within(chain, float(way), budget - chain.t)
        start, ms = chain.end, max(budget - chain.t, 1.0)
        gait = clear_move(start, goal, chain.world, chain.t, lambda x: fit_gait(start, x, way, WALK, 1.0, ms))
        if gait is not None:  # (short of anyone in the way)
            chain.add(gait)
    if chain.end.facing != facing:  # the last turn may run over a long budget by a hop
        face_within(chain, float(facing), max(budget - chain.t, min(TURN_MS, 0.2 * budget)))


def side_to(pose: Pose, thing: Thing) -> int:
    """Which way the thing is from the figure (+1 right)."""
    return sign(thing.x - pose.x, profile_sign(pose))


def walk_up(chain: Chain, thing: Thing, gap: float, budget: float, cap: float | None = None) -> int:
    """Walk up to `thing`, stopping `gap` before its near edge, facing it; returns that side."""
    s = side_to(chain.end, thing)
    go_near(chain, thing.x - s * (thing.width / 2 + gap), s, budget, cap)
    return s


def _held_by_me(thing: Thing, w: World) -> bool:
    return thing.holder is not None and thing.holder == w.me


def _hands(kind: str) -> str:
    return "both" if kind in TWO_HANDED else "_r"


def _bend_to(start: Pose, target_x: float, target_h: float, hands: str, width: float) -> dict[str, float]:
    """A crouching bend whose hand(s) reach a point `target_h` above the ground at stage x; near
    a stage edge it squats deeper and leans less, so that no part of it leaves the stage."""
    f, side = start.facing, start.side
    rel0 = fk(start.angles, f, side)
    bend: dict[str, float] = {}
    for lean, hip in ((45.0, 40.0), (30.0, 55.0), (15.0, 65.0), (5.0, 70.0)):
        bend = {**REST["stand"], **lr(torso=lean, neck=5.0, hip=hip, knee=rig.crouch_knee(hip))}
        rel = fk(bend, f, side)
        pelvis_x = start.x + rig.foot_anchor(rel0) - rig.foot_anchor(rel)  # the feet stay put
        ground = max(rel["foot_l"][1], rel["foot_r"][1])
        target = (target_x - pelvis_x, ground - target_h)
        for arm in ("_l", "_r") if hands == "both" else (hands,):
            bend.update(arm_to(bend, f, side, arm, target))
        xs = [x for x, _ in fk(bend, f, side).values()]
        r = rig.HEAD_RADIUS
        if pelvis_x + min(xs) - r >= 0.0 and pelvis_x + max(xs) + r <= width:
            break
    return bend


def hold_pose(kind: str) -> dict[str, float]:
    """Arms holding a thing: both in front of the belly for a big one, else the right hand low."""
    if kind in TWO_HANDED:
        return lr(shoulder=30.0, elbow=70.0)
    if kind == "book":
        return {"shoulder_r": 35.0, "elbow_r": 60.0}
    return {"shoulder_r": 25.0, "elbow_r": 45.0}


MIN_TAKE_MS = 600.0  # the quickest bend and grab


def take_budget(start: Pose, thing: Thing, dur: float, share: float) -> float:
    """How much of an action goes to fetching a thing: `share` of it, more when the thing is far
    (a brisk walk there, a turn and a bend), never more than 80 %."""
    far = max(0.0, abs(thing.x - start.x) - thing.width / 2 - REACH_GAP)
    return min(max(share * dur, far / (1.6 * WALK.speed) + 1400.0), 0.8 * dur)


def _take(chain: Chain, pid: str, thing: Thing, budget: float, cues: list[Cue]) -> str:
    """Walk up to the thing, bend, grab it (a hold cue) and straighten up holding it; returns
    the hands that hold it. Nothing to do if this character already holds it."""
    hands = _hands(thing.kind)
    if _held_by_me(thing, chain.world):
        return hands
    if thing.holder is not None or budget < MIN_TAKE_MS:  # someone else's, or no time: no grab
        return hands
    bend = min(900.0, 0.4 * budget)
    walk_up(chain, thing, REACH_GAP, budget - bend)
    s = chain.end
    left = budget - chain.t
    if left < 0.5 * MIN_TAKE_MS:
        return hands
    down = _bend_to(s, thing.x, min(thing.height / 2, 0.25 * H), hands, chain.world.width)
    grab = chain.t + 0.45 * left
    up = {**REST["stand"], **hold_pose(thing.kind)}
    chain.add(Keyframes(s, [Key(0.4 * left, down), Key(0.5 * left, down), Key(left, up)]))
    cues.append(Cue(grab, HOLD, pid, hands))
    return hands


def _fetched(
    p: ActionParams, dur: float, start: Pose, w: World, share: float
) -> tuple[Chain, list[Cue], tuple[str, Thing] | None]:
    """A chain that first fetches the thing the action names, if any (walk up, grab it, with
    up to `share` of the time), its cues, and the thing."""
    chain, cues = Chain(start, w), list[Cue]()
    found = thing_of(p, w)
    if found:
        _take(chain, *found, take_budget(start, found[1], dur, share), cues)
    return chain, cues, found


def staged(chain: Chain, dur: float, cues: list[Cue]) -> Staged:
    return Staged(chain.build(dur), cues)


# --- builders -------------------------------------------------------------------------------
def _pick_up(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    cues: list[Cue] = []
    found = thing_of(p, w)
    if found is None:  # mime it: bend down in front and straighten up
        stand_first(chain, 0.3 * dur)
        s = chain.end
        left = dur - chain.t
        down = _bend_to(s, s.x + profile_sign(s) * 0.25 * H, 12.0, "both", w.width)
        chain.add(Keyframes(s, [Key(0.45 * left, down), Key(0.55 * left, down), Key(left, REST["stand"])]))
        return chain.build(dur)
    _take(chain, *found, 0.95 * dur, cues)  # all of it: walking there included
    return staged(chain, dur, cues)


def _put_down(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    cues: list[Cue] = []
    stand_first(chain, 0.3 * dur)
    s = chain.end
    left = dur - chain.t
    found = thing_of(p, w)
    kind = found[1].kind if found else "ball"
    size = found[1].height if found else 20.0
    hands = _hands(kind)
    ahead = s.x + profile_sign(s) * 0.28 * H
    down = _bend_to(s, ahead, min(size / 2, 0.25 * H), hands, w.width)
    chain.add(Keyframes(s, [Key(0.4 * left, down), Key(0.55 * left, down), Key(left, REST["stand"])]))
    if found and found[1].holder == w.me:
        cues.append(Cue(chain.t - 0.55 * left, PUT, found[0]))
    return staged(chain, dur, cues)


_WIND = {"torso": -12.0, "shoulder_r": -45.0, "elbow_r": 70.0, "shoulder_l": 60.0, "elbow_l": 20.0}
_RELEASE = {"torso": 12.0, "shoulder_r": 150.0, "elbow_r": 10.0, "shoulder_l": 20.0, "elbow_l": 20.0}
_FOLLOW = {"torso": 18.0, "shoulder_r": 70.0, "elbow_r": 10.0, "shoulder_l": 10.0, "elbow_l": 20.0}
THROW_RANGE = 0.32  # of the stage width: how far a throw at nobody flies


def _throw(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain, cues, found = _fetched(p, dur, start, w, 0.45)
    stand_first(chain, 0.3 * dur)
    sig = aim_sign(chain.end, p.model_copy(update={"object": None}), w) or profile_sign(chain.end)
    face_within(chain, float(sig), dur - chain.t)
    s = chain.end
    left = dur - chain.t
    wind, release = 0.35 * left, 0.55 * left
    keys = [Key(wind, _WIND), Key(release, _RELEASE), Key(0.75 * left, _FOLLOW), Key(left, REST["stand"])]
    chain.add(Keyframes(s, keys, anchor="foot_l"))
    if found and (found[1].holder in (None, w.me)):
        t = chain.t - left + release
        target = w.others.get(p.target) if p.target else None
        if target is not None:  # to someone: it comes down at their chest (a catch takes it there)
            cues.append(Cue(t, LAUNCH, found[0], "_r", (target.x, w.ground - 0.55 * H, 0.0)))
        else:
            rng = min(THROW_RANGE * w.width, abs(w.clamp_x(s.x + sig * w.width) - s.x) + 0.05 * w.width)
            v = math.sqrt(max(rng, 1.0) * GRAVITY)  # 45 degrees
            cues.append(Cue(t, LAUNCH, found[0], "_r", (sig * v * 0.7071, -v * 0.7071)))
    return staged(chain, dur, cues)


_CATCH_READY = lr(torso=5.0, shoulder=80.0, elbow=25.0)
_CATCH_HUG = lr(torso=8.0, shoulder=55.0, elbow=80.0)


def _catch(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    cues: list[Cue] = []
    stand_first(chain, 0.2 * dur)
    found = thing_of(p, w)
    if found and found[1].holder is None:
        sig = side_to(chain.end, found[1])
        if profile_sign(chain.end) != sig or abs(chain.end.facing) < 1:
            face_within(chain, float(sig), 0.2 * dur)
    s = chain.end
    t_catch = max(catch_time(dur), chain.t + 150.0)
    keys = [
        Key(t_catch - chain.t - 80.0, _CATCH_READY),
        Key(t_catch - chain.t + 150.0, _CATCH_HUG),
        Key(dur - chain.t, {**REST["stand"], **_CATCH_HUG}),
    ]
    chain.add(Keyframes(s, keys))
    if found:
        cues.append(Cue(t_catch, HOLD, found[0], "both"))
    return staged(chain, dur, cues)


def _carry(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    cues: list[Cue] = []
    found = thing_of(p, w)
    kind = found[1].kind if found else "box"
    hands = "both" if kind in TWO_HANDED else "_r"
    if found:
        hands = _take(chain, *found, take_budget(start, found[1], dur, 0.5), cues)
    stand_first(chain, 0.3 * dur)
    arms = {**REST["stand"], **hold_pose(kind)}
    chain.add(Keyframes(chain.end, [Key(min(300.0, 0.1 * dur), arms)]))
    if p.direction or p.distance:
        sig = aim_sign(chain.end, p.model_copy(update={"object": None}), w) or profile_sign(chain.end)
        reach = (p.distance or 0.3) * w.width
        face_within(chain, float(sig), dur - chain.t)
        start, ms = chain.end, max(dur - chain.t - 200.0, 1.0)
        gait = clear_move(start, w.clamp_x(start.x + sig * reach), w, chain.t,
                          lambda x: fit_gait(start, x, sig, WALK, 0.8, ms, arms=arms, lean=3.0))  # fmt: skip
        if gait is not None:
            chain.add(gait)
    chain.add(Keyframes(chain.end, [Key(max(dur - chain.t, 1.0), arms)]))
    if found and hands == "both":
        cues.append(Cue(dur, HOLD, found[0], "_r"))  # afterwards: in one hand as the arms relax
    return staged(chain, dur, cues)


def _read_pose(s: Pose) -> dict[str, float]:
    """A book open in both hands in front of the chest, the head bent over it."""
    a = dict(s.angles, neck=s.angles["neck"] + 22.0)
    rel = fk(a, s.facing, s.side)
    nx, ny = rel["neck"]
    ahead = profile_sign(s) * 24.0 if abs(s.facing) >= 0.5 else 0.0
    spread = 0.0 if abs(s.facing) >= 0.5 else 9.0
    pose = {"neck": a["neck"]}
    pose.update(arm_to(a, s.facing, s.side, "_l", (nx + ahead + spread, ny + 26.0)))
    pose.update(arm_to(a, s.facing, s.side, "_r", (nx + ahead - spread, ny + 26.0)))
    return pose


def _read(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain, cues, found = _fetched(p, dur, start, w, 0.4)
    s = chain.end
    left = dur - chain.t
    pose = _read_pose(s)
    turn = {**pose, "shoulder_r": pose["shoulder_r"] + 12.0}  # turns a page now and then
    lead = min(400.0, 0.2 * left)
    keys = [Key(lead, pose)]
    t = lead
    while t + 1600.0 < left - lead:
        keys += [Key(t + 1200.0, pose), Key(t + 1400.0, turn), Key(t + 1600.0, pose)]
        t += 1600.0
    keys += [Key(max(left - lead, t + 1.0), pose), Key(left, {**s.angles, **rest_arms(s.posture)})]
    chain.add(Keyframes(s, keys, anchor="pelvis" if s.posture != "stand" else "feet"))
    if found:
        cues.append(Cue(chain.t - left + lead, HOLD, found[0], "both"))
        cues.append(Cue(dur - lead, HOLD, found[0], "_r"))
    return staged(chain, dur, cues)


def _drink(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain, cues, found = _fetched(p, dur, start, w, 0.4)
    s = chain.end
    left = dur - chain.t
    a = dict(s.angles, neck=s.angles["neck"] - 15.0)
    hx, hy = fk(a, s.facing, s.side)["head"]
    ahead = profile_sign(s) * 12.0 if abs(s.facing) >= 0.5 else 0.0
    sip = {"neck": a["neck"], **arm_to(a, s.facing, s.side, "_r", (hx + ahead, hy + 8.0))}
    lead = min(500.0, 0.3 * left)
    keys = [
        Key(lead, sip),
        Key(max(lead + 1.0, left - lead), sip),
        Key(left, {**s.angles, **rest_arms(s.posture)}),
    ]
    chain.add(Keyframes(s, keys, anchor="pelvis" if s.posture != "stand" else "feet"))
    return staged(chain, dur, cues)


def _open(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    cues: list[Cue] = []
    found = thing_of(p, w)
    gap = 0.22 * H
    if found:
        walk_up(chain, found[1], gap, 0.5 * dur, cap=dur - 1000.0)
    else:
        stand_first(chain, 0.3 * dur)
    s = chain.end
    sig = profile_sign(s)
    left = dur - chain.t
    edge_x = found[1].x - sig * found[1].width / 2 if found else s.x + sig * (gap + 10.0)
    handle = 0.45 * (found[1].height if found else 170.0)
    grip = arm_to(s.angles, float(sig), sig, "_r", _at(s, edge_x + sig * 4.0, handle))
    pull = {"shoulder_r": grip["shoulder_r"] + 20.0, "elbow_r": 5.0, "torso": -4.0}
    keys = [Key(0.35 * left, grip), Key(0.7 * left, pull), Key(left, REST["stand"])]
    chain.add(Keyframes(s, keys))
    if found:
        width = found[1].width
        cues.append(Cue(chain.t - 0.65 * left, SLIDE, found[0], "_r", (sig * 0.9 * width, 0.35 * left)))
    return staged(chain, dur, cues)


def _at(s: Pose, x: float, height: float) -> tuple[float, float]:
    """A stage point `height` above the ground, relative to the pelvis of standing pose `s`."""
    rel = fk(s.angles, s.facing, s.side)
    ground = max(rel["foot_l"][1], rel["foot_r"][1])
    return x - s.x, ground - height


_CLIMB_A = {**lr(torso=8.0, neck=-15.0), "shoulder_r": 165.0, "elbow_r": 15.0, "shoulder_l": 120.0,
            "elbow_l": 45.0, "hip_l": 55.0, "knee_l": rig.crouch_knee(55.0), "hip_r": 5.0, "knee_r": 10.0}  # fmt: skip
_CLIMB_B = {**lr(torso=8.0, neck=-15.0), "shoulder_l": 165.0, "elbow_l": 15.0, "shoulder_r": 120.0,
            "elbow_r": 45.0, "hip_r": 55.0, "knee_r": rig.crouch_knee(55.0), "hip_l": 5.0, "knee_l": 10.0}  # fmt: skip
CLIMB_SHARE = {"ladder": 0.5, "tree": 0.42}  # how high the feet get, as a share of its height
_CLIMB_STEP_MS, _CLIMB_MIN_MS = 700.0, 250.0  # a climbing step at ease, the quickest one


def _climb(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    chain = Chain(start, w)
    cues: list[Cue] = []
    found = thing_of(p, w)
    if found:
        walk_up(
            chain, found[1], -found[1].width / 2 + 0.1 * H, 0.35 * dur, cap=dur - 2000.0
        )  # at arm's reach
    else:
        stand_first(chain, 0.3 * dur)
    s = chain.end
    left = dur - chain.t
    n = max(1, round(0.8 * left / _CLIMB_STEP_MS))
    period = 0.8 * left / n  # the steps fill the time (a motion never overruns it)
    if period < _CLIMB_MIN_MS:  # no time for a step: keep still
        return staged(chain, dur, cues)
    keys = [Key((i + 1) * period, _CLIMB_A if i % 2 == 0 else _CLIMB_B) for i in range(n)]
    settle = min(400.0, max(left - n * period, 1.0))
    keys.append(Key(n * period + settle, {**REST["stand"], "shoulder_r": 150.0, "elbow_r": 20.0}))
    if found:
        rise = CLIMB_SHARE.get(found[1].kind, 0.3) * found[1].height
        cues.append(Cue(chain.t, RISE, found[0], "_r", (rise, n * period)))
    chain.add(Keyframes(s, keys))
    return staged(chain, dur, cues)


BUILDERS: dict[str, Builder] = {
    "climb": _climb,
    "pick_up": _pick_up,
    "put_down": _put_down,
    "throw": _throw,
    "catch": _catch,
    "carry": _carry,
    "read": _read,
    "open": _open,
    "drink": _drink,
}
