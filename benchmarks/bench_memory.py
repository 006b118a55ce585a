"""Peak resident memory (RSS) of each Dask worker after coding (target <= 1.5 GB per worker).

Each worker holds one coder: the spaCy pipeline, lexicons, gazetteer and classifier. The
figure is the worker process's own peak (``ru_maxrss``), read on the worker.

    python benchmarks/bench_memory.py [--quick]
"""
from __future__ import annotations

import argparse
import sys
from typing import Optional

import corpus as corpus_mod

GB = 1024 ** 3


def measure(engine) -> dict:
    """Peak RSS (bytes) of every worker of ``engine``."""
    return {"workers": engine.peak_rss()}


def report(r: dict) -> list[str]:
    peaks = r["workers"]
    top = max(peaks.values()) if peaks else 0
    each = ", ".join(f"{v / GB:.2f}" for _, v in sorted(peaks.items()))
    return [f"peak RSS per worker: {each} GB; max {top / GB:.2f} GB (target <= 1.5 GB)"]


def main(argv: Optional[list[str]] = None) -> int:
    import bench_scale
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true")
    args = p.parse_args(argv)
    arts = corpus_mod.sample(corpus_mod.build(300), 16 if args.quick else 200)
    engine = bench_scale.start(2)
    try:
        from eventwire import scale
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            scale.run(arts, out=d, engine=engine, options=scale.ScaleOptions(engine="dask"))
        r = measure(engine)
    finally:
        engine.close()
    for line in report(r):
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
