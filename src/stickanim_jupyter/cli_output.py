"""What the `stickanim` commands print: JSON, and a failure as one line or the error envelope.

Shared by cli.py and the health/verify commands (health.py), so neither imports the other's
internals.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from .errors import StickanimError


def print_json(obj: Any, indent: int | None = 2) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=indent))


def fail(err: Exception, as_json: bool) -> int:
    """One line (or the seed's failure envelope) and exit code 1; never a traceback."""
    if isinstance(err, StickanimError):
        payload = err.to_dict()
    else:  # a bug of ours: still one line, with the exception's class for the report
        payload = {"type": "internal_error", "message": f"{type(err).__name__}: {err}"}
    if as_json:
        print_json({"success": False, "error": payload})
    else:
        print(f"stickanim: {payload['message']}", file=sys.stderr)
    return 1
