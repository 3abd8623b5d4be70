"""What an action does to things, as the motion says it: cues for the compiler's prop tracks."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rig import Pose
from .core import H, Motion

HOLD, PUT, LAUNCH, PUSH, SLIDE, RISE = "hold", "put", "launch", "push", "slide", "rise"


@dataclass(frozen=True, slots=True)
class Cue:
    """Something an action does to a thing (or to the figure's height), at `t` ms from its start.

    hold: from t the thing follows `hand` ("_l", "_r" or "both": between the hands).
    put: from t it stands on the ground below where it is.
    launch: from t it flies from where it is: value = (vx, vy) in units/ms, or (x, y, ms) to arrive
      there after ms (then it falls on); gravity brings it down to the ground.
    push: from t until value[0] it moves along with `hand`, on the ground.
    slide: from t it slides by value[0] over value[1] ms (a door opening).
    rise: the figure's feet rise to value[0] above the ground by t + value[1] ms (a bed, a ladder);
      it stays up until its next action that moves it.
    """

    t: float
    kind: str
    thing: str | None = None
    hand: str = "_r"
    value: tuple[float, ...] = ()


@dataclass
class Staged:
    """A motion plus what it does to things."""

    motion: Motion
    cues: list[Cue] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return self.motion.duration

    def sample(self, t: float) -> Pose:
        return self.motion.sample(t)


GRAVITY = 0.00098  # stage units per ms^2: a 170-unit figure is ~1.7 m tall
SEAT = 0.5  # a chair's seat, as a fraction of its height (the views draw it there)
REACH_GAP = 0.12 * H  # between the pelvis and a thing's near edge when reaching for it
TWO_HANDED = frozenset({"box", "chair", "table", "board", "ladder"})  # carried with both arms
CATCH_AT = 0.45  # fraction of a catch when the thing reaches the hands (throws aim for it)
CATCH_MAX_MS = 650.0


def catch_time(dur: float) -> float:
    return min(CATCH_AT * dur, CATCH_MAX_MS)
