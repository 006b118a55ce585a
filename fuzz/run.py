"""The long fuzz run: ``python fuzz/run.py --cases 100000``.

Spreads the cases over the targets of :mod:`fuzz.targets` by weight (readers get most: they
face the hostile bytes), generates them with hypothesis, and, with ``--atheris N``, adds N
coverage-guided byte-level cases for the readers (atheris/libFuzzer, in a subprocess). Unlike a
test, it does not stop at the first failure: every distinct crash (exception type and the
innermost eventwire frame) is counted, with the shortest input that raised it.

Prints one line per target (cases, distinct crashes, slowest case, peak RSS) and the crashes,
and writes the same as JSON (``--json``). Exit status 1 when anything crashed or hung, or when
the process outgrew ``--max-rss-mb``.

Examples::

    python fuzz/run.py --cases 100000 --atheris 20000 --json fuzz-report.json
    python fuzz/run.py --cases 2000 --targets readers,dates --seed 7
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed as hseed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fuzz import targets as T  # noqa: E402

# Share of the cases per target. spaCy-backed targets cost ~10x a reader case.
WEIGHTS = {"readers": 50, "dates": 25, "places": 12, "date-context": 5, "event-place": 5,
           "coder": 3}
# One ordinary case per target, run untimed first so loading is not counted as slowness.
WARM_UP = {
    "readers": (b"Iran and Iraq signed a trade agreement in Baghdad.", "text", "a.txt"),
    "dates": ("last week", T.date(2023, 1, 24), False),
    "places": ("Basra", ["IRQ"]),
    "date-context": ("Iran and Iraq met in Baghdad on Monday.", T.date(2023, 1, 24), 1),
    "event-place": ("Iran and Iraq met in Baghdad on Monday.", 1, ["IRQ"]),
    "coder": ("Iran and Iraq met in Baghdad on Monday.", T.date(2023, 1, 24)),
}


@dataclass
class Outcome:
    """What one target's run found."""

    target: str
    cases: int = 0
    seconds: float = 0.0
    slowest: float = 0.0
    crashes: collections.Counter = field(default_factory=collections.Counter)
    examples: dict = field(default_factory=dict)

    def record(self, exc: BaseException, case) -> None:
        sig = ("[known] " if T.known_bug(exc) else "") + signature(exc)
        self.crashes[sig] += 1
        text = repr(case)
        if sig not in self.examples or len(text) < len(self.examples[sig]):
            self.examples[sig] = text[:4000]


def signature(exc: BaseException) -> str:
    """Exception type, innermost eventwire frame (else innermost frame), first message words."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/eventwire/" in f.filename] or frames[-1:]
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    message = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__} at {where}: {message}"


def _bodies() -> dict[str, tuple[Callable, st.SearchStrategy]]:
    """Each target: (function of one drawn case, strategy of cases). Heavy resources load
    once, on first use."""
    cache: dict[str, object] = {}

    def nlp():
        if "nlp" not in cache:
            from eventwire import nlp as _nlp
            cache["nlp"] = _nlp.load()
        return cache["nlp"]

    def gazetteer():
        if "gaz" not in cache:
            from eventwire.geo import Gazetteer
            cache["gaz"] = Gazetteer()
        return cache["gaz"]

    def coder():
        if "coder" not in cache:
            from eventwire.pipeline import default_coder
            cache["coder"] = default_coder()
        return cache["coder"]

    sentences = st.one_of(T.wire_sentences(), T.wire_articles(), st.text(max_size=200))
    return {
        "readers": (lambda c: T.check_read(*c), T.reader_inputs()),
        "dates": (lambda c: T.check_resolve(*c),
                  st.tuples(T.date_expressions(), T.publication_dates, st.booleans())),
        "places": (lambda c: T.check_lookup(gazetteer(), *c),
                   st.tuples(T.place_names(), T.iso3_lists)),
        "date-context": (lambda c: T.check_date_context(nlp(), *c),
                         st.tuples(sentences, st.one_of(st.none(), T.publication_dates),
                                   st.integers(0, 1000))),
        "event-place": (lambda c: T.check_event_place(nlp(), gazetteer(), *c),
                        st.tuples(sentences, st.integers(0, 1000), T.iso3_lists)),
        "coder": (lambda c: T.check_code(coder(), *c),
                  st.tuples(T.wire_articles(), st.one_of(st.none(), T.publication_dates))),
    }


def run_target(name: str, cases: int, seed_value: int) -> Outcome:
    """Generate ``cases`` inputs for one target; record, never raise."""
    body, strategy = _bodies()[name]
    out = Outcome(name)
    try:  # load the target's resources (spaCy, gazetteer) before any case is timed
        body(WARM_UP[name])
    except Exception:  # noqa: BLE001 - a crash on the warm-up case is counted below too
        pass

    @hseed(seed_value)
    @settings(max_examples=cases, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def one(case):
        out.cases += 1
        started = time.monotonic()
        try:
            body(case)
        except Exception as exc:  # noqa: BLE001 - counting crashes is the point
            out.record(exc, case)
        out.slowest = max(out.slowest, time.monotonic() - started)

    started = time.monotonic()
    one()
    out.seconds = time.monotonic() - started
    return out


def run_atheris(cases: int, seed_value: int) -> Outcome:
    """Coverage-guided reader fuzzing in a subprocess (libFuzzer exits the process at the end)."""
    out = Outcome("readers-atheris")
    with tempfile.TemporaryDirectory() as tmp:
        findings = Path(tmp) / "findings.jsonl"
        started = time.monotonic()
        proc = subprocess.run([sys.executable, str(Path(__file__).with_name("atheris_readers.py")),
                               str(findings), f"-runs={cases}", f"-seed={seed_value}",
                               "-max_len=8192", "-rss_limit_mb=4096"],
                              capture_output=True, text=True, cwd=ROOT)
        out.seconds = time.monotonic() - started
        done = [ln for ln in proc.stderr.splitlines() if ln.startswith("Done ")]
        out.cases = int(done[-1].split()[1]) if done else 0
        if proc.returncode and not done:
            out.crashes[f"atheris exited {proc.returncode}: {proc.stderr[-300:]}"] += 1
        if findings.exists():
            for line in findings.read_text("utf-8").splitlines():
                rec = json.loads(line)
                out.crashes[rec["signature"]] += 1
                out.examples.setdefault(rec["signature"], rec["input"])
                out.slowest = max(out.slowest, rec.get("seconds", 0.0))
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _split(total: int, names: list[str]) -> dict[str, int]:
    weights = {n: WEIGHTS[n] for n in names}
    share = {n: total * w // sum(weights.values()) for n, w in weights.items()}
    share[names[0]] += total - sum(share.values())
    return share


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, default=100_000, help="hypothesis cases, all targets")
    p.add_argument("--atheris", type=int, default=0, help="extra atheris cases (readers)")
    p.add_argument("--targets", default=",".join(WEIGHTS), help="comma-separated subset")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-rss-mb", type=float, default=3000.0)
    p.add_argument("--json", default=None, help="write the report here")
    args = p.parse_args(argv)
    names = [n for n in args.targets.split(",") if n]
    unknown = set(names) - set(WEIGHTS)
    if unknown:
        p.error(f"unknown targets {sorted(unknown)}; known: {', '.join(WEIGHTS)}")
    outcomes = []
    for name, cases in _split(args.cases, names).items():
        outcomes.append(run_target(name, cases, args.seed))
        _print(outcomes[-1])
    if args.atheris:
        outcomes.append(run_atheris(args.atheris, args.seed))
        _print(outcomes[-1])
    return _report(outcomes, args)


def _print(o: Outcome) -> None:
    print(f"{o.target:<16} {o.cases:>8} cases  {sum(o.crashes.values()):>5} failing "
          f"({len(o.crashes)} distinct)  slowest {o.slowest:6.2f} s  {o.seconds:7.1f} s  "
          f"peak RSS {_rss_mb():6.0f} MB", flush=True)


def _report(outcomes: list[Outcome], args) -> int:
    total = sum(o.cases for o in outcomes)
    crashes = {s: (o.target, n, o.examples.get(s)) for o in outcomes for s, n in o.crashes.items()}
    hangs = [o.target for o in outcomes if o.slowest > T.CASE_SECONDS]
    failing = sum(n for _, n, _ in crashes.values())
    print(f"TOTAL {total} cases ({failing} failing), {len(crashes)} distinct crashes "
          f"({sum(s.startswith('[known]') for s in crashes)} known), {len(hangs)} targets with "
          f"hangs, peak RSS {_rss_mb():.0f} MB (limit {args.max_rss_mb:.0f} MB), "
          f"seed {args.seed}, python {sys.version.split()[0]}, pid {os.getpid()}")
    for sig, (target, n, example) in sorted(crashes.items()):
        print(f"  [{target}] x{n} {sig}\n      e.g. {example}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "total_cases": total, "peak_rss_mb": round(_rss_mb()),
            "targets": [{"target": o.target, "cases": o.cases, "seconds": round(o.seconds, 1),
                         "slowest": round(o.slowest, 3), "crashes": dict(o.crashes),
                         "examples": o.examples} for o in outcomes]}, indent=2), "utf-8")
    return 1 if crashes or hangs or _rss_mb() > args.max_rss_mb else 0


if __name__ == "__main__":
    sys.exit(main())
