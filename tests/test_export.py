"""Exports of a store (both backends): GDELT 2.0 TSV, PLOVER JSON, Parquet, CSV, JSONL."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

import eventwire.store as ews
from eventwire.export import GDELT_COLUMNS, export
from eventwire.records import Article
from eventwire.store.query import FLAT_COLUMNS
from test_store import S1, TEHRAN, hand_built, make_event  # helpers, not fixtures

SAID = ("Iran's Foreign Ministry spokesman said on Tuesday that the visit showed the depth of "
        "ties between the two countries.")
HOSTED = ("Iranian Chief of Staff Mohammad Baqeri hosted Syria's defence minister in Tehran on "
          "Monday.")


@pytest.fixture
def exported(store_url):
    """The hand-built store, plus a near-duplicate copy of the Syria-Iran article from another
    publisher and a second report of the meeting; yields the open store."""
    (a1, e1), (a2, e2) = hand_built()
    copy = replace(a1, id="syria-iran-copy", text=a1.text.replace("TEHRAN, Jan 24 -",
                                                                   "TEHRAN, Jan 24 (AFP) -"),
                   publisher="Wire D", url="https://d.example/1")
    other = Article(id="second-report", text=f"{HOSTED} {SAID}", publisher="Wire C",
                    published=date(2023, 1, 24), url="https://c.example/3")
    e3 = [make_event(other, HOSTED, 0, ("Mohammad Baqeri", "IRNMIL", "Mohammad Baqeri"),
                     ("Syria's defence minister", "SYRGOV"), "043",
                     ("on Monday", "2023-01-23", "2023-01-23", "day"), where=TEHRAN),
          make_event(other, SAID, 1, ("Iran's Foreign Ministry spokesman", "IRNGOV"), None,
                     "010", ("on Tuesday", "2023-01-24", "2023-01-24", "day"))]
    with ews.open(store_url) as store:
        store.ingest([a1], coder=_Fixed({a1.id: e1}))
        store.ingest([copy, a2, other], coder=_Fixed({a2.id: e2, other.id: e3}))
        yield store


class _Fixed:
    """A coder that returns the hand-built events of each article."""

    def __init__(self, events):
        self.events = events

    def code(self, article):
        return self.events[article.id]


def gdelt_rows(store, **filters) -> list[dict]:
    buf = io.StringIO()
    export(store, buf, format="gdelt", **filters)
    lines = buf.getvalue().splitlines()
    assert all(line.count("\t") == 60 for line in lines)
    return [dict(zip(GDELT_COLUMNS, line.split("\t"))) for line in lines]


@pytest.mark.parametrize("codebook", ["ontology/gdelt/gdelt2_event_columns.csv"])
def test_export_gdelt_columns_follow_the_codebook(shared_data, codebook):
    with (shared_data / codebook).open(encoding="utf-8") as fh:
        names = [row["name"] for row in csv.DictReader(fh)]
    assert list(GDELT_COLUMNS) == names and len(names) == 61


@pytest.mark.parametrize("code,actor1,expected", [
    # Background event: SQLDATE is the event's own date (2018), not the article's (2023).
    ("190", "SYRMIL", {"SQLDATE": "20180101", "MonthYear": "201801", "Year": "2018",
             "Actor1Code": "SYRMIL", "Actor1CountryCode": "SYR", "Actor1Type1Code": "MIL",
             "Actor2Code": "RUSMIL", "EventCode": "190", "EventBaseCode": "190",
             "EventRootCode": "19", "QuadClass": "4", "GoldsteinScale": "-10.0",
             "IsRootEvent": "0", "NumMentions": "1", "NumArticles": "2", "NumSources": "2",
             "AvgTone": "", "ActionGeo_Type": "", "SOURCEURL": "https://a.example/1"}),
    # The meeting: two reports (040 and 043) plus the near-duplicate copy -> 3 articles.
    ("040", "SYRGOV", {"SQLDATE": "20230123", "Actor1Code": "SYRGOV", "Actor1Name": "ALI MAHMOUD ABBAS",
             "Actor2Code": "IRNMIL", "EventBaseCode": "040", "EventRootCode": "04",
             "QuadClass": "1", "IsRootEvent": "1", "NumMentions": "2", "NumArticles": "3",
             "NumSources": "3", "ActionGeo_Type": "4", "ActionGeo_FullName": "Tehran, Iran",
             "ActionGeo_CountryCode": "IR", "ActionGeo_Lat": "35.69",
             "ActionGeo_FeatureID": "112931", "Actor1Geo_Type": ""}),
])
def test_export_gdelt_story_rows(exported, code, actor1, expected):
    rows = gdelt_rows(exported)
    assert len(rows) == exported.counts()["stories"] == 5
    (row,) = [r for r in rows if (r["EventCode"], r["Actor1Code"]) == (code, actor1)]
    assert {k: row[k] for k in expected} == expected
    assert row["GLOBALEVENTID"].isdigit() and len(row["DATEADDED"]) == 14


@pytest.mark.parametrize("filters,n", [({"country": "UKR"}, 2), ({"cameo": "04"}, 1)])
def test_export_gdelt_filters(exported, filters, n):
    assert len(gdelt_rows(exported, **filters)) == n


@pytest.mark.parametrize("event_id_of", ["190"])
def test_export_plover_records(exported, event_id_of):
    buf = io.StringIO()
    n = export(exported, buf, format="plover")
    recs = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert n == len(recs) == 5  # six events; the 010 statement has no PLOVER type
    assert all({"id", "date", "actor", "event"} <= set(r) for r in recs)
    (downing,) = [r for r in recs if "CAMEO 190" in r["comment"] and r["date"] == "2018-01-01"]
    assert downing["event"] == ["ASSAULT"] and downing["quad_code"] == 4
    assert downing["actor"] == [{"code": "SYR", "sector": "MIL",
                                 "entity_text": "Syrian air defences"}]
    assert downing["recipient"][0]["code"] == "RUS"
    assert downing["context"] == ["historical"] and downing["enddate"] == "2018-12-31"
    assert downing["cite_info"]["publication"] == "Wire A"
    (meeting,) = [r for r in recs if r["event_text"] == [S1]]
    assert meeting["event_loc"]["country_code"] == "IRN" and meeting["event"] == ["CONSULT"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_flat_formats(exported, tmp_path, fmt):
    path = tmp_path / f"events.{fmt}"
    n = export(exported, str(path), format=fmt)
    assert n == 6
    if fmt == "jsonl":
        recs = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
        assert recs == exported.events()
    elif fmt == "csv":
        frame = pd.read_csv(path, dtype=str)
        assert list(frame.columns) == list(FLAT_COLUMNS)
        assert sorted(frame["cameo_code"]) == ["010", "040", "043", "174", "190", "190"]
    else:
        frame = pd.read_parquet(path)
        assert list(frame.columns) == list(FLAT_COLUMNS) and len(frame) == 6
        assert frame.loc[frame["cameo_code"] == "174", "date_start"].iloc[0] == \
            date(2022, 2, 24)


@pytest.mark.parametrize("fmt", ["gdelt", "plover", "csv"])
def test_export_cli(tmp_path, capsys, fmt):
    from eventwire.cli_store import main
    db, out = str(tmp_path / "e.duckdb"), tmp_path / f"out.{fmt}"
    with ews.open(db) as store:
        for article, events in hand_built():
            store.add_article(article, events)
    assert main(["export", "--db", db, "--format", fmt, "--output", str(out)]) == 0
    assert len(out.read_text("utf-8").splitlines()) == {"gdelt": 4, "plover": 4, "csv": 5}[fmt]
    assert main(["export", "--db", str(tmp_path / "missing.duckdb"), "--format", fmt]) == 3
    assert "E-STORE-NOTFOUND" in capsys.readouterr().err
