"""Words for people: the title, the descriptions and the characters' display names."""

from __future__ import annotations

import re

from ...text import clip
from .lexicon import (
    _CONTROL,
    _DIRECTIONAL,
    _EN_AIMED,
    _EN_COUNT_WORDS,
    _EN_DIRS,
    _EN_PLURAL_OF,
    _EN_TIMES,
    _EN_WORDS,
    _GENERIC,
    _HAN,
    _MOVES,
    _ZH_AIMED,
    _ZH_DIRS,
    _ZH_NUMERALS,
    _ZH_WORDS,
)
from .model import _Char, _Step, _Thing

# Captions with a thing {o}: Chinese as a whole phrase, English as the preposition after the verb.
_ZH_WITH = {
    "sit": "坐在{o}上", "lie_down": "躺在{o}上", "sleep": "在{o}上睡觉", "walk": "走到{o}前",
    "run": "跑到{o}前", "jog": "跑到{o}前", "point": "指向{o}", "look": "看着{o}", "jump": "跳过{o}",
    "climb": "爬{o}", "push": "推{o}", "pull": "拉{o}", "kick": "踢{o}", "throw": "扔{o}",
    "catch": "接住{o}", "pick_up": "捡起{o}", "put_down": "放下{o}", "carry": "拿着{o}",
    "read": "看{o}", "open": "打开{o}", "drink": "喝{o}",
}  # fmt: skip
_EN_WITH = {"sit": "on", "lie_down": "on", "sleep": "on", "walk": "to", "run": "to", "jog": "to",
            "point": "at", "look": "at", "jump": "over"}  # fmt: skip


def _zh_num(n: int) -> str:
    """0-99 in Chinese numerals: 2 alone is 两 (两次), inside a number it is 二 (十二, 二十)."""
    if n <= 10:
        return _ZH_NUMERALS[n]
    tens, ones = divmod(n, 10)
    digits = _ZH_NUMERALS.replace("两", "二")
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _moves_sideways(action: str, direction: str | None) -> bool:
    """A walk/run with a target that goes left/right/forward/back is described by its direction."""
    return action in _MOVES and direction not in (None, "toward", "away")


class _Writer:
    """Title and descriptions in the story's language, from the steps actually planned."""

    def __init__(
        self, zh: bool, chars: list[_Char], names: list[str], things: list[_Thing] | None = None
    ) -> None:
        self.zh, self.chars, self.names = zh, chars, names
        self.things = things or []
        self.introduced: set[int] = set()

    def _with(self, s: _Step, plural: bool) -> str | None:
        """The caption of a step that says something or uses a thing; None otherwise."""
        a, first = s.action, s.acts[0] if s.acts else None
        if first is not None and first.text and a in ("say", "think"):
            verb = (
                _ZH_WORDS.get(a, "说") if self.zh else _EN_WORDS.get(a, ("say", "says"))[0 if plural else 1]
            )
            if self.zh:
                to = f"对{self._ref(s.target)}" if s.target is not None else ""
                return f"{to}{verb}：“{first.text}”"
            to = f" to {self._ref(s.target)}" if s.target is not None else ""
            return f'{verb} "{first.text}"{to}'
        k = first.over if first is not None and first.over is not None else s.obj
        if k is None or s.target is not None:
            return None
        name = self.things[k].name
        if self.zh:
            return _ZH_WITH.get(a, _ZH_WORDS.get(a, "") + "{o}").format(o=name)
        verb = _EN_WORDS[a][0 if plural else 1] if a in _EN_WORDS else a.replace("_", " ")
        prep = _EN_WITH.get(a, "")
        return f"{verb} {prep} the {name}".replace("  ", " ")

    def title(self, steps: list[_Step]) -> str:
        actions = list(dict.fromkeys(s.action for s in steps))[:3]
        if self.zh:
            return "、".join(_ZH_WORDS[a] for a in actions)
        words = [_EN_WORDS[a][0] for a in actions]
        text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        return text[:1].upper() + text[1:]

    def sentence(self, steps: list[_Step]) -> str:
        parts: list[str] = []
        prev: tuple[int, ...] = ()
        for s in steps:
            who = "" if s.subject == prev else self._who(s.subject)
            plural = len(s.subject) > 1 or self.chars[s.subject[0]].name == "I"
            what = self._how(s, self._zh_what(s) if self.zh else self._en_what(s, plural))
            glue = (
                ("，同时" if s.parallel else "，然后")
                if self.zh
                else (" while " if s.parallel else ", then ")
            )
            parts.append((glue if parts else "") + who + ("" if self.zh or not who else " ") + what)
            prev = s.subject
        text = "".join(parts)
        text = text[:1].upper() + text[1:]
        return text + ("。" if self.zh else ".")

    def _how(self, s: _Step, what: str) -> str:
        """In turn, together, in place: said as the story said them."""
        words = [
            w for flag, w in ((s.in_turn, 0), (s.together, 1), (any(a.in_place for a in s.acts), 2)) if flag
        ]
        zh, en = ("轮流", "一起", "原地"), (" in turn", " together", " in place")
        if self.zh:
            return "".join(zh[w] for w in words) + what
        return what + "".join(en[w] for w in words)

    def _who(self, ids: tuple[int, ...]) -> str:
        fresh = [i for i in ids if i not in self.introduced]
        self.introduced.update(ids)
        first = self.chars[ids[0]]
        kin = [c for c in self.chars if c.key == first.key and c.name is None]
        if len(fresh) == len(ids) == len(kin) and all(self.chars[i] in kin for i in ids):
            return self._counted(len(ids), first.key)  # "two kids", "一个火柴人"
        if len(ids) > 1 and len(ids) == len(self.chars) and not fresh:
            return "他们" if self.zh else "they"
        names = [self._ref(i) for i in ids]
        if len(names) == 1:
            return names[0]
        return (
            "、".join(names[:-1]) + "和" + names[-1]
            if self.zh
            else ", ".join(names[:-1]) + " and " + names[-1]
        )

    def _possessive(self, ids: tuple[int, ...]) -> str:
        if len(ids) > 1:
            return "their"
        c = self.chars[ids[0]]
        return "my" if c.name == "I" else {"f": "her", "m": "his"}.get(c.gender or "", "their")

    def _ref(self, i: int) -> str:
        """A character by name; in English a lone unnamed one is "the woman"."""
        c = self.chars[i]
        if self.zh or c.name or sum(k.key == c.key and k.name is None for k in self.chars) > 1:
            return self.names[i]
        return "the " + self.names[i].lower()

    def _counted(self, n: int, key: str) -> str:
        if self.zh:
            noun = "火柴人" if key in _GENERIC or not key else key
            return f"{_zh_num(n) if n <= 99 else n}个{noun}"
        if key in _GENERIC or not key or re.search(f"[{_HAN}]", key):
            noun = "stick figure" if n == 1 else "people"
        else:
            noun = key if n == 1 else _EN_PLURAL_OF.get(key, key + "s")
        if n == 1:
            return ("an " if noun[0] in "aeiou" else "a ") + noun
        return f"{_EN_COUNT_WORDS[n] if n < len(_EN_COUNT_WORDS) else n} {noun}"

    def _zh_what(self, s: _Step) -> str:
        a = s.action
        direction = s.acts[0].direction if s.acts else None
        said = self._with(s, False)
        if said:
            core = said
        elif s.target is not None and a in _MOVES and direction == "away":
            core = ("跑离" if a == "run" else "走离") + self._ref(s.target)
        elif s.target is not None and a in _ZH_AIMED and not _moves_sideways(a, direction):
            core = _ZH_AIMED[a].format(t=self._ref(s.target))
        elif a in _MOVES and s.from_side:
            verb = "跑" if a == "run" else "走"
            other = "右" if s.from_side == "left" else "左"
            core = f"从{'左' if s.from_side == 'left' else '右'}边{verb}到{other}边"
        elif a in _MOVES and direction == "toward":
            if len(s.subject) > 1:
                core = "相向跑去" if a == "run" else "相向而行"
            else:  # one figure: toward the others, not "each other"
                core = "跑过去" if a == "run" else "走过去"
        elif a in _MOVES and direction == "away":
            core = "跑开" if a == "run" else "走开"
        elif a in _MOVES and direction in _ZH_DIRS:
            core = _ZH_DIRS[direction] + ("跑" if a == "run" else "走")
        elif a in _DIRECTIONAL and direction in _ZH_DIRS:
            core = _ZH_DIRS[direction] + _ZH_WORDS[a]
        elif s.mutual and a not in _MOVES:
            core = "互相" + _ZH_WORDS[a]
        else:
            core = _ZH_WORDS[a]
        if s.times and s.times > 1:
            core += f"{_zh_num(s.times)}次"
        return core

    def _en_what(self, s: _Step, plural: bool) -> str:
        a = s.action
        verb = _EN_WORDS[a][0 if plural else 1]
        if a == "shake_head":  # keep the story's pronoun: "shakes her head", "I shake my head"
            mine = self._possessive(s.subject)
            verb = "shake my head" if mine == "my" else verb.replace("their", mine)
        direction = s.acts[0].direction if s.acts else None
        said = self._with(s, plural)
        if said:
            core = said
        elif s.target is not None and a in _MOVES and direction == "away":
            core = f"{verb} away from {self._ref(s.target)}"
        elif s.target is not None and not _moves_sideways(a, direction):
            prep = _EN_AIMED.get(a)
            core = f"{verb} {prep} {self._ref(s.target)}" if prep else f"{verb} {self._ref(s.target)}"
        elif a in _MOVES and s.from_side:
            core = f"{verb} from the {s.from_side} to the {'right' if s.from_side == 'left' else 'left'}"
        elif direction == "toward":
            core = f"{verb} toward each other" if plural else f"{verb} forward"
        elif direction in _EN_DIRS and a in _DIRECTIONAL:
            core = f"{verb} {_EN_DIRS[direction]}"
        elif s.mutual and a not in _MOVES:
            prep = _EN_AIMED.get(a)
            core = f"{verb} {prep} each other" if prep else f"{verb} each other"
        else:
            core = verb
        if s.times and s.times > 1:
            core += " " + _EN_TIMES.get(s.times, f"{s.times} times")
        return core


def _display_names(chars: list[_Char]) -> list[str]:
    """Named characters keep their names; others are named by kind, numbered when several."""
    base = []
    for c in chars:
        if c.name:
            base.append(c.name)
        elif c.zh:
            base.append("火柴人" if c.key in _GENERIC else c.key)
        else:
            base.append("Stick figure" if c.key in _GENERIC else c.key.capitalize())
    out: list[str] = []
    for i, name in enumerate(base):
        if chars[i].name or base.count(name) == 1:
            out.append(name)
        else:
            k = base[: i + 1].count(name)
            out.append(f"{name}{k}" if chars[i].zh else f"{name} {k}")
    return out


def _excerpt(story: str) -> str:
    return clip(_CONTROL.sub(" ", story).strip(), 120)
