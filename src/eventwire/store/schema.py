"""The store's schema, as numbered migrations that run in order, each in one transaction.

The SQL is written once for both backends: every type and clause used here means the same in
DuckDB and PostgreSQL (TEXT, BIGINT, DOUBLE PRECISION, BYTEA, DATE, TIMESTAMP, BOOLEAN,
``ON CONFLICT DO NOTHING``). docs/store.md documents every table and column; a test pins that
the document names every column created here.

Never edit a released migration: add a new one (and a line in docs/store.md).
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Migration", "MIGRATIONS", "SCHEMA_VERSION", "TABLES"]


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


_V1 = (
    """CREATE TABLE schema_version (
        version INTEGER PRIMARY KEY,
        description TEXT NOT NULL,
        applied_at TIMESTAMP NOT NULL
    )""",
    # One row per distinct article text. article_key = sha256 of the text: storing the same
    # text again is a no-op, whatever file or feed it came from.
    """CREATE TABLE articles (
        article_key TEXT PRIMARY KEY,
        id TEXT NOT NULL,
        url TEXT,
        title TEXT,
        publisher TEXT,
        published DATE,
        published_from TEXT NOT NULL,
        origin TEXT,
        text TEXT NOT NULL,
        n_events INTEGER NOT NULL,
        duplicate_of TEXT,
        similarity DOUBLE PRECISION,
        minhash BYTEA,
        coder_version TEXT NOT NULL,
        stored_at TIMESTAMP NOT NULL
    )""",
    # MinHash LSH bands: (band number, band hash) folded into one 64-bit key, so near-duplicate
    # candidates are one indexed lookup, persistent across runs and shared by both backends.
    """CREATE TABLE article_bands (
        band_key BIGINT NOT NULL,
        article_key TEXT NOT NULL,
        PRIMARY KEY (band_key, article_key)
    )""",
    # A story event: events of different articles that describe the same happening. The
    # anchor (first) event fixes its key; members point at it through events.story_id.
    """CREATE TABLE stories (
        story_id TEXT PRIMARY KEY,
        source_code TEXT,
        target_code TEXT,
        cameo_root TEXT NOT NULL,
        cameo_code TEXT NOT NULL,
        plover_type TEXT,
        date_start DATE,
        date_end DATE,
        place_country TEXT,
        first_article_key TEXT NOT NULL,
        created_at TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE events (
        article_key TEXT NOT NULL,
        event_id TEXT NOT NULL,
        story_id TEXT NOT NULL,
        article_id TEXT NOT NULL,
        published DATE,
        date_start DATE,
        date_end DATE,
        date_precision TEXT,
        date_text TEXT,
        background BOOLEAN NOT NULL,
        source_code TEXT, source_country TEXT, source_role TEXT, source_name TEXT,
        source_text TEXT,
        target_code TEXT, target_country TEXT, target_role TEXT, target_name TEXT,
        target_text TEXT,
        cameo_code TEXT NOT NULL,
        cameo_root TEXT NOT NULL,
        cameo_label TEXT,
        quad_class INTEGER,
        goldstein DOUBLE PRECISION,
        plover_type TEXT,
        plover_mode TEXT,
        place_text TEXT, place_name TEXT, place_country TEXT,
        lat DOUBLE PRECISION, lon DOUBLE PRECISION, place_precision TEXT, geonameid BIGINT,
        claimants TEXT,
        modality TEXT NOT NULL,
        confidence DOUBLE PRECISION,
        sentence TEXT NOT NULL,
        sentence_index INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        span_start INTEGER,
        span_end INTEGER,
        method TEXT,
        rule TEXT,
        coder_version TEXT,
        record TEXT NOT NULL,
        PRIMARY KEY (article_key, event_id)
    )""",
)

_V2 = (
    "CREATE INDEX articles_url ON articles (url)",
    "CREATE INDEX articles_duplicate_of ON articles (duplicate_of)",
    "CREATE INDEX events_date ON events (date_start, date_end)",
    "CREATE INDEX events_story ON events (story_id)",
    "CREATE INDEX events_cameo ON events (cameo_code)",
    "CREATE INDEX stories_key ON stories (cameo_root, source_code, target_code)",
)

# Every article that reported a story: the articles whose events are members, and the
# near-duplicates linked to them (not coded again, but they did report it).
_V3 = (
    """CREATE VIEW story_reports AS
        SELECT DISTINCT e.story_id, a.article_key, a.id AS article_id, a.publisher, a.url,
               a.published, a.duplicate_of
        FROM events e JOIN articles a ON a.article_key = e.article_key
        UNION
        SELECT DISTINCT e.story_id, a.article_key, a.id AS article_id, a.publisher, a.url,
               a.published, a.duplicate_of
        FROM events e JOIN articles a ON a.duplicate_of = e.article_key""",
    # GDELT-style counts. An article with no publisher counts as a source of its own.
    """CREATE VIEW story_counts AS
        SELECT r.story_id,
               COUNT(DISTINCT r.article_key) AS num_articles,
               COUNT(DISTINCT COALESCE(r.publisher, r.article_key)) AS num_sources,
               m.num_mentions
        FROM story_reports r
        JOIN (SELECT story_id, COUNT(*) AS num_mentions FROM events GROUP BY story_id) m
          ON m.story_id = r.story_id
        GROUP BY r.story_id, m.num_mentions""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, near-duplicate bands, events, stories", _V1),
    Migration(2, "indexes for query filters, dedup and story lookups", _V2),
    Migration(3, "story_reports and story_counts views", _V3),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
TABLES = ("schema_version", "articles", "article_bands", "stories", "events")
