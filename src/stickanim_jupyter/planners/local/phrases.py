"""The text around one verb: who acts, on whom, how often, which way, how fast, with which hand."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import (
    _EN_DEFINITE,
    _EN_FEMALE_NAMES,
    _EN_MALE_NAMES,
    _EN_NOT_NAMES,
    _EN_NOUNS,
    _EN_NUM_WORDS,
    _LOCATION_END,
    _ZH_DIGITS,
    _ZH_FEMALE_CHARS,
    _ZH_MALE_CHARS,
    _ZH_NOT_NAMES,
    _ZH_NOUNS,
    _ZH_SEEING,
    _tokens_for,
)
from .model import _Mention, _ThingMention
from .things import THING_WORDS


@dataclass
class _Phrase:
    """What the text around a verb says: who, to whom, how often, where, how."""

    subjects: list[_Mention] = field(default_factory=list)
    targets: list[_Mention] = field(default_factory=list)
    each: bool = False
    direction: str | None = None
    from_side: str | None = None
    times: int | None = None
    speed: float | None = None
    hand: str | None = None
    pure: bool = True  # nothing but mentions and separators (a name list before a comma)
    things: list[_ThingMention] = field(default_factory=list)


_REL = {
    "over": "over", "across": "over", "跳过": "over", "越过": "over", "过": "over",
    "on": "on", "onto": "on", "up": "on", "在": "on", "上": "on", "爬上": "on",
    "in": "in", "into": "in", "with": "with", "from": "from", "off": "from", "从": "from", "把": "obj",
}  # fmt: skip


def _thing_mention(m: re.Match[str]) -> _ThingMention:
    """A thing: its word as the story wrote it, its kind, and how it relates to the verb."""
    word = " ".join((m.group("ten") or m.group("tzh")).split())
    prep = (m.group("tpe") or m.group("tpz") or "").lower()
    return _ThingMention(word, THING_WORDS[word.lower()], _REL.get(prep, "to" if prep else None))


def _zh_number(text: str) -> int:
    if text.isdecimal():
        return int(text[:4])
    if text == "几" or text.endswith("几"):
        return 3
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _ZH_DIGITS.get(tens, 1) * 10 + _ZH_DIGITS.get(ones, 0)
    return _ZH_DIGITS.get(text[-1:], 1)


def _count_of(m: re.Match[str]) -> int:
    if m.group("cen"):
        word = m.group("cen").lower()
        return int(word) if word.isdecimal() else _EN_NUM_WORDS[word]
    if m.group("cx"):
        return int(m.group("cx"))
    return _zh_number(m.group("czh"))


def _count_word(word: str) -> int:
    return {"once": 1, "twice": 2, "thrice": 3}.get(word.lower(), 3)


def _direction(m: re.Match[str]) -> str:
    zh = {"左": "left", "右": "right", "前": "forward", "后": "back"}
    if m.group("dzh"):
        return zh[m.group("dzh")]
    if m.group("den"):
        return m.group("den").lower()
    word = m.group("den2").lower()
    if word.startswith("forward") or word == "ahead":
        return "forward"
    if word.startswith("back"):
        return "back"
    if word in ("away", "off"):
        return "away"
    return "toward"


def _noun_mention(m: re.Match[str]) -> _Mention:
    if m.group("nen"):
        noun = _EN_NOUNS[re.sub(r"\s+", " ", m.group("nen").lower())]
        det = re.sub(r"\s+", " ", (m.group("nde") or "").lower())
        if det in ("another", "the other"):
            return _Mention("other", noun.key, gender=noun.gender)
        count = int(det) if det.isdecimal() else _EN_NUM_WORDS.get(det)
        definite = det in _EN_DEFINITE or (noun.plural and not det)
        if count is None and noun.plural:
            count = None if definite else 2
        plural = noun.plural or (count or 1) > 1
        return _Mention(
            "noun", noun.key, min(count or 1, 99) if count else None, definite, noun.gender, plural
        )
    word, det = m.group("nzh"), m.group("ndz") or ""
    if det.startswith("另"):
        return _Mention("other", word, gender=_ZH_NOUNS[word])
    if det[:1] in ("这", "那"):
        return _Mention("noun", word, None, True, _ZH_NOUNS[word])
    num = det.rstrip("个位名只群 ")
    count = 3 if det.endswith("群") else (_zh_number(num) if num and num != "有" else 1)
    if m.group("nmen") and not num:  # 学生们: a group of three
        count = 3
    return _Mention("noun", word, min(count, 99), False, _ZH_NOUNS[word], count > 1)


def _name_mention(text: str) -> _Mention | None:
    """A capitalised word or two, minus sentence starters: "Then Alice" -> Alice."""
    words = [w for w in text.split() if not _not_a_name(w)]
    if not words:
        return None
    first = words[0].lower()
    gender = "f" if first in _EN_FEMALE_NAMES else "m" if first in _EN_MALE_NAMES else None
    return _Mention("name", " ".join(words)[:40], gender=gender)


def _not_a_name(word: str) -> bool:
    low = word.lower()
    return low in _EN_NOT_NAMES or (low.endswith("ly") and len(low) > 4)


def _zh_name(text: str) -> _Mention:
    last = text[-1]
    gender = "f" if last in _ZH_FEMALE_CHARS else "m" if last in _ZH_MALE_CHARS else None
    return _Mention("name", text, gender=gender)


def _leftover_name(run: str) -> _Mention | None:
    """An unknown run of Chinese characters before a verb is taken as a name (明明跳了三下)."""
    if not 2 <= len(run) <= 4 or run[-1] in _LOCATION_END or any(w in run for w in _ZH_NOT_NAMES):
        return None
    return _zh_name(run)


_MENTION_KINDS = frozenset({"noun", "plural", "together", "single", "me", "other", "ename", "zname"})


def _parse_phrase(text: str, role: str, names_ok: bool, first: bool) -> _Phrase:
    """Read the text around a verb. role "head": before it (subject, then 向/对/把 + target);
    "tail": after it (its object). names_ok: unknown Chinese runs may be names here."""
    ph = _Phrase()
    side = ph.subjects if role == "head" else ph.targets
    patients: list[_Mention] = []
    run, run_end, listed, prev = "", -1, False, ""
    tokens = _tokens_for(text)
    for m in tokens.finditer(text):
        kind = m.lastgroup or ""
        if run and (kind != "han" or m.start() != run_end):
            side = _flush_run(ph, run, side, names_ok and (listed or not side), role)
            run = ""
        if kind == "han":  # unknown Chinese characters: gather the run, it may be a name
            if not run:
                listed = prev == "amark"  # 小明和明明: a name list goes on
            run, run_end = run + m.group(), m.end()
            continue
        side = _apply_token(ph, m, kind, side, role, first, patients)
        prev = kind
    if run:
        _flush_run(ph, run, side, names_ok and (listed or not side), role)
    if patients:  # 小红被小明推倒: 小明 acts, 小红 is the target
        ph.targets[:0] = patients
    if ph.pure and re.search(r"[A-Za-z]", tokens.sub(" ", text)):
        ph.pure = False  # words we do not know
    return ph


def _flush_run(ph: _Phrase, run: str, side: list[_Mention], names_ok: bool, role: str) -> list[_Mention]:
    """An unknown Chinese run: a name only where one is expected (the slot still empty, or a
    name list going on); after a subject, 看到/发现... make what follows an object (小红看到小明就跑开)."""
    mention = _leftover_name(run) if names_ok else None
    if mention:
        side.append(mention)
        return side
    ph.pure = False
    if role == "head" and side is ph.subjects and ph.subjects and any(w in run for w in _ZH_SEEING):
        return ph.targets
    return side


def _apply_token(
    ph: _Phrase,
    m: re.Match[str],
    kind: str,
    side: list[_Mention],
    role: str,
    first: bool,
    patients: list[_Mention],
) -> list[_Mention]:
    """Fold one token into the phrase; returns the list that further mentions go to."""
    if kind == "thing":
        ph.things.append(_thing_mention(m))
        ph.pure = False
        return side
    if kind in _MENTION_KINDS:
        mention = _token_mention(m, kind)
        if mention:
            side.append(mention)
        else:
            ph.pure = False
        return side
    if kind == "amark":
        if (
            role == "head"
            and not first
            and not ph.subjects
            and side is ph.subjects
            and m.group() in "和跟与同"
        ):
            return ph.targets  # "...走过去和他握手": 和 means "with" here
        return side
    ph.pure = False
    if kind == "tmark" and role == "head":
        return ph.targets
    if kind == "passive" and role == "head":
        patients.extend(ph.subjects)
        ph.subjects.clear()
        return ph.subjects
    _apply_modifier(ph, m, kind)
    return side


def _apply_modifier(ph: _Phrase, m: re.Match[str], kind: str) -> None:
    if kind in ("efrom", "zfrom"):
        start = {"左": "left", "右": "right"}.get(m.group("zfa") or "", (m.group("efa") or "").lower())
        ph.from_side = start
        ph.direction = (m.group("efb") or "").lower() or ("right" if start == "left" else "left")
    elif kind == "count":
        ph.times = _count_of(m)
    elif kind == "cword":
        ph.times = _count_word(m.group())
    elif kind == "hand":
        hand = (m.group("hen") or m.group("hzh") or "").lower()
        ph.hand = {"左": "left", "右": "right", "双": "both"}.get(
            hand, "both" if hand.startswith("两") else hand
        )
    elif kind == "each":
        ph.each = True
        if m.group() in ("相向", "面对面"):
            ph.direction = "toward"
    elif kind == "dir":
        ph.direction = _direction(m)
    elif kind in ("fast", "slow"):
        ph.speed = 1.5 if kind == "fast" else 0.7


def _token_mention(m: re.Match[str], kind: str) -> _Mention | None:
    if kind == "noun":
        return _noun_mention(m)
    if kind == "single":
        female = m.group("sf") or m.group("szf")
        male = m.group("sm") or m.group("szm")
        return _Mention("single", gender="f" if female else "m" if male else None)
    if kind == "me":
        return _Mention("me", "我" if m.group() == "我" else "I")
    if kind == "ename":
        return _name_mention(m.group())
    if kind == "zname":
        return _zh_name(m.group())
    return _Mention(kind)  # plural, together, other
