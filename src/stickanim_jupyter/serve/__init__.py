"""`stickanim serve`: the seed's web API and a page with the notebook's player.

Needs the optional `serve` extra (Starlette + uvicorn); this module imports neither until the
command runs, so the CLI stays usable without it. The app itself is in app.py.
"""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5001
INSTALL_HINT = "stickanim serve needs the serve extra: pip install 'stickanim-jupyter[serve]'"


def add_cli_command(sub: Any) -> None:
    """The `serve` subcommand, on the `stickanim` parser's subparsers."""
    p = sub.add_parser("serve", help="serve the web API and a page with the player")
    p.add_argument("--host", default=DEFAULT_HOST, help=f"interface to listen on (default {DEFAULT_HOST}: "
                   "this machine only; a public address lets anyone who reaches it use your providers)")  # fmt: skip
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    p.add_argument("--config", help="path to config.yml")
    p.add_argument("--concurrency", type=_positive_int, default=4, help="generations at once (default 4)")
    p.add_argument(
        "--deadline", type=_positive_float, default=120.0, help="seconds per request (default 120)"
    )
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import starlette  # noqa: F401
        import uvicorn
    except ImportError:
        print(f"stickanim: {INSTALL_HINT}", file=sys.stderr)
        return 1
    from ..errors import StickanimError
    from ..text import error_line
    from .app import LOOPBACK_NAMES, create_app, host_name

    loopback = is_loopback(args.host)
    try:
        app = create_app(
            args.config,
            concurrency=args.concurrency,
            deadline=args.deadline,
            allowed_hosts=LOOPBACK_NAMES | {host_name(args.host)} if loopback else None,
        )
        sock = listen(args.host, args.port)
    except (StickanimError, OSError) as err:
        print(f"stickanim: {error_line(err)}", file=sys.stderr)
        return 1
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"stickanim serve: http://{shown}:{sock.getsockname()[1]}/", file=sys.stderr, flush=True)
    if not loopback:
        print("stickanim: listening on a public interface: anyone who reaches it can spend your providers' "
              "quota", file=sys.stderr, flush=True)  # fmt: skip
    config = uvicorn.Config(
        app, log_config=log_config(), server_header=False, timeout_graceful_shutdown=5, limit_concurrency=256
    )
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def listen(host: str, port: int) -> socket.socket:
    """A bound, listening socket; OSError (port in use, unknown host) says why in one line."""
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:  # a host name such as localhost
        family = socket.AF_INET
    try:
        sock = socket.create_server((host, port), family=family, backlog=128)
    except OSError as err:
        raise OSError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
    sock.set_inheritable(True)
    return sock


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def log_config() -> dict[str, Any]:
    """uvicorn's logging, plus our `stickanim` logger (error lines, redacted) on the same stream."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    cfg = copy.deepcopy(LOGGING_CONFIG)
    cfg["loggers"]["stickanim"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return cfg


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value
