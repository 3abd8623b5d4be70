"""Request bodies of the web service: JSON in, checked request objects out (no web framework here).

Every refusal is a RequestError carrying the HTTP status and the seed's error envelope
payload ({"type", "message"}), so the routes only translate it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..errors import StickanimError
from ..schema import MAX_FPS, MIN_FPS, Script, check_story

MAX_BODY_BYTES = 64 * 1024  # a story is at most 2000 characters; a Script fits easily too
MAX_MODEL_CHARS = 200
MAX_SEED = 2**63
FORMATS: dict[str, str] = {  # export format -> media type
    "json": "application/json",
    "gif": "image/gif",
    "svg": "image/svg+xml",
    "png": "image/png",
    "html": "text/html; charset=utf-8",
}


class RequestError(Exception):
    """A request the service refuses: HTTP status, envelope type and a one-line message."""

    def __init__(self, status: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind

    def to_dict(self) -> dict[str, str]:
        return {"type": self.kind, "message": str(self)}


@dataclass(frozen=True)
class GenerateRequest:
    """The arguments of api.generate() that a client may choose."""

    story: str
    provider: str | None = None
    model: str | None = None
    fps: int | None = None
    seed: int | None = None

    def kwargs(self) -> dict[str, Any]:
        return {"provider": self.provider, "model": self.model, "fps": self.fps, "seed": self.seed}


@dataclass(frozen=True)
class ExportRequest:
    """A file to make: from a story (generated first) or from a Script (compiled only)."""

    format: str
    generate: GenerateRequest | None = None
    script: Script | None = None
    fps: int | None = None
    seed: int | None = None


def parse_body(body: bytes) -> dict[str, Any]:
    """The JSON object of a request body; 400 for anything else."""
    if len(body) > MAX_BODY_BYTES:
        raise too_large()
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as err:
        raise RequestError(400, "bad_request", f"the body is not valid JSON ({err})") from None
    if not isinstance(data, dict):
        raise RequestError(400, "bad_request", f"the body must be a JSON object, not {_json_type(data)}")
    return data


def too_large() -> RequestError:
    return RequestError(413, "payload_too_large", f"the request body is over {MAX_BODY_BYTES // 1024} KB")


def generate_request(data: dict[str, Any], cfg: Config) -> GenerateRequest:
    """story (required), provider, model, fps, seed; unknown fields are ignored, like the seed did."""
    if data.get("story") is None:
        raise RequestError(422, "story_error", 'the request needs a "story" (text)')
    try:
        story = check_story(data["story"])
    except StickanimError as err:
        raise RequestError(422, err.kind, str(err)) from None
    return GenerateRequest(
        story=story,
        provider=_provider(data.get("provider"), cfg),
        model=_model(data.get("model")),
        fps=_fps(data.get("fps")),
        seed=_seed(data.get("seed")),
    )


def export_request(data: dict[str, Any], cfg: Config, query_format: str | None = None) -> ExportRequest:
    """format (body or ?format=) and either a story (with generate's options) or a Script."""
    fmt = _format(data.get("format", query_format))
    if data.get("script") is not None:
        if data.get("story") is not None:
            raise RequestError(422, "validation_error", 'give either a "story" or a "script", not both')
        try:
            script = Script.parse(data["script"])
        except StickanimError as err:
            raise RequestError(422, err.kind, f"script: {err}") from None
        return ExportRequest(fmt, script=script, fps=_fps(data.get("fps")), seed=_seed(data.get("seed")))
    return ExportRequest(fmt, generate=generate_request(data, cfg))


# --- fields ---------------------------------------------------------------------------------
def _provider(value: Any, cfg: Config) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RequestError(422, "validation_error", f"provider must be text, not {_json_type(value)}")
    if value not in cfg.providers:
        raise RequestError(
            400, "config_error", f"unknown provider {value[:80]!r}; configured: {', '.join(cfg.names)}"
        )
    try:
        cfg.require_key(value)  # a provider without a key is refused before anything is sent
    except StickanimError as err:
        raise RequestError(400, err.kind, str(err)) from None
    return value


def _model(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_MODEL_CHARS:
        raise RequestError(
            422, "validation_error", f"model must be a model id of at most {MAX_MODEL_CHARS} characters"
        )
    return value.strip()


def _fps(value: Any) -> int | None:
    if value is None:
        return None
    if not _is_int(value) or not MIN_FPS <= value <= MAX_FPS:
        raise RequestError(422, "validation_error", f"fps must be an integer from {MIN_FPS} to {MAX_FPS}")
    return value


def _seed(value: Any) -> int | None:
    if value is None:
        return None
    if not _is_int(value) or abs(value) >= MAX_SEED:
        raise RequestError(422, "validation_error", "seed must be an integer (|seed| < 2**63)")
    return value


def _format(value: Any) -> str:
    if isinstance(value, str) and value.lower() in FORMATS:
        return value.lower()
    raise RequestError(422, "validation_error", f"format must be one of {', '.join(FORMATS)}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
