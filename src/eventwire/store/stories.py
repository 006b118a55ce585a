"""Story events: events of different articles that describe the same happening.

Two events belong to one story when they have the same source and target actor codes (either
way round for consultations, root 04: "A visited B" is "B hosted A"), the same CAMEO root (compatible codes: "met" 040 and "hosted" 043 are one consultation), event dates
that overlap (``SLACK_DAYS`` either side, since reports a day apart often date the same
happening differently) and places that do not disagree (same country, or one of them has no
place). An event without a date starts a story of its own: nothing says when it happened.

Assignment is incremental and runs in the article's transaction: each stored event joins the
oldest compatible story or anchors a new one. The story keeps its anchor's key and dates, so a
chain of events each a day later never drifts into one long story.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any, Mapping, Optional

from .backends import Backend

__all__ = ["assign", "story_id", "SLACK_DAYS", "STORY_COLUMNS", "SYMMETRIC_ROOTS"]

SLACK_DAYS = 1
# Consultations are one happening seen from either side: "A visited B" (042) is "B hosted A"
# (043), and "A met B" is "B met A". Other roots keep their direction.
SYMMETRIC_ROOTS = frozenset({"04"})
_CANDIDATES = """SELECT story_id, place_country FROM stories
    WHERE cameo_root = ?
      AND ((source_code IS NOT DISTINCT FROM ? AND target_code IS NOT DISTINCT FROM ?)
           OR (? AND source_code IS NOT DISTINCT FROM ? AND target_code IS NOT DISTINCT FROM ?))
      AND date_start IS NOT NULL AND date_start <= ? AND date_end >= ?
    ORDER BY created_at, story_id"""
STORY_COLUMNS = ("story_id", "source_code", "target_code", "cameo_root", "cameo_code",
                 "plover_type", "date_start", "date_end", "place_country", "first_article_key",
                 "created_at")


def story_id(article_key: str, event_id: str) -> str:
    """Stable id of the story anchored by one stored event."""
    return hashlib.sha1(f"{article_key}|{event_id}".encode("utf-8")).hexdigest()[:16]


def assign(db: Backend, row: Mapping[str, Any], new: list[list[Any]], *, now) -> str:
    """The story of one event row (a dict of ``events`` columns). A story it anchors is
    appended to ``new`` as a ``stories`` row (columns of ``STORY_COLUMNS``), for the caller to
    insert with the article; later events of the same article see it there."""
    start, end = row["date_start"], row["date_end"]
    if start is not None:
        end = end or start
        lo, hi = start - timedelta(days=SLACK_DAYS), end + timedelta(days=SLACK_DAYS)
        src, tgt, root = row["source_code"], row["target_code"], row["cameo_root"]
        params = [root, src, tgt, root in SYMMETRIC_ROOTS, tgt, src, hi, lo]
        for sid, country in db.execute(_CANDIDATES, params):
            if _same_place(country, row["place_country"]):
                return sid
        for story in new:
            if _matches(story, row, lo, hi):
                return story[0]
    sid = story_id(row["article_key"], row["event_id"])
    new.append([sid, row["source_code"], row["target_code"], row["cameo_root"],
                row["cameo_code"], row["plover_type"], start, end if start else None,
                row["place_country"], row["article_key"], now])
    return sid


def _matches(story: list[Any], row: Mapping[str, Any], lo, hi) -> bool:
    _, source, target, root, _, _, start, end, country, _, _ = story
    dyads = {(row["source_code"], row["target_code"])}
    if root in SYMMETRIC_ROOTS:
        dyads.add((row["target_code"], row["source_code"]))
    return (start is not None and root == row["cameo_root"] and (source, target) in dyads
            and start <= hi and end >= lo and _same_place(country, row["place_country"]))


def _same_place(a: Optional[str], b: Optional[str]) -> bool:
    return a is None or b is None or a == b
