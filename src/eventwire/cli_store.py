"""The store commands: ``ingest``, ``query``, ``export``, ``watch`` (a thin shell over
:mod:`eventwire.store`, :mod:`eventwire.export` and :mod:`eventwire.watch`).

``register(sub)`` adds them to the main parser's subparsers and returns name -> handler;
``main(argv)`` runs them on their own (``python -m eventwire.cli_store ingest ...``).
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import date
from typing import Callable, Optional

EXIT_OK, EXIT_NOTHING, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3
DEFAULT_DB = "events.duckdb"
_RAW = argparse.RawDescriptionHelpFormatter


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None


def _bbox(value: str) -> tuple[float, ...]:
    try:
        box = tuple(float(v) for v in value.split(","))
    except ValueError:
        box = ()
    if len(box) != 4:
        raise argparse.ArgumentTypeError(f"expected MIN_LON,MIN_LAT,MAX_LON,MAX_LAT, got "
                                         f"{value!r}")
    return box


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB,
                   help=f"DuckDB file or postgresql:// URL (default {DEFAULT_DB})")


def _add_filters(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters (combined with AND)")
    g.add_argument("--from", dest="date_from", type=_date, metavar="DATE",
                   help="event's own date on or after DATE (not the article's date)")
    g.add_argument("--to", dest="date_to", type=_date, metavar="DATE",
                   help="event's own date on or before DATE")
    g.add_argument("--actor", help="source or target: code prefix (SYR, SYRGOV) or name text")
    g.add_argument("--source", help="source actor: code prefix or name text")
    g.add_argument("--target", help="target actor: code prefix or name text")
    g.add_argument("--country", help="ISO3 country of the event's place")
    g.add_argument("--cameo", help="CAMEO code prefix, e.g. 04 or 043")
    g.add_argument("--plover", help="PLOVER event type, e.g. ASSAULT")
    g.add_argument("--bbox", type=_bbox, metavar="W,S,E,N",
                   help="place within MIN_LON,MIN_LAT,MAX_LON,MAX_LAT")
    g.add_argument("--background", dest="background", action="store_const", const=True,
                   help="only background events (retold history)")
    g.add_argument("--no-background", dest="background", action="store_const", const=False,
                   help="only news events (not background)")
    g.add_argument("--claimant", help="text in a claimant ('according to ...')")
    g.add_argument("--text", help="text in the event's sentence")
    g.add_argument("--modality", choices=("asserted", "negated", "intended", "hypothetical",
                                          "demanded"))


def _filters(args) -> dict:
    from .store import EventFilter
    return {n: getattr(args, n) for n in EventFilter.names()
            if getattr(args, n, None) is not None}


def register(sub) -> dict[str, Callable]:
    """Add ingest, query, export and watch to ``sub`` (argparse subparsers)."""
    i = sub.add_parser("ingest", help="code articles into an event store",
                       formatter_class=_RAW, description=(
                           "Code articles into a store, one transaction per article. Re-running "
                           "skips stored articles (same text); near-duplicates are linked to "
                           "their original.\n\nExample:\n  eventwire ingest examples/articles/ "
                           "--db events.duckdb"))
    i.add_argument("paths", nargs="+", metavar="PATH")
    _add_db(i)
    i.add_argument("--published", type=_date, default=None,
                   help="publication date for inputs that carry none (YYYY-MM-DD)")
    i.add_argument("--dictionaries", default=None, metavar="DIR",
                   help="Phoenix-format actor dictionaries (see eventwire code --help)")
    i.add_argument("--batch-size", type=int, default=None,
                   help="articles parsed together and written in one transaction "
                        "(default settings.batch_size)")
    i.add_argument("--verbose", "-v", action="store_true",
                   help="one line per article on stderr (stored / duplicate / exists)")
    i.add_argument("--progress", choices=("auto", "on", "off"), default="auto",
                   help="progress bar on stderr (auto: when stderr is a terminal)")
    # -- scale-out (issue 6, src/eventwire/cli_scale.py): --engine --workers --scheduler
    #    --out --partition-size --checkpoint, Parquet in/out
    from .cli_scale import add_ingest_options
    add_ingest_options(i)
    # -- end scale-out

    q = sub.add_parser("query", help="select events from a store",
                       formatter_class=_RAW, description=(
                           "Select events by filters, or run read-only SQL.\n\nExamples:\n"
                           "  eventwire query --db events.duckdb --actor SYR --from 2023-01-01\n"
                           "  eventwire query --db events.duckdb --format jsonl --cameo 19\n"
                           "  eventwire query --db events.duckdb --sql \"SELECT cameo_root, "
                           "COUNT(*) FROM events GROUP BY 1\""))
    _add_db(q)
    _add_filters(q)
    q.add_argument("--sql", help="one read-only SELECT over the tables of docs/store.md")
    q.add_argument("--stories", action="store_true",
                   help="list story events (with NumArticles/NumSources) instead of events")
    q.add_argument("--limit", type=int, default=None)
    q.add_argument("--format", choices=("table", "csv", "jsonl", "parquet"), default="table")
    q.add_argument("--output", "-o", default=None, help="write here (required for parquet)")

    e = sub.add_parser("export", help="export a store (GDELT, PLOVER, Parquet, CSV, JSONL)",
                       formatter_class=_RAW, description=(
                           "Export events: gdelt = GDELT 2.0 event-table TSV (one row per story "
                           "event), plover = PLOVER JSON lines.\n\nExample:\n"
                           "  eventwire export --db events.duckdb --format gdelt --output "
                           "events.tsv"))
    _add_db(e)
    e.add_argument("--format", required=True,
                   choices=("gdelt", "plover", "parquet", "csv", "jsonl"))
    e.add_argument("--output", "-o", default=None, help="output file (default stdout)")
    e.add_argument("--header", action="store_true", help="gdelt: write a header line")
    _add_filters(e)

    w = sub.add_parser("watch", help="poll RSS/Atom feeds into a store",
                       formatter_class=_RAW, description=(
                           "Poll feeds (a file of URLs, one a line, or an OPML file), fetch new "
                           "articles, code and store them.\n\nExample:\n"
                           "  eventwire watch feeds.txt --db events.duckdb --interval 600"))
    w.add_argument("feeds", metavar="FEEDS", help="file of feed URLs, or OPML")
    _add_db(w)
    w.add_argument("--interval", type=float, default=300.0, help="seconds between polls")
    w.add_argument("--cycles", type=int, default=None,
                   help="stop after this many polls (default: run until interrupted)")
    w.add_argument("--timeout", type=float, default=10.0, help="seconds per HTTP fetch")
    w.add_argument("--max-bytes", type=int, default=None,
                   help="largest response accepted (default settings.max_input_bytes)")
    w.add_argument("--no-pages", action="store_true",
                   help="store the feed entries' own text; do not fetch article pages")
    w.add_argument("--dictionaries", default=None, metavar="DIR")
    return {"ingest": cmd_ingest, "query": cmd_query, "export": cmd_export, "watch": cmd_watch}


def _settings(args):
    from .settings import DEFAULT
    out = DEFAULT
    if getattr(args, "dictionaries", None):
        out = replace(out, dictionary_dir=args.dictionaries)
    return out


def progress_reporter(args, bar, counts: dict):
    """The ``on_item`` callback of an ingest (local or scaled): counts, errors, ``-v`` lines
    and the progress bar. ``counts`` holds the keys shown on the bar."""
    def on_item(status, item, n_events):
        counts["events"] += n_events
        if status == "problem":
            counts["errors"] += 1
            _err(str(item))
        elif status == "duplicate":
            counts["duplicates"] += 1
        elif status == "checkpointed":
            counts["resumed"] += 1
        if args.verbose and status != "problem":
            print(f"eventwire: {status} {item.id} ({n_events} events)", file=sys.stderr,
                  flush=True)
        if bar is not None:
            bar.update(1)
            bar.set_postfix(counts, refresh=False)
    return on_item


def _err(message: str) -> None:
    print(f"eventwire: {message}", file=sys.stderr)


# -- ingest -----------------------------------------------------------------------------------

def cmd_ingest(args) -> int:
    # -- scale-out (issue 6): the dask engine, Parquet in/out and checkpoints run there
    from .cli_scale import scaled_ingest
    status = scaled_ingest(args)
    if status is not None:
        return status
    # -- end scale-out
    from .ingest import iter_inputs
    from .store import StoreError, open_store

    try:
        store = open_store(args.db)
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR
    bar = _progress(args.progress)
    on_item = progress_reporter(args, bar, {"events": 0, "errors": 0, "duplicates": 0})
    with store:
        items = iter_inputs(args.paths, published=args.published, settings=_settings(args))
        report = store.ingest(items, settings=_settings(args), batch_size=args.batch_size,
                              on_item=on_item)
        totals = store.counts()
    if bar is not None:
        bar.close()
    _err(report.summary())
    _err(f"store {args.db}: {totals['articles']} articles ({totals['duplicates']} "
         f"near-duplicates), {totals['events']} events, {totals['stories']} stories")
    # Articles refused while coding (E-CODE, E-TIMEOUT) count as refused inputs.
    refused = sum(p.code in ("E-CODE", "E-TIMEOUT") for p in report.problems)
    return EXIT_OK if report.read > refused else EXIT_NOTHING


def _progress(mode: str):
    if mode == "off" or (mode == "auto" and not sys.stderr.isatty()):
        return None
    from tqdm import tqdm
    return tqdm(unit=" articles", file=sys.stderr, dynamic_ncols=True)


# -- query ------------------------------------------------------------------------------------

def cmd_query(args) -> int:
    from .export import flat_value, write_csv, write_parquet
    from .store import StoreError, open_store

    if args.format == "parquet" and not args.output:
        _err("E-USAGE --format parquet needs --output FILE")
        return EXIT_USAGE
    try:
        with open_store(args.db, read_only=True) as store:
            if args.sql:
                rows = store.sql(args.sql)
                columns = list(rows[0]) if rows else []
                data = [tuple(r.values()) for r in rows]
            elif args.stories:
                data = store.stories(limit=args.limit)
                columns = ["story_id", "date_start", "source_code", "cameo_code", "target_code",
                           "place_country", "num_mentions", "num_articles", "num_sources",
                           "publishers"]
                if args.format != "jsonl":
                    data = [tuple("; ".join(s[c]) if c == "publishers" else s[c]
                                  for c in columns) for s in data]
            elif args.format == "jsonl":
                data, columns = store.events(limit=args.limit, **_filters(args)), None
            else:
                columns, data = store.event_rows(limit=args.limit, **_filters(args))
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR
    if args.format == "parquet":
        write_parquet(columns, data, args.output)
        _err(f"{len(data)} rows written to {args.output}")
        return EXIT_OK if data else EXIT_NOTHING
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        if args.format == "jsonl":
            for rec in data:
                if not isinstance(rec, dict):
                    rec = dict(zip(columns, rec))
                out.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
        elif args.format == "csv":
            write_csv(columns, data, out)
        else:
            out.write(render(columns, [[flat_value(c, v) for c, v in zip(columns, r)]
                                       for r in data]))
    finally:
        if args.output:
            out.close()
    return EXIT_OK if data else EXIT_NOTHING


_WIDTHS = {"sentence": 60, "source_text": 20, "target_text": 20, "cameo_label": 28,
           "claimants": 24, "source_name": 18, "target_name": 18, "place_name": 16}
_TABLE_COLUMNS = ("date_start", "source_code", "cameo_code", "cameo_label", "target_code",
                  "place_name", "background", "claimants", "article_id")


def render(columns: list[str], rows: list[list]) -> str:
    """A plain-text table; event rows show the main columns only (use csv for all)."""
    keep = [c for c in _TABLE_COLUMNS if c in columns] if "event_id" in columns else columns
    index = [columns.index(c) for c in keep]
    cells = [[_text(r[i]) for i in index] for r in rows]
    widths = [min(max([len(c)] + [len(r[k]) for r in cells]), _WIDTHS.get(c, 24))
              for k, c in enumerate(keep)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(keep, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for r in cells:
        lines.append("  ".join((v if len(v) <= w else v[:w - 1] + "…").ljust(w)
                               for v, w in zip(r, widths)).rstrip())
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines) + "\n"


def _text(value) -> str:
    if value is None or value is False:
        return ""
    return "yes" if value is True else str(value)


# -- export -----------------------------------------------------------------------------------

def cmd_export(args) -> int:
    from .export import export
    from .store import StoreError, open_store

    try:
        with open_store(args.db, read_only=True) as store:
            n = export(store, args.output, format=args.format, header=args.header,
                       **_filters(args))
    except (StoreError, ValueError) as exc:
        _err(str(exc))
        return EXIT_USAGE if str(exc).startswith("E-EXPORT") else EXIT_ERROR
    _err(f"{n} {'story events' if args.format == 'gdelt' else 'records'} exported"
         f"{' to ' + args.output if args.output else ''}")
    return EXIT_OK if n else EXIT_NOTHING


# -- watch ------------------------------------------------------------------------------------

def cmd_watch(args) -> int:
    from .store import StoreError, open_store
    from .watch import Watcher, WatchOptions, read_feed_list

    try:
        feeds = read_feed_list(args.feeds)
    except (OSError, ValueError) as exc:
        _err(str(exc))
        return EXIT_USAGE
    settings = _settings(args)
    options = WatchOptions(interval=args.interval, timeout=args.timeout,
                           max_bytes=args.max_bytes or settings.max_input_bytes,
                           fetch_pages=not args.no_pages)
    try:
        store = open_store(args.db)
    except StoreError as exc:
        _err(str(exc))
        return EXIT_ERROR
    _err(f"watching {len(feeds)} feeds every {args.interval:g} s into {args.db}")
    with store:
        watcher = Watcher(store, feeds, options=options, settings=settings,
                          log=lambda line: _err(line))
        try:
            watcher.run(cycles=args.cycles)
        except KeyboardInterrupt:
            _err("stopped")
    return EXIT_OK


def main(argv: Optional[list[str]] = None) -> int:
    """Run the store commands without the main CLI (tests, ``python -m``)."""
    p = argparse.ArgumentParser(prog="eventwire", formatter_class=_RAW)
    sub = p.add_subparsers(dest="command", required=True)
    handlers = register(sub)
    args = p.parse_args(argv)
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
