"""The FastAPI app: the ``/v1`` API, its OpenAPI schema and the web UI, from one process.

Everything the pages load comes from this app (``/static``: our HTML, JS and CSS, and the
vendored map data and library), and the Content-Security-Policy says so to the browser: the
UI works on an offline machine and a news text can never pull in a script.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from .auth import TokenFile
from .routes import make_router
from .service import ApiConfig, Service

__all__ = ["create_app", "WEB_DIR"]

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'")
_HEADERS = [(b"content-security-policy", _CSP.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY")]

_DESCRIPTION = """News articles in, sourced political event records out (CAMEO/PLOVER).

Reads (`GET`) are open to clients on this machine (loopback); writes (`POST /v1/articles`)
need `Authorization: Bearer <token>` with a token from `eventwire token create`.
`POST /v1/code` codes without storing. Request bodies are limited in size (413).
The web UI is at `/`."""


class SecurityHeaders:
    """Adds the CSP and friends to every response (pure ASGI: no body buffering)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    h for h in _HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(store, *, config: ApiConfig = ApiConfig(), tokens: Optional[TokenFile] = None,
               coder=None) -> FastAPI:
    """The app over an open ``store`` (the caller closes it). ``tokens`` checks write
    tokens (without it every write is refused); ``coder`` defaults to the pipeline's."""
    app = FastAPI(title="eventwire", version=__version__, description=_DESCRIPTION,
                  docs_url=None, redoc_url=None,  # Swagger UI loads from a CDN: not offline
                  max_body_size=config.max_body_bytes)
    app.state.service = Service(store, config=config, tokens=tokens, coder=coder)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.include_router(make_router(config))
    _pages(app)
    app.add_middleware(SecurityHeaders)
    if config.allowed_hosts is not None:
        # A page on another site that rebinds its DNS name to 127.0.0.1 arrives with its own
        # Host header: refusing unknown hosts keeps it from reading the store.
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(config.allowed_hosts))
    return app


async def _invalid_request(request, exc: RequestValidationError) -> Response:
    """FastAPI's 422, but ASCII JSON: the errors echo the input, and a lone surrogate in it
    ("\\ud800" is valid JSON) would make the default UTF-8 response crash into a 500."""
    body = json.dumps({"detail": jsonable_encoder(exc.errors())}, ensure_ascii=True)
    return Response(body, status_code=422, media_type="application/json")


def _pages(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")

    def page(name: str):
        return FileResponse(WEB_DIR / name, media_type="text/html")

    @app.get("/", include_in_schema=False)
    def index():
        return page("index.html")

    @app.get("/event/{event_id}", include_in_schema=False)
    def event_page(event_id: str):
        return page("event.html")

    @app.get("/paste", include_in_schema=False)
    def paste_page():
        return page("paste.html")
