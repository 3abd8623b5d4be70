"""Reading our small YAML files (config.yml, llm_config.yml) so that no file can hurt.

A bad file is a one-line ConfigError naming it and its problem: not UTF-8, not YAML, too big,
an alias bomb ("billion laughs"), nested too deeply. The error never carries the file's text
(a keys file holds keys): no chained exception, no parser message quoting it.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr

from .errors import ConfigError
from .secrets import redact

MAX_FILE_BYTES = 1_000_000  # a config or keys file is a few hundred bytes
MAX_YAML_VALUES = 10_000  # values after alias expansion: a "billion laughs" file stops here
MAX_YAML_DEPTH = 32

try:  # the C loader parses ~10x faster; keeps load_config well under 50 ms
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pyyaml without libyaml
    _Loader = yaml.SafeLoader


def read_yaml(path: Path, *, secret: bool = False) -> Any:
    """The YAML document of `path`; ConfigError naming the file and what is wrong with it.

    Raised here, outside any `except`: no chained exception (a UnicodeDecodeError keeps the
    file's bytes, a YAML mark its text) and no local variable holding the text goes with it.
    """
    data, problem = _load_yaml(path, secret)
    if problem:
        raise ConfigError(f"{path} {problem}")
    return data


def _load_yaml(path: Path, secret: bool) -> tuple[Any, str | None]:
    """(document, None) or (None, what is wrong); never raises for a bad file."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        return None, f"cannot be read: {err.strerror or type(err).__name__}"
    if len(raw) > MAX_FILE_BYTES:
        return None, f"is over {MAX_FILE_BYTES:,} bytes: not a config file"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, f"is not UTF-8 text (byte {err.start}); save it as UTF-8"
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        # The parser's message quotes the file; for a keys file that could be a key.
        detail = "" if secret else f": {getattr(err, 'problem', None) or 'syntax error'}"
        return None, f"is not valid YAML{where}{detail}"
    except RecursionError:
        return None, "is not valid YAML: nested too deeply"
    return data, _size_problem(data)


def _size_problem(data: Any) -> str | None:
    """Count the values as a reader would see them, aliases expanded, stopping at the limits.

    PyYAML shares an aliased node instead of copying it, so loading a "billion laughs" file is
    cheap; walking or serializing it (repr, the cache key, pydantic) is not.
    """
    stack: list[tuple[Any, int]] = [(data, 0)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > MAX_YAML_VALUES:
            return f"has over {MAX_YAML_VALUES:,} values once its aliases (*name) are expanded: refused"
        if depth > MAX_YAML_DEPTH:
            return f"is nested over {MAX_YAML_DEPTH} levels deep: refused"
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for pair in node.items() for v in pair)
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return None


def load_keys(
    files: list[Path], allow_from: Collection[Path] = ()
) -> tuple[dict[str, SecretStr], dict[str, frozenset[str]]]:
    """The keys of llm_config.yml files (earlier files win) and the `allow_api_base` entries of
    those in `allow_from` (the user's own files, see key_allowed_for)."""
    keys: dict[str, SecretStr] = {}
    allowed: dict[str, frozenset[str]] = {}
    own = {p.resolve() for p in allow_from}
    for path in files:
        data = read_yaml(path, secret=True) or {}
        if isinstance(data, dict) and isinstance(data.get("llm"), dict):
            data = data["llm"]  # accept the seed's nesting too
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected '<provider>: {{api_key: ...}}' entries")
        for name, entry in data.items():
            shown = redact(str(name))[:40]  # a key pasted where a name goes stays out of messages
            value = entry.get("api_key") if isinstance(entry, dict) else entry
            if value is not None and not isinstance(value, str):
                raise ConfigError(f"{path}: {shown}.api_key must be a string")
            if value and value.strip() and str(name) not in keys:
                keys[str(name)] = SecretStr(value.strip())
            bases = entry.get("allow_api_base") if isinstance(entry, dict) else None
            bases = [bases] if isinstance(bases, str) else bases
            if bases is not None and not (isinstance(bases, list) and all(isinstance(b, str) for b in bases)):
                raise ConfigError(f"{path}: {shown}.allow_api_base must be a URL or a list of URLs")
            if bases and path.resolve() in own:
                allowed[str(name)] = allowed.get(str(name), frozenset()) | frozenset(bases)
    return keys, allowed
