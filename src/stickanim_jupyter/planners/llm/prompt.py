"""The LLM planner's prompt: system prompt, examples, rules, response format, prompt version.

The rules text (with its per-action lines) lives in _RULES only: edit it there. Any edit
changes prompt_version(), which keys the Script cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
from typing import Any

from ... import actions
from ...schema import ACTIONS, POSE_CHANNELS, Script

PROMPT_LABEL = "script-v2"  # bump by hand when the prompt's meaning changes; the hash catches edits


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
                        {
                            "character": "char_1",
                            "action": "wave",
                            "start": 0,
                            "duration": 2000,
                            "params": {"hand": "right", "times": 2},
                        }
                    ],
                }
            ],
        },
    ),
    (
        "two people walk toward each other and shake hands",
        {
            "title": "Handshake",
            "description": "Two people meet in the middle and shake hands.",
            "characters": [
                {"id": "char_1", "name": "Anna", "color": "#E53935", "x": 0.2, "facing": "right"},
                {"id": "char_2", "name": "Ben", "color": "#1E88E5", "x": 0.8, "facing": "left"},
            ],
            "scenes": [
                {
                    "id": "scene_1",
                    "description": "They meet and shake hands",
                    "actions": [
                        {"character": "char_1", "action": "walk", "start": 0, "duration": 2000,
                         "params": {"direction": "toward", "target": "char_2"}},
                        {"character": "char_2", "action": "walk", "start": 0, "duration": 2000,
                         "params": {"direction": "toward", "target": "char_1"}},
                        {"character": "char_1", "action": "shake_hands", "start": 2000, "duration": 1500,
                         "params": {"target": "char_2"}},
                    ],
                }
            ],
        },
    ),
)  # fmt: skip

# The actions' lines of the rules, one per action or group of actions: the params each reads.
_ACTION_RULES = "".join(line + "\n" for line in actions.prompt_lines())  # one line per action group

_RULES = """\
You are the planner of a stick-figure animation engine. Turn the user's story into a Script.
Answer with one JSON object only: no prose, no code fences.

Script: {"title", "description", "characters": [...], "scenes": [...]}
- character: {"id": "char_1", "name", "color": "#RRGGBB", "x": start position 0..1 of the stage
  width (0 = left), "facing": "front"|"left"|"right"}; 1 to 8 characters, distinct colors.
- scene: {"id": "scene_1", "description", "actions": [...]}; optional "duration" (ms).
- action: {"character": id, "action": name, "start": ms from the scene start, "duration": ms,
  "params": {...}}. One character's actions follow each other (next start = previous start +
  duration); different characters may act at the same time.

Actions and the params they read (omit params you do not need):
ACTION_RULES

Rules:
- Only the action names above: ACTIONS.
- Counts ("three times", "三次") go into params.times; "then", "然后", "after that" mean a later start.
- About 1000-3000 ms per action; the whole story under 30000 ms; one scene unless place or time changes.
- Write title, description, character names and scene descriptions in the story's language;
  ids, action names and param values stay as above.
"""


@functools.cache
def system_prompt() -> str:
    rules = _RULES.replace("ACTION_RULES\n", _ACTION_RULES)
    rules = rules.replace("CHANNELS", ", ".join(POSE_CHANNELS)).replace("ACTIONS", ", ".join(ACTIONS))
    examples = "\n".join(
        f"\nStory: {story}\nScript: {json.dumps(script, ensure_ascii=False, separators=(',', ':'))}"
        for story, script in _EXAMPLES
    )
    return f"{rules}\nExamples:{examples}\n"


@functools.cache
def response_format() -> dict[str, Any]:
    # A JSON Schema, not bare json_object: Anthropic silently drops the latter.
    # strict=False: OpenAI's strict mode demands every field required, which the Script is not.
    return {
        "type": "json_schema",
        "json_schema": {"name": "Script", "schema": compact_schema(Script.json_schema()), "strict": False},
    }


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
