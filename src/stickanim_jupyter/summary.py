"""One line about an Animation, for people: its repr, the widget's repr, the static view's caption.

Cheap and deterministic (no timings, no ids), so outputs saved in a notebook stay the same
from one run to the next.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .text import NAME_CHARS, display_text, one_line

if TYPE_CHECKING:
    from .schema import Animation

TITLE_CHARS = 60  # a title in a one-line summary


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(anim: Animation) -> str:
    """'2 characters (Alice, Bob), 1 scene, 4.0 s, provider local' ('…, 2 things, …' with props)."""
    names = ", ".join(display_text(c.name, NAME_CHARS) for c in anim.characters)
    things = f"{_plural(len(anim.props), 'thing')}, " if anim.props else ""
    return (
        f"{_plural(len(anim.characters), 'character')} ({names}), {things}{_plural(len(anim.scenes), 'scene')}, "
        f"{anim.duration_ms / 1000:.1f} s, provider {anim.meta.provider}"
    )


def title_text(anim: Animation) -> str:
    return display_text(one_line(anim.title), TITLE_CHARS) or "(untitled)"


def animation_line(anim: Animation) -> str:
    """repr(Animation): 'Animation: Wave — 1 character (Ann), 1 scene, 2.0 s, provider local'."""
    return f"Animation: {title_text(anim)} — {summary_line(anim)}"
