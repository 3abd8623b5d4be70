"""The README's generated parts: today the action table, derived from the action registry.

`python -m stickanim_jupyter.readme [README.md]` rewrites them in place (run it from the
repository root after editing actions.py); tests/test_actions.py fails while they are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .actions import REGISTRY, REQUIRED, ActionDef

START, END = "<!-- actions:start -->", "<!-- actions:end -->"


def _param_cell(a: ActionDef) -> str:
    def one(name: str, default: object) -> str:
        if default is None:
            return f"`{name}`"
        if default == REQUIRED:
            return f"`{name}` (required)"
        shown = f"{default:g}" if isinstance(default, float) else default
        return f"`{name}`={shown}"

    return ", ".join(one(n, d) for n, d in a.params)


def _plain_zh(a: ActionDef, limit: int = 4) -> list[str]:
    """The caption word and the first plain words (no regex syntax) of the lexicon, the ones
    with no implied direction first."""
    words = [a.zh_word] if a.zh_word else []
    for v in sorted(a.zh, key=lambda z: (z.direction is not None, z.rank)):
        words += [w for w in v.pattern.split("|") if w and all("\u4e00" <= c <= "\u9fff" for c in w)]
    return list(dict.fromkeys(words))[:limit]


def _plain_en(a: ActionDef, limit: int = 4) -> list[str]:
    words = [a.en_words[0]] if a.en_words[0] else []
    words += [v.verb for v in sorted(a.en, key=lambda e: e.rank) if not v.suffix]
    return list(dict.fromkeys(words))[:limit]


def action_table() -> str:
    """The README's action table (Markdown), one row per action."""
    rows = [
        "| Action | Params (default) | What it does | 中文 | English |",
        "|---|---|---|---|---|",
    ]
    for a in REGISTRY:
        cells = [f"`{a.name}`", _param_cell(a), a.summary, ", ".join(_plain_zh(a)), ", ".join(_plain_en(a))]
        cells = [c or "—" for c in cells]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


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
    new = text[:start] + "\n" + action_table() + text[end:]
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
