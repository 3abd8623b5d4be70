"""Blows aimed at someone (a punch or kick with params.target): the striker comes within reach,
the blow lands on the target's body, and the target recoils and staggers back.

Without a target, punch and kick are one character's actions (single.BUILDERS); the compiler
calls :func:`strike` when the Script names a target.
"""

from __future__ import annotations

from ..rig import Pose, fk, foot_anchor
from ..schema import Action
from .core import Chain, H, Motion, World, sign
from .interactions import approach, react
from .postures import face, face_within, stand_first
from .rest import full
from .single import KICK_OUT, PUNCH_GUARD, PUNCH_OUT, kick_motion, punch_motion

STRIKES = ("punch", "kick")
BLOW_MS = {"punch": 600.0, "kick": 900.0}  # the least time a blow needs after the approach
STAGGER = {"punch": 0.2 * H, "kick": 0.25 * H}  # how far the target is knocked back


def _punch_reach() -> float:
    out = {"torso": PUNCH_OUT["torso"], "shoulder_r": PUNCH_OUT["shoulder"], "elbow_r": PUNCH_OUT["elbow"]}
    rel = fk(full(**{**PUNCH_GUARD, **out}), 1.0, 1)
    return rel["hand_r"][0] - foot_anchor(rel)  # the feet stay put while the arm shoots out


def _kick_reach() -> float:
    rel = fk(full(torso=KICK_OUT["torso"], hip_r=KICK_OUT["hip"], knee_r=KICK_OUT["knee"]), 1.0, 1)
    return rel["foot_r"][0] - rel["foot_l"][0]  # the standing foot stays put (either leg: same rig)


# Pelvis-to-pelvis distance (before the blow) at which the fist or foot just reaches the
# target's body: its torso line or thigh, upright in profile.
GAP = {"punch": _punch_reach() - 1.0, "kick": _kick_reach() - 1.0}


def strike(
    action: Action, actor: Pose, target: Pose, wa: World, wb: World, free_ms: float
) -> tuple[Motion, Motion | None]:
    """The striker's motion (the action's duration) and the target's reaction, which lasts at
    most `free_ms` (until its own next action; 0: it is busy and does not react), or None when
    the blow does not land (the target is out of reach in the time, or not standing)."""
    kind, dur, p = action.action, action.duration, action.params
    dirn = sign(target.x - actor.x, actor.side)  # where the target is, seen from the striker
    ca = Chain(actor, wa)
    goal = wa.clamp_x(target.x - dirn * GAP[kind])
    if (goal - actor.x) * dirn > 1.0:  # out of reach: come closer (never back off)
        approach(ca, goal, dirn, max(0.4 * dur, dur - BLOW_MS[kind]), (wa.partner or "",))
    else:
        stand_first(ca, 0.4 * dur)
        face_within(ca, float(dirn), 0.5 * (dur - ca.t))
    if abs(ca.end.facing - dirn) > 1e-9:  # no time to turn: the blow goes where the figure looks
        return ca.build(dur), None
    make = punch_motion if kind == "punch" else kick_motion
    blow, hits = make(ca.end, p, dur - ca.t)
    lands = abs(target.x - ca.end.x) <= GAP[kind] + 3.0
    hits = [ca.t + h for h in hits]
    ca.add(blow)
    if not hits or not lands or target.posture != "stand" or free_ms <= hits[0]:
        return ca.build(dur), None
    cb = Chain(target, wb)
    if abs(target.facing + dirn) > 1e-9:  # it turns to face the striker coming at it
        face(cb, float(-dirn))
    if cb.t > hits[0]:
        return ca.build(dur), None
    react(cb, dirn, hits, free_ms, STAGGER[kind])
    return ca.build(dur), cb.build(cb.t)
