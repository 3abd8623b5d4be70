"""Joint-angle dicts: the rest pose of each posture, and shorthands to write poses."""

from __future__ import annotations

from .. import rig


def full(**kw: float) -> dict[str, float]:
    """A complete channel dict: the standing rest pose overridden by `kw` (l/r pairs via `lr`)."""
    base = {"torso": 0.0, "neck": 0.0, "shoulder_l": 6.0, "elbow_l": 10.0, "shoulder_r": 6.0,
            "elbow_r": 10.0, "hip_l": 0.0, "knee_l": 0.0, "hip_r": 0.0, "knee_r": 0.0}  # fmt: skip
    base.update(kw)
    return base


def lr(**kw: float) -> dict[str, float]:
    """`shoulder=10` -> shoulder_l=10, shoulder_r=10 (torso/neck pass through)."""
    out: dict[str, float] = {}
    for k, v in kw.items():
        if k in ("torso", "neck") or k.endswith(("_l", "_r")):
            out[k] = v
        else:
            out[k + "_l"] = out[k + "_r"] = v
    return out


def _kneel_pose() -> dict[str, float]:
    # Left knee and shin on the ground, right foot planted forward at the same depth (by IK).
    hip_r, knee_r = rig.leg_ik(38.0, rig.THIGH)  # hips coincide in profile: same depth as the knee
    return full(hip_l=0.0, knee_l=90.0, hip_r=hip_r, knee_r=knee_r, shoulder_l=10, shoulder_r=10)


# Rest pose of each posture (profile drawings; stand and squat also read well from the front).
REST: dict[str, dict[str, float]] = {
    "stand": full(),
    "squat": full(
        **lr(torso=30.0, neck=-10.0, shoulder=60.0, elbow=30.0, hip=70.0, knee=rig.crouch_knee(70.0))
    ),
    "sit": full(**lr(torso=-8.0, neck=5.0, shoulder=35.0, elbow=45.0, hip=118.0, knee=62.0)),
    "lie_back": full(**lr(torso=-90.0, neck=35.0, shoulder=10.0, elbow=10.0, hip=90.0, knee=5.0)),
    "kneel": _kneel_pose(),
    "all_fours": full(**lr(torso=78.0, neck=-30.0, shoulder=78.0, elbow=0.0, hip=0.0, knee=90.0)),
    "lie_front": full(**lr(torso=90.0, neck=-40.0, shoulder=172.0, elbow=8.0, hip=-90.0, knee=10.0)),
}
PROFILE_POSTURES = frozenset({"sit", "lie_back", "kneel", "all_fours", "lie_front"})

# Seen from the front, where a lean is drawn sideways and a thigh cannot point at the viewer:
# a squat upright, knees bent out over the feet but well off the ground, hands in front.
FRONT_REST: dict[str, dict[str, float]] = {
    "squat": full(**lr(torso=0.0, neck=0.0, shoulder=25.0, elbow=60.0, hip=48.0, knee=rig.crouch_knee(48.0))),
}


def rest_pose(posture: str, facing: float) -> dict[str, float]:
    """The rest pose of `posture` as drawn at `facing` (the front view has its own squat)."""
    if abs(facing) < 0.5 and posture in FRONT_REST:
        return FRONT_REST[posture]
    return REST[posture]


def rest_arms(posture: str) -> dict[str, float]:
    r = REST.get(posture, REST["stand"])
    return {c: r[c] for c in ("shoulder_l", "elbow_l", "shoulder_r", "elbow_r")}
