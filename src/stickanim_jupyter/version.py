"""The installed version, for `stickanim --version` and `%animate version`."""

from __future__ import annotations

DISTRIBUTION = "stickanim-jupyter"
__version__ = "0.1.0"  # the source tree's; an install reports its metadata's


def version() -> str:
    """The installed distribution's version; the package's __version__ when run from a source tree."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed(DISTRIBUTION)
    except PackageNotFoundError:
        return __version__


def version_line() -> str:
    """'stickanim-jupyter 0.1.0'."""
    return f"{DISTRIBUTION} {version()}"
