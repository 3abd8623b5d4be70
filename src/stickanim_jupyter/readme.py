"""The README's generated parts: today the action table, derived from the action registry.

`python -m stickanim_jupyter.readme [README.md]` rewrites them in place (run it from the
repository root after editing actions.py); tests/test_actions.py fails while they are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .actions import readme_table

START, END = "<!-- actions:start -->", "<!-- actions:end -->"


def _bounds(text: str) -> tuple[int, int]:
    return text.index(START) + len(START), text.index(END)


def section(text: str) -> str:
    """What stands between the README's action-table markers."""
    start, end = _bounds(text)
    return text[start:end].strip("\n") + "\n"


def refresh(path: Path) -> bool:
    """Rewrite the action table of the README at `path`; True if it changed."""
    text = path.read_text(encoding="utf-8")
    start, end = _bounds(text)
    new = text[:start] + "\n" + readme_table() + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0] if args else "README.md")
    print(f"{path}: {'updated' if refresh(path) else 'already up to date'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
