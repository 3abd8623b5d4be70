"""The Script's JSON Schema in the form strict structured output accepts, and its inverse.

One transformer from pydantic's schema (Script.model_json_schema()) to the subset that OpenAI's
strict mode, vLLM's grammar backends, Ollama's `format` and Anthropic's native output format
(through LiteLLM) all accept:

- every property required; a field that defaults to None is nullable instead of optional
  (a field with another default is required as it is: the model writes its value);
- additionalProperties false everywhere; no default, no title, no propertyNames, no
  minLength/maxLength (pydantic checks those after);
- an open mapping with a closed key list (a pose keyframe's angles) becomes fixed nullable
  keys, flattened into its parent so nesting stays within MAX_DEPTH objects.

Answers in this form are read back by `unflatten` (and nulls are dropped before validation);
pydantic validates the result against the real Script, as for any answer.
"""

from __future__ import annotations

import copy
from typing import Any

MAX_DEPTH = 5  # nested objects: OpenAI's strict mode long allowed no more
_DROP = frozenset({"title", "default", "propertyNames", "minLength", "maxLength", "examples"})
# (definition, property) pairs whose fixed keys are flattened into the definition.
FLATTENED = (("PoseKeyframe", "angles"),)


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """pydantic's JSON Schema of a model, rewritten for strict structured output."""
    out = copy.deepcopy(schema)
    defs = out.get("$defs", {})
    for name, prop in FLATTENED:
        if name in defs:
            _flatten(defs[name], prop)
    out = _walk(out)
    depth = nesting(out)
    if depth > MAX_DEPTH:  # a model change made the Script deeper: flatten more (FLATTENED)
        raise ValueError(f"the strict schema nests {depth} objects; at most {MAX_DEPTH}")
    return out


def _walk(node: Any) -> Any:
    if isinstance(node, list):
        return [_walk(v) for v in node]
    if not isinstance(node, dict):
        return node
    if isinstance(node.get("additionalProperties"), dict) and "propertyNames" in node:
        node = _fixed_keys(node)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP:
            continue
        if key in ("properties", "$defs"):  # a mapping of names (a field may be called "title")
            out[key] = {name: _walk(sub) for name, sub in value.items()}
        else:
            out[key] = _walk(value)
    if "properties" in out:
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    return out


def _fixed_keys(node: dict[str, Any]) -> dict[str, Any]:
    """{"additionalProperties": V, "propertyNames": {"enum": K}} -> an object of nullable K keys."""
    value, keys = node["additionalProperties"], node["propertyNames"].get("enum", [])
    rest = {k: v for k, v in node.items() if k not in ("additionalProperties", "propertyNames")}
    return {**rest, "type": "object", "properties": {k: _nullable(value) for k in keys}}


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [copy.deepcopy(node), {"type": "null"}]}


def _flatten(definition: dict[str, Any], prop: str) -> None:
    """Move the fixed keys of `definition[prop]` up into `definition` (an open mapping's keys)."""
    props = definition.get("properties", {})
    inner = props.pop(prop, None)
    if not isinstance(inner, dict):
        return
    if isinstance(inner.get("additionalProperties"), dict) and "propertyNames" in inner:
        inner = _fixed_keys(inner)
    props.update(inner.get("properties", {}))
    if prop in definition.get("required", []):
        definition["required"] = [r for r in definition["required"] if r != prop]


def unflatten(keyframe: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """A pose keyframe written in the strict (flat) form, back in the Script's: {"t", "angles"}."""
    if "angles" in keyframe or not any(k in keyframe for k in keys):
        return keyframe
    angles = {k: keyframe[k] for k in keys if keyframe.get(k) is not None}
    rest = {k: v for k, v in keyframe.items() if k not in keys}
    return {**rest, "angles": angles}


def nesting(node: Any) -> int:
    """How many objects nest in a schema (through $defs references), at the deepest."""
    defs = node.get("$defs", {}) if isinstance(node, dict) else {}

    def depth(n: Any, seen: frozenset[str]) -> int:
        if isinstance(n, list):
            return max((depth(v, seen) for v in n), default=0)
        if not isinstance(n, dict):
            return 0
        ref = n.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            return 0 if name in seen else depth(defs.get(name, {}), seen | {name})
        here = 1 if "properties" in n else 0
        subs = [v for k, v in n.items() if k != "$defs"]
        if "properties" in n:
            subs = [*n["properties"].values(), *(v for k, v in n.items() if k not in ("properties", "$defs"))]
        return here + max((depth(v, seen) for v in subs), default=0)

    return depth(node, frozenset())
