"""Two writers at once: a DuckDB store refuses the second one clearly (it is busy), never
corrupts; a PostgreSQL store takes both, without duplicates. ``eventwire doctor`` judges the
store afterwards.

Ingests run as real ``eventwire ingest`` subprocesses. The first one reads JSON Lines from a
pipe the test holds open, so it is provably mid-ingest (store open, articles stored, waiting
for more input) when the second one starts: no sleeps, no races in the test itself.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import eventwire.store as ews
from eventwire import storelock
from eventwire.doctor import check_store
from eventwire.store import StoreError
from eventwire.store.backends import connect
from eventwire.store.core import migrate, schema_version
from eventwire.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parent.parent
CLI = "import sys; from eventwire.cli import main; sys.exit(main(sys.argv[1:]))"
HOLD = ("import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
        "sys.stdin.read()")
# The reader buffers the first 64 KiB of stdin to sniff it; blank lines (skipped by the JSONL
# reader) fill that buffer so the first records are coded at once.
_FILL = "\n" * (66 * 1024)


def _articles(shared_data: Path, n: int) -> list[dict]:
    lines = (shared_data / "news-dev" / "articles.jsonl").read_text("utf-8").splitlines()
    return [{**rec, "text": rec["text"][:600]} for rec in map(json.loads, lines[:n])]


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def _ingest(db: str, *paths: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CLI, "ingest", *paths, "--db", db,
                             "--batch-size", "1", "-v", "--progress", "off"],
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, **kw)


def _wait_for_stored(proc: subprocess.Popen, n: int) -> list[str]:
    seen, lines = 0, []
    while seen < n:
        line = proc.stderr.readline()
        assert line, f"ingest ended early (rc={proc.wait()}): {''.join(lines)[-1500:]}"
        lines.append(line)
        seen += line.startswith("eventwire: stored ")
    return lines


def _stored_once(db: str, ids: list[str]) -> None:
    with ews.open(db, read_only=True) as store:
        rows = store.sql("SELECT id, COUNT(*) AS n FROM articles GROUP BY id ORDER BY id")
    assert [(r["id"], r["n"]) for r in rows] == [(i, 1) for i in sorted(ids)]


@pytest.fixture
def holder(tmp_path):
    """A process holding a DuckDB store open (as a running ingest does)."""
    db = str(tmp_path / "busy.duckdb")
    proc = subprocess.Popen([sys.executable, "-c", HOLD, db], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    yield db, proc
    proc.stdin.close()
    proc.wait(timeout=30)


@pytest.mark.parametrize("read_only", [False, True])
def test_concurrency_duckdb_second_open_refused(holder, read_only):
    db, proc = holder
    with pytest.raises(StoreError) as err:
        ews.open(db, read_only=read_only)
    message = str(err.value)
    assert message.startswith("E-STORE-") and db in message
    assert str(proc.pid) in message  # the message names the process holding the store


@pytest.mark.parametrize("read_only", [False, True])
def test_concurrency_duckdb_busy_code(holder, read_only):
    db, _ = holder
    with pytest.raises(StoreError, match=r"^E-STORE-BUSY .*the store is busy"):
        ews.open(db, read_only=read_only)


@pytest.mark.parametrize("read_only", [False])
def test_concurrency_storelock_names_the_holder(holder, read_only):
    import duckdb

    db, proc = holder
    with pytest.raises(duckdb.IOException) as err:
        duckdb.connect(db, read_only=read_only)
    assert storelock.is_lock_conflict(err.value)
    assert storelock.lock_holder(err.value) == proc.pid
    busy = storelock.busy_error(db, err.value)
    assert str(busy).startswith(f"E-STORE-BUSY {db}: the store is busy: process {proc.pid}")
    assert not storelock.is_lock_conflict(duckdb.IOException("Cannot open file: No such file"))


@pytest.mark.parametrize("first,later", [(2, 2)])
def test_concurrency_duckdb_two_ingests(tmp_path, shared_data, first, later):
    db = str(tmp_path / "events.duckdb")
    records = _articles(shared_data, first + later + 2)
    other = tmp_path / "other.jsonl"
    other.write_text(_jsonl(records[first + later:]), "utf-8")
    one = _ingest(db, "-", stdin=subprocess.PIPE)
    one.stdin.write(_jsonl(records[:first]) + _FILL)
    one.stdin.flush()
    _wait_for_stored(one, first)  # store open and written to; now waiting for more input
    two = subprocess.run([sys.executable, "-c", CLI, "ingest", str(other), "--db", db,
                          "--progress", "off"], capture_output=True, text=True, cwd=ROOT,
                         timeout=120)
    one.stdin.write(_jsonl(records[first:first + later]))
    one.stdin.close()
    rest = one.stderr.read()
    assert one.wait(timeout=120) == 0, rest[-2000:]
    assert two.returncode == 3, two.stderr[-2000:]
    refusal = two.stderr.strip().splitlines()[-1]
    assert refusal.startswith(f"eventwire: E-STORE-") and db in refusal
    report = check_store(db)
    assert report.ok, report.text()
    _stored_once(db, [r["id"] for r in records[:first + later]])


@pytest.mark.parametrize("n", [6])
def test_concurrency_postgres_two_ingests_no_duplicates(pg_url, shared_data, tmp_path, n):
    records = _articles(shared_data, n)
    both = tmp_path / "both.jsonl"
    both.write_text(_jsonl(records), "utf-8")
    ews.open(pg_url).close()  # schema first: concurrent first-time migration is tested below
    one = _ingest(pg_url, "-", stdin=subprocess.PIPE)
    one.stdin.write(_jsonl(records[:2]) + _FILL)
    one.stdin.flush()
    _wait_for_stored(one, 2)
    two = _ingest(pg_url, str(both))  # overlaps: stores 3..n while the first is still open
    one.stdin.write(_jsonl(records[2:]))  # the first writes the same articles again, at once
    one.stdin.close()
    out_one, out_two = one.stderr.read(), two.stderr.read()
    assert one.wait(timeout=180) == 0, out_one[-2000:]
    assert two.wait(timeout=180) == 0, out_two[-2000:]
    report = check_store(pg_url)
    assert report.ok, report.text()
    _stored_once(pg_url, [r["id"] for r in records])
    assert "already stored" in out_two


def _racing_migrations(url: str) -> list[BaseException]:
    """Two connections migrate an empty database at once: the first pauses after its first
    statement, inside its transaction, until the second has read the schema version."""
    first, second = connect(url), connect(url)
    read_version, errors = threading.Event(), []
    real_first, real_second = first.execute, second.execute

    def first_execute(sql, params=()):
        rows = real_first(sql, params)
        if sql.lstrip().startswith("CREATE TABLE schema_version"):
            read_version.wait(timeout=5)  # (a store that locks first never lets it read)
        return rows

    def second_execute(sql, params=()):
        rows = real_second(sql, params)
        if "information_schema.tables" in sql:
            read_version.set()
        return rows

    first.execute, second.execute = first_execute, second_execute

    def run(backend):
        try:
            migrate(backend)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(b,)) for b in (first, second)]
    threads[0].start()
    threads[1].start()
    for t in threads:
        t.join(timeout=60)
    first.close()
    second.close()
    return errors


@pytest.mark.parametrize("attempt", [1])
def test_concurrency_postgres_first_open_races(pg_url, attempt):
    errors = _racing_migrations(pg_url)
    assert errors == []
    with ews.open(pg_url) as store:
        assert store.schema_version() == SCHEMA_VERSION


@pytest.mark.parametrize("attempt", [1])
def test_concurrency_postgres_race_leaves_store_usable(pg_url, attempt):
    """Even when the race makes one opener fail, the store is whole: one schema, doctor ok."""
    _racing_migrations(pg_url)
    backend = connect(pg_url)
    try:
        assert schema_version(backend) == SCHEMA_VERSION
    finally:
        backend.close()
    assert check_store(pg_url).ok
