"""The wire formats the loopback server speaks: OpenAI chat completions, Anthropic Messages and
Ollama's /api/chat, each streaming or not.

A dialect turns a scripted reply (tests/llmserver.py's Reply) into a response body, or into
the framed events of a stream, each with the tokens it stands for (the server paces on them).
The request path picks the dialect: .../chat/completions, .../messages or .../api/chat.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any, Protocol

Event = tuple[bytes, int]  # a framed event and the tokens it carries (0: framing only)


class Dialect(Protocol):
    name: str
    stream_type: str

    def completion(self, reply: Any, req: dict) -> dict: ...

    def stream(self, reply: Any, req: dict) -> Iterator[Event]: ...

    def error(self, status: int, auth: str) -> dict: ...


def pick(path: str) -> Dialect:
    path = path.split("?", 1)[0].rstrip("/")
    if path.endswith("/messages"):
        return ANTHROPIC
    if path.endswith("/api/chat"):
        return OLLAMA
    return OPENAI


def _pieces(reply: Any, text: str | None) -> list[str]:
    """`text` split as the reply splits its content (reasoning and refusals stream the same way)."""
    if not text:
        return []
    n = max(1, min(reply.chunks, len(text)))
    step = -(-len(text) // n)
    return [text[i : i + step] for i in range(0, len(text), step)]


def _echo(status: int, auth: str) -> str:
    # Like real providers, echo a fragment of the credential: the client must redact it.
    return f"loopback error {status}; Authorization was {auth!r}"


def _sse(obj: dict, event: str | None = None) -> bytes:
    head = f"event: {event}\n".encode() if event else b""
    return head + b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n"


# --- OpenAI ---------------------------------------------------------------------------------
class OpenAI:
    name = "openai"
    stream_type = "text/event-stream"

    def completion(self, reply: Any, req: dict) -> dict:
        message: dict[str, Any] = {"role": "assistant", "content": reply.content}
        if reply.reasoning:
            message["reasoning_content"] = reply.reasoning
        if reply.refusal:
            message.update(content=None, refusal=reply.refusal)
        out = {
            "id": "chatcmpl-loop", "object": "chat.completion", "created": int(time.time()),
            "model": req.get("model", "test-model"),
            "choices": [{"index": 0, "message": message, "finish_reason": reply.finish_reason}],
        }  # fmt: skip
        if reply.usage:
            out["usage"] = reply.usage
        return out

    def stream(self, reply: Any, req: dict) -> Iterator[Event]:
        model = req.get("model", "test-model")
        yield _sse(self._chunk(model, {"role": "assistant", "content": ""}, None)), 0
        for piece in _pieces(reply, reply.reasoning):
            yield _sse(self._chunk(model, {"reasoning_content": piece}, None)), 1
        if reply.refusal:
            for piece in _pieces(reply, reply.refusal):
                yield _sse(self._chunk(model, {"refusal": piece}, None)), 1
        else:
            pieces = reply.stream_pieces()
            for piece, count in zip(pieces, reply.tokens_of(pieces), strict=True):
                yield _sse(self._chunk(model, {"content": piece}, None)), count
        yield _sse(self._chunk(model, {}, reply.finish_reason)), 0
        if reply.usage and (req.get("stream_options") or {}).get("include_usage"):
            yield _sse({**self._chunk(model, {}, None), "choices": [], "usage": reply.usage}), 0
        yield b"data: [DONE]\n\n", 0

    @staticmethod
    def _chunk(model: str, delta: dict, finish: str | None) -> dict:
        return {"id": "chatcmpl-loop", "object": "chat.completion.chunk", "created": int(time.time()),
                "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}  # fmt: skip

    def error(self, status: int, auth: str) -> dict:
        kinds = {401: "invalid_api_key", 429: "rate_limit_exceeded", 400: "invalid_request_error"}
        kind = kinds.get(status, "server_error")
        return {"error": {"message": _echo(status, auth), "type": kind, "code": kind}}


# --- Anthropic Messages ---------------------------------------------------------------------
_ANTHROPIC_STOP = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use"}


class Anthropic:
    name = "anthropic"
    stream_type = "text/event-stream"

    def _stop(self, reply: Any) -> str:
        return "refusal" if reply.refusal else _ANTHROPIC_STOP.get(reply.finish_reason, reply.finish_reason)

    def _usage(self, reply: Any) -> dict:
        usage = reply.usage or {}
        return {
            "input_tokens": usage.get("prompt_tokens", 0),
            "output_tokens": usage.get("completion_tokens", 0),
        }

    def completion(self, reply: Any, req: dict) -> dict:
        content: list[dict] = []
        if reply.reasoning:
            content.append({"type": "thinking", "thinking": reply.reasoning, "signature": "sig"})
        text = reply.refusal or reply.content
        if text is not None:
            content.append({"type": "text", "text": text})
        return {"id": "msg_loop", "type": "message", "role": "assistant", "model": req.get("model", "m"),
                "content": content, "stop_reason": self._stop(reply), "stop_sequence": None,
                "usage": self._usage(reply)}  # fmt: skip

    def stream(self, reply: Any, req: dict) -> Iterator[Event]:
        usage = self._usage(reply)
        start = {"id": "msg_loop", "type": "message", "role": "assistant", "model": req.get("model", "m"),
                 "content": [], "stop_reason": None, "stop_sequence": None,
                 "usage": {"input_tokens": usage["input_tokens"], "output_tokens": 1}}  # fmt: skip
        yield _sse({"type": "message_start", "message": start}, "message_start"), 0
        index = 0
        if reply.reasoning:
            yield from self._block(index, "thinking", _pieces(reply, reply.reasoning), None)
            index += 1
        if reply.refusal:
            yield from self._block(index, "text", _pieces(reply, reply.refusal), None)
        else:
            pieces = reply.stream_pieces()
            yield from self._block(index, "text", pieces, reply.tokens_of(pieces))
        delta = {"type": "message_delta", "delta": {"stop_reason": self._stop(reply), "stop_sequence": None},
                 "usage": {"output_tokens": usage["output_tokens"]}}  # fmt: skip
        yield _sse(delta, "message_delta"), 0
        yield _sse({"type": "message_stop"}, "message_stop"), 0

    @staticmethod
    def _block(index: int, kind: str, pieces: list[str], counts: list[int] | None) -> Iterator[Event]:
        yield _sse({"type": "content_block_start", "index": index, "content_block": {"type": kind, kind: ""}},
                   "content_block_start"), 0  # fmt: skip
        for piece, count in zip(pieces, counts or [1] * len(pieces), strict=True):
            delta = {"type": f"{kind}_delta", kind: piece}
            yield (
                _sse({"type": "content_block_delta", "index": index, "delta": delta}, "content_block_delta"),
                count,
            )
        yield _sse({"type": "content_block_stop", "index": index}, "content_block_stop"), 0

    def error(self, status: int, auth: str) -> dict:
        kinds = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                 404: "not_found_error", 429: "rate_limit_error", 529: "overloaded_error"}  # fmt: skip
        return {
            "type": "error",
            "error": {"type": kinds.get(status, "api_error"), "message": _echo(status, auth)},
        }


# --- Ollama /api/chat -----------------------------------------------------------------------
class Ollama:
    name = "ollama"
    stream_type = "application/x-ndjson"

    def _line(self, req: dict, message: dict, done: bool, reply: Any = None) -> bytes:
        obj: dict[str, Any] = {"model": req.get("model", "m"), "created_at": "2026-01-01T00:00:00Z",
                               "message": {"role": "assistant", "content": "", **message}, "done": done}  # fmt: skip
        if done:
            usage = reply.usage or {}
            obj.update(done_reason=reply.finish_reason, prompt_eval_count=usage.get("prompt_tokens", 0),
                       eval_count=usage.get("completion_tokens", 0))  # fmt: skip
        return json.dumps(obj, ensure_ascii=False).encode() + b"\n"

    def completion(self, reply: Any, req: dict) -> dict:
        message: dict[str, Any] = {"content": reply.refusal or reply.content or ""}
        if reply.reasoning:
            message["thinking"] = reply.reasoning
        return json.loads(self._line(req, message, True, reply))

    def stream(self, reply: Any, req: dict) -> Iterator[Event]:
        for piece in _pieces(reply, reply.reasoning):
            yield self._line(req, {"thinking": piece}, False), 1
        pieces = _pieces(reply, reply.refusal) if reply.refusal else reply.stream_pieces()
        counts = [1] * len(pieces) if reply.refusal else reply.tokens_of(pieces)
        for piece, count in zip(pieces, counts, strict=True):
            yield self._line(req, {"content": piece}, False), count
        yield self._line(req, {}, True, reply), 0

    def error(self, status: int, auth: str) -> dict:
        return {"error": _echo(status, auth)}


OPENAI, ANTHROPIC, OLLAMA = OpenAI(), Anthropic(), Ollama()
DIALECTS: dict[str, Dialect] = {d.name: d for d in (OPENAI, ANTHROPIC, OLLAMA)}
