"""Local repair of an LLM's answer: what a model gets slightly wrong is fixed here, not re-asked.

read_json: the JSON object of an answer, with <think> reasoning dropped and malformed JSON
(comments, trailing commas, missing quotes...) mended by json-repair when strict parsing
fails. normalize: the parsed answer brought into the Script's shape: a {"script": {...}}
wrapper unwrapped, nulls (strict mode's "not set") dropped, strict mode's flat pose keyframes
folded back, action-level params moved into params, unknown keys dropped, missing ids given,
names turned into ids, action synonyms and Chinese names read through the registry's words,
times in seconds turned into milliseconds, over-long speech clipped.

Every repair that changes meaning appends a plain sentence to `notes` (meta.repairs). Only the
Script's known structure is walked (a hostile answer's deep nesting is left to pydantic).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, TypeGuard

from ...schema import (
    ACTIONS,
    MAX_SPEECH_CHARS,
    POSE_CHANNELS,
    Action,
    ActionParams,
    Character,
    Prop,
    Scene,
    Script,
)
from ...text import clip
from .strict import unflatten
from .words import action_for

MAX_REPAIR_CHARS = 100_000  # json-repair is pure Python: longer text is no Script to mend
MAX_NOTES = 12
_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.S | re.I)
_THINK_CLOSE = re.compile(r"</(?:think|thinking|reasoning)>", re.I)
_THINK_OPEN = re.compile(r"<(?:think|thinking|reasoning)>", re.I)
_WRAPPERS = ("script", "data", "result", "output", "response", "animation", "json")
_FIELDS = {
    "script": set(Script.model_fields),
    "character": set(Character.model_fields),
    "prop": set(Prop.model_fields),
    "scene": set(Scene.model_fields),
    "action": set(Action.model_fields),
    "params": set(ActionParams.model_fields),
    "keyframe": {"t", "angles"},
}
# Keys models use for a field: renamed, with a note.
_RENAMES = {
    "action": {"type": "action", "verb": "action", "name": "action", "actor": "character", "who": "character",
               "character_id": "character", "start_ms": "start", "duration_ms": "duration",
               "parameters": "params", "args": "params"},
    "character": {"character_id": "id", "colour": "color"},
    "scene": {"scene_id": "id", "duration_ms": "duration", "steps": "actions"},
    "prop": {"prop_id": "id", "type": "kind"},
}  # fmt: skip
_UNIT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|秒|毫秒)\s*$", re.I)
SECONDS_BELOW = 60  # an action shorter than this many "ms" was written in seconds (< 2 frames)


def strip_reasoning(text: str, notes: list[str]) -> str:
    """Drop <think>...</think> reasoning (or everything up to a lone closing tag)."""
    if "<" not in text:
        return text
    out = _THINK.sub("", text)
    close = list(_THINK_CLOSE.finditer(out))
    if close:  # the opening tag was in the prompt template, or cut: keep what follows the last
        out = out[close[-1].end() :]
    elif _THINK_OPEN.search(out):  # reasoning that never closed: no answer after it
        out = out[: _THINK_OPEN.search(out).start()]  # type: ignore[union-attr]
    if out != text:
        note(notes, "dropped the model's <think> reasoning")
    return out


def read_json(body: str, notes: list[str]) -> tuple[Any, str | None]:
    """(data, the strict parser's error when json-repair had to mend it); raises ValueError."""
    try:
        return json.loads(body, parse_constant=_reject_constant), None
    except json.JSONDecodeError as err:  # a syntax error: mendable; NaN or 5000 digits are not
        first = err
    if len(body) > MAX_REPAIR_CHARS or "{" not in body:
        raise first
    try:
        import json_repair

        data = json_repair.loads(body, skip_json_loads=True)
    except Exception:  # json-repair gave up (or hit its recursion limit): the strict error stands
        raise first from None
    if not isinstance(data, dict) or not data or not _finite(data):
        raise first
    note(notes, f"mended malformed JSON ({first.msg} at line {first.lineno} column {first.colno})")
    return data, f"{first.msg}: line {first.lineno} column {first.colno} (char {first.pos})"


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed")


def _finite(node: Any, depth: int = 0) -> bool:
    if depth > 64:
        return False
    if isinstance(node, float):
        return math.isfinite(node)
    if isinstance(node, dict):
        return all(_finite(v, depth + 1) for v in node.values())
    if isinstance(node, list):
        return all(_finite(v, depth + 1) for v in node)
    return True


def note(notes: list[str], text: str) -> None:
    if text not in notes and len(notes) < MAX_NOTES:
        notes.append(clip(text, 160))


# --- the Script's shape ---------------------------------------------------------------------
def normalize(data: Any, notes: list[str]) -> Any:
    """The answer in the Script's shape, as far as it can be mended (see the module doc)."""
    data = _unwrap(data, notes)
    if not isinstance(data, dict):
        return data
    data = _known(data, "script", "", notes)
    characters = _items(data, "characters", "character", "char", notes)
    props = _items(data, "props", "prop", "prop", notes)
    scenes = _items(data, "scenes", "scene", "scene", notes)
    for character in characters:
        if "name" not in character and isinstance(character.get("id"), str):
            character["name"] = character["id"]
    refs = _References(characters, props)
    actions = []
    for i, scene in enumerate(scenes):
        items = scene.get("actions")
        if not isinstance(items, list):
            continue
        for j, action in enumerate(items):
            if isinstance(action, dict):
                items[j] = action = _action(action, f"scenes[{i}].actions[{j}]", refs, notes)
                actions.append(action)
    _seconds(scenes, actions, notes)
    return data


def _unwrap(data: Any, notes: list[str]) -> Any:
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict) or "scenes" in data:
        return data
    inner = [(k, v) for k, v in data.items() if isinstance(v, dict) and "scenes" in v]
    if len(inner) == 1 and (len(data) == 1 or str(inner[0][0]).lower() in _WRAPPERS):
        note(notes, f'unwrapped the Script from {{"{clip(str(inner[0][0]), 20)}": ...}}')
        return inner[0][1]
    return data


def _known(node: dict, kind: str, where: str, notes: list[str]) -> dict:
    """`node` without nulls, with known renames applied and unknown keys dropped (noted)."""
    fields, renames = _FIELDS[kind], _RENAMES.get(kind, {})
    out = {k: v for k, v in node.items() if k in fields and v is not None}
    for key, value in node.items():
        if key in fields or value is None:  # None: strict mode's "not set", like a field left out
            continue
        name = renames.get(key)
        if name and name not in out:
            out[name] = value
            note(notes, f"read {where or 'the Script'}'s {clip(str(key), 20)!r} as {name!r}")
        else:
            note(notes, f"dropped unknown key {clip(str(key), 30)!r} from {where or 'the Script'}")
    return out


def _items(data: dict, key: str, kind: str, prefix: str, notes: list[str]) -> list[dict]:
    """The dicts of data[key], each cleaned of unknown keys and given an id when it has none."""
    items = data.get(key)
    if not isinstance(items, list):
        return []
    out = []
    taken = {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            continue
        item = items[n - 1] = _known(item, kind, f"{key}[{n - 1}]", notes)
        if not isinstance(item.get("id"), str) or not item["id"].strip():
            item["id"] = _free(f"{prefix}_{n}", taken)
            taken.add(item["id"])
            note(notes, f"gave {key} without an id one ({prefix}_N)")
        out.append(item)
    return out


def _free(name: str, taken: set) -> str:
    out, n = name, 1
    while out in taken:
        n += 1
        out = f"{name}_{n}"
    return out


class _References:
    """Ids of the characters and props, and the names, kinds or differently cased ids models write."""

    def __init__(self, characters: list[dict], props: list[dict]) -> None:
        self.characters = {c["id"] for c in characters}
        self.props = {p["id"] for p in props}
        self.character_names = _names(characters, ("id", "name"))
        self.prop_names = _names(props, ("id", "name", "kind"))

    def character(self, ref: Any) -> Any:
        if not isinstance(ref, str) or ref in self.characters:
            return ref
        return self.character_names.get(_key(ref), ref)

    def prop(self, ref: Any) -> Any:
        if not isinstance(ref, str) or ref in self.props:
            return ref
        return self.prop_names.get(_key(ref), ref)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _names(items: list[dict], fields: tuple[str, ...]) -> dict[str, str]:
    """casefolded name -> id, for names that point at one item only."""
    seen: dict[str, set[str]] = {}
    for item in items:
        for f in fields:
            if isinstance(item.get(f), str):
                seen.setdefault(_key(item[f]), set()).add(item["id"])
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def _action(action: dict, where: str, refs: _References, notes: list[str]) -> dict:
    params = action.get("params")
    params = dict(params) if isinstance(params, dict) else {}
    moved = [k for k in action if k in _FIELDS["params"] and k not in _FIELDS["action"]]
    for k in moved:  # {"action": "wave", "times": 3}: a param at the action's level
        params.setdefault(k, action.pop(k))
    if moved:
        note(notes, f"moved {', '.join(moved)} into params ({where})")
    action = _known(action, "action", where, notes)
    params = _known(params, "params", f"{where}.params", notes)
    _action_name(action, params, notes)
    _references(action, params, refs, notes)
    _speech(params, notes)
    if isinstance(params.get("keyframes"), list):
        params["keyframes"] = [_keyframe(k, f"{where}.keyframes", notes) for k in params["keyframes"]]
    action["params"] = params
    return action


def _keyframe(keyframe: Any, where: str, notes: list[str]) -> Any:
    """A pose keyframe in the Script's form: strict mode's flat channels folded into angles."""
    if not isinstance(keyframe, dict):
        return keyframe
    keyframe = _known(unflatten(keyframe, POSE_CHANNELS), "keyframe", where, notes)
    if isinstance(keyframe.get("angles"), dict):
        keyframe["angles"] = {k: v for k, v in keyframe["angles"].items() if v is not None}
    return keyframe


def _action_name(action: dict, params: dict, notes: list[str]) -> None:
    name = action.get("action")
    if not isinstance(name, str) or name in ACTIONS:
        return
    found = action_for(name)
    if found is None:
        return
    action["action"], direction = found
    if direction and "direction" not in params:
        params["direction"] = direction
    note(notes, f"read action {clip(name, 30)!r} as {found[0]!r}" + (f" ({direction})" if direction else ""))


def _references(action: dict, params: dict, refs: _References, notes: list[str]) -> None:
    for holder, key, find in ((action, "character", refs.character), (params, "target", refs.character),
                              (params, "object", refs.prop), (params, "over", refs.prop)):  # fmt: skip
        ref = holder.get(key)
        found = find(ref)
        if found != ref:
            holder[key] = found
            note(notes, f"read {key} {clip(str(ref), 30)!r} as the id {found!r}")
    target = params.get("target")
    if isinstance(target, str) and target not in refs.characters and refs.prop(target) in refs.props:
        params.pop("target")  # a thing is no partner: it is what the action uses
        params.setdefault("object", refs.prop(target))
        note(notes, f"moved the thing {clip(target, 30)!r} from params.target to params.object")


def _speech(params: dict, notes: list[str]) -> None:
    text = params.get("text")
    if isinstance(text, str) and len(" ".join(text.split())) > MAX_SPEECH_CHARS:
        params["text"] = clip(" ".join(text.split()), MAX_SPEECH_CHARS)
        note(notes, f"clipped speech over {MAX_SPEECH_CHARS} characters")


def _seconds(scenes: list[dict], actions: list[dict], notes: list[str]) -> None:
    """Times written as "2s" or "1500 ms", or in seconds (every duration under 60), become ms."""
    holders = [(a, k) for a in actions for k in ("start", "duration")] + [(s, "duration") for s in scenes]
    for holder, key in holders:
        value = holder.get(key)
        if isinstance(value, str) and (m := _UNIT.match(value)):
            number, unit = float(m.group(1)), m.group(2).lower()
            holder[key] = number if unit in ("ms", "毫秒") or unit.startswith("milli") else number * 1000
            note(notes, f"read times with units ({clip(value, 12)!r}) as milliseconds")
    durations = [a.get("duration") for a in actions]
    numbers = [d for d in durations if _number(d)]
    if not numbers or not all(0 < d < SECONDS_BELOW for d in numbers):
        return
    for holder, key in holders:
        if _number(holder.get(key)) and holder[key] > 0:
            holder[key] = round(holder[key] * 1000, 3)
    note(
        notes,
        f"read times in seconds as milliseconds (durations {', '.join(f'{d:g}' for d in numbers[:3])} s)",
    )


def _number(v: Any) -> TypeGuard[float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
