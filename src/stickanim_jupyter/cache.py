"""Content-addressed on-disk cache of Scripts, so re-running a notebook costs no tokens.

Why our own: LiteLLM's disk cache is gone (1.109+) and its in-memory cache crashes on a hit
without the proxy extras (DESIGN.md). The key is the sha256 of everything that shapes the
answer (provider, model, api_base, prompt version, story, sampling params) -- never a key.
Writes are atomic (temp file + os.replace), so a crash leaves either the old entry or none;
an unreadable or invalid entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ValidationError
from .schema import Script

log = logging.getLogger(__name__)

CACHE_FORMAT = 1


def default_cache_dir() -> Path:
    """$STICKANIM_CACHE_DIR, else the user cache dir (platformdirs) / scripts."""
    env = os.environ.get("STICKANIM_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("stickanim", appauthor=False)) / "scripts"


def cache_key(parts: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of `parts` (sorted keys, no whitespace)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
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
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry.get("format") != CACHE_FORMAT or entry.get("key") != key:
                return None
            return Script.parse(entry["script"]), dict(entry.get("meta") or {})
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError, ValidationError) as err:
            log.debug("cache entry %s unusable (%s): treated as a miss", path.name, type(err).__name__)
            return None

    def put(self, key: str, script: Script, meta: Mapping[str, Any], parts: Mapping[str, Any]) -> Path | None:
        """Store atomically; returns the path, or None when the disk refuses (a cache never fails a run)."""
        path = self.path_for(key)
        entry = {
            "format": CACHE_FORMAT,
            "key": key,
            "created": time.time(),
            "parts": dict(parts),
            "meta": dict(meta),
            "script": script.model_dump(mode="json"),
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(entry, fh, ensure_ascii=False)
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
