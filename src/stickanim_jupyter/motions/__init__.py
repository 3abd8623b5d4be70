"""The motion library: every action of the vocabulary as a function of its parameters.

A motion is built from the character's pose when the action starts, so it always continues
from whatever came before, and answers ``sample(t)`` (ms since its start) with a full
:class:`~stickanim_jupyter.rig.Pose`: joint angles, root x, facing, lift and posture. Root y
is not a motion's business: the compiler puts the lowest point on the ground, raised by
``lift`` when airborne.

Modules, each importing only those above it:
- rest: the rest pose of each posture; shorthands to write joint-angle dicts.
- footing: a stepping foot lifts straight up and lands straight down (custom poses, settling).
- core: Keyframes, Idle, Sequence, Chain, World, the Motion protocol; tuning constants.
- gait: walking and running on planted feet (Gait, fit_gait).
- clearance: how far any move may go without passing through the others, standing or moving.
- postures: the posture graph, transitions, turning, getting up first.
- interactions: the two-character actions (PAIR_BUILDERS).
- custom: the `pose` action (the Script's own key poses), made to read.
- single: the one-character actions of the first vocabulary.
- reach: arm IK and shared arm poses.
- expressive: say, think, cry, laugh, look, sleep, push_up, jog, on the spot.
- things: actions with a thing (pick_up, throw, carry, sit on a chair...), and their cues.
- library: every builder by name (BUILDERS) and the dispatch (build).
- gestures: the arm and head gestures of one character (wave, clap, point, nod, shake_head).
- strikes: a punch or kick aimed at someone: within reach, the blow lands, the target reacts.
- edges: room at the stage edges: an action that would reach over one steps inward first.

Public entry points: :func:`build` for one character's action and :func:`interaction` for the
two characters of shake_hands, hug, high_five, push and pull; :func:`strike` for a punch or
kick aimed at another character. Both dicts of builders are keyed
by the action names of the registry (actions.py).
"""

from __future__ import annotations

from .core import (
    BLEND_MS,
    BREATH_MS,
    HOP,
    MARGIN,
    MIN_TURN_MS,
    REST_MS,
    TURN_MS,
    Chain,
    H,
    Idle,
    Key,
    Keyframes,
    Motion,
    Sequence,
    Thing,
    World,
    direction_sign,
    profile_sign,
    toward_sign,
)
from .gait import GAITS, MAX_SPEED, RUN, WALK, Gait, GaitStyle, fit_gait
from .interactions import PAIR_BUILDERS, SEPARATION, PairBuilder, interaction
from .library import BUILDERS, build, builder_for
from .postures import EXTENT, face, face_within, posture_path, stand_first, transition, turn
from .rest import PROFILE_POSTURES, REST, full, lr
from .single import Builder, Jump, locomote
from .strikes import STRIKES, strike

_full = full  # the old private name, still used by tests

__all__ = [
    "BLEND_MS", "BREATH_MS", "BUILDERS", "EXTENT", "GAITS", "H", "HOP", "MARGIN", "MAX_SPEED",
    "MIN_TURN_MS", "PAIR_BUILDERS", "PROFILE_POSTURES", "REST", "REST_MS", "RUN", "SEPARATION",
    "TURN_MS", "WALK", "Builder", "Chain", "Gait", "GaitStyle", "Idle", "Jump", "Key", "Keyframes",
    "Motion", "PairBuilder", "Sequence", "Thing", "World", "build", "builder_for", "direction_sign", "face", "face_within",
    "fit_gait", "full", "interaction", "locomote", "lr", "posture_path", "profile_sign",
    "STRIKES", "stand_first", "strike", "toward_sign", "transition", "turn",
]  # fmt: skip
