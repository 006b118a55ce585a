"""Validate an eventwire gold file against its articles and the CAMEO/PLOVER tables.

Usage (from the repository root):

    python scripts/check_gold.py [ARTICLES] [--gold GOLD] [--ontology DIR]

ARTICLES defaults to ../shared/data/news-dev/articles.jsonl (relative to the repository),
GOLD to eval/gold/news-dev.gold.jsonl, DIR to ../shared/data/ontology. The tables are read
in place. Every problem is printed with the gold line number; the exit status is 1 when
there is any problem, else 0. On success the counts are printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLES = REPO.parent / "shared" / "data" / "news-dev" / "articles.jsonl"
DEFAULT_GOLD = REPO / "eval" / "gold" / "news-dev.gold.jsonl"
DEFAULT_ONTOLOGY = REPO.parent / "shared" / "data" / "ontology"

FIELDS = (
    "article_id", "quote", "source_actor", "target_actor", "cameo", "cameo_root", "plover",
    "when", "background", "where", "claimants", "modality", "optional",
)
OPTIONAL_FIELDS = ("note",)
MODALITIES = {"asserted", "intended", "hypothetical", "negated", "demanded"}
ROLES = {
    "GOV", "MIL", "REB", "SEP", "OPP", "COP", "JUD", "LEG", "SPY", "BUS", "CVL", "NGO", "REF",
    # further CAMEO roles that a gold file may use (cameo_actor_types.csv)
    "LAB", "MED", "EDU", "HLH", "CRM", "ELI", "HRI", "AGR", "INS", "UAF", "ENV", "DEV", "PKO",
}
# IGOs and named groups (ANNOTATION.md) plus the CAMEO known-group codes we use.
GROUPS = {
    "UN", "EU", "NATO", "AU", "ICJ", "ICC", "ALQ", "TAL", "IGO", "NGO", "UNK", "HMS", "HEZ",
    "PLO", "IAEA", "OAU", "ASEAN", "APEC", "WTO", "IMF", "WBK", "IRC", "AMN", "HRW", "MSF",
    "OPEC", "ARL", "OAS", "GCC", "CWN", "ECOWAS", "SADC", "PLS", "FTA", "ISJ", "OIC",
}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ACTOR_RE = re.compile(r"^[A-Z]{3}[A-Z]{0,6}$")


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space and strip, as the scorer does."""
    return re.sub(r"\s+", " ", text).strip()


def load_articles(path: Path) -> dict[str, str]:
    """Map article id -> collapsed text for a JSON Lines articles file."""
    if not path.exists():
        raise SystemExit(f"articles file not found: {path}")
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                out[rec["id"]] = collapse(rec["text"])
    return out


def load_codes(ontology: Path) -> tuple[set[str], dict[str, str]]:
    """Return the CAMEO code set and the CAMEO -> PLOVER type map (crosswalk first)."""
    codes_path = ontology / "cameo" / "cameo_event_codes.csv"
    walk_path = ontology / "plover" / "cameo_to_plover.csv"
    with codes_path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    codes = {r["code"] for r in rows}
    plover = {r["code"]: r["plover_type"] for r in rows if r["plover_type"]}
    with walk_path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            plover[r["cameo_code"]] = r["plover_type"]
    return codes, plover


def expected_plover(code: str, plover: dict[str, str]) -> str | None:
    """PLOVER type for a CAMEO code: null for roots 01/02, else the crosswalk row for the
    code, its root's '0' row (e.g. 04 -> 040) or its three-digit parent."""
    if code[:2] in ("01", "02"):
        return None
    for key in (code, code + "0" if len(code) == 2 else "", code[:3]):
        if key in plover:
            return plover[key]
    return None


def parse_when(value: str) -> tuple[date, date] | None:
    """Parse YYYY, YYYY-MM, YYYY-MM-DD or start/end; None when malformed or reversed."""
    parts = value.split("/")
    if len(parts) > 2 or not all(DATE_RE.match(p) for p in parts):
        return None
    try:
        start = _bound(parts[0], first=True)
        end = _bound(parts[-1], first=False)
    except ValueError:
        return None
    return (start, end) if start <= end else None


def _bound(text: str, first: bool) -> date:
    bits = [int(b) for b in text.split("-")]
    if len(bits) == 3:
        return date(*bits)
    if len(bits) == 2:
        if first:
            return date(bits[0], bits[1], 1)
        nxt = date(bits[0] + (bits[1] == 12), bits[1] % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(bits[0], 1, 1) if first else date(bits[0], 12, 31)


def check_actor(value: str, allow_empty: bool) -> str | None:
    """Return a problem description for an actor field, or None when it is well formed."""
    if value == "":
        return None if allow_empty else "empty source actor"
    for alt in value.split("|"):
        if alt in GROUPS:
            continue
        if not ACTOR_RE.match(alt):
            return f"malformed actor alternative {alt!r}"
        if alt[:3] not in GROUPS and len(alt) > 3 and alt[3:] not in ROLES:
            return f"unknown role in actor alternative {alt!r}"
    return None


def check_record(rec: dict, articles: dict[str, str], codes: set[str],
                 plover: dict[str, str]) -> list[str]:
    """All problems of one gold record (empty list when it is clean)."""
    probs = [f"missing field {f}" for f in FIELDS if f not in rec]
    extra = set(rec) - set(FIELDS) - set(OPTIONAL_FIELDS)
    probs += [f"unknown field {f}" for f in sorted(extra)]
    if probs:
        return probs
    text = articles.get(rec["article_id"])
    if text is None:
        probs.append(f"unknown article_id {rec['article_id']!r}")
    elif collapse(rec["quote"]) not in text:
        probs.append(f"quote not in article text: {rec['quote']!r}")
    code, root = rec["cameo"], rec["cameo_root"]
    if code not in codes:
        probs.append(f"unknown CAMEO code {code!r}")
    if len(root) != 2 or not code.startswith(root):
        probs.append(f"cameo {code!r} does not start with cameo_root {root!r}")
    if code in codes and rec["plover"] != expected_plover(code, plover):
        probs.append(f"plover {rec['plover']!r} != crosswalk {expected_plover(code, plover)!r}")
    if not isinstance(rec["when"], str) or parse_when(rec["when"]) is None:
        probs.append(f"unparseable when {rec['when']!r}")
    for name, empty_ok in (("source_actor", False), ("target_actor", True)):
        problem = check_actor(rec[name], empty_ok)
        if problem:
            probs.append(f"{name}: {problem}")
    if not isinstance(rec["background"], bool) or not isinstance(rec["optional"], bool):
        probs.append("background and optional must be booleans")
    if rec["where"] is not None and not isinstance(rec["where"], str):
        probs.append("where must be a string or null")
    if not isinstance(rec["claimants"], list) or not all(isinstance(c, str) for c in rec["claimants"]):
        probs.append("claimants must be a list of strings")
    if rec["modality"] not in MODALITIES:
        probs.append(f"unknown modality {rec['modality']!r}")
    if code.startswith("03") and rec["modality"] not in ("intended", "negated", "hypothetical"):
        probs.append("03x event should be intended (or negated/hypothetical)")
    return probs


def main(argv: list[str] | None = None) -> int:
    """Check the gold file; print problems or counts; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("articles", nargs="?", type=Path, default=DEFAULT_ARTICLES)
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--ontology", type=Path, default=DEFAULT_ONTOLOGY)
    args = ap.parse_args(argv)
    articles = load_articles(args.articles)
    codes, plover = load_codes(args.ontology)
    records, bad = [], 0
    with args.gold.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                print(f"{args.gold}:{lineno}: invalid JSON: {err}")
                bad += 1
                continue
            for problem in check_record(rec, articles, codes, plover):
                print(f"{args.gold}:{lineno}: {rec.get('article_id')}: {problem}")
                bad += 1
            records.append(rec)
    covered = sorted({r.get("article_id") for r in records})
    roots = Counter(r.get("cameo_root") for r in records)
    print(f"articles covered: {len(covered)} ({covered[0] if covered else '-'} .. "
          f"{covered[-1] if covered else '-'})")
    print(f"events: {len(records)}  required: {sum(not r.get('optional') for r in records)}  "
          f"optional: {sum(bool(r.get('optional')) for r in records)}  "
          f"background: {sum(bool(r.get('background')) for r in records)}  "
          f"with claimants: {sum(bool(r.get('claimants')) for r in records)}")
    print("by root: " + " ".join(f"{k}:{v}" for k, v in sorted(roots.items())))
    print(f"problems: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
