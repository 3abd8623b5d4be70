"""The LLM planner's answers: the JSON found (code fences stripped), validated, re-asked once.

Truncation (finish_reason == "length") and invalid output get one re-ask with the errors;
then a GenerationError that keeps the (redacted) raw text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ...errors import GenerationError, ValidationError
from ...schema import ACTIONS, Script
from ...secrets import redact
from ...text import one_line
from ..base import PlanRun
from .prompt import build_messages, response_format
from .target import Target
from .transport import MAX_RAW_ECHO, Answer, complete, fit_context

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.S)


def extract_json(text: str) -> str:
    """The JSON object inside an answer: code fences stripped, surrounding prose dropped."""
    text = text.strip().lstrip("\ufeff")
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    elif text.startswith("```"):  # an opening fence whose closing one was cut off
        text = text.split("\n", 1)[1] if "\n" in text else ""
    if not text.startswith("{") and "{" in text:
        start, end = text.find("{"), text.rfind("}")
        text = text[start : end + 1] if end > start else text[start:]
    return text


def parse_answer(answer: Answer, target: Target) -> Script:
    """Validate an answer; raises ValidationError saying what is wrong (truncation included)."""
    if answer.finish_reason == "length":
        raise ValidationError(
            f"the answer was cut off at max_tokens={target.pc.max_tokens} (finish_reason=length)"
        )
    body = extract_json(answer.text)
    if not body:
        raise ValidationError("the answer was empty")
    try:
        return Script.parse(body)
    except ValidationError as err:
        unknown = _unknown_actions(body)
        if unknown:  # pydantic's enum message lists what is allowed, not what was wrong
            raise ValidationError(f"unknown action(s) {', '.join(map(repr, unknown))}; {err}") from None
        raise


def _unknown_actions(body: str) -> list[str]:
    try:
        data = json.loads(body)
        actions = [a.get("action") for s in data.get("scenes", []) for a in s.get("actions", [])]
    except (ValueError, AttributeError, TypeError, RecursionError):  # deeply nested JSON: no list
        return []
    return sorted({str(a) for a in actions if a not in ACTIONS})


def _reask_messages(messages: list[dict], answer: Answer, err: ValidationError) -> list[dict]:
    if answer.finish_reason == "length":
        # Resending the cut-off half helps nobody; ask afresh for less (one user turn: some
        # providers reject two user messages in a row).
        note = "(A previous answer was cut off at the length limit: write a shorter Script, fewer actions, short texts.)"
        system, user = messages[0], messages[-1]
        return [system, {"role": "user", "content": f"{user['content']}\n\n{note}"}]
    note = (
        f"That was not a valid Script: {err}. Reply with the corrected Script as one JSON object, "
        "using only the allowed action names and parameters."
    )
    return [*messages, {"role": "assistant", "content": answer.text[:MAX_RAW_ECHO] or "(empty)"},
            {"role": "user", "content": note}]  # fmt: skip


def ask_for_script(lm: Any, target: Target, story: str, run: PlanRun, deadline: float) -> Script:
    """The Script `target` writes for `story`: asked, validated, re-asked once with the errors."""
    messages = build_messages(story)
    fit = {**fit_context(lm, target, messages, run), "response_format": response_format()}
    answer = complete(lm, target, messages, run, deadline, **fit)
    try:
        return parse_answer(answer, target)
    except ValidationError as err:
        first = err
    run.reasks += 1
    run.emit("reask", target, reason=str(first))
    answer = complete(lm, target, _reask_messages(messages, answer, first), run, deadline, **fit)
    try:
        return parse_answer(answer, target)
    except ValidationError as err:
        raw = redact(answer.text, run.secrets, one_line=False)
        msg = f"{target.label} did not return a valid Script after one re-ask: {one_line(err, 400)}"
        raise GenerationError(redact(msg, run.secrets), raw=raw, provider=target.name) from None
