"""Keys in text: mask one for display, redact them from messages, scrub them out of settings.

Cheap to import (only `re`): config, the planners, the cache and health all use it. Not to be
confused with the standard library's `secrets` (this one is `stickanim_jupyter.secrets`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

MASK = "***"

# Strings that look like a credential wherever they appear, configured or not.
KEY_SHAPES = re.compile(
    r"(?:sk|pk|rk)-[A-Za-z0-9_\-]{8,}"  # OpenAI, Anthropic (sk-ant-...), most compatibles
    r"|AIza[0-9A-Za-z_\-]{20,}"  # Google
    r"|(?i:bearer)\s+[A-Za-z0-9._\-]{8,}"
    r"|(?i:(?:api[_-]?key|x-api-key|authorization)[\"']?\s*[:=]\s*[\"']?(?:bearer\s+)?)[^\s\"',}]{6,}"
    r"|(?<=://)[^/@\s:]+:[^/@\s]+(?=@)"  # user:password@ in a URL
)
# Words of a setting's name that make its value a secret ("Authorization", "x-api-key",
# "aws_secret_access_key", "azure_ad_token"); "max_tokens" is not one of them.
_SECRET_WORDS = frozenset(
    {"authorization", "auth", "apikey", "key", "token", "secret", "password", "passwd", "cookie",
     "credential", "credentials", "signature"}
)  # fmt: skip


def mask_key(key: str | None) -> str:
    """'sk-5pLDabcdef...' -> 'sk-5pL***': at most a quarter of the key and at most 6 characters.

    Keys under 16 characters show nothing of themselves.
    """
    if not key:
        return ""
    shown = min(6, len(key) // 4) if len(key) >= 16 else 0
    return f"{key[:shown]}{MASK}"


def redact(text: str, secrets: Iterable[str | None] = (), *, one_line: bool = True) -> str:
    """Remove every given secret (whatever its length) and anything key-shaped.

    By default also collapse the text to one line.
    """
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = KEY_SHAPES.sub(MASK, text)
    return " ".join(text.split()) if one_line else text


def is_secret_name(name: Any) -> bool:
    """Does a setting called `name` hold a credential (a header, a key, a token...)?"""
    words = re.split(r"[^a-z0-9]+", str(name).lower())
    joined = "".join(words)
    return bool(_SECRET_WORDS.intersection(words)) or "apikey" in joined


def scrub(value: Any, *, hide: bool = False) -> Any:
    """A copy of `value` (a provider's params...) safe to show or store: every header value,
    every entry whose name looks secret and every key-shaped string becomes '***'."""
    if isinstance(value, Mapping):
        return {
            k: scrub(v, hide=hide or is_secret_name(k) or "header" in str(k).lower())
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(v, hide=hide) for v in value]
    if hide and value is not None:
        return MASK
    if isinstance(value, str):
        return redact(value, one_line=False)
    return value
