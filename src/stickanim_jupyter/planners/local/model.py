"""What the reading produces and the later stages share: mentions, characters, acts, steps."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class _Mention:
    kind: str  # name | noun | plural | single | me | other | together
    text: str = ""
    count: int | None = None
    definite: bool = False
    gender: str | None = None
    plural: bool = False


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
    start: float = 0.0
    end: float = 0.0
