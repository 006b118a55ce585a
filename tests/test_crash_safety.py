"""Crash safety: an ``eventwire ingest`` SIGKILLed at a random point (per seed: after a random
number of stored articles plus a random delay, so the kill lands in coding, between
transactions or inside one), then resumed. After the kill and after the resume the store must
pass ``eventwire doctor``, and after the resume it must hold every article exactly once, on
DuckDB and on PostgreSQL (``pg_url``, tests/pg_cluster.py). The second half checks that
``eventwire doctor`` itself catches each kind of damage.

The input mixes real news leads (read in place from the shared news-dev set), a syndicated
near-duplicate of one of them, an exact repeat, and a malformed line.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import eventwire.store as ews
from eventwire.cli import main
from eventwire.doctor import check_store

ROOT = Path(__file__).resolve().parent.parent
CLI = "import sys; from eventwire.cli import main; sys.exit(main(sys.argv[1:]))"
N_ARTICLES = 10


def _inputs(shared_data: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """The ingest input and the ids it must end up storing, each once."""
    lines = (shared_data / "news-dev" / "articles.jsonl").read_text("utf-8").splitlines()
    records = [{**r, "text": r["text"][:600]} for r in map(json.loads, lines[:N_ARTICLES])]
    words = records[0]["text"].split(" ")
    words[len(words) // 2] = "reportedly"  # a syndicating outlet's one-word edit
    copy = {**records[0], "id": "syndicated-copy", "text": " ".join(words)}
    path = tmp_path / "wire.jsonl"
    body = [json.dumps(r) for r in records[:4]] + [json.dumps(copy), '{"id": "broken", "text":']
    body += [json.dumps(r) for r in records[4:]] + [json.dumps({**records[2], "id": "again"})]
    path.write_text("\n".join(body) + "\n", "utf-8")
    return path, [r["id"] for r in records] + ["syndicated-copy"]


def _kill_at_random(cmd: list[str], seed: int, *, may_finish: bool = False) -> int:
    """Run ``cmd`` and SIGKILL it after a seeded number of stored articles plus a seeded delay;
    returns how many it reported stored. ``may_finish``: a resumed run has fewer articles left
    than the seeded kill point may ask for; then it is allowed to end on its own."""
    rng = random.Random(seed)
    after, delay = rng.randrange(0, N_ARTICLES - 3), rng.uniform(0.0, 0.4)
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    stored, deadline = 0, time.monotonic() + 120
    while stored < after and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line and may_finish:
            assert proc.wait() == 0
            return stored
        assert line, f"ingest ended before the kill point (rc={proc.wait()})"
        stored += line.startswith("eventwire: stored ")
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return stored


@pytest.mark.parametrize("backend,seed", [("duckdb", 11), ("duckdb", 23), ("postgres", 37),
                                          ("postgres", 41)])
def test_crash_safety_sigkill_then_resume(request, shared_data, tmp_path, capsys, backend, seed):
    store_url = str(tmp_path / "events.duckdb") if backend == "duckdb" else \
        request.getfixturevalue("pg_url")
    path, ids = _inputs(shared_data, tmp_path)
    cmd = [sys.executable, "-c", CLI, "ingest", str(path), "--db", store_url, "--batch-size",
           "2", "-v", "--progress", "off"]
    reported = _kill_at_random(cmd, seed)
    after_kill = check_store(store_url)
    assert after_kill.ok, after_kill.text()
    assert after_kill.counts.get("articles", 0) >= reported  # what it said it stored, it did
    assert main(["ingest", str(path), "--db", store_url, "--progress", "off"]) == 0
    err = capsys.readouterr().err
    assert "wire.jsonl:6: E-RECORD line is not valid JSON" in err
    resumed = check_store(store_url)
    assert resumed.ok, resumed.text()
    with ews.open(store_url, read_only=True) as store:
        rows = store.sql("SELECT id, COUNT(*) AS n FROM articles GROUP BY id ORDER BY id")
        dup = store.sql("SELECT a.id, o.id AS original FROM articles a JOIN articles o "
                        "ON o.article_key = a.duplicate_of")
    assert [(r["id"], r["n"]) for r in rows] == [(i, 1) for i in sorted(ids)]
    assert [(d["id"], d["original"]) for d in dup] == [("syndicated-copy", ids[0])]


@pytest.mark.parametrize("seed", [5])
def test_crash_safety_kill_twice_then_resume(tmp_path, shared_data, capsys, seed):
    """A resume that is itself killed leaves the store whole too."""
    db = str(tmp_path / "events.duckdb")
    path, ids = _inputs(shared_data, tmp_path)
    cmd = [sys.executable, "-c", CLI, "ingest", str(path), "--db", db, "--batch-size", "1",
           "-v", "--progress", "off"]
    _kill_at_random(cmd, seed)
    _kill_at_random(cmd, seed + 1, may_finish=True)
    assert check_store(db).ok
    assert main(["ingest", str(path), "--db", db, "--progress", "off"]) == 0
    capsys.readouterr()
    report = check_store(db)
    assert report.ok, report.text()
    assert report.counts["articles"] == len(ids)


# -- eventwire doctor: what it catches ------------------------------------------------------------

S1 = ("Japanese Prime Minister Fumio Kishida met Ukrainian President Volodymyr Zelenskiy in "
      "Kyiv on Tuesday.")
S2 = "Russian forces shelled Kherson on Tuesday, Ukrainian officials said."
S3 = "Chinese President Xi Jinping arrived in Moscow on Monday for talks with Vladimir Putin."


def _event(article, sentence: str, index: int, source: str, target: str, code: str):
    from eventwire import ontology
    from eventwire.records import Actor, Attribution, Event, Evidence, When

    start = article.text.index(sentence)
    day = article.published
    return Event(article=article, sentence=sentence, span=(start, start + len(sentence)),
                 source=Actor(source, source, source[:3], source[3:] or None),
                 target=Actor(target, target, target[:3], target[3:] or None),
                 cameo=ontology.cameo(code), plover=ontology.plover(code),
                 when=When("on Tuesday", day, day, "day"), background=False, where=None,
                 attribution=Attribution(), modality="asserted", confidence=0.8,
                 evidence=Evidence("rules", "test", "0.1.0"), sentence_index=index)


def _healthy(url: str) -> None:
    """Two coded articles (three events, stories) and a near-duplicate linked to the first."""
    from datetime import date

    from eventwire.records import Article

    kyiv = Article(id="kyiv", text=f"{S1}\n\n{S2}", published=date(2023, 3, 21))
    moscow = Article(id="moscow", text=S3, published=date(2023, 3, 20))
    copy = Article(id="kyiv-copy", text=f"{S1}\n\n{S2}\n\n(Editing by staff)",
                   published=date(2023, 3, 21))
    with ews.open(url) as store:
        assert store.add_article(kyiv, [_event(kyiv, S1, 0, "JPNGOV", "UKRGOV", "040"),
                                        _event(kyiv, S2, 1, "RUSMIL", "UKR", "190")]) == "stored"
        assert store.add_article(moscow, [_event(moscow, S3, 0, "CHNGOV", "RUSGOV", "042")]) \
            == "stored"
        assert store.add_article(copy, [], duplicate_of=(kyiv.content_hash, 0.9)) == "duplicate"


# damage done to a healthy store -> the finding codes doctor must report (at least these)
DAMAGE = {
    "text edited": ("UPDATE articles SET text = text || ' (corrected)' WHERE id = 'moscow'",
                    {"E-DOCTOR-HASH"}),
    "event lost": ("DELETE FROM events WHERE article_id = 'kyiv' AND sentence_index = 1",
                   {"E-DOCTOR-EVENT-COUNT", "E-DOCTOR-EMPTY-STORY"}),
    "article lost": ("DELETE FROM articles WHERE id = 'moscow'",
                     {"E-DOCTOR-ORPHAN-EVENT", "E-DOCTOR-ORPHAN-BAND"}),
    "original lost": ("DELETE FROM articles WHERE id = 'kyiv'",
                      {"E-DOCTOR-DANGLING-DUPLICATE", "E-DOCTOR-ORPHAN-EVENT"}),
    "duplicate of a duplicate": ("UPDATE articles SET duplicate_of = article_key WHERE "
                                 "id = 'kyiv-copy'", {"E-DOCTOR-DUPLICATE-CHAIN"}),
    "coded duplicate": ("UPDATE articles SET duplicate_of = (SELECT article_key FROM articles "
                        "WHERE id = 'moscow'), similarity = 2.0 WHERE id = 'kyiv'",
                        {"E-DOCTOR-DUPLICATE-EVENTS", "E-DOCTOR-SIMILARITY",
                         "E-DOCTOR-ORPHAN-BAND"}),
    "stories lost": ("DELETE FROM stories", {"E-DOCTOR-ORPHAN-MEMBER"}),
    "story key": ("UPDATE events SET cameo_root = '19' WHERE article_id = 'moscow'",
                  {"E-DOCTOR-STORY-KEY"}),
    "bands lost": ("DELETE FROM article_bands", {"E-DOCTOR-NO-BANDS"}),
    "record broken": ("UPDATE events SET record = '[1, 2]' WHERE article_id = 'moscow'",
                      {"E-DOCTOR-RECORD"}),
    "schema behind": ("DELETE FROM schema_version WHERE version = 3", {"E-DOCTOR-SCHEMA"}),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_crash_safety_doctor_finds_damage(store_url, damage):
    from eventwire.store.backends import connect

    _healthy(store_url)
    assert check_store(store_url).ok
    sql, expected = DAMAGE[damage]
    db = connect(store_url)
    try:
        db.execute(sql)
    finally:
        db.close()
    report = check_store(store_url)
    assert not report.ok
    assert expected <= {f.code for f in report.findings}, report.text()


@pytest.mark.parametrize("damage", ["event lost"])
def test_crash_safety_doctor_command(tmp_path, capsys, damage):
    import duckdb

    db = str(tmp_path / "events.duckdb")
    _healthy(db)
    assert main(["doctor", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (f"eventwire doctor: {db} (duckdb, schema 3; 3 articles, "
                                   f"3 events, 3 stories)")
    assert out.splitlines()[-1] == "eventwire doctor: store is healthy"
    con = duckdb.connect(db)
    con.execute(DAMAGE[damage][0])
    con.close()
    assert main(["doctor", "--db", db]) == 1
    out = capsys.readouterr().out
    assert "  FAIL  events" in out
    assert ("E-DOCTOR-EVENT-COUNT 1 articles whose stored events differ from n_events, e.g. "
            "kyiv: n_events 2, stored 1") in out
    assert main(["doctor", "--db", db, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["checks"]["events"] == "FAIL"
    assert main(["doctor", "--db", str(tmp_path / "missing.duckdb")]) == 3
    assert "E-STORE-NOTFOUND" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["doctor"])
def test_crash_safety_doctor_help_has_example(capsys, command):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert "eventwire doctor --db events.duckdb" in capsys.readouterr().out
