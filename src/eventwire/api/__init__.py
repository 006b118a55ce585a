"""HTTP API and web UI (FastAPI): ``eventwire serve``.

>>> import eventwire
>>> from eventwire.api import create_app, ApiConfig
>>> store = eventwire.open("events.duckdb")                     # doctest: +SKIP
>>> app = create_app(store, config=ApiConfig())                 # doctest: +SKIP
>>> # uvicorn.run(app, host="127.0.0.1", port=8000)

Routes, auth and limits: README.md beside this file.
"""
from __future__ import annotations

from .app import WEB_DIR, create_app
from .auth import TokenError, TokenFile, tokens_path
from .service import ApiConfig, Service

__all__ = ["create_app", "ApiConfig", "Service", "TokenFile", "TokenError", "tokens_path",
           "WEB_DIR"]
