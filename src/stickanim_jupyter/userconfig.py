"""The user's own config.yml: which file is used, where the user's goes, and `stickanim config`.

The packaged default sits inside the installed package (site-packages): it is read, never
edited. The file to edit is the user's: user_config_dir()/config.yml, which `stickanim config
--init` writes as a commented copy of the packaged default.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import config as config_mod
from .cli_output import fail, print_json
from .config import CONFIG_NAME, KEYS_NAME, Config, load_config, packaged_default
from .errors import ConfigError, StickanimError

LOOKUP_ORDER = (
    "--config / config=",
    "$STICKANIM_CONFIG",
    "./config.yml",
    "the user config dir",
    "the packaged default",
)


def user_config_file() -> Path:
    """Where the user's own config.yml goes (it may not exist yet)."""
    return config_mod.user_config_dir() / CONFIG_NAME


def user_keys_file() -> Path:
    return config_mod.user_config_dir() / KEYS_NAME


def config_lines(cfg: Config) -> list[str]:
    """Which config.yml is used and where the user's own goes (`stickanim config`, `%animate config`)."""
    own = user_config_file()
    state = "exists" if own.is_file() else "not written yet: `stickanim config --init` writes it"
    return [
        f"config file: {cfg.path or '(built-in defaults)'} (from {cfg.source})",
        f"your config file: {own} ({state})",
        f"your keys file: {user_keys_file()}",
        f"lookup order: {', '.join(LOOKUP_ORDER)}",
    ]


def config_report(cfg: Config) -> dict[str, Any]:
    """`stickanim config --json`: file paths and provider names, never a key."""
    own = user_config_file()
    return {
        "config_file": str(cfg.path) if cfg.path else None,
        "source": cfg.source,
        "user_config_file": str(own),
        "user_config_exists": own.is_file(),
        "user_keys_file": str(user_keys_file()),
        "keys_files": [str(p) for p in cfg.keys_files],
        "lookup_order": list(LOOKUP_ORDER),
        "default": cfg.provider,
        "fallbacks": cfg.fallbacks,
        "providers": cfg.names,
    }


def template() -> str:
    """The commented config.yml that --init writes: the packaged default's text."""
    source = packaged_default()
    if source is None:
        raise ConfigError("the packaged default config.yml is missing (a broken install?)")
    return source.read_text(encoding="utf-8")


def init_config(target: Path | None = None, *, force: bool = False) -> Path:
    """Write the commented config.yml to `target` (default: the user's); never over a file
    that exists unless `force`."""
    target = Path(target).expanduser() if target else user_config_file()
    text = template()
    if target.exists() and not force:
        raise ConfigError(f"{target} exists; --force replaces it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w" if force else "x", encoding="utf-8") as fh:  # "x": no race either
            fh.write(text)
    except OSError as err:
        raise ConfigError(f"cannot write {target}: {err.strerror or err}") from None
    return target


# --- CLI: `stickanim config [--init [--force]] [--json] [--config PATH]` -----------------------
def add_cli_command(sub: Any) -> None:
    """Called by cli.build_parser."""
    c = sub.add_parser("config", help="which config.yml is used and where yours goes; --init writes yours")
    c.add_argument(
        "--init", action="store_true", help="write a commented config.yml (yours, or --config PATH)"
    )
    c.add_argument("--force", action="store_true", help="with --init: replace an existing file")
    c.add_argument("--json", action="store_true", help="machine-readable output")
    c.add_argument("--config", help="path to config.yml (with --init: where to write it)")
    c.set_defaults(func=cmd_config)


def cmd_config(args: Any) -> int:
    try:
        if args.init:
            return _init(args)
        cfg = load_config(args.config)
    except StickanimError as err:
        return fail(err, args.json)
    if args.json:
        print_json(config_report(cfg))
        return 0
    print("\n".join(config_lines(cfg)))
    print(f"default provider: {cfg.provider}")
    print(f"fallbacks: {', '.join(cfg.fallbacks) or '(none)'}")
    print(f"providers: {', '.join(cfg.names)} (`stickanim providers` shows their keys and models)")
    return 0


def _init(args: Any) -> int:
    written = init_config(args.config, force=args.force)
    used = load_config(None if not args.config else written)
    if args.json:
        print_json({"success": True, "written": str(written), **config_report(used)})
        return 0
    print(f"wrote {written}")
    if not args.config and (used.path is None or used.path.resolve() != written.resolve()):
        print(f"note: {used.path} (from {used.source}) comes first here")
    return 0
