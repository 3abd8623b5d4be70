"""Scrubbing keys out of text: every message the LLM planner raises or logs goes through redact()."""

from __future__ import annotations

import re

_KEY_SHAPES = re.compile(
    r"(?:sk|pk|rk)-[A-Za-z0-9_\-]{8,}"  # OpenAI, Anthropic (sk-ant-...), most compatibles
    r"|AIza[0-9A-Za-z_\-]{20,}"  # Google
    r"|(?i:bearer)\s+[A-Za-z0-9._\-]{8,}"
    r"|(?i:(?:api[_-]?key|x-api-key|authorization)[\"']?\s*[:=]\s*[\"']?(?:bearer\s+)?)[^\s\"',}]{6,}"
)


def redact(text: str, secrets: list[str] | tuple[str, ...] = (), *, one_line: bool = True) -> str:
    """Remove the given secrets and anything key-shaped; by default also collapse to one line."""
    for secret in sorted((s for s in secrets if s and len(s) >= 4), key=len, reverse=True):
        text = text.replace(secret, "***")
    text = _KEY_SHAPES.sub("***", text)
    return " ".join(text.split()) if one_line else text
