"""What the routes share: the open store, the coder, the tokens and the limits.

One DuckDB connection must not be used by two threads at once (FastAPI runs plain ``def``
routes in a thread pool), so every store access holds ``store_lock``; coding holds
``code_lock`` because a spaCy pipeline is not documented as thread-safe.
"""
from __future__ import annotations

import ipaddress
import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Iterator, Optional, Union

from ..limits import TimeLimitExceeded
from ..records import Article, Event, InputProblem
from ..settings import DEFAULT, Settings
from .auth import TokenFile
from .schemas import ArticleIn, HtmlArticleIn

__all__ = ["ApiConfig", "Service", "InputRefused", "is_loopback"]


@dataclass(frozen=True)
class ApiConfig:
    """Options of the HTTP API (``eventwire serve`` sets them from its flags)."""

    # Request bodies above this are refused with 413 (an article is at most
    # settings.max_article_chars characters; 1 MB holds a long HTML page).
    max_body_bytes: int = 1_000_000
    # GET /v1/events pages: default and hard cap (a larger ?limit= is a 422).
    page_default: int = 100
    page_max: int = 500
    # Reads from clients other than loopback need a token unless this is set (serve
    # --open-reads); writes always need one.
    open_reads: bool = False
    # Host headers accepted (DNS-rebinding guard); None accepts any.
    allowed_hosts: Optional[tuple[str, ...]] = None
    # The store was opened read-only: writes are refused.
    read_only: bool = False
    settings: Settings = DEFAULT


class InputRefused(Exception):
    """The posted article could not be read (empty, not English, too large ...)."""

    def __init__(self, problem: InputProblem):
        super().__init__(f"{problem.code} {problem.message}")
        self.problem = problem


def is_loopback(host: Optional[str]) -> bool:
    """True for 127.0.0.0/8, ::1 and an IPv4-mapped loopback address."""
    try:
        ip = ipaddress.ip_address(host or "")
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


class Service:
    """The store, the coder and the tokens behind one app."""

    def __init__(self, store, *, config: ApiConfig = ApiConfig(),
                 tokens: Optional[TokenFile] = None, coder=None):
        self.store = store
        self.config = config
        self.tokens = tokens
        self._coder = coder
        self.store_lock = threading.Lock()
        self.code_lock = threading.Lock()

    @contextmanager
    def reading(self) -> Iterator:
        """The store, held for this thread."""
        with self.store_lock:
            yield self.store

    def coder(self):
        """The coder (loaded on first use: the spaCy pipeline takes seconds)."""
        with self.code_lock:
            if self._coder is None:
                from ..pipeline import default_coder
                self._coder = default_coder(self.config.settings)
            return self._coder

    def article(self, body: ArticleIn) -> Article:
        """The posted article read by the same readers as files (checks included)."""
        from ..ingest import read_bytes

        kind, data = ("html", body.html) if isinstance(body, HtmlArticleIn) \
            else ("text", body.text)
        try:
            # JSON may carry lone surrogates ("\ud800") that no encoder takes; PostgreSQL
            # refuses NUL in text. Both are refused here, by name, not as a 500 later.
            raw = data.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputRefused(InputProblem("api", "E-ENCODING", f"{kind} has an unpaired "
                                            f"surrogate escape at character {exc.start}"))
        nul = raw.find(b"\x00")
        if nul >= 0:
            raise InputRefused(InputProblem("api", "E-BINARY", f"{kind} contains a NUL "
                                            f"character at byte {nul}"))
        items = list(read_bytes(raw, origin="api", kind=kind,
                                published=body.published, settings=self.config.settings))
        item = items[0] if items else InputProblem("api", "E-EMPTY", "has no article text")
        if isinstance(item, InputProblem):
            raise InputRefused(item)
        # Events are keyed by article id: a content-derived default keeps two posted
        # articles from sharing event ids.
        return replace(item, id=body.id or f"api-{item.content_hash[:12]}",
                       title=body.title or item.title, url=body.url or item.url,
                       publisher=body.publisher or item.publisher)

    def code(self, article: Article) -> list[Event]:
        coder = self.coder()
        with self.code_lock:
            try:
                return coder.code(article)
            except TimeLimitExceeded as exc:  # settings.max_article_seconds
                raise InputRefused(_timeout(exc)) from None

    def ingest(self, article: Article) -> tuple[str, list[Event]]:
        """Code and store one article: (stored | duplicate | exists, events stored)."""
        coder = self.coder()
        seen: dict[str, Union[str, int]] = {}

        def on_item(status, item, n):
            seen["status"] = status
            if status == "problem":
                seen["problem"] = item

        with self.code_lock, self.store_lock:
            # Code once, and hand the ingest a coder that returns those events, so the
            # events returned are exactly the events stored.
            try:
                events = coder.code(article) \
                    if not self.store.has_article(article.content_hash) else []
            except TimeLimitExceeded as exc:
                raise InputRefused(_timeout(exc)) from None
            self.store.ingest([article], coder=_Fixed(events), settings=self.config.settings,
                              on_item=on_item)
        if seen.get("status") == "problem":
            raise InputRefused(seen["problem"])  # type: ignore[arg-type]
        status = str(seen.get("status", "exists"))
        if status != "stored":
            return status, []
        unique = {ev.event_id: ev for ev in reversed(events)}  # the store keeps the first
        return status, [ev for ev in events if unique.get(ev.event_id) is ev]


def _timeout(exc: TimeLimitExceeded) -> InputProblem:
    return InputProblem("api", "E-TIMEOUT", f"took longer than {exc.seconds:g} s to code "
                        "(settings.max_article_seconds); nothing stored")


class _Fixed:
    """A coder that returns events already coded (see Service.ingest)."""

    def __init__(self, events: list[Event]):
        self.events = events

    def code(self, article: Article) -> list[Event]:
        return self.events
