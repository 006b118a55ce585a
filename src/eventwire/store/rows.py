"""Event records -> ``events`` table rows (flat columns for filters, plus the JSON record)."""
from __future__ import annotations

import json
from typing import Any

from ..records import Article, Event

__all__ = ["event_row", "EVENT_COLUMNS"]

EVENT_COLUMNS = (
    "article_key", "event_id", "story_id", "article_id", "published", "date_start", "date_end",
    "date_precision", "date_text", "background",
    "source_code", "source_country", "source_role", "source_name", "source_text",
    "target_code", "target_country", "target_role", "target_name", "target_text",
    "cameo_code", "cameo_root", "cameo_label", "quad_class", "goldstein", "plover_type",
    "plover_mode", "place_text", "place_name", "place_country", "lat", "lon",
    "place_precision", "geonameid", "claimants", "modality", "confidence", "sentence",
    "sentence_index", "paragraph", "span_start", "span_end", "method", "rule",
    "coder_version", "record",
)


def _actor(prefix: str, actor) -> dict[str, Any]:
    keys = ("code", "country", "role", "name", "text")
    return {f"{prefix}_{k}": (getattr(actor, k) if actor is not None else None) for k in keys}


def event_row(article: Article, article_key: str, ev: Event) -> dict[str, Any]:
    """One ``events`` row (without ``story_id``, assigned when stored)."""
    record = ev.to_dict()
    where = ev.where
    row: dict[str, Any] = {
        "article_key": article_key, "event_id": record["event_id"], "story_id": None,
        "article_id": article.id, "published": article.published,
        "date_start": ev.when.start, "date_end": ev.when.end,
        "date_precision": ev.when.precision, "date_text": ev.when.text,
        "background": bool(ev.background),
        **_actor("source", ev.source), **_actor("target", ev.target),
        "cameo_code": ev.cameo.code, "cameo_root": ev.cameo.root, "cameo_label": ev.cameo.label,
        "quad_class": ev.cameo.quad_class, "goldstein": ev.cameo.goldstein,
        "plover_type": ev.plover.type, "plover_mode": ev.plover.mode,
        "place_text": where.text if where else None, "place_name": where.name if where else None,
        "place_country": where.country if where else None,
        "lat": where.lat if where else None, "lon": where.lon if where else None,
        "place_precision": where.precision if where else None,
        "geonameid": where.geonameid if where else None,
        # One claimant per line: ILIKE finds any of them, and names may contain "; ".
        "claimants": "\n".join(ev.attribution.claimants) or None,
        "modality": ev.modality, "confidence": record["confidence"], "sentence": ev.sentence,
        "sentence_index": ev.sentence_index,
        # Paragraph of the event (0 = lead), for GDELT's IsRootEvent.
        "paragraph": article.text.count("\n\n", 0, ev.span[0]),
        "span_start": ev.span[0], "span_end": ev.span[1],
        "method": ev.evidence.method, "rule": ev.evidence.rule,
        "coder_version": ev.evidence.version,
        "record": json.dumps(record, ensure_ascii=False, sort_keys=False),
    }
    return row
