"""Content-addressed on-disk cache of Scripts, so re-running a notebook costs no tokens.

Why our own: LiteLLM's disk cache is gone (1.109+) and its in-memory cache crashes on a hit
without the proxy extras (see docs/architecture.md). The key is the sha256 of everything that
shapes the answer (provider, model, api_base, prompt version, story, sampling params) -- never
a key: secrets.scrub masks headers and secret-looking params before they are hashed or stored.
Writes are atomic (temp file + os.replace), so a crash leaves either the old entry or none.
An entry is read only if it is a regular file (no symlink, FIFO or device) of at most
MAX_ENTRY_BYTES; anything unreadable, oversized, deeply nested or invalid is a miss, never an
error or a hang.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .schema import Script
from .secrets import scrub

log = logging.getLogger(__name__)

CACHE_FORMAT = 1
MAX_ENTRY_BYTES = 1_000_000  # a Script is a few KB; a bigger entry is not ours
# Never follow a planted symlink; never block on a FIFO (O_NONBLOCK returns at once).
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
)


def default_cache_dir() -> Path:
    """$STICKANIM_CACHE_DIR, else the user cache dir (platformdirs) / scripts."""
    env = os.environ.get("STICKANIM_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("stickanim", appauthor=False)) / "scripts"


def cache_key(parts: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of `parts` (sorted keys, no whitespace), secrets masked."""
    blob = json.dumps(scrub(parts), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ScriptCache:
    """Scripts on disk under `directory/<2 hex>/<sha256>.json`."""

    def __init__(self, directory: str | os.PathLike | None = None) -> None:
        self.directory = Path(directory).expanduser() if directory else default_cache_dir()

    def path_for(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[Script, dict[str, Any]] | None:
        """(Script, stored meta) or None on a miss, including a corrupt or stale entry."""
        path = self.path_for(key)
        try:
            raw = read_regular(path, MAX_ENTRY_BYTES)
            if raw is None:
                log.debug("cache entry %s is not a regular file of at most %d bytes: a miss", path.name,
                          MAX_ENTRY_BYTES)  # fmt: skip
                return None
            entry = json.loads(raw)
            if entry.get("format") != CACHE_FORMAT or entry.get("key") != key:
                return None
            return Script.parse(entry["script"]), dict(entry.get("meta") or {})
        except FileNotFoundError:
            return None
        except Exception as err:  # any failure to read or parse (RecursionError included) is a miss
            log.debug("cache entry %s unusable (%s): treated as a miss", path.name, type(err).__name__)
            return None

    def put(self, key: str, script: Script, meta: Mapping[str, Any], parts: Mapping[str, Any]) -> Path | None:
        """Store atomically; returns the path, or None when the disk refuses (a cache never fails a run)."""
        path = self.path_for(key)
        entry = {
            "format": CACHE_FORMAT,
            "key": key,
            "created": time.time(),
            "parts": scrub(parts),
            "meta": dict(meta),
            "script": script.model_dump(mode="json"),
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            data = json.dumps(entry, ensure_ascii=False).encode("utf-8")
            if len(data) > MAX_ENTRY_BYTES:  # it would never be read back
                return None
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as err:
            log.debug("cache write to %s failed: %s", path, err.strerror or err)
            return None
        return path

    def clear(self) -> int:
        """Delete every entry; returns how many."""
        n = 0
        for p in self.directory.glob("??/*.json"):
            p.unlink(missing_ok=True)
            n += 1
        return n


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file (not a symlink, FIFO or device) of at most
    `limit` bytes, else None; FileNotFoundError when there is nothing."""
    if not stat.S_ISREG(os.lstat(path).st_mode):  # for systems without O_NOFOLLOW
        return None
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)  # the file actually opened, not the one looked at above
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    return data if len(data) <= limit else None
