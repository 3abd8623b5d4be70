"""The motion properties of tests/stories.yml, on hand-written Scripts like a planner's.

Each test compiles the Script a planner would produce for one story and checks the story's
motion properties numerically with the helpers of tests/props.py (reusable on any planner's
output). A last group checks that the helpers really fail on animations without the motion.
"""

from __future__ import annotations

from typing import Any

import pytest
from props import (
    action_window,
    assert_approach,
    assert_bows,
    assert_claps,
    assert_falls_and_rises,
    assert_feet_alternate,
    assert_hands_meet,
    assert_jumps,
    assert_moves,
    assert_names,
    assert_no_foot_slide,
    assert_runs_away,
    assert_sits_and_rises,
    assert_waves,
)

from stickanim_jupyter import quality
from stickanim_jupyter.compiler import compile_script
from stickanim_jupyter.schema import Animation, Script


def compile_(characters: list[dict[str, Any]], *scenes: list[dict[str, Any]]) -> Animation:
    script = Script.parse(
        {
            "title": "t",
            "characters": characters,
            "scenes": [{"id": f"scene_{i + 1}", "actions": acts} for i, acts in enumerate(scenes)],
        }
    )
    anim = compile_script(script)
    assert quality.check(anim) == []
    return anim


ONE = [{"id": "char_1", "name": "火柴人", "x": 0.5, "facing": "front"}]
TWO = [
    {"id": "char_1", "name": "A", "x": 0.3, "facing": "front"},
    {"id": "char_2", "name": "B", "x": 0.7, "facing": "front"},
]


def act(who: str, action: str, start: float, duration: float, **params: Any) -> dict[str, Any]:
    return {"character": who, "action": action, "start": start, "duration": duration, "params": params}


def test_wave_hand_rises_and_moves_side_to_side() -> None:  # 一个人挥手
    anim = compile_(ONE, [act("char_1", "wave", 0, 2000, hand="right")])
    assert_waves(anim, 0, min_reversals=2)


@pytest.mark.parametrize("facing", ["front", "right", "left"])
def test_three_waves_change_direction_five_times(facing: str) -> None:  # a person waves three times
    anim = compile_([{**ONE[0], "facing": facing}], [act("char_1", "wave", 0, 2500, hand="right", times=3)])
    assert_waves(anim, 0, min_reversals=5)


def test_walk_left_to_right() -> None:  # 一个人从左边走到右边
    chars = [{"id": "char_1", "name": "人", "x": 0.15, "facing": "front"}]
    anim = compile_(chars, [act("char_1", "walk", 0, 4000, direction="right", distance=0.7)])
    assert_moves(anim, 0, direction=1, min_fraction=0.5)
    assert_feet_alternate(anim, 0, min_switches=4)
    assert_no_foot_slide(anim, 0)


def test_walk_toward_each_other_then_shake_hands() -> None:
    anim = compile_(
        TWO,
        [
            act("char_1", "walk", 0, 2000, direction="toward"),
            act("char_2", "walk", 0, 2000, direction="toward"),
            act("char_1", "shake_hands", 2000, 2000, target="char_2"),
        ],
    )
    start, _ = action_window(anim, "shake_hands")
    assert_approach(anim, 0, 1, until=start)
    assert_hands_meet(anim, 0, 1, "shake_hands", ("hand_r", "hand_r"))
    for who in (0, 1):
        assert_no_foot_slide(anim, who)


def test_shake_hands_from_afar_brings_them_together() -> None:  # no walk first: the action approaches
    anim = compile_(TWO, [act("char_2", "shake_hands", 0, 3000, target="char_1")])
    assert_approach(anim, 0, 1, until=1500)
    assert_hands_meet(anim, 1, 0, "shake_hands")


def test_jump_three_times() -> None:  # 小明跳了三下
    anim = compile_([{"id": "char_1", "name": "小明"}], [act("char_1", "jump", 0, 2400, times=3)])
    assert_jumps(anim, 0, count=3)


def test_sit_stand_up_then_bow() -> None:  # a woman sits down, then stands up and bows
    anim = compile_(
        [{"id": "char_1", "name": "woman", "facing": "front"}],
        [
            act("char_1", "sit", 0, 1500),
            act("char_1", "stand_up", 1500, 1500),
            act("char_1", "bow", 3000, 1500),
        ],
    )
    bow_start, _ = action_window(anim, "bow")
    assert_sits_and_rises(anim, 0, before=bow_start)
    assert_bows(anim, 0)


def test_two_children_clap() -> None:  # 两个小朋友拍手
    anim = compile_(TWO, [act("char_1", "clap", 0, 2000, times=4), act("char_2", "clap", 0, 2000, times=4)])
    for who in (0, 1):
        assert_claps(anim, who, min_claps=3)


def test_clap_in_profile() -> None:
    chars = [{**TWO[0], "facing": "right"}, {**TWO[1], "facing": "left"}]
    anim = compile_(chars, [act("char_1", "clap", 0, 2000), act("char_2", "clap", 0, 2000)])
    for who in (0, 1):
        assert_claps(anim, who, min_claps=2)


def test_alice_waves_then_bob_runs_away() -> None:  # Alice waves at Bob, then Bob runs away
    chars = [{"id": "alice", "name": "Alice", "x": 0.35}, {"id": "bob", "name": "Bob", "x": 0.6}]
    anim = compile_(
        chars,
        [
            act("alice", "wave", 0, 1500, hand="right", target="bob"),
            act("bob", "run", 1500, 2000, direction="away"),
        ],
    )
    assert_names(anim, "Alice", "Bob")
    assert_waves(anim, "Alice")
    assert_runs_away(anim, "Bob", "Alice")
    assert_no_foot_slide(anim, "Bob")


def test_fall_then_get_up() -> None:  # 一个人摔倒了然后爬起来
    anim = compile_(ONE, [act("char_1", "fall", 0, 1500), act("char_1", "stand_up", 1500, 2500)])
    assert_falls_and_rises(anim, 0)


def test_story_across_scenes() -> None:  # the same properties hold when actions are split over scenes
    anim = compile_(
        TWO,
        [
            act("char_1", "walk", 0, 2000, direction="toward"),
            act("char_2", "walk", 0, 2000, direction="toward"),
        ],
        [act("char_1", "shake_hands", 0, 2000, target="char_2")],
    )
    start, _ = action_window(anim, "shake_hands")
    assert_approach(anim, 0, 1, until=start)
    assert_hands_meet(anim, 0, 1)


# --- the helpers are real checks: they fail where the motion is missing --------------------
@pytest.fixture(scope="module")
def idle_two() -> Animation:
    return compile_(
        TWO, [act("char_1", "idle", 0, 3000), act("char_1", "shake_hands", 3000, 10, target="char_2")]
    )  # a 10 ms "handshake": no time for hands to meet


@pytest.mark.parametrize(
    "check",
    [
        lambda a: assert_waves(a, 0),
        lambda a: assert_moves(a, 0),
        lambda a: assert_feet_alternate(a, 0),
        lambda a: assert_jumps(a, 0, 1),
        lambda a: assert_sits_and_rises(a, 0),
        lambda a: assert_claps(a, 0, 1),
        lambda a: assert_runs_away(a, 1, 0),
        lambda a: assert_falls_and_rises(a, 0),
        lambda a: assert_approach(a, 0, 1, until=2000),
        lambda a: assert_hands_meet(a, 0, 1),
        lambda a: assert_names(a, "Alice"),
    ],
)
def test_helpers_reject_an_idle_animation(idle_two: Animation, check: Any) -> None:
    with pytest.raises(AssertionError):
        check(idle_two)


def test_bow_helper_rejects_a_nod() -> None:
    anim = compile_(ONE, [act("char_1", "nod", 0, 1500)])
    with pytest.raises(AssertionError):
        assert_bows(anim, 0)  # no bow in the script at all
    script = anim.script.model_copy(deep=True)
    script.scenes[0].actions[0].action = "bow"  # a "bow" window over a nod's frames
    with pytest.raises(AssertionError, match="forward|down"):
        assert_bows(anim.model_copy(update={"script": script}), 0)
