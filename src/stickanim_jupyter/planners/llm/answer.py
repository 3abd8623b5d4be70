"""The LLM planner's answers: the JSON found, mended locally, validated, re-asked once.

An answer is read in steps: a refusal is reported as such (no re-ask); reasoning that used
the whole token budget too; then <think> reasoning and code fences are stripped, the JSON is
parsed (mended by json-repair when malformed) and brought into the Script's shape
(repair.normalize), and pydantic validates it. What was mended goes to meta.repairs. Only
what cannot be mended (or a cut-off answer) is re-asked, once, with the errors; then a
GenerationError that keeps the (redacted) raw text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ...errors import GenerationError, ValidationError
from ...schema import ACTIONS, Script
from ...secrets import redact
from ...text import clip, one_line
from ..base import PlanRun
from .prompt import build_messages, response_format
from .repair import normalize, read_json, strip_reasoning
from .target import Target
from .transport import MAX_RAW_ECHO, NO_FORMAT, Answer, complete, fit_context, format_key

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.S)
# How refusals begin, when a model writes one instead of the JSON it was asked for.
_REFUSAL = re.compile(
    r"^\W{0,3}(?:I['’]?m sorry|I am sorry|sorry[,.!]|I (?:can(?:no|['’])t|won['’]?t|am unable|'m unable|am not able)"
    r"|I must (?:decline|refuse)|As an AI|(?:很)?抱歉|对不起|我(?:不能|无法|不会))",
    re.I,
)


def extract_json(text: str) -> str:
    """The JSON object inside an answer: code fences stripped, surrounding prose dropped."""
    text = text.strip().lstrip("\ufeff")
    fenced = _FENCE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    elif text.startswith("```"):  # an opening fence whose closing one was cut off
        text = text.split("\n", 1)[1] if "\n" in text else ""
    if not text.startswith("{") and "{" in text:
        found = _script_object(text)
        if found is not None:
            return found
        start, end = text.find("{"), text.rfind("}")
        text = text[start : end + 1] if end > start else text[start:]
    return text


_OBJECT_START = re.compile(r'\{\s*"')
_SCRIPT_KEYS = ("scenes", "characters", "script", "title")


def _script_object(text: str) -> str | None:
    """The first complete JSON object with a Script's keys in prose that may hold other braces
    (reasoning whose <think> tags a client already removed: "so {a wave} ... {"title": ...}")."""
    decoder = json.JSONDecoder()
    for n, match in enumerate(_OBJECT_START.finditer(text)):
        if n >= 32:
            break
        try:
            value, end = decoder.raw_decode(text, match.start())
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict) and any(k in value for k in _SCRIPT_KEYS):
            return text[match.start() : end]
    return None


def parse_answer(answer: Answer, target: Target, repairs: list[str] | None = None) -> Script:
    """Validate an answer, mending what can be mended (noted in `repairs`).

    Raises GenerationError for a refusal or reasoning that used the whole budget (a re-ask
    would not help), ValidationError saying what is wrong otherwise (truncation included).
    """
    notes: list[str] = []
    text = strip_reasoning(answer.text, notes)
    _check_refusal(answer, text, target)
    if answer.finish_reason == "length":
        if "{" not in text and (answer.reasoning or text != answer.text or not text.strip()):
            raise GenerationError(
                f"{target.label}: the model's reasoning used all of max_tokens={target.pc.max_tokens} "
                "before it wrote the Script; raise max_tokens (or lower its reasoning effort)",
                raw=_raw(answer.reasoning or answer.text), provider=target.name,
            )  # fmt: skip
        raise ValidationError(
            f"the answer was cut off at max_tokens={target.pc.max_tokens} (finish_reason=length)"
        )
    body = extract_json(text)
    if not body:
        raise ValidationError("the answer was empty")
    try:
        data, json_error = read_json(body, notes)
    except (ValueError, RecursionError) as err:  # json.JSONDecodeError is a ValueError
        raise ValidationError(f"invalid Script: not valid JSON ({err})") from None
    try:
        data = normalize(data, notes)
    except RecursionError:  # a hostile shape: left as it is, for pydantic to report
        pass
    try:
        script = Script.parse(data)
    except ValidationError as err:
        if json_error:  # the mended JSON was a guess that did not hold: say what was wrong first
            raise ValidationError(f"invalid Script: not valid JSON ({json_error})") from None
        unknown = _unknown_actions(data)
        if unknown:  # pydantic's enum message lists what is allowed, not what was wrong
            raise ValidationError(f"unknown action(s) {', '.join(map(repr, unknown))}; {err}") from None
        raise
    if repairs is not None:
        repairs.extend(notes)
    return script


def _check_refusal(answer: Answer, text: str, target: Target) -> None:
    """A refusal (the provider's field, a content filter, or prose that begins like one)."""
    refusal = answer.refusal
    if not refusal and "{" not in text and _REFUSAL.match(text.strip()):
        refusal = text
    if not refusal and answer.finish_reason == "content_filter":
        refusal = text.strip() or "(the provider's content filter stopped the answer)"
    if refusal:
        raise GenerationError(
            f"{target.label}: the model refused: {clip(one_line(redact(refusal)), 200)}",
            raw=_raw(refusal), provider=target.name,
        )  # fmt: skip


def _raw(text: str) -> str:
    return redact(text[:MAX_RAW_ECHO], one_line=False)


def _unknown_actions(data: Any) -> list[str]:
    try:
        actions = [a.get("action") for s in data.get("scenes", []) for a in s.get("actions", [])]
    except (AttributeError, TypeError, RecursionError):  # not the Script's shape: no list
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
    """The Script `target` writes for `story`: asked, mended, validated, re-asked once with the errors."""
    messages = build_messages(story)
    fit = fit_context(lm, target, messages, run)
    if format_key(target) not in NO_FORMAT:  # a server that rejected it once is not sent it again
        fit["response_format"] = response_format()
    answer = complete(lm, target, messages, run, deadline, **fit)
    try:
        return _accept(answer, target, run)
    except ValidationError as err:
        first = err
    run.reasks += 1
    run.emit("reask", target, reason=str(first))
    if "response_format" in fit and format_key(target) in NO_FORMAT:
        fit.pop("response_format")
    answer = complete(lm, target, _reask_messages(messages, answer, first), run, deadline, **fit)
    try:
        return _accept(answer, target, run)
    except ValidationError as err:
        raw = redact(answer.text, run.secrets, one_line=False)
        msg = f"{target.label} did not return a valid Script after one re-ask: {one_line(err, 400)}"
        raise GenerationError(redact(msg, run.secrets), raw=raw, provider=target.name) from None


def _accept(answer: Answer, target: Target, run: PlanRun) -> Script:
    notes: list[str] = []
    try:
        script = parse_answer(answer, target, notes)
    except GenerationError as err:  # a refusal: scrubbed of the configured keys too
        raw = redact(err.raw or "", run.secrets, one_line=False)
        raise GenerationError(redact(str(err), run.secrets), raw=raw, provider=target.name) from None
    run.repairs.extend(notes)
    return script
