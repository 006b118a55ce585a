"""``eventwire doctor``: an integrity check of an event store (DuckDB or PostgreSQL).

What a healthy store guarantees (docs/store.md) and what is checked here, read-only, in one
snapshot:

- **schema**: the schema version is the one this eventwire writes, every table and view exists;
- **articles**: each article's key is the SHA-256 of its stored text, and no text (content hash)
  is stored twice;
- **events**: each article's events are present exactly once (none twice, as many as its
  ``n_events`` says) and no event lacks its article (orphans); each event's JSON record is
  intact and carries the row's ``event_id``;
- **duplicates**: a near-duplicate links to a stored original (not to itself, not to another
  near-duplicate), has a similarity in [0, 1] and no events of its own;
- **bands**: near-duplicate bands belong to stored originals, and every original has them;
- **stories**: every event's story exists, no story is empty, a story's first article has an
  event in it, and its members share its CAMEO root and actors (either way round for
  consultations).

>>> report = check_store("events.duckdb")          # doctest: +SKIP
>>> report.ok, print(report.text())                 # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional, Union

from .store.backends import Backend, connect
from .store.core import schema_version
from .store.schema import SCHEMA_VERSION, TABLES
from .store.stories import SYMMETRIC_ROOTS

__all__ = ["Finding", "DoctorReport", "check_store", "check_backend", "CHECKS"]

CHECKS = ("schema", "articles", "events", "duplicates", "bands", "stories")
VIEWS = ("story_reports", "story_counts")
_EXAMPLES = 5  # violations quoted per finding
_PAGE = 500  # rows per page when texts and records are read into Python


@dataclass(frozen=True)
class Finding:
    """One kind of violation: its check, stable code, what is wrong, how often, examples."""

    check: str
    code: str
    message: str
    count: int
    examples: tuple[str, ...] = ()

    def __str__(self) -> str:
        shown = "; ".join(self.examples)
        return f"{self.code} {self.count:,} {self.message}" + (f", e.g. {shown}" if shown else "")


@dataclass
class DoctorReport:
    """The outcome of :func:`check_store`: per-check status and every finding."""

    store: str
    kind: str
    version: int
    counts: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # checks that could not run, and why

    @property
    def ok(self) -> bool:
        return not self.findings and not self.skipped

    def status(self, check: str) -> str:
        if any(s.startswith(check + ":") for s in self.skipped):
            return "SKIP"
        return "FAIL" if any(f.check == check for f in self.findings) else "ok"

    def text(self) -> str:
        """The report as printed by ``eventwire doctor``."""
        counts = ", ".join(f"{v:,} {k}" for k, v in self.counts.items())
        lines = [f"eventwire doctor: {self.store} ({self.kind}, schema {self.version}"
                 f"{'; ' + counts if counts else ''})"]
        for check in CHECKS:
            lines.append(f"  {self.status(check):<5} {check}")
            lines += [f"          {f}" for f in self.findings if f.check == check]
            lines += [f"          {s.split(': ', 1)[1]}" for s in self.skipped
                      if s.startswith(check + ":")]
        problems = len(self.findings) + len(self.skipped)
        lines.append("eventwire doctor: store is healthy" if self.ok else
                     f"eventwire doctor: {problems} problem(s) found")
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict[str, Any]:
        return {"store": self.store, "kind": self.kind, "schema_version": self.version,
                "ok": self.ok, "counts": self.counts, "skipped": self.skipped,
                "checks": {c: self.status(c) for c in CHECKS},
                "findings": [{"check": f.check, "code": f.code, "message": f.message,
                              "count": f.count, "examples": list(f.examples)}
                             for f in self.findings]}


# (check, code, what each row is, SQL selecting one text column: the violation, described)
_SQL_CHECKS: tuple[tuple[str, str, str, str], ...] = (
    ("articles", "E-DOCTOR-KEY-TWICE", "content hashes stored more than once",
     "SELECT article_key || ' (' || CAST(COUNT(*) AS TEXT) || ' rows)' FROM articles "
     "GROUP BY article_key HAVING COUNT(*) > 1"),
    ("events", "E-DOCTOR-EVENT-TWICE", "events stored more than once",
     "SELECT article_id || ' ' || event_id FROM events GROUP BY article_key, article_id, "
     "event_id HAVING COUNT(*) > 1"),
    ("events", "E-DOCTOR-EVENT-COUNT", "articles whose stored events differ from n_events",
     "SELECT a.id || ': n_events ' || CAST(a.n_events AS TEXT) || ', stored ' || "
     "CAST(COALESCE(e.n, 0) AS TEXT) FROM articles a LEFT JOIN (SELECT article_key, COUNT(*) "
     "AS n FROM events GROUP BY article_key) e ON e.article_key = a.article_key "
     "WHERE a.n_events <> COALESCE(e.n, 0)"),
    ("events", "E-DOCTOR-ORPHAN-EVENT", "events whose article is not stored",
     "SELECT e.article_id || ' ' || e.event_id FROM events e WHERE NOT EXISTS "
     "(SELECT 1 FROM articles a WHERE a.article_key = e.article_key)"),
    ("duplicates", "E-DOCTOR-DUPLICATE-EVENTS", "near-duplicates with events of their own",
     "SELECT a.id FROM articles a WHERE a.duplicate_of IS NOT NULL AND (a.n_events <> 0 OR "
     "EXISTS (SELECT 1 FROM events e WHERE e.article_key = a.article_key))"),
    ("duplicates", "E-DOCTOR-DANGLING-DUPLICATE",
     "near-duplicates linked to an original that is not stored",
     "SELECT a.id || ' -> ' || a.duplicate_of FROM articles a WHERE a.duplicate_of IS NOT NULL "
     "AND NOT EXISTS (SELECT 1 FROM articles o WHERE o.article_key = a.duplicate_of)"),
    ("duplicates", "E-DOCTOR-DUPLICATE-CHAIN",
     "near-duplicates linked to themselves or to another near-duplicate, not an original",
     "SELECT a.id || ' -> ' || o.id FROM articles a JOIN articles o ON o.article_key = "
     "a.duplicate_of WHERE o.duplicate_of IS NOT NULL OR o.article_key = a.article_key"),
    ("duplicates", "E-DOCTOR-SIMILARITY", "near-duplicates without a similarity in [0, 1]",
     "SELECT a.id FROM articles a WHERE a.duplicate_of IS NOT NULL AND (a.similarity IS NULL "
     "OR a.similarity < 0 OR a.similarity > 1)"),
    ("bands", "E-DOCTOR-ORPHAN-BAND",
     "near-duplicate bands of articles that are not stored originals",
     "SELECT DISTINCT b.article_key FROM article_bands b LEFT JOIN articles a ON "
     "a.article_key = b.article_key WHERE a.article_key IS NULL OR a.duplicate_of IS NOT NULL"),
    ("bands", "E-DOCTOR-NO-BANDS", "original articles without near-duplicate bands",
     "SELECT a.id FROM articles a WHERE a.duplicate_of IS NULL AND NOT EXISTS "
     "(SELECT 1 FROM article_bands b WHERE b.article_key = a.article_key)"),
    ("stories", "E-DOCTOR-ORPHAN-MEMBER", "events in a story that does not exist",
     "SELECT e.article_id || ' ' || e.event_id || ' -> ' || e.story_id FROM events e "
     "WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.story_id = e.story_id)"),
    ("stories", "E-DOCTOR-EMPTY-STORY", "stories without events",
     "SELECT s.story_id FROM stories s WHERE NOT EXISTS "
     "(SELECT 1 FROM events e WHERE e.story_id = s.story_id)"),
    ("stories", "E-DOCTOR-STORY-ANCHOR", "stories whose first article has no event in them",
     "SELECT s.story_id FROM stories s WHERE NOT EXISTS (SELECT 1 FROM events e WHERE "
     "e.story_id = s.story_id AND e.article_key = s.first_article_key)"),
)
# Members share the story's root and dyad (reversed too for symmetric roots); filled below.
_STORY_KEY = (
    "stories", "E-DOCTOR-STORY-KEY", "events whose CAMEO root or actors differ from their story",
    "SELECT e.article_id || ' ' || e.event_id || ' in ' || s.story_id FROM events e "
    "JOIN stories s ON s.story_id = e.story_id WHERE e.cameo_root <> s.cameo_root OR NOT ("
    "(e.source_code IS NOT DISTINCT FROM s.source_code AND e.target_code IS NOT DISTINCT FROM "
    "s.target_code) OR (s.cameo_root IN ({roots}) AND e.source_code IS NOT DISTINCT FROM "
    "s.target_code AND e.target_code IS NOT DISTINCT FROM s.source_code))")


def check_store(db: Union[str, os.PathLike]) -> DoctorReport:
    """Open ``db`` (DuckDB path or ``postgresql://`` URL) read-only and check it.

    Raises :class:`eventwire.store.StoreError` when the store cannot be opened (missing,
    busy with a writer, unreachable); every problem inside the store is a finding.
    """
    backend = connect(db, read_only=True)
    try:
        return check_backend(backend)
    finally:
        backend.close()


def check_backend(db: Backend) -> DoctorReport:
    """Run every check on an open backend, in one read-only snapshot."""
    with db.transaction():
        if db.kind == "postgresql":  # one snapshot for all checks, even with writers busy
            db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        report = DoctorReport(store=_redacted(db.url), kind=db.kind, version=schema_version(db))
        missing = [t for t in _check_schema(db, report) if t in TABLES]  # views: not needed
        if missing:
            report.skipped += [f"{c}: not checked: the store lacks {', '.join(missing)}"
                               for c in CHECKS[1:]]
            return report
        report.counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}")[0][0]
                         for t in ("articles", "events", "stories")}
        roots = ", ".join(f"'{r}'" for r in sorted(SYMMETRIC_ROOTS))
        story_key = _STORY_KEY[:3] + (_STORY_KEY[3].format(roots=roots),)
        for check, code, message, sql in _SQL_CHECKS + (story_key,):
            _sql_check(db, report, check, code, message, sql)
        _python_check(db, report, "articles", "E-DOCTOR-HASH",
                      "articles whose key is not the SHA-256 of their text",
                      "SELECT article_key AS k, id, text FROM articles", _bad_hash)
        _python_check(db, report, "events", "E-DOCTOR-RECORD",
                      "events whose JSON record is unreadable or names another event",
                      "SELECT article_key || ' ' || event_id AS k, article_id, event_id, record "
                      "FROM events", _bad_record)
    return report


def _check_schema(db: Backend, report: DoctorReport) -> list[str]:
    """Version and objects; returns the tables and views that are missing."""
    if report.version != SCHEMA_VERSION:
        newer = "newer than this eventwire" if report.version > SCHEMA_VERSION else \
            "not migrated (open it writable once, e.g. with eventwire ingest)"
        report.findings.append(Finding("schema", "E-DOCTOR-SCHEMA", f"schema version "
                                       f"{report.version}, expected {SCHEMA_VERSION}: {newer}",
                                       1))
    rows = db.execute("SELECT table_name FROM information_schema.tables "
                      "WHERE table_schema = current_schema()")
    present = {r[0] for r in rows}
    missing = [name for name in TABLES + VIEWS if name not in present]
    if missing:
        report.findings.append(Finding("schema", "E-DOCTOR-MISSING", "tables or views missing",
                                       len(missing), tuple(missing)))
    return missing


def _sql_check(db: Backend, report: DoctorReport, check: str, code: str, message: str,
               sql: str) -> None:
    count = db.execute(f"SELECT COUNT(*) FROM ({sql}) violations")[0][0]
    if count:
        examples = tuple(str(r[0]) for r in db.execute(f"{sql} ORDER BY 1 LIMIT {_EXAMPLES}"))
        report.findings.append(Finding(check, code, message, count, examples))


def _python_check(db: Backend, report: DoctorReport, check: str, code: str, message: str,
                  sql: str, bad: Callable[[tuple], Optional[str]]) -> None:
    """A check that needs Python (hashing, JSON) over every row, read in keyset pages."""
    count, examples = 0, []
    for row in _pages(db, sql):
        why = bad(row)
        if why:
            count += 1
            if len(examples) < _EXAMPLES:
                examples.append(why)
    if count:
        report.findings.append(Finding(check, code, message, count, tuple(examples)))


def _pages(db: Backend, sql: str) -> Iterator[tuple]:
    """Rows of ``sql`` (its first column ``k``, a unique text key) in key order, a page at a
    time, so a large store is never fetched whole."""
    after = ""
    while True:
        rows = db.execute(f"SELECT * FROM ({sql}) r WHERE r.k > ? ORDER BY r.k LIMIT {_PAGE}",
                          [after])
        yield from rows
        if len(rows) < _PAGE:
            return
        after = rows[-1][0]


def _bad_hash(row: tuple) -> Optional[str]:
    key, ident, text = row
    try:
        actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
    except (AttributeError, UnicodeEncodeError) as exc:
        return f"{ident}: text unreadable ({type(exc).__name__})"
    if actual == key:
        return None
    return f"{ident}: key {key[:12]}…, text hashes to {actual[:12]}…"


def _bad_record(row: tuple) -> Optional[str]:
    _, article_id, event_id, record = row
    try:
        parsed = json.loads(record)
    except (TypeError, ValueError) as exc:
        return f"{article_id} {event_id}: record is not JSON ({type(exc).__name__})"
    if not isinstance(parsed, dict):
        return f"{article_id} {event_id}: record is a JSON {type(parsed).__name__}, not an object"
    if parsed.get("event_id") != event_id:
        return f"{article_id} {event_id}: record names event {parsed.get('event_id')!r}"
    return None


def _redacted(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return url
