"""A loopback LLM server for offline tests: OpenAI-compatible, Anthropic Messages and Ollama.

It listens on 127.0.0.1 (a free port) and answers POST .../chat/completions (OpenAI),
.../v1/messages (Anthropic) and .../api/chat (Ollama) from a queue of scripted `Reply`s, in
the dialect of the path (tests/llmdialects.py), streaming when the request asks for it. When
the queue is empty it answers with `default` (a valid Script unless told otherwise). It
records every request, so tests can assert hit counts, sent parameters and headers.

Run it by hand for an end-to-end demo (serves a valid Script forever):

    python tests/llmserver.py --write-config /tmp/stickanim-loop/config.yml
    STICKANIM_CONFIG=/tmp/stickanim-loop/config.yml stickanim generate "一个人挥手" --provider loopback
"""

from __future__ import annotations

import argparse
import json
import queue
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from llmdialects import pick

WAVE_SCRIPT: dict[str, Any] = {
    "title": "挥手致意",
    "description": "一个火柴人站在原地挥手三次。",
    "characters": [{"id": "char_1", "name": "火柴人", "color": "#2196F3", "x": 0.5, "facing": "front"}],
    "scenes": [
        {
            "id": "scene_1",
            "description": "火柴人挥手三次",
            "actions": [
                {
                    "character": "char_1",
                    "action": "wave",
                    "start": 0,
                    "duration": 2000,
                    "params": {"hand": "right", "times": 3},
                }
            ],
        }
    ],
}
VALID_SCRIPT_TEXT = json.dumps(WAVE_SCRIPT, ensure_ascii=False)


@dataclass
class Reply:
    """One scripted answer.

    status: HTTP status; non-200 sends an OpenAI-style error body (or `body`).
    content: the assistant message text (for 200).
    body: raw body that replaces everything (str/bytes/dict), for malformed answers.
    delay: seconds to wait before sending anything (timeouts).
    chunk_delay: seconds between streamed chunks.
    gate: when set, nothing is sent until the test sets this event (at most 60 s): "the answer
        has not come yet" without timing anything.
    chunks: how many pieces a streamed content is split into.
    finish_reason: "stop", or "length" for a truncated answer.
    drop: close the connection without an answer.
    pieces: explicit stream pieces (replaces the split into `chunks`), e.g. one per token.
    tokens_per_s: when > 0, pace the answer like a model generating at this rate: each
        streamed piece leaves once its tokens are "generated" (on a fixed schedule from the
        first byte, so write overhead does not accumulate); a non-streamed answer waits for
        all of them. Without `piece_tokens` each piece counts as one token.
    piece_tokens: tokens per piece (same length as `pieces`), for pieces that group tokens.
    reasoning: reasoning text sent before the content (OpenAI-compatible `reasoning_content`,
        an Anthropic thinking block, Ollama's `thinking`).
    refusal: a refusal instead of the content (OpenAI's `refusal` field, Anthropic's
        stop_reason "refusal", plain text for Ollama).
    byte_delay: after the headers, send the body one byte every `byte_delay` seconds (a
        server that drips: no read ever times out).
    stall: (n, seconds): a streamed answer pauses `seconds` after its n-th event.
    """

    status: int = 200
    content: str | None = VALID_SCRIPT_TEXT
    body: str | bytes | dict | None = None
    delay: float = 0.0
    chunk_delay: float = 0.0
    gate: threading.Event | None = None
    chunks: int = 8
    finish_reason: str = "stop"
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    usage: dict[str, int] | None = field(
        default_factory=lambda: {"prompt_tokens": 900, "completion_tokens": 120, "total_tokens": 1020}
    )
    pieces: list[str] | None = None
    tokens_per_s: float = 0.0
    piece_tokens: list[int] | None = None
    reasoning: str | None = None
    refusal: str | None = None
    byte_delay: float = 0.0
    stall: tuple[int, float] | None = None

    def stream_pieces(self) -> list[str]:
        """What a streamed answer sends, in order."""
        if self.pieces is not None:
            return list(self.pieces) or [""]
        text = self.content or ""
        n = max(1, min(self.chunks, len(text) or 1))
        step = -(-len(text) // n) if text else 1
        return [text[i : i + step] for i in range(0, len(text), step)] or [""]

    def tokens_of(self, pieces: list[str]) -> list[int]:
        if self.piece_tokens is not None:
            if len(self.piece_tokens) != len(pieces):
                raise ValueError("piece_tokens must have one count per piece")
            return list(self.piece_tokens)
        return [1] * len(pieces)


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    dialect: str = "openai"


class LLMServer:
    """Threaded loopback server; use as a context manager or call start()/stop()."""

    def __init__(self, default: Reply | None = None) -> None:
        self.default = default or Reply()
        self.replies: queue.Queue[Reply] = queue.Queue()
        self.hits: list[Hit] = []
        self.stopped = threading.Event()  # a dripping answer stops when the server does
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True  # a handler sleeping in `delay` never blocks shutdown
        # A short poll interval: stop() waits up to one interval for serve_forever to notice.
        serve = lambda: self._httpd.serve_forever(poll_interval=0.02)  # noqa: E731
        self._thread = threading.Thread(target=serve, name="llmserver", daemon=True)

    # --- control ---------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """The api_base to configure: http://127.0.0.1:PORT/v1."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def base(self) -> str:
        """The api_base of the Anthropic and Ollama dialects: http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"

    def section(self, dialect: str = "openai") -> dict[str, str]:
        """model and api_base of a config section that talks `dialect` to this server."""
        if dialect == "anthropic":  # a model LiteLLM gives native structured output
            return {"model": "anthropic/claude-sonnet-4-5", "api_base": self.base}
        if dialect == "ollama":
            return {"model": "ollama_chat/llama3.2", "api_base": self.base}
        return {"model": "openai/test-model", "api_base": self.url}

    @property
    def hit_count(self) -> int:
        with self._lock:
            return len(self.hits)

    def queue(self, *replies: Reply) -> LLMServer:
        for r in replies:
            self.replies.put(r)
        return self

    def start(self) -> LLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- serving ---------------------------------------------------------------------------
    def _next(self, hit: Hit) -> Reply:
        with self._lock:
            self.hits.append(hit)
        try:
            return self.replies.get_nowait()
        except queue.Empty:
            return self.default


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (timeout tests) breaks the pipe: expected, not news


def _make_handler(server: LLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def setup(self) -> None:
            super().setup()
            # Headers and body leave in separate writes: without this, Nagle's algorithm and the
            # client's delayed ACK stall some answers by ~40 ms (noise in every timing).
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:  # /v1/models, for clients that probe it
            self._json(200, {"object": "list", "data": [{"id": "test-model", "object": "model"}]})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if self.path.rstrip("/").endswith("/api/show"):  # LiteLLM asks Ollama about the model
                self._json(200, {"details": {"family": "llama"}, "model_info": {}, "template": ""})
                return
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"_raw": raw.decode("utf-8", "replace")}
            dialect = pick(self.path)
            reply = server._next(Hit(self.path, dict(self.headers.items()), body, dialect.name))
            if reply.delay:
                time.sleep(reply.delay)
            if reply.gate is not None:
                reply.gate.wait(60)
            if reply.drop:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            auth = self.headers.get("Authorization") or self.headers.get("x-api-key") or ""
            if reply.body is not None:
                self._raw(reply.status, reply.body, reply.headers, reply.byte_delay)
            elif reply.status != 200:
                self._json(reply.status, dialect.error(reply.status, auth), reply.headers)
            elif body.get("stream"):
                self._stream(reply, body, dialect)
            else:
                if reply.tokens_per_s > 0:  # the whole answer is generated before it is sent
                    time.sleep(sum(reply.tokens_of(reply.stream_pieces())) / reply.tokens_per_s)
                self._json(200, dialect.completion(reply, body), reply.headers, reply.byte_delay)

        # helpers
        def _raw(
            self, status: int, payload: str | bytes | dict, headers: dict[str, str], drip: float = 0.0
        ) -> None:
            if isinstance(payload, dict):
                payload = json.dumps(payload)
            data = payload.encode() if isinstance(payload, str) else payload
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self._send(data, drip)

        def _send(self, data: bytes, drip: float) -> None:
            if not drip:
                self.wfile.write(data)
                return
            for i in range(len(data)):
                if server.stopped.is_set():
                    return
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
                time.sleep(drip)

        def _json(
            self, status: int, obj: dict, headers: dict[str, str] | None = None, drip: float = 0.0
        ) -> None:
            self._raw(status, json.dumps(obj, ensure_ascii=False).encode(), headers or {}, drip)

        def _stream(self, reply: Reply, req: dict, dialect: Any) -> None:
            self.send_response(200)
            self.send_header("Content-Type", dialect.stream_type)
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            start, generated = time.monotonic(), 0
            for n, (event, tokens) in enumerate(dialect.stream(reply, req)):
                if tokens and reply.chunk_delay:
                    time.sleep(reply.chunk_delay)
                if tokens and reply.tokens_per_s > 0:
                    generated += tokens
                    wait = start + generated / reply.tokens_per_s - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                self._send(event, reply.byte_delay)
                self.wfile.flush()
                if reply.stall and n == reply.stall[0]:
                    time.sleep(reply.stall[1])

    return Handler


def refused_port() -> int:
    """A loopback port with (almost certainly) nothing listening: connecting is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(path: Path, api_base: str, *, name: str = "loopback", **params: Any) -> Path:
    """A config.yml whose `name` provider points at `api_base` (an openai/ model on loopback)."""
    import yaml

    section = {"model": "openai/test-model", "api_base": api_base, "timeout": 10, "max_tokens": 1024}
    section.update(params)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"llm": {"provider": "local", "fallbacks": [], name: section}}))
    return path


def main() -> None:  # pragma: no cover - manual demo
    ap = argparse.ArgumentParser(description="Serve a loopback OpenAI-compatible endpoint.")
    ap.add_argument("--write-config", type=Path, help="write a config.yml for the 'loopback' provider here")
    args = ap.parse_args()
    server = LLMServer().start()
    if args.write_config:
        write_config(args.write_config, server.url)
        print(f"config: {args.write_config}")
    print(f"serving {server.url} (Ctrl-C stops)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
