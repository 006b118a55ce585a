"""Throughput of the full pipeline against the practical limit, bare spaCy ``nlp.pipe`` over
the same texts, in one process (articles/s, words/s, their ratio; target >= 0.85).

"Bare" is ``spacy.load(settings.model)`` as shipped (no eventwire component); "full" is
``Coder.code_many``: eventwire's parse (with its sentence-break component) and every coding
stage. The two alternate for ``rounds`` rounds after a warm-up and the best round of each
counts (other processes on a shared machine only ever slow a round down). Wall-clock time
decides; CPU time of the process is printed beside it.

    python benchmarks/bench_throughput.py [--quick]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Optional

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one thread, as on a Dask worker (before numpy loads)

import corpus as corpus_mod  # noqa: E402


def _timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(articles, *, rounds: int = 2) -> dict:
    """Time bare parsing and the full pipeline over ``articles``; returns the figures."""
    import spacy
    from eventwire.pipeline import default_coder
    from eventwire.settings import DEFAULT

    coder = default_coder(DEFAULT)
    bare = spacy.load(DEFAULT.model)
    texts = [a.text for a in articles]
    list(bare.pipe(texts[:8], batch_size=DEFAULT.batch_size))  # warm-up: lazy tables, caches
    list(coder.code_many(articles[:8]))
    runs: dict[str, list[tuple[float, float]]] = {"bare": [], "full": []}
    for _ in range(rounds):
        runs["bare"].append(_timed(lambda: list(bare.pipe(texts, batch_size=DEFAULT.batch_size))))
        runs["full"].append(_timed(lambda: list(coder.code_many(articles))))
    bare_wall = min(w for w, _ in runs["bare"])
    full_wall = min(w for w, _ in runs["full"])
    bare_cpu = min(c for _, c in runs["bare"])
    full_cpu = min(c for _, c in runs["full"])
    return {"articles": len(articles), "words": corpus_mod.word_count(articles),
            "bare_seconds": bare_wall, "full_seconds": full_wall,
            "bare_cpu": bare_cpu, "full_cpu": full_cpu,
            "ratio": bare_cpu / full_cpu, "wall_ratio": bare_wall / full_wall}


def report(r: dict) -> list[str]:
    w, n = r["words"], r["articles"]
    return [
        f"throughput corpus: {n} articles, {w:,} words",
        f"bare spaCy nlp.pipe: {w / r['bare_cpu']:,.0f} words/s, "
        f"{n / r['bare_cpu']:.2f} articles/s per core (wall: {w / r['bare_seconds']:,.0f} "
        f"words/s)",
        f"full pipeline (code_many): {w / r['full_cpu']:,.0f} words/s, "
        f"{n / r['full_cpu']:.2f} articles/s per core (wall: {w / r['full_seconds']:,.0f} "
        f"words/s)",
        f"full / bare: {r['ratio']:.2f} (target >= 0.85; by wall-clock time "
        f"{r['wall_ratio']:.2f})",
    ]


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--articles", type=int, default=None)
    args = p.parse_args(argv)
    n = args.articles or (24 if args.quick else 300)
    arts = corpus_mod.sample(corpus_mod.build(max(n, 300)), n)
    r = measure(arts, rounds=1 if args.quick else 2)
    for line in report(r):
        print(line, flush=True)
    print(f"ratio {r['ratio']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
