"""Where the widget's browser assets are: packaged in wheels, else the repository's js/.

Wheels carry them as stickanim_jupyter/static/ (see pyproject's force-include); an editable
install reads the repository's js/ directly, so a JS edit shows without a rebuild.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _asset(name: str) -> Path:
    packaged = _PACKAGE / "static" / name
    if packaged.is_file():
        return packaged
    return _PACKAGE.parents[1] / "js" / name


def widget_js_path() -> Path:
    """The player's ES module (js/widget.js)."""
    return _asset("widget.js")


def widget_css_path() -> Path:
    """The player's stylesheet (js/widget.css); callers check that it exists."""
    return _asset("widget.css")
