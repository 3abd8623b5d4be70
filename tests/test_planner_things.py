"""The local planner with things and words: nouns become props (never characters), groups,
in turn / together / in place / over, speech from quotes and reported words, and notes for
what it cannot depict."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stickanim_jupyter.planners.local import plan
from stickanim_jupyter.planners.local.speech import clean, extract
from stickanim_jupyter.schema import ACTIONS, MAX_PROPS, MAX_SPEECH_CHARS, Action, Script


def acts(script: Script) -> list[Action]:
    return sorted((a for s in script.scenes for a in s.actions), key=lambda a: a.start)


def named(script: Script, action: str) -> list[Action]:
    return [a for a in acts(script) if a.action == action]


def prop(script: Script, prop_id: str | None):
    found = [p for p in script.props if p.id == prop_id]
    assert found, f"no prop {prop_id!r} in {script.props}"
    return found[0]


def valid(script: Script) -> Script:
    assert Script.parse(script.model_dump_json()) == script
    return script


# --- things are things, never characters ----------------------------------------------------
@pytest.mark.parametrize(
    ("story", "characters", "uses"),
    [
        ("老师走到白板前，指着白板", 1, [("walk", "board", "白板"), ("point", "board", "白板")]),
        ("a man pushes a car", 1, [("push", "car", "car")]),
        ("a boy sits on a bench", 1, [("sit", "chair", "bench")]),
        ("爷爷坐在沙发上看报纸", 1, [("sit", "chair", "沙发"), ("read", "book", "报纸")]),
        ("a man drinks a cup of tea", 1, [("drink", "cup", "cup of tea")]),
        ("a girl throws a stone", 1, [("throw", "ball", "stone")]),
        ("小明踢球", 1, [("kick", "ball", "球")]),
        ("she opens the door", 1, [("open", "door", "door")]),
        ("a boy climbs the ladder", 1, [("climb", "ladder", "ladder")]),
        ("小红拿起杯子，喝水", 1, [("pick_up", "cup", "杯子"), ("drink", "cup", "水")]),
        ("he picks up the box and carries it", 1, [("pick_up", "box", "box"), ("carry", "box", "box")]),
        ("Alice reads a newspaper", 1, [("read", "book", "newspaper")]),
        ("the boy lies on the bed", 1, [("lie_down", "bed", "bed")]),
    ],
)
def test_a_thing_is_a_prop_the_action_uses(
    story: str, characters: int, uses: list[tuple[str, str, str]]
) -> None:
    script = valid(plan(story))
    assert len(script.characters) == characters, [c.name for c in script.characters]
    for action, kind, name in uses:
        found = named(script, action)
        assert found, f"{story}: no {action} in {[a.action for a in acts(script)]}"
        thing = prop(script, found[0].params.object)
        assert (thing.kind, thing.name) == (kind, name)
        assert found[0].params.target is None  # a thing is never a target
    assert script.notes == []


def test_the_same_word_is_the_same_thing() -> None:
    script = plan("老师走到白板前，指着白板")
    assert [p.name for p in script.props] == ["白板"]
    walk, point = named(script, "walk")[0], named(script, "point")[0]
    assert walk.params.object == point.params.object == "prop_1"


def test_a_walk_to_a_thing_stops_in_front_of_it() -> None:
    script = plan("a teacher walks to the board and points at it")
    board = script.props[0]
    walk = named(script, "walk")[0]
    teacher = script.characters[0]
    sign = 1 if walk.params.direction == "right" else -1
    end = teacher.x + sign * (walk.params.distance or 0)
    assert (board.x - teacher.x) * sign > 0  # toward the board
    assert 0.05 < abs(board.x - end) < 0.2  # in front of it, not inside it
    assert named(script, "point")[0].params.direction == walk.params.direction


def test_a_chair_stands_under_its_sitter() -> None:
    script = plan("a boy sits on a bench")
    assert script.props[0].x == script.characters[0].x


def test_a_phone_call_is_no_punch() -> None:
    script = valid(plan("两个人在打电话"))
    assert len(script.characters) == 2
    assert "punch" not in [a.action for a in acts(script)]
    says = named(script, "say")
    assert len(says) == 2 and all(a.params.text for a in says)
    phones = [prop(script, a.params.object) for a in says]
    assert [p.kind for p in phones] == ["phone", "phone"] and phones[0].id != phones[1].id


def test_a_thing_is_no_partner_for_a_hug() -> None:
    script = valid(plan("Alice hugs the tree"))
    assert [c.name for c in script.characters] == ["Alice"]
    assert [a.action for a in acts(script)] == ["walk"]
    assert script.props[0].kind == "tree"
    assert any("hug" in n and "tree" in n for n in script.notes)


def test_things_are_capped() -> None:
    words = "ball box chair table bed door tree ladder book cup board car phone flower stone bench sofa"
    script = valid(plan(f"There is a {', a '.join(words.split())}. A boy waves."))
    assert len(script.props) <= MAX_PROPS


def test_a_thing_in_a_story_with_no_action_still_stands_there() -> None:
    script = valid(plan("桌子上有一本书"))
    assert {p.kind for p in script.props} == {"table", "book"}
    assert script.notes  # nothing was done: a note says so


# --- groups -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("story", "count"),
    [
        ("学生们跳舞", 3),
        ("孩子们拍手", 3),
        ("the students clap", 2),
        ("three friends wave", 3),
        ("kids jump", 2),
    ],
)
def test_a_plural_is_a_group_of_two_to_four(story: str, count: int) -> None:
    script = plan(story)
    assert len(script.characters) == count
    assert len({a.character for a in acts(script)}) == count


@pytest.mark.parametrize(
    "story", ["the kids jump in turn", "孩子们轮流跳", "three friends wave one after another"]
)
def test_in_turn_is_one_after_another_not_a_turn(story: str) -> None:
    script = valid(plan(story))
    timeline = acts(script)
    assert "turn" not in [a.action for a in timeline]
    assert len(timeline) >= 2
    for before, after in zip(timeline, timeline[1:], strict=False):
        assert after.start >= before.end - 1e-6


@pytest.mark.parametrize("story", ["three friends walk together", "三个朋友一起向右走"])
def test_together_moves_as_one(story: str) -> None:
    walks = named(plan(story), "walk")
    assert len(walks) == 3
    assert len({(a.start, a.params.direction, a.params.distance) for a in walks}) == 1


@pytest.mark.parametrize(
    ("story", "action"),
    [("he runs in place", "run"), ("孩子们原地跑步", "run"), ("she jogs on the spot", "jog")],
)
def test_in_place(story: str, action: str) -> None:
    moves = named(valid(plan(story)), action)
    assert moves and all(a.params.in_place and a.params.distance is None for a in moves)


@pytest.mark.parametrize("story", ["小明跳过箱子", "a boy jumps over the box"])
def test_a_jump_over_a_thing(story: str) -> None:
    script = valid(plan(story))
    jump = named(script, "jump")[0]
    box = prop(script, jump.params.over)
    assert box.kind == "box"
    start = script.characters[0].x
    sign = 1 if jump.params.direction == "right" else -1
    assert (box.x - start) * sign > 0  # the box lies ahead
    assert (start + sign * (jump.params.distance or 0) - box.x) * sign > 0  # it lands past it


# --- words ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("story", "kind", "text", "target"),
    [
        ("小明说：你好", "say", "你好", None),
        ("小明对小红说：“你好，小红！”", "say", "你好，小红！", "小红"),
        ('Alice says "hi" to Bob', "say", "hi", "Bob"),
        ('"See you!" said Tom.', "say", "See you!", None),
        ("Tom says hello to Amy", "say", "Hello!", "Amy"),
        ("Bob says: see you later.", "say", "see you later", None),
        ("小红心想：明天要下雨", "think", "明天要下雨", None),
        ("he thinks it is late", "think", "it is late", None),
    ],
)
def test_speech_becomes_a_bubble(story: str, kind: str, text: str, target: str | None) -> None:
    script = valid(plan(story))
    said = named(script, kind)
    assert said and said[0].params.text == text
    names = {c.id: c.name for c in script.characters}
    assert (names.get(said[0].params.target) if said[0].params.target else None) == target
    assert script.notes == []


def test_speech_keeps_what_follows() -> None:
    assert [a.action for a in acts(plan("He thinks it is late, then runs away."))] == ["think", "run"]
    assert [a.action for a in acts(plan("小明说：“你好，小红。”然后挥手"))] == ["say", "wave"]


def test_people_talking_take_turns() -> None:
    script = valid(plan("小明和小红聊天"))
    says = named(script, "say")
    assert len(says) == 2 and says[1].start >= says[0].end
    assert says[0].params.target == says[1].character


def test_long_speech_is_clipped_with_a_note() -> None:
    words = "la " * 60
    script = valid(plan(f'Alice says "{words}"'))
    text = named(script, "say")[0].params.text
    assert text and len(text) <= MAX_SPEECH_CHARS and text.endswith("…")
    assert any("cut to" in n for n in script.notes)


def test_markup_never_reaches_a_bubble() -> None:
    script = valid(plan('Alice says "<b>hi</b> &amp; <script>x</script>bye"'))
    text = named(script, "say")[0].params.text or ""
    assert "<" not in text and "&amp;" not in text and "hi" in text


@given(st.text(max_size=200))
def test_clean_text_is_always_a_valid_bubble(text: str) -> None:
    words, _ = clean(text)
    assert len(words) <= MAX_SPEECH_CHARS and "<b>" not in words


def test_extract_keeps_the_story_around_the_words() -> None:
    text, said = extract('Alice says "Hi, Bob." and waves')
    assert [s.text for s in said] == ["Hi, Bob."]
    assert "waves" in text and "Hi" not in text


@pytest.mark.parametrize(
    ("story", "action", "text"),
    [
        ("小明问小红", "say", "？"),
        ("小明说再见", "say", "再见！"),
        ("小明向老师问好", "say", "你好！"),
        ("Bob replies", "say", "..."),
        ("a girl sings", "say", "La la la!"),
        ("she apologizes", "say", "Sorry!"),
        ("the kids play football", "kick", None),
    ],
)
def test_everyday_verbs_outside_the_vocabulary_that_it_can_show(
    story: str, action: str, text: str | None
) -> None:
    script = valid(plan(story))
    found = named(script, action)
    assert found and found[0].params.text == text
    assert script.notes == []


def test_the_story_cannot_forge_speech_markers() -> None:
    script = valid(plan("\ue000\ue100 Alice waves \ue001\ue105"))
    assert [a.action for a in acts(script)] == ["wave"]


# --- what it cannot depict ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("story", "word"),
    [
        ("a woman waters the flowers", "waters"),
        ("妈妈在浇花", "浇"),
        ("爸爸在打扫", "打扫"),
        ("a man cooks", "cooks"),
    ],
)
def test_an_unknown_verb_gets_the_closest_depiction_and_a_note(story: str, word: str) -> None:
    script = valid(plan(story))
    assert [a.action for a in acts(script)] != ["idle"]
    assert any(n.startswith("not understood:") and word in n and "shown as" in n for n in script.notes)


@pytest.mark.parametrize(("story", "animal"), [("a dog runs", "dog"), ("小猫爬树", "小猫")])
def test_an_animal_is_a_person_with_a_note(story: str, animal: str) -> None:
    script = valid(plan(story))
    assert any(animal in n and "person" in n for n in script.notes)


@pytest.mark.parametrize("story", ["The weather is nice today", "今天天气很好", "a man fixes the car"])
def test_an_idle_figure_always_has_a_note(story: str) -> None:
    script = valid(plan(story))
    assert script.notes and "not understood" in script.notes[0]


WORDS = [
    "小明", "小红", "老师", "学生们", "他", "白板", "沙发", "球", "椅子", "报纸", "电话", "门", "说：", "“你好”",
    "打电话", "浇花", "轮流", "一起", "原地", "跳过", "箱子", "，", "。", "然后", "Alice", "Bob", "the", "ball",
    "bench", "says", '"hi"', "thinks", "in turn", "together", "in place", "over", "the box", "a dog", "kids",
    "waters", "the flowers", "<b>", "\n", "'", '"', "\ue000", "\ue100", "问", "sings", "plays", "hugs",
]  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join).filter(lambda s: s.strip() != "")
)
def test_any_story_with_things_and_words_gives_a_valid_script(story: str) -> None:
    script = valid(plan(story))
    assert plan(story) == script
    props = {p.id for p in script.props}
    chars = {c.id for c in script.characters}
    for a in acts(script):
        assert a.params.object in props | {None} and a.params.over in props | {None}
        assert a.params.target in chars | {None}
        if a.action in ("say", "think"):
            assert a.params.text


def test_new_actions_are_known() -> None:
    assert {"say", "think", "read", "drink", "throw", "climb"} <= set(ACTIONS)


@pytest.mark.parametrize(
    "story", ["a girl throws a ball to a boy and he catches it", "小红把球扔给小明，小明接住了球"]
)
def test_a_ball_thrown_to_someone_who_catches_it_ends_in_their_hands(story: str) -> None:
    from stickanim_jupyter import generate

    anim = generate(story)
    (ball,) = anim.props
    last = anim.scenes[-1].frames[-1]
    x, y, _ = last.props[ball.id]
    hands = [last.poses["char_2"][h] for h in ("hand_l", "hand_r")]
    assert (
        min(abs(hx - x) + abs(hy - (y - ball.height / 2)) for hx, hy in hands) < 40
    )  # held, not on the floor
    assert y < anim.stage.ground_y - 20
