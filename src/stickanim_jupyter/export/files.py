"""Where exports go: a path written atomically, or a binary file object; and the export error."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import IO

from ..errors import StickanimError


class ExportError(StickanimError, ValueError):
    """An export was asked for something it cannot do (unknown extension, unknown option...)."""

    kind = "export_error"


def emit(data: bytes, target: str | os.PathLike | IO[bytes]) -> Path | None:
    """Write `data` to a path (returned, written atomically) or to a binary file object."""
    if isinstance(target, (str, os.PathLike)):
        return write_atomic(Path(target), data)
    target.write(data)
    return None


def write_atomic(path: Path, data: bytes) -> Path:
    # A reader (a notebook's <img>, a file watcher) never sees a half-written file. os.open with
    # 0o666 keeps the usual umask-derived mode (mkstemp would leave 0600).
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as err:
        # A missing directory, a read-only file...: the user's path, never the temporary one.
        raise ExportError(f"cannot write {path}: {err.strerror or type(err).__name__}") from None
    return path
