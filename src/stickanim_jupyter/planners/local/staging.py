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
from .lexicon import _MOVES, _TIMING, _Timing
from .model import _Act, _Step

_STAGE_WIDTH = float(Stage().width)  # stage units per stage width, to time walks in the gait's units
_WALK_DIST, _RUN_DIST = 0.3, 0.4  # default travel, stage widths
_EDGE = 0.06  # keep pelvises this far inside the stage


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


def _walk_distances(steps: list[_Step], xs: list[float]) -> None:
    """Give each walk/run a direction and a distance that keeps the walker on the stage."""
    pos = list(xs)
    for s in steps:
        movers = {a.char for a in s.acts if a.action in _MOVES}
        before = list(pos)  # everyone in a step sets off from where the step began
        for a in s.acts:
            if a.action in _MOVES:
                pos[a.char] = _place_move(a, s, before, movers)
        if s.action in INTERACTIONS or s.action in STRIKES:
            for a in s.acts:
                if a.target is not None:
                    _place_approach(a, pos)


def _place_approach(a: _Act, pos: list[float]) -> None:
    """An interaction (both come together) or a blow at someone (the striker comes within
    reach): how far each has to walk (a.distance, stage widths, timed by _duration), and where
    they end up: side by side."""
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


def _place_move(a: _Act, s: _Step, pos: list[float], movers: set[int]) -> float:
    """Set the move's direction and distance; returns where the mover ends up."""
    default = _RUN_DIST if a.action == "run" else _WALK_DIST
    here = pos[a.char]
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


def _facings(n: int, steps: list[_Step], xs: list[float]) -> list[str]:
    """Each figure first faces its first partner, or the way it first moves; else the viewer."""
    face: dict[int, str] = {}

    def look(i: int, at: float, away: bool = False) -> None:
        if at != xs[i]:
            face.setdefault(i, "right" if (at > xs[i]) != away else "left")

    for s in steps:
        for a in s.acts:
            others = [x for k, x in enumerate(xs) if k != a.char]
            if a.target is not None:
                look(a.char, xs[a.target])
                look(a.target, xs[a.char])
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
    if a.action in _MOVES:
        return float(min(MAX_ACTION_MS, round(_move_ms(a.action, a.distance or 0.0, a.speed or 1.0))))
    t = _TIMING.get(a.action, _Timing(1500))
    ms = t.base + t.per * (a.times or t.times) if t.per else t.base * (a.times or 1)
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
    for s in steps:
        length = max(_duration(a) for a in s.acts) if s.acts else 0.0
        start = prev_start if s.parallel and scenes[-1] else cursor
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
        prev_start, cursor = start, max(cursor, s.end)
    return [sc for sc in scenes if sc]
