"""stickanim-jupyter: a short story becomes a stick-figure animation, inline in Jupyter.

Importing this package is cheap: litellm, anywidget and the compiler load on first use.
"""

from __future__ import annotations

from typing import Any

from . import display as _display
from .errors import ConfigError, GenerationError, ProviderError, StickanimError, StoryError, ValidationError
from .schema import Animation, Script, set_presenter
from .version import __version__ as __version__

set_presenter(_display)  # an Animation as a cell's value shows the player (display.py)

__all__ = [
    "Animation", "Script", "generate", "generate_many", "animate", "plan", "compile_script",
    "GenerationOptions", "generate_with", "plan_with",
    "StickanimError", "StoryError", "ValidationError", "ConfigError", "ProviderError", "GenerationError",
    "load_ipython_extension",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    # Lazy public API: keeps `import stickanim_jupyter` and `%load_ext` fast.
    if name in ("generate", "plan", "generate_many", "generate_with", "plan_with"):
        from . import api

        return getattr(api, name)
    if name == "GenerationOptions":
        from .options import GenerationOptions

        return GenerationOptions
    if name == "compile_script":
        from .compiler import compile_script

        return compile_script
    if name in ("animate", "AnimationWidget"):
        from . import widget

        return getattr(widget, name)
    raise AttributeError(f"module 'stickanim_jupyter' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext stickanim_jupyter`: registers %%animate and %animate, prints nothing."""
    from .magic import AnimateMagics

    ipython.register_magics(AnimateMagics)


def unload_ipython_extension(ipython: Any) -> None:  # pragma: no cover - nothing to undo
    pass
