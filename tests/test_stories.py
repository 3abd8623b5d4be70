"""Every example story of tests/stories.yml, end to end with the local planner.

The stories file is a copy of the shared one; its motion properties are in words, so
CHECKS maps each story to the numeric checks of tests/props.py that say the same thing.
"""

from __future__ import annotations

from pathlib import Path

import props
import pytest
import yaml

from stickanim_jupyter import generate, quality
from stickanim_jupyter.errors import StoryError

STORIES = yaml.safe_load((Path(__file__).parent / "stories.yml").read_text(encoding="utf-8"))
GOOD = [s for s in STORIES if "error" not in s]
BAD = [s for s in STORIES if "error" in s]


def _handshake(anim):
    start, _ = props.action_window(anim, "shake_hands")
    props.assert_approach(anim, 0, 1, until=start)
    props.assert_hands_meet(anim, 0, 1)


def _sit_stand_bow(anim):
    bow_start, _ = props.action_window(anim, "bow")
    props.assert_sits_and_rises(anim, 0, before=bow_start)
    props.assert_bows(anim, 0)


def _alice_bob(anim):
    props.assert_names(anim, "Alice", "Bob")
    props.assert_runs_away(anim, "Bob", "Alice")


def _hostile(anim):
    # The local planner keeps only what it understood (a wave); that markup in titles and
    # descriptions shows as text and never runs is asserted in the browser and export tests.
    props.assert_waves(anim, 0)


CHECKS = {
    "一个人挥手": lambda a: props.assert_waves(a, 0, min_reversals=2),
    "a person waves three times": lambda a: props.assert_waves(a, 0, min_reversals=5),
    "一个人从左边走到右边": lambda a: (
        props.assert_moves(a, 0, direction=1),
        props.assert_feet_alternate(a, 0),
    ),
    "two people walk toward each other and shake hands": _handshake,
    "小明跳了三下": lambda a: props.assert_jumps(a, 0, count=3),
    "a woman sits down, then stands up and bows": _sit_stand_bow,
    "两个小朋友拍手": lambda a: (props.assert_claps(a, 0), props.assert_claps(a, 1)),
    "Alice waves at Bob, then Bob runs away": _alice_bob,
    "一个人摔倒了然后爬起来": lambda a: props.assert_falls_and_rises(a, 0),
    "<img src=x onerror=alert(1)> 挥手 {not_a_variable}": _hostile,
}


def _in_order(found: list[str], wanted: list[str]) -> bool:
    it = iter(found)
    return all(any(x == w for x in it) for w in wanted)


def test_every_story_has_checks():
    assert {s["story"] for s in GOOD} == set(CHECKS)


@pytest.mark.parametrize("entry", GOOD, ids=[s["story"] for s in GOOD])
def test_story(entry):
    anim = generate(entry["story"], provider="local", seed=1)
    assert len(anim.characters) == entry["characters"]
    actions = [a.action for scene in anim.script.scenes for a in sorted(scene.actions, key=lambda a: a.start)]
    assert _in_order(actions, entry["actions"]), f"{actions} does not contain {entry['actions']} in order"
    CHECKS[entry["story"]](anim)
    assert quality.check(anim) == []


@pytest.mark.parametrize("entry", BAD, ids=[repr(s["story"]) for s in BAD])
def test_bad_story(entry):
    with pytest.raises(StoryError) as info:
        generate(entry["story"], provider="local")
    assert str(info.value) == entry["error"]
