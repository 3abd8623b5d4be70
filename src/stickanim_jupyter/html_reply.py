"""A provider that answers with a web page (HTML) where its API should answer JSON.

Usual causes: an api_base pointing at a web site, a login or captive portal, a proxy's page
sent with HTTP 200. LiteLLM reports it as a server error (HTTP 500) when not streaming and as
an empty answer when streaming; these helpers recognise it so the user reads what happened.
Cheap to import (no litellm).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

HTML_REPLY = "the provider answered with HTML, not JSON (is api_base right?)"
# LiteLLM's message for a 200 answer that is not a completion quotes the start of the body.
_RECEIVED = re.compile(r"Received: '(.{0,300})", re.S)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.I | re.S)


class HtmlReply(Exception):
    """A streamed answer that came back as a web page (raised by check_stream)."""


def html_reply(exc: BaseException) -> str | None:
    """What the page was (e.g. "page title 'Sign in'") when `exc` reports an HTML answer, else None."""
    for err in _chain(exc):
        if isinstance(err, HtmlReply):
            return str(err)
        if isinstance(err, json.JSONDecodeError):
            body: str | None = err.doc
        else:
            found = _RECEIVED.search(str(err))
            body = found.group(1) if found else None
        if body is not None and body.lstrip().startswith("<"):
            return describe(body)
    return None


def check_stream(stream: Any, chars: int) -> None:
    """Raise HtmlReply when a stream gave no text and its HTTP response was a web page."""
    if chars:
        return
    if "text/html" in _content_type(stream).lower():
        raise HtmlReply("a text/html page instead of an event stream")


def _content_type(stream: Any) -> str:
    """The Content-Type of a LiteLLM stream's HTTP response ("" when unknown)."""
    # LiteLLM keeps the response headers, prefixed, once the stream is drained and closed.
    hidden = getattr(stream, "_hidden_params", None)
    headers = hidden.get("additional_headers") if isinstance(hidden, dict) else None
    if isinstance(headers, dict) and headers.get("llm_provider-content-type"):
        return str(headers["llm_provider-content-type"])
    response = getattr(getattr(stream, "completion_stream", None), "response", None)
    raw = getattr(response, "headers", None)
    return str(raw.get("content-type", "")) if raw is not None else ""


def describe(body: str) -> str:
    title = _TITLE.search(body)
    if title and title.group(1).strip():
        return f"page title {' '.join(title.group(1).split())[:80]!r}"
    return f"the answer starts {body.lstrip()[:40]!r}"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and the exceptions it was raised from or during (bounded: chains can loop)."""
    seen: set[int] = set()
    err: BaseException | None = exc
    while err is not None and id(err) not in seen and len(seen) < 20:
        seen.add(id(err))
        yield err
        err = err.__cause__ or err.__context__
