"""The event store, on both backends (``store_url``: a DuckDB file, then a PostgreSQL database
on a throwaway cluster, tests/pg_cluster.py).

Filter and story tests store hand-built event records (exact, independent of the coder);
ingest tests run the real coder on the bundled examples and short wire stories.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import eventwire.store as ews
from eventwire.records import Actor, Article, Attribution, Event, Evidence, Place, When
from eventwire.store import StoreError
from eventwire.store.backends import connect
from eventwire.store.core import migrate, schema_version
from eventwire.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"

# A wire story written for these tests about a real, well-documented event (Geneva, 2013).
WIRE = (
    "GENEVA, Nov 24 (eventwire) - Iran and six world powers reached an interim agreement early "
    "on Sunday to curb Tehran's nuclear programme in exchange for limited relief from "
    "sanctions, after four days of talks in Geneva.\n\n"
    "Under the deal, Iran will halt enrichment of uranium above five percent and dilute its "
    "stockpile of higher-grade material, diplomats said. Western officials said the six-month "
    "accord would give negotiators time to work out a comprehensive settlement.\n\n"
    "U.S. Secretary of State John Kerry said the agreement would make Israel and other allies "
    "in the region safer. Israeli Prime Minister Benjamin Netanyahu called the deal a "
    "historic mistake.\n\n"
    "Iranian President Hassan Rouhani said the accord recognised his country's nuclear rights, "
    "a claim Washington rejected."
)
# Small edits a syndicating outlet makes: agency tag, a word, a trimmed or added line.
EDITS = [
    ("(eventwire)", "(AFP)"), ("early on Sunday", "on Sunday"), ("four days", "four days"
     " of tough"), ("diplomats said", "diplomats told reporters"), ("six-month", "six month"),
    ("safer", "more secure"), ("historic mistake", "\"historic mistake\""),
    ("Western officials", "European officials"), ("his country's", "Iran's"),
    ("a claim Washington rejected.", "a claim Washington rejected.\n\n(Editing by staff)"),
]


def syndicated_copies(n: int) -> list[Article]:
    copies = []
    for k in range(n):
        text = WIRE
        # copy 0 is the original; 1-10 make one edit each, 11-19 two edits each
        picks = {} if k == 0 else {(k - 1) % len(EDITS)} | ({(k + 3) % len(EDITS)} if k > 10
                                                            else set())
        for a, b in (EDITS[i] for i in sorted(picks)):
            assert a in text
            text = text.replace(a, b)
        copies.append(Article(id=f"copy-{k:02d}", text=text, publisher=f"Outlet {k:02d}",
                              url=f"https://outlet{k:02d}.example/geneva", title="Iran deal",
                              published=date(2013, 11, 24)))
    return copies


def make_event(article: Article, sentence: str, index: int, source: tuple, target, code: str,
               when: tuple, *, where=None, claimants=(), background=False,
               modality="asserted") -> Event:
    """An event record as the coder would make it (values chosen by the test)."""
    from eventwire import ontology
    start = article.text.index(sentence)
    actor = (lambda t: Actor(text=t[0], code=t[1], country=t[1][:3] if len(t[1]) >= 3 else None,
                             role=t[1][3:] or None, name=t[2] if len(t) > 2 else None))
    return Event(article=article, sentence=sentence, span=(start, start + len(sentence)),
                 source=actor(source), target=actor(target) if target else None,
                 cameo=ontology.cameo(code), plover=ontology.plover(code),
                 when=When(when[0], date.fromisoformat(when[1]), date.fromisoformat(when[2]),
                           when[3]),
                 background=background, where=where,
                 attribution=Attribution("said" if claimants else None, tuple(claimants)),
                 modality=modality, confidence=0.8,
                 evidence=Evidence("rules", "test", "0.1.0"), sentence_index=index)


TEHRAN = Place("in Tehran", "Tehran", "IRN", 35.69, 51.42, "city", 112931)
KYIV = Place("in Kyiv", "Kyiv", "UKR", 50.45, 30.52, "city", 703448)

S1 = "Syria's Defence Minister Ali Mahmoud Abbas met Iran's army chief in Tehran on Monday."
S2 = ("In 2018, Syrian air defences downed a Russian military aircraft, killing 15 "
      "servicemen, according to the Russian defence ministry.")
S3 = "Russian missiles struck targets across Ukraine on Thursday, Ukrainian officials said."
S4 = "Ukraine's President Volodymyr Zelensky declared martial law on Thursday."


def hand_built() -> list[tuple[Article, list[Event]]]:
    a1 = Article(id="syria-iran", text=f"TEHRAN, Jan 24 - {S1}\n\n{S2}", publisher="Wire A",
                 published=date(2023, 1, 24), url="https://a.example/1")
    a2 = Article(id="ukraine", text=f"KYIV, Feb 24 - {S3}\n\n{S4}", publisher="Wire B",
                 published=date(2022, 2, 24), url="https://b.example/2")
    e1 = [make_event(a1, S1, 0, ("Syria's Defence Minister", "SYRGOV", "Ali Mahmoud Abbas"),
                     ("Iran's army chief", "IRNMIL"), "040",
                     ("on Monday", "2023-01-23", "2023-01-23", "day"), where=TEHRAN),
          make_event(a1, S2, 1, ("Syrian air defences", "SYRMIL"),
                     ("a Russian military aircraft", "RUSMIL"), "190",
                     ("In 2018", "2018-01-01", "2018-12-31", "year"), background=True,
                     claimants=["the Russian defence ministry"])]
    e2 = [make_event(a2, S3, 0, ("Russian missiles", "RUSMIL"), ("Ukraine", "UKR"), "190",
                     ("on Thursday", "2022-02-24", "2022-02-24", "day"), where=KYIV,
                     claimants=["Ukrainian officials"]),
          make_event(a2, S4, 1, ("Volodymyr Zelensky", "UKRGOV", "Volodymyr Zelensky"), None,
                     "174", ("on Thursday", "2022-02-24", "2022-02-24", "day"), where=KYIV)]
    return [(a1, e1), (a2, e2)]


@pytest.fixture
def filled(store_url):
    with ews.open(store_url) as store:
        for article, events in hand_built():
            assert store.add_article(article, events) == "stored"
        yield store


def ids(records) -> list[tuple[str, str]]:
    return sorted((r["article"]["id"], r["cameo"]["code"]) for r in records)


# -- schema -----------------------------------------------------------------------------------

@pytest.mark.parametrize("target", [1])
def test_store_migrates_old_schema(store_url, target):
    db = connect(store_url)
    assert migrate(db, target) == [1]
    assert schema_version(db) == 1
    db.close()
    with pytest.raises(StoreError, match="E-STORE-SCHEMA"):
        ews.open(store_url, read_only=True)
    with ews.open(store_url) as store:
        assert store.schema_version() == SCHEMA_VERSION == 3
        assert store.sql("SELECT COUNT(*) AS n FROM story_counts") == [{"n": 0}]
        assert [r["version"] for r in store.sql(
            "SELECT version FROM schema_version ORDER BY version")] == [1, 2, 3]


# -- filters ----------------------------------------------------------------------------------

@pytest.mark.parametrize("filters,expected", [
    ({}, [("syria-iran", "040"), ("syria-iran", "190"), ("ukraine", "174"), ("ukraine", "190")]),
    # The event's own date: the 2018 downing is found in an article published in 2023.
    ({"date_from": "2018-06-01", "date_to": "2018-06-30"}, [("syria-iran", "190")]),
    ({"date_from": date(2023, 1, 1)}, [("syria-iran", "040")]),
    ({"actor": "SYR"}, [("syria-iran", "040"), ("syria-iran", "190")]),
    ({"actor": "zelensky"}, [("ukraine", "174")]),
    ({"target": "IRN"}, [("syria-iran", "040")]),
    ({"country": "ukr"}, [("ukraine", "174"), ("ukraine", "190")]),
    ({"cameo": "19"}, [("syria-iran", "190"), ("ukraine", "190")]),
    ({"plover": "CONSULT"}, [("syria-iran", "040")]),
    ({"bbox": (44.0, 25.0, 63.0, 40.0)}, [("syria-iran", "040")]),
    ({"background": True}, [("syria-iran", "190")]),
    ({"background": False, "cameo": "19"}, [("ukraine", "190")]),
    ({"claimant": "defence ministry"}, [("syria-iran", "190")]),
    ({"text": "MARTIAL LAW"}, [("ukraine", "174")]),
])
def test_store_filters(filled, filters, expected):
    assert ids(filled.events(**filters)) == expected


@pytest.mark.parametrize("bad", [{"bbox": (10, 10, 0, 0)}, {"date_from": "24/02/2022"},
                                 {"colour": "red"}])
def test_store_filters_refuse_bad_values(filled, bad):
    with pytest.raises(StoreError, match="E-STORE-FILTER"):
        filled.events(**bad)


@pytest.mark.parametrize("article", ["syria-iran"])
def test_store_events_are_the_design_record(filled, article):
    (_, events), = [p for p in hand_built() if p[0].id == article]
    got = filled.events(article=article)
    assert got == [e.to_dict() for e in sorted(events, key=lambda e: e.when.start)]


@pytest.mark.parametrize("columns", [("event_id", "story_id", "date_start", "cameo_code",
                                      "claimants", "lat")])
def test_store_events_as_dataframe(filled, columns):
    frame = filled.events(as_frame=True, country="UKR")
    assert set(columns) <= set(frame.columns)
    assert len(frame) == 2
    assert sorted(frame["cameo_code"]) == ["174", "190"]
    assert frame["claimants"].tolist().count("Ukrainian officials") == 1


# -- raw SQL ----------------------------------------------------------------------------------

@pytest.mark.parametrize("sql", [
    "DROP TABLE events",
    "DELETE FROM events",
    "INSERT INTO stories (story_id, cameo_root, cameo_code, first_article_key, created_at) "
    "VALUES ('x', '01', '010', 'k', CURRENT_TIMESTAMP)",
    "UPDATE articles SET title = 'changed'",
    "SELECT 1; DROP TABLE events",
    "COMMIT; DROP TABLE events",
    "CREATE TABLE extra (x INTEGER)",
])
def test_store_raw_sql_refuses_writes(filled, sql):
    before = filled.counts()
    with pytest.raises(StoreError, match="E-STORE-READONLY"):
        filled.sql(sql)
    assert filled.counts() == before
    assert filled.sql("SELECT COUNT(*) AS n FROM articles WHERE title = 'changed'") == [{"n": 0}]
    assert filled.sql("SELECT COUNT(*) AS n FROM information_schema.tables "
                      "WHERE table_name = 'extra'") == [{"n": 0}]


@pytest.mark.parametrize("sql,expected", [
    ("SELECT cameo_root, COUNT(*) AS n FROM events GROUP BY cameo_root ORDER BY cameo_root",
     [{"cameo_root": "04", "n": 1}, {"cameo_root": "17", "n": 1}, {"cameo_root": "19", "n": 2}]),
])
def test_store_raw_sql_selects(filled, sql, expected):
    assert filled.sql(sql) == expected


# -- stories ----------------------------------------------------------------------------------

SAME = ("Iranian Chief of Staff Mohammad Baqeri received Syria's defence minister in Tehran on "
        "Monday for talks on military cooperation.")


@pytest.mark.parametrize("when,same_story", [
    (("on Monday", "2023-01-23", "2023-01-23", "day"), True),
    (("on Tuesday", "2023-01-24", "2023-01-24", "day"), True),  # a day apart: same happening
    (("in March", "2023-03-01", "2023-03-31", "month"), False),  # a later meeting
])
def test_store_stories_cluster_reports_of_one_happening(filled, when, same_story):
    other = Article(id="other-report", text=SAME, publisher="Wire C",
                    published=date(2023, 1, 24))
    ev = make_event(other, SAME, 0, ("Syria's defence minister", "SYRGOV"),
                    ("Mohammad Baqeri", "IRNMIL", "Mohammad Baqeri"), "043", when,
                    where=TEHRAN)
    filled.add_article(other, [ev])
    meetings = [s for s in filled.stories() if s["cameo_code"] in ("040", "043")]
    if same_story:
        assert len(meetings) == 1
        assert (meetings[0]["num_articles"], meetings[0]["num_sources"],
                meetings[0]["num_mentions"]) == (2, 2, 2)
        assert meetings[0]["publishers"] == ["Wire A", "Wire C"]
    else:
        assert sorted(s["num_articles"] for s in meetings) == [1, 1]


# -- ingest (real coder) ----------------------------------------------------------------------

@pytest.mark.parametrize("path", [EXAMPLES])
def test_store_ingest_twice_same_counts(store_url, path):
    from eventwire.ingest import iter_inputs
    with ews.open(store_url) as store:
        first = store.ingest(iter_inputs([path]))
        counts = store.counts()
        second = store.ingest(iter_inputs([path]))
        assert store.counts() == counts
    assert (first.read, first.stored, first.exists) == (7, 7, 0)
    assert (second.read, second.stored, second.exists, second.events) == (7, 0, 7, 0)
    assert counts["articles"] == 7 and counts["events"] == first.events > 30


@pytest.mark.parametrize("n", [20])
def test_store_syndicated_copies_counted_once(store_url, n):
    copies = syndicated_copies(n)
    assert len({c.content_hash for c in copies}) == n  # all different texts
    with ews.open(store_url) as store:
        report = store.ingest(copies)
        counts = store.counts()
        links = store.sql("SELECT id, duplicate_of, similarity FROM articles ORDER BY id")
        original = [r for r in links if r["duplicate_of"] is None]
        n_events = len(store.events())
        stories = store.stories()
    assert (report.stored, report.duplicates) == (1, n - 1)
    assert (counts["originals"], counts["duplicates"]) == (1, n - 1)
    assert [r["id"] for r in original] == ["copy-00"]
    key = copies[0].content_hash
    assert all(r["duplicate_of"] == key and r["similarity"] >= 0.7 for r in links[1:])
    # Events are those of the original alone, and every story lists all 20 reports.
    from eventwire.pipeline import default_coder
    alone = {e.event_id for e in default_coder().code(copies[0])}
    assert n_events == report.events == len(alone) > 0
    assert {(s["num_articles"], s["num_sources"]) for s in stories} == {(n, n)}


OTHER_REPORT = (
    "WASHINGTON, Nov 24 - President Barack Obama welcomed the first-step deal with Tehran in a "
    "late-night statement at the White House, saying it cut off Iran's most likely paths to a "
    "bomb. Republican senators said they would press ahead with new sanctions legislation.")


@pytest.mark.parametrize("text", [OTHER_REPORT])
def test_store_different_reports_are_not_duplicates(store_url, text):
    with ews.open(store_url) as store:
        report = store.ingest([syndicated_copies(1)[0],
                               Article(id="other", text=text, published=date(2013, 11, 24))])
        assert (report.stored, report.duplicates) == (2, 0)


def test_store_signature_is_datasketchs_minhash_and_best_match_the_first_highest():
    """Signatures are stored: they must stay what datasketch's MinHash(128, seed 1) gives for
    the shingles, whatever order they are added in; best_match compares all candidates at
    once but answers as a scan would (highest over the threshold, the first on a tie)."""
    import numpy as np
    from datasketch import MinHash

    from eventwire.store import dedup

    for text in (OTHER_REPORT, syndicated_copies(1)[0].text, "one two"):
        plain = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED)
        plain.update_batch(sorted(dedup.shingles(text)))
        assert np.array_equal(dedup.signature(text).values, plain.hashvalues)
    a = dedup.signature(OTHER_REPORT)
    b = dedup.signature(OTHER_REPORT + " Officials declined to comment.")
    far = dedup.signature(syndicated_copies(1)[0].text)
    near = dedup.similarity(a, b)
    assert dedup.THRESHOLD <= near < 1.0
    assert dedup.best_match(a, []) is None
    assert dedup.best_match(a, [("far", far)]) is None
    assert dedup.best_match(a, [("far", far), ("b", b), ("a1", a), ("a2", a)]) == ("a1", 1.0)
    assert dedup.best_match(a, [("b1", b), ("far", far), ("b2", b)]) == ("b1", near)
    assert dedup.best_match(a, [("b", b)], threshold=near + 0.01) is None


KILL_SCRIPT = """
import json, sys
from eventwire.cli_store import main
sys.exit(main(["ingest", sys.argv[1], "--db", sys.argv[2], "--batch-size", "3", "-v",
               "--progress", "off"]))
"""


@pytest.mark.parametrize("n_articles,kill_after", [(24, 5)])
def test_store_ingest_killed_midway_resumes(store_url, shared_data, tmp_path, n_articles,
                                            kill_after):
    src = [json.loads(line) for line in
           (shared_data / "news-dev" / "articles.jsonl").read_text("utf-8").splitlines()]
    inputs = tmp_path / "articles.jsonl"
    with inputs.open("w", encoding="utf-8") as fh:
        for rec in src[:n_articles]:  # short leads keep the test fast
            fh.write(json.dumps({**rec, "text": rec["text"][:700]}) + "\n")
    cmd = [sys.executable, "-c", KILL_SCRIPT, str(inputs), store_url]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    done = 0
    deadline = time.monotonic() + 120
    while done < kill_after and time.monotonic() < deadline:
        line = proc.stderr.readline()
        assert line, f"ingest ended before it could be killed (rc={proc.wait()})"
        done += line.startswith("eventwire: stored ")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with ews.open(store_url) as store:
        partial = store.counts()["articles"]
    assert kill_after <= partial < n_articles
    assert partial % 3 == 0  # whole batches of 3 only (all 24 texts differ: each is a row)
    rerun = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"{partial} already stored" in rerun.stderr
    with ews.open(store_url) as store:
        rows = store.sql("SELECT id, COUNT(*) AS n FROM articles GROUP BY id")
        dup_events = store.sql("SELECT COUNT(*) AS n FROM (SELECT article_key, event_id "
                               "FROM events GROUP BY 1, 2 HAVING COUNT(*) > 1) x")
        per_article = store.sql("SELECT COUNT(*) AS n FROM articles a WHERE n_events <> "
                                "(SELECT COUNT(*) FROM events e "
                                "WHERE e.article_key = a.article_key)")
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in src[:n_articles])
    assert {r["n"] for r in rows} == {1}
    assert dup_events == [{"n": 0}] and per_article == [{"n": 0}]


# -- public API, CLI, docs ----------------------------------------------------------------------

@pytest.mark.parametrize("command", ["ingest", "query", "export", "watch"])
def test_store_commands_have_examples(command, capsys):
    from eventwire.cli_store import main
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = capsys.readouterr().out
    assert "Example" in text and f"eventwire {command} " in text


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_store_cli_ingest_then_query(tmp_path, capsys, fmt):
    from eventwire.cli_store import main
    db = str(tmp_path / "ex.duckdb")
    assert main(["ingest", str(EXAMPLES / "ex01-2023-syria-iran.txt"), "--db", db,
                 "--progress", "off"]) == 0
    capsys.readouterr()
    assert main(["query", "--db", db, "--actor", "SYRGOV", "--cameo", "04",
                 "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "jsonl":
        recs = [json.loads(line) for line in out.splitlines()]
        assert recs and all(r["cameo"]["code"].startswith("04") for r in recs)
        assert all("SYRGOV" in (r["source"]["code"], (r["target"] or {}).get("code"))
                   for r in recs)
    else:
        assert "SYRGOV" in out and "040" in out
    assert main(["query", "--db", db, "--sql", "DELETE FROM events"]) == 3
    assert "E-STORE-READONLY" in capsys.readouterr().err


@pytest.mark.parametrize("doc", ["docs/store.md"])
def test_store_docs_name_every_column(tmp_path, doc):
    text = (ROOT / doc).read_text("utf-8")
    with ews.open(str(tmp_path / "s.duckdb")) as store:
        cols = store.sql("SELECT table_name, column_name FROM information_schema.columns "
                         "WHERE table_schema = current_schema()")
    missing = sorted(f"{c['table_name']}.{c['column_name']}" for c in cols
                     if f"`{c['column_name']}`" not in text)
    assert not missing, f"{doc} does not document {missing}"



@pytest.mark.parametrize("value", ["_", "%", "\\"])
def test_store_text_filters_match_literally(filled, value):
    # why: LIKE wildcards in a user's filter must not widen it ("target=_" matched everything)
    assert filled.events(limit=5)
    assert filled.events(target=value) == []
    assert filled.events(actor=value) == []
    assert filled.events(text=value) == []
    assert filled.events(claimant=value) == []
