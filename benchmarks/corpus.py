"""The benchmark corpus: several thousand ~500-word articles, built deterministically at run
time from the bundled examples and, read in place, the labelled data in ../shared/data (never
copied into the repository).

Articles, in this order:
- the 7 bundled example articles (examples/articles, CC0) and the 50 news-dev articles, once
  each, as they are;
- composites: synthetic news stories of ``training/ngec_synthetic_plover`` (MIT; GPT-written,
  clearly fictitious) joined as paragraphs until an article reaches ``words`` words, picked by
  a seeded random generator, dated across 2023.

    python benchmarks/corpus.py --articles 3000 --parquet corpus.parquet   # for the CLI
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SYNTHETIC = Path("training") / "ngec_synthetic_plover" / "synthetic_stories.jsonl"
NEWS_DEV = Path("news-dev") / "articles.jsonl"
SEED = 2026


def _stories(shared: Path) -> list[str]:
    path = shared / SYNTHETIC
    if not path.is_file():
        sys.exit(f"benchmarks: {path} not found (the corpus reads ../shared/data in place)")
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"].strip() for line in fh if line.strip()]
    # drop the few fragments (a handful of words): they are not stories
    return [t for t in texts if len(t.split()) >= 60]


def _real(shared: Path):
    from eventwire.ingest import iter_inputs
    from eventwire.records import Article
    items = list(iter_inputs([ROOT / "examples" / "articles"]))
    if (shared / NEWS_DEV).is_file():
        items += list(iter_inputs([shared / NEWS_DEV]))
    return [a for a in items if isinstance(a, Article)]


def build(n_articles: int = 3000, *, words: int = 500, seed: int = SEED,
          shared: Path = SHARED) -> list:
    """``n_articles`` Articles (the real ones first), each about ``words`` words or more."""
    from eventwire.records import Article
    real = _real(shared)[:n_articles]
    stories = _stories(shared)
    rng = random.Random(seed)
    out = list(real)
    day0 = date(2023, 1, 1)
    for i in range(n_articles - len(out)):
        parts, count = [], 0
        while count < words:
            story = stories[rng.randrange(len(stories))]
            if count + len(story.split()) > words * 1.3 and count >= words * 0.7:
                break  # near enough: do not overshoot by a whole story
            parts.append(story)
            count += len(story.split())
        out.append(Article(id=f"bench-{i:05d}", text="\n\n".join(parts),
                           published=day0 + timedelta(days=i % 365),
                           publisher="eventwire benchmark", origin="benchmarks/corpus.py"))
    return out


def sample(articles: list, n: int) -> list:
    """``n`` articles spread evenly over the corpus (real and composite ones mixed)."""
    step = max(1, len(articles) // max(n, 1))
    return articles[::step][:n]


def word_count(articles) -> int:
    return sum(len(a.text.split()) for a in articles)


def write_parquet(articles, path: Path) -> None:
    """The corpus as ``eventwire ingest`` reads it: id, url, title, published, text."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    rows = [{"id": a.id, "url": a.url, "title": a.title, "published": a.published,
             "text": a.text} for a in articles]
    schema = pa.schema([("id", pa.string()), ("url", pa.string()), ("title", pa.string()),
                        ("published", pa.date32()), ("text", pa.string())])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--articles", type=int, default=3000)
    p.add_argument("--words", type=int, default=500)
    p.add_argument("--parquet", type=Path, default=None, help="write the corpus here")
    args = p.parse_args(argv)
    arts = build(args.articles, words=args.words)
    print(f"corpus: {len(arts)} articles, {word_count(arts):,} words "
          f"({word_count(arts) / len(arts):.0f} per article)")
    if args.parquet:
        write_parquet(arts, args.parquet)
        print(f"written to {args.parquet}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
