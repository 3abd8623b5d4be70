"""An Animation as a cell's value shows the player: `anim = generate(...)` then `anim`.

The package's __init__ hands this module to schema.set_presenter (widget.py imports schema,
so schema cannot import the widget). anywidget loads here, when the first Animation is shown,
not when the package is imported. The text/plain of what is shown is repr(anim), one short
line that is the same on every run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .summary import animation_line

if TYPE_CHECKING:
    from .schema import Animation
    from .widget import AnimationWidget


def _widget(anim: Animation) -> AnimationWidget:
    from .widget import AnimationWidget

    return AnimationWidget.from_animation(anim)


def _in_terminal() -> bool:
    """True in a terminal IPython: no frontend there draws a widget, the line is enough."""
    from IPython import get_ipython

    shell = get_ipython()
    return shell is None or type(shell).__module__.startswith("IPython.terminal")


def mimebundle(anim: Animation, include: Any = None, exclude: Any = None) -> tuple[dict, dict] | dict:
    """The widget's bundle (widget view, static view as text/html) with the Animation's line."""
    text = animation_line(anim)
    bundle = _widget(anim)._repr_mimebundle_(text=text)
    return bundle if bundle is not None else {"text/plain": text}


def show(anim: Animation) -> None:
    """Display the player and its static view (AnimationWidget._ipython_display_)."""
    text = animation_line(anim)
    if _in_terminal():
        from IPython.display import display

        display({"text/plain": text}, raw=True)
        return
    _widget(anim).show(text=text)
