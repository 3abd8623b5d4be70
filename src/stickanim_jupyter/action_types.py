"""The shape of an action's definition (see actions.py): its params, timing, words and flags.

Pure data: imports nothing from the package.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from typing import NamedTuple

REQUIRED = "required"  # a param's "default" when the action cannot do without it

# Chinese counts inside verb-object words: 点了两下头, 鞠了三个躬, 拍了几下手.
ZH_COUNT = r"[一二两三四五六七八九十几]{1,3}|\d{1,3}"
ZH_SPLIT = rf"(?:了|过)?(?:(?:{ZH_COUNT})\s*[下次个回遍]?|[下次个回遍])?"


class Timing(NamedTuple):
    """The offline planner's default duration (same layout as its table)."""

    base: int  # ms: the whole action, or its fixed part when it repeats (0: timed by the gait)
    per: int = 0  # ms per repetition; 0 = not a repeating action
    times: int = 1  # repetitions when the story gives no count


class ZhVerb(NamedTuple):
    """A Chinese regex of the offline planner's lexicon."""

    rank: int  # all actions' patterns are tried by increasing rank: most specific first
    pattern: str
    direction: str | None = None  # implied direction; "each": each one acts on the other


class EnVerb(NamedTuple):
    """An English verb of the offline planner's lexicon (inflected by the planner)."""

    rank: int  # all actions' verbs are tried by increasing rank: phrasal verbs first
    verb: str
    suffix: str = ""  # regex that must follow the verb ("up" in "stand up")
    direction: str | None = None
    irregular: tuple[str, ...] = ()  # irregular forms of the verb (stated once per verb)
    doubles: bool = False  # doubles its last consonant: run -> running (stated once per verb)


@dataclass(frozen=True, slots=True)
class ActionDef:
    name: str
    summary: str  # what it does, for people (the README's table)
    prompt: str  # what the LLM prompt says about its params ("none": it reads none)
    _: KW_ONLY
    # The params it reads -> their defaults (None: set by the duration or the scene; REQUIRED).
    params: tuple[tuple[str, object], ...] = ()
    timing: Timing | None = None  # the offline planner's default duration
    ends_in: str | None = None  # posture afterwards (motions' posture graph); None: keeps its posture
    travels: bool = False  # moves across the stage (the compiler plans it to stop on both feet)
    interaction: bool = False  # drives two characters: params.target required
    aimed: bool = False  # aimed at someone: the planner keeps the target ("waves at Bob")
    directional: bool = False  # the planner passes a story's direction word on to it
    zh_object: bool = False  # its Chinese verb takes a bare object (推小红): what follows may be a name
    right_handed: bool = False  # the planner gives it hand=right when the story names no hand
    uses_prop: bool = False  # reads params.object or params.over: a thing (a prop id) it uses
    offline: bool = True  # the offline planner writes it (then words, captions and timing are needed)
    zh: tuple[ZhVerb, ...] = ()
    en: tuple[EnVerb, ...] = ()
    zh_word: str = ""  # caption: 挥手
    en_words: tuple[str, str] = ("", "")  # caption: (plural, singular) = ("wave", "waves")
    zh_aimed: str = ""  # caption with its target {t}: 向{t}挥手
    en_aimed: str = ""  # preposition before its target: "waves at Bob" ("": none, "hugs Bob")

    @property
    def defaults(self) -> dict[str, object]:
        return dict(self.params)
