"""Story events: events of different articles that describe the same happening.

Two events belong to one story when they have the same source and target actor codes (either
way round for consultations, root 04: "A visited B" is "B hosted A"), the same CAMEO root
(compatible codes: "met" 040 and "hosted" 043 are one consultation), event dates that
overlap (``SLACK_DAYS`` either side, since reports a day apart often date the same happening
differently) and places that do not disagree (same country, or one of them has no
place). An event without a date starts a story of its own: nothing says when it happened.

Assignment is incremental and runs in the transaction that stores the events: each stored event
joins the oldest compatible story (stories ordered by creation time, then id; a story anchored
by an earlier event of the same article comes after all those) or anchors a new one. The story
keeps its anchor's key and dates, so a chain of events each a day later never drifts into one
long story. A batch of articles is assigned with one query for the stored candidates of all
its events (:class:`Assigner`), and ends up exactly as if its articles were stored one by one.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any, Iterable, Mapping, Optional

from .backends import Backend

__all__ = ["Assigner", "story_id", "SLACK_DAYS", "STORY_COLUMNS", "SYMMETRIC_ROOTS"]

SLACK_DAYS = 1
# Consultations are one happening seen from either side: "A visited B" (042) is "B hosted A"
# (043), and "A met B" is "B met A". Other roots keep their direction.
SYMMETRIC_ROOTS = frozenset({"04"})
STORY_COLUMNS = ("story_id", "source_code", "target_code", "cameo_root", "cameo_code",
                 "plover_type", "date_start", "date_end", "place_country", "first_article_key",
                 "created_at")
# The stored stories a batch's events may join: the batch's dyads, with the date window of
# each over the batch, go with the query as a table (backends.Backend.relation).
_DYADS = (("root", "TEXT"), ("src", "TEXT"), ("tgt", "TEXT"), ("lo", "DATE"), ("hi", "DATE"))
_CANDIDATES = """SELECT DISTINCT s.story_id, s.source_code, s.target_code, s.cameo_root,
        s.cameo_code, s.plover_type, s.date_start, s.date_end, s.place_country,
        s.first_article_key, s.created_at
    FROM stories s JOIN {dyads}
      ON s.cameo_root = k.root AND s.source_code IS NOT DISTINCT FROM k.src
     AND s.target_code IS NOT DISTINCT FROM k.tgt
     AND s.date_start IS NOT NULL AND s.date_start <= k.hi AND s.date_end >= k.lo"""


def story_id(article_key: str, event_id: str) -> str:
    """Stable id of the story anchored by one stored event."""
    return hashlib.sha1(f"{article_key}|{event_id}".encode("utf-8")).hexdigest()[:16]


def _window(row: Mapping[str, Any]) -> tuple:
    start, end = row["date_start"], row["date_end"] or row["date_start"]
    return start - timedelta(days=SLACK_DAYS), end + timedelta(days=SLACK_DAYS)


def _dyads(row: Mapping[str, Any]) -> list[tuple]:
    """The (root, source, target) keys of the stories an event row may join."""
    root, src, tgt = row["cameo_root"], row["source_code"], row["target_code"]
    keys = [(root, src, tgt)]
    if root in SYMMETRIC_ROOTS and (tgt, src) != (src, tgt):
        keys.append((root, tgt, src))
    return keys


class Assigner:
    """Story assignment for the event rows of a batch of articles, in one transaction.

    ``Assigner(db, rows)`` reads, in one query, every stored story any of ``rows`` could
    join; then :meth:`assign` gives each row, article by article
    in the order they are stored, its story, and :meth:`end_article` closes an article. The
    stories anchored meanwhile are in :attr:`new` (``stories`` rows, columns of
    ``STORY_COLUMNS``) for the caller to insert with the batch.
    """

    def __init__(self, db: Backend, rows: Iterable[Mapping[str, Any]]):
        self.new: list[list[Any]] = []
        self._article: list[list[Any]] = []  # anchored by the article being assigned
        self._known: dict[tuple, list[list[Any]]] = {}  # (root, src, tgt) -> stories
        wanted: dict[tuple, list] = {}  # (root, src, tgt) -> [lo, hi] over the batch
        for row in rows:
            if row["date_start"] is None:
                continue
            lo, hi = _window(row)
            for key in _dyads(row):
                span = wanted.setdefault(key, [lo, hi])
                span[0], span[1] = min(span[0], lo), max(span[1], hi)
        if wanted:
            with db.relation("k", _DYADS, [(*k, lo, hi) for k, (lo, hi) in wanted.items()]) \
                    as (dyads, params):
                found = db.execute(_CANDIDATES.format(dyads=dyads), params)
            for story in found:
                self._known.setdefault((story[3], story[1], story[2]), []).append(list(story))
        for stories in self._known.values():
            stories.sort(key=_age)

    def assign(self, row: Mapping[str, Any], *, now) -> str:
        """The story of one event row (a dict of ``events`` columns) of the current article:
        the oldest stored or earlier-anchored story it is compatible with, else a new one
        that it anchors."""
        start = row["date_start"]
        if start is not None:
            lo, hi = _window(row)
            known = [s for key in _dyads(row) for s in self._known.get(key, ())]
            if len(known) > 1:
                known.sort(key=_age)
            for story in (*known, *self._article):
                if _matches(story, row, lo, hi):
                    return story[0]
        sid = story_id(row["article_key"], row["event_id"])
        story = [sid, row["source_code"], row["target_code"], row["cameo_root"],
                 row["cameo_code"], row["plover_type"], start,
                 (row["date_end"] or start) if start else None, row["place_country"],
                 row["article_key"], now]
        self._article.append(story)
        self.new.append(story)
        return sid

    def end_article(self) -> None:
        """The current article is assigned: its stories become candidates like stored ones
        (ordered by creation time, then id) for the articles after it."""
        for story in self._article:
            if story[6] is not None:
                stories = self._known.setdefault((story[3], story[1], story[2]), [])
                stories.append(story)
                stories.sort(key=_age)
        self._article = []


def _age(story: list[Any]) -> tuple:
    return story[10], story[0]  # created_at, story_id: the order of the stored stories


def _matches(story: list[Any], row: Mapping[str, Any], lo, hi) -> bool:
    _, source, target, root, _, _, start, end, country, _, _ = story
    dyads = {(row["source_code"], row["target_code"])}
    if root in SYMMETRIC_ROOTS:
        dyads.add((row["target_code"], row["source_code"]))
    return (start is not None and root == row["cameo_root"] and (source, target) in dyads
            and start <= hi and end >= lo and _same_place(country, row["place_country"]))


def _same_place(a: Optional[str], b: Optional[str]) -> bool:
    return a is None or b is None or a == b
