"""Do two versions of the code give byte-identical event records? For speed work: codes a fixed
set of articles and writes every event record as sorted JSONL, to compare before and after.

Articles: the bundled examples (examples/articles), the 50 news-dev articles (read in place
from ../shared/data) and ``--bench`` composite articles of the benchmark corpus
(benchmarks/corpus.py, spread evenly over its first 3000). Each line is the record of
DESIGN.md plus the fields the record leaves out (``extras``, ``sentence_index``), keys sorted.

    python benchmarks/check_identical.py --out /tmp/before.jsonl        # on the old code
    python benchmarks/check_identical.py --out /tmp/after.jsonl --against /tmp/before.jsonl

With ``--against`` it exits 1 and names the first differing records when the files differ.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Optional

import corpus as corpus_mod


def articles(n_bench: int) -> list:
    """The fixed article set: real articles first, then ``n_bench`` composites."""
    real = corpus_mod._real(corpus_mod.SHARED)
    composites = [a for a in corpus_mod.build(3000) if a.id.startswith("bench-")]
    return real + corpus_mod.sample(composites, n_bench)


def records(arts: list, classifier: Optional[str] = None) -> list[str]:
    from eventwire.pipeline import Coder
    from eventwire.settings import DEFAULT
    settings = replace(DEFAULT, classifier=classifier) if classifier else DEFAULT
    errors: list[str] = []
    coder = Coder(settings=settings)
    lines = []
    for ev in coder.code_many(arts, on_error=lambda a, exc: errors.append(f"{a.id}: {exc!r}")):
        rec = ev.to_dict()
        rec["extras"] = ev.extras
        rec["sentence_index"] = ev.sentence_index
        lines.append(json.dumps(rec, ensure_ascii=False, sort_keys=True, default=str))
    lines += [json.dumps({"error": e}) for e in errors]
    return sorted(lines)


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, required=True, help="JSONL file to write")
    p.add_argument("--against", type=Path, help="compare with this earlier output")
    p.add_argument("--bench", type=int, default=150, help="composite articles (default 150)")
    p.add_argument("--classifier", choices=("rules", "rules+model", "model"),
                   help="override Settings.classifier")
    args = p.parse_args(argv)
    arts = articles(args.bench)
    lines = records(arts, args.classifier)
    args.out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    print(f"{len(arts)} articles, {len(lines)} records -> {args.out}")
    if args.against is None:
        return 0
    if args.against.read_bytes() == args.out.read_bytes():
        print(f"identical to {args.against}")
        return 0
    old = args.against.read_text(encoding="utf-8").splitlines()
    gone, new = sorted(set(old) - set(lines)), sorted(set(lines) - set(old))
    print(f"DIFFERENT from {args.against}: {len(gone)} records only there, {len(new)} only here")
    for tag, group in (("-", gone), ("+", new)):
        for line in group[:3]:
            print(f"{tag} {line[:300]}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
