"""The `stickanim` command line: generate, providers, health, verify, config, serve."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from .cli_output import fail, print_json


def cmd_generate(args: argparse.Namespace) -> int:
    try:
        anim = _generate(args)
        saved = anim.save(args.save) if args.save else None
    except Exception as err:  # noqa: BLE001 - the CLI's contract is an envelope, not a traceback
        return fail(err, args.json)
    _print_notes(anim.meta.notes)  # on stderr: stdout stays the result (--json keeps them in meta.notes)
    if args.json:
        print_json(anim.envelope(), indent=None)  # frames make an indented dump huge
        return 0
    names = ", ".join(c.name for c in anim.characters)
    print(f"{anim.title}: {len(anim.characters)} character(s) ({names}), {len(anim.scenes)} scene(s), "
          f"{anim.duration_ms / 1000:.1f} s, provider {anim.meta.provider}")  # fmt: skip
    if saved:
        print(f"saved {saved}")
    return 0


def _generate(args: argparse.Namespace) -> Any:
    """The Animation; with an LLM provider, its progress on stderr (the local planner is instant)."""
    from .config import load_config
    from .options import GenerationOptions
    from .planners import chosen_planner  # litellm loads on the first request, not here

    options = GenerationOptions.from_flags(args)
    options = options.replace(config=load_config(options.config))  # loaded once
    planner = chosen_planner(options, options.config)
    from .api import generate_with

    if planner.offline or args.quiet:
        return generate_with(args.story, options)
    from .cli_progress import StderrProgress

    with StderrProgress(planner.name) as progress:
        return generate_with(args.story, options, progress)


def _print_notes(notes: list[str]) -> None:
    from .text import notes_line

    line = notes_line(notes)
    if line:
        print(line, file=sys.stderr)


def cmd_providers(args: argparse.Namespace) -> int:
    from .config import load_config, providers_info

    try:
        cfg = load_config(args.config)
        rows = providers_info(cfg)
    except Exception as err:  # noqa: BLE001
        return fail(err, args.json)
    if args.json:
        print_json({"default": cfg.provider, "providers": rows})
        return 0
    for row in rows:
        mark = "*" if row["name"] == cfg.provider else " "
        print(f"{mark} {row['name']:<14} {row.get('model') or '-':<40} {row['state']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stickanim", description="Stick-figure animations from short stories."
    )
    _add_version_option(parser)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="turn a story into an animation")
    gen.add_argument("story")
    gen.add_argument("-p", "--provider", help="provider name from config.yml (default: its llm.provider)")
    gen.add_argument("-m", "--model", help="override the provider's model")
    gen.add_argument("--fps", type=int)
    gen.add_argument("--seed", type=int)
    gen.add_argument("--save", metavar="PATH", help="write the animation (.json .gif .svg .html .png)")
    gen.add_argument("--no-cache", action="store_true")
    gen.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    gen.set_defaults(func=cmd_generate)

    prov = sub.add_parser("providers", help="list the configured providers")
    prov.set_defaults(func=cmd_providers)

    for p in (gen, prov):
        p.add_argument("--json", action="store_true", help="machine-readable output")
        p.add_argument("--config", help="path to config.yml")
    _add_llm_commands(sub)
    _add_config_command(sub)
    _add_serve_command(sub)
    return parser


def _add_version_option(parser: argparse.ArgumentParser) -> None:
    from .version import version_line

    parser.add_argument("-V", "--version", action="version", version=version_line())


def _add_config_command(sub: Any) -> None:
    """`stickanim config [--init [--force]]` lives with the user's config file (userconfig.py)."""
    from .userconfig import add_cli_command

    add_cli_command(sub)


def _add_llm_commands(sub: Any) -> None:
    """health and verify live with the provider code (health.py)."""
    from .health import add_cli_commands

    add_cli_commands(sub)


def _add_serve_command(sub: Any) -> None:
    """serve lives in serve/ (its web framework is imported only when it runs)."""
    from .serve import add_cli_command

    add_cli_command(sub)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `stickanim ... | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
