"""Event filters -> one SQL WHERE clause (``?`` placeholders), the same on both backends."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Optional, Sequence

from .backends import StoreError

__all__ = ["EventFilter", "where", "FLAT_COLUMNS"]

# The flat event columns returned as a table / CSV / Parquet / DataFrame (record JSON and the
# rule text stay out; JSONL gives the full record).
FLAT_COLUMNS = (
    "event_id", "story_id", "article_id", "published", "date_start", "date_end",
    "date_precision", "background", "source_code", "source_name", "source_text",
    "cameo_code", "cameo_label", "quad_class", "goldstein", "plover_type", "plover_mode",
    "target_code", "target_name", "target_text", "place_name", "place_country", "lat", "lon",
    "claimants", "modality", "confidence", "sentence",
)


@dataclass(frozen=True)
class EventFilter:
    """What to select. Every field is optional; given fields are ANDed.

    - ``date_from``/``date_to``: the event's own date interval overlaps [from, to] (not the
      article's publication date); events with no date are left out when either is given.
    - ``actor``: source or target whose code starts with it (``"SYR"``, ``"SYRGOV"``) or whose
      name or text contains it (case-insensitive); ``source``/``target``: the same, one side.
    - ``country``: ISO3 of the event's place. ``cameo``: code prefix (``"04"``, ``"043"``).
    - ``plover``: PLOVER type. ``bbox``: (min_lon, min_lat, max_lon, max_lat) of the place.
    - ``background``: True/False. ``claimant``: text in a claimant. ``text``: in the sentence.
    """

    date_from: Optional[date] = None
    date_to: Optional[date] = None
    actor: Optional[str] = None
    source: Optional[str] = None
    target: Optional[str] = None
    country: Optional[str] = None
    cameo: Optional[str] = None
    plover: Optional[str] = None
    bbox: Optional[Sequence[float]] = None
    background: Optional[bool] = None
    claimant: Optional[str] = None
    text: Optional[str] = None
    modality: Optional[str] = None
    story: Optional[str] = None
    article: Optional[str] = None

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def _literal(value: str) -> str:
    """A user's text as a LIKE pattern that matches it literally: '%', '_' and '\\' are
    escaped (used with ESCAPE '\\'), so "target=_" does not match every event."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _side(prefix: str, value: str) -> tuple[str, list[Any]]:
    v = _literal(value)
    sql = (f"(UPPER({prefix}_code) LIKE ? ESCAPE '\\' OR {prefix}_name ILIKE ? ESCAPE '\\' "
           f"OR {prefix}_text ILIKE ? ESCAPE '\\')")
    return sql, [v.upper() + "%", f"%{v}%", f"%{v}%"]


def where(f: EventFilter) -> tuple[str, list[Any]]:
    """``(sql, params)`` for ``WHERE`` (``"TRUE"`` when nothing is filtered)."""
    parts: list[str] = []
    params: list[Any] = []

    def add(sql: str, *values: Any) -> None:
        parts.append(sql)
        params.extend(values)

    if f.date_from is not None:
        add("COALESCE(date_end, date_start) >= ?", _as_date(f.date_from, "date_from"))
    if f.date_to is not None:
        add("date_start <= ?", _as_date(f.date_to, "date_to"))
    if f.actor:
        s_sql, s_params = _side("source", f.actor)
        t_sql, t_params = _side("target", f.actor)
        add(f"({s_sql} OR {t_sql})", *s_params, *t_params)
    for side in ("source", "target"):
        value = getattr(f, side)
        if value:
            s_sql, s_params = _side(side, value)
            add(s_sql, *s_params)
    if f.country:
        add("place_country = ?", f.country.upper())
    if f.cameo:
        add("cameo_code LIKE ? ESCAPE '\\'", _literal(f.cameo) + "%")
    if f.plover:
        add("plover_type = ?", f.plover.upper())
    if f.bbox is not None:
        add("lon >= ? AND lat >= ? AND lon <= ? AND lat <= ?", *_bbox(f.bbox))
    if f.background is not None:
        add("background = ?", bool(f.background))
    if f.claimant:
        add("claimants ILIKE ? ESCAPE '\\'", f"%{_literal(f.claimant)}%")
    if f.text:
        add("sentence ILIKE ? ESCAPE '\\'", f"%{_literal(f.text)}%")
    if f.modality:
        add("modality = ?", f.modality)
    if f.story:
        add("story_id = ?", f.story)
    if f.article:
        add("(article_id = ? OR article_key = ?)", f.article, f.article)
    return (" AND ".join(parts) if parts else "TRUE"), params


def _as_date(value: Any, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise StoreError(f"E-STORE-FILTER {name} {value!r} is not a YYYY-MM-DD date") from None


def _bbox(value: Sequence[float]) -> list[float]:
    try:
        box = [float(v) for v in value]
    except (TypeError, ValueError):
        box = []
    if len(box) != 4 or box[0] > box[2] or box[1] > box[3]:
        raise StoreError(f"E-STORE-FILTER bbox {value!r} must be min_lon,min_lat,max_lon,"
                         f"max_lat with min <= max")
    return box
