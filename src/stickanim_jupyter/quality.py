"""Physical sanity metrics of an Animation, measured on its frames (not on what the compiler
meant to do): used by the tests and the benchmarks.

- bone_length_variation: max over characters and bones of (max - min) / mean length.
- ground_penetration: how far the lowest joint goes below ground_y (0 when none does).
- rom_violations: joint angles recovered from the frames against rig.GEOMETRIC_LIMITS.
- off_stage: joints outside [0, width] x [0, ground_y].
- foot_slide: the longest horizontal drift of a foot while it stays on the ground.
- jerk: third time-derivative of joint positions (smoothness), in stage units / s^3.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from . import rig
from .schema import BONES, Animation

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


def bone_length_variation(anim: Animation) -> float:
    worst = 0.0
    lengths: dict[tuple[str, str, str], list[float]] = {}
    for _, cid, _, poses in _tracks(anim):
        for pose in poses:
            for a, b in BONES:
                lengths.setdefault((cid, a, b), []).append(math.dist(pose[a], pose[b]))
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
