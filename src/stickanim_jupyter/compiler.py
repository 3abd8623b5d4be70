"""Script -> Animation: deterministic, pure, sampled at `fps`.

Per scene, each character gets a timeline of motions (the motions package) built in the order the
actions start, each from the character's pose at that instant, so state (position, facing,
posture) carries over between actions and scenes. Gaps are idle (breathing). A later action
of the same character cuts the earlier one short; every action but a custom pose is planned
for the time it really gets (until that cut or the scene end), so walks stop on both feet
instead of being cut mid-stride and posture changes end settled instead of mid-step. Interactions drive both characters.

Every frame, each pose goes through the rig: range-of-motion clamp, forward kinematics, the
lowest point put on the ground (raised by the pose's lift when airborne), and the figure
shifted to stay on the stage. That shift would drag a planted foot, so an action whose motion
would need it makes room first (motions.edges: a step inward). Coordinates are not rounded.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace

from . import actions, motions, props, rig
from .errors import ValidationError
from .motions import Idle, Motion, World, edges
from .motions.core import REST_MS
from .prop_tracks import Tracks, start_state
from .rig import Pose
from .schema import (
    INTERACTIONS,
    MAX_FPS,
    MAX_FRAMES,
    MAX_POSES,
    MIN_FPS,
    Action,
    Animation,
    AnimCharacter,
    AnimScene,
    Frame,
    Meta,
    Scene,
    Script,
    Stage,
)

MIN_GAP = 0.12  # of the stage width: closest start positions of two characters
LOCOMOTION = actions.locomotion()  # walk, run: planned to stop on both feet before a cut


def frame_times(duration: float, fps: int) -> list[float]:
    """Sample times (ms) of a scene: every 1/fps from 0, and `duration` itself last."""
    step = 1000.0 / fps
    n = math.floor(duration / step + 1e-9)
    times = [i * step for i in range(n + 1) if i * step < duration - 1e-6]
    return [*times, float(duration)]


def place(pose: Pose, stage: Stage) -> tuple[Pose, dict[str, rig.Point]]:
    """Where the figure is drawn: clamped angles, lowest point on the ground (plus lift), on stage."""
    angles, rel = edges.figure(pose)
    x0, x1, y0, y1 = edges.bounds(rel)
    lift = min(max(pose.lift, 0.0), stage.ground_y - y1 + y0)  # never above the stage top
    y = stage.ground_y - y1 - lift
    x = edges.on_stage_x(pose.x, x0, x1, stage.width)
    joints = {j: (x + px, y + py) for j, (px, py) in rel.items()}
    return Pose(angles, x, pose.facing, pose.side, lift, pose.posture, rel), joints


@dataclass(slots=True)
class _Segment:
    t0: float
    motion: Motion


class Timeline:
    """One character's motions in a scene; after the last one it idles."""

    def __init__(self, start: Pose, world: World, stage: Stage) -> None:
        self.world, self.stage = world, stage
        self.segments = [_Segment(0.0, Idle(start, world))]
        self.starts = [0.0]
        self.seen: dict[float, Pose] = {}  # settled poses asked for (the others' plans): until add()

    def add(self, t0: float, duration: float, motion: Motion) -> None:
        self.seen.clear()
        while len(self.segments) > 1 and self.segments[-1].t0 >= t0:  # replaced by this one
            self.segments.pop()
            self.starts.pop()
        self.segments.append(_Segment(t0, motion))
        self.starts.append(t0)
        end = self.settled(t0 + duration)
        self.segments.append(_Segment(t0 + duration, Idle(end, self.world)))
        self.starts.append(t0 + duration)

    def still_from(self) -> float:
        """From when on the figure stays where it is (its last motion done, settled in place):
        until its next action is added, nothing moves it along the stage."""
        return self.starts[-1] + REST_MS

    def raw(self, t: float) -> Pose:
        i = max(0, bisect_right(self.starts, t) - 1)
        seg = self.segments[i]
        return seg.motion.sample(t - seg.t0)

    def settled(self, t: float) -> Pose:
        """The pose as drawn at `t` (on stage): what a motion starting at `t` continues from."""
        pose = self.seen.get(t)
        if pose is None:
            pose = self.seen[t] = place(self.raw(t), self.stage)[0]
        return pose


def initial_poses(script: Script, stage: Stage) -> dict[str, Pose]:
    """Standing poses at the characters' start x, pushed apart so no two overlap."""
    lo, hi = motions.MARGIN, stage.width - motions.MARGIN
    chars = script.characters
    gap = min(MIN_GAP * stage.width, (hi - lo) / max(1, len(chars) - 1))
    order = sorted(range(len(chars)), key=lambda i: (chars[i].x, i))
    xs = [min(max(chars[i].x * stage.width, lo), hi) for i in order]
    for _ in range(2 * len(xs)):  # relax: push overlapping neighbours apart symmetrically
        for k in range(len(xs) - 1):
            short = gap - (xs[k + 1] - xs[k])
            if short > 1e-9:
                xs[k] -= short / 2
                xs[k + 1] += short / 2
        xs = [min(max(x, lo), hi) for x in xs]
    for k in range(1, len(xs)):  # then guarantee it: forward from the left, back from the right
        xs[k] = max(xs[k], xs[k - 1] + gap)
    for k in range(len(xs) - 1, -1, -1):
        xs[k] = min(xs[k], hi if k == len(xs) - 1 else xs[k + 1] - gap)
    poses = {}
    for k, i in enumerate(order):
        c = chars[i]
        facing = {"left": -1.0, "right": 1.0}.get(c.facing, 0.0)
        side = int(facing) if facing else (1 if xs[k] <= stage.width / 2 else -1)
        poses[c.id] = Pose(dict(motions.REST["stand"]), xs[k], facing, side, 0.0, "stand")
    return poses


def _phases(script: Script, seed: int | None) -> dict[str, float]:
    # Each character breathes on its own phase; the seed shifts them all, deterministically.
    base = ((seed or 0) % 9973) * 0.618
    return {c.id: (base + 2.399 * i) % (2 * math.pi) for i, c in enumerate(script.characters)}


def _refers_to(action: Action, who: str, timelines: dict[str, Timeline], t: float) -> bool:
    """Does `action` (of another character) walk toward `who`?"""
    if action.action not in LOCOMOTION or action.params.direction != "toward":
        return False
    if action.params.target:
        return action.params.target == who
    return _nearest(action.character, timelines, t) == who


def _nearest(cid: str, timelines: dict[str, Timeline], t: float) -> str | None:
    me = timelines[cid].settled(t).x
    others = [(abs(tl.settled(t).x - me), o) for o, tl in timelines.items() if o != cid]
    return min(others)[1] if others else None


def _world(a: Action, scene: Scene, timelines: dict[str, Timeline], stage: Stage, phase: float) -> World:
    cid, t = a.character, a.start
    others = {o: tl.settled(t) for o, tl in timelines.items() if o != cid}
    partner = a.params.target or _nearest(cid, timelines, t)
    mutual = partner is not None and any(
        b.character == partner and b.start < a.end and a.start < b.end and _refers_to(b, cid, timelines, t)
        for b in scene.actions
    )
    return World(stage.width, stage.ground_y, others, partner, mutual, phase)


def plan_scene(
    scene: Scene,
    starts: dict[str, Pose],
    stage: Stage,
    phases: dict[str, float],
    tracks: Tracks | None = None,
) -> dict[str, Timeline]:
    """Every character's timeline for one scene (and, given `tracks`, what it does to things)."""
    timelines = {
        cid: Timeline(p, World(stage.width, stage.ground_y, phase=phases[cid]), stage)
        for cid, p in starts.items()
    }
    if tracks is not None:
        tracks.joints = lambda who, t: place(timelines[who].raw(t), stage)[1]
    order = sorted(range(len(scene.actions)), key=lambda i: (scene.actions[i].start, i))
    consumed: set[int] = set()
    cuts: dict[str, list[float]] = {cid: [] for cid in starts}  # when each one's motions start
    for i in order:
        if i in consumed:
            continue
        a = scene.actions[i]
        if a.action in INTERACTIONS:
            consumed |= _reciprocal(scene, i)
            if a.params.target in cuts:
                cuts[a.params.target].append(a.start)
        cuts[a.character].append(a.start)
    for i in order:
        if i in consumed:
            continue
        a = scene.actions[i]
        if a.action in INTERACTIONS and a.params.target:  # both stop on their feet before either is cut short
            both = cuts[a.character] + cuts.get(a.params.target or a.character, [])
            _interact(_until_cut(a, both, scene.length_ms), scene, timelines, stage, phases)
            _stepped_down(tracks, a)
            continue
        if a.action in motions.STRIKES and a.params.target in timelines:  # a blow aimed at someone
            _strike(_until_cut(a, cuts[a.character], scene.length_ms), scene, timelines, stage, phases, cuts)
            continue
        tl = timelines[a.character]
        world = _with_things(_world(a, scene, timelines, stage, phases[a.character]), tracks, a)
        # whatever moves it stops short of the others' paths (a walk: of those to come, too)
        later = [scene.actions[j] for j in order[order.index(i) + 1 :] if j not in consumed]
        later = later if a.action in LOCOMOTION else []
        world = _with_paths(
            world, a, later, timelines, _plan_holds(a, cuts[a.character], scene), scene, stage
        )
        if a.action != "pose":  # planned to end settled (on both feet) before it is cut short
            a = _until_cut(a, cuts[a.character], scene.length_ms)
        motion = edges.with_room(_builder(a, world), tl.settled(a.start), a.duration, world)
        tl.add(a.start, a.duration, motion)
        if tracks is not None:  # what it does to things, until its next action cuts it short
            until = min([a.end, *(t for t in cuts[a.character] if t > a.start)])
            tracks.apply(a, [c for c in getattr(motion, "cues", ()) if a.start + c.t <= until])
    return timelines


def _builder(a: Action, world: World) -> edges.Build:
    """The motion of `a` from any start pose, in any time (a step inward may take some of it)."""

    def build(start: Pose, ms: float) -> Motion:
        return motions.build(a if ms == a.duration else a.model_copy(update={"duration": ms}), start, world)

    return build


def _plan_holds(a: Action, starts: list[float], scene: Scene) -> float:
    """Until when the plan of `a` holds: its character's next action, else the scene end."""
    return min([float(scene.length_ms), *(t for t in starts if t > a.start)])


def _with_paths(
    world: World,
    a: Action,
    later: list[Action],
    timelines: dict[str, Timeline],
    until: float,
    scene: Scene,
    stage: Stage,
) -> World:
    """The world a walk sees: the others' paths as planned so far, until `until`, and how far
    the walks planned after it (`later`) will come toward it while it moves (one that starts
    once it is done finds it where it stopped)."""
    plans = _plans(a, timelines)
    me = timelines[a.character].settled(a.start).x
    coming: dict[str, float] = {}
    for b in later:
        moving = b.action in LOCOMOTION and not b.params.in_place
        if moving and b.character != a.character and b.start < min(a.end, until):
            pose = timelines[b.character].settled(b.start)
            way = motions.direction_sign(b.params.direction, pose, _world(b, scene, timelines, stage, 0.0))
            if way * (me - pose.x) > 0:
                coming[b.character] = coming.get(b.character, 0.0) + _intended(b, stage)
    return replace(world, plans=plans, horizon=until - a.start, oncoming=coming)


def _plans(
    a: Action, timelines: dict[str, Timeline], spared: tuple[str, ...] = ()
) -> dict[str, Callable[[float], Pose]]:
    """The others' planned poses at ms since `a` starts (but the `spared`: built with it)."""
    return {o: _path(tl, a.start) for o, tl in timelines.items() if o != a.character and o not in spared}


def _path(tl: Timeline, t0: float) -> Callable[[float], Pose]:
    """A character's planned pose at ms since `t0` (the timeline remembers what it was asked:
    clearance asks about the same instants again and again)."""
    still = tl.still_from()
    return lambda t: tl.settled(min(t0 + t, still))


def _intended(b: Action, stage: Stage) -> float:
    """How far a walk or run means to go: its distance, else about its pace times its time."""
    if b.params.distance is not None:
        return b.params.distance * stage.width
    return motions.GAITS[b.action].speed * (b.params.speed or 1.0) * b.duration


def _with_things(world: World, tracks: Tracks | None, a: Action) -> World:
    """The world an action sees, with the things where they are when it starts."""
    if tracks is None or not tracks.segs:
        return world
    return replace(world, things=tracks.things_at(a.start), me=a.character)


def _stepped_down(tracks: Tracks | None, a: Action) -> None:
    """Two characters coming together first step down from whatever raised them."""
    if tracks is not None:
        for who in (a.character, a.params.target):
            if who:
                tracks.step_down(who, a.start)


def _until_cut(a: Action, starts: list[float], scene_ms: float) -> Action:
    """`a`, shortened to end where the character's next motion or the scene cuts it short."""
    end = min([a.end, scene_ms, *(t for t in starts if t > a.start)])
    if a.start < end < a.end:
        return a.model_copy(update={"duration": end - a.start})
    return a


def _reciprocal(scene: Scene, i: int) -> set[int]:
    """The target's own action for the same interaction (e.g. both 'shake_hands'): done together."""
    a = scene.actions[i]
    return {
        j
        for j, b in enumerate(scene.actions)
        if j != i
        and b.action == a.action
        and b.character == a.params.target
        and b.params.target == a.character
        and a.start <= b.start < a.end
    }


def _interact(
    a: Action, scene: Scene, timelines: dict[str, Timeline], stage: Stage, phases: dict[str, float]
) -> None:
    target = a.params.target
    assert target is not None  # schema: interactions need a target
    ta, tb = timelines[a.character], timelines[target]
    wa, wb = _pair_worlds(a, scene, timelines, stage, phases, a.duration)
    ma, mb = motions.interaction(a, ta.settled(a.start), tb.settled(a.start), wa, wb)
    ta.add(a.start, a.duration, ma)
    tb.add(a.start, a.duration, mb)


def _pair_worlds(
    a: Action,
    scene: Scene,
    timelines: dict[str, Timeline],
    stage: Stage,
    phases: dict[str, float],
    horizon: float,
) -> tuple[World, World]:
    """The worlds of the two characters of an interaction or a blow: each knows the other where
    it stands, and the bystanders' planned paths (for `horizon` ms) to come no closer than they may."""
    target = a.params.target
    assert target is not None
    plans = _plans(a, timelines, spared=(target,))
    wa = replace(_world(a, scene, timelines, stage, phases[a.character]), plans=plans, horizon=horizon)
    actor = timelines[a.character].settled(a.start)
    wb = World(stage.width, stage.ground_y, {a.character: actor}, a.character, False, phases[target],
               plans=plans, horizon=horizon)  # fmt: skip
    return wa, wb


def _frames(times: list[float], timelines: dict[str, Timeline], tracks: Tracks, stage: Stage) -> list[Frame]:
    """Every character's drawn pose and every thing's place, at each sample time."""
    frames = []
    for t in times:
        drawn = {cid: place(tl.raw(t), stage)[1] for cid, tl in timelines.items()}
        frames.append(Frame.model_construct(t=t, poses=drawn, props=tracks.frame(t, drawn)))
    return frames


def _strike(
    a: Action,
    scene: Scene,
    timelines: dict[str, Timeline],
    stage: Stage,
    phases: dict[str, float],
    cuts: dict[str, list[float]],
) -> None:
    """A punch or kick at someone: the striker comes within reach; a target that is not busy
    then recoils and staggers back, on its feet by its own next action (or the scene end)."""
    target = a.params.target
    assert target is not None
    ta, tb = timelines[a.character], timelines[target]
    busy = any(
        (b.character == target or (b.action in INTERACTIONS and b.params.target == target))
        and b.start < a.end
        and a.start < b.end
        for b in scene.actions
    )
    free = 0.0 if busy else min([scene.length_ms, *(t for t in cuts[target] if t > a.start)]) - a.start
    wa, wb = _pair_worlds(a, scene, timelines, stage, phases, max(a.duration, free))
    ma, mb = motions.strike(a, ta.settled(a.start), tb.settled(a.start), wa, wb, free)
    ta.add(a.start, a.duration, ma)
    if mb is not None:
        tb.add(a.start, mb.duration, mb)


def compile_script(script: Script, fps: int = 24, seed: int | None = None) -> Animation:
    """The dense Animation of a Script: every character posed in every frame of every scene."""
    if isinstance(fps, bool) or not isinstance(fps, int) or not MIN_FPS <= fps <= MAX_FPS:
        raise ValidationError(f"fps must be an integer from {MIN_FPS} to {MAX_FPS}, not {fps!r}")
    stage = Stage()
    schedule = [frame_times(s.length_ms, fps) for s in script.scenes]
    total = sum(map(len, schedule))
    if total > MAX_FRAMES:
        raise ValidationError(f"the animation would have {total} frames; the limit is {MAX_FRAMES}")
    if total * len(script.characters) > MAX_POSES:
        raise ValidationError(
            f"the animation would have {total} frames x {len(script.characters)} characters; "
            f"the limit is {MAX_POSES} poses (lower the fps or shorten the story)"
        )
    phases = _phases(script, seed)
    poses = initial_poses(script, stage)
    carried = start_state(script, stage)
    raised: dict[str, float] = {}
    scenes = []
    for scene, times in zip(script.scenes, schedule, strict=True):
        tracks = Tracks(script, stage, carried, raised)
        timelines = plan_scene(scene, poses, stage, phases, tracks)
        frames = _frames(times, timelines, tracks, stage)
        carried, raised = tracks.carried(scene.length_ms)
        scenes.append(
            AnimScene.model_construct(
                id=scene.id,
                description=scene.description,
                duration=float(scene.length_ms),
                frames=frames,
                speech=props.speech(scene),
            )
        )
        poses = {cid: tl.settled(scene.length_ms) for cid, tl in timelines.items()}
    characters = [
        AnimCharacter(id=c.id, name=c.name, color=c.color, head_radius=rig.HEAD_RADIUS)
        for c in script.characters
    ]
    return Animation(
        title=script.title,
        description=script.description,
        fps=fps,
        stage=stage,
        characters=characters,
        props=props.anim_props(script),
        scenes=scenes,
        script=script,
        meta=Meta(notes=list(script.notes)),  # who planned it is the caller's to say (api.generate_with)
    )
