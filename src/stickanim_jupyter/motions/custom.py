"""Custom poses: the `pose` action, the Script's own key poses (channel angles at fractions of
the action's time), made to read: joints move no faster than a viewer can follow, and a foot that
steps lifts straight up before it swings and comes straight down where it lands."""

from __future__ import annotations

from collections.abc import Mapping

from ..rig import Pose, clamp
from ..schema import ActionParams
from .core import Chain, Key, Keyframes, Motion, World
from .footing import clear_feet, span


def pose(p: ActionParams, dur: float, start: Pose, w: World) -> Motion:
    """The Script's own key poses (the `pose` action), eased from one to the next."""
    frames = sorted(p.keyframes or [], key=lambda k: k.t)
    keys: list[Key] = []
    prev = clamp(start.angles, start.facing, start.side)
    for k in frames:
        # eased between poses within the range of motion: a channel asked far past its limit
        # would sit there, then sweep through it in a flash (a foot dragged along the ground)
        goal = clamp({**prev, **k.angles}, start.facing, start.side)
        t0 = keys[-1].t if keys else 0.0
        # no limb moves faster than a viewer can follow: a key asked too soon comes later
        # (past the action's end, the next action or idle takes over from where it got)
        steps = clear_feet(prev, goal, start.facing, start.side)
        t = max(k.t * dur, t0 + _largest_change(prev, goal, start) / POSE_SPEED / span(steps))
        keys += [Key(t0 + u * (t - t0), angles) for u, angles in steps]
        keys.append(Key(t, goal, posture="custom"))
        prev = goal
    return Chain(start, w).add(Keyframes(start, keys)).build(dur)


POSE_SPEED = 0.6  # degrees per ms: the fastest a custom pose moves a joint (a quick kick)


def _largest_change(a: Mapping[str, float], b: Mapping[str, float], start: Pose) -> float:
    ca, cb = clamp(a, start.facing, start.side), clamp(b, start.facing, start.side)
    return max(abs(cb[c] - ca[c]) for c in ca)
