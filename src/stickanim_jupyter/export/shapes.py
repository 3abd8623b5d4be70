"""The drawing model every picture export shares, and the clock that samples it.

A frame becomes a list of shapes (lines and circles in stage units, y down) plus text labels;
the raster and SVG writers only turn these into pixels or elements. Timeline puts all scenes on
one clock and interpolates poses between frames.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..text import NAME_CHARS, display_text

if TYPE_CHECKING:
    from ..schema import Animation, AnimCharacter

Pose = dict[str, tuple[float, float]]
Poses = dict[str, Pose]  # character id -> joint -> (x, y)
Places = dict[str, tuple[float, float, float]]  # thing id -> bottom centre x, y and angle in degrees

BACKGROUND = "#FFFFFF"
INK = "#333333"  # title, captions
GROUND = "#9E9E9E"
LINE_WIDTH = 5.0  # stage units
GROUND_WIDTH = 2.0
TITLE_SIZE, CAPTION_SIZE, NAME_SIZE = 26.0, 20.0, 18.0


# --- shapes and labels --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Line:
    key: str
    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    width: float


@dataclass(frozen=True, slots=True)
class Circle:
    """A stroked circle (a head), or a disc filled with `color` when `fill`."""

    key: str
    cx: float
    cy: float
    r: float
    color: str
    width: float
    fill: bool = False


@dataclass(frozen=True, slots=True)
class Polygon:
    """A closed outline stroked in `color`, or filled with it when `fill` (things, bubbles)."""

    key: str
    points: tuple[tuple[float, float], ...]
    color: str
    width: float
    fill: bool = False


Shape = Line | Circle | Polygon


@dataclass(frozen=True, slots=True)
class Label:
    key: str
    x: float
    y: float
    text: str
    size: float
    color: str
    anchor: Literal["middle", "start"]  # horizontal; vertically always centred on y


def figure_shapes(anim: Animation, char: AnimCharacter, pose: Pose) -> list[Shape]:
    """One character's bones (lines) and head (circle) in stage units; bones with a missing joint are left out."""
    shapes: list[Shape] = []
    head = pose.get("head")
    r = char.head_radius
    for a, b in anim.bones:
        if a not in pose or b not in pose:
            continue
        (x1, y1), (x2, y2) = pose[a], pose[b]
        if head is not None and "head" in (a, b):
            # Start the neck at the rim of the hollow head rather than its centre.
            if b == "head":
                (x1, y1), (x2, y2) = (x2, y2), (x1, y1)
            x1, y1 = _toward(x1, y1, x2, y2, r)
        shapes.append(Line(f"{char.id}:{a}-{b}", x1, y1, x2, y2, char.color, LINE_WIDTH))
    if head is not None:
        shapes.append(Circle(f"{char.id}:head", head[0], head[1], r, char.color, LINE_WIDTH))
    return shapes


def _toward(x1: float, y1: float, x2: float, y2: float, d: float) -> tuple[float, float]:
    """The point at distance d from (x1, y1) toward (x2, y2), never past it."""
    length = math.hypot(x2 - x1, y2 - y1)
    if length <= d:
        return x2, y2
    return x1 + (x2 - x1) * d / length, y1 + (y2 - y1) * d / length


def frame_shapes(anim: Animation, poses: Poses) -> list[Shape]:
    """All characters of a frame, in the order they are drawn (later ones on top)."""
    out: list[Shape] = []
    for char in anim.characters:
        if char.id in poses:
            out.extend(figure_shapes(anim, char, poses[char.id]))
    return out


def backdrop_shapes(anim: Animation, names: bool = True) -> list[Shape]:
    """What never moves: the ground line and the legend's colour swatches."""
    st = anim.stage
    shapes: list[Shape] = [Line("ground", 0, st.ground_y, st.width, st.ground_y, GROUND, GROUND_WIDTH)]
    if names:
        for i, char in enumerate(anim.characters):
            y = _legend_y(i)
            shapes.append(Line(f"legend:{char.id}", 20, y, 44, y, char.color, LINE_WIDTH))
    return shapes


def _legend_y(i: int) -> float:
    return 70 + i * 26


def static_labels(anim: Animation, title: bool = True, names: bool = True) -> list[Label]:
    """The title (top centre) and the legend's names (top left), as display_text shows them.

    Names are cut to NAME_CHARS characters so that a long one stays in the legend's column.
    """
    out: list[Label] = []
    heading = display_text(anim.title).strip()
    if title and heading:
        out.append(Label("title", anim.stage.width / 2, 30, heading, TITLE_SIZE, INK, "middle"))
    if names:
        for i, char in enumerate(anim.characters):
            name = display_text(char.name, NAME_CHARS)
            out.append(Label(f"name:{char.id}", 52, _legend_y(i), name, NAME_SIZE, char.color, "start"))
    return out


def caption_label(anim: Animation, scene: int) -> Label | None:
    """The scene's description, centred between the ground line and the bottom edge."""
    text = display_text(anim.scenes[scene].description).strip()
    if not text:
        return None
    st = anim.stage
    y = min((st.ground_y + st.height) / 2, st.height - CAPTION_SIZE / 2 - 2)
    return Label(f"caption:{scene}", st.width / 2, y, text, CAPTION_SIZE, INK, "middle")


def extent(shapes: Iterable[Shape]) -> tuple[float, float, float, float]:
    """Bounding box of the shapes' strokes, in their own units."""
    xs: list[float] = []
    ys: list[float] = []
    for s in shapes:
        if isinstance(s, Line):
            m = s.width / 2
            xs += [min(s.x1, s.x2) - m, max(s.x1, s.x2) + m]
            ys += [min(s.y1, s.y2) - m, max(s.y1, s.y2) + m]
        elif isinstance(s, Polygon):
            m = 0.0 if s.fill else s.width / 2
            xs += [min(p[0] for p in s.points) - m, max(p[0] for p in s.points) + m]
            ys += [min(p[1] for p in s.points) - m, max(p[1] for p in s.points) + m]
        else:
            m = s.r + (0.0 if s.fill else s.width / 2)
            xs += [s.cx - m, s.cx + m]
            ys += [s.cy - m, s.cy + m]
    return min(xs), min(ys), max(xs), max(ys)


# --- time ---------------------------------------------------------------------------------
class Timeline:
    """All scenes end to end on one clock (ms); poses between frames are interpolated linearly."""

    def __init__(self, anim: Animation) -> None:
        self.anim = anim
        self.offsets: list[float] = []
        total = 0.0
        for scene in anim.scenes:
            self.offsets.append(total)
            total += scene.duration
        self.duration = total
        self._times = [[f.t for f in s.frames] for s in anim.scenes]

    def scene_at(self, t: float) -> int:
        # At a boundary the next scene wins: its first frame starts there.
        return max(0, min(bisect.bisect_right(self.offsets, t) - 1, len(self.offsets) - 1))

    def poses_at(self, t: float) -> tuple[int, Poses]:
        moment = self.at(t)
        return moment.scene, moment.poses

    def at(self, t: float) -> Moment:
        """The scene, its local time, the poses and the things' places at t (ms on the whole clock)."""
        i = self.scene_at(t)
        frames, times = self.anim.scenes[i].frames, self._times[i]
        local = t - self.offsets[i]
        if not frames:
            return Moment(i, local, {}, {})
        j = bisect.bisect_right(times, local) - 1
        if j < 0:
            return Moment(i, local, frames[0].poses, frames[0].props)
        if j >= len(frames) - 1:
            return Moment(i, local, frames[-1].poses, frames[-1].props)
        a, b = frames[j], frames[j + 1]
        span = times[j + 1] - times[j]
        f = (local - times[j]) / span if span > 0 else 0.0
        return Moment(i, local, _lerp_poses(a.poses, b.poses, f), _lerp_places(a.props, b.props, f))


@dataclass(frozen=True, slots=True)
class Moment:
    scene: int
    local: float  # ms from the scene's start
    poses: Poses
    places: Places


def _lerp_poses(a: Poses, b: Poses, f: float) -> Poses:
    out: Poses = {}
    for cid, pa in a.items():
        pb = b.get(cid, pa)
        out[cid] = {
            j: (p[0] + (pb[j][0] - p[0]) * f, p[1] + (pb[j][1] - p[1]) * f) if j in pb else p
            for j, p in pa.items()
        }
    return out


def _lerp_places(a: Places, b: Places, f: float) -> Places:
    """Places between two frames; the angle turns the short way round (as js/src/scene.js)."""
    out: Places = {}
    for pid, (x, y, ang) in a.items():
        bx, by, bang = b.get(pid, (x, y, ang))
        turn = (bang - ang + 180) % 360 - 180
        out[pid] = (x + (bx - x) * f, y + (by - y) * f, ang + turn * f)
    return out


def sample_times(duration_ms: float, fps: float, closed: bool = False) -> list[float]:
    """A uniform grid over [0, duration) at about `fps`; `closed` adds the end point too."""
    n = max(1, round(duration_ms * fps / 1000))
    return [duration_ms * i / n for i in range(n + (1 if closed else 0))]


def poster_time(anim: Animation) -> float:
    """The middle of the first scene, or failing that the first moment every figure is on stage."""
    timeline = Timeline(anim)
    first = anim.scenes[0].duration / 2 if anim.scenes else 0.0
    for t in [first, *sample_times(timeline.duration, 4)]:
        _, poses = timeline.poses_at(t)
        if len(poses) == len(anim.characters) and _all_on_stage(anim, poses):
            return t
    return first


def _all_on_stage(anim: Animation, poses: Poses) -> bool:
    shapes = frame_shapes(anim, poses)
    if not shapes:
        return False
    x0, y0, x1, y1 = extent(shapes)
    return x0 >= 0 and y0 >= 0 and x1 <= anim.stage.width and y1 <= anim.stage.height
