"""The static view of an Animation: title, animated SVG (else a poster frame) and a summary line.

What viewers without a widget manager show (nbconvert, GitHub, an untrusted or reopened
notebook): the widget displays it as an output of its own after the live player, and
js/widget.js hides it while a live player is on screen.
"""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING, Any

from . import export
from .summary import summary_line as summary_line  # re-exported: it lived here
from .text import display_text

if TYPE_CHECKING:
    from .schema import Animation

MAX_EMBEDDED_SVG = 160_000  # bytes of animated SVG worth putting in every saved notebook
STATIC_CLASS = "stickanim-static"  # js/widget.js hides outputs holding it next to a live player
STATIC_WIDTH = 720  # px: the player's widest canvas (MAX_CSS_WIDTH in js/widget.js)


def notes_line(anim: Animation) -> str:
    """'Note: not understood: 浇花 · …' from meta.notes (as the widget shows them), or ''."""
    notes = [display_text(n).strip() for n in anim.meta.notes]
    notes = [n for n in notes if n]
    return f"Note: {' · '.join(notes)}" if notes else ""


def _animated_svg(anim: Animation) -> str | None:
    """The export module's animated SVG when it exists and is small enough to embed."""
    try:
        svg = export.to_svg(anim, max_bytes=MAX_EMBEDDED_SVG, title=False)  # the HTML shows the title
    except Exception:  # noqa: BLE001 - a fallback view must never break display
        return None
    return svg if isinstance(svg, str) and len(svg.encode()) <= MAX_EMBEDDED_SVG else None


def poster_svg(anim: Animation) -> str | None:
    """The poster frame as a static SVG (export.still_svg, without the title the HTML shows)."""
    try:
        return export.still_svg(anim, title=False)
    except Exception:  # noqa: BLE001 - a fallback view must never break display
        return None


def fallback_html(anim: Animation) -> str:
    """The static view: title, the animated SVG (else a poster frame) and a summary line.

    What viewers without a widget manager show (nbconvert, GitHub, an untrusted or reopened
    notebook). At most STATIC_WIDTH px wide, like the player, and narrower in a narrow page.
    """
    svg = _animated_svg(anim) or poster_svg(anim)
    title = html.escape(display_text(anim.title or "Untitled animation"))
    w, h = STATIC_WIDTH, round(STATIC_WIDTH * anim.stage.height / anim.stage.width)
    image = ""
    if svg:
        src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
        image = (
            f'<img alt="{title}" src="{src}" width="{w}" height="{h}" '
            'style="display:block;max-width:100%;height:auto;border:1px solid #e0e0e0;border-radius:4px"/>'
        )
    notes = notes_line(anim)
    note = (
        f'<div style="color:#6b6b6b;font-size:12px;margin-top:2px">{html.escape(notes)}</div>'
        if notes
        else ""
    )
    return (
        f'<div class="{STATIC_CLASS}" style="font-family:sans-serif;max-width:{w + 2}px">'
        f'<div style="font-weight:600;margin:4px 0">{title}</div>'
        f"{image}"
        f'<div style="color:#6b6b6b;font-size:12px;margin-top:4px">{html.escape(summary_line(anim))}</div>'
        f"{note}"
        "</div>"
    )


def static_text(anim: Animation) -> str:
    """The static view's text/plain line (the player's own line is the widget's repr)."""
    return f"Static view: {display_text(anim.title or 'Untitled animation')} (animated SVG)"


class StaticView:
    """The static view of an Animation as a displayable object (text/html + text/plain).

    `AnimationWidget` displays one after its player; `widget.static_view()` shows it alone.
    """

    def __init__(self, anim: Animation, page: str | None = None) -> None:
        self.animation = anim
        self._html = page

    @property
    def html(self) -> str:
        if self._html is None:
            self._html = fallback_html(self.animation)
        return self._html

    def __repr__(self) -> str:
        return static_text(self.animation)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        return {"text/html": self.html, "text/plain": repr(self)}
