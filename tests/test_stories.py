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


# --- things and words ---------------------------------------------------------------------
def _prop_track(anim, kind: str) -> list[tuple[float, float, float]]:
    """The first `kind` prop's places, frame by frame over all scenes."""
    pid = next(p.id for p in anim.props if p.kind == kind)
    return [tuple(f.props[pid]) for scene in anim.scenes for f in scene.frames]


def _pelvis_x(anim, who) -> list[float]:
    return [s.pose["pelvis"][0] for s in props.track(anim, who)]


def _walks_to_the_board(anim):
    board_x = _prop_track(anim, "board")[0][0]
    xs = _pelvis_x(anim, 0)
    assert abs(board_x - xs[-1]) < abs(board_x - xs[0]) - 50  # closer by at least 50 units
    assert abs(board_x - xs[-1]) > 60  # in front of the board, not inside it


def _pushes_the_car(anim):
    car = [x for x, _, _ in _prop_track(anim, "car")]
    assert abs(car[-1] - car[0]) > 10  # the car moves with the hands


def _phone_call(anim):
    said = sorted((sp for scene in anim.scenes for sp in scene.speech), key=lambda sp: sp.start)
    assert {sp.character for sp in said} == {c.id for c in anim.characters}
    assert said[1].start >= said[0].end  # in turn, not both at once
    assert "punch" not in [a.action for scene in anim.script.scenes for a in scene.actions]


def _sits_on_the_bench(anim):
    bench_x = _prop_track(anim, "chair")[-1][0]
    assert abs(_pelvis_x(anim, 0)[-1] - bench_x) < 40  # seated over the bench
    track = props.track(anim, 0)
    assert track[-1].pose["pelvis"][1] > track[0].pose["pelvis"][1] + 20  # it went down


def _lifts(kind: str):
    def check(anim):
        ground = anim.stage.ground_y
        assert min(y for _, y, _ in _prop_track(anim, kind)) < ground - 50  # lifted off the ground

    return check


def _thrown(anim):
    places = _prop_track(anim, "ball")
    assert abs(places[-1][0] - places[0][0]) > 100  # it flew
    assert abs(places[-1][1] - anim.stage.ground_y) < 1  # and landed


def _in_turn(anim):
    first_end = props.action_window(anim, "run", nth=0)[1]
    second = props.track(anim, 1)
    before = [s.pose["pelvis"][0] for s in second if s.t <= first_end - 50]
    assert max(before) - min(before) < 5  # the second kid waits for the first


def _alice_says_hello(anim):
    said = [sp for scene in anim.scenes for sp in scene.speech]
    assert said[0].character == props.char_id(anim, "Alice") and said[0].text == "hello"
    props.assert_waves(anim, "Bob")


def _jumps_over_the_box(anim):
    box_x = _prop_track(anim, "box")[0][0]
    xs = _pelvis_x(anim, 0)
    assert (xs[0] - box_x) * (xs[-1] - box_x) < 0  # from one side of the box to the other
    props.assert_jumps(anim, 0, count=1)


def _things_and_words(anim, entry) -> None:
    """What stories.yml says of props, speech and notes; every prop in every frame, none underground."""
    if "props" in entry:
        assert [p.kind for p in anim.props] == entry["props"]
    said = [sp for scene in anim.scenes for sp in scene.speech]
    assert len(said) >= entry.get("speech", 0)
    if "notes" in entry:
        assert bool(anim.meta.notes) == entry["notes"], anim.meta.notes
    ids = {p.id for p in anim.props}
    for scene in anim.scenes:
        for frame in scene.frames:
            assert set(frame.props) == ids
            assert all(y <= anim.stage.ground_y + 0.5 for _, y, _ in frame.props.values())


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
    "老师走到白板前，指着白板": _walks_to_the_board,
    "a man pushes a car": _pushes_the_car,
    "两个人在打电话": _phone_call,
    "a boy sits on a bench": _sits_on_the_bench,
    "爷爷坐在沙发上看报纸": _lifts("book"),
    "a man drinks a cup of tea": _lifts("cup"),
    "a girl throws a stone": _thrown,
    "a woman waters the flowers": lambda a: None,  # the note is checked for every story
    "the kids run in turn": _in_turn,
    "学生们跳舞": lambda a: None,
    'Alice says "hello" to Bob, then Bob waves': _alice_says_hello,
    "小明跳过箱子": _jumps_over_the_box,
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
    _things_and_words(anim, entry)
    assert quality.check(anim) == []


@pytest.mark.parametrize("entry", BAD, ids=[repr(s["story"]) for s in BAD])
def test_bad_story(entry):
    with pytest.raises(StoryError) as info:
        generate(entry["story"], provider="local")
    assert str(info.value) == entry["error"]
