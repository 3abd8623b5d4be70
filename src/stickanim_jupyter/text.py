"""Text for people: one line, shortened. Every message, status line and caption goes through here."""

from __future__ import annotations

from .errors import StickanimError

MAX_ERROR_CHARS = 300  # one error line: the widget's error bar, the magics' stderr
NAME_CHARS = 24  # a character's name in a legend or a summary line

# Bidi embeddings, overrides, isolates and marks (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F,
# U+061C): in a name, title or caption they would reorder the text around them ("\u202eevil"
# shows as "live"). Text for display drops them.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_NO_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))


def one_line(text: object, limit: int | None = None) -> str:
    """`text` on one line (every kind of line break and run of spaces becomes one space),
    shortened to `limit` characters with an ellipsis."""
    flat = " ".join(str(text).split())  # str.split() also splits at \u2028 and the other line breaks
    return clip(flat, limit)


def clip(text: str, limit: int | None) -> str:
    """`text` shortened to `limit` characters, the last one an ellipsis when it was cut."""
    if limit is None or len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…"


def error_line(err: BaseException, *, with_type: bool = False) -> str:
    """An exception as one short line, never a traceback: the widget's error bar, the magics' stderr.

    A StickanimError shows its message (already one safe line); anything else, or any error
    when `with_type`, reads 'Type: message'. At most MAX_ERROR_CHARS characters.
    """
    text = one_line(err)
    if with_type or not isinstance(err, StickanimError):
        text = f"{type(err).__name__}: {text}" if text else type(err).__name__
    return clip(text or "(no message)", MAX_ERROR_CHARS)


def display_text(text: object, limit: int | None = None) -> str:
    """`text` as a label shows it: bidi control characters removed, then shortened to `limit`
    characters, the last one an ellipsis when it was cut. js/widget.js mirrors this function."""
    return clip(str(text).translate(_NO_BIDI), limit)


def notes_line(notes: list[str]) -> str | None:
    """An Animation's meta.notes as one line for a terminal or a cell: 'note: a; b' (None: no notes)."""
    parts = [display_text(one_line(n)) for n in notes if str(n).strip()]
    return "note: " + "; ".join(parts) if parts else None
