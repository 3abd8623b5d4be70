"""The engine: rig (FK, clamps), motion library, compiler and quality metrics.

Property tests generate random valid Scripts over the whole vocabulary and check the physical
invariants on the compiled frames with stickanim_jupyter.quality.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stickanim_jupyter import compiler, motions, quality, rig
from stickanim_jupyter.compiler import compile_script, frame_times
from stickanim_jupyter.errors import ValidationError
from stickanim_jupyter.schema import (
    ACTIONS,
    BONES,
    INTERACTIONS,
    JOINTS,
    MAX_TIMES,
    POSE_CHANNELS,
    SPEECH_ACTIONS,
    Animation,
    Script,
)

H = rig.FIGURE_HEIGHT
angle = st.floats(-360, 360, allow_nan=False)
channels = st.fixed_dictionaries({c: angle for c in POSE_CHANNELS})
facing = st.one_of(st.sampled_from([-1.0, 0.0, 1.0]), st.floats(-1, 1))
side = st.sampled_from([-1, 1])


def script(characters: list[dict[str, Any]], *scenes: list[dict[str, Any]], **scene_kw: Any) -> Script:
    return Script.parse(
        {
            "title": "test",
            "characters": characters,
            "scenes": [{"id": f"s{i}", "actions": a, **scene_kw} for i, a in enumerate(scenes)],
        }
    )


def act(who: str, action: str, start: float = 0, duration: float = 1500, **params: Any) -> dict[str, Any]:
    if action in INTERACTIONS:
        params.setdefault("target", "b" if who == "a" else "a")
    if action == "pose":
        params.setdefault(
            "keyframes", [{"t": 0.5, "angles": {"torso": 20, "shoulder_r": 120}}, {"t": 1, "angles": {}}]
        )
    if action in SPEECH_ACTIONS:
        params.setdefault("text", "hello")
    return {"character": who, "action": action, "start": start, "duration": duration, "params": params}


def two(facing_a: str = "front", facing_b: str = "front") -> list[dict[str, Any]]:
    return [
        {"id": "a", "name": "A", "x": 0.3, "facing": facing_a},
        {"id": "b", "name": "B", "x": 0.7, "facing": facing_b},
    ]


def poses(anim: Animation, who: str) -> list[dict[str, tuple[float, float]]]:
    return [f.poses[who] for s in anim.scenes for f in s.frames]


# --- rig ------------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None, derandomize=True)
@given(channels, facing, side, st.floats(-1e3, 1e3), st.floats(-1e3, 1e3))
def test_fk_bone_lengths_are_exact(angles: dict[str, float], f: float, s: int, x: float, y: float) -> None:
    joints = rig.fk(angles, f, s, x, y)
    assert set(joints) == set(JOINTS)
    assert joints["pelvis"] == (x, y)
    for (a, b), length in rig.BONE_LENGTHS.items():
        if (a, b) != ("head", "neck"):
            assert math.dist(joints[a], joints[b]) == pytest.approx(length, rel=1e-9)
    # the neck: full length in profile, foreshortened by a bow toward the viewer, never less
    # than NECK_MIN within its range of motion
    neck = math.dist(joints["head"], joints["neck"])
    assert neck <= rig.NECK * (1 + 1e-9)
    if abs(f) == 1.0:
        assert neck == pytest.approx(rig.NECK, rel=1e-9)
    clamped = rig.fk(rig.clamp(angles, f, s), f, s)
    assert math.dist(clamped["head"], clamped["neck"]) >= rig.NECK * rig.NECK_MIN * (1 - 1e-9)


def test_standing_figure_is_human_sized() -> None:
    for f in (-1.0, 0.0, 1.0):
        assert 180 <= rig.standing_height(f) <= 200
    joints = rig.fk(motions.REST["stand"], 0.0, 1)
    assert (
        joints["head"][1]
        < joints["neck"][1]
        < joints["pelvis"][1]
        < joints["knee_l"][1]
        < joints["foot_l"][1]
    )
    assert joints["hand_l"][0] > 0 > joints["hand_r"][0]  # facing the viewer, the left arm is at +x


def test_profile_conventions() -> None:
    """Facing right: forward is +x; shoulder 90 points the arm forward, knees fold backward."""
    a = motions.full(shoulder_r=90.0, elbow_r=0.0, hip_l=45.0, knee_l=90.0, torso=30.0)
    j = rig.fk(a, 1.0, 1)
    assert j["hand_r"][0] > j["shoulder_r"][0] + 50
    assert j["neck"][0] > 0  # leaning forward
    assert j["knee_l"][0] > j["foot_l"][0]  # shin folds back
    mirrored = rig.fk(a, -1.0, -1)
    for name, (x, y) in j.items():
        assert mirrored[name] == pytest.approx((-x, y), abs=1e-9)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(channels, facing, side)
def test_clamp_keeps_channels_and_drawing_in_range(angles: dict[str, float], f: float, s: int) -> None:
    c = rig.clamp(angles, f, s)
    for ch in POSE_CHANNELS:
        lo, hi = rig.ROM[ch]
        value = c[ch] + c["torso"] if ch.startswith("hip") else c[ch]
        if not (ch.startswith("hip") and f not in (-1.0, 1.0)):  # front view may tighten hips further
            assert lo - 1e-9 <= value <= hi + 1e-9, (ch, value)
    assert rig.clamp(c, f, s) == pytest.approx(c)  # idempotent
    drawn = quality.joint_angles(rig.fk(c, f, s))
    for ch, (_, _, limit) in rig.GEOMETRIC_LIMITS.items():
        assert drawn[ch] <= limit + 1e-6, (ch, drawn[ch])


def test_clamp_replaces_non_finite_values() -> None:
    c = rig.clamp(dict.fromkeys(POSE_CHANNELS, math.nan), 1.0, 1)
    assert all(math.isfinite(v) for v in c.values())


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.floats(-60, 60), st.floats(30, 93.5))
def test_leg_ik_reaches_its_target(dx: float, dy: float) -> None:
    hip, knee = rig.leg_ik(dx, dy)
    a = motions.full(hip_l=hip, knee_l=knee)
    j = rig.fk(a, 1.0, 1)
    foot = (j["foot_l"][0] - j["hip_l"][0], j["foot_l"][1] - j["hip_l"][1])
    if math.hypot(dx, dy) < rig.LEG - 1e-6:
        assert foot == pytest.approx((dx, dy), abs=1e-6)
    assert 0 <= knee <= 180


@pytest.mark.parametrize("hip", [0.0, 20.0, 45.0, 70.0])
def test_crouch_keeps_the_foot_under_the_hip(hip: float) -> None:
    for f in (0.0, 1.0):
        j = rig.fk(motions.full(hip_l=hip, knee_l=rig.crouch_knee(hip)), f, 1)
        assert j["foot_l"][0] == pytest.approx(j["hip_l"][0], abs=1e-9)


# --- every action ---------------------------------------------------------------------------
@pytest.mark.parametrize("facing", ["front", "right", "left"])
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_compiles_sanely(action: str, facing: str) -> None:
    s = script(two(facing), [act("a", action, 100, 2200), act("a", "stand_up", 2300, 2200)])
    anim = compile_script(s)
    assert quality.check(anim) == []


@pytest.mark.parametrize("before", ["sit", "lie_down", "fall", "kneel", "squat", "pose", "run"])
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_from_every_posture(before: str, action: str) -> None:
    s = script(
        two("right", "left"),
        [act("a", before, 0, 1500), act("a", action, 1500, 1800), act("b", "wave", 500, 1000)],
    )
    assert quality.check(compile_script(s)) == []


@pytest.mark.parametrize("action", sorted(INTERACTIONS))
def test_interactions_bring_the_two_together(action: str) -> None:
    anim = compile_script(script(two(), [act("a", action, 0, 3000)]))
    assert quality.check(anim) == []
    pa, pb = poses(anim, "a"), poses(anim, "b")
    gaps = [abs(a["pelvis"][0] - b["pelvis"][0]) for a, b in zip(pa, pb, strict=True)]
    assert min(gaps) < gaps[0] - 0.2 * 960
    tol = 0.1 * H
    if action in ("shake_hands", "high_five", "pull"):  # each character's own right hand
        assert min(math.dist(a["hand_r"], b["hand_r"]) for a, b in zip(pa, pb, strict=True)) < tol
    else:  # hug, push: the actor's hands reach the other's body
        reach = min(abs(a["hand_r"][0] - b["neck"][0]) for a, b in zip(pa, pb, strict=True))
        assert reach < tol
    if action == "push":  # and the target is pushed back afterwards
        meet = min(range(len(gaps)), key=gaps.__getitem__)
        assert gaps[-1] > gaps[meet] + 30


def test_interaction_named_by_both_is_done_once_together() -> None:
    s = script(two(), [act("a", "shake_hands", 0, 3000), act("b", "shake_hands", 0, 3000)])
    anim = compile_script(s)
    pa, pb = poses(anim, "a"), poses(anim, "b")
    assert min(math.dist(a["hand_r"], b["hand_r"]) for a, b in zip(pa, pb, strict=True)) < 0.1 * H


@pytest.mark.parametrize("down", ["sit", "lie_down", "fall", "kneel", "squat"])
def test_stand_up_returns_to_standing(down: str) -> None:
    s = script([{"id": "a", "name": "A"}], [act("a", down, 0, 1500), act("a", "stand_up", 1500, 2500)])
    ps = poses(anim := compile_script(s), "a")
    assert quality.check(anim) == []
    low = max(p["pelvis"][1] for p in ps)
    assert low - ps[0]["pelvis"][1] > 0.1 * H  # it did get down
    assert ps[-1]["pelvis"][1] == pytest.approx(ps[0]["pelvis"][1], abs=5.0)  # and back up
    assert ps[-1]["head"][1] == pytest.approx(ps[0]["head"][1], abs=5.0)


def test_pose_reaches_its_keyframes() -> None:
    key = {"torso": 40.0, "shoulder_r": 120.0, "elbow_r": 30.0}
    frames = [{"t": 0.5, "angles": key}, {"t": 1.0, "angles": {"torso": 0.0}}]
    s = script([{"id": "a", "name": "A", "facing": "right"}], [act("a", "pose", 0, 2000, keyframes=frames)])
    anim = compile_script(s)
    mid = next(f.poses["a"] for f in anim.scenes[0].frames if f.t == 1000)
    drawn = quality.joint_angles(mid)
    assert drawn["torso"] == pytest.approx(40.0, abs=1e-6)
    assert drawn["shoulder_r"] == pytest.approx(120.0, abs=1e-6)
    assert drawn["elbow_r"] == pytest.approx(30.0, abs=1e-6)
    assert mid["neck"][0] > mid["pelvis"][0]  # profile right: leaning forward is +x


@pytest.mark.parametrize(
    ("x", "direction", "sign"), [(0.2, "toward", 1), (0.2, "away", -1), (0.8, "toward", -1)]
)
def test_toward_and_away_without_a_partner_use_the_stage_centre(x: float, direction: str, sign: int) -> None:
    s = script([{"id": "a", "name": "A", "x": x}], [act("a", "walk", 0, 2000, direction=direction)])
    ps = poses(compile_script(s), "a")
    assert (ps[-1]["pelvis"][0] - ps[0]["pelvis"][0]) * sign > 0.1 * H


def test_run_is_clearly_faster_than_walk() -> None:
    def speed(action: str) -> float:
        anim = compile_script(
            script([{"id": "a", "name": "A", "x": 0.1, "facing": "right"}], [act("a", action, 0, 1500)])
        )
        xs = [p["pelvis"][0] for p in poses(anim, "a")]
        return max((xs[i + 12] - xs[i]) * 2 for i in range(len(xs) - 12))  # over half a second, units/s

    walk, run = speed("walk"), speed("run")
    assert 0.5 * H < walk < 1.0 * H
    assert run > 2 * walk


def test_walk_plants_feet_and_alternates() -> None:
    anim = compile_script(
        script([{"id": "a", "name": "A", "x": 0.1}], [act("a", "walk", 0, 3000, direction="right")])
    )
    assert quality.foot_slide(anim) < 1e-9
    ps = poses(anim, "a")
    ahead = [p["foot_r"][0] - p["foot_l"][0] for p in ps]
    assert max(ahead) > 0.1 * H and min(ahead) < -0.1 * H
    assert any(min(p["foot_l"][1], p["foot_r"][1]) < 475 for p in ps)  # feet lift when swinging


def test_jump_leaves_the_ground() -> None:
    anim = compile_script(script([{"id": "a", "name": "A"}], [act("a", "jump", 0, 1000)]))
    ps = poses(anim, "a")
    stand = ps[0]["pelvis"][1]
    peak = min(ps, key=lambda p: p["pelvis"][1])
    assert stand - peak["pelvis"][1] > 0.15 * H
    assert max(peak["foot_l"][1], peak["foot_r"][1]) < 480 - 0.1 * H


def test_sideways_jump_travels_and_stays_on_stage() -> None:
    anim = compile_script(
        script([{"id": "a", "name": "A", "x": 0.9}], [act("a", "jump", 0, 3000, direction="right", times=4)])
    )
    assert quality.check(anim) == []


def test_walks_stay_on_stage() -> None:
    for x, d in ((0.95, "right"), (0.02, "left")):
        s = script([{"id": "a", "name": "A", "x": x}], [act("a", "run", 0, 3000, direction=d, distance=1.0)])
        anim = compile_script(s)
        assert quality.check(anim) == []


def test_toward_stops_short_of_the_other() -> None:
    s = script(two(), [act("a", "walk", 0, 6000, direction="toward", distance=1.0)])
    anim = compile_script(s)
    last = anim.scenes[0].frames[-1].poses
    assert abs(last["a"]["pelvis"][0] - last["b"]["pelvis"][0]) > 0.4 * H


def test_turn_changes_facing() -> None:
    anim = compile_script(script(two(), [act("a", "turn", 0, 800, direction="right")]))
    first, last = poses(anim, "a")[0], poses(anim, "a")[-1]
    spread = [abs(p["shoulder_l"][0] - p["shoulder_r"][0]) for p in (first, last)]
    assert spread[0] > 15 and spread[1] < 1e-6  # front: shoulders apart; profile: together


def test_sitting_lowers_the_pelvis_and_carries_over_to_the_next_scene() -> None:
    s = script([{"id": "a", "name": "A"}], [act("a", "sit", 0, 1500)], [])
    anim = compile_script(s)
    first, sat = anim.scenes[0].frames[0].poses["a"], anim.scenes[0].frames[-1].poses["a"]
    assert sat["pelvis"][1] - first["pelvis"][1] > 0.3 * H
    next_scene = [f.poses["a"]["pelvis"][1] for f in anim.scenes[1].frames]
    assert min(next_scene) - first["pelvis"][1] > 0.3 * H  # still sitting


def test_state_is_continuous_across_scenes() -> None:
    s = script(two(), [act("a", "walk", 0, 1500, direction="right")], [act("b", "wave", 0, 1000)])
    anim = compile_script(s)
    end, start = anim.scenes[0].frames[-1].poses, anim.scenes[1].frames[0].poses
    for who in ("a", "b"):
        for j in JOINTS:
            assert start[who][j] == pytest.approx(end[who][j], abs=1e-6)


def test_idle_breathes_with_feet_still() -> None:
    anim = compile_script(script(two(), [act("b", "wave", 0, 3000)]))
    ps = poses(anim, "a")
    assert max(math.dist(p["hand_l"], ps[0]["hand_l"]) for p in ps) > 0.5  # not frozen
    assert max(math.dist(p["foot_l"], ps[0]["foot_l"]) for p in ps) < 1e-6


def test_characters_do_not_overlap_at_start() -> None:
    chars = [{"id": f"c{i}", "name": f"C{i}", "x": 0.5} for i in range(8)]
    anim = compile_script(script(chars, []))
    xs = sorted(p["pelvis"][0] for p in anim.scenes[0].frames[0].poses.values())
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) > 0.5 * H
    assert quality.check(anim) == []


def test_frame_times_contract() -> None:
    assert frame_times(1000, 24)[0] == 0 and frame_times(1000, 24)[-1] == 1000
    ts = frame_times(1001.5, 24)
    assert ts[-1] == 1001.5 and all(b > a for a, b in zip(ts, ts[1:], strict=False))
    assert ts[1] == pytest.approx(1000 / 24)
    anim = compile_script(script([{"id": "a", "name": "A"}], [act("a", "wave", 0, 777)]), fps=7)
    assert [f.t for f in anim.scenes[0].frames][-1] == anim.scenes[0].duration == 777


def test_animation_fields() -> None:
    s = script(two(), [act("a", "wave", 0, 1000)])
    anim = compile_script(s)
    assert anim.title == s.title and anim.script == s and anim.meta.provider == "local"
    assert [c.id for c in anim.characters] == ["a", "b"]
    assert all(c.head_radius == rig.HEAD_RADIUS for c in anim.characters)
    assert Animation.parse(anim.to_json()).scenes[0].frames[-1].t == 1000  # survives a JSON round trip


def test_deterministic_and_seeded() -> None:
    # a second of idling after the actions: breathing, whose phase the seed moves, shows then
    s = script(
        two(), [act("a", "walk", 0, 2000, direction="toward"), act("b", "clap", 0, 2000)], duration=3000
    )
    assert compile_script(s, seed=3).to_json() == compile_script(s, seed=3).to_json()
    other = compile_script(s, seed=4)
    assert other.to_json() != compile_script(s, seed=3).to_json()  # breathing phase moves
    assert quality.check(other) == []


@pytest.mark.parametrize("fps", [0, 61, 2.5, True, "24"])
def test_bad_fps_is_a_validation_error(fps: Any) -> None:
    with pytest.raises(ValidationError, match="fps"):
        compile_script(script([{"id": "a", "name": "A"}], []), fps=fps)


def test_pose_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiler, "MAX_POSES", 60)
    s = script(two(), [act("a", "wave", 0, 2000)])  # 49 frames x 2 characters
    with pytest.raises(ValidationError, match="poses"):
        compile_script(s)


def test_frame_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiler, "MAX_FRAMES", 100)
    s = script([{"id": "a", "name": "A"}], [act("a", "wave", 0, 5000)])
    with pytest.raises(ValidationError, match="frames"):
        compile_script(s)


# --- quality metrics detect what they claim to --------------------------------------------


def _corrupt(anim: Animation, who: str, joint: str, dx: float, dy: float) -> Animation:
    bad = anim.model_copy(deep=True)
    frame = bad.scenes[0].frames[len(bad.scenes[0].frames) // 2]
    x, y = frame.poses[who][joint]
    frame.poses[who][joint] = (x + dx, y + dy)
    return bad


def _fold_elbow(anim: Animation) -> Animation:
    """The forearm folded back onto the upper arm: a 180 degree elbow, bone lengths intact."""
    bad = anim.model_copy(deep=True)
    pose = bad.scenes[0].frames[5].poses["a"]
    (sx, sy), (ex, ey) = pose["shoulder_r"], pose["elbow_r"]
    k = rig.FOREARM / math.dist((sx, sy), (ex, ey))
    pose["hand_r"] = (ex + (sx - ex) * k, ey + (sy - ey) * k)
    return bad


@pytest.fixture(scope="module")
def calm() -> Animation:
    return compile_script(script(two(), [act("a", "wave", 0, 1000)]))


def test_quality_detects_each_problem(calm: Animation) -> None:
    assert quality.check(calm) == []
    r = quality.report(calm)
    assert r["bone_length_variation"] < 1e-12 and r["rom_violations"] == 0 and r["foot_slide"] == 0
    assert quality.bone_length_variation(_corrupt(calm, "a", "hand_l", 3, 3)) > 1e-3
    assert quality.ground_penetration(_corrupt(calm, "a", "foot_l", 0, 3)) == pytest.approx(3)
    assert quality.off_stage(_corrupt(calm, "a", "head", -2000, 0))
    assert quality.foot_slide(_corrupt(calm, "b", "foot_l", 4, 0)) >= 4
    folded = _fold_elbow(calm)
    assert quality.bone_length_variation(folded) < 1e-9
    assert any("elbow_r" in v for v in quality.rom_violations(folded))
    assert quality.jerk(_corrupt(calm, "a", "hand_r", 20, 0))["max"] > quality.jerk(calm)["max"]
    bad = calm.model_copy(deep=True)
    del bad.scenes[0].frames[3].poses["b"]
    assert quality.contract_errors(bad)


# --- random scripts -------------------------------------------------------------------------
ids = ["a", "b", "c", "d"]


@st.composite
def keyframes(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 4))
    return [
        {
            "t": draw(st.floats(0, 1)),
            "angles": draw(st.dictionaries(st.sampled_from(POSE_CHANNELS), angle, max_size=6)),
        }
        for _ in range(n)
    ]


@st.composite
def actions(draw: st.DrawFn, n_chars: int) -> dict[str, Any]:
    who = draw(st.sampled_from(ids[:n_chars]))
    choices = [a for a in ACTIONS if n_chars > 1 or a not in INTERACTIONS]
    name = draw(st.sampled_from(choices))
    params: dict[str, Any] = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "hand": st.sampled_from(["left", "right", "both"]),
                "times": st.integers(1, MAX_TIMES),
                "speed": st.floats(0.25, 4.0),
                "direction": st.sampled_from(["left", "right", "toward", "away", "forward", "back"]),
                "distance": st.floats(0, 1),
            },
        )
    )
    others = [c for c in ids[:n_chars] if c != who]
    if name in INTERACTIONS or (others and draw(st.booleans())):
        params["target"] = draw(st.sampled_from(others))
    if name == "pose":
        params["keyframes"] = draw(keyframes())
    if name in SPEECH_ACTIONS:
        params["text"] = draw(st.sampled_from(["hi", "你好，我们走吧", "Where is the ball?"]))
    start = draw(st.floats(0, 3000))
    duration = draw(st.floats(10, 3000))
    return {"character": who, "action": name, "start": start, "duration": duration, "params": params}


@st.composite
def scripts(draw: st.DrawFn) -> Script:
    n = draw(st.integers(1, 4))
    chars = [
        {
            "id": ids[i],
            "name": ids[i].upper(),
            "x": draw(st.floats(0, 1)),
            "facing": draw(st.sampled_from(["front", "left", "right"])),
        }
        for i in range(n)
    ]
    scenes = [
        {
            "id": f"s{k}",
            "actions": draw(st.lists(actions(n), max_size=6)),
            **({"duration": draw(st.floats(500, 6000))} if draw(st.booleans()) else {}),
        }
        for k in range(draw(st.integers(1, 3)))
    ]
    return Script.parse({"title": "random", "characters": chars, "scenes": scenes})


@settings(max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scripts(), st.sampled_from([1, 7, 24, 30]), st.integers(0, 10**6))
def test_random_scripts_keep_the_invariants(s: Script, fps: int, seed: int) -> None:
    anim = compile_script(s, fps=fps, seed=seed)
    assert quality.non_finite(anim) == 0
    assert quality.contract_errors(anim) == []
    assert quality.bone_length_variation(anim) < 1e-6
    assert quality.ground_penetration(anim) <= 1e-9
    assert quality.rom_violations(anim) == []
    assert quality.off_stage(anim) == []
    ids_ = {c.id for c in s.characters}
    for scene, src in zip(anim.scenes, s.scenes, strict=True):
        assert scene.frames[0].t == 0 and scene.frames[-1].t == src.length_ms
        assert all(
            set(f.poses) == ids_ and all(len(p) == len(JOINTS) for p in f.poses.values())
            for f in scene.frames
        )
    assert len(BONES) == len(anim.bones)


# --- short locomotion ends on planted feet ----------------------------------------------------
FOLLOW_UPS = [
    "walk",
    "run",
    "idle",
    "wave",
    "turn",
    "jump",
    "clap",
    "nod",
    "point",
    "bow",
    "stand",
    *INTERACTIONS,
]


@st.composite
def locomotion_scripts(draw: st.DrawFn) -> Script:
    """1-3 characters, each walking or running for a short random time, then either nothing
    (trailing scene time), another action of its own, or the scene end cutting it short."""
    n = draw(st.integers(1, 3))
    chars, acts = [], []
    for i in range(n):
        cid = ids[i]
        chars.append({"id": cid, "name": cid.upper(), "x": draw(st.floats(0, 1)),
                      "facing": draw(st.sampled_from(["front", "left", "right"]))})  # fmt: skip
        params: dict[str, Any] = draw(
            st.fixed_dictionaries(
                {"direction": st.sampled_from(["left", "right", "toward", "away", "forward", "back"])},
                optional={"speed": st.floats(0.25, 4.0), "distance": st.floats(0, 1)},
            )
        )
        start = draw(st.floats(0, 500))
        duration = draw(st.floats(100, 3000))
        acts.append(act(cid, draw(st.sampled_from(["walk", "run"])), start, duration, **params))
        if draw(st.booleans()):  # the same character's next action, possibly cutting this one short
            nxt = draw(st.sampled_from(FOLLOW_UPS))
            extra: dict[str, Any] = {}
            if nxt in ("walk", "run"):
                extra["direction"] = draw(st.sampled_from(["left", "right"]))
            if nxt in INTERACTIONS:
                if n == 1:
                    nxt = "wave"
                else:
                    extra["target"] = draw(st.sampled_from([c for c in ids[:n] if c != cid]))
            at = start + duration * draw(st.floats(0.2, 1.2))
            acts.append(act(cid, nxt, at, draw(st.floats(100, 2000)), **extra))
    end = max(a["start"] + a["duration"] for a in acts)
    length = end * draw(st.floats(0.5, 1.5)) if draw(st.booleans()) else None
    scene: dict[str, Any] = {"id": "s0", "actions": acts}
    if length is not None:
        scene["duration"] = max(length, 500.0)
    return Script.parse(
        {"title": "runs", "characters": chars, "scenes": [scene, {"id": "s1", "actions": []}]}
    )


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(locomotion_scripts(), st.sampled_from([10, 12, 24, 30, 60]))
def test_short_locomotion_ends_on_planted_feet(s: Script, fps: int) -> None:
    """B1: a walk or run too short for its distance, or cut short, never skates a planted foot."""
    assert quality.check(compile_script(s, fps=fps)) == []


@pytest.mark.parametrize(
    ("duration", "distance", "scene", "moves"),
    [
        (533, 0.4, 933, 30),
        (533, 0.4, 1533, 30),
        (600, None, 2500, 0),
        (150, 0.9, 900, 0),
        (900, 0.9, 900, 100),
    ],
)
def test_a_run_too_short_for_its_distance_stops_on_both_feet(
    duration: float, distance: float | None, scene: float, moves: float
) -> None:
    params = {"direction": "right", "speed": 1.5, **({"distance": distance} if distance else {})}
    anim = compile_script(script(two(), [act("a", "run", 0, duration, **params)], duration=scene))
    assert quality.check(anim) == []
    frames = anim.scenes[0].frames
    end = next(f for f in frames if f.t >= duration)
    last = frames[-1].poses["a"]
    assert end.poses["a"]["foot_l"] == pytest.approx(last["foot_l"])  # no step after the action
    assert end.poses["a"]["foot_r"] == pytest.approx(last["foot_r"])
    assert last["pelvis"][0] >= frames[0].poses["a"]["pelvis"][0] + moves
