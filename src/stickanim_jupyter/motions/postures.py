"""The posture graph (stand, squat, sit, kneel, lying...) and the steps every action shares:
turning with a hop, changing posture, getting up first."""

from __future__ import annotations

import math
from dataclasses import replace

from .. import rig
from ..rig import Pose, fk, foot_anchor
from .clearance import BODY_GAP, PASS_GAP, clear_move, crowded
from .core import (
    HOP,
    LEVEL,
    MARGIN,
    MIN_TURN_MS,
    TURN_MS,
    Chain,
    H,
    Key,
    Keyframes,
    Motion,
    World,
    planted,
    profile_sign,
    sign,
)
from .footing import clear_feet
from .gait import WALK, Gait
from .rest import PROFILE_POSTURES, REST, rest_pose

_LIFT_R = {"hip_r": 40.0, "knee_r": rig.crouch_knee(40.0)}  # foot straight up: no drag
_LIFT_L = {"hip_l": 30.0, "knee_l": rig.crouch_knee(30.0)}

# Posture graph: (from, to) -> (ms, what stays put on the ground, in-between keys as (fraction,
# channels)). The in-between keys lift a stepping foot so it never drags over the floor.
_EDGES: dict[tuple[str, str], tuple[float, str, tuple[tuple[float, dict[str, float]], ...]]] = {
    ("stand", "squat"): (450.0, "feet", ()),
    ("squat", "stand"): (450.0, "feet", ()),
    ("squat", "sit"): (550.0, "feet", ()),
    ("sit", "squat"): (550.0, "feet", ()),
    ("sit", "lie_back"): (650.0, "feet", ()),
    ("lie_back", "sit"): (650.0, "feet", ()),
    ("stand", "kneel"): (
        800.0,
        "foot_l",
        (
            (0.2, _LIFT_R),
            (0.5, {"hip_l": -5.0, "knee_l": 40.0, "hip_r": 70.0, "knee_r": 80.0, "torso": 5.0}),
        ),
    ),
    ("kneel", "stand"): (
        800.0,
        "foot_r",
        (
            (0.5, {"torso": 15.0, "hip_r": 45.0, "knee_r": 80.0, "hip_l": 20.0, "knee_l": 110.0}),
            (0.8, {"torso": 5.0, "hip_r": 15.0, "knee_r": rig.crouch_knee(15.0), **_LIFT_L}),
        ),
    ),
    ("kneel", "all_fours"): (
        600.0,
        "foot_l",
        (
            (0.35, {"torso": 25.0, "hip_r": 100.0, "knee_r": 100.0}),
            (0.7, {"torso": 60.0, "hip_r": 20.0, "knee_r": 140.0}),
        ),
    ),
    ("all_fours", "kneel"): (
        600.0,
        "foot_l",
        (
            (0.3, {"torso": 60.0, "hip_r": 20.0, "knee_r": 140.0}),
            (0.65, {"torso": 25.0, "hip_r": 100.0, "knee_r": 100.0}),
        ),
    ),
    ("all_fours", "lie_front"): (600.0, "feet", ()),
    ("lie_front", "all_fours"): (600.0, "feet", ()),
    ("custom", "stand"): (500.0, "feet", ()),
}


# --- shared steps ---------------------------------------------------------------------------
def turn(start: Pose, facing: float, ms: float = TURN_MS) -> Motion | None:
    """Turn to `facing` with a small hop, so no foot drags: standing, the feet land where they
    were; sitting or lying, the figure spins about its pelvis. None with less than MIN_TURN_MS:
    a hop that quick is on the ground in every frame, so the feet would slide round instead."""
    if abs(start.facing - facing) < 1e-9 or ms < MIN_TURN_MS:
        return None
    anchor = "feet" if start.posture == "stand" else "pelvis"
    return Keyframes(
        start,
        [Key(ms, {}, facing=facing)],
        anchor=anchor,
        lift=lambda t: HOP * math.sin(math.pi * min(t / ms, 1.0)),
    )


def posture_path(src: str, dst: str) -> list[str]:
    """Postures passed through from `src` to `dst` (excluding `src`), by the posture graph."""
    src = src if src in REST or src == "custom" else "custom"
    if src == dst:
        return []
    prev: dict[str, str] = {src: ""}
    queue = [src]
    while queue:
        node = queue.pop(0)
        for a, b in _EDGES:
            if a == node and b not in prev:
                prev[b] = node
                queue.append(b)
    if dst not in prev:
        return [dst]
    path = [dst]
    while prev[path[-1]] != src:
        path.append(prev[path[-1]])
    return path[::-1]


def transition(
    start: Pose,
    goal: str,
    world: World,
    budget: float | None = None,
    step: bool = True,
    extent: float | None = None,
) -> list[Motion]:
    """Motions that take `start` into the rest pose of posture `goal` (through the posture graph);
    with no room to get down there (`extent`: what follows needs more than the EXTENT of `goal`),
    a few steps aside first (unless not `step`), else none: it stays up."""
    extent = EXTENT.get(goal, 0.0) if extent is None else extent
    edges = []
    prev = start.posture if start.posture in REST else "custom"
    for node in posture_path(start.posture, goal):
        edges.append((node, *_EDGES.get((prev, node), (500.0, "feet", ()))))
        prev = node
    if not edges and any(abs(rest_pose(goal, start.facing)[c] - v) > 0.5 for c, v in start.angles.items()):
        edges.append((goal, 350.0, "feet", ()))  # same posture, but not settled in it
    prof = float(profile_sign(start))
    stands = start.posture == "stand" and step and budget is not None and budget > 0
    aside = step_aside(start, world, extent, 0.5 * budget) if stands and budget else None
    if stands and aside is None and no_room(start, world, extent):  # it would land on someone: it stays up
        return []
    if aside is not None:  # no room here: first a few steps to where there is
        rest = transition(
            aside.sample(aside.duration), goal, world, budget and budget - aside.duration, False
        )
        return [aside, *rest]
    if any(e[0] in PROFILE_POSTURES for e in edges):  # (from sitting too: it turns on the spot)
        feet = replace(start, x=start.x + foot_anchor(fk(start.angles, start.facing, start.side)))
        prof = float(roomy(feet, world, int(prof), extent))  # EXTENT: from the feet
        if stands and side_room(feet, world, int(prof), extent)[1] < 0.0:  # across someone: stays up
            return []
    needs_profile = any(e[0] in PROFILE_POSTURES for e in edges) and start.facing != prof
    natural = sum(e[1] for e in edges) + (TURN_MS if needs_profile else 0.0)
    scale = 1.0 if not budget or natural <= budget else max(0.2, budget / natural)
    chain = Chain(start, world)
    turn_ms = max(MIN_TURN_MS, TURN_MS * scale)  # airborne in a 10 fps frame
    at = _turn_at(start, [e[0] for e in edges]) if needs_profile else None
    if at == 0:
        _turn(chain, prof, turn_ms)
    for i, (node, ms, anchor, between) in enumerate(edges, start=1):
        ms *= scale
        goal_pose = rest_pose(node, chain.end.facing)
        if node == "stand" and not between:  # a foot left up (a cut pose) comes down from above
            between = tuple(clear_feet(chain.end.angles, goal_pose, chain.end.facing, chain.end.side))
        keys = [Key(f * ms, a) for f, a in between] + [Key(ms, goal_pose, posture=node)]
        chain.add(Keyframes(chain.end, keys, anchor=_on_ground(chain.end, anchor)))
        if at == i:
            _turn(chain, prof, turn_ms)
    return chain.parts


def _on_ground(pose: Pose, anchor: str) -> str:
    """An edge's `anchor`, unless it is a foot off the ground (an action cut mid-kick or
    mid-step): then "feet", the foot down at each moment stays put (else the one down slides)."""
    down = planted(fk(pose.angles, pose.facing, pose.side), level=LEVEL)
    if anchor in ("foot_l", "foot_r") and down not in (anchor, "feet"):
        return "feet"
    return anchor


def _turn_at(start: Pose, nodes: list[str]) -> int | None:
    """After how many of the `nodes` the figure turns to its new profile: at once when standing
    (or when it never stands up on the way), else once it is up (a figure lying on its front
    that spun about the pelvis would sweep its arms through the head); None: no need to turn."""
    if start.posture == "stand" or "stand" not in nodes:
        return 0
    up = nodes.index("stand") + 1
    return up if any(n in PROFILE_POSTURES for n in nodes[up:]) else None


def _turn(chain: Chain, facing: float, ms: float) -> None:
    m = turn(chain.end, facing, ms)
    if m:
        chain.add(m)


def _rise_ahead() -> float:
    """How far ahead of the feet it knelt from a kneeling figure stands up again (stand to kneel
    steps onto the front foot's place, kneel to stand rises over it), in figure heights."""
    kneel = fk(rest_pose("kneel", 1.0), 1.0, 1)
    return (kneel["foot_r"][0] - kneel["foot_l"][0]) / H


# Where the body ends up in a posture, in figure heights ahead (+) or behind (-) of the feet;
# a kneeling figure also needs room to stand up ahead (a standing other's body is PASS_GAP wide).
EXTENT = {
    "sit": -0.45,
    "lie_back": -1.0,
    "kneel": max(0.3, _rise_ahead() + (PASS_GAP - BODY_GAP) / H),
    "all_fours": 0.5,
    "lie_front": 1.0,
}


DOWN_MS = 2500.0  # how long the others' paths are looked at for a figure getting down


def roomy(pose: Pose, world: World, prof: int, extent: float) -> int:
    """`prof`, unless getting down that way would put the body off the stage or across someone
    (standing, sitting or kneeling there while it gets down): then the other way, if that is
    better (else the side on the stage: pushed back on it, a body's feet would slide)."""

    def rank(sig: int) -> tuple[bool, bool, float]:
        on, room = side_room(pose, world, sig, extent)
        return on and room >= 0.0, on, min(room, 0.0)

    return max((prof, -prof), key=rank) if extent else prof  # a tie: `prof`


def side_room(feet: Pose, world: World, sig: int, extent: float) -> tuple[bool, float]:
    """(Does a body getting down from `feet` toward `sig`, to `extent` figure heights, stay on the
    stage? how much room it has from the upright others (negative: too little), once on it)."""
    lo, hi = sorted((feet.x, feet.x + sig * extent * H))
    shift = max(0.0, MARGIN / 2 - lo) - max(0.0, hi - (world.width - MARGIN / 2))
    near = crowded(lo + shift, hi + shift, world, 0.0, min(max(world.horizon, 1.0), DOWN_MS))
    return abs(shift) < 1e-9, near - BODY_GAP


def no_room(start: Pose, world: World, extent: float) -> bool:
    """Would getting down from `start` to `extent` (see EXTENT) land across someone either way?"""
    at = replace(start, x=start.x + foot_anchor(fk(start.angles, start.facing, start.side)))
    return bool(extent) and all(side_room(at, world, s, extent)[1] < 0.0 for s in (1, -1))


def fits(feet: Pose, world: World, extent: float) -> bool:
    """Is there a way to get down from `feet` (see EXTENT), on the stage and clear of the others?"""
    return any(on and room >= 0.0 for on, room in (side_room(feet, world, s, extent) for s in (1, -1)))


ASIDE = 1.2 * H  # the farthest a figure steps aside to find room to get down


def step_aside(start: Pose, world: World, extent: float, ms: float) -> Gait | None:
    """A short walk (within `ms`) to the nearest place with room to get down (`extent`) on one
    side or the other, when the figure (standing) has none where it is; None: it has room, or
    none is near enough."""
    feet = foot_anchor(fk(start.angles, start.facing, start.side))
    at = replace(start, x=start.x + feet)
    if extent == 0.0 or fits(at, world, extent):
        return None
    for d in sorted((i * 0.1 * ASIDE for i in range(-10, 11) if i), key=abs):
        there = replace(at, x=at.x + d)
        if not fits(there, world, extent):
            continue
        gait = clear_move(start, start.x + d, world, 0.0, lambda x: Gait(start, x, sign(x - start.x), WALK))
        if gait is not None and abs(gait.dist - abs(d)) < 1.0 and gait.duration <= ms:
            return gait
    return None


def stand_first(chain: Chain, budget: float) -> None:
    """Actions that need the figure on its feet get up first."""
    if chain.end.posture != "stand":
        chain.add(*transition(chain.end, "stand", chain.world, budget))


def face(chain: Chain, facing: float, ms: float = TURN_MS) -> None:
    m = turn(chain.end, facing, ms)
    if m:
        chain.add(m)


def face_within(chain: Chain, facing: float, avail: float) -> None:
    """`face`, quicker when an action has less than ~0.9 s left; not at all without time for it."""
    hop = min(TURN_MS, max(MIN_TURN_MS, 0.3 * avail))
    if hop <= avail:
        face(chain, facing, hop)
