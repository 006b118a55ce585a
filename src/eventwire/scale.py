"""Scale-out: the same coder mapped over partitions of articles, in process or on Dask.

The driver reads the inputs and cuts them into partitions (``partition_size`` items, inputs
problems included, in input order). Each partition's articles are coded by
:meth:`eventwire.pipeline.Coder.code_many` on a worker (one spaCy pipeline per worker process,
loaded once by a worker plugin and kept by ``default_coder``'s per-process cache). Results come
back to the driver, which is the single writer: partitions are written in input order, each
through :meth:`eventwire.store.Store.ingest` (content-hash skips, near-duplicates, stories; one
transaction per ingest batch), so DuckDB's one-writer rule holds and the store ends up exactly as a
local ``store.ingest`` of the same inputs leaves it. With ``out``, each partition's events are
also written to ``out/part-NNNNN.parquet``.

Resuming: a partition is checkpointed (one JSON line, fsynced) once it is wholly written; a
re-run skips checkpointed partitions, and articles the store already holds are not sent to
workers. Usage, the CLI and a multi-node set-up: docs/scale.md.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence, Union

from .limits import TimeLimitExceeded
from .records import Article, Event, InputProblem
from .settings import DEFAULT, Settings
from .store.rows import EVENT_COLUMNS as PARQUET_COLUMNS  # the store's events table

try:  # Dask is optional: the local engine and Parquet I/O work without it
    from distributed import WorkerPlugin as _PluginBase
except ImportError:  # pragma: no cover - exercised only where distributed is missing
    _PluginBase = object

__all__ = ["ScaleOptions", "ScaleReport", "ScaleError", "ENGINES", "run", "iter_corpus",
           "read_parquet", "code_partition", "partitions", "Partition", "Checkpoint",
           "PARQUET_COLUMNS"]

ENGINES = ("local", "dask")
Item = Union[Article, InputProblem]
# on_item(status, item, n_events), as eventwire.store.ingest: stored | duplicate | exists |
# problem, plus "checkpointed" for items of partitions a previous run finished.
Callback = Callable[[str, Item, int], None]
log = logging.getLogger("eventwire.scale")

# Short, real-style text run once by each worker at start-up, so lazily built indexes
# (gazetteer, date rules) are ready before the first partition and timings exclude them.
_WARM_UP = ("TEHRAN, Jan 24 (Reuters) - Syria's Defense Minister met Iran's Chief of Staff in "
            "Tehran on Monday, state media said. Protesters marched in Deir al-Zour last week, "
            "according to activists.")  # a spelling variant: builds the gazetteer's loose index


class ScaleError(Exception):
    """A scale-out problem; the message starts with a stable code (``E-SCALE-...``)."""


@dataclass(frozen=True)
class ScaleOptions:
    """How to run: ``engine`` local (in this process) or dask; ``workers`` worker processes
    (one thread each) of a Dask LocalCluster, unless ``scheduler`` (``tcp://host:8786``)
    names a running cluster; ``partition_size`` items per task (a multiple of the ingest batch
    size keeps the store's batches identical to a local run); ``in_flight`` partitions queued
    ahead of the writer (default 2 per worker + 1); ``checkpoint`` a JSONL file of finished
    partitions."""

    engine: str = "local"
    workers: int = 2
    scheduler: Optional[str] = None
    partition_size: int = 64
    in_flight: Optional[int] = None
    checkpoint: Optional[Union[str, Path]] = None

    def check(self) -> None:
        if self.engine not in ENGINES:
            raise ScaleError(f"E-SCALE-ENGINE unknown engine {self.engine!r}; expected one of "
                             f"{', '.join(ENGINES)}")
        if self.workers < 1 or self.partition_size < 1:
            raise ScaleError(f"E-SCALE-USAGE workers ({self.workers}) and partition_size "
                             f"({self.partition_size}) must be at least 1")


@dataclass
class ScaleReport:
    """What one run did (``ingest`` is the store's merged report when a store was given)."""

    engine: str = "local"
    workers: int = 1
    partitions: int = 0  # partitions coded and written in this run
    checkpointed: int = 0  # partitions skipped: finished by an earlier run
    articles: int = 0  # articles read (problems not counted)
    sent: int = 0  # articles sent to workers
    events: int = 0  # events coded (store: events stored)
    problems: list[InputProblem] = field(default_factory=list)
    parquet_files: list[str] = field(default_factory=list)
    ingest: Any = None  # eventwire.store.IngestReport
    startup_seconds: float = 0.0
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (f"{self.engine} engine, {self.workers} worker(s): {self.partitions} partitions "
                f"coded, {self.checkpointed} already done; {self.articles} articles read, "
                f"{self.sent} coded on workers; {self.events} events; {len(self.problems)} "
                f"problems; start-up {self.startup_seconds:.1f} s, {self.seconds:.1f} s "
                f"({rate:.1f} articles/s)")


# -- inputs -----------------------------------------------------------------------------------

def iter_corpus(paths: Iterable[Union[str, Path]], *, published: Optional[date] = None,
                settings: Settings = DEFAULT) -> Iterator[Item]:
    """:func:`eventwire.ingest.iter_inputs`, plus ``.parquet`` files read by
    :func:`read_parquet`, in the order given."""
    from .ingest import iter_inputs
    for path in paths:
        if str(path).lower().endswith(".parquet"):
            yield from read_parquet(path, published=published, settings=settings)
        else:
            yield from iter_inputs([path], published=published, settings=settings)


_PARQUET_FIELDS = ("id", "url", "title", "publisher", "published", "text")


def read_parquet(path: Union[str, Path], *, published: Optional[date] = None,
                 settings: Settings = DEFAULT, batch_rows: int = 1024) -> Iterator[Item]:
    """Articles of a Parquet corpus with columns ``text`` (required), ``id``, ``url``,
    ``title``, ``publisher``, ``published`` (date, timestamp or ``YYYY-MM-DD`` string),
    streamed by record batches. A bad row gives an ``E-RECORD`` problem at ``path:row``
    (rows counted from 1), with the same checks as every reader (empty, size, language)."""
    from .ingest.common import Source, finish, problem
    try:
        import pyarrow.parquet as pq
        pf = pq.ParquetFile(path)
    except FileNotFoundError:
        yield problem(str(path), "E-NOTFOUND", "does not exist")
        return
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one problem, named
        yield problem(str(path), "E-READ", f"is not a readable Parquet file ({exc})")
        return
    names = set(pf.schema_arrow.names)
    if "text" not in names:
        yield problem(str(path), "E-RECORD", f"has no 'text' column (columns: "
                                             f"{', '.join(sorted(names))})")
        return
    src = Source(str(path), Path(path).stem, published, settings)
    columns = [c for c in _PARQUET_FIELDS if c in names]
    row = 0
    for batch in pf.iter_batches(batch_size=batch_rows, columns=columns):
        for rec in batch.to_pylist():
            row += 1
            origin = src.at(row)
            try:
                when = _date_value(rec.get("published"))
            except ValueError as exc:
                yield problem(origin, "E-RECORD", str(exc))
                continue
            text = rec.get("text")
            ident = rec.get("id")
            yield finish(src, origin, text=text if isinstance(text, str) else None,
                         id=str(ident) if ident is not None else f"{src.default_id}-{row}",
                         title=_str(rec.get("title")), url=_str(rec.get("url")),
                         publisher=_str(rec.get("publisher")), published=when,
                         empty_code="E-RECORD")


def _date_value(value: Any) -> Optional[date]:
    from .ingest.common import parse_date
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(value)


def _str(value: Any) -> Optional[str]:
    return None if value is None else str(value)


# -- partitions and checkpoints ---------------------------------------------------------------

@dataclass
class Partition:
    """``items`` in input order; ``pid`` hashes their content (a re-run with the same inputs
    and partition size finds the same ids)."""

    index: int
    items: list[Item]
    pid: str = ""

    def __post_init__(self):
        if not self.pid:
            h = hashlib.sha1()
            for item in self.items:
                key = item.content_hash if isinstance(item, Article) else str(item)
                h.update(key.encode("utf-8") + b"\n")
            self.pid = h.hexdigest()[:20]

    @property
    def articles(self) -> list[Article]:
        return [i for i in self.items if isinstance(i, Article)]


def partitions(items: Iterable[Item], size: int) -> Iterator[Partition]:
    """Cut ``items`` into partitions of ``size`` items, in order."""
    batch: list[Item] = []
    index = 0
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield Partition(index, batch)
            index, batch = index + 1, []
    if batch:
        yield Partition(index, batch)


class Checkpoint:
    """Finished partitions, one JSON line each (``pid``, ``index``, ``articles``,
    ``events``, ``at``), appended and fsynced once a partition is wholly written."""

    def __init__(self, path: Optional[Union[str, Path]]):
        self.path = Path(path) if path else None
        self.done: set[str] = set()
        if self.path is not None and self.path.is_file():
            for number, line in enumerate(self.path.read_text("utf-8").splitlines(), 1):
                try:
                    self.done.add(json.loads(line)["pid"])
                except (ValueError, KeyError, TypeError):
                    # a line cut by a kill mid-write: that partition simply runs again
                    log.warning("%s:%d: unreadable checkpoint line ignored", self.path, number)

    def __contains__(self, pid: str) -> bool:
        return pid in self.done

    def mark(self, part: Partition, events: int) -> None:
        self.done.add(part.pid)
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"pid": part.pid, "index": part.index,
                           "articles": len(part.articles), "events": events,
                           "at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())


# -- the task ---------------------------------------------------------------------------------

def code_partition(articles: Sequence[Article], settings: Settings = DEFAULT
                   ) -> list[Union[list[Event], str, TimeLimitExceeded]]:
    """Code one partition with the process's cached coder: per article, its events, the
    error (``"ExcType: message"``) when coding it failed, or the TimeLimitExceeded when it
    took longer than ``settings.max_article_seconds``. Runs on a worker (in a worker thread,
    where the limit is the coder's per-sentence deadline and the watchdog of eventwire.limits).
    """
    from .pipeline import default_coder
    coder = default_coder(settings)
    out: list[Union[list[Event], str, TimeLimitExceeded]] = [[] for _ in articles]
    where = {id(a): i for i, a in enumerate(articles)}

    def failed(article: Article, exc: Exception) -> None:
        out[where[id(article)]] = exc if isinstance(exc, TimeLimitExceeded) \
            else f"{type(exc).__name__}: {exc}"

    for ev in coder.code_many(articles, on_error=failed):
        slot = out[where[id(ev.article)]]
        if isinstance(slot, list):
            slot.append(ev)
    return out


class CoderPlugin(_PluginBase):
    """Dask worker plugin: load the coder once per worker process (and warm it up) when the
    worker starts, instead of inside the first task."""

    name = "eventwire-coder"

    def __init__(self, settings: Settings = DEFAULT):
        self.settings = settings

    def setup(self, worker=None) -> None:
        from .pipeline import default_coder
        from .limits import Deadline
        coder = default_coder(self.settings)
        coder.gazetteer.load()
        # the warm-up is not an input: no time limit (a tiny --max-article-seconds must not
        # fail the worker's start)
        warm = Article(id="warm-up", text=_WARM_UP, published=date(2023, 1, 24))
        coder.code_doc(warm, coder.nlp(warm.text), deadline=Deadline(None))


def worker_peak_rss() -> int:
    """Peak resident memory of this process, in bytes (Linux ru_maxrss is in KiB)."""
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# -- engines ----------------------------------------------------------------------------------

class _Done:
    def __init__(self, value):
        self.result = lambda: value


class LocalEngine:
    """Codes partitions in this process, one after the other."""

    workers = 1

    def __init__(self, settings: Settings = DEFAULT):
        self.settings = settings
        self.startup_seconds = 0.0

    def submit(self, articles: list[Article]) -> _Done:
        return _Done(code_partition(articles, self.settings))

    def close(self) -> None:  # nothing to stop
        pass


def worker_config() -> dict[str, Any]:
    """The Dask configuration eventwire's workers start with (data/dask-worker.yaml) as dotted
    keys for ``dask.config.set`` (a nested dict there would replace whole sections); the same
    file serves clusters started by hand."""
    import yaml
    text = resources.files("eventwire").joinpath("data/dask-worker.yaml").read_text()

    def flat(tree: dict, prefix: str = "") -> Iterator[tuple[str, Any]]:
        for key, value in tree.items():
            if isinstance(value, dict):
                yield from flat(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}", value
    return dict(flat(yaml.safe_load(text)))


class DaskEngine:
    """Codes partitions on Dask distributed: a LocalCluster of ``workers`` processes with one
    thread each, or the running cluster at ``scheduler``."""

    def __init__(self, settings: Settings = DEFAULT, *, workers: int = 2,
                 scheduler: Optional[str] = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ScaleError("E-SCALE-ENGINE the dask engine needs dask[distributed] "
                             "(pip install 'dask[distributed]')") from exc
        started = time.monotonic()
        self.settings, self.cluster = settings, None
        if scheduler:
            self.client = Client(scheduler, timeout="30s")
        else:
            import dask
            # processes, not threads: spaCy and our stages hold the GIL. The workers start
            # with data/dask-worker.yaml: no sampling profiler (no dashboard to show it), no
            # MALLOC_TRIM_THRESHOLD_ (page faults for each large array); both measured there
            with dask.config.set(worker_config()):
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                            processes=True, dashboard_address=None,
                                            silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.client.register_plugin(CoderPlugin(settings), name=CoderPlugin.name)
        self.workers = len(self.client.scheduler_info(n_workers=-1)["workers"]) or workers
        self.startup_seconds = time.monotonic() - started

    def submit(self, articles: list[Article], **kw):
        return self.client.submit(code_partition, articles, self.settings, pure=False, **kw)

    def peak_rss(self) -> dict[str, int]:
        """Peak resident memory of each worker process (bytes), by worker address."""
        return self.client.run(worker_peak_rss)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_engine(options: ScaleOptions, settings: Settings = DEFAULT):
    """The engine named by ``options`` (started: a Dask cluster is up when this returns)."""
    options.check()
    if options.engine == "dask":
        return DaskEngine(settings, workers=options.workers, scheduler=options.scheduler)
    return LocalEngine(settings)


# -- Parquet out ------------------------------------------------------------------------------

def _parquet_schema():
    import pyarrow as pa
    types = {"published": pa.date32(), "date_start": pa.date32(), "date_end": pa.date32(),
             "background": pa.bool_(), "quad_class": pa.int32(), "goldstein": pa.float64(),
             "lat": pa.float64(), "lon": pa.float64(), "geonameid": pa.int64(),
             "confidence": pa.float64(), "sentence_index": pa.int32(),
             "paragraph": pa.int32(), "span_start": pa.int32(), "span_end": pa.int32()}
    return pa.schema([(c, types.get(c, pa.string())) for c in PARQUET_COLUMNS])


def write_part(rows: list[dict], out: Path, index: int) -> Path:
    """Write one partition's event rows (the store's ``events`` columns) to
    ``out/part-NNNNN.parquet``, atomically (a kill never leaves half a file)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    schema = _parquet_schema()
    table = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"part-{index:05d}.parquet"
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)
    return path


def _rows_from_events(article: Article, events: Sequence[Event]) -> list[dict]:
    """Event rows as the store would write them (one per event id; no story id)."""
    from .store.rows import event_row
    key, seen, rows = article.content_hash, set(), []
    for ev in events:
        row = event_row(article, key, ev)
        if row["event_id"] not in seen:
            seen.add(row["event_id"])
            rows.append(row)
    return rows


def _rows_from_store(store, keys: Sequence[str]) -> list[dict]:
    """The stored event rows (with their story ids) of the articles ``keys``, in order."""
    if not keys:
        return []
    # keys are our own sha256 hex digests, safe to inline in the read-only query
    rows = store.sql(f"SELECT {', '.join(PARQUET_COLUMNS)} FROM events WHERE article_key IN "
                     f"({', '.join(repr(k) for k in keys)})")
    order = {k: i for i, k in enumerate(keys)}
    rows.sort(key=lambda r: (order[r["article_key"]], r["sentence_index"], r["event_id"]))
    return rows


# -- the driver -------------------------------------------------------------------------------

class WorkerCodingError(Exception):
    """Coding an article failed on a worker (the message is the worker's exception)."""


class _Results:
    """Hands the store's ingest the events a worker coded, article by article."""

    def __init__(self, by_key: dict[str, Union[list[Event], str]], settings: Settings):
        self.by_key, self.settings = by_key, settings

    def code(self, article: Article) -> list[Event]:
        result = self.by_key.get(article.content_hash)
        if result is None:
            # Not sent: taken for a near-duplicate of an in-flight article whose coding then
            # failed, so the store wants it coded after all. Rare; code it here.
            from .pipeline import default_coder
            return default_coder(self.settings).code(article)
        if isinstance(result, TimeLimitExceeded):
            raise result  # the store's ingest records it as E-TIMEOUT
        if isinstance(result, str):
            raise WorkerCodingError(result)
        return result


@dataclass
class _Job:
    part: Partition
    sent: list[Article]
    future: Any = None


def run(items: Iterable[Item], *, store=None, out: Optional[Union[str, Path]] = None,
        options: ScaleOptions = ScaleOptions(), settings: Settings = DEFAULT, engine=None,
        on_item: Optional[Callback] = None, batch_size: Optional[int] = None) -> ScaleReport:
    """Code ``items`` (Articles and InputProblems, e.g. from :func:`iter_corpus`) on the
    engine of ``options`` and write them, partition by partition in input order, into
    ``store`` (an :class:`eventwire.store.Store`), to Parquet files under ``out``, or both.

    ``engine`` is a started engine to reuse (it is then left open); by default one is made
    from ``options`` when the first partition needs coding (a re-run with nothing left to
    code starts no cluster) and closed at the end. ``batch_size`` is the store's ingest batch.
    """
    if store is None and out is None:
        raise ScaleError("E-SCALE-USAGE give a store, an output directory (out), or both")
    options.check()
    driver = _Driver(store, Path(out) if out else None, options, settings, engine,
                     on_item or (lambda status, item, n: None), batch_size)
    try:
        return driver.run(items)
    finally:
        if engine is None and driver.engine is not None:
            driver.engine.close()


class _Driver:
    """Reads partitions, keeps up to ``in_flight`` of them on the engine, and writes each,
    in order, as its result comes back (the single writer)."""

    def __init__(self, store, out, options, settings, engine, notify, batch_size):
        from .store.ingest import IngestReport
        self.store, self.out, self.settings, self.engine = store, out, settings, engine
        self.notify, self.batch_size = notify, batch_size or settings.batch_size
        self.checkpoint = Checkpoint(options.checkpoint)
        self.options, self.in_flight = options, options.in_flight or 0
        self.partition_size = options.partition_size
        self.seen: set[str] = set()
        self.emitted: set[str] = set()  # texts whose events are in a Parquet file already
        self.sigs: dict[str, list] = {}  # pid -> [(key, signature)] of in-flight originals
        self.report = ScaleReport(engine=options.engine, workers=0,
                                  ingest=IngestReport() if store is not None else None)
        if engine is not None:
            self._started(engine)

    def _started(self, engine) -> None:
        self.engine = engine
        self.report.workers = engine.workers
        self.report.startup_seconds = engine.startup_seconds
        self.in_flight = self.options.in_flight or 2 * engine.workers + 1

    def _submit_task(self, articles: list[Article]):
        if self.engine is None:
            self._started(make_engine(self.options, self.settings))
        return self.engine.submit(articles)

    def run(self, items: Iterable[Item]) -> ScaleReport:
        started = time.monotonic()
        queue: deque[_Job] = deque()
        for part in partitions(items, self.partition_size):
            job = self._submit(part)
            if job is not None:
                queue.append(job)
            while queue and len(queue) > self.in_flight:
                self._write(queue.popleft())
        while queue:
            self._write(queue.popleft())
        self.report.seconds = time.monotonic() - started
        if self.report.ingest is not None:
            self.report.ingest.seconds = self.report.seconds
        return self.report

    def _submit(self, part: Partition) -> Optional[_Job]:
        arts = part.articles
        self.report.articles += len(arts)
        if part.pid in self.checkpoint and self._still_written(part):
            self.report.checkpointed += 1
            self.seen.update(a.content_hash for a in arts)
            self.emitted.update(a.content_hash for a in arts)
            for item in part.items:
                self.notify("checkpointed", item, 0)
            return None
        sent = self._to_code(arts, part.pid)
        self.report.sent += len(sent)
        return _Job(part, sent, self._submit_task(sent) if sent else None)

    def _still_written(self, part: Partition) -> bool:
        """A checkpointed partition's output is still there (a store or an out directory
        replaced since the checkpoint was written must not be skipped)."""
        arts = part.articles
        if self.store is not None and arts and not all(
                self.store.has_article(a.content_hash) for a in (arts[0], arts[-1])):
            return False
        return self.out is None or (self.out / f"part-{part.index:05d}.parquet").is_file()

    def _to_code(self, arts: list[Article], pid: str) -> list[Article]:
        """The partition's articles to send, leaving out those the writer will skip anyway: a
        text seen earlier in this run, or (with a store) one already stored or a
        near-duplicate of a stored or in-flight one (one store query for the partition's
        texts, one for their MinHash bands)."""
        fresh = []
        for article in arts:
            if article.content_hash not in self.seen:
                self.seen.add(article.content_hash)
                fresh.append(article)
        if self.store is None:
            return fresh
        from .store import dedup
        stored = self.store.stored_keys(a.content_hash for a in fresh)
        fresh = [a for a in fresh if a.content_hash not in stored]
        sigs = [dedup.signature(a.text) for a in fresh]
        sent = []
        for article, sig, dup in zip(fresh, sigs, self.store.find_duplicates(sigs)):
            flying = [ks for sigs in self.sigs.values() for ks in sigs]
            if dup or dedup.best_match(sig, flying):
                continue
            self.sigs.setdefault(pid, []).append((article.content_hash, sig))
            sent.append(article)
        return sent

    def _results(self, job: _Job) -> dict[str, Union[list[Event], str]]:
        if job.future is None:
            return {}
        try:
            results = job.future.result()
        except Exception as exc:  # noqa: BLE001 - a lost task fails its articles, not the run
            results = [f"E-SCALE-TASK partition {job.part.index} failed on the engine "
                       f"({type(exc).__name__}: {exc})"] * len(job.sent)
        return {a.content_hash: r for a, r in zip(job.sent, results)}

    def _write(self, job: _Job) -> None:
        by_key = self._results(job)
        failed = sum(not isinstance(r, list) for r in by_key.values())
        if self.store is not None:
            events = self._write_store(job, by_key)
            rows = _rows_from_store(self.store, self._new_keys(job.part)) if self.out else []
        else:
            rows = self._rows(job, by_key)
            events = len(rows)
        if self.out is not None:
            self.report.parquet_files.append(str(write_part(rows, self.out, job.part.index)))
        self.report.events += events
        self.report.partitions += 1
        self.sigs.pop(job.part.pid, None)
        if not failed:  # a partition with failures runs again next time (they may succeed)
            self.checkpoint.mark(job.part, events)

    def _new_keys(self, part: Partition) -> list[str]:
        """Keys of the partition's texts not written to Parquet by an earlier partition (a
        repeated text's events are in the file of its first partition only)."""
        keys = [k for k in dict.fromkeys(a.content_hash for a in part.articles)
                if k not in self.emitted]
        self.emitted.update(keys)
        return keys

    def _write_store(self, job: _Job, by_key: dict) -> int:
        rep = self.store.ingest(job.part.items, coder=_Results(by_key, self.settings),
                                settings=self.settings, batch_size=self.batch_size,
                                on_item=self.notify,
                                signatures=dict(self.sigs.get(job.part.pid, ())))
        total = self.report.ingest
        for name in ("read", "stored", "duplicates", "exists", "events"):
            setattr(total, name, getattr(total, name) + getattr(rep, name))
        total.problems.extend(rep.problems)
        self.report.problems.extend(rep.problems)
        return rep.events

    def _rows(self, job: _Job, by_key: dict) -> list[dict]:
        """Parquet-only: rows of the coded articles; problems and failures reported."""
        rows: list[dict] = []
        for item in job.part.items:
            if isinstance(item, InputProblem):
                self._problem(item)
                continue
            result = by_key.pop(item.content_hash, None)  # pop: a repeated text is written once
            if result is None:
                self.notify("exists", item, 0)
            elif isinstance(result, TimeLimitExceeded):
                self._problem(InputProblem(item.origin or item.id, result.code,
                                           f"coding article {item.id!r} {result.reason}; "
                                           f"not written"))
            elif isinstance(result, str):
                self._problem(InputProblem(item.origin or item.id, "E-CODE",
                                           f"coding article {item.id!r} failed ({result}); "
                                           f"not written, a re-run tries again"))
            else:
                new = _rows_from_events(item, result)
                rows.extend(new)
                self.notify("stored", item, len(new))
        return rows

    def _problem(self, problem: InputProblem) -> None:
        self.report.problems.append(problem)
        self.notify("problem", problem, 0)
