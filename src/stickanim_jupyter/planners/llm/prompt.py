"""The LLM planner's prompt: system prompt, examples, rules, response format, prompt version.

The prompt teaches what a model most often gets wrong: ids (not names), milliseconds, no
extra keys; things (props, params.object/over), words (say/think, params.text) and notes.

The rules text (with its per-action lines) lives in _RULES only: edit it there. Any edit
changes prompt_version(), which keys the Script cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

from ... import actions
from ...schema import ACTIONS, POSE_CHANNELS, PROP_KINDS, SPEECH_ACTIONS, Script
from .strict import strict_schema

PROMPT_LABEL = "script-v3"  # bump by hand when the prompt's meaning changes; the hash catches edits


_EXAMPLES = (
    (
        "一个人挥手",
        {
            "title": "挥手",
            "description": "一个人站着挥手。",
            "characters": [{"id": "char_1", "name": "小人", "color": "#2196F3", "x": 0.5, "facing": "front"}],
            "scenes": [
                {
                    "id": "scene_1",
                    "description": "挥手",
                    "actions": [
                        {"character": "char_1", "action": "wave", "start": 0, "duration": 2000,
                         "params": {"hand": "right", "times": 2}},
                    ],
                }
            ],
        },
    ),
    (
        "Anna sits on a bench. Later Ben arrives, says hi and they shake hands while her dog barks.",
        {
            "title": "Meeting at the bench",
            "description": "Anna waits on a bench; later Ben comes and they shake hands.",
            "characters": [
                {"id": "char_1", "name": "Anna", "color": "#E53935", "x": 0.3, "facing": "right"},
                {"id": "char_2", "name": "Ben", "color": "#1E88E5", "x": 0.9, "facing": "left"},
            ],
            "props": [{"id": "prop_1", "kind": "chair", "name": "bench", "x": 0.3}],
            "scenes": [
                {
                    "id": "scene_1",
                    "description": "Anna sits on the bench",
                    "actions": [
                        {"character": "char_1", "action": "sit", "start": 0, "duration": 1500,
                         "params": {"object": "prop_1"}},
                    ],
                },
                {
                    "id": "scene_2",
                    "description": "Ben arrives, says hi and they shake hands",
                    "actions": [
                        {"character": "char_1", "action": "stand_up", "start": 0, "duration": 1200},
                        {"character": "char_2", "action": "walk", "start": 0, "duration": 2000,
                         "params": {"direction": "toward", "target": "char_1"}},
                        {"character": "char_2", "action": "say", "start": 2000, "duration": 1500,
                         "params": {"text": "Hi, Anna!"}},
                        {"character": "char_2", "action": "shake_hands", "start": 3500, "duration": 2000,
                         "params": {"target": "char_1"}},
                    ],
                },
            ],
            "notes": ["No dog figure: the dog is left out."],
        },
    ),
)  # fmt: skip

# The actions' lines of the rules, one per action or group of actions: the params each reads.
_ACTION_RULES = "".join(line + "\n" for line in actions.prompt_lines())  # one line per action group
_SPEECH_RULE = "- say, think: text (required: the words, at most 80 characters), shown in a bubble\n"

_RULES = """\
You are the planner of a stick-figure animation engine. Turn the user's story into a Script.
Answer with one JSON object only: no prose, no code fences, no keys other than those below.

Script: {"title", "description", "characters": [...], "props": [...], "scenes": [...], "notes": [...]}
- character: {"id": "char_1", "name", "color": "#RRGGBB", "x": start position 0..1 of the stage
  width (0 = left), "facing": "front"|"left"|"right"}; 1 to 8 characters, distinct colors.
- prop, a thing on the stage (never a character): {"id": "prop_1", "kind", "name": the story's
  word, "x": 0..1}; kind: KINDS (a bench is a chair, a stone a ball); [] when none.
- scene: {"id": "scene_1", "description", "actions": [...]}; optional "duration" (ms).
- action: {"character": a character's id, "action": name, "start": ms from the scene start,
  "duration": ms, "params": {...}}. One character's actions follow each other (next start =
  previous start + duration); different characters may act at the same time.
- notes: plain sentences on what the story asks and the Script cannot show; [] when none.

Actions and the params they read (omit params you do not need):
ACTION_RULES\
Any action may name the thing it uses in params.object (a prop id): sit on a chair, kick a
ball; a jump names what it jumps over in params.over.

Rules:
- Refer to characters and props by their ids ("char_1", "prop_1"), never by their names.
- Times are whole milliseconds: 2000 for two seconds, never 2 or "2s".
- Only the action names above: ACTIONS.
- Counts ("three times", "三次") go into params.times; "then", "然后", "after that" mean a later start.
- About 1000-3000 ms per action; the whole story under 30000 ms; a new scene only when place or time changes.
- Write title, description, names, speech, notes and scene descriptions in the story's language;
  ids, action names and param values stay as above.
"""


def _speaks() -> bool:
    return SPEECH_ACTIONS <= set(ACTIONS)


def _example(script: dict[str, Any]) -> dict[str, Any]:
    """An example without actions the vocabulary lacks (say/think come with their registry entries)."""
    scenes = [{**s, "actions": [a for a in s["actions"] if a["action"] in ACTIONS]} for s in script["scenes"]]
    return {**script, "scenes": scenes}


@functools.cache
def system_prompt() -> str:
    action_rules = _ACTION_RULES + (_SPEECH_RULE if _speaks() and "say" not in _ACTION_RULES else "")
    rules = _RULES.replace("ACTION_RULES", action_rules).replace("KINDS", ", ".join(PROP_KINDS))
    rules = rules.replace("CHANNELS", ", ".join(POSE_CHANNELS)).replace("ACTIONS", ", ".join(ACTIONS))
    examples = "\n".join(
        f"\nStory: {story}\nScript: {json.dumps(_example(script), ensure_ascii=False, separators=(',', ':'))}"
        for story, script in _EXAMPLES
    )
    return f"{rules}\nExamples:{examples}\n"


@functools.cache
def response_format() -> dict[str, Any]:
    """The Script's strict JSON Schema (strict.py): OpenAI and compatibles enforce it (strict),
    LiteLLM sends it to Anthropic as native structured output and to Ollama as `format`.
    A JSON Schema, not bare json_object: Anthropic silently drops the latter."""
    schema = strict_schema(Script.json_schema())
    return {"type": "json_schema", "json_schema": {"name": "Script", "schema": schema, "strict": True}}


def compact_schema(node: Any, *, in_properties: bool = False) -> Any:
    """Drop pydantic's auto-generated "title" annotations: ~40% of the schema's tokens, no meaning.

    Inside a "properties" mapping the keys are field names (a field may be called "title").
    """
    if isinstance(node, list):
        return [compact_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for k, v in node.items():
        if k == "title" and not in_properties and isinstance(v, str):
            continue
        out[k] = compact_schema(v, in_properties=(k in ("properties", "$defs") and not in_properties))
    return out


@functools.cache
def prompt_version() -> str:
    """A label plus a hash of the prompt and schema: any edit invalidates cached Scripts."""
    blob = system_prompt() + json.dumps(response_format(), sort_keys=True)
    return f"{PROMPT_LABEL}-{hashlib.sha256(blob.encode()).hexdigest()[:12]}"


def build_messages(story: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": system_prompt()}, {"role": "user", "content": story}]
