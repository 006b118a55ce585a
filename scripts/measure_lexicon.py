"""Coverage of the trigger lexicon on labelled sentences (a measurement, not a test).

For each sentence: parse with spaCy, run ``TriggerLexicon.match`` on every token, and check
whether the gold CAMEO code's root is among the roots of the matched codes. Reports, per set:

- coverage: share of gold events whose root is matched by some token of the sentence;
- exact: share whose full gold code is matched;
- root-verb: share where the match on the sentence's syntactic root (if any) has the gold root;
- matches/sentence: how many tokens matched (a noise indicator).

Sets (read in place from ../shared/data):
- ``petr2``: training/petr2_gsr_validation/records.jsonl (event_codings[].eventcode);
- ``codebook``: ontology/cameo/cameo_event_descriptions.jsonl (the manual's example sentence
  for each code; codes without an example, and 010/014/017, are skipped).

Usage::

    .venv/bin/python scripts/measure_lexicon.py [--shared ../shared/data] [--misses N]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNCODED = {"010", "014", "017"}


def petr2(shared: Path) -> list[tuple[str, list[str]]]:
    out = []
    path = shared / "training" / "petr2_gsr_validation" / "records.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        codes = [c["eventcode"] for c in rec.get("event_codings", []) if c.get("eventcode")]
        if codes:
            out.append((rec["text"], codes))
    return out


def codebook(shared: Path) -> list[tuple[str, list[str]]]:
    out = []
    path = shared / "ontology" / "cameo" / "cameo_event_descriptions.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["example"] and rec["code"] not in UNCODED and len(rec["code"]) > 2:
            # The manual appends coding notes to some examples: keep the sentence only.
            out.append((rec["example"].split(" Note:")[0], [rec["code"]]))
    return out


def measure(name: str, items, nlp, lex, misses: int) -> None:
    """Print coverage figures for one labelled set."""
    events = covered = exact = root_hit = n_matches = 0
    missed = []
    for doc, (text, gold) in zip(nlp.pipe(t for t, _ in items), items):
        matches = [m for m in (lex.match(t) for t in doc) if m]
        codes = {m.code for m in matches}
        roots = {c[:2] for c in codes}
        root_tok = next((t for t in doc if t.dep_ == "ROOT"), None)
        root_match = lex.match(root_tok) if root_tok is not None else None
        n_matches += len(matches)
        for code in set(gold):
            events += 1
            covered += code[:2] in roots
            exact += code in codes
            root_hit += bool(root_match and root_match.code[:2] == code[:2])
            if code[:2] not in roots:
                missed.append((code, sorted(codes), text[:110]))
    print(f"{name}: {len(items)} sentences, {events} gold events; "
          f"coverage (gold root among matched roots) {covered / events:.1%}, "
          f"exact code {exact / events:.1%}, sentence-root verb has gold root "
          f"{root_hit / events:.1%}, {n_matches / len(items):.1f} matches/sentence")
    for code, got, text in missed[:misses]:
        print(f"   miss {code}: got {got} | {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--misses", type=int, default=0, help="print this many misses per set")
    args = parser.parse_args(argv)
    from eventwire import nlp as _nlp
    from eventwire.verbs import TriggerLexicon

    nlp, lex = _nlp.load(), TriggerLexicon.load()
    n_rows = sum(len(lex.entries(lemma)) for lemma in lex.lemmas())
    print(f"lexicon: {n_rows} verb rows (incl. light-verb rows), {len(lex.lemmas())} lemmas, "
          f"{len(lex.nouns())} event nouns")
    measure("petr2_gsr_validation", petr2(args.shared), nlp, lex, args.misses)
    measure("codebook examples", codebook(args.shared), nlp, lex, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
