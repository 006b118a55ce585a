"""The eventwire command line: a thin shell over the Python API.

Examples:
  eventwire code examples/articles/             # summary table of the bundled examples
  eventwire code article.html --format jsonl --output events.jsonl
  cat story.txt | eventwire code - --published 2023-01-24
  eventwire eval                                 # score on the bundled and shared gold sets
"""
from __future__ import annotations

import argparse
import csv
import importlib
import io
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Optional, TextIO

from . import __version__
from .limits import TimeLimitExceeded
from .records import Article, Event, InputProblem

EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="eventwire", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"eventwire {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("code", help="code articles into event records",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Code news articles (text, HTML, JSONL, RSS/Atom; files, "
                       "directories, - for stdin) into event records.\n\nExample:\n"
                       "  eventwire code examples/articles/ --format jsonl --output events.jsonl")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--format", choices=("jsonl", "csv", "table"), default="table")
    c.add_argument("--published", type=_date, default=None,
                   help="publication date for inputs that carry none (YYYY-MM-DD)")
    c.add_argument("--output", "-o", default=None, help="write here instead of stdout")
    c.add_argument("--dictionaries", default=None, metavar="DIR",
                   help="directory of Phoenix-format actor dictionaries (office holders with "
                   "date ranges), e.g. ../shared/data/petrarch2")
    c.add_argument("--jsonl-copy", default=None,
                   help="also write the events as JSON Lines to this file")

    e = sub.add_parser("eval", help="score the coder on gold sets",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Score the coder against gold sets (ANNOTATION.md rules).\n\n"
                       "Examples:\n  eventwire eval\n"
                       "  eventwire eval --gold my.gold.jsonl --articles my.articles.jsonl")
    e.add_argument("--gold", action="append", default=[],
                   help="eventwire gold JSONL (repeatable); default: the bundled sets")
    e.add_argument("--articles", action="append", default=[],
                   help="articles JSONL for each --gold, in the same order")
    e.add_argument("--petr", action="append", default=[],
                   help="PETRARCH2 validation records.jsonl to score as well")
    e.add_argument("--shared", default=os.environ.get("EVENTWIRE_SHARED"),
                   help="the shared data directory (default ../shared/data)")
    e.add_argument("--dictionaries", default=None, metavar="DIR",
                   help="Phoenix-format actor dictionaries (default: <shared>/petrarch2 if "
                   "present; 'none' to score without them)")
    e.add_argument("--errors", default=None, help="write per-event errors (JSONL) here")
    e.add_argument("--format", choices=("text", "json"), default="text")
    e.add_argument("--classifier", choices=("rules+model", "rules", "model"),
                   default="rules+model",
                   help="who proposes event types (compare them on the same gold sets)")
    e.add_argument("--floors", default=None, metavar="FILE",
                   help="fail (exit 1) when a figure drops below its pinned floor, e.g. "
                   "eval/gold/floors.json")
    e.add_argument("--update-floors", action="store_true",
                   help="write the figures of this run as the new floors (with --floors)")
    e.add_argument("--allow-regression", action="store_true",
                   help="let --update-floors lower a floor (say why in your change)")
    handlers = {}
    for module in _COMMAND_MODULES:  # each registers its subcommands: name -> handler
        handlers.update(importlib.import_module(f"{__package__}.{module}").register(sub))
    p.set_defaults(handlers=handlers)
    return p


# Modules that add subcommands (each has ``register(subparsers) -> {name: handler}``):
# cli_store: ingest, query, export, watch.
_COMMAND_MODULES = ("cli_store", "cli_web", "cli_doctor")


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "code":
        return cmd_code(args)
    if args.command == "eval":
        return cmd_eval(args)
    if args.command in args.handlers:
        return args.handlers[args.command](args)
    return EXIT_USAGE


# -- code -------------------------------------------------------------------------------------

def cmd_code(args) -> int:
    from .ingest import iter_inputs
    from .pipeline import default_coder

    problems: list[InputProblem] = []
    n_articles = 0

    def articles() -> Iterator[Article]:
        nonlocal n_articles
        for item in iter_inputs(args.paths, published=args.published):
            if isinstance(item, InputProblem):
                problems.append(item)
                print(f"eventwire: {item}", file=sys.stderr)
                continue
            if item.published is None:
                print(f"eventwire: {item.origin or item.id}: W-NODATE no publication date; "
                      f"event dates cannot be resolved (use --published)", file=sys.stderr)
            n_articles += 1
            yield item

    def failed(article, exc):
        nonlocal n_articles
        n_articles -= 1  # not coded: counted as refused, like any other input problem
        if isinstance(exc, TimeLimitExceeded):  # settings.max_article_seconds
            problems.append(InputProblem(article.origin or article.id, exc.code,
                                         f"{exc.reason}; skipped"))
            print(f"eventwire: {problems[-1]}", file=sys.stderr)
            return
        problems.append(InputProblem(article.origin or article.id, "E-CODE", str(exc)))
        print(f"eventwire: {article.origin or article.id}: E-CODE coding failed: "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)

    events = default_coder(_settings(args.dictionaries)).code_many(articles(), on_error=failed)
    out: TextIO = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    copy = open(args.jsonl_copy, "w", encoding="utf-8") if args.jsonl_copy else None
    try:
        n_events = write_events(events, out, args.format, copy=copy)
    finally:
        if args.output:
            out.close()
        if copy:
            copy.close()
    print(f"eventwire: {n_articles} articles coded, {n_events} events, "
          f"{len(problems)} inputs refused", file=sys.stderr)
    return EXIT_OK if n_articles else EXIT_NOTHING


CSV_FIELDS = ["event_id", "article_id", "published", "date_start", "date_end", "precision",
              "background", "source", "source_text", "cameo", "cameo_label", "plover",
              "target", "target_text", "place", "country", "lat", "lon", "claimants",
              "modality", "confidence", "sentence"]


def flat(ev: Event) -> dict:
    d = ev.to_dict()
    src, tgt, where = d["source"] or {}, d["target"] or {}, d["where"] or {}
    return {
        "event_id": d["event_id"], "article_id": d["article"]["id"],
        "published": d["article"]["published"], "date_start": d["when"]["start"],
        "date_end": d["when"]["end"], "precision": d["when"]["precision"],
        "background": d["background"], "source": src.get("code"), "source_text": src.get("text"),
        "cameo": d["cameo"]["code"], "cameo_label": d["cameo"]["label"],
        "plover": d["plover"]["type"], "target": tgt.get("code"), "target_text": tgt.get("text"),
        "place": where.get("name"), "country": where.get("country"), "lat": where.get("lat"),
        "lon": where.get("lon"), "claimants": "; ".join(d["attribution"]["claimants"]),
        "modality": d["modality"], "confidence": d["confidence"], "sentence": d["sentence"],
    }


def write_events(events: Iterable[Event], out: TextIO, fmt: str, *,
                 copy: Optional[TextIO] = None) -> int:
    n = 0
    rows = []
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
        writer.writeheader()
    for ev in events:
        n += 1
        if copy is not None:
            copy.write(json.dumps(ev.to_dict(), ensure_ascii=False) + "\n")
        if fmt == "jsonl":
            out.write(json.dumps(ev.to_dict(), ensure_ascii=False) + "\n")
        elif fmt == "csv":
            writer.writerow(flat(ev))
        else:
            rows.append(flat(ev))
    if fmt == "table":
        out.write(render_table(rows))
    return n


def render_table(rows: list[dict]) -> str:
    cols = [("article_id", "article", 18), ("date_start", "date", 10), ("source", "source", 9),
            ("cameo", "code", 4), ("cameo_label", "event", 28), ("target", "target", 9),
            ("place", "place", 12), ("background", "bg", 3), ("modality", "modality", 9),
            ("claimants", "claimed by", 22)]
    buf = io.StringIO()
    buf.write("  ".join(h.ljust(w) for _, h, w in cols).rstrip() + "\n")
    buf.write("  ".join("-" * w for _, _, w in cols) + "\n")
    for r in rows:
        cells = []
        for key, _, w in cols:
            v = r.get(key)
            v = "yes" if v is True else "" if v in (False, None) else str(v)
            cells.append((v[: w - 1] + "…" if len(v) > w else v).ljust(w))
        buf.write("  ".join(cells).rstrip() + "\n")
    buf.write(f"({len(rows)} events)\n")
    return buf.getvalue()


def _settings(dictionaries: Optional[str]):
    from dataclasses import replace
    from .settings import DEFAULT
    return replace(DEFAULT, dictionary_dir=dictionaries) if dictionaries else DEFAULT


# -- eval -------------------------------------------------------------------------------------

def _shared_dir(arg: Optional[str]) -> Optional[Path]:
    for cand in ([Path(arg)] if arg else []) + [Path.cwd().parent / "shared" / "data",
                                                Path(__file__).resolve().parents[3].parent
                                                / "shared" / "data"]:
        if cand.is_dir():
            return cand
    return None


def default_gold_sets(shared: Optional[Path]) -> list[tuple[str, Path, Path]]:
    """(name, gold, articles) for the gold sets bundled with the repository."""
    root = Path(__file__).resolve().parents[2]
    sets = []
    ex = root / "examples" / "gold.jsonl"
    if ex.is_file():
        sets.append(("examples", ex, root / "examples" / "articles"))
    nd = root / "eval" / "gold" / "news-dev.gold.jsonl"
    if nd.is_file() and shared is not None:
        sets.append(("news-dev", nd, shared / "news-dev" / "articles.jsonl"))
    return sets


def cmd_eval(args) -> int:
    from . import evaluate
    from .pipeline import default_coder

    shared = _shared_dir(args.shared)
    specs = list(zip(["gold%d" % i for i in range(len(args.gold))],
                     map(Path, args.gold), map(Path, args.articles)))
    if args.gold and len(args.articles) != len(args.gold):
        print("eventwire: E-USAGE give one --articles per --gold", file=sys.stderr)
        return EXIT_USAGE
    petr = [Path(p) for p in args.petr]
    if not args.gold and not args.petr:
        specs = default_gold_sets(shared)
        if shared is not None:
            petr = [shared / "training" / "petr2_gsr_validation" / "records.jsonl"]
    sets = []
    for name, gold, arts in specs:
        if arts.is_dir():
            sets.append(_examples_set(name, gold, arts))
        else:
            sets.append(evaluate.load_eventwire_gold(gold, arts, name=name))
    if not args.gold and not args.petr and shared is not None:
        gw = Path(__file__).resolve().parents[2] / "eval" / "gold" / "gigaword.gold.jsonl"
        xml = shared / "petrarch2" / "GigaWord.sample.PETR.xml"
        if gw.is_file() and xml.is_file():
            sets.append(evaluate.load_gigaword(gw, xml))
    sets += [evaluate.load_petr_records(p) for p in petr]
    unit = shared / "petrarch2" / "PETR.UnitTest.records.xml" if shared else None
    if not args.gold and not args.petr and unit is not None and unit.is_file():
        sets.append(evaluate.load_petr_xml(unit))
        petr.append(unit)
    gsr = shared / "ontology" / "plover" / "plover_gsr_cameo_v0.5b1.json" if shared else None
    if not args.gold and not args.petr and gsr is not None and gsr.is_file():
        sets.append(evaluate.load_plover_gsr(gsr))
        petr.append(gsr)  # its file is hashed for the floors like the PETRARCH records
    if not sets:
        print("eventwire: E-NOGOLD no gold sets found (give --gold/--articles)", file=sys.stderr)
        return EXIT_USAGE
    dicts = args.dictionaries
    if dicts is None and shared is not None and (shared / "petrarch2").is_dir():
        dicts = str(shared / "petrarch2")
    dicts = None if dicts == "none" else dicts
    print(f"eventwire: actor dictionaries: {dicts or 'none (built-in lexicon only)'}",
          file=sys.stderr)
    from dataclasses import replace

    def coder_for(gold_set):  # a set written against its own dictionaries is coded with them
        return default_coder(replace(_settings(gold_set.dictionaries or dicts),
                                     classifier=args.classifier))

    reports = [evaluate.score(s, list(coder_for(s).code_many(s.articles))) for s in sets]
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as fh:
            for r in reports:
                for e in r.errors:
                    fh.write(json.dumps({"set": r.name, **e}, ensure_ascii=False) + "\n")
    main_rep = next((r for r in reports if r.name == "news-dev"), reports[0])
    status = EXIT_OK
    if args.floors:
        status = _floors(args, reports, {s.name: s for s in sets}, specs, petr)
    if args.format == "json":
        print(json.dumps({"sets": [r.as_dict() for r in reports], "main": main_rep.name,
                          "F1": round(main_rep.dyad.f1, 3)}, indent=2))
        return status
    for r in reports:
        print(evaluate.format_report(r))
    print(f"F1 {main_rep.dyad.f1:.3f}")
    return status


def _floors(args, reports, sets, specs, petr) -> int:
    """Check (or, with --update-floors, re-pin) the accuracy floors of each gold set."""
    from . import floors
    gold_files = {name: gold for name, gold, _ in specs}
    kinds = {".json": "plover-gsr", ".xml": "petr2-unit-tests"}
    gold_files.update({kinds.get(p.suffix, "petr2-gsr-validation"): p for p in petr})
    gw = Path(__file__).resolve().parents[2] / "eval" / "gold" / "gigaword.gold.jsonl"
    if "gigaword" in sets:
        gold_files["gigaword"] = gw
    path = Path(args.floors)
    if args.update_floors:
        problems = floors.update(path, reports, gold_files, allow_regression=args.allow_regression)
    else:
        problems = floors.check(path, reports, gold_files)
    for line in problems:
        print(f"eventwire: {line}", file=sys.stderr)
    return EXIT_NOTHING if problems else EXIT_OK


def _examples_set(name: str, gold: Path, folder: Path):
    """The bundled examples: gold refers to the example files by their Id header."""
    from . import evaluate
    from .ingest import iter_inputs
    arts = [a for a in iter_inputs([folder]) if isinstance(a, Article)]
    events = [evaluate.GoldEvent.from_json(json.loads(ln))
              for ln in gold.read_text("utf-8").splitlines() if ln.strip()]
    return evaluate.GoldSet(name, arts, events)


if __name__ == "__main__":
    sys.exit(main())
