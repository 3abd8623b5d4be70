"""What one verb becomes: its action (or the closest one), the things it uses, its words, a note."""

from __future__ import annotations

import re
from typing import NamedTuple

from ...schema import ACTIONS
from ...text import clip
from . import speech
from .idioms import BY_NAME, depiction
from .inventory import choose
from .lexicon import _EN_DOUBLING, _EN_WORDS
from .model import _ThingMention

SPEECH = frozenset({"say", "think"})
_ZH_FIXED = {"问好": "你好！", "问候": "你好！", "道别": "再见！", "告别": "再见！", "道谢": "谢谢！",
             "致谢": "谢谢！", "道歉": "对不起！"}  # fmt: skip
_EN_FIXED = {"apologiz": "Sorry!", "apologis": "Sorry!", "thank": "Thank you!"}
_DEFAULT_TEXT = {True: "……", False: "..."}  # a bubble with no words given: zh, en
_NOTE_WORDS = 40  # characters of the story quoted in a note


class Use(NamedTuple):
    action: str
    obj: _ThingMention | None = None
    over: _ThingMention | None = None
    text: str | None = None
    fresh: _ThingMention | None = None  # a new thing for each actor: a phone each
    each: bool = False  # a group does it to each other, in turn
    note: str | None = None


def depict(
    action: str, idiom: str | None, verb: str, things: list[_ThingMention], zh: bool, said: list[speech.Said]
) -> Use:
    """`action`/`idiom` as the verb regex read `verb`; `things` the clause names near it."""
    found = BY_NAME.get(idiom or "")
    noted = False
    if found:
        action, noted = depiction(found)
        for kind, instead in found.by_kind:
            if instead in ACTIONS and any(t.kind == kind for t in things):
                action, noted = instead, False  # "plays football": kicking the ball is what it is
    obj, over = choose(action, things)
    text, quoted = _words(action, found.name if found else None, verb, zh, said)
    if found and found.zh_text and action in SPEECH and text is None:
        text = found.zh_text if zh else found.en_text
    if action in SPEECH and not text:
        text = _DEFAULT_TEXT[zh]
    fresh = None
    if found and found.kind and obj is None:
        fresh = _ThingMention("电话" if zh else "phone", found.kind)
    note = None
    if noted:
        shown = quoted or (verb + (_thing_words(obj or (things[0] if things else None), zh)))
        note = f"not understood: {clip(shown, _NOTE_WORDS)} — shown as {gerund(action)}"
    return Use(action, obj, over, text if action in SPEECH else None, fresh, bool(found and found.each), note)


def _words(
    action: str, idiom: str | None, verb: str, zh: bool, said: list[speech.Said]
) -> tuple[str | None, str]:
    """The bubble's words from a quote or a greeting; and the quote, for a note if it is not shown."""
    if idiom in ("said", "thought"):
        k = speech.index(verb)
        words = said[k].text if 0 <= k < len(said) else ""
        return (words or None), f'"{words}"'
    if idiom != "greeting":
        return None, ""
    if zh:
        if verb in _ZH_FIXED:
            return _ZH_FIXED[verb], ""
        return re.sub(r"^说(?:了|一声|了一声)?", "", verb) + "！", ""
    low = verb.lower()
    for stem, words in _EN_FIXED.items():
        if low.startswith(stem):
            return words, ""
    rest = " ".join(verb.split()[1:])
    return (rest[:1].upper() + rest[1:] + "!") if rest else None, ""


def _thing_words(thing: _ThingMention | None, zh: bool) -> str:
    if thing is None:
        return ""
    return thing.word if zh else f" the {thing.word}"


def gerund(action: str) -> str:
    """An action as "-ing" words for a note: point -> pointing, sit down -> sitting down."""
    words = (_EN_WORDS.get(action, (action.replace("_", " "),))[0]).split()
    first = words[0]
    if first == "lie":
        first = "lying"
    elif first.endswith("e") and not first.endswith("ee"):
        first = first[:-1] + "ing"
    elif first in _EN_DOUBLING:
        first = first + first[-1] + "ing"
    else:
        first += "ing"
    return " ".join([first, *words[1:]])
