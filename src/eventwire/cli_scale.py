"""Scale-out options of ``eventwire ingest`` (a thin shell over :mod:`eventwire.scale`).

``cli_store`` builds the ``ingest`` command; it calls :func:`add_ingest_options` to add
``--engine``, ``--workers``, ``--scheduler``, ``--out``, ``--partition-size`` and
``--checkpoint``, and :func:`scaled_ingest` first in its handler: a run that needs the scale
path (the dask engine, Parquet in or out, a checkpoint) is done here, anything else goes on
down the plain ingest path unchanged.
"""
from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Optional

from .cli_store import _err, _progress, progress_reporter

EXIT_OK, EXIT_NOTHING, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3
DEFAULT_DB = "events.duckdb"

EPILOG = """\
Scale-out (docs/scale.md):
  eventwire ingest corpus.parquet --engine dask --workers 2 --db events.duckdb
  eventwire ingest corpus.parquet --engine dask --workers 2 --out events/   # Parquet only
  eventwire ingest corpus.parquet --engine dask --scheduler tcp://head:8786 --out events/
A re-run with the same inputs skips the partitions a killed run finished (--checkpoint)."""


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return n


def add_ingest_options(p: argparse.ArgumentParser) -> None:
    """Add the scale-out options to the ``ingest`` parser."""
    g = p.add_argument_group("scale-out (docs/scale.md)")
    g.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local: this process; dask: Dask distributed workers (default local)")
    g.add_argument("--workers", type=_positive, default=2,
                   help="dask: worker processes of the local cluster, one thread each "
                   "(default 2)")
    g.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="dask: address of a running cluster's scheduler, e.g. "
                   "tcp://head:8786 (then --workers is the cluster's own)")
    g.add_argument("--out", default=None, metavar="DIR",
                   help="also write events as Parquet, one file per partition "
                   "(DIR/part-NNNNN.parquet); without --db, write Parquet only")
    g.add_argument("--partition-size", type=_positive, default=64, metavar="N",
                   help="articles per task and checkpoint (default 64)")
    g.add_argument("--checkpoint", default=None, metavar="FILE",
                   help="finished partitions (default DIR/_checkpoint.jsonl with --out, "
                   "DB.checkpoint.jsonl for a DuckDB file)")
    # --db defaults to events.duckdb unless --out is given (then: Parquet only)
    p.set_defaults(db=None)
    p.epilog = EPILOG


def wants_scale(args) -> bool:
    """True when the run needs the scale path rather than the plain ingest."""
    return bool(getattr(args, "engine", "local") != "local" or getattr(args, "out", None)
                or getattr(args, "checkpoint", None)
                or any(str(p).lower().endswith(".parquet") for p in args.paths))


def scaled_ingest(args) -> Optional[int]:
    """Run ``ingest`` on the scale path and return its exit status, or None (after filling
    in the default ``--db``) when the plain ingest should run."""
    if not wants_scale(args):
        args.db = args.db or DEFAULT_DB
        return None
    from . import scale
    from .settings import DEFAULT
    from .store import StoreError, open_store

    settings = DEFAULT
    if args.dictionaries:
        settings = replace(settings, dictionary_dir=args.dictionaries)
    db = args.db or (None if args.out else DEFAULT_DB)
    options = scale.ScaleOptions(engine=args.engine, workers=args.workers,
                                 scheduler=args.scheduler, partition_size=args.partition_size,
                                 checkpoint=args.checkpoint or _default_checkpoint(db, args.out))
    if args.scheduler and args.engine != "dask":
        _err("E-USAGE --scheduler needs --engine dask")
        return EXIT_USAGE
    try:
        store = open_store(db) if db else None
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR
    bar = _progress(args.progress)
    try:
        items = scale.iter_corpus(args.paths, published=args.published, settings=settings)
        report = scale.run(items, store=store, out=args.out, options=options,
                           settings=settings, batch_size=args.batch_size,
                           on_item=progress_reporter(
                               args, bar, {"events": 0, "errors": 0, "duplicates": 0,
                                           "resumed": 0}))
        totals = store.counts() if store is not None else None
    except scale.ScaleError as exc:
        _err(str(exc))
        return EXIT_USAGE
    finally:
        if bar is not None:
            bar.close()
        if store is not None:
            store.close()
    _summary(report, db, args.out, totals)
    return EXIT_OK if report.articles else EXIT_NOTHING


def _default_checkpoint(db: Optional[str], out: Optional[str]) -> Optional[str]:
    if out:
        return str(Path(out) / "_checkpoint.jsonl")
    if db and "://" not in db:
        return f"{db}.checkpoint.jsonl"
    return None  # PostgreSQL: the store's content hashes alone make the re-run cheap


def _summary(report, db, out, totals) -> None:
    _err(report.summary())
    if report.ingest is not None:
        _err(report.ingest.summary())
    if totals is not None:
        _err(f"store {db}: {totals['articles']} articles ({totals['duplicates']} "
             f"near-duplicates), {totals['events']} events, {totals['stories']} stories")
    if out:
        _err(f"{len(report.parquet_files)} Parquet files written to {out}")
