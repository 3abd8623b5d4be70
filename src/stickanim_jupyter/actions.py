"""The action registry: one definition per action of the Script vocabulary.

Everything the package knows about an action by its name is here, in one entry: the params it
reads, how long the offline planner makes it, whether it travels or needs a partner, the posture
it ends in, its Chinese and English words (the offline planner's lexicon and captions) and its
line in the LLM prompt. The rest is derived: schema.ACTIONS / INTERACTIONS, the compiler's
locomotion set, the planner's tables, the prompt's action lines and the README's action table
(readme.py).

The motion itself is code: the motions package keeps its builders in dicts keyed by these names
(motions.BUILDERS, motions.PAIR_BUILDERS); tests/test_actions.py checks that both sides agree.

Adding an action: an entry in vocabulary.py, a builder in the motions package, then
`python -m stickanim_jupyter.readme` to refresh the README's table.

Pure data and small functions: this module and the two it reads (action_types, vocabulary)
need nothing else from the package (schema imports it).
"""

from __future__ import annotations

from .action_types import REQUIRED, ZH_COUNT, ZH_SPLIT, ActionDef, EnVerb, Timing, ZhVerb
from .vocabulary import REGISTRY

__all__ = [
    "REGISTRY", "REQUIRED", "ZH_COUNT", "ZH_SPLIT", "ActionDef", "EnVerb", "Timing", "ZhVerb",
]  # fmt: skip

BY_NAME: dict[str, ActionDef] = {a.name: a for a in REGISTRY}


def get(name: str) -> ActionDef:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown action {name!r}; the actions are {', '.join(BY_NAME)}") from None


# --- derived: the Script vocabulary and the engine ------------------------------------------
def names() -> tuple[str, ...]:
    """schema.ACTIONS: every action name, in registry order."""
    return tuple(BY_NAME)


def interactions() -> frozenset[str]:
    """schema.INTERACTIONS: actions that drive two characters (params.target required)."""
    return frozenset(a.name for a in REGISTRY if a.interaction)


def prop_interactions() -> frozenset[str]:
    """Interactions that may name a thing (params.object) instead of a partner: push, pull."""
    return frozenset(a.name for a in REGISTRY if a.interaction and a.uses_prop)


def locomotion() -> frozenset[str]:
    """The compiler's LOCOMOTION: actions that travel across the stage."""
    return frozenset(a.name for a in REGISTRY if a.travels)


def _flag(field: str) -> frozenset[str]:
    return frozenset(a.name for a in REGISTRY if getattr(a, field))


def aimed() -> frozenset[str]:
    """The offline planner's _AIMED: aimed at someone (interactions always are)."""
    return frozenset(a.name for a in REGISTRY if a.aimed or a.interaction)


def directional() -> frozenset[str]:
    """The offline planner's _DIRECTIONAL."""
    return _flag("directional")


def zh_object_verbs() -> frozenset[str]:
    """The offline planner's _OBJECT_VERBS."""
    return _flag("zh_object")


def right_handed() -> frozenset[str]:
    """The offline planner's _RIGHT_HANDED."""
    return _flag("right_handed")


def timing_table() -> dict[str, Timing]:
    """The offline planner's _TIMING: default durations of what it writes."""
    return {a.name: a.timing for a in REGISTRY if a.timing is not None}


# --- derived: the offline planner's words ---------------------------------------------------
def zh_verb_patterns() -> tuple[tuple[str, str, str | None], ...]:
    """The planner's _ZH_VERBS: (pattern, action, direction), most specific first (by rank).
    Only actions the offline planner writes (say and think wait until it writes params.text)."""
    hits = sorted(((v, a.name) for a in REGISTRY if a.offline for v in a.zh), key=lambda h: h[0].rank)
    return tuple((v.pattern, name, v.direction) for v, name in hits)


def en_verb_entries() -> tuple[tuple[str, str, str, str | None], ...]:
    """The planner's _EN_VERBS: (verb, suffix, action, direction), phrasal verbs first (by rank).
    Only actions the offline planner writes, as zh_verb_patterns."""
    hits = sorted(((v, a.name) for a in REGISTRY if a.offline for v in a.en), key=lambda h: h[0].rank)
    return tuple((v.verb, v.suffix, name, v.direction) for v, name in hits)


def _rank(v: ZhVerb | EnVerb) -> int:
    return v.rank


def _en_verbs() -> list[EnVerb]:
    return sorted((v for a in REGISTRY for v in a.en), key=_rank)


def en_irregular() -> dict[str, tuple[str, ...]]:
    """The planner's _EN_IRREGULAR: verb -> its irregular forms."""
    out: dict[str, tuple[str, ...]] = {}
    for v in _en_verbs():
        if v.irregular:
            out[v.verb] = tuple(dict.fromkeys((*out.get(v.verb, ()), *v.irregular)))
    return out


def en_doubling() -> frozenset[str]:
    """The planner's _EN_DOUBLING: verbs that double their last consonant."""
    return frozenset(v.verb for v in _en_verbs() if v.doubles)


def caption_word(action: str, lang: str, plural: bool = False) -> str:
    """The word a caption uses for `action`: 挥手; English "wave" (plural) or "waves"."""
    a = get(action)
    word = a.zh_word if lang == "zh" else a.en_words[0 if plural else 1]
    if not word:
        raise KeyError(f"action {action!r} has no {lang} caption word")
    return word


def zh_words() -> dict[str, str]:
    """The planner's _ZH_WORDS."""
    return {a.name: a.zh_word for a in REGISTRY if a.zh_word}


def en_words() -> dict[str, tuple[str, str]]:
    """The planner's _EN_WORDS: action -> (plural, singular)."""
    return {a.name: a.en_words for a in REGISTRY if a.en_words[0]}


def zh_aimed_words() -> dict[str, str]:
    """The planner's _ZH_AIMED: captions with a target {t}."""
    return {a.name: a.zh_aimed for a in REGISTRY if a.zh_aimed}


def en_aimed_words() -> dict[str, str]:
    """The planner's _EN_AIMED: the preposition before a target."""
    return {a.name: a.en_aimed for a in REGISTRY if a.en_aimed}


# --- derived: the LLM prompt ----------------------------------------------------------------
def prompt_lines() -> list[str]:
    """The prompt's "Actions and the params they read" lines: actions that read the same params
    share a line ("- jump, clap, nod, shake_head, kick: times"). pose's line names the angle
    channels as CHANNELS, for the prompt to fill in (schema.POSE_CHANNELS)."""
    groups: dict[str, list[str]] = {}
    for a in REGISTRY:
        groups.setdefault(a.prompt, []).append(a.name)
    return [f"- {', '.join(group)}: {text}" for text, group in groups.items()]
