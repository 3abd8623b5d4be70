"""Feelings, words and exercise: say, think, cry, laugh, look, sleep, push_up, jog, and walking,
running or jogging on the spot (params.in_place).

Gestures keep the posture they start in (a sitting figure can laugh or read): they move the
arms, the head and a little of the spine relative to where they started, and give the arms
back to the posture's rest at the end. The bubble of say/think is not drawn here: props.speech
puts it over the speaker for the action's duration.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .. import rig
from ..rig import Pose, fk
from ..schema import ActionParams
from .core import Chain, H, Idle, Key, Keyframes, Motion, World, direction_sign, profile_sign, sign
from .postures import EXTENT, face_within, stand_first, transition
from .reach import arm_to, both_to
from .rest import REST, lr, rest_arms
from .single import locomote


def _count(avail: float, period: float) -> int:
    return max(1, round(avail / period))


def _settle(start: Pose) -> dict[str, float]:
    """What a gesture returns to: its start pose with the posture's rest arms."""
    return {**start.angles, **rest_arms(start.posture)}


def _face_toward(chain: Chain, p: ActionParams, w: World, budget: float) -> None:
    """Turn (with a hop, standing) toward the target, the thing or the direction, if behind."""
    sig = aim_sign(chain.end, p, w)
    if sig and chain.end.posture == "stand" and (profile_sign(chain.end) != sig or abs(chain.end.facing) < 1):
        face_within(chain, float(sig), budget)


def aim_sign(pose: Pose, p: ActionParams, w: World) -> int:
    """Which way (+1 right, -1 left) the action is aimed: target, thing or direction; 0: none."""
    thing = w.things.get(p.object) if p.object else None
    if thing is not None and abs(thing.x - pose.x) > 1.0:
        return sign(thing.x - pose.x)
    if p.target and p.target in w.others:
        return sign(w.others[p.target].x - pose.x, pose.side)
    if p.direction:
        return direction_sign(p.direction, pose, w)
    return 0


# --- words --------------------------------------------------------------------------------
def _say(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """A small talking gesture: one forearm opens and bobs, the head nods along."""
    chain = Chain(start, w)
    _face_toward(chain, p, w, 0.3 * dur)
    s = chain.end
    left = dur - chain.t
    lead = min(300.0, 0.2 * left)
    n = max(1, int((left - 2 * lead) / 420.0))
    beat = min(420.0, (left - 2 * lead) / n)  # short: quicker beats, all inside the action
    a = dict(s.angles)
    open_ = {"shoulder_r": a["shoulder_r"] + 25.0, "elbow_r": 80.0, "neck": a["neck"] + 4.0}
    bob = {"shoulder_r": a["shoulder_r"] + 32.0, "elbow_r": 62.0, "neck": a["neck"] - 3.0}
    keys = [Key(lead, open_)]
    for i in range(n):
        keys.append(Key(lead + (i + 1) * beat, bob if i % 2 == 0 else open_))
    keys.append(Key(max(left, keys[-1].t + 1.0), _settle(s)))
    return chain.add(Keyframes(s, keys)).build(dur)


def _think(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """Hand to the chin, the head tilted up, the other arm across the body."""
    s = start
    a = dict(s.angles, neck=s.angles["neck"] - 12.0)
    hx, hy = fk(a, s.facing, s.side)["head"]
    ahead = profile_sign(s) * 6.0 if abs(s.facing) >= 0.5 else 0.0
    chin = (hx + ahead, hy + rig.HEAD_RADIUS + 2.0)
    pose = {"neck": a["neck"], **arm_to(a, s.facing, s.side, "_r", chin)}
    pose.update({"shoulder_l": s.angles["shoulder_l"] + 20.0, "elbow_l": 95.0})
    lead = min(400.0, 0.25 * dur)
    keys = [Key(lead, pose), Key(max(lead + 1.0, dur - lead), pose), Key(dur, _settle(s))]
    return Chain(s, w).add(Keyframes(s, keys)).build(dur)


# --- feelings -----------------------------------------------------------------------------
def _hands_to_face(s: Pose, lean: float, neck: float) -> dict[str, float]:
    """Both hands on the face: in profile in front of it, from the front crossed onto the
    opposite cheeks (the way the front view folds elbows, hands on their own side would bring
    the elbows up through the head). The shoulders turn the short way from where they start,
    so the arms never swing over the head on the way."""
    a = dict(s.angles, torso=s.angles["torso"] + lean, neck=s.angles["neck"] + neck)
    hx, hy = fk(a, s.facing, s.side)["head"]
    r = rig.HEAD_RADIUS
    if abs(s.facing) >= 0.5:
        ahead = profile_sign(s) * 1.1 * r
        left = right = (hx + ahead, hy + 0.2 * r)
    else:
        cross = 0.8 * r * s.side  # the front view's left arm is drawn on the `side` side
        left, right = (hx - cross, hy + 0.1 * r), (hx + cross, hy + 0.1 * r)
    arms = both_to(a, s.facing, s.side, left, right)
    for k in ("shoulder_l", "shoulder_r"):
        arms[k] = _nearest_turn(arms[k], s.angles[k])
    return {"torso": a["torso"], "neck": a["neck"], **arms}


def _nearest_turn(angle: float, ref: float) -> float:
    """`angle` plus or minus whole turns, within half a turn of `ref`."""
    return ref + (angle - ref + 180.0) % 360.0 - 180.0


def _pulsing(s: Pose, w: World, dur: float, hold: Mapping[str, float], pulse: Mapping[str, float],
             lead: float, period: float) -> Motion:  # fmt: skip
    """Into `hold` within `lead` ms, out to `pulse` and back about every `period` ms (quicker
    when short: all of it inside `dur`), then settle."""
    n = max(1, int((dur - 2 * lead) / period))
    period = min(period, (dur - 2 * lead) / n)
    keys = [Key(lead, hold)]
    for i in range(n):
        keys += [Key(lead + (i + 0.5) * period, pulse), Key(lead + (i + 1) * period, hold)]
    keys.append(Key(max(dur, keys[-1].t + 1.0), _settle(s)))
    return Chain(s, w).add(Keyframes(s, keys)).build(dur)


def _cry(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """Head down, hands to the face, shoulders shaking with sobs."""
    s = start
    down = _hands_to_face(s, 8.0, 18.0)
    sob = {**down, "torso": down["torso"] + 4.0, "neck": down["neck"] + 6.0}
    sob["shoulder_l"] += 6.0
    sob["shoulder_r"] += 6.0
    return _pulsing(s, w, dur, down, sob, min(450.0, 0.25 * dur), 380.0)


def _laugh(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """Lean back, head up, hands on the belly; the shoulders and the trunk bounce."""
    s = start
    a = dict(s.angles, torso=s.angles["torso"] - 10.0, neck=s.angles["neck"] - 18.0)
    rel = fk(a, s.facing, s.side)
    px, py = rel["pelvis"]
    nx, ny = rel["neck"]
    belly = (px + 0.35 * (nx - px), py + 0.35 * (ny - py))
    ahead = profile_sign(s) * 14.0 if abs(s.facing) >= 0.5 else 0.0
    spread = 0.0 if abs(s.facing) >= 0.5 else 10.0
    back = {
        "torso": a["torso"], "neck": a["neck"],
        **both_to(a, s.facing, s.side, (belly[0] + ahead + spread, belly[1]), (belly[0] + ahead - spread, belly[1])),
    }  # fmt: skip
    bounce = {**back, "torso": back["torso"] + 5.0, "neck": back["neck"] + 6.0}
    bounce["shoulder_l"] += 5.0
    bounce["shoulder_r"] += 5.0
    return _pulsing(s, w, dur, back, bounce, min(350.0, 0.2 * dur), 300.0)


def _look(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """Turn toward what is looked at (standing: the whole body; else the head) and hold the gaze:
    the head tilts up to a tall thing, down to one on the ground."""
    chain = Chain(start, w)
    _face_toward(chain, p, w, 0.3 * dur)
    s = chain.end
    tilt = 0.0
    thing = w.things.get(p.object) if p.object else None
    if thing is not None:
        eye_y = w.ground - 0.9 * H  # roughly where a standing figure's eyes are
        centre = thing.y - thing.height / 2
        dx = max(abs(thing.x - s.x), 30.0)
        tilt = max(-30.0, min(35.0, math.degrees(math.atan2(centre - eye_y, dx))))
    left = dur - chain.t
    lead = min(350.0, 0.3 * left)
    gaze = {"neck": s.angles["neck"] + tilt}
    if tilt == 0.0:  # nothing to look up or down to: a small searching tilt
        gaze = {"neck": s.angles["neck"] - 6.0}
    keys = [Key(lead, gaze), Key(max(lead + 1.0, left - lead), gaze), Key(left, {"neck": s.angles["neck"]})]
    return chain.add(Keyframes(s, keys)).build(dur)


# --- sleep --------------------------------------------------------------------------------
_ASLEEP = {"neck": 25.0, "shoulder_l": 30.0, "elbow_l": 95.0, "shoulder_r": 30.0, "elbow_r": 95.0}
SLEEP_BREATH_MS = 4200.0  # slower and deeper than awake


def sleep_after(chain: Chain, dur: float) -> Motion:
    """From lying on the back: arms fold on the chest, then slow deep breaths until the end."""
    s = chain.end
    left = dur - chain.t
    if left <= 1.0:
        return chain.build(dur)
    settle = min(600.0, 0.3 * left)
    inhale = {**_ASLEEP, "shoulder_l": 36.0, "shoulder_r": 36.0, "neck": 22.0}
    keys = [Key(settle, _ASLEEP)]
    t = settle
    while t + SLEEP_BREATH_MS <= left:
        keys += [Key(t + SLEEP_BREATH_MS / 2, inhale), Key(t + SLEEP_BREATH_MS, _ASLEEP)]
        t += SLEEP_BREATH_MS
    return chain.add(Keyframes(s, keys, anchor="pelvis")).build(dur)


def lie_floor(dur: float, start: Pose, w: World, then_sleep: bool) -> Motion:
    """Lie down on the floor (and sleep): getting up first when lying back from where the figure
    sits or kneels would put its head off the stage (then the turn finds the roomy side)."""
    chain = Chain(start, w)
    if start.posture not in ("stand", "lie_back"):
        s = profile_sign(start)
        xs = [px for px, _ in fk(REST["lie_back"], float(s), s).values()]
        r = rig.HEAD_RADIUS + 0.35 * H  # room for an arm raised overhead (a wave)
        if start.x + min(xs) - r < 0.0 or start.x + max(xs) + r > w.width:
            stand_first(chain, 0.35 * dur)
    left = dur - chain.t
    chain.add(*transition(chain.end, "lie_back", w, min(0.9 * left, max(0.5 * left, 1500.0))))
    down = chain.end.posture == "lie_back"  # (else no room to lie down)
    return sleep_after(chain, dur) if then_sleep and down else chain.build(dur)


def _sleep(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    return lie_floor(dur, start, w, then_sleep=True)


# --- push-ups -----------------------------------------------------------------------------
def _plank(elbow: float) -> dict[str, float]:
    """A straight body on hands and toes, the elbows bent by `elbow`: the torso angle is solved so
    that the hands and the feet are at the same height (both on the floor)."""

    def gap(torso: float) -> float:
        a = _plank_angles(torso, elbow)
        j = fk(a, 1.0, 1)
        return j["hand_r"][1] - j["foot_r"][1]

    lo, hi = 45.0, 95.0
    for _ in range(30):  # hands below the feet at lo; above at hi
        mid = (lo + hi) / 2
        if gap(mid) > 0:
            lo = mid
        else:
            hi = mid
    return _plank_angles((lo + hi) / 2, elbow)


def _plank_angles(torso: float, elbow: float) -> dict[str, float]:
    # Arms perpendicular to the floor: the shoulder channel undoes the trunk's tilt.
    sh = torso - 0.5 * elbow
    return {**REST["stand"], **lr(torso=torso, neck=-15.0, shoulder=sh, elbow=elbow, hip=-torso, knee=0.0)}


_PLANK_UP = _plank(0.0)
_PLANK_DOWN = _plank(95.0)


_MIN_PUSH_MS = 250.0  # the quickest push-up, down and up


def _push_up(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    parts = transition(start, "all_fours", w, 0.35 * dur, extent=EXTENT["lie_front"])  # room for the plank
    down = parts[-1].sample(parts[-1].duration).posture if parts else start.posture
    if sum(m.duration for m in parts) > dur or down != "all_fours":  # cannot get down (in time): keep still
        return Idle(start, w, dur)
    chain = Chain(start, w).add(*parts)
    left = dur - chain.t
    into, out = min(500.0, 0.15 * left), min(500.0, 0.15 * left)
    avail = left - into - out
    n = min(p.times or _count(max(avail, 1.0) * (p.speed or 1.0), 900.0), int(avail // _MIN_PUSH_MS))
    if n < 1:  # no time for one push-up: stay on all fours (a motion never overruns its time)
        return chain.build(dur)
    period = min(avail / n, 1400.0)
    keys = [Key(into, _PLANK_UP, posture="custom")]
    for i in range(n):
        keys += [Key(into + (i + 0.5) * period, _PLANK_DOWN), Key(into + (i + 1) * period, _PLANK_UP)]
    keys.append(Key(keys[-1].t + out, REST["lie_front"], posture="lie_front"))
    return chain.add(Keyframes(chain.end, keys)).build(dur)


# --- on the spot --------------------------------------------------------------------------
_SPOT: Mapping[str, tuple[float, float, float]] = {  # knee lift (hip degrees), step ms, arm swing
    "walk": (40.0, 560.0, 22.0),
    "jog": (50.0, 380.0, 35.0),
    "run": (70.0, 290.0, 50.0),
}


def on_the_spot(kind: str, p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """Walk, jog or run without going anywhere: knees rise in turn (the foot straight up under the
    hip, so the planted foot never slides), arms swinging opposite; in profile, where it reads."""
    chain = Chain(start, w)
    chain.add(*transition(start, "stand", w, 0.3 * dur))
    sig = direction_sign(p.direction, chain.end, w) if p.direction else profile_sign(chain.end)
    face_within(chain, float(sig), dur - chain.t)
    hip, step, swing = _SPOT[kind]
    left = dur - chain.t
    step /= p.speed or 1.0
    n = max(2, int(left / step))
    step = left / (n + 0.5)
    elbow = 25.0 if kind == "walk" else 85.0
    lean = {"walk": 2.0, "jog": 6.0, "run": 10.0}[kind]
    keys = []
    for i in range(n):
        up, down = ("_r", "_l") if i % 2 == 0 else ("_l", "_r")
        arms = {"shoulder" + up: -swing, "shoulder" + down: swing, "elbow" + up: elbow, "elbow" + down: elbow}
        keys += [
            Key(
                (i + 0.5) * step, {"torso": lean, "hip" + up: hip, "knee" + up: rig.crouch_knee(hip), **arms}
            ),
            Key((i + 1) * step, {"hip" + up: 0.0, "knee" + up: 0.0}),
        ]
    keys.append(Key(left, REST["stand"]))
    return chain.add(Keyframes(chain.end, keys)).build(dur)


def _jog(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    if p.in_place:
        return on_the_spot("jog", p, dur, start, w)
    return locomote("jog", p, dur, start, w)


BUILDERS = {
    "jog": _jog,
    "sleep": _sleep,
    "push_up": _push_up,
    "say": _say,
    "think": _think,
    "cry": _cry,
    "laugh": _laugh,
    "look": _look,
}
