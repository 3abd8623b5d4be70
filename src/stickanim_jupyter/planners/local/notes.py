"""Script.notes: plain sentences about what the Script shows otherwise than the story says."""

from __future__ import annotations

from ...schema import MAX_CHARACTERS, MAX_NOTES, MAX_PROPS, MAX_SPEECH_CHARS, MAX_TEXT
from ...text import clip
from .reader import _Reader
from .things import ANIMALS
from .writer import _excerpt

_QUOTED = 60  # characters of the story quoted in a note


def notes_of(reader: _Reader, dropped: bool = False, idle: bool = False) -> list[str]:
    """Notes in the order a reader meets the problems; at most MAX_NOTES, each one line."""
    out = list(reader.notes)
    shown = " — shown standing idle" if idle else ""
    out += [f"not understood: {clip(_excerpt(u), _QUOTED)}{shown}" for u in reader.unknown[:3]]
    out += [
        f"words cut to {MAX_SPEECH_CHARS} characters: “{clip(s.text, 24)}”" for s in reader.said if s.clipped
    ]
    out += [f"no {key} figure: shown as a person" for key in dict.fromkeys(c.key for c in reader.cast.chars)
            if key in ANIMALS]  # fmt: skip
    if reader.cast.capped:
        out.append(f"at most {MAX_CHARACTERS} characters fit on the stage: the others were left out")
    if reader.things.capped:
        out.append(f"at most {MAX_PROPS} things fit on the stage: the others were left out")
    if dropped:
        out.append("the story is long: later actions were left out")
    return [clip(n, MAX_TEXT) for n in dict.fromkeys(out)][:MAX_NOTES]
