"""The API's reads: keyset pages of events, one event with its article, and aggregates.

They run the store's own filter SQL (:func:`eventwire.store.query.where`, ``?`` placeholders
bound by the backend, so filter values never become SQL text) on the store's connection, and
work unchanged on DuckDB and PostgreSQL. The store's public ``events()`` has no cursor, and
its ``sql()`` takes no parameters, hence these few queries here.
"""
from __future__ import annotations

import base64
import binascii
import json
from datetime import date
from typing import Any, Optional

from ..store import EventFilter
from ..store.query import where

__all__ = ["CursorError", "page_events", "event_detail", "stats", "actor_graph",
           "encode_cursor", "decode_cursor", "date_reasoning"]

# Undated events sort last (as in Store.events); the article key breaks ties between two
# stored articles that share an input id.
_ORDER = ("COALESCE(date_start, DATE '9999-12-31')", "article_id", "sentence_index",
          "event_id", "article_key")
_CONTEXT_CHARS = 400


class CursorError(ValueError):
    """A ``cursor`` that this API did not hand out."""


def encode_cursor(key: tuple) -> str:
    day, article_id, index, event_id, article_key = key
    raw = json.dumps([day.isoformat(), article_id, index, event_id, article_key])
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple:
    """The sort key a cursor stands for; :class:`CursorError` when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        day, article_id, index, event_id, article_key = json.loads(raw.decode("utf-8"))
        if not (isinstance(article_id, str) and isinstance(event_id, str)
                and isinstance(article_key, str) and type(index) is int):
            raise TypeError("wrong field types")
        return date.fromisoformat(day), article_id, index, event_id, article_key
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise CursorError(f"E-API-CURSOR {cursor[:60]!r} is not a cursor from this API "
                          f"({type(exc).__name__}); start again without one") from None


def page_events(store, f: EventFilter, *, limit: int,
                cursor: Optional[str] = None) -> tuple[list[dict], Optional[str]]:
    """One page of event records after ``cursor`` and the cursor of the next page (None on
    the last). Keyset pagination: pages stay consistent while new articles are stored."""
    sql, params = where(f)
    if cursor:
        sql += f" AND ({', '.join(_ORDER)}) > (?, ?, ?, ?, ?)"
        params = params + list(decode_cursor(cursor))
    query = (f"SELECT record, {', '.join(_ORDER)} FROM events WHERE {sql} "
             f"ORDER BY {', '.join(_ORDER)} LIMIT {int(limit) + 1}")
    _, rows = store.db.query(query, params)
    more = len(rows) > limit
    rows = rows[:limit]
    records = [json.loads(r[0]) for r in rows]
    return records, (encode_cursor(tuple(rows[-1][1:])) if more and rows else None)


def event_detail(store, event_id: str) -> Optional[dict[str, Any]]:
    """The event ``event_id`` with its article's text, the sentence's context and how its
    date was found; None when there is no such event. (Two stored articles sharing an input
    id can share event ids: the first stored wins.)"""
    _, rows = store.db.query(
        "SELECT e.record, e.story_id, e.span_start, e.span_end, e.paragraph, a.article_key,"
        " a.id, a.title, a.url, a.publisher, a.published, a.published_from, a.text"
        " FROM events e JOIN articles a ON a.article_key = e.article_key"
        " WHERE e.event_id = ? ORDER BY a.stored_at, a.article_key LIMIT 1", [event_id])
    if not rows:
        return None
    (record, story_id, start, end, paragraph, key, aid, title, url, publisher, published,
     published_from, text) = rows[0]
    event = json.loads(record)
    return {
        "event": event, "story_id": story_id, "span": [start, end], "paragraph": paragraph,
        "article": {"key": key, "id": aid, "title": title, "url": url, "publisher": publisher,
                    "published": published, "published_from": published_from, "text": text},
        "context": context(text, start, end),
        "date_reasoning": date_reasoning(event, published_from),
    }


def context(text: str, start: int, end: int, *, chars: int = _CONTEXT_CHARS) -> dict:
    """The sentence with up to ``chars`` characters either side, cut at word boundaries."""
    before = text[max(0, start - chars):start]
    after = text[end:end + chars]
    if start > chars and " " in before:
        before = "…" + before[before.index(" ") + 1:]
    if end + chars < len(text) and " " in after:
        after = after[:after.rindex(" ")] + "…"
    return {"before": before, "sentence": text[start:end], "after": after}


def date_reasoning(event: dict, published_from: Optional[str] = None) -> str:
    """How the event's date was found, in words, from the record (the coder keeps its
    reason only in memory; the record has what is needed to say it again)."""
    when, published = event["when"], event["article"].get("published")
    pub = f"published {published}" + (f" ({published_from})" if published_from else "") \
        if published else "no publication date"
    if not when.get("start"):
        return f"no date could be resolved ({pub}); the event is left undated"
    span = when["start"] if when["start"] == when.get("end") else \
        f"{when['start']} to {when.get('end')}"
    if when.get("text"):
        how = f"date expression '{when['text']}' resolved to {span} ({when['precision']})"
    else:
        how = f"no date expression in the sentence: dated {span}, the publication day"
    tense = "background: retold history, well before publication" if event["background"] \
        else "news: close to the publication date"
    return f"{how}; {pub}; {tense}"


def stats(store, f: EventFilter, *, max_places: int = 5000) -> dict[str, Any]:
    """Counts by event day (news and background apart), by PLOVER type, quad class, country,
    and the geocoded places."""
    sql, params = where(f)
    q = store.db.query
    _, (totals,) = q(f"SELECT COUNT(*), SUM(CASE WHEN date_start IS NULL THEN 1 ELSE 0 END),"
                     f" SUM(CASE WHEN background THEN 1 ELSE 0 END),"
                     f" SUM(CASE WHEN lat IS NOT NULL AND lon IS NOT NULL THEN 1 ELSE 0 END)"
                     f" FROM events WHERE {sql}", params)
    _, days = q(f"SELECT date_start, background, plover_type, quad_class, COUNT(*) FROM events"
                f" WHERE {sql} AND date_start IS NOT NULL GROUP BY 1, 2, 3, 4"
                f" ORDER BY 1, 2, 3, 4", params)

    def by(column: str) -> list[dict]:
        _, rows = q(f"SELECT {column}, COUNT(*) AS n FROM events WHERE {sql} GROUP BY 1"
                    f" ORDER BY n DESC, 1", params)
        return [{"key": None if k is None else str(k), "n": n} for k, n in rows]

    _, places = q(f"SELECT place_name, place_country, lat, lon, plover_type, quad_class,"
                  f" COUNT(*) AS n FROM events WHERE {sql} AND lat IS NOT NULL AND lon IS NOT"
                  f" NULL GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY n DESC, 1, 2, 3, 4, 5, 6"
                  f" LIMIT {int(max_places)}", params)
    return {
        "total": totals[0], "undated": totals[1] or 0, "background": totals[2] or 0,
        "geocoded": totals[3] or 0,
        "by_day": [dict(zip(("day", "background", "plover_type", "quad_class", "n"), r))
                   for r in days],
        "by_type": by("plover_type"), "by_quad": by("quad_class"),
        "by_country": by("place_country"),
        "places": [dict(zip(("name", "country", "lat", "lon", "plover_type", "quad_class",
                             "n"), r)) for r in places],
    }


def actor_graph(store, f: EventFilter, *, limit: int) -> dict[str, Any]:
    """The most active actors and the busiest source -> target edges (weight = events;
    cooperation = quad classes 1-2, conflict = 3-4)."""
    sql, params = where(f)
    _, actors = store.db.query(
        f"SELECT code, MAX(country), SUM(s), SUM(t), SUM(s) + SUM(t) AS n FROM ("
        f" SELECT source_code AS code, source_country AS country, 1 AS s, 0 AS t FROM events"
        f" WHERE {sql} AND source_code IS NOT NULL UNION ALL"
        f" SELECT target_code, target_country, 0, 1 FROM events"
        f" WHERE {sql} AND target_code IS NOT NULL) AS sides"
        f" GROUP BY code ORDER BY n DESC, code LIMIT {int(limit)}", params + params)
    _, edges = store.db.query(
        f"SELECT source_code, target_code, COUNT(*) AS n,"
        f" SUM(CASE WHEN quad_class IN (1, 2) THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN quad_class IN (3, 4) THEN 1 ELSE 0 END), AVG(goldstein)"
        f" FROM events WHERE {sql} AND source_code IS NOT NULL AND target_code IS NOT NULL"
        f" GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT {int(limit)}", params)
    return {
        "actors": [{"code": c, "country": k, "as_source": int(s), "as_target": int(t),
                    "events": int(n)} for c, k, s, t, n in actors],
        "edges": [{"source": s, "target": t, "events": n, "cooperation": int(co),
                   "conflict": int(cf), "goldstein": None if g is None else round(float(g), 2)}
                  for s, t, n, co, cf, g in edges],
    }


def check_filter(f: EventFilter) -> EventFilter:
    """Raise the store's E-STORE-FILTER error for a bad filter before any query runs."""
    where(f)
    return f

