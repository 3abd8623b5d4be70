"""From story text to steps: clauses, the verbs in each, and who does what to whom."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from ...schema import INTERACTIONS, MAX_TIMES, MAX_TOTAL_MS
from . import speech
from .cast import _Cast
from .depict import Use, depict
from .inventory import _Things
from .lexicon import (
    _AIMED,
    _CLAUSE_RE,
    _DIRECTIONAL,
    _EN_GAP_CONJ,
    _EN_NOT_NAMES,
    _HAN,
    _MOVES,
    _OBJECT_VERBS,
    _SAME_WORD,
    _SPLIT_COUNT,
    _VERB_MEANING,
    _ZH_ADVERBS,
    _ZH_GAP_CONJ,
    _ZH_GAP_PRE,
    _ZH_GAP_TAIL,
    _verb_matches,
)
from .model import _Act, _Step, _ThingMention
from .phrases import _parse_phrase, _Phrase, _thing_mention, _zh_number
from .staging import _duration
from .things import MODIFIERS, THING_TOKEN

_THING_RE = re.compile(THING_TOKEN)
_IT = re.compile(r"(?<![A-Za-z])(?i:it)(?![A-Za-z])|它")
# "There is a ball", "桌子上有一本书": a clause that only puts things on the stage.
_EXISTS = re.compile(
    r"(?<![A-Za-z])(?i:there\s+(?:is|are|was|were|stands?|stood)|has|have|had|sees?|saw|finds?|found)"
    r"(?![A-Za-z])|有|放着|摆着|看到|看见|发现"
)


# --- clauses and verbs --------------------------------------------------------------------
class _VerbHit(NamedTuple):
    start: int
    end: int
    action: str
    direction: str | None
    inner: str  # text swallowed when two mentions of one action merge ("打了他一拳")
    times: int | None = None  # a count inside the verb (点了两下头)
    idiom: str | None = None  # idioms.py: a verb outside the vocabulary
    text: str = ""  # the verb as written


def _split_gap(gap: str, zh: bool) -> tuple[str, str]:
    """Text between two verbs: the first part belongs to the verb before (its object, count),
    the rest to the verb after (its subject, 向X...)."""
    if not zh:
        m = _EN_GAP_CONJ.search(gap)
        return (gap[: m.start()], gap[m.end() :]) if m else (gap, "")
    tail = _ZH_GAP_TAIL.match(gap)  # `*`: it always matches
    cut = tail.end() if tail else 0
    rest = gap[cut:]
    m = _ZH_GAP_CONJ.search(rest)
    if m:
        return gap[: cut + m.start()], rest[m.end() :]
    p = _ZH_GAP_PRE.search(rest)
    if p:
        return gap[: cut + p.start()], rest[p.start() :]
    return gap, ""


def _clauses(text: str) -> Iterator[tuple[str, bool]]:
    """(clause, runs in parallel with the one before)."""
    pos, parallel = 0, False
    for m in _CLAUSE_RE.finditer(text):
        if m.start() > pos:
            yield text[pos : m.start()], parallel
            parallel = False
        parallel = parallel or bool(m.group("par"))
        pos = m.end()
    if pos < len(text):
        yield text[pos:], parallel


def _verbs(clause: str) -> list[_VerbHit]:
    hits: list[_VerbHit] = []
    for m in _verb_matches(clause):
        action, direction, idiom = _VERB_MEANING[int((m.lastgroup or "v0")[1:])]
        prev = hits[-1] if hits else None
        gap = clause[prev.end : m.start()] if prev else ""
        if (
            prev
            and prev.action == action
            and (_SAME_WORD.fullmatch(gap) or (len(gap) <= 4 and not _has_conj(gap)))
        ):
            hits[-1] = prev._replace(end=m.end(), inner=prev.inner + gap)
            continue
        inside = _SPLIT_COUNT.search(m.group())
        times = _zh_number(inside.group("czh")) if inside else None
        hits.append(_VerbHit(m.start(), m.end(), action, direction, "", times, idiom, m.group()))
    return hits


def _modifiers(clause: str) -> tuple[str, frozenset[str]]:
    """How the clause's group acts ("turn", "place", "together"); "in turn" and "in place" are
    blanked out so that no verb (turn) or name is read in them."""
    flags: set[str] = set()

    def blank(m: re.Match[str]) -> str:
        flags.add(m.lastgroup or "")
        return m.group() if m.lastgroup == "together" else " " * len(m.group())

    return MODIFIERS.sub(blank, clause), frozenset(flags)


def _meaningful(clause: str) -> bool:
    """Worth reporting as not understood: more than fillers such as "Suddenly" or "突然"."""
    for word in re.findall(rf"[A-Za-z]+|[{_HAN}]+", clause):
        low = word.lower()
        if low not in _EN_NOT_NAMES and not low.endswith("ly") and word not in _ZH_ADVERBS:
            return True
    return False


def _has_conj(gap: str) -> bool:
    return bool(_EN_GAP_CONJ.search(gap) or _ZH_GAP_CONJ.search(gap))


# --- from clauses to steps ----------------------------------------------------------------
class _Reader:
    def __init__(self, zh: bool) -> None:
        self.zh = zh
        self.cast = _Cast(zh)
        self.steps: list[_Step] = []
        self.unknown: list[str] = []
        self.pending: list[int] = []  # a bare name list before a comma ("Alice, Bob and Carol dance")
        self.overflow = False  # the story went on past what the caps allow
        self.things = _Things()
        self.said: list[speech.Said] = []
        self.notes: list[str] = []  # what was drawn otherwise than the story says

    def read(self, text: str) -> None:
        budget = float(MAX_TOTAL_MS)  # stop reading once the timeline is surely full
        text, self.said = speech.extract(text)
        for clause, parallel in _clauses(text):
            if budget <= 0:
                self.overflow = True
                break
            if clause.strip():
                done = len(self.steps)
                self._clause(clause, parallel)
                budget -= sum(max(map(_duration, s.acts), default=0.0) for s in self.steps[done:])

    def _clause(self, clause: str, parallel: bool) -> None:
        clause, flags = _modifiers(clause)
        hits = _verbs(clause)
        if not hits:
            self._verbless(clause)
            return
        head = clause[: hits[0].start]
        for i, hit in enumerate(hits):
            after = clause[hit.end : hits[i + 1].start] if i + 1 < len(hits) else clause[hit.end :]
            tail, next_head = (after, "") if i + 1 == len(hits) else _split_gap(after, self.zh)
            self._step(hit, head, hit.inner + " " + tail, first=i == 0, parallel=parallel and i == 0)
            self._modify(self.steps[-1], flags)
            head = next_head

    def _verbless(self, clause: str) -> None:
        ph = _parse_phrase(clause, "head", names_ok=False, first=True)
        mentions = ph.subjects + ph.targets
        first = self.cast.resolve(mentions[:1])
        ids = [*first, *(i for i in self.cast.resolve(mentions[1:], exclude=first))]
        self.things.add_all(ph.things)  # "There is a ball." puts a ball on the stage
        if ids:  # "There are two people." introduces them for a later "they"
            self.cast.touch(reversed(ids))
            # A bare name list is the subject of what follows; otherwise only the first one
            # mentioned is ("小明看见小红，然后向她挥手": 小明 waves, at 小红).
            # "Alice, Bob, Carol and Dave dance": each comma ends a clause, so a list grows.
            self.pending = [*self.pending, *(i for i in ids if i not in self.pending)] if ph.pure else []
            self.cast.last_subject = self.pending or first
        if not ph.pure and not (ph.things and _EXISTS.search(clause)) and _meaningful(clause):
            self.unknown.append(clause.strip())

    def _step(self, hit: _VerbHit, head_text: str, tail_text: str, first: bool, parallel: bool) -> None:
        head = _parse_phrase(head_text, "head", names_ok=True, first=first)
        tail = _parse_phrase(tail_text, "tail", names_ok=hit.action in _OBJECT_VERBS, first=False)
        subject = self.cast.resolve(head.subjects)
        if subject and self.pending and first:
            subject = [*self.pending, *(i for i in subject if i not in self.pending)]
        subject = subject or (self.pending if first else []) or self.cast.last_subject or self.cast.default()
        self.pending = []
        targets = self.cast.resolve(head.targets + tail.targets, exclude=subject)
        inner = [] if hit.idiom else [_thing_mention(m) for m in _THING_RE.finditer(hit.text)]  # 看报纸
        things = [*inner, *tail.things, *head.things]
        if (
            not things and self.things.things and _IT.search(head_text + " " + tail_text)
        ):  # "picks it up": the last thing
            last = self.things.things[-1]
            things = [_ThingMention(last.name, last.kind)]
        self.things.add_all(things)
        use = depict(hit.action, hit.idiom, hit.text, things, self.zh, self.said)
        use = self._thing_is_no_partner(use, targets, things, hit.text)
        each = head.each or tail.each or hit.direction == "each" or use.each
        modifiers = _merge(head, tail)
        modifiers.times = modifiers.times or hit.times
        step = self._make_step(use, hit.direction, subject, targets, each, modifiers)
        step.parallel = parallel and not set(step.subject) & set(self.steps[-1].subject if self.steps else ())
        step.in_turn = use.each and len(step.acts) > 1
        self.steps.append(step)
        if use.note:
            self.notes.append(use.note)
        self.cast.touch(targets[:1])
        self.cast.touch(subject)
        self.cast.last_subject = subject

    def _thing_is_no_partner(
        self, use: Use, targets: list[int], things: list[_ThingMention], verb: str
    ) -> Use:
        """ "hugs the tree": an interaction with a thing and nobody walks up to the thing instead."""
        if use.action not in INTERACTIONS or targets or use.obj is not None or not things:
            return use
        what = things[0].word if self.zh else f"the {things[0].word}"
        note = f"not understood: {verb}{'' if self.zh else ' '}{what} (a thing is no partner) — shown as walking to {what}"
        return use._replace(action="walk", obj=things[0], note=note)

    def _modify(self, step: _Step, flags: frozenset[str]) -> None:
        """In turn, together, in place: how the clause's group acts."""
        step.in_turn = step.in_turn or ("turn" in flags and len(step.acts) > 1)
        step.together = "together" in flags and len(step.acts) > 1 and not step.in_turn
        if "place" in flags:
            for a in step.acts:
                a.in_place = a.action in _MOVES

    def _make_step(
        self,
        use: Use,
        hit_direction: str | None,
        subject: list[int],
        targets: list[int],
        each: bool,
        ph: _Phrase,
    ) -> _Step:
        action = use.action
        direction = (ph.direction or hit_direction) if action in _DIRECTIONAL else None
        target = targets[0] if targets and action in _AIMED else None
        times = min(ph.times, MAX_TIMES) if ph.times else None
        obj = (
            self.things.get(use.obj)
            if use.obj and not (target is not None and action in INTERACTIONS)
            else None
        )
        over = self.things.get(use.over) if use.over else None
        step = _Step(tuple(subject), action, [], target=target, times=times, from_side=ph.from_side, obj=obj)
        pairs = _pairs(subject) if action in INTERACTIONS and target is None and len(subject) > 1 else []
        if obj is not None:
            pairs = []  # a thing is pushed or pulled by everyone at once, nobody else is needed
        elif action in INTERACTIONS and target is None and not pairs:
            target = step.target = self.cast.partner(subject)
        for i in subject:
            partner = dict(pairs).get(i) if pairs else target
            if partner is None and each and len(subject) > 1 and action in _AIMED - INTERACTIONS:
                if len(subject) == 2:
                    partner = subject[1 - subject.index(i)]
                elif action not in _MOVES:  # "three kids fight": in pairs, as for interactions
                    partner = next(y if x == i else x for x, y in _pairs(subject) if i in (x, y))
            if action in INTERACTIONS and partner is None and obj is None:
                continue  # nobody to do it with (only when the cast is full): drop it
            moving_toward = action in _MOVES and direction is None and (partner is not None or each)
            act = _Act(i, action, partner, "toward" if moving_toward else direction, times, ph.speed, ph.hand)
            act.obj = self.things.get(use.fresh, fresh=True) if use.fresh else obj
            act.over, act.text = over, use.text
            step.acts.append(act)
        step.mutual = len(step.acts) > 1 and all(a.target in subject for a in step.acts)
        return step


def _merge(head: _Phrase, tail: _Phrase) -> _Phrase:
    """Modifiers from both sides of a verb; the tail wins (English puts them after the verb)."""
    return _Phrase(
        direction=tail.direction or head.direction,
        from_side=tail.from_side or head.from_side,
        times=tail.times or head.times,
        speed=tail.speed or head.speed,
        hand=tail.hand or head.hand,
    )


def _pairs(group: list[int]) -> list[tuple[int, int]]:
    """Partners inside a group: 1-2, 3-4...; an odd last one joins the one before."""
    out = [(group[k], group[k + 1]) for k in range(0, len(group) - 1, 2)]
    if len(group) % 2:
        out.append((group[-1], group[-2]))
    return out
