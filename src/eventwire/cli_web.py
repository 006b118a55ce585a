"""Commands ``serve`` (HTTP API and web UI) and ``token`` (API tokens for writes).

Examples:
  eventwire token create --db events.duckdb --name newsroom     # prints the token once
  eventwire serve --db events.duckdb                            # http://127.0.0.1:8000/
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import Callable

__all__ = ["register", "cmd_serve", "cmd_token"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
_RAW = argparse.RawDescriptionHelpFormatter
DEFAULT_DB = "events.duckdb"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _err(message: str) -> None:
    print(f"eventwire: {message}", file=sys.stderr)


def register(sub) -> dict[str, Callable]:
    """Add ``serve`` and ``token`` to ``sub`` (argparse subparsers)."""
    s = sub.add_parser("serve", help="serve the HTTP API and the web UI", formatter_class=_RAW,
                       description=(
                           "Serve the HTTP API (/v1, OpenAPI at /openapi.json) and the web UI "
                           "(/) over a store. Binds to 127.0.0.1: reads are open to this "
                           "machine, writes need a token (eventwire token create).\n\n"
                           "Example:\n  eventwire serve --db events.duckdb --port 8000"))
    s.add_argument("--db", default=DEFAULT_DB,
                   help=f"DuckDB file or postgresql:// URL (default {DEFAULT_DB})")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; another address exposes the "
                   "API beyond this machine: reads then need a token too)")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--tokens", default=None, metavar="FILE",
                   help="token file (default <db>.tokens.json beside a DuckDB file)")
    s.add_argument("--read-only", action="store_true",
                   help="open the store read-only (writes refused; a DuckDB file can then "
                   "be read by other processes too)")
    s.add_argument("--open-reads", action="store_true",
                   help="let clients on other machines read without a token")
    s.add_argument("--max-body-bytes", type=int, default=None,
                   help="largest request body accepted (default 1,000,000)")
    s.add_argument("--dictionaries", default=None, metavar="DIR",
                   help="Phoenix-format actor dictionaries for coding (see code --help)")

    t = sub.add_parser("token", help="create, list or revoke API tokens", formatter_class=_RAW,
                       description=(
                           "API tokens let clients write (POST /v1/articles). A token is "
                           "printed once; only its SHA-256 is kept, in a file beside the "
                           "store (<db>.tokens.json) or --tokens FILE.\n\nExamples:\n"
                           "  eventwire token create --db events.duckdb --name newsroom\n"
                           "  eventwire token list --db events.duckdb\n"
                           "  eventwire token revoke --db events.duckdb --name newsroom"))
    t.add_argument("action", choices=("create", "list", "revoke"))
    t.add_argument("--db", default=DEFAULT_DB, help=f"the store (default {DEFAULT_DB})")
    t.add_argument("--tokens", default=None, metavar="FILE",
                   help="token file (default <db>.tokens.json; required for PostgreSQL)")
    t.add_argument("--name", default=None, help="the token's name (create: default 'default')")
    return {"serve": cmd_serve, "token": cmd_token}


def cmd_token(args) -> int:
    from .api.auth import TokenError, TokenFile, tokens_path

    try:
        tokens = TokenFile(tokens_path(args.db, args.tokens))
        if args.action == "create":
            token = tokens.create(args.name or "default")
            _err(f"token {args.name or 'default'!r} added to {tokens.path}; it is shown once:")
            print(token)
        elif args.action == "list":
            for name in tokens.names():
                print(name)
        else:
            if not args.name:
                _err("E-USAGE token revoke needs --name")
                return EXIT_USAGE
            if not tokens.revoke(args.name):
                _err(f"E-TOKEN-NOTFOUND no token {args.name!r} in {tokens.path}")
                return EXIT_ERROR
            _err(f"token {args.name!r} revoked")
    except TokenError as exc:
        _err(str(exc))
        return EXIT_ERROR
    return EXIT_OK


def _config(args):
    from .api import ApiConfig
    from .settings import DEFAULT

    config = ApiConfig(read_only=args.read_only, open_reads=args.open_reads,
                       settings=replace(DEFAULT, dictionary_dir=args.dictionaries)
                       if args.dictionaries else DEFAULT)
    if args.max_body_bytes is not None:
        config = replace(config, max_body_bytes=args.max_body_bytes)
    if args.host in _LOOPBACK:
        # Only our own names: a DNS-rebinding page arrives with its own Host header.
        config = replace(config, allowed_hosts=("127.0.0.1", "localhost", "::1", "[::1]"))
    return config


def cmd_serve(args) -> int:
    import uvicorn

    from .api import TokenError, TokenFile, create_app, tokens_path
    from .store import StoreError, open_store

    try:
        tokens = TokenFile(tokens_path(args.db, args.tokens))
    except TokenError as exc:
        _err(f"{exc}; writes will be refused")
        tokens = None
    try:
        store = open_store(args.db, read_only=args.read_only)
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR
    config = _config(args)
    if args.host not in _LOOPBACK:
        _err(f"W-EXPOSED binding {args.host}: the API is reachable beyond this machine"
             f"{'; reads are open (--open-reads)' if args.open_reads else '; reads need a token'}")
    with store:
        app = create_app(store, config=config, tokens=tokens)
        _err("loading the coder ...")
        app.state.service.coder()  # now, not on the first POST
        _err(f"serving {args.db} on http://{args.host}:{args.port}/ (Ctrl-C stops)")
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return EXIT_OK
