"""The store writer alone: the same pre-coded articles written per article (ingest batch 1:
one transaction, one set of statements per article) and batched (ingest batch 32: one
transaction and one INSERT per table per batch), into a fresh store each, in one run.

The corpus is ``corpus.build`` (the real articles first, then composites) plus syndicated
copies (one word changed: linked as near-duplicates) and exact repeats (skipped), so every
writer path runs. The articles are coded once, before any timing; each timed ingest gets their
events from a coder that hands them back, so the timings are the store's own work: the
content-hash skips, MinHash and the near-duplicate lookup, story assignment, the inserts and
the commits. Wall and CPU (this process, all threads) per input article; the two stores must
end up identical (checked, not assumed).

    python benchmarks/bench_store.py [--articles 300] [--cache coded.pickle] [--pg URL]

``--cache`` keeps the coded articles in a pickle between runs (coding is the slow part);
``--pg`` measures a PostgreSQL database too (it is emptied first: give a throwaway one).
"""
from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

import corpus as corpus_mod

BATCHED = 32
EVERY_COPY, EVERY_REPEAT = 12, 25


def inputs(n: int) -> list:
    """``n`` corpus articles, a one-word-edited copy after every 12th, a repeat every 25th."""
    from dataclasses import replace
    out = []
    for i, a in enumerate(corpus_mod.build(n)):
        out.append(a)
        if i % EVERY_COPY == 5:
            words = a.text.split(" ")
            words[len(words) // 2] = "reportedly"
            out.append(replace(a, id=f"{a.id}-copy", text=" ".join(words),
                               publisher="syndicating outlet"))
        if i % EVERY_REPEAT == 7:
            out.append(replace(a, id=f"{a.id}-again"))
    return out


def coded(articles: list, cache: Optional[Path]) -> dict:
    """content hash -> the article's events (coded in batches, as ingest does)."""
    if cache and cache.is_file():
        data = pickle.loads(cache.read_bytes())
        if set(data) >= {a.content_hash for a in articles}:
            return data
    from eventwire.pipeline import default_coder
    from eventwire.store.ingest import code_articles
    coder, out = default_coder(), {}
    todo = list({a.content_hash: a for a in articles}.values())
    for i in range(0, len(todo), BATCHED):
        chunk = todo[i:i + BATCHED]
        for article, result in zip(chunk, code_articles(coder, chunk)):
            out[article.content_hash] = result if isinstance(result, list) else []
    if cache:
        cache.write_bytes(pickle.dumps(out))
    return out


class Recorded:
    """A coder that hands back events coded earlier."""

    def __init__(self, events: dict):
        self.events = events

    def code(self, article):
        return list(self.events[article.content_hash])


def contents(store) -> tuple:
    arts = store.sql("SELECT article_key, id, duplicate_of, similarity, n_events FROM articles "
                     "ORDER BY article_key")
    evs = store.sql("SELECT article_key, event_id, story_id, record FROM events "
                    "ORDER BY article_key, event_id")
    sts = store.sql("SELECT story_id, source_code, target_code, cameo_code, date_start, "
                    "date_end, place_country, first_article_key FROM stories ORDER BY story_id")
    bands = store.sql("SELECT band_key, article_key FROM article_bands "
                      "ORDER BY band_key, article_key")
    return arts, evs, sts, bands


def one_run(url: str, items: list, events: dict, batch_size: int) -> dict:
    from eventwire.store import open_store
    with open_store(url) as store:
        wall, cpu = time.perf_counter(), time.process_time()
        report = store.ingest(items, coder=Recorded(events), batch_size=batch_size)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return {"wall": wall, "cpu": cpu, "report": report, "contents": contents(store),
                "counts": store.counts()}


def _empty_pg(url: str) -> None:
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def measure(label: str, url_for, items: list, events: dict) -> list[str]:
    one_run(url_for("warm-up"), items[:3], events, 1)  # imports and first statements untimed
    runs = {}
    for name, size in (("per-article", 1), ("batched", BATCHED)):
        runs[name] = one_run(url_for(name), items, events, size)
    one, many = runs["per-article"], runs["batched"]
    same = one["contents"] == many["contents"]
    n = len(items)
    lines = []
    for name, r in runs.items():
        rep = r["report"]
        lines.append(f"{label} {name:>11} (batch {1 if name == 'per-article' else BATCHED:>2}): "
                     f"{1000 * r['wall'] / n:6.1f} ms/article wall, {1000 * r['cpu'] / n:6.1f} "
                     f"ms/article CPU ({rep.stored} stored, {rep.duplicates} near-duplicates, "
                     f"{rep.exists} already stored, {rep.events} events)")
    lines.append(f"{label} batched vs per-article: {one['wall'] / many['wall']:.2f}x wall, "
                 f"{one['cpu'] / many['cpu']:.2f}x CPU; stores identical: {same}")
    if not same:
        lines.append(f"{label} DIFFERENT STORES: counts {one['counts']} vs {many['counts']}")
    return lines


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--articles", type=int, default=300)
    p.add_argument("--cache", type=Path, default=None, help="pickle of the coded articles")
    p.add_argument("--pg", default=None, help="a throwaway PostgreSQL database URL (emptied)")
    args = p.parse_args(argv)
    items = inputs(args.articles)
    started = time.perf_counter()
    events = coded(items, args.cache)
    n_events = sum(len({e.event_id for e in evs}) for evs in events.values())
    print(f"store corpus: {len(items)} inputs ({len(events)} distinct texts, {n_events} events;"
          f" coded in {time.perf_counter() - started:.0f} s, not timed)", flush=True)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        lines = measure("DuckDB", lambda name: str(Path(tmp) / f"{name}.duckdb"), items,
                        events)
        print("\n".join(lines), flush=True)
        ok = ok and "DIFFERENT" not in lines[-1]
    if args.pg:
        def pg(name: str) -> str:
            _empty_pg(args.pg)
            return args.pg
        lines = measure("PostgreSQL", pg, items, events)
        print("\n".join(lines), flush=True)
        ok = ok and "DIFFERENT" not in lines[-1]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
