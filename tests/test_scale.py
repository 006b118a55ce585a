"""Scale-out: Dask workers code exactly what a local ingest codes; partitions resume from a
checkpoint; Parquet in and out."""
from datetime import date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eventwire import scale
from eventwire.records import Article, InputProblem
from eventwire.store import open_store

# Wire-style reports of well-documented events (our own wording).
GENEVA = ("GENEVA, Nov 24 (Reuters) - Iran agreed on Sunday to curb its nuclear programme in "
          "exchange for limited sanctions relief, in a deal reached with six world powers after "
          "four days of talks in Geneva, diplomats said.")
SINGAPORE = ("North Korean leader Kim Jong Un met U.S. President Donald Trump in Singapore on "
             "Tuesday, the first meeting between leaders of the two countries. Trump said the "
             "talks had gone better than anybody could have expected. Kim pledged to work toward "
             "complete denuclearisation of the Korean peninsula, while Washington promised "
             "security guarantees to Pyongyang, according to a joint statement signed by both.")
# The same wire copy with one word changed: a near-duplicate, linked and not coded.
SINGAPORE_COPY = SINGAPORE.replace("better than anybody", "better than anyone")
CRIMEA = ("Russian troops seized the airport in Simferopol on Friday, Ukraine's interior "
          "minister said, accusing Moscow of an armed invasion of Crimea.")
MYANMAR = ("Myanmar's military detained Aung San Suu Kyi and other leaders of the governing "
           "party in an early morning raid on Monday, a party spokesman said.")
ARMENIA = ("Armenia and Azerbaijan agreed to a ceasefire in Nagorno-Karabakh on Saturday after "
           "talks in Moscow hosted by Russian Foreign Minister Sergei Lavrov.")


def _corpus() -> list:
    arts = [
        Article("geneva", GENEVA, published=date(2013, 11, 24)),
        Article("singapore", SINGAPORE, published=date(2018, 6, 12)),
        Article("crimea", CRIMEA, published=date(2014, 2, 28)),
        Article("singapore-copy", SINGAPORE_COPY, published=date(2018, 6, 12)),
        Article("geneva-again", GENEVA, published=date(2013, 11, 24)),  # same text: exists
        Article("myanmar", MYANMAR, published=date(2021, 2, 1)),
        Article("armenia", ARMENIA, published=date(2020, 10, 10)),
    ]
    return arts[:5] + [InputProblem("corpus.jsonl:6", "E-RECORD", "record has 'text' empty")] \
        + arts[5:]


def _contents(store) -> dict:
    return {
        "records": store.events(),
        "events": store.sql("SELECT event_id, story_id, article_key FROM events "
                            "ORDER BY event_id"),
        "articles": store.sql("SELECT article_key, id, duplicate_of, n_events FROM articles "
                              "ORDER BY article_key"),
        "counts": store.counts(),
    }


@pytest.mark.parametrize("workers", [2])
def test_scale_dask_store_matches_local_ingest(tmp_path, workers):
    items = _corpus()
    with open_store(tmp_path / "local.duckdb") as store:
        local_report = store.ingest(items, batch_size=2)
        local = _contents(store)
    with open_store(tmp_path / "dask.duckdb") as store:
        report = scale.run(items, store=store, out=tmp_path / "events", batch_size=2,
                           options=scale.ScaleOptions(engine="dask", workers=workers,
                                                      partition_size=2))
        distributed = _contents(store)
    assert report.workers == workers
    assert distributed == local
    assert local["counts"]["events"] >= 4 and local_report.stored == 5
    assert (report.ingest.stored, report.ingest.duplicates, report.ingest.exists) == (5, 1, 1)
    # the near-duplicate and the repeated text were never sent to a worker
    assert report.sent == 5
    assert [p.code for p in report.problems] == ["E-RECORD"]
    parquet = pq.read_table(tmp_path / "events").to_pylist()
    assert len(report.parquet_files) == 4
    assert sorted((r["event_id"], r["story_id"]) for r in parquet) == \
        sorted((r["event_id"], r["story_id"]) for r in local["events"])


@pytest.mark.parametrize("partition_size", [2])
def test_scale_rerun_skips_checkpointed_partitions(tmp_path, partition_size):
    items, db = _corpus(), tmp_path / "events.duckdb"
    options = scale.ScaleOptions(partition_size=partition_size,
                                 checkpoint=tmp_path / "done.jsonl")
    with open_store(db) as store:
        first = scale.run(items, store=store, options=options)
        before = _contents(store)
    with open_store(db) as store:
        again = scale.run(items, store=store, options=options)
        assert _contents(store) == before
    assert (first.partitions, first.checkpointed) == (4, 0)
    assert (again.partitions, again.checkpointed, again.sent) == (0, 4, 0)
    # a checkpoint whose store was replaced is not trusted: everything is coded again
    with open_store(tmp_path / "new.duckdb") as store:
        fresh = scale.run(items, store=store, options=options)
        assert store.counts()["events"] == before["counts"]["events"]
    assert (fresh.checkpointed, fresh.sent) == (0, 5)


class _BrokenEngine:
    """An engine whose tasks are lost (a worker killed mid-task)."""

    workers, startup_seconds = 1, 0.0

    def submit(self, articles):
        return self

    def result(self):
        raise RuntimeError("worker tcp://127.0.0.1:1 died")

    def close(self):
        pass


@pytest.mark.parametrize("engine", [_BrokenEngine()])
def test_scale_lost_task_is_reported_and_not_checkpointed(tmp_path, engine):
    options = scale.ScaleOptions(partition_size=4, checkpoint=tmp_path / "done.jsonl")
    with open_store(tmp_path / "events.duckdb") as store:
        report = scale.run([Article("crimea", CRIMEA, published=date(2014, 2, 28))],
                           store=store, options=options, engine=engine)
        assert store.counts()["articles"] == 0
    assert [p.code for p in report.problems] == ["E-CODE"]
    assert "E-SCALE-TASK partition 0 failed" in report.problems[0].message
    assert "worker tcp://127.0.0.1:1 died" in report.problems[0].message
    assert not (tmp_path / "done.jsonl").exists()


def _write_corpus(path, rows):
    schema = pa.schema([("id", pa.string()), ("url", pa.string()), ("title", pa.string()),
                        ("published", pa.timestamp("s")), ("text", pa.string())])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


@pytest.mark.parametrize("published", [datetime(2014, 2, 28, 9, 30)])
def test_scale_read_parquet_rows_and_bad_rows(tmp_path, published):
    path = tmp_path / "corpus.parquet"
    _write_corpus(path, [
        {"id": "crimea", "url": "https://example.org/crimea", "title": "Airport seized",
         "published": published, "text": CRIMEA},
        {"id": "blank", "url": None, "title": None, "published": None, "text": "  "},
        {"id": None, "url": None, "title": None, "published": None, "text": MYANMAR},
    ])
    items = list(scale.iter_corpus([path], published=date(2021, 2, 1)))
    first, bad, third = items
    assert (first.id, first.url, first.title, first.published, first.published_from) == \
        ("crimea", "https://example.org/crimea", "Airport seized", date(2014, 2, 28), "metadata")
    assert (bad.origin, bad.code) == (f"{path}:2", "E-RECORD")
    assert (third.id, third.published, third.published_from) == \
        ("corpus-3", date(2021, 2, 1), "option")


@pytest.mark.parametrize("name", ["no-text.parquet"])
def test_scale_read_parquet_without_text_column_is_one_problem(tmp_path, name):
    pq.write_table(pa.table({"id": ["a"], "body": [CRIMEA]}), tmp_path / name)
    (problem,) = scale.read_parquet(tmp_path / name)
    assert problem.code == "E-RECORD" and "no 'text' column (columns: body, id)" in \
        problem.message


@pytest.mark.parametrize("partition_size", [2])
def test_scale_parquet_out_only_one_file_per_partition(tmp_path, partition_size):
    from eventwire.pipeline import default_coder
    items = _corpus()
    report = scale.run(items, out=tmp_path / "events",
                       options=scale.ScaleOptions(partition_size=partition_size))
    names = sorted(p.name for p in (tmp_path / "events").glob("*.parquet"))
    assert names == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet",
                     "part-00003.parquet"]
    table = pq.read_table(tmp_path / "events")
    assert table.column_names == list(scale.PARQUET_COLUMNS)
    # no store: no near-duplicate detection, but a repeated text is coded once
    coded = [a for a in items if isinstance(a, Article) and a.id != "geneva-again"]
    expected = {ev.event_id for ev in default_coder().code_many(coded)}
    assert set(table.column("event_id").to_pylist()) == expected
    assert report.sent == 6 and report.events == table.num_rows


@pytest.mark.parametrize("engine", ["local"])
def test_scale_cli_ingest_parquet_in_parquet_out(tmp_path, monkeypatch, engine):
    from eventwire.cli import main
    monkeypatch.chdir(tmp_path)
    _write_corpus(tmp_path / "corpus.parquet", [
        {"id": "crimea", "url": None, "title": None, "published": datetime(2014, 2, 28),
         "text": CRIMEA},
        {"id": "myanmar", "url": None, "title": None, "published": datetime(2021, 2, 1),
         "text": MYANMAR}])
    argv = ["ingest", "corpus.parquet", "--engine", engine, "--out", "events",
            "--partition-size", "1", "--progress", "off"]
    assert main(argv) == 0
    assert sorted(p.name for p in (tmp_path / "events").iterdir()) == \
        ["_checkpoint.jsonl", "part-00000.parquet", "part-00001.parquet"]
    assert not (tmp_path / "events.duckdb").exists()  # --out without --db: Parquet only
    assert main(argv) == 0  # the re-run finds both partitions done
    assert len((tmp_path / "events" / "_checkpoint.jsonl").read_text().splitlines()) == 2


def test_scale_local_cluster_workers_run_without_the_sampling_profiler_or_malloc_trim():
    """Our local cluster starts no dashboard, so the workers' statistical profiler (a stack
    walk of the coding thread every 10 ms) is switched off there, and its workers start without
    Dask's MALLOC_TRIM_THRESHOLD_ (glibc's adaptive mmap threshold stays on: no page faults
    for every large array); the driver's own Dask configuration is left as it was."""
    import os

    import dask

    before = dask.config.get("distributed.worker.profile.enabled")
    trim_key = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"
    assert scale.worker_config() == {"distributed.worker.profile.enabled": False,
                                     trim_key: None}
    trim_before = dask.config.get(trim_key)
    assert trim_before  # Dask's default: what a plain LocalCluster would export
    engine = scale.DaskEngine(workers=1)
    try:
        on = engine.client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
        assert list(on.values()) == [False]
        env = engine.client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
        assert list(env.values()) == [None]
    finally:
        engine.close()
    assert dask.config.get("distributed.worker.profile.enabled") == before
    assert dask.config.get(trim_key) == trim_before
