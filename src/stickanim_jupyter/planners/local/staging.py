"""Staging: where everyone starts and faces, how far walks go, how long each act lasts, when."""

from __future__ import annotations

from ...motions import GAITS, MAX_SPEED, REST, STRIKES, TURN_MS, WALK, Gait
from ...motions.interactions import GESTURE_MS, SEPARATION
from ...motions.strikes import GAP
from ...rig import Pose
from ...schema import (
    INTERACTIONS,
    MAX_ACTION_MS,
    MAX_ACTIONS_PER_SCENE,
    MAX_SCENE_MS,
    MAX_SCENES,
    MAX_TOTAL_MS,
    Stage,
)
from .lexicon import _DIRECTIONAL, _MOVES, _TIMING, _Timing
from .model import _Act, _Step, _Thing
from .placing import place_for, reach
from .things import UNDER

_STAGE_WIDTH = float(Stage().width)  # stage units per stage width, to time walks in the gait's units
_WALK_DIST, _RUN_DIST = 0.3, 0.4  # default travel, stage widths
_EDGE = 0.06  # keep pelvises this far inside the stage
_IN_PLACE_MS = 2400.0  # a walk or run on the spot
_AIM_AT = frozenset({"point", "look"})  # turned toward the thing they name
# A thrown or kicked thing flies on after the action ends: time for it to land before what
# follows (and before the scene ends). About the flight of a 45-degree throw across a third
# of the stage (the motion library's range) from hand height.
_FLIGHT_MS = 1200.0
_LAUNCHES = frozenset({"throw", "kick"})


def _landing_ms(action: str, uses_thing: bool) -> float:
    """How long after `action` ends a thing it sent flying is still in the air (at most)."""
    return _FLIGHT_MS if uses_thing and action in _LAUNCHES else 0.0


def _start_positions(n: int, steps: list[_Step]) -> list[float]:
    """The `n` characters' start x (stage widths): spread out, or at the side a walk starts from."""
    toward = any(a.direction == "toward" for s in steps for a in s.acts)
    width = min(0.8, (0.6 if toward else 0.3) * (n - 1))
    xs = [0.5 if n == 1 else 0.5 - width / 2 + width * k / (n - 1) for k in range(n)]
    sides: dict[int, str] = {}
    for s in steps:
        for a in s.acts:
            if s.from_side and a.action in _MOVES:
                sides.setdefault(a.char, s.from_side)
    for side in ("left", "right"):
        who = [i for i, v in sides.items() if v == side]
        for k, i in enumerate(who):
            xs[i] = 0.12 + 0.1 * k if side == "left" else 0.88 - 0.1 * k
    return [round(min(0.95, max(0.05, x)), 3) for x in xs]


def _walk_distances(steps: list[_Step], xs: list[float], things: list[_Thing] | None = None) -> None:
    """Give each walk/run a direction and a distance that keeps the walker on the stage; put
    each thing where the action that first uses it needs it."""
    things = things or []
    pos = list(xs)
    for s in steps:
        movers = {a.char for a in s.acts if a.action in _MOVES and not a.in_place}
        before = list(pos)  # everyone in a step sets off from where the step began
        for a in s.acts:
            for k in (a.obj, a.over):
                if k is not None:
                    place_for(things[k], a, before[a.char])
            if a.action in _MOVES:
                pos[a.char] = _place_move(a, s, before, movers, things)
            elif a.over is not None:
                pos[a.char] = _jump_over(a, before[a.char], things[a.over])
            elif a.obj is not None and a.action in _AIM_AT & _DIRECTIONAL and a.direction is None:
                a.direction = "right" if (things[a.obj].x or 0.5) >= before[a.char] else "left"
        if s.together and movers:
            _keep_together(s, before, pos)
        if s.action in INTERACTIONS or s.action in STRIKES:  # the pair ends up side by side
            for a in s.acts:
                if a.target is not None:
                    _place_approach(a, pos)


def _place_approach(a: _Act, pos: list[float]) -> None:
    """An interaction (both come together) or a blow at someone (the striker comes within
    reach): how far each has to walk (a.distance, stage widths, timed by _duration), and where
    they end up: side by side."""
    assert a.target is not None  # the callers only pass acts with a target
    sign = 1 if pos[a.char] >= pos[a.target] else -1
    gap = abs(pos[a.char] - pos[a.target])
    if a.action in STRIKES:
        reach = GAP[a.action] / _STAGE_WIDTH
        a.distance = max(0.0, gap - reach)
        pos[a.char] = pos[a.target] + sign * min(gap, reach)
        return
    sep = SEPARATION[a.action] / _STAGE_WIDTH
    a.distance = max(0.0, gap - sep) / 2
    mid = (pos[a.char] + pos[a.target]) / 2
    pos[a.char], pos[a.target] = mid + sign * sep / 2, mid - sign * sep / 2


def _room(here: float, sign: int) -> float:
    return (1 - _EDGE - here) if sign > 0 else (here - _EDGE)


def _jump_over(a: _Act, here: float, thing: _Thing) -> float:
    """A jump over a thing: toward it, landing just past it."""
    x = thing.x if thing.x is not None else here
    sign = 1 if x >= here else -1
    a.direction = "right" if sign > 0 else "left"
    land = x + sign * reach(thing)
    a.distance = round(max(0.02, min(abs(land - here), _room(here, sign))), 3)
    return here + sign * a.distance


def _keep_together(s: _Step, before: list[float], pos: list[float]) -> None:
    """A group walking together: one way, one distance, so it keeps its formation."""
    acts = [a for a in s.acts if a.action in _MOVES and not a.in_place and a.obj is None]
    if not acts:
        return
    given = next((a.direction for a in acts if a.direction in ("left", "right")), None)
    mean = sum(before[a.char] for a in acts) / len(acts)
    sign = (1 if given == "right" else -1) if given else (1 if mean <= 0.5 else -1)
    default = _RUN_DIST if s.action == "run" else _WALK_DIST
    dist = min([default, *(_room(before[a.char], sign) for a in acts)])
    for a in acts:
        a.direction, a.distance = ("right" if sign > 0 else "left"), round(max(0.02, dist), 3)
        pos[a.char] = before[a.char] + sign * a.distance


def _place_move(a: _Act, s: _Step, pos: list[float], movers: set[int], things: list[_Thing]) -> float:
    """Set the move's direction and distance; returns where the mover ends up."""
    default = _RUN_DIST if a.action == "run" else _WALK_DIST
    here = pos[a.char]
    if a.in_place:
        a.distance = None
        return here
    if a.obj is not None and things[a.obj].x is not None:  # up to the thing, stopping within reach
        spot = float(things[a.obj].x)  # type: ignore[arg-type]
        sign = 1 if spot >= here else -1
        a.direction = "right" if sign > 0 else "left"
        gap = abs(spot - here) - reach(things[a.obj])
        a.distance = round(max(0.02, min(gap, _room(here, sign), 0.9)), 3)
        return here + sign * a.distance
    others = [p for i, p in enumerate(pos) if i != a.char]
    goal = pos[a.target] if a.target is not None else (sum(others) / len(others) if others else None)
    if a.direction is None:
        a.direction = "right" if here <= 0.5 else "left"
    if a.direction == "toward" and goal is not None:
        gap = abs(goal - here) - 0.12
        share = 2 if a.target in movers or (a.target is None and len(movers) > 1) else 1
        dist, sign = max(0.0, gap / share), (1 if goal >= here else -1)
    elif a.direction in ("left", "right", "away") or (a.direction == "toward" and goal is None):
        sign = -1 if a.direction == "left" else 1
        if a.direction == "away" and goal is not None:
            sign = 1 if here >= goal else -1
        dist = 1 - 2 * _EDGE if s.from_side else default
    else:  # forward/back: the compiler knows the facing; keep it modest
        a.distance = round(min(default, 0.2), 3)
        return here
    room = (1 - _EDGE - here) if sign > 0 else (here - _EDGE)
    a.distance = round(max(0.02, min(dist, room, 0.9)), 3)
    return here + sign * a.distance


def _facings(n: int, steps: list[_Step], xs: list[float], things: list[_Thing] | None = None) -> list[str]:
    """Each figure first faces its first partner or thing, or the way it first moves; else the viewer."""
    face: dict[int, str] = {}
    things = things or []

    def look(i: int, at: float, away: bool = False) -> None:
        if at != xs[i]:
            face.setdefault(i, "right" if (at > xs[i]) != away else "left")

    for s in steps:
        for a in s.acts:
            others = [x for k, x in enumerate(xs) if k != a.char]
            thing = a.obj if a.obj is not None else a.over
            if a.target is not None:
                look(a.char, xs[a.target])
                look(a.target, xs[a.char])
            elif thing is not None and things[thing].x is not None and a.action not in UNDER:
                look(a.char, float(things[thing].x))  # type: ignore[arg-type]
            elif a.action in _MOVES and a.direction in ("left", "right"):
                face.setdefault(a.char, a.direction)
            elif a.action in _MOVES and a.direction in ("toward", "away") and others:
                look(a.char, sum(others) / len(others), away=a.direction == "away")
    return [face.get(i, "front") for i in range(n)]


def _move_ms(action: str, distance: float, speed: float) -> float:
    """What the engine's gait needs for a walk/run of `distance` stage widths at `speed`: a turn
    to face the way, then the distance at the gait's pace (which already includes `speed`) plus
    the steps to start and stop and the ramps; the same margin as the gait's own schedule, so
    the planned time never has to squeeze it."""
    style = GAITS[action]
    v = min(style.speed * speed, MAX_SPEED)  # stage units per ms
    step = min(style.step * speed**0.5, style.max_step)
    return TURN_MS + Gait.RAMP + (distance * _STAGE_WIDTH + 3 * step) / v


def _approach_ms(distance: float) -> float:
    """How long the engine's natural walk takes for `distance` stage widths (0: no walk)."""
    if distance * _STAGE_WIDTH < 1.0:
        return 0.0
    return Gait(Pose(dict(REST["stand"]), 0.0, 1.0), distance * _STAGE_WIDTH, 1, WALK).duration


def _duration(a: _Act) -> float:
    if a.in_place:
        return float(min(MAX_ACTION_MS, round(_IN_PLACE_MS / (a.speed or 1.0))))
    if a.action in _MOVES:
        return float(min(MAX_ACTION_MS, round(_move_ms(a.action, a.distance or 0.0, a.speed or 1.0))))
    t = _TIMING.get(a.action, _Timing(1500))
    ms = float(t.base + t.per * (a.times or t.times) if t.per else t.base * (a.times or 1))
    ms /= a.speed or 1.0
    if a.distance and a.action in STRIKES:  # the walk up to the target comes first
        ms += _approach_ms(a.distance)
    elif a.distance and a.action in INTERACTIONS:  # both walk up, then the gesture
        ms = max(ms, _approach_ms(a.distance) + GESTURE_MS[a.action] + 100.0)
    return float(min(MAX_ACTION_MS, round(ms)))


def _schedule(steps: list[_Step]) -> list[list[_Step]]:
    """Steps on a timeline, split into scenes where one would pass a cap; drops what overflows."""
    scenes: list[list[_Step]] = [[]]
    cursor = prev_start = total = 0.0
    hold = 400.0
    prev: _Step | None = None
    for s in steps:
        _stagger(s)
        length = max(
            (a.delay + _duration(a) + _landing_ms(a.action, a.obj is not None) for a in s.acts), default=0.0
        )
        start = prev_start if s.parallel and scenes[-1] else cursor
        if prev is not None and scenes[-1] and _catches(s, prev):  # ready while it flies, not after it lands
            start = prev.start + _CATCH_LEAD * max(_duration(a) for a in prev.acts)
        n_acts = sum(len(x.acts) for x in scenes[-1])
        if scenes[-1] and (
            start + length + hold > MAX_SCENE_MS or n_acts + len(s.acts) > MAX_ACTIONS_PER_SCENE
        ):
            if len(scenes) == MAX_SCENES:
                break
            total += cursor + hold
            scenes.append([])
            start = cursor = 0.0
        if total + start + length + hold > MAX_TOTAL_MS:
            break
        s.start, s.end = start, start + length
        scenes[-1].append(s)
        prev_start, cursor, prev = start, max(cursor, s.end), s
    return [sc for sc in scenes if sc]


_CATCH_LEAD = 0.55  # of the throw: when the catcher gets ready (the ball is released about then)


def _catches(s: _Step, prev: _Step) -> bool:
    """`s` catches what someone else threw in the step before ("throws it to Bob, he catches it")."""
    thrown = {a.obj for a in prev.acts if a.action == "throw" and a.obj is not None}
    throwers = {a.char for a in prev.acts if a.action == "throw"}
    return any(a.action == "catch" and a.obj in thrown and a.char not in throwers for a in s.acts)


def _stagger(s: _Step) -> None:
    """In turn: each one starts when the one before has finished."""
    if not s.in_turn:
        return
    delay = 0.0
    for a in s.acts:
        a.delay = delay
        delay += _duration(a)
