"""Run every benchmark once and print the figures (docs/scale.md records them).

    python benchmarks/run.py            # full: 3,000-article corpus, larger samples
    python benchmarks/run.py --quick    # under a minute; last line: ratio <full / bare parse>

Each figure is a ratio measured within this one run (full pipeline vs bare spaCy parse on
the same texts; 2 vs 1 Dask workers on the same articles), so it holds on the machine at hand.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Optional

import bench_throughput  # first: it pins BLAS to one thread before numpy loads
import bench_memory  # noqa: E402
import bench_scale  # noqa: E402
import corpus as corpus_mod  # noqa: E402


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small samples: under a minute")
    p.add_argument("--articles", type=int, default=None, help="corpus size (default 3000)")
    args = p.parse_args(argv)
    started = time.perf_counter()
    size = args.articles or (300 if args.quick else 3000)
    corpus = corpus_mod.build(size)
    print(f"machine: {os.cpu_count()} cores; load average {_load()}", flush=True)
    print(f"corpus: {len(corpus)} articles, {corpus_mod.word_count(corpus):,} words "
          f"(generated from examples/ and ../shared/data; seed {corpus_mod.SEED})", flush=True)
    n_tp, n_scale = (20, 32) if args.quick else (240, 320)
    engine = bench_scale.start(2)  # starts while nothing else runs: a clean start-up figure
    try:
        tp = bench_throughput.measure(corpus_mod.sample(corpus, n_tp),
                                      rounds=1 if args.quick else 2)
        _print(bench_throughput.report(tp))
        sample = corpus_mod.sample(corpus[1:], n_scale)  # other articles than the above
        rounds = 1 if args.quick else 2
        runs = [bench_scale.measure(sample, engine, partition_size=8 if args.quick else 32,
                                    rounds=rounds)]
        if not args.quick:
            runs.append(bench_scale.measure(sample, engine, partition_size=32, store=True,
                                            rounds=rounds))
        for r in runs:
            _print(bench_scale.report(r))
        _print(bench_memory.report(bench_memory.measure(engine)))
    finally:
        engine.close()
    print(f"benchmarks took {time.perf_counter() - started:.0f} s; load average {_load()} "
          f"(other processes on the machine slow the wall-clock figures)", flush=True)
    print(f"ratio {tp['ratio']:.2f}")
    return 0


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _print(lines: list[str]) -> None:
    for line in lines:
        print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
