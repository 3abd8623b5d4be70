"""One error hierarchy: every failure a user can cause is a StickanimError with a one-line message."""

from __future__ import annotations


class StickanimError(Exception):
    """Base class. `str(err)` is a single line, safe to show (never holds a key)."""

    kind = "error"

    def to_dict(self) -> dict:
        """The seed's error envelope payload: {"type": ..., "message": ...}."""
        return {"type": self.kind, "message": str(self)}


class StoryError(StickanimError, ValueError):
    """The story itself is unusable (empty, whitespace only, too long)."""

    kind = "story_error"


class ValidationError(StickanimError, ValueError):
    """A Script or Animation breaks the contract (unknown action, bad time, over a cap...)."""

    kind = "validation_error"


class ConfigError(StickanimError):
    """config.yml / llm_config.yml missing, unreadable or naming an unknown provider."""

    kind = "config_error"


class ProviderError(StickanimError):
    """A provider failed (network, auth, rate limit...). The message is already redacted."""

    kind = "provider_error"

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        model: str | None = None,
        status: int | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.model = model
        self.status = status
        self.retryable = retryable


class GenerationError(StickanimError):
    """The LLM answered, but not with a valid Script even after one re-ask."""

    kind = "generation_error"

    def __init__(self, message: str, *, raw: str | None = None, provider: str | None = None) -> None:
        super().__init__(message)
        self.raw = raw
        self.provider = provider
