"""What the reading produces and the later stages share: mentions, characters, acts, steps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class _Mention:
    kind: str  # name | noun | plural | single | me | other | together
    text: str = ""
    count: int | None = None
    definite: bool = False
    gender: str | None = None
    plural: bool = False


class _ThingMention(NamedTuple):
    word: str  # the story's word, the prop's name: "沙发", "newspaper"
    kind: str  # one of schema.PROP_KINDS
    rel: str | None = None  # how the text relates it to the verb: "over", "on", "to"...


@dataclass
class _Thing:
    kind: str
    name: str
    x: float | None = None  # placed by staging, stage widths


@dataclass
class _Char:
    key: str  # the kind of character ("person", "小朋友"), or "" for a named one
    name: str | None = None
    gender: str | None = None
    group: int | None = None  # introduced together ("two kids")
    zh: bool = False


@dataclass
class _Act:
    char: int
    action: str
    target: int | None = None
    direction: str | None = None
    times: int | None = None
    speed: float | None = None
    hand: str | None = None
    distance: float | None = None
    obj: int | None = None  # the thing it uses (an index into the story's things)
    over: int | None = None  # the thing a jump goes over
    text: str | None = None  # a say/think bubble's words
    in_place: bool = False  # a walk or run that stays on the spot
    delay: float = 0.0  # ms after its step's start ("in turn": one after another)


@dataclass
class _Step:
    subject: tuple[int, ...]
    action: str
    acts: list[_Act]
    parallel: bool = False
    target: int | None = None  # one target for everyone, for the description
    times: int | None = None
    from_side: str | None = None
    mutual: bool = False  # everyone aims at someone else in the subject ("punch each other")
    together: bool = False  # a group moving as one: same way, same distance
    in_turn: bool = False  # a group acting one after another
    obj: int | None = None  # the thing everyone uses, for the description
    start: float = 0.0
    end: float = 0.0
