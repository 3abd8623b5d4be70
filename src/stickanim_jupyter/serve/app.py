"""The Starlette app: the seed's JSON API, provider listing, exports and the player page.

    GET  /api/health     {"status": "healthy", "provider": DEFAULT}
    GET  /api/providers  {"default": ..., "providers": [{name, model, default, available, key_present, reason}]}
    POST /api/generate   {"story", "provider"?, "model"?, "fps"?, "seed"?} -> {"success": true, "data": Animation}
                         (?format=gif|svg|png|html|json: the file instead, as /api/export makes it)
    POST /api/export     {"format", "story" + options | "script" + "fps"? + "seed"?} -> the file, as an attachment
    GET  /               the page: story box, Generate, and js/widget.js's player, dropdown and inspector

Errors keep the seed's envelope {"success": false, "error": {"type", "message"}} with a 4xx/5xx
status; every message is one line with the configuration's keys removed, and so is every log line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import export
from ..api import generate
from ..compiler import compile_script
from ..config import Config, load_config, providers_info
from ..errors import GenerationError, StickanimError
from ..planners.llm import redact  # cheap: planners.llm imports litellm only when called
from ..schema import Animation
from ..text import clip, error_line
from . import payload
from .payload import ExportRequest, GenerateRequest, RequestError
from .runner import Busy, Deadline, Runner

log = logging.getLogger("stickanim.serve")

HERE = Path(__file__).resolve().parent
STATUS_OF_KIND = {  # StickanimError.kind -> HTTP status
    "story_error": 422,
    "validation_error": 422,
    "export_error": 422,
    "config_error": 400,
    "provider_error": 502,  # the LLM failed: a bad gateway, not our fault nor the client's
    "generation_error": 502,
}
MAX_RAW_CHARS = 20_000  # of a failed generation's raw LLM answer, for the page's inspector
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
Handler = Callable[[Request], Awaitable[Response]]
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def widget_js_path() -> Path:
    """The widget's ES module, as the package ships it (the one import of its location)."""
    from ..assets import widget_js_path as path

    return path()


def create_app(
    config: str | Path | Config | None = None,
    *,
    concurrency: int = 4,
    deadline: float = 120.0,
    max_waiting: int = 32,
    allowed_hosts: frozenset[str] | None = LOOPBACK_NAMES,
) -> ASGIApp:
    """The service for one configuration (loaded now: a broken file fails here, not per request).

    `allowed_hosts`: the Host header names accepted (None: any); the loopback default stops a
    web page from reaching a local server through DNS rebinding.
    """
    cfg = load_config(config)
    runner = Runner(concurrency=concurrency, deadline=deadline, max_waiting=max_waiting)
    service = _Service(cfg, runner)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        runner.close()

    routes = [
        Route("/", service.page, methods=["GET"]),
        Route("/static/widget.js", service.widget_js, methods=["GET"]),
        Route("/static/page.js", service.page_js, methods=["GET"]),
        Route("/favicon.ico", lambda _r: Response(status_code=204), methods=["GET"]),
        Route("/api/health", service.guarded(service.health), methods=["GET"]),
        Route("/api/providers", service.guarded(service.providers), methods=["GET"]),
        Route("/api/generate", service.guarded(service.generate), methods=["POST"]),
        Route("/api/export", service.guarded(service.export), methods=["POST"]),
    ]
    # Only HTTPException goes to a Starlette handler: one for Exception would also re-raise the
    # error to the server, which logs a traceback; `guarded` answers every other failure itself.
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={HTTPException: service.http_error})
    return _HostCheck(app, allowed_hosts) if allowed_hosts is not None else app


class _Service:
    """The route handlers, sharing one configuration and one Runner."""

    def __init__(self, cfg: Config, runner: Runner) -> None:
        self.cfg = cfg
        self.runner = runner
        self._assets: dict[str, bytes] = {}

    # --- the page ---------------------------------------------------------------------------
    async def page(self, _request: Request) -> Response:
        return self._asset("page.html", HERE / "page.html", "text/html; charset=utf-8")

    async def widget_js(self, _request: Request) -> Response:
        return self._asset("widget.js", widget_js_path(), "text/javascript; charset=utf-8")

    async def page_js(self, _request: Request) -> Response:
        return self._asset("page.js", HERE / "page.js", "text/javascript; charset=utf-8")

    def _asset(self, name: str, path: Path, media_type: str) -> Response:
        if name not in self._assets:
            self._assets[name] = path.read_bytes()
        headers = {"Content-Security-Policy": PAGE_CSP, "Cache-Control": "no-cache"}
        return Response(self._assets[name], media_type=media_type, headers=_secure(headers))

    # --- the API ----------------------------------------------------------------------------
    async def health(self, _request: Request) -> Response:
        return _json({"status": "healthy", "provider": self.cfg.provider})

    async def providers(self, _request: Request) -> Response:
        rows = [
            {
                "name": row["name"],
                "model": row["model"],
                "default": row["default"],
                "available": row["available"],
                "key_present": row["key"] is not None,  # never the key, not even masked
                "reason": self._redact(row["reason"]) if row["reason"] else None,
            }
            for row in providers_info(self.cfg)
        ]
        return _json({"default": self.cfg.provider, "providers": rows})

    async def generate(self, request: Request) -> Response:
        fmt = request.query_params.get("format")
        data = await _read_json(request)
        if fmt is not None:  # /api/generate?format=gif: the file, like /api/export
            return await self._export(payload.export_request({**data, "format": fmt}, self.cfg))
        req = payload.generate_request(data, self.cfg)
        body = await self.runner.run(self._generate_json, req)
        return Response(body, media_type="application/json")

    async def export(self, request: Request) -> Response:
        data = await _read_json(request)
        return await self._export(payload.export_request(data, self.cfg, request.query_params.get("format")))

    async def _export(self, req: ExportRequest) -> Response:
        body, anim = await self.runner.run(self._render, req)
        headers = {
            "Content-Disposition": disposition(anim, req.format),
            "Content-Security-Policy": FILE_CSP,  # an SVG or HTML opened from here runs nothing of ours
        }
        return Response(body, media_type=payload.FORMATS[req.format], headers=_secure(headers))

    # --- jobs (worker threads) --------------------------------------------------------------
    def _animation(self, req: GenerateRequest) -> Animation:
        return generate(req.story, config=self.cfg, **req.kwargs())

    def _generate_json(self, req: GenerateRequest) -> bytes:
        # pydantic's serializer, not json.dumps: frames make the document large
        return b'{"success":true,"data":' + self._animation(req).to_json().encode() + b"}"

    def _render(self, req: ExportRequest) -> tuple[bytes, Animation]:
        if req.script is not None:
            anim = compile_script(req.script, fps=24 if req.fps is None else req.fps, seed=req.seed)
        else:
            assert req.generate is not None
            anim = self._animation(req.generate)
        writers: dict[str, Callable[[Animation], bytes]] = {
            "json": lambda a: export.to_json(a).encode(),
            "gif": export.gif_bytes,
            "svg": lambda a: export.to_svg(a).encode(),
            "png": export.png_bytes,
            "html": lambda a: export.to_html(a).encode(),
        }
        return writers[req.format](anim), anim

    # --- errors -----------------------------------------------------------------------------
    async def http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        kinds = {404: "not_found", 405: "method_not_allowed"}
        return self._error(
            request, exc.status_code, kinds.get(exc.status_code, "http_error"), str(exc.detail)
        )

    def guarded(self, handler: Handler) -> Handler:
        """`handler`, answering any failure with error_response (never a traceback)."""

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:  # noqa: BLE001 - the envelope is the contract
                return self.error_response(request, exc)

        return run

    def error_response(self, request: Request, exc: Exception) -> Response:
        """A failure as the seed's envelope with the right status."""
        extra: dict[str, Any] = {}
        if isinstance(exc, RequestError):
            status, kind, message = exc.status, exc.kind, str(exc)
        elif isinstance(exc, Busy):
            status, kind, message = 503, "busy", str(exc)
        elif isinstance(exc, Deadline):
            status, kind, message = 504, "timeout", str(exc)
        elif isinstance(exc, StickanimError):
            status, kind, message = STATUS_OF_KIND.get(exc.kind, 500), exc.kind, error_line(exc)
            if isinstance(exc, GenerationError) and exc.raw:
                extra["raw"] = self._redact(clip(exc.raw, MAX_RAW_CHARS), one_line=False)
        else:  # a bug of ours: one line with the exception's class, never a traceback
            status, kind, message = 500, "internal_error", error_line(exc)
        return self._error(request, status, kind, message, extra)

    def _error(
        self, request: Request, status: int, kind: str, message: str, extra: dict[str, Any] | None = None
    ) -> Response:
        message = self._redact(message)
        level = logging.WARNING if status >= 500 else logging.DEBUG  # a 4xx: the client has the message
        log.log(level, "%s %s -> %d %s: %s", request.method, request.url.path, status, kind, message)
        headers = {"Retry-After": "5"} if status == 503 else None
        body = {"success": False, "error": {"type": kind, "message": message, **(extra or {})}}
        return _json(body, status, headers)

    def _redact(self, text: str, one_line: bool = True) -> str:
        try:
            secrets = self.cfg.secrets()
        except Exception:  # noqa: BLE001 - redaction of key shapes still happens below
            secrets = []
        return redact(text, secrets, one_line=one_line)


# --- helpers ----------------------------------------------------------------------------------
async def _read_json(request: Request) -> dict[str, Any]:
    """The body as a JSON object: application/json only (a cross-site form cannot send it without
    the browser asking first, and this server never says yes), at most MAX_BODY_BYTES."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise RequestError(415, "unsupported_media_type", "send the body as Content-Type: application/json")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > payload.MAX_BODY_BYTES:
        raise payload.too_large()
    chunks, size = [], 0
    async for chunk in request.stream():  # a chunked body has no length to check up front
        size += len(chunk)
        if size > payload.MAX_BODY_BYTES:
            raise payload.too_large()
        chunks.append(chunk)
    return payload.parse_body(b"".join(chunks))


def disposition(anim: Animation, fmt: str) -> str:
    """An attachment named after the title: ASCII `filename`, and the title as is in `filename*`.

    The title is an LLM's text: percent-encoding keeps quotes, line breaks and anything else in
    it from breaking the header; path separators and controls go before that.
    """
    title = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', " ", anim.title or "").strip()[:60].strip()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()
    header = f'attachment; filename="{slug or "stickanim"}.{fmt}"'
    if title and not title.isascii():
        header += f"; filename*=UTF-8''{quote(f'{title}.{fmt}', safe='')}"
    return header


def _secure(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(data, status_code=status, headers=_secure(headers or {}))


class _HostCheck:
    """Refuses a Host header outside `allowed` (421), so a rebound DNS name cannot reach us."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and host_name(_header(scope, b"host")) not in self.allowed:
            message = "this server answers only to its loopback names (start it with --host to change that)"
            body = {"success": False, "error": {"type": "misdirected_request", "message": message}}
            await JSONResponse(body, status_code=421)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return ""


def host_name(host: str) -> str:
    """'127.0.0.1:5001' -> '127.0.0.1', '[::1]:5001' -> '::1', 'LocalHost' -> 'localhost'."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
