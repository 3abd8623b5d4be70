"""Motion that reads as what the Script says: quality.readability and its measures.

Every example story (stories.yml) and every story of motion_gallery.yml, through the local
planner, must read: hands and fists reach their partner, a pushed or hit target reacts, bodies
do not overlap, no limb passes through its own head, walks keep walking, nods and claps show.
Hand-written Scripts check each fix in every facing; hypothesis checks random Scripts.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine import act, ids, poses, script, two

from stickanim_jupyter import generate, quality, rig
from stickanim_jupyter.compiler import compile_script
from stickanim_jupyter.motions import RUN
from stickanim_jupyter.schema import ACTIONS, INTERACTIONS, MAX_TIMES, SPEECH_ACTIONS, Animation

H = rig.FIGURE_HEIGHT
HERE = Path(__file__).parent
EXAMPLES = [s["story"] for s in yaml.safe_load((HERE / "stories.yml").read_text("utf-8")) if "error" not in s]
GALLERY = yaml.safe_load((HERE / "motion_gallery.yml").read_text("utf-8"))


@pytest.mark.parametrize("story", EXAMPLES + GALLERY)
def test_every_story_reads(story: str) -> None:
    anim = generate(story, provider="local", seed=1, cache=False)
    assert quality.check(anim) == []
    assert quality.readability(anim) == []


def one(facing: str = "front", x: float = 0.5) -> list[dict[str, Any]]:
    return [{"id": "a", "name": "A", "x": x, "facing": facing}]


@pytest.mark.parametrize("facing", ["front", "left", "right"])
def test_nod_is_visible(facing: str) -> None:
    anim = compile_script(script(one(facing), [act("a", "nod", 0, 1200, times=2)]))
    (_, move, dip), *_ = quality.nod_motion(anim)
    assert move >= quality.NOD_MOVE and dip >= quality.NOD_DIP


def test_front_nod_dips_more_than_it_sways_and_a_shake_sways() -> None:
    anim = compile_script(script(one(), [act("a", "nod", 0, 1200, times=2)]))
    head0 = poses(anim, "a")[0]["head"]
    dips = [(p["head"][1] - head0[1], abs(p["head"][0] - head0[0])) for p in poses(anim, "a")]
    dip, sway = max(dips)
    assert dip >= quality.NOD_DIP * H and sway < 0.6 * dip  # a nod, not a tilt
    anim = compile_script(script(one(), [act("a", "shake_head", 0, 1500, times=3)]))
    xs = [p["head"][0] - p["neck"][0] for p in poses(anim, "a")]
    assert max(xs) > 0.025 * H and min(xs) < -0.025 * H  # side to side, both ways
    assert quality.check(anim) == []


@pytest.mark.parametrize("facing", ["front", "left", "right"])
def test_the_standing_foot_stays_put_while_the_other_lifts(facing: str) -> None:
    """A custom pose lifting one leg, then the other: the foot on the ground never moves
    (it used to be dragged by half of the lifted foot's travel), the lifted one does not drag."""
    kf = [{"t": 0.3, "angles": {"hip_l": 70, "knee_l": 110}}, {"t": 0.6, "angles": {"hip_l": 0, "knee_l": 0}},
          {"t": 0.9, "angles": {"hip_r": 70, "knee_r": 110}}]  # fmt: skip
    anim = compile_script(script(one(facing), [act("a", "pose", 0, 1500, keyframes=kf)]))
    ps, ground = poses(anim, "a"), anim.stage.ground_y
    for foot, other in (("foot_l", "foot_r"), ("foot_r", "foot_l")):
        up = [p[other][0] for p in ps if p[foot][1] < ground - 5 and p[other][1] > ground - 0.5]
        assert up and max(up) - min(up) < 1e-6
    assert quality.check(anim) == []  # and the lifted foot rises before it swings: no drag


@pytest.mark.parametrize("facing", ["front", "left", "right"])
def test_claps_at_chest_height_hands_apart_between(facing: str) -> None:
    anim = compile_script(script(one(facing), [act("a", "clap", 0, 2000, times=3)]))
    (_, height, apart), *_ = quality.clap_height(anim)
    assert quality.CLAP_MEET[0] <= height <= quality.CLAP_MEET[1] and apart >= quality.CLAP_APART


def test_front_squat_is_upright_with_knees_off_the_ground() -> None:
    anim = compile_script(script(one(), [act("a", "squat", 0, 1500)]))
    low = poses(anim, "a")[-1]
    ground = anim.stage.ground_y
    for s in ("_l", "_r"):
        assert ground - low["knee" + s][1] > 0.12 * H  # not flat on the ground
        assert abs(low["knee" + s][0] - low["foot" + s][0]) < 0.2 * H  # not splayed far out
    (px, py), (nx, ny) = low["pelvis"], low["neck"]
    assert abs(math.degrees(math.atan2(nx - px, py - ny))) < 2.0  # upright
    assert low["pelvis"][1] - poses(anim, "a")[0]["pelvis"][1] > 0.15 * H  # and down


@pytest.mark.parametrize("facing", ["front", "right"])
def test_jump_arms_neither_cross_nor_snap(facing: str) -> None:
    anim = compile_script(script(one(facing), [act("a", "jump", 0, 900, times=1)]))
    ps = poses(anim, "a")

    def arm(p: dict[str, tuple[float, float]], h: str) -> tuple[float, float]:
        return p[h][0] - p["neck"][0], p[h][1] - p["neck"][1]

    for a, b in zip(ps, ps[1:], strict=False):  # 24 fps: the hands swing up, no snap
        assert max(math.dist(arm(a, h), arm(b, h)) for h in ("hand_l", "hand_r")) < 0.3 * H
    if facing == "front":  # the left hand stays on the left (+x) side: no X
        assert all(p["hand_l"][0] > p["hand_r"][0] for p in ps)


@pytest.mark.parametrize(
    "before",
    [
        [act("a", "walk", 0, 2000, direction="right")],
        [act("a", "walk", 0, 2000, direction="left")],
        [act("a", "turn", 0, 500, direction="right")],
        [],
    ],
)
@pytest.mark.parametrize("action", ["wave", "clap", "dance", "jump", "point", "punch", "kick", "bow"])
def test_no_limb_through_its_own_head(before: list[dict[str, Any]], action: str) -> None:
    start = before[0]["duration"] if before else 0
    anim = compile_script(script(one(x=0.4), [*before, act("a", action, start, 2000)]))
    depth, where = quality.limb_through_head(anim)
    assert depth <= quality.THROUGH_HEAD, where


@given(
    st.sampled_from(["walk", "run"]),
    st.floats(0.1, 0.9),
    st.sampled_from(["left", "right", "away", None]),  # "toward" no one stops at the centre
    st.one_of(st.none(), st.floats(0.05, 0.6)),
    st.floats(1200, 6000),
)
@settings(max_examples=60, deadline=None, derandomize=True)
def test_walks_and_runs_keep_moving(kind: str, x: float, direction: str | None, distance: float | None,
                                    ms: float) -> None:  # fmt: skip
    params = {k: v for k, v in {"direction": direction, "distance": distance}.items() if v is not None}
    anim = compile_script(script(one("right", x), [act("a", kind, 0, ms, **params)]))
    (_, still, room, had), *_ = quality.stand_still(anim)
    assert still <= quality.still_limit(had) or room < 0.15, (still, room)


def test_toward_without_a_partner_stops_at_the_stage_centre() -> None:
    anim = compile_script(script(one("front", 0.1), [act("a", "walk", 0, 8000, direction="toward")]))
    xs = [p["pelvis"][0] for p in poses(anim, "a")]
    assert max(xs) <= anim.stage.width / 2 + 1.0 and xs[-1] > xs[0] + 0.5 * H


def _pelvis_speed(anim: Animation, who: str) -> float:
    """Fastest pelvis speed over any 0.25 s, units per ms."""
    ps, dt = poses(anim, who), 1000.0 / anim.fps
    k = round(250.0 / dt)
    return max(abs(ps[i + k]["pelvis"][0] - ps[i]["pelvis"][0]) / (k * dt) for i in range(len(ps) - k))


@pytest.mark.parametrize("action", sorted(INTERACTIONS))
def test_interactions_come_together_at_a_plausible_pace_and_touch(action: str) -> None:
    anim = compile_script(script(two(), [act("a", action, 0, 3500)]))
    assert quality.readability(anim) == []
    for who in ("a", "b"):
        assert _pelvis_speed(anim, who) <= 1.1 * RUN.speed


@pytest.mark.parametrize("action", ["punch", "kick"])
@pytest.mark.parametrize("facing_b", ["front", "left", "right"])
def test_aimed_blows_land_and_the_target_reacts(action: str, facing_b: str) -> None:
    anim = compile_script(script(two("right", facing_b), [act("a", action, 0, 3500, target="b")]))
    assert quality.check(anim) == []
    assert quality.readability(anim) == []
    (_, contact), *_ = quality.contact_distance(anim)
    (_, moved), *_ = quality.target_reaction(anim)
    assert contact <= quality.CONTACT and moved >= quality.REACTION


def test_a_blow_without_a_target_stays_in_place() -> None:
    anim = compile_script(script(two("right"), [act("a", "punch", 0, 1500)]))
    ps = poses(anim, "a")
    assert abs(ps[-1]["pelvis"][0] - ps[0]["pelvis"][0]) < 2.0
    assert quality.contact_distance(anim) == []


def test_a_pushed_figure_falls_away_from_the_pusher() -> None:
    s = script(two("right", "left"), [act("a", "push", 0, 3500, target="b"), act("b", "fall", 3500, 1500)])
    anim = compile_script(s)
    assert quality.check(anim) == [] and quality.readability(anim) == []
    last = poses(anim, "b")[-1]
    assert last["head"][0] > poses(anim, "a")[-1]["pelvis"][0] + 0.5 * H  # lying beyond, not on a


@pytest.mark.parametrize(("direction", "hand", "joint"), [("right", "right", "hand_r"), ("left", "left", "hand_l"),
                                                          ("right", "left", "hand_l"), (None, "left", "hand_l")])  # fmt: skip
def test_point_uses_the_named_hand(direction: str | None, hand: str, joint: str) -> None:
    params = {"hand": hand, **({"direction": direction} if direction else {})}
    anim = compile_script(script(one(), [act("a", "point", 0, 1500, **params)]))
    mid = poses(anim, "a")[len(poses(anim, "a")) // 2]
    other = "hand_l" if joint == "hand_r" else "hand_r"
    reach = {j: abs(mid[j][0] - mid["neck"][0]) for j in (joint, other)}
    assert reach[joint] > 0.25 * H > reach[other]


# --- random Scripts: plausible timings over the whole vocabulary but custom poses ---------------
@st.composite
def timed_action(draw: st.DrawFn, n_chars: int) -> dict[str, Any]:
    who = draw(st.sampled_from(ids[:n_chars]))
    names = [a for a in ACTIONS if a != "pose" and (n_chars > 1 or a not in INTERACTIONS)]
    name = draw(st.sampled_from(names))
    params: dict[str, Any] = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "hand": st.sampled_from(["left", "right", "both"]),
                "times": st.integers(1, MAX_TIMES),
                "direction": st.sampled_from(["left", "right", "toward", "away", "forward", "back"]),
                "distance": st.floats(0, 1),
            },
        )
    )
    others = [c for c in ids[:n_chars] if c != who]
    if name in INTERACTIONS or (others and draw(st.booleans())):
        params["target"] = draw(st.sampled_from(others))
    if name in SPEECH_ACTIONS:
        params["text"] = draw(st.sampled_from(["hi", "what a long day it has been"]))
    return {"character": who, "action": name, "start": draw(st.floats(0, 4000)),
            "duration": draw(st.floats(400, 3000)), "params": params}  # fmt: skip


@st.composite
def timed_scripts(draw: st.DrawFn) -> Any:
    n = draw(st.integers(1, 3))
    chars = [{"id": ids[i], "name": ids[i].upper(), "x": draw(st.floats(0, 1)),
              "facing": draw(st.sampled_from(["front", "left", "right"]))} for i in range(n)]  # fmt: skip
    scenes = [draw(st.lists(timed_action(n), max_size=5)) for _ in range(draw(st.integers(1, 2)))]
    return script(chars, *scenes)


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(timed_scripts(), st.sampled_from([12, 24, 30]))
def test_random_scripts_read(s: Any, fps: int) -> None:
    anim = compile_script(s, fps=fps)
    assert quality.check(anim) == []  # the invariants, foot slide included
    depth, where = quality.limb_through_head(anim)
    assert depth <= quality.THROUGH_HEAD, where


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(timed_scripts())
def test_random_scripts_never_overlap(s: Any) -> None:
    """Bodies never pass through each other, whatever the whole vocabulary has them do."""
    depth, where = quality.interpenetration(compile_script(s))
    assert depth <= quality.OVERLAP, where


# --- bodies never pass through each other: moving at the same time on crossing paths ----------
@pytest.mark.parametrize("kind", ["walk", "run", "jog"])
@pytest.mark.parametrize(("facing_a", "facing_b"), [("right", "left"), ("left", "right"), ("front", "front")])
@pytest.mark.parametrize("later", [0, 1000])
def test_crossing_paths_stop_short_of_each_other(kind: str, facing_a: str, facing_b: str, later: int) -> None:
    s = script(two(facing_a, facing_b), [act("a", kind, 0, 3000, direction="right", distance=0.6),
                                         act("b", kind, later, 3000, direction="left", distance=0.6)])  # fmt: skip
    anim = compile_script(s)
    depth, where = quality.interpenetration(anim)
    assert depth <= quality.OVERLAP, where
    assert quality.check(anim) == []
    a, b = (poses(anim, who)[-1]["pelvis"][0] / anim.stage.width for who in ("a", "b"))
    assert 0.3 + 0.3 * H / anim.stage.width < a < b < 0.7 - 0.3 * H / anim.stage.width  # both came


@pytest.mark.parametrize("kind", ["walk", "run"])
def test_a_faster_follower_stays_behind(kind: str) -> None:
    s = script(two("right", "right"), [act("a", kind, 0, 3000, direction="right", distance=0.7),
                                       act("b", "walk", 0, 3000, direction="right", distance=0.2)])  # fmt: skip
    anim = compile_script(s)
    depth, where = quality.interpenetration(anim)
    assert depth <= quality.OVERLAP, where
    assert quality.check(anim) == []


def _no_overlap(anim: Animation) -> None:
    depth, where = quality.interpenetration(anim)
    assert depth <= quality.OVERLAP, where
    assert quality.check(anim) == []


def _three(xs: tuple[float, float, float], facings: tuple[str, str, str]) -> list[dict[str, Any]]:
    return [
        {"id": c, "name": c.upper(), "x": x, "facing": f} for c, x, f in zip("abc", xs, facings, strict=True)
    ]


@pytest.mark.parametrize("kind", ["punch", "kick"])
@pytest.mark.parametrize("facing_b", ["front", "left", "right"])
def test_a_blow_never_goes_through_a_bystander(kind: str, facing_b: str) -> None:
    chars = _three((0.1, 0.4, 0.8), ("right", facing_b, "left"))
    _no_overlap(compile_script(script(chars, [act("a", kind, 0, 3000, target="c")])))


@pytest.mark.parametrize("facing", ["front", "right"])
def test_a_jump_forward_stops_short_of_a_neighbour(facing: str) -> None:
    chars = [{**c, "x": x} for c, x in zip(two(facing, "left"), (0.35, 0.5), strict=True)]
    _no_overlap(
        compile_script(script(chars, [act("a", "jump", 0, 2500, direction="right", distance=0.5, times=3)]))
    )


@pytest.mark.parametrize("direction", ["forward", "right", "left", None])
@pytest.mark.parametrize("x_b", [0.3, 0.42])
def test_a_fall_next_to_someone_lands_clear_of_them(direction: str | None, x_b: float) -> None:
    params = {"direction": direction} if direction else {}
    chars = [
        {"id": "a", "name": "A", "x": 0.2, "facing": "right"},
        {"id": "b", "name": "B", "x": x_b, "facing": "left"},
    ]
    _no_overlap(compile_script(script(chars, [act("a", "fall", 0, 2500, **params)])))


@pytest.mark.parametrize("action", ["lie_down", "sleep", "push_up", "sit"])
def test_getting_down_between_two_lands_clear_of_both(action: str) -> None:
    chars = _three((0.3, 0.45, 0.6), ("front", "right", "front"))
    _no_overlap(compile_script(script(chars, [act("b", action, 0, 3000)])))


@st.composite
def moving_scripts(draw: st.DrawFn) -> Any:
    n = draw(st.integers(2, 3))
    chars = [{"id": ids[i], "name": ids[i].upper(), "x": draw(st.floats(0.05, 0.95)),
              "facing": draw(st.sampled_from(["front", "left", "right"]))} for i in range(n)]  # fmt: skip
    moves = st.fixed_dictionaries(  # starts on a coarse grid: characters often move at the same time
        {
            "character": st.sampled_from(ids[:n]),
            "action": st.sampled_from(["walk", "run", "jog"]),
            "start": st.integers(0, 6).map(lambda k: 500.0 * k),
            "duration": st.floats(400, 3500),
            "params": st.fixed_dictionaries(
                {"direction": st.sampled_from(["left", "right", "toward", "away", "forward", "back"])},
                optional={"distance": st.floats(0.05, 1), "speed": st.floats(0.5, 2)},
            ),
        }
    )
    return script(chars, draw(st.lists(moves, min_size=2, max_size=6)))


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(moving_scripts())
def test_random_walks_never_pass_through_each_other(s: Any) -> None:
    anim = compile_script(s)
    depth, where = quality.interpenetration(anim)
    assert depth <= quality.OVERLAP, where
    assert quality.check(anim) == []


# --- at a stage edge --------------------------------------------------------------------------
def _shows(action: str, ps: list[dict[str, tuple[float, float]]]) -> float:
    """How much of `action` shows: a bow's (or a pose's) bend in degrees, a kick's foot lift, how
    far the head comes down for a push-up or lying down (stage units)."""
    if action in ("bow", "pose"):
        return max(math.degrees(math.atan2(abs(p["neck"][0] - p["pelvis"][0]), p["pelvis"][1] - p["neck"][1]))
                   for p in ps)  # fmt: skip
    if action == "kick":
        return max(ps[0]["foot_l"][1] - min(p["foot_l"][1], p["foot_r"][1]) for p in ps)
    return max(p["head"][1] for p in ps) - ps[0]["head"][1]


_AT_LEAST = {"bow": 20.0, "pose": 30.0, "kick": 40.0, "push_up": 60.0, "lie_down": 60.0}  # see _shows
_BEND = {"keyframes": [{"t": 0.5, "angles": {"torso": 80, "neck": 20, "shoulder_r": 90}}]}


@pytest.mark.parametrize(
    ("action", "ms"),
    [(a, ms) for a in ("bow", "kick", "push_up", "lie_down") for ms in (40, 60, 150, 700, 1500)]
    + [("pose", ms) for ms in (40, 300, 1200)],
)
@pytest.mark.parametrize(("x", "facing"), [(0.0, "left"), (1.0, "right")])
@pytest.mark.parametrize("start", [0, 400])
def test_at_a_stage_edge_facing_it_no_foot_slides_and_the_action_shows(
    action: str, ms: int, x: float, facing: str, start: int
) -> None:
    """Reaching toward the edge it faces, a figure is not pushed back on stage over its planted
    feet: it turns away, steps in first, or (no time for either) bends only as far as fits."""
    params = _BEND if action == "pose" else {}
    anims = [
        compile_script(script(one(facing, at), [act("a", action, start, ms, **params)])) for at in (x, 0.5)
    ]
    assert quality.check(anims[0]) == []
    edge, middle = (_shows(action, poses(a, "a")) for a in anims)
    assert edge >= min(0.5 * middle, _AT_LEAST[action])  # as at mid-stage, or bent as far as fits


@pytest.mark.parametrize(("x", "facing", "way"), [(0.0, "left", 1), (1.0, "right", -1)])
def test_a_pose_reaching_over_the_edge_steps_in_first_when_there_is_time(
    x: float, facing: str, way: int
) -> None:
    anim = compile_script(script(one(facing, x), [act("a", "pose", 0, 1200, **_BEND)]))
    assert quality.check(anim) == []
    ps = poses(anim, "a")
    assert way * (ps[-1]["pelvis"][0] - ps[0]["pelvis"][0]) > 10.0  # stepped in...
    assert _shows("pose", ps) >= 79.0  # ...and then bent all the way
    assert max(480.0 - min(p["foot_l"][1], p["foot_r"][1]) for p in ps) > 3.0  # a real step: a foot lifts


@pytest.mark.parametrize("ms", [1, 10, 100])
@pytest.mark.parametrize("start", [0, 600])
def test_a_turn_too_quick_to_hop_leaves_the_feet_where_they_are(ms: int, start: int) -> None:
    """A turn given less time than a hop airborne in a frame (it used to spin on the ground
    between two frames, the feet sliding round: ~7 units from the front, ~90 out of a split)."""
    acts = [act("a", "turn", start, ms, direction="right"), act("a", "nod", start + ms, 1000)]
    anim = compile_script(script(one(), acts))
    assert quality.foot_slide(anim) <= quality.SLIDE_TOLERANCE


def test_getting_down_right_after_a_cut_kick_keeps_the_standing_foot_put() -> None:
    """A kick cut short with its foot up (at the stage edge, a scene on), then a posture change
    stepping on that foot: the foot on the ground stays put (it used to slide ~26 units)."""
    chars = [
        {"id": "a", "name": "A", "x": 0.995, "facing": "front"},
        {"id": "b", "name": "B", "x": 0.0, "facing": "right"},
    ]
    acts = [
        act("a", "push", 0, 32, target="b"),
        act("b", "kick", 810, 906, target="a"),
        act("b", "push_up", 1154, 2448),
    ]
    anim = compile_script(script(chars, acts, acts))
    assert quality.foot_slide(anim) <= quality.SLIDE_TOLERANCE


def _planted_drift(samples: list[Any]) -> float:
    """The most any foot moves along the ground (within quality.GROUND_EPS of the lower foot)
    while it stays down, over motion samples (Poses: pelvis x plus joints relative to it)."""
    worst = 0.0
    for foot in ("foot_l", "foot_r"):
        drift, prev = 0.0, None
        for p in samples:
            low = max(p.rel["foot_l"][1], p.rel["foot_r"][1])  # y grows downward
            if p.rel[foot][1] >= low - quality.GROUND_EPS:
                x = p.x + p.rel[foot][0]
                drift += 0.0 if prev is None else abs(x - prev)
                prev, worst = x, max(worst, drift)
            else:
                drift, prev = 0.0, None
    return worst


@pytest.mark.parametrize("facing", [1.0, -1.0])
@pytest.mark.parametrize("hip", [4.0, 8.0])
def test_idle_after_a_step_cut_short_keeps_the_planted_foot_put(facing: float, hip: float) -> None:
    """An action stopped with one foot forward and raised by less than a unit: the Idle that
    follows brings that foot back (lifted, then straight down), the other one stays put (it used
    to settle on the mean of both feet, dragging the planted one 4-6 units)."""
    from stickanim_jupyter.motions.core import Idle, World
    from stickanim_jupyter.motions.rest import REST

    start = rig.Pose({**REST["stand"], "hip_r": hip}, 400.0, facing, 1 if facing > 0 else -1)
    idle = Idle(start, World(), 1000.0)
    assert _planted_drift([idle.sample(t) for t in range(0, 1001, 5)]) < 0.5


def test_idle_after_a_pose_cut_mid_swing_lands_the_foot_straight_down() -> None:
    """A quick pose cut while its leg is still swinging: the Idle settle lowers the foot onto
    its place from above, not sweeping in along the ground."""
    kf = [{"t": 0.3, "angles": {"hip_r": 90, "knee_l": 90, "elbow_l": -140}}]
    anim = compile_script(script(one("right"), [act("a", "pose", 0, 70, keyframes=kf)]))
    assert quality.foot_slide(anim) <= quality.SLIDE_TOLERANCE


@pytest.mark.parametrize("facing", ["left", "right", "front"])
def test_a_pose_whose_feet_change_gap_lands_the_foot_from_above(facing: str) -> None:
    """A custom pose that swings both legs while one foot lands beside the other: the body gets
    there first and the landing foot comes straight down (it used to sweep the last units along
    the ground as the standing leg moved under it), and channels asked past their limit are eased
    within it (no sudden sweep once a limit lets go)."""
    kf = [{"t": 0.05, "angles": {"hip_l": -282, "knee_l": -321}},
          {"t": 0.85, "angles": {"torso": -217, "knee_r": -265}},
          {"t": 0.95, "angles": {"hip_l": -282, "knee_l": -321}}]  # fmt: skip
    anim = compile_script(script(one(facing), [act("a", "pose", 0, 1900, keyframes=kf)]))
    assert quality.foot_slide(anim) <= quality.SLIDE_TOLERANCE


@pytest.mark.parametrize("facing", ["left", "right", "front"])
def test_standing_up_from_a_pose_with_a_foot_up_lands_it_from_above(facing: str) -> None:
    """A custom pose that leaves a leg raised, then a bow: getting back to standing first
    brings the foot down straight onto its place (it used to arc down and slide 5-6 units)."""
    kf = [{"t": 0.6, "angles": {"hip_r": 70, "knee_r": 20}}]
    acts = [act("a", "pose", 0, 700, keyframes=kf), act("a", "bow", 700, 1500)]
    anim = compile_script(script(one(facing), acts))
    assert quality.check(anim) == []


@pytest.mark.parametrize("posture", ["sit", "kneel", "squat"])
def test_a_walk_stops_short_of_someone_sitting_or_kneeling(posture: str) -> None:
    """Not only standing figures are in the way: a walk toward someone sitting, kneeling or
    squatting stops before their body (it used to walk through them)."""
    chars = [
        {"id": "a", "name": "A", "x": 0.3, "facing": "right"},
        {"id": "b", "name": "B", "x": 0.6, "facing": "front"},
    ]
    acts = [act("b", posture, 0, 1000), act("a", "walk", 1200, 2500, direction="right", distance=0.6)]
    anim = compile_script(script(chars, acts))
    assert quality.interpenetration(anim)[0] <= quality.OVERLAP
    assert quality.check(anim) == []


@pytest.mark.parametrize("then", ["kick", "walk"])
def test_kneeling_toward_someone_leaves_room_to_stand_up_again(then: str) -> None:
    """Kneeling steps onto the front foot and standing up rises over it: a figure kneels only
    where it has room to get up again (it used to rise into a neighbour standing close by)."""
    chars = [
        {"id": "a", "name": "A", "x": 0.29, "facing": "right"},
        {"id": "b", "name": "B", "x": 0.3, "facing": "left"},
    ]
    acts = [act("b", "kneel", 150, 1350), act("b", then, 2950, 2000, direction="back")]
    _no_overlap(compile_script(script(chars, acts)))


def test_lying_down_by_the_edge_next_to_someone_lies_clear_of_them() -> None:
    """No room on the stage behind and the neighbour close in front: it stays up rather than
    lying down across them (as it used to)."""
    chars = [
        {"id": "a", "name": "A", "x": 0.21, "facing": "right"},
        {"id": "b", "name": "B", "x": 0.29, "facing": "left"},
    ]
    _no_overlap(compile_script(script(chars, [act("a", "sleep", 0, 2700)])))


def test_a_walk_stops_short_of_where_someone_lying_stands_up() -> None:
    """A walk may step over someone lying, not stop on their feet: they stand up there (and
    used to stand up into the walker)."""
    chars = [
        {"id": "a", "name": "A", "x": 0.25, "facing": "right"},
        {"id": "b", "name": "B", "x": 0.7, "facing": "left"},
    ]
    acts = [act("a", "lie_down", 0, 2000), act("b", "jog", 2000, 1500, direction="toward", distance=0.6),
            act("a", "jog", 4000, 1500, direction="toward")]  # fmt: skip
    _no_overlap(compile_script(script(chars, acts)))
