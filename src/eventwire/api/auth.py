"""API tokens for the write endpoints: created by ``eventwire token create``, stored hashed.

A token is 32 random bytes (``ew_`` + URL-safe base64). Only its SHA-256 is kept, in a small
JSON file next to the store (``events.duckdb`` -> ``events.duckdb.tokens.json``; for a
PostgreSQL store give ``--tokens FILE`` or set ``EVENTWIRE_TOKENS``). A fast hash is enough
here: the tokens are random and long, so there is nothing to brute-force, unlike passwords.
The file is written atomically with mode 0600 and re-read when it changes, so a token
created while ``eventwire serve`` runs works at once, and a revoked one stops working.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional, Union

__all__ = ["TokenError", "TokenFile", "tokens_path", "TOKEN_PREFIX"]

TOKEN_PREFIX = "ew_"


class TokenError(Exception):
    """A token-file problem; the message starts with a stable code (``E-TOKEN-...``)."""


def tokens_path(db: Union[str, os.PathLike], tokens: Optional[str] = None) -> Path:
    """Where the tokens of store ``db`` live: ``tokens`` if given, else ``EVENTWIRE_TOKENS``,
    else ``<db>.tokens.json`` beside a DuckDB file (a PostgreSQL URL has no "beside")."""
    chosen = tokens or os.environ.get("EVENTWIRE_TOKENS")
    if chosen:
        return Path(chosen)
    text = str(db)
    if "://" in text:
        raise TokenError(f"E-TOKEN-PATH {text.split('@')[-1]}: a server store has no file "
                         f"beside it; give --tokens FILE (or set EVENTWIRE_TOKENS)")
    return Path(text + ".tokens.json")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Entry:
    name: str
    sha256: str
    created: str


class TokenFile:
    """The hashed tokens of one store. ``create`` returns the token (shown once);
    ``verify`` returns the name of the matching token or None."""

    def __init__(self, path: Union[str, os.PathLike]):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._seen: Optional[tuple[int, int]] = None  # (mtime_ns, size) of the cached read
        self._entries: list[_Entry] = []

    def _load(self) -> list[_Entry]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return []
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            if stamp != self._seen:
                self._entries = self._read()
                self._seen = stamp
            return list(self._entries)

    def _read(self) -> list[_Entry]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [_Entry(e["name"], e["sha256"], e.get("created", ""))
                    for e in data["tokens"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise TokenError(f"E-TOKEN-FILE {self.path}: unreadable token file "
                             f"({type(exc).__name__}: {exc})") from None

    def _write(self, entries: list[_Entry]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"tokens": [e.__dict__ for e in entries]}, indent=1)
        fd, tmp = tempfile.mkstemp(prefix=".tokens-", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)  # hashes only, but nobody else needs to read them
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(body + "\n")
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def names(self) -> list[str]:
        """Names of the tokens, oldest first."""
        return [e.name for e in self._load()]

    def create(self, name: str) -> str:
        """Add a token called ``name`` (unique) and return it; only its hash is stored."""
        name = name.strip()
        if not name or len(name) > 100:
            raise TokenError(f"E-TOKEN-NAME {name!r}: give a name of 1 to 100 characters")
        entries = self._load()
        if any(e.name == name for e in entries):
            raise TokenError(f"E-TOKEN-EXISTS {name!r}: a token of that name exists in "
                             f"{self.path}; revoke it first or choose another name")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._write(entries + [_Entry(name, _digest(token), created)])
        return token

    def revoke(self, name: str) -> bool:
        """Remove the token called ``name``; False when there is none."""
        entries = self._load()
        keep = [e for e in entries if e.name != name]
        if len(keep) == len(entries):
            return False
        self._write(keep)
        return True

    def verify(self, token: Optional[str]) -> Optional[str]:
        """The name of the token ``token`` matches, else None (constant-time comparison)."""
        if not token or not token.startswith(TOKEN_PREFIX):
            return None
        digest = _digest(token)
        found = None
        for entry in self._load():
            if hmac.compare_digest(entry.sha256, digest):
                found = entry.name
        return found
