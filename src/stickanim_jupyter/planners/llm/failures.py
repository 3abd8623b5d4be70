"""The LLM planner's failures: a LiteLLM/OpenAI exception classified (kind, status, retryable),
and our one-line ProviderError for it, scrubbed of keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...errors import ProviderError
from ...html_reply import HTML_REPLY, html_reply
from ...secrets import redact
from ...text import clip
from ..base import PlanRun
from .target import Target

MAX_DETAIL_CHARS = 300  # of a provider's own error message, in ours
# "litellm.RateLimitError: RateLimitError: OpenAIException - msg" -> "msg"
_LITELLM_PREFIX = re.compile(r"^(?:litellm\.\w+:\s*)?(?:\w*(?:Error|Exception)\s*[:\-]\s*)*")


@dataclass
class Failure:
    kind: str
    status: int | None
    retryable: bool
    detail: str = field(repr=False)  # the provider's raw message: may quote the key
    retry_after: float | None = None
    refused: bool = False  # the connection was refused (nothing listens at that port)


def classify(exc: BaseException, lm: Any) -> Failure:
    """Map a LiteLLM/OpenAI exception to (kind, status, retryable); never retry 400/401/context."""
    status = getattr(exc, "status_code", None)
    detail = _LITELLM_PREFIX.sub("", str(exc)).strip()
    table: list[tuple[Any, str, bool]] = [
        (lm.ContextWindowExceededError, "context window exceeded", False),
        (lm.Timeout, "timed out", True),
        (lm.RateLimitError, "rate limited", True),
        (lm.AuthenticationError, "authentication failed", False),
        (lm.PermissionDeniedError, "permission denied", False),
        (lm.NotFoundError, "model or endpoint not found", False),
        (lm.BadRequestError, "request rejected", False),
        (lm.APIConnectionError, "connection failed", True),
    ]
    status = status if isinstance(status, int) else None
    if (page := html_reply(exc)) is not None:  # LiteLLM: HTTP 500; retried, a proxy may flake
        return Failure(HTML_REPLY, None, True, page)
    if _is_refused(exc):  # nothing listens there: see complete() for the (at most one) retry
        said = detail if "refused" in detail.lower() else f"{detail} (connection refused)".strip()
        return Failure("connection failed", None, True, said, refused=True)
    if _is_connection_failure(exc, detail):  # LiteLLM reports a refused connection as HTTP 500
        return Failure("connection failed", None, True, detail)
    for cls, kind, retryable in table:
        if isinstance(exc, cls):
            after = _retry_after(exc) if cls is lm.RateLimitError else None
            return Failure(kind, status, retryable, detail, after)
    if status is not None and (status >= 500 or status in (408, 409, 425)):
        return Failure("server error", status, True, detail)
    if status in _CLIENT_ERRORS:  # LiteLLM maps some statuses (403 from compatibles) to a bare APIError
        return Failure(_CLIENT_ERRORS[status], status, False, detail)
    return Failure(f"failed ({type(exc).__name__})", status, False, detail)


_CLIENT_ERRORS = {
    400: "request rejected",
    401: "authentication failed",
    403: "permission denied",
    404: "model or endpoint not found",
    422: "request rejected",
}


_REFUSED_TEXT = ("connection refused", "errno 111", "errno 61]", "actively refused", "winerror 10061")


def _is_refused(exc: BaseException) -> bool:
    """A refused connection (ECONNREFUSED), wherever LiteLLM wrapped it."""
    seen: set[int] = set()
    node: BaseException | None = exc
    while node is not None and id(node) not in seen and len(seen) < 16:
        seen.add(id(node))
        if isinstance(node, ConnectionRefusedError) or any(t in str(node).lower() for t in _REFUSED_TEXT):
            return True
        node = node.__cause__ or node.__context__
    return False


def _is_connection_failure(exc: BaseException, detail: str) -> bool:
    import openai  # present whenever litellm is

    if isinstance(exc, openai.APITimeoutError):
        return False
    text = detail.lower()
    return isinstance(exc, openai.APIConnectionError) or (
        "connection error" in text or "connection refused" in text or "name or service not known" in text
    )


def _retry_after(exc: BaseException) -> float | None:
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    try:
        raw: Any = headers.get("retry-after")
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if 0 <= value <= 120 else None


def provider_error(target: Target, f: Failure, attempts: int, run: PlanRun) -> ProviderError:
    status = f" (HTTP {f.status})" if f.status and f.status != 408 else ""
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    msg = f"{target.label}: {f.kind}{status}{tries}: {clip(redact(f.detail, run.secrets), MAX_DETAIL_CHARS)}"
    return ProviderError(
        msg, provider=target.name, model=target.model, status=f.status, retryable=f.retryable
    )
