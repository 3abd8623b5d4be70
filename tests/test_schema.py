"""The Script contract: what validates, what is rejected, and with which message."""

from __future__ import annotations

import copy
import json

import pytest
from llmserver import WAVE_SCRIPT

from stickanim_jupyter.errors import StoryError, ValidationError
from stickanim_jupyter.schema import MAX_CHARACTERS, MAX_STORY_CHARS, Script, check_story

SEED_SCRIPT = WAVE_SCRIPT  # the README's example Script


def with_change(path: str, value) -> dict:
    """A copy of the seed Script with one field (dotted path) replaced."""
    data = copy.deepcopy(SEED_SCRIPT)
    *parents, last = path.split(".")
    node = data
    for p in parents:
        node = node[int(p)] if p.isdigit() else node[p]
    node[int(last) if last.isdigit() else last] = value
    return data


def test_seed_example_validates_and_round_trips():
    script = Script.parse(SEED_SCRIPT)
    assert script.scenes[0].actions[0].params.times == 3
    assert Script.parse(script.model_dump_json()) == script


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        ("scenes.0.actions.0.action", "fly", "action"),
        ("scenes.0.actions.0.character", "char_9", "unknown character 'char_9'"),
        ("scenes.0.actions.0.start", -5, "start"),
        ("scenes.0.actions.0.start", 1e12, "start"),
        ("scenes.0.actions.0.duration", 0, "duration"),
        ("scenes.0.actions.0.duration", float("inf"), "duration"),
        ("scenes.0.actions.0.params.times", 1000, "times"),
        ("characters.0.color", "red; background:url(x)", "color"),
        ("characters.0.color", "#12345", "color"),
        ("characters.0.x", 7, "x"),
        ("characters", [], "characters"),
        ("characters", [{"id": f"c{i}", "name": "n"} for i in range(MAX_CHARACTERS + 1)], "characters"),
    ],
)
def test_rejections_name_the_field(path, value, fragment):
    with pytest.raises(ValidationError) as info:
        Script.parse(with_change(path, value))
    message = str(info.value)
    assert fragment in message and "\n" not in message


def test_nan_in_json_text_is_rejected():
    text = json.dumps(SEED_SCRIPT).replace('"start": 0', '"start": NaN')
    with pytest.raises(ValidationError, match="NaN"):
        Script.parse(text)


def test_interactions_need_a_known_target():
    data = with_change("scenes.0.actions.0.action", "shake_hands")
    with pytest.raises(ValidationError, match="target"):
        Script.parse(data)
    data["scenes"][0]["actions"][0]["params"]["target"] = "char_1"
    with pytest.raises(ValidationError, match="itself"):
        Script.parse(data)


def test_total_duration_is_capped():
    scene = SEED_SCRIPT["scenes"][0]
    scenes = [dict(scene, id=f"s{i}", duration=60_000) for i in range(4)]
    with pytest.raises(ValidationError, match="total duration"):
        Script.parse(with_change("scenes", scenes))


def test_json_schema_is_ready_for_an_llm():
    schema = Script.json_schema()
    assert schema["type"] == "object" and {"characters", "scenes"} <= set(schema["required"])
    json.dumps(schema)  # serialisable as a response_format


@pytest.mark.parametrize("story", ["", "   ", "\n\t "])
def test_empty_story(story):
    with pytest.raises(StoryError, match="^the story is empty$"):
        check_story(story)


def test_long_story():
    with pytest.raises(StoryError, match="too long"):
        check_story("x" * (MAX_STORY_CHARS + 1))
    assert check_story("  一个人挥手 \n") == "一个人挥手"
