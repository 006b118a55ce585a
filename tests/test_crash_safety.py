"""Crash safety: an ``eventwire ingest`` SIGKILLed at a random point (per seed: after a random
number of stored articles plus a random delay, so the kill lands in coding, between
transactions or inside one), then resumed. After the kill and after the resume the store must
pass ``eventwire doctor``, and after the resume it must hold every article exactly once, on
DuckDB and on PostgreSQL (``store_url``, tests/pg_cluster.py).

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


def _kill_at_random(cmd: list[str], seed: int) -> int:
    """Run ``cmd`` and SIGKILL it after a seeded number of stored articles plus a seeded delay;
    returns how many it reported stored."""
    rng = random.Random(seed)
    after, delay = rng.randrange(0, N_ARTICLES - 3), rng.uniform(0.0, 0.4)
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    stored, deadline = 0, time.monotonic() + 120
    while stored < after and time.monotonic() < deadline:
        line = proc.stderr.readline()
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
    _kill_at_random(cmd, seed + 1)
    assert check_store(db).ok
    assert main(["ingest", str(path), "--db", db, "--progress", "off"]) == 0
    capsys.readouterr()
    report = check_store(db)
    assert report.ok, report.text()
    assert report.counts["articles"] == len(ids)
