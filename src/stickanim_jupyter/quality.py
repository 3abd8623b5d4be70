"""Physical sanity metrics of an Animation, measured on its frames (not on what the compiler
meant to do): used by the tests and the benchmarks.

- bone_length_variation: max over characters and bones of (max - min) / mean length; the neck,
  which a front view foreshortens (rig.fk), counts by how far it leaves [NECK_MIN, 1] x NECK.
- ground_penetration: how far the lowest joint goes below ground_y (0 when none does).
- rom_violations: joint angles recovered from the frames against rig.GEOMETRIC_LIMITS.
- off_stage: joints outside [0, width] x [0, ground_y].
- foot_slide: the longest horizontal drift of a foot while it stays on the ground.
- jerk: third time-derivative of joint positions (smoothness), in stage units / s^3.

Whether the motion reads as what the Script says (lengths as fractions of the figure height H;
each returns one row per action it concerns, see :func:`readability` for the thresholds):

- contact_distance: how close the actor's hand (foot for a kick) gets to the partner's hand or
  body during an interaction or an aimed punch/kick.
- target_reaction: how far the target's head moves away from the actor after a push, punch or kick.
- interpenetration: how deep one body (torso and head) goes into another's.
- limb_through_head: how deep an arm or leg goes into its own head circle.
- stand_still: how long a walk or run stands still before it ends (or is cut short).
- nod_motion: how far the head moves, and dips, during a nod.
- clap_height: where the hands meet during a clap (0 pelvis, 1 neck) and how far they part.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import rig
from .schema import BONES, INTERACTIONS, Action, Animation

GROUND_EPS = 0.5  # a foot within this of ground_y is on the ground (planted)
SLIDE_TOLERANCE = 3.0  # stage units a planted foot may drift (posture changes pivot on the feet)
ANGLE_TOLERANCE = 1e-6  # degrees
MAX_GAP_MS = 100.0  # foot sliding needs frames at least this dense (10 fps)


def _tracks(anim: Animation) -> Iterator[tuple[str, str, list[float], list[dict[str, tuple[float, float]]]]]:
    """(scene id, character id, frame times, that character's poses) for every scene."""
    for scene in anim.scenes:
        times = [f.t for f in scene.frames]
        for c in anim.characters:
            yield scene.id, c.id, times, [f.poses[c.id] for f in scene.frames if c.id in f.poses]


_RIGID = tuple(b for b in BONES if b != ("head", "neck"))


def bone_length_variation(anim: Animation) -> float:
    worst = 0.0
    lengths: dict[tuple[str, str, str], list[float]] = {}
    lo, hi = rig.NECK * rig.NECK_MIN, rig.NECK
    for _, cid, _, poses in _tracks(anim):
        for pose in poses:
            for a, b in _RIGID:
                lengths.setdefault((cid, a, b), []).append(math.dist(pose[a], pose[b]))
            neck = math.dist(pose["head"], pose["neck"])
            worst = max(worst, (lo - neck) / hi, (neck - hi) / hi)
    for values in lengths.values():
        mean = sum(values) / len(values)
        if mean > 0:
            worst = max(worst, (max(values) - min(values)) / mean)
    return worst


def ground_penetration(anim: Animation) -> float:
    ground = anim.stage.ground_y
    low = max(
        (p[1] for _, _, _, poses in _tracks(anim) for pose in poses for p in pose.values()), default=ground
    )
    return max(0.0, low - ground)


def _angle(u: tuple[float, float], v: tuple[float, float]) -> float:
    """Unsigned angle between two vectors, degrees."""
    nu, nv = math.hypot(*u), math.hypot(*v)
    if nu == 0 or nv == 0:
        return 0.0
    c = (u[0] * v[0] + u[1] * v[1]) / (nu * nv)
    return math.degrees(math.acos(max(-1.0, min(1.0, c))))


def joint_angles(pose: dict[str, tuple[float, float]]) -> dict[str, float]:
    """Unsigned joint angles of one drawn pose, as limited by rig.GEOMETRIC_LIMITS."""

    def vec(bone: tuple[str, str] | None) -> tuple[float, float]:
        if bone is None:
            return (0.0, -1.0)  # straight up
        (ax, ay), (bx, by) = pose[bone[0]], pose[bone[1]]
        return bx - ax, by - ay

    return {ch: _angle(vec(a), vec(b)) for ch, (a, b, _) in rig.GEOMETRIC_LIMITS.items()}


def rom_violations(anim: Animation, limit: int = 20) -> list[str]:
    out = []
    for sid, cid, times, poses in _tracks(anim):
        for t, pose in zip(times, poses, strict=False):
            for ch, angle in joint_angles(pose).items():
                lim = rig.GEOMETRIC_LIMITS[ch][2]
                if angle > lim + ANGLE_TOLERANCE:
                    out.append(f"{sid} t={t:.0f} {cid}: {ch} {angle:.2f} > {lim:.0f} deg")
                    if len(out) >= limit:
                        return out
    return out


def off_stage(anim: Animation, limit: int = 20) -> list[str]:
    w, ground = anim.stage.width, anim.stage.ground_y
    out = []
    for sid, cid, times, poses in _tracks(anim):
        for t, pose in zip(times, poses, strict=False):
            for j, (x, y) in pose.items():
                if not (0 <= x <= w and 0 <= y <= ground):
                    out.append(f"{sid} t={t:.0f} {cid}: {j} at ({x:.1f}, {y:.1f})")
                    if len(out) >= limit:
                        return out
    return out


def non_finite(anim: Animation) -> int:
    return sum(
        1
        for _, _, _, poses in _tracks(anim)
        for pose in poses
        for x, y in pose.values()
        if not (math.isfinite(x) and math.isfinite(y))
    )


def foot_slide(anim: Animation) -> float:
    """Longest horizontal drift (stage units) of a foot during one stretch on the ground.

    Only frames at most MAX_GAP_MS apart count as one stretch: at a low fps a foot can lift,
    swing and land between two frames.
    """
    ground = anim.stage.ground_y
    worst = 0.0
    for _, _, times, poses in _tracks(anim):
        for foot in ("foot_l", "foot_r"):
            drift, prev, prev_t = 0.0, None, -math.inf
            for t, pose in zip(times, poses, strict=False):
                x, y = pose[foot]
                if y >= ground - GROUND_EPS:
                    drift = drift + abs(x - prev) if prev is not None and t - prev_t <= MAX_GAP_MS else 0.0
                    prev, prev_t = x, t
                    worst = max(worst, drift)
                else:
                    drift, prev = 0.0, None
    return worst


def jerk(anim: Animation) -> dict[str, float]:
    """Max and mean magnitude of the third derivative of joint positions (units/s^3)."""
    dt = 1.0 / anim.fps
    values: list[float] = []
    for _, _, times, poses in _tracks(anim):
        # the last frame may be closer than 1/fps: keep the evenly spaced ones
        n = len(poses) if len(times) < 2 or abs(times[-1] - times[-2] - 1000 * dt) < 1e-6 else len(poses) - 1
        for j in anim.joints:
            pts = [poses[i][j] for i in range(n)]
            for i in range(len(pts) - 3):
                jx = pts[i + 3][0] - 3 * pts[i + 2][0] + 3 * pts[i + 1][0] - pts[i][0]
                jy = pts[i + 3][1] - 3 * pts[i + 2][1] + 3 * pts[i + 1][1] - pts[i][1]
                values.append(math.hypot(jx, jy) / dt**3)
    if not values:
        return {"max": 0.0, "mean": 0.0}
    return {"max": max(values), "mean": sum(values) / len(values)}


def contract_errors(anim: Animation) -> list[str]:
    """Frame-time and completeness contract: t from 0 to duration, increasing, all poses full."""
    out = []
    ids = {c.id for c in anim.characters}
    joints = set(anim.joints)
    for scene in anim.scenes:
        ts = [f.t for f in scene.frames]
        if not ts or ts[0] != 0 or ts[-1] != scene.duration:
            out.append(f"{scene.id}: frame times run {ts[:1]}..{ts[-1:]} instead of 0..{scene.duration}")
        if any(b <= a for a, b in zip(ts, ts[1:], strict=False)):
            out.append(f"{scene.id}: frame times do not increase")
        for f in scene.frames:
            if set(f.poses) != ids or any(set(p) != joints for p in f.poses.values()):
                out.append(f"{scene.id} t={f.t:.0f}: not every character has every joint")
                break
    return out


def report(anim: Animation) -> dict[str, object]:
    """Every metric, for benchmarks and debugging."""
    return {
        "frames": sum(len(s.frames) for s in anim.scenes),
        "bone_length_variation": bone_length_variation(anim),
        "ground_penetration": ground_penetration(anim),
        "rom_violations": len(rom_violations(anim, limit=10**9)),
        "off_stage_joints": len(off_stage(anim, limit=10**9)),
        "non_finite": non_finite(anim),
        "foot_slide": foot_slide(anim),
        "jerk": jerk(anim),
        "contract_errors": contract_errors(anim),
    }


def check(anim: Animation, slide_tolerance: float = SLIDE_TOLERANCE) -> list[str]:
    """Violations of the physical invariants, as readable lines (empty: all good)."""
    out = list(contract_errors(anim))
    if (n := non_finite(anim)) > 0:
        out.append(f"{n} non-finite coordinates")
        return out
    if (v := bone_length_variation(anim)) >= 1e-6:
        out.append(f"bone lengths vary by {v:.2e} (relative)")
    if (d := ground_penetration(anim)) > 1e-6:
        out.append(f"a joint goes {d:.3f} below the ground")
    out += rom_violations(anim)
    out += off_stage(anim)
    if (s := foot_slide(anim)) > slide_tolerance:
        out.append(f"a planted foot slides {s:.2f} units")
    return out


# --- motion that reads as the Script says ---------------------------------------------------
H = rig.FIGURE_HEIGHT
Point = tuple[float, float]
Pose = dict[str, Point]
STRIKES = ("punch", "kick")  # aimed at a target's body when the Script names one
CONTACT = 0.05  # of H: hands (or a fist, a foot) this close touch
REACTION = 0.08  # of H: a pushed or hit target's head moves at least this far away
OVERLAP = 0.02  # of H: bodies may overlap this much (line widths)
THROUGH_HEAD = 0.4  # of the head radius: a limb this deep inside its own head goes through it
STILL_MS = 600.0  # a walk or run may stand still this long before its end (see still_limit)
NOD_MOVE, NOD_DIP = 0.05, 0.025  # of H: head displacement and dip of a visible nod
CLAP_MEET = (0.45, 1.0)  # the hands meet between these fractions of the pelvis-to-neck height
CLAP_APART = 0.12  # of H: the hands part at least this far between claps
TORSO_R = 0.035  # of H: a torso's half-width for interpenetration


@dataclass(frozen=True)
class Span:
    """One action of the Script with the frames its window covers (t in scene ms)."""

    scene: int
    action: Action
    end: float  # where it really ends: its end, the character's next action or the scene end
    frames: list[tuple[float, dict[str, Pose]]]


def spans(anim: Animation, names: Iterable[str]) -> Iterator[Span]:
    """Every action called one of `names`, with its frames (up to its real end)."""
    wanted = set(names)
    for i, (scene, src) in enumerate(zip(anim.scenes, anim.script.scenes, strict=True)):
        for a in src.actions:
            if a.action not in wanted:
                continue
            nxt = [b.start for b in src.actions if b.character == a.character and b.start > a.start]
            end = min([a.end, scene.duration, *nxt])
            frames = [(f.t, f.poses) for f in scene.frames if a.start <= f.t <= end]
            if frames:
                yield Span(i, a, end, frames)


def _seg_dist(p: Point, a: Point, b: Point) -> float:
    """Distance from point p to segment ab."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = dx * dx + dy * dy
    u = 0.0 if n == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / n))
    return math.hypot(p[0] - a[0] - u * dx, p[1] - a[1] - u * dy)


def _segs_dist(a0: Point, a1: Point, b0: Point, b1: Point) -> float:
    """Distance between segments a0a1 and b0b1 (0 when they cross)."""

    def cross(o: Point, p: Point, q: Point) -> float:
        return (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0])

    d1, d2 = cross(b0, b1, a0), cross(b0, b1, a1)
    d3, d4 = cross(a0, a1, b0), cross(a0, a1, b1)
    if d1 * d2 < 0 and d3 * d4 < 0:
        return 0.0
    return min(_seg_dist(a0, b0, b1), _seg_dist(a1, b0, b1), _seg_dist(b0, a0, a1), _seg_dist(b1, a0, a1))


def _body_dist(p: Point, body: Pose) -> float:
    """Distance from a point to a figure's body: torso line, head circle, thighs."""
    r = rig.HEAD_RADIUS
    d = min(_seg_dist(p, body["pelvis"], body["neck"]), max(0.0, math.dist(p, body["head"]) - r))
    return min(d, *(_seg_dist(p, body["hip" + s], body["knee" + s]) for s in ("_l", "_r")))


def _effectors(a: Action) -> tuple[tuple[str, ...], str]:
    """(the actor's joints that make contact, what they touch: 'hand_r' or 'body')."""
    if a.action in ("shake_hands", "high_five", "pull"):
        return ("hand_r",), "hand_r"
    if a.action == "kick":
        return ("foot_l", "foot_r"), "body"
    return ("hand_l", "hand_r"), "body"


def contact_distance(anim: Animation) -> list[tuple[str, float]]:
    """(label, closest approach / H) of every interaction and aimed punch or kick."""
    out = []
    for sp in spans(anim, [*INTERACTIONS, *STRIKES]):
        a, tgt = sp.action, sp.action.params.target
        if tgt is None:
            continue
        joints, part = _effectors(a)
        best = math.inf
        for _, poses in sp.frames:
            me, other = poses[a.character], poses[tgt]
            for j in joints:
                d = math.dist(me[j], other[part]) if part != "body" else _body_dist(me[j], other)
                best = min(best, d)
        out.append((f"s{sp.scene} {a.character} {a.action}@{a.start:.0f}", best / H))
    return out


def target_reaction(anim: Animation, after_ms: float = 600.0) -> list[tuple[str, float]]:
    """(label, how far the target's head moves away from the actor / H, from when the two are
    closest) for every push and aimed punch or kick, up to `after_ms` after the action (the
    target's own next action stops it)."""
    out = []
    for sp in spans(anim, ["push", *STRIKES]):
        a, tgt = sp.action, sp.action.params.target
        if tgt is None:
            continue
        scene = anim.scenes[sp.scene]
        src = anim.script.scenes[sp.scene]
        own = [b.start for b in src.actions if b.character == tgt and b.start > a.start]
        stop = min([sp.end + after_ms, *own])
        frames = [f.poses for f in scene.frames if a.start <= f.t <= stop]
        gaps = [abs(p[tgt]["pelvis"][0] - p[a.character]["pelvis"][0]) for p in frames]
        near = min(range(len(frames)), key=gaps.__getitem__)  # the blow lands about then
        hit = frames[near]
        away = 1.0 if hit[tgt]["pelvis"][0] >= hit[a.character]["pelvis"][0] else -1.0
        x0 = hit[tgt]["head"][0]
        moved = max((p[tgt]["head"][0] - x0) * away for p in frames[near:])
        out.append((f"s{sp.scene} {a.character} {a.action}@{a.start:.0f}", moved / H))
    return out


def _body_parts(pose: Pose) -> list[tuple[Point, Point, float]]:
    """A figure's body as capsules (segment, radius): the torso and the head."""
    return [(pose["pelvis"], pose["neck"], TORSO_R * H), (pose["head"], pose["head"], rig.HEAD_RADIUS)]


def interpenetration(anim: Animation, limit: int = 20) -> tuple[float, list[str]]:
    """(deepest overlap of two bodies / H, where it happens): torsos and heads of different
    characters, each frame."""
    worst, where = 0.0, list[str]()
    ids = [c.id for c in anim.characters]
    for si, scene in enumerate(anim.scenes):
        for f in scene.frames:
            bodies = {c: _body_parts(f.poses[c]) for c in ids if c in f.poses}
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    depth = max(
                        ra + rb - _segs_dist(a0, a1, b0, b1)
                        for a0, a1, ra in bodies[a]
                        for b0, b1, rb in bodies[b]
                    )
                    if depth > 0:
                        worst = max(worst, depth / H)
                        if depth / H > OVERLAP and len(where) < limit:
                            where.append(f"s{si} t={f.t:.0f} {a}/{b}: {depth:.1f} deep")
    return worst, where


_LIMBS = (("shoulder", "elbow"), ("elbow", "hand"), ("hip", "knee"), ("knee", "foot"))


def limb_through_head(anim: Animation, limit: int = 20) -> tuple[float, list[str]]:
    """(deepest an arm or leg goes into its own head circle, as a fraction of the radius; where)."""
    r = rig.HEAD_RADIUS
    worst, where = 0.0, list[str]()
    for sid, cid, times, poses in _tracks(anim):
        for t, pose in zip(times, poses, strict=False):
            head = pose["head"]
            for s in ("_l", "_r"):
                for a, b in _LIMBS:
                    depth = 1.0 - _seg_dist(head, pose[a + s], pose[b + s]) / r
                    if depth > worst:
                        worst = depth
                    if depth > THROUGH_HEAD and len(where) < limit:
                        where.append(f"{sid} t={t:.0f} {cid}: {a}{s}-{b}{s} {depth:.2f} into the head")
    return max(0.0, worst), where


def stand_still(anim: Animation) -> list[tuple[str, float, float, float]]:
    """(label, ms a walk or run stands still before it ends, its room / H, ms it had): room is
    how far the figure could still have gone that way (stage edge or another character), for
    tests to excuse a walk that had nowhere to go."""
    out = []
    for sp in spans(anim, ("walk", "run")):
        cid = sp.action.character
        legs = [(t, [p[cid][j] for j in ("pelvis", "foot_l", "foot_r")]) for t, p in sp.frames]
        t_end, final = legs[-1]
        last = next(
            (t for t, js in reversed(legs) if max(map(math.dist, js, final)) > 1.0), None
        )  # the last time the pelvis or a foot was elsewhere
        still = t_end - (last if last is not None else legs[0][0])
        x_end = final[0][0]
        way = x_end - legs[0][1][0][0]
        room = _room(anim, sp, cid, x_end, 1 if way >= 0 else -1) if abs(way) > 1 else 0.0
        had = t_end - legs[0][0]
        out.append((f"s{sp.scene} {cid} {sp.action.action}@{sp.action.start:.0f}", still, room / H, had))
    return out


def _room(anim: Animation, sp: Span, cid: str, x: float, way: int) -> float:
    edge = anim.stage.width - 75.0 - x if way > 0 else x - 75.0
    last = sp.frames[-1][1]
    ahead = [(p["pelvis"][0] - x) * way for o, p in last.items() if o != cid]
    return max(0.0, min([edge, *(d - 0.5 * H for d in ahead if d > 0)]))


def still_limit(ms: float) -> float:
    """How long a walk or run of `ms` may stand at its end: the last step and settling, longer
    for a slow stroll (its steps are longer and come whole)."""
    return max(STILL_MS, 0.25 * ms)


def nod_motion(anim: Animation) -> list[tuple[str, float, float]]:
    """(label, largest head displacement / H, largest head dip / H) of every nod."""
    out = []
    for sp in spans(anim, ("nod",)):
        cid = sp.action.character
        x0, y0 = sp.frames[0][1][cid]["head"]
        move = max(math.dist(p[cid]["head"], (x0, y0)) for _, p in sp.frames)
        dip = max(p[cid]["head"][1] - y0 for _, p in sp.frames)
        out.append((f"s{sp.scene} {cid} nod@{sp.action.start:.0f}", move / H, dip / H))
    return out


def clap_height(anim: Animation) -> list[tuple[str, float, float]]:
    """(label, lowest height where the hands meet (0 pelvis .. 1 neck), how far they part / H)
    of every clap; height is -1 when the hands never meet."""
    out = []
    for sp in spans(anim, ("clap",)):
        cid = sp.action.character
        gaps = [math.dist(p[cid]["hand_l"], p[cid]["hand_r"]) for _, p in sp.frames]
        meets = [
            i for i in range(1, len(gaps) - 1)
            if gaps[i] <= gaps[i - 1] and gaps[i] <= gaps[i + 1] and gaps[i] < CONTACT * H
        ]  # fmt: skip
        low = -1.0
        for i in meets:
            p = sp.frames[i][1][cid]
            hand_y = (p["hand_l"][1] + p["hand_r"][1]) / 2
            h = (p["pelvis"][1] - hand_y) / max(p["pelvis"][1] - p["neck"][1], 1e-9)
            low = h if low < 0 else min(low, h)
        apart = max(gaps[meets[0] : meets[-1] + 1]) if len(meets) > 1 else max(gaps, default=0.0)
        out.append((f"s{sp.scene} {cid} clap@{sp.action.start:.0f}", low, apart / H))
    return out


def readability(anim: Animation) -> list[str]:
    """Whether the motion reads as the Script says, as readable lines (empty: all good).

    Not part of :func:`check`: a Script can ask for what cannot be shown (a walk into a wall, a
    punch at someone across the stage in 0.2 s); the tests apply it where it must hold."""
    out = []
    out += [f"{k}: hands {d:.3f} H apart at best" for k, d in contact_distance(anim) if d > CONTACT]
    out += [f"{k}: the target moves {d:.3f} H away" for k, d in target_reaction(anim) if d < REACTION]
    depth, where = interpenetration(anim)
    if depth > OVERLAP:
        out += [f"bodies overlap {depth:.3f} H", *where[:3]]
    depth, where = limb_through_head(anim)
    if depth > THROUGH_HEAD:
        out += where[:3]
    out += [
        f"{k}: stands still {ms:.0f} ms of {had:.0f}"
        for k, ms, room, had in stand_still(anim)
        if ms > still_limit(had) and room > 0.15
    ]
    out += [
        f"{k}: head moves {m:.3f} H, dips {d:.3f} H"
        for k, m, d in nod_motion(anim)
        if m < NOD_MOVE or d < NOD_DIP
    ]
    lo, hi = CLAP_MEET
    out += [
        f"{k}: hands meet at {h:.2f} of the trunk, part {a:.3f} H"
        for k, h, a in clap_height(anim)
        if not lo <= h <= hi or a < CLAP_APART
    ]
    return out
