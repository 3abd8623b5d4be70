"""Every builder by action name, and the dispatch the compiler calls.

single, expressive and things each keep their own dict; here they meet. An action that names a
thing (params.object or params.over) goes to the things module's builder for it when there is
one (sit on a chair, kick a ball, push a box...); walk, run and jog on the spot go to
expressive.on_the_spot.
"""

from __future__ import annotations

from ..rig import Pose
from ..schema import Action, ActionParams
from . import expressive, on_things, single, things
from .core import Idle, Motion, World
from .single import Builder

BUILDERS: dict[str, Builder] = {**single.BUILDERS, **expressive.BUILDERS, **things.BUILDERS}
_ON_THE_SPOT = frozenset({"walk", "run", "jog"})


def builder_for(action: str, params: ActionParams) -> Builder:
    """The builder of `action` with these params (a thing or in_place may choose another one)."""
    if (params.object or params.over) and action in on_things.WITH_THING:
        return on_things.WITH_THING[action]
    if params.in_place and action in _ON_THE_SPOT:
        return _spot(action)
    return BUILDERS[action]


def _spot(kind: str) -> Builder:
    def build(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
        return expressive.on_the_spot(kind, p, dur, start, w)

    return build


MIN_MS = 250.0  # the newer actions, given less time than this, only keep still (nothing reads)


def build(action: Action, start: Pose, world: World) -> Motion:
    """The motion of one character's action (not a two-character interaction), from its pose at
    the start."""
    builder = builder_for(action.action, action.params)
    if action.duration < MIN_MS and builder is not single.BUILDERS.get(action.action):
        return Idle(start, world, action.duration)
    return builder(action.params, action.duration, start, world)
