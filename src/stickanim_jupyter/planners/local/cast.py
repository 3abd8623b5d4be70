"""The characters of a story: who each mention means, creating characters as they appear."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...schema import MAX_CHARACTERS
from .lexicon import _HAN
from .model import _Char, _Mention


class _Cast:
    """The characters met so far, and who "he", "they", "the other" mean right now."""

    def __init__(self, zh: bool) -> None:
        self.zh = zh
        self.chars: list[_Char] = []
        self.recent: list[int] = []  # most recently mentioned last
        self.last_subject: list[int] = []
        self.groups = 0
        self.capped = False  # the story asked for more characters than MAX_CHARACTERS

    def full(self) -> bool:
        return len(self.chars) >= MAX_CHARACTERS

    def new(
        self, key: str, name: str | None = None, gender: str | None = None, group: int | None = None
    ) -> int:
        if self.full():  # over the cap: reuse the most recent character rather than fail
            self.capped = True
            return self.recent[-1] if self.recent else 0
        zh = bool(re.search(f"[{_HAN}]", key)) if key else self.zh
        self.chars.append(_Char(key, name, gender, group, zh))
        return len(self.chars) - 1

    def default(self) -> list[int]:
        return [self.new("火柴人" if self.zh else "person")]

    def touch(self, ids: Iterable[int]) -> None:
        for i in ids:
            if i in self.recent:
                self.recent.remove(i)
            self.recent.append(i)

    def resolve(self, mentions: list[_Mention], exclude: Iterable[int] = ()) -> list[int]:
        """Mentions -> character indices (creating characters as needed), in order, unique."""
        out: list[int] = []
        skip = set(exclude)
        for mention in mentions:
            if mention.kind == "together" and (out or len(mentions) > 1):
                continue  # "Alice and Bob dance together": already everyone named
            for i in self._one(mention, skip):
                if i not in out and i not in skip:
                    out.append(i)
        return out

    def _one(self, m: _Mention, skip: set[int]) -> list[int]:
        if m.kind == "name":
            return [self._named(m.text, m.gender)]
        if m.kind == "me":
            return [self._named(m.text, None)]
        if m.kind == "noun":
            return self._noun(m)
        if m.kind in ("plural", "together"):
            return self._plural()
        if m.kind == "single":
            return self._pronoun(m.gender, skip)
        if m.kind == "other":
            return self._other(m, skip)
        return []

    def _named(self, name: str, gender: str | None) -> int:
        for i, c in enumerate(self.chars):
            if c.name == name:
                return i
        return self.new("", name, gender)

    def _noun(self, m: _Mention) -> list[int]:
        same = [i for i, c in enumerate(self.chars) if c.key == m.text and not c.name]
        if m.definite and same:  # "the woman", "这个人", "the kids"
            return same[: m.count] if m.count else same
        want = m.count or (2 if m.plural else 1)
        if not m.definite:  # Chinese repeats 两个人 for the same two people: reuse a same-sized group
            groups: dict[int | None, list[int]] = {}
            for i in same:
                groups.setdefault(self.chars[i].group if want > 1 else i, []).append(i)
            for ids in groups.values():
                if len(ids) == want:
                    return ids
        self.groups += 1
        self.capped = self.capped or want > MAX_CHARACTERS
        return [
            self.new(m.text, gender=m.gender, group=self.groups) for _ in range(min(want, MAX_CHARACTERS))
        ]

    def _plural(self) -> list[int]:
        if len(self.last_subject) > 1:
            return list(self.last_subject)
        while len(self.chars) < 2:  # "they" with nobody introduced yet: two figures
            self.new("火柴人" if self.zh else "person", group=0)
        return list(range(len(self.chars)))

    def _pronoun(self, gender: str | None, skip: set[int]) -> list[int]:
        candidates = [i for i in reversed(self.recent) if i not in skip]
        if gender:
            exact = [i for i in candidates if self.chars[i].gender == gender]
            if exact:
                return exact[:1]
            candidates = [i for i in candidates if self.chars[i].gender is None]
        subject = [i for i in self.last_subject if i in candidates]
        if len(subject) == 1:  # English keeps its subject: "Alice waves at Bob, then she..."
            found = subject
        else:
            found = candidates[:1] or ([] if skip else self.default())
        for i in found:  # "he" fixes an unknown gender, so a later "she" is someone else
            self.chars[i].gender = self.chars[i].gender or gender
        return found

    def _other(self, m: _Mention, skip: set[int]) -> list[int]:
        """ "another person", "另一个": someone not in the last subject, else a new figure."""
        for i, c in enumerate(self.chars):
            if i not in skip and i not in self.last_subject and (not m.text or c.key == m.text):
                return [i]
        return [self.new(m.text or ("火柴人" if self.zh else "person"), gender=m.gender)]

    def partner(self, subject: list[int]) -> int | None:
        """Someone for a lone subject to hug or push: the most recent other, or a new figure."""
        others = [i for i in reversed(self.recent) if i not in subject]
        if others:
            return others[0]
        made = self.new("火柴人" if self.zh else "person")
        return None if made in subject else made
