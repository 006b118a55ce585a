"""The store: articles and their events in DuckDB or PostgreSQL, written idempotently.

A batch of articles is written in one transaction together with their events, near-duplicate
bands and story assignments (one INSERT per table), so a store killed at any moment holds whole
batches only, and re-running an ingest skips exactly the articles already stored (same content
hash). The result is the same, row for row, as writing the articles one by one.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Optional, Sequence, Union

from ..records import Article, Event, InputProblem
from . import dedup, stories
from .backends import Backend, StoreError, connect
from .query import FLAT_COLUMNS, EventFilter, where
from .rows import EVENT_COLUMNS, event_row
from .schema import MIGRATIONS, SCHEMA_VERSION, TABLES

__all__ = ["Store", "ArticleWrite", "open_store", "migrate", "schema_version"]

_ARTICLE_COLUMNS = ("article_key", "id", "url", "title", "publisher", "published",
                    "published_from", "origin", "text", "n_events", "duplicate_of", "similarity",
                    "minhash", "coder_version", "stored_at")


def _now() -> datetime:
    # Naive UTC: TIMESTAMP (without time zone) means the same on both backends.
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass
class ArticleWrite:
    """One article to store: its events, its MinHash signature (computed when missing) and,
    for a near-duplicate, ``(original article_key, similarity)`` (its events are not stored).
    """

    article: Article
    events: Sequence[Event] = ()
    signature: Optional[dedup.Signature] = None
    duplicate_of: Optional[tuple[str, float]] = None
    coder_version: str = ""


class Store:
    """An event store. Open with :func:`eventwire.store.open`; use as a context manager."""

    def __init__(self, backend: Backend, *, migrate: bool = True):
        self.db = backend
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(f"E-STORE-SCHEMA {backend.url}: schema version {version} is newer "
                             f"than this eventwire knows ({SCHEMA_VERSION}); upgrade eventwire")
        if version < SCHEMA_VERSION:
            if not migrate:
                raise StoreError(f"E-STORE-SCHEMA {backend.url}: schema version {version}, "
                                 f"expected {SCHEMA_VERSION}; open it writable once to migrate")
            self.migrate()

    # -- schema ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        """The highest migration applied (0 for an empty database)."""
        return schema_version(self.db)

    def migrate(self, target: int = SCHEMA_VERSION) -> list[int]:
        """Apply the missing migrations up to ``target``; see :func:`migrate`."""
        return migrate(self.db, target)

    # -- writing --------------------------------------------------------------------------

    def has_article(self, article_key: str) -> bool:
        """True when an article with this content hash is stored."""
        return bool(self.db.execute("SELECT 1 FROM articles WHERE article_key = ?",
                                    [article_key]))

    def stored_keys(self, article_keys: Iterable[str]) -> set[str]:
        """Those of ``article_keys`` that are stored (one query)."""
        keys = [(k,) for k in dict.fromkeys(article_keys)]
        if not keys:
            return set()
        with self.db.relation("k", [("article_key", "TEXT")], keys) as (rel, params):
            return {r[0] for r in self.db.execute(
                f"SELECT article_key FROM articles WHERE article_key IN "
                f"(SELECT article_key FROM {rel})", params)}

    def has_url(self, url: str) -> bool:
        return bool(self.db.execute("SELECT 1 FROM articles WHERE url = ? LIMIT 1", [url]))

    def find_duplicate(self, sig: dedup.Signature, *,
                       threshold: float = dedup.THRESHOLD) -> Optional[tuple[str, float]]:
        """``(original article_key, similarity)`` of the stored article this one nearly
        duplicates, or None."""
        return self.find_duplicates([sig], threshold=threshold)[0]

    def find_duplicates(self, sigs: Sequence[dedup.Signature], *,
                        threshold: float = dedup.THRESHOLD
                        ) -> list[Optional[tuple[str, float]]]:
        """:meth:`find_duplicate` of each signature, with one query for all their bands:
        candidates are the stored articles sharing a band, earliest stored first."""
        wanted = [set(sig.band_keys()) for sig in sigs]
        keys = [(k,) for k in sorted(set().union(*wanted))] if wanted else []
        rows: list[tuple] = []
        if keys:
            with self.db.relation("k", [("band_key", "BIGINT")], keys) as (rel, params):
                rows = self.db.execute(
                    "SELECT b.band_key, a.article_key, a.minhash, a.stored_at "
                    "FROM article_bands b JOIN articles a ON a.article_key = b.article_key "
                    f"WHERE b.band_key IN (SELECT band_key FROM {rel})", params)
        rows.sort(key=lambda r: (r[3], r[1]))  # the stored order, as one query would give it
        out = []
        for bands in wanted:
            cands: dict[str, bytes] = {}
            for band, key, blob, _ in rows:
                if band in bands and key not in cands:
                    cands[key] = blob
            out.append(dedup.best_match(
                sigs[len(out)], ((k, dedup.Signature.from_bytes(b)) for k, b in cands.items()),
                threshold))
        return out

    def add_article(self, article: Article, events: Sequence[Event], *,
                    signature: Optional[dedup.Signature] = None,
                    duplicate_of: Optional[tuple[str, float]] = None,
                    coder_version: str = "") -> str:
        """Store one article with its events in one transaction (:meth:`add_articles`).

        Returns ``"exists"`` (same text already stored: nothing written), ``"duplicate"``
        (linked to its original; its events are not stored, so they are counted once) or
        ``"stored"``.
        """
        return self.add_articles([ArticleWrite(article, events, signature, duplicate_of,
                                               coder_version)])[0]

    def add_articles(self, writes: Sequence[ArticleWrite]) -> list[str]:
        """Store a batch of articles, in order, in one transaction: one query for the texts
        already stored, one for the stories their events may join, and one INSERT per table.
        The store ends up exactly as after :meth:`add_article` of each in turn; each one's
        status (``"exists"``, ``"duplicate"``, ``"stored"``) is returned in order."""
        writes = list(writes)
        status: list[str] = ["exists"] * len(writes)
        with self.db.transaction():
            stored = self.stored_keys(w.article.content_hash for w in writes)
            todo: dict[str, tuple[int, ArticleWrite, dedup.Signature, list[dict], datetime]] = {}
            for i, w in enumerate(writes):
                key = w.article.content_hash
                if key in stored or key in todo:
                    continue
                sig = w.signature or dedup.signature(w.article.text)
                rows = [] if w.duplicate_of else _unique_rows(w.article, key, w.events)
                todo[key] = (i, w, sig, rows, _now())
            written = set(self.db.insert("articles", _ARTICLE_COLUMNS, [
                _article_row(w, key, sig, len(rows), now)
                for key, (_, w, sig, rows, now) in todo.items()], returning="article_key"))
            # (PostgreSQL: a text another writer committed since the lookup is not written
            # again, and counts as already stored.)
            originals = [(key, *t) for key, t in todo.items()
                         if key in written and not t[1].duplicate_of]
            assigner = stories.Assigner(self.db, (r for *_, rows, _ in originals for r in rows))
            for key, i, w, sig, rows, now in originals:
                for row in rows:
                    row["story_id"] = assigner.assign(row, now=now)
                assigner.end_article()
            # Their keys derive from article keys written just now: nothing can conflict.
            self.db.insert("article_bands", ("band_key", "article_key"),
                           [(b, key) for key, _, _, sig, _, _ in originals
                            for b in sorted(set(sig.band_keys()))], conflicts=False)
            self.db.insert("stories", stories.STORY_COLUMNS, assigner.new, conflicts=False)
            self.db.insert("events", EVENT_COLUMNS, [[r[c] for c in EVENT_COLUMNS]
                                                     for *_, rows, _ in originals for r in rows],
                           conflicts=False)
        for key, (i, w, _, _, _) in todo.items():
            if key in written:
                status[i] = "duplicate" if w.duplicate_of else "stored"
        return status

    def ingest(self, items: Iterable[Union[Article, InputProblem]], **kw):
        """Code and store articles; see :func:`eventwire.store.ingest.ingest`."""
        from .ingest import ingest
        return ingest(self, items, **kw)

    # -- reading --------------------------------------------------------------------------

    def events(self, filter: Optional[EventFilter] = None, *, limit: Optional[int] = None,
               as_frame: bool = False, **filters: Any):
        """Stored events matching the filters (see :class:`EventFilter` for their meaning),
        ordered by event date then id: a list of event records (the JSON record of
        DESIGN.md), or with ``as_frame=True`` a pandas DataFrame of the flat columns.

        >>> store.events(actor="SYR", cameo="04", date_from="2023-01-01")  # doctest: +SKIP
        """
        f = _filter(filter, filters)
        sql, params = where(f)
        cols = ", ".join(FLAT_COLUMNS) if as_frame else "record"
        query = (f"SELECT {cols} FROM events WHERE {sql} "
                 f"ORDER BY date_start NULLS LAST, article_id, sentence_index, event_id")
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        columns, rows = self.db.query(query, params)
        if as_frame:
            import pandas as pd
            return pd.DataFrame.from_records(rows, columns=columns)
        return [json.loads(r[0]) for r in rows]

    def event_rows(self, filter: Optional[EventFilter] = None, *,
                   columns: Sequence[str] = FLAT_COLUMNS, limit: Optional[int] = None,
                   **filters: Any) -> tuple[list[str], list[tuple]]:
        """``(column names, rows)`` of the flat event columns (for tables and exports)."""
        sql, params = where(_filter(filter, filters))
        query = (f"SELECT {', '.join(columns)} FROM events WHERE {sql} "
                 f"ORDER BY date_start NULLS LAST, article_id, sentence_index, event_id")
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        return self.db.query(query, params)

    def stories(self, *, min_articles: int = 1, limit: Optional[int] = None) -> list[dict]:
        """Story events with GDELT-style counts and every article that reported them.

        Each dict: story_id, source_code, target_code, cameo_code, plover_type, date_start,
        date_end, place_country, num_mentions, num_articles, num_sources, articles (list of
        {id, publisher, url, published, duplicate_of}), publishers (sorted, distinct).
        """
        query = ("SELECT s.story_id, s.source_code, s.target_code, s.cameo_code, s.plover_type,"
                 " s.date_start, s.date_end, s.place_country, c.num_mentions, c.num_articles,"
                 " c.num_sources FROM stories s JOIN story_counts c ON c.story_id = s.story_id"
                 " WHERE c.num_articles >= ? ORDER BY c.num_articles DESC, s.date_start,"
                 " s.story_id")
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        columns, rows = self.db.query(query, [min_articles])
        out = [dict(zip(columns, r)) for r in rows]
        for story in out:
            _, reports = self.db.query(
                "SELECT article_id, publisher, url, published, duplicate_of FROM story_reports"
                " WHERE story_id = ? ORDER BY published, article_id", [story["story_id"]])
            story["articles"] = [dict(zip(("id", "publisher", "url", "published",
                                           "duplicate_of"), r)) for r in reports]
            story["publishers"] = sorted({r[1] for r in reports if r[1]})
        return out

    def sql(self, query: str) -> list[dict]:
        """Run one read-only SELECT; anything that would write is refused (E-STORE-READONLY)
        and changes nothing."""
        columns, rows = self.db.read_only(query)
        return [dict(zip(columns, r)) for r in rows]

    def counts(self) -> dict[str, int]:
        """Row counts: each table, plus originals and duplicates among the articles."""
        out = {t: self.db.execute(f"SELECT COUNT(*) FROM {t}")[0][0] for t in TABLES}
        out["duplicates"] = self.db.execute(
            "SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL")[0][0]
        out["originals"] = out["articles"] - out["duplicates"]
        return out

    # -- lifecycle ------------------------------------------------------------------------

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self.db.kind} {self.db.url!r}>"


def schema_version(db: Backend) -> int:
    """The highest migration applied to ``db`` (0 for an empty database)."""
    found = db.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ? "
                       "AND table_schema = current_schema()", ["schema_version"])
    if not found[0][0]:
        return 0
    return db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0]


_MIGRATION_LOCK = 0x65766E74  # "evnt": the advisory lock key migrations serialise on


def migrate(db: Backend, target: int = SCHEMA_VERSION) -> list[int]:
    """Apply the migrations of ``schema.MIGRATIONS`` that ``db`` lacks, up to ``target``,
    each in its own transaction (with its ``schema_version`` row); returns those applied."""
    applied = []
    for m in MIGRATIONS:
        if m.version <= schema_version(db) or m.version > target:
            continue
        with db.transaction():
            if db.kind == "postgresql":
                # two processes opening a fresh store at once: the second waits here, then
                # finds the migration applied (re-read inside the lock) and skips it
                db.execute("SELECT pg_advisory_xact_lock(?)", [_MIGRATION_LOCK])
                if m.version <= schema_version(db):
                    continue
            for statement in m.statements:
                db.execute(statement)
            db.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                       [m.version, m.description, _now()])
        applied.append(m.version)
    return applied


def _filter(filter: Optional[EventFilter], filters: dict[str, Any]) -> EventFilter:
    unknown = sorted(set(filters) - set(EventFilter.names()))
    if unknown:
        raise StoreError(f"E-STORE-FILTER unknown filter(s) {', '.join(unknown)}; known: "
                         f"{', '.join(EventFilter.names())}")
    if filter is not None and filters:
        raise StoreError("E-STORE-FILTER give an EventFilter or keyword filters, not both")
    return filter or EventFilter(**filters)


def _article_row(w: ArticleWrite, key: str, sig: dedup.Signature, n_events: int,
                 now: datetime) -> list[Any]:
    a, dup = w.article, w.duplicate_of
    return [key, a.id, a.url, a.title, a.publisher, a.published, a.published_from, a.origin,
            a.text, n_events, dup[0] if dup else None, dup[1] if dup else None, sig.to_bytes(),
            w.coder_version, now]


def _unique_rows(article: Article, key: str, events: Sequence[Event]) -> list[dict]:
    seen, rows = set(), []
    for ev in events:
        row = event_row(article, key, ev)
        if row["event_id"] not in seen:
            seen.add(row["event_id"])
            rows.append(row)
    return rows


def open_store(db: Union[str, os.PathLike] = "events.duckdb", *,
               read_only: bool = False) -> Store:
    """Open (creating and migrating if needed) the store at ``db``: a DuckDB file path
    (default ``events.duckdb``) or a ``postgresql://`` URL.

    >>> with open_store("events.duckdb") as store:             # doctest: +SKIP
    ...     store.events(country="SYR", as_frame=True)
    """
    return Store(connect(db, read_only=read_only), migrate=not read_only)
