"""Action names as models write them, read through the action registry's words.

"waving", "Wave", "walk_forward", "turn-left", "handshake", "high five", "挥手", "走路": each
becomes a Script action (and a direction when the word carries one), using the registry's
Chinese patterns, English verbs and caption words; None when nothing fits.
"""

from __future__ import annotations

import functools
import re

from ... import actions

_DIRECTIONS = {
    "left": "left", "right": "right", "forward": "forward", "forwards": "forward", "ahead": "forward",
    "back": "back", "backward": "back", "backwards": "back", "toward": "toward", "towards": "toward",
    "away": "away", "around": "back", "round": "back",
}  # fmt: skip
_SEPARATORS = re.compile(r"[\s_\-]+")


def action_for(word: object) -> tuple[str, str | None] | None:
    """(action, direction or None) for a model's action word; None when no action fits."""
    if not isinstance(word, str) or not 0 < len(word) <= 40:
        return None
    text = word.strip()
    known = actions.BY_NAME
    snake = _SEPARATORS.sub("_", text.lower()).strip("_")
    if snake in known:
        return snake, None
    parts = snake.split("_")
    if len(parts) > 1 and parts[-1] in _DIRECTIONS:  # walk_forward, turn-left, run away
        head = _lookup("_".join(parts[:-1]))
        if head and head[0] in actions.directional():
            return head[0], _DIRECTIONS[parts[-1]]
    return _lookup(snake) or _lookup(_swapped(snake))


def _lookup(snake: str) -> tuple[str, str | None] | None:
    if not snake:
        return None
    if snake in actions.BY_NAME:
        return snake, None
    phrase = snake.replace("_", " ")
    for pattern, action, direction in _zh():
        if pattern.fullmatch(phrase):
            return action, direction
    for pattern, action, direction in _en():
        if pattern.fullmatch(phrase):
            return action, direction
    return None


def _swapped(snake: str) -> str:
    """A noun compound read as its verb phrase: handshake -> shake_hands (verb last, object first)."""
    if "_" in snake:
        return ""
    for stem in ("hand", "head"):
        if snake.startswith(stem) and len(snake) > len(stem) + 2:
            return f"{snake[len(stem) :]}_{stem}s"
    return ""


@functools.cache
def _zh() -> tuple[tuple[re.Pattern[str], str, str | None], ...]:
    """The registry's Chinese patterns and caption words (挥手, 走路...), most specific first."""
    out = [(re.compile(p), a, d) for p, a, d in actions.zh_verb_patterns()]
    out += [(re.compile(re.escape(w)), a, None) for a, w in actions.zh_words().items()]
    return tuple(out)


@functools.cache
def _en() -> tuple[tuple[re.Pattern[str], str, str | None], ...]:
    """The registry's English verbs (any inflection) with their suffixes, and caption words."""
    out = []
    for verb, suffix, action, direction in actions.en_verb_entries():
        forms = "|".join(map(re.escape, _forms(verb)))
        out.append((re.compile(rf"(?i:(?:{forms}){suffix})"), action, direction))
    for action, (plural, singular) in actions.en_words().items():
        out.append((re.compile(rf"(?i:{re.escape(plural)}|{re.escape(singular)})"), action, None))
    return tuple(out)


def _forms(verb: str) -> list[str]:
    """wave -> wave, waves, waved, waving; run -> running; plus the irregular forms."""
    forms = {verb, verb + "s", verb + "es", verb + "ed", verb + "d", verb + "ing"}
    if verb.endswith("e"):
        forms.add(verb[:-1] + "ing")
    if verb in actions.en_doubling():
        forms.update({verb + verb[-1] + "ed", verb + verb[-1] + "ing"})
    forms.update(actions.en_irregular().get(verb, ()))
    return sorted(forms, key=len, reverse=True)
