"""Validate an eventwire gold file against its articles and the CAMEO/PLOVER tables.

Usage (from the repository root):

    python scripts/check_gold.py [ARTICLES] [--gold GOLD] [--ontology DIR]
    python scripts/check_gold.py --gigaword XML [--gold GOLD] [--ontology DIR]

ARTICLES defaults to ../shared/data/news-dev/articles.jsonl (relative to the repository),
GOLD to eval/gold/news-dev.gold.jsonl, DIR to ../shared/data/ontology. With --gigaword, the
"articles" are the <Sentence> elements of a PETRARCH-style XML file (article_id = the
Sentence's id attribute, text = its <Text>, whitespace collapsed) and GOLD defaults to
eval/gold/gigaword.gold.jsonl. The tables and the XML are read in place. Every problem is
printed with the gold line number; the exit status is 1 when there is any problem, else 0.
On success the counts are printed.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLES = REPO.parent / "shared" / "data" / "news-dev" / "articles.jsonl"
DEFAULT_GOLD = REPO / "eval" / "gold" / "news-dev.gold.jsonl"
DEFAULT_GIGAWORD_GOLD = REPO / "eval" / "gold" / "gigaword.gold.jsonl"
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
    "OPEC", "ARL", "OAS", "GCC", "CWN", "ECOWAS", "SADC", "PLS", "FTA", "ISJ", "OIC", "MBR",
}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ACTOR_RE = re.compile(r"^[A-Z]{3}[A-Z]{0,6}$")


def collapse(text: str) -> str:
    """Collapse runs of whitespace to one space and strip, as the scorer does."""
    return re.sub(r"\s+", " ", text).strip()


def load_articles(path: Path) -> dict[str, list[str]]:
    """Map article id -> [collapsed text] for a JSON Lines articles file."""
    if not path.exists():
        raise SystemExit(f"articles file not found: {path}")
    out: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                out.setdefault(rec["id"], []).append(collapse(rec["text"]))
    return out


def load_sentences(path: Path) -> dict[str, list[str]]:
    """Map Sentence id -> collapsed <Text> of every <Sentence> in a PETRARCH-style XML file.

    A list, because the PETRARCH2 GigaWord sample reuses one id (GOLD_9) for two different
    sentences; a quote may then come from either. Empty <Text> elements give "".
    """
    if not path.exists():
        raise SystemExit(f"sentence XML file not found: {path}")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise SystemExit(f"{path}: not well-formed XML: {err}") from err
    out: dict[str, list[str]] = {}
    for sent in root.iter("Sentence"):
        sid = sent.get("id")
        if sid is None:
            raise SystemExit(f"{path}: a <Sentence> has no id attribute")
        text_el = sent.find("Text")
        text = collapse(text_el.text or "") if text_el is not None else ""
        out.setdefault(sid, []).append(text)
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


def check_record(rec: dict, articles: dict[str, list[str]], codes: set[str],
                 plover: dict[str, str]) -> list[str]:
    """All problems of one gold record (empty list when it is clean)."""
    probs = [f"missing field {f}" for f in FIELDS if f not in rec]
    extra = set(rec) - set(FIELDS) - set(OPTIONAL_FIELDS)
    probs += [f"unknown field {f}" for f in sorted(extra)]
    if probs:
        return probs
    texts = articles.get(rec["article_id"])
    if texts is None:
        probs.append(f"unknown article_id {rec['article_id']!r}")
    elif not any(collapse(rec["quote"]) in text for text in texts):
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


def read_gold(path: Path, articles: dict[str, list[str]], codes: set[str],
              plover: dict[str, str]) -> tuple[list[dict], int]:
    """Read and check every gold line; print each problem; return (records, problem count)."""
    if not path.exists():
        raise SystemExit(f"gold file not found: {path}")
    records, bad = [], 0
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                print(f"{path}:{lineno}: invalid JSON: {err}")
                bad += 1
                continue
            for problem in check_record(rec, articles, codes, plover):
                print(f"{path}:{lineno}: {rec.get('article_id')}: {problem}")
                bad += 1
            records.append(rec)
    return records, bad


def print_counts(records: list[dict]) -> None:
    """Print coverage, event, attribute and root counts of a gold file."""
    covered = sorted({r.get("article_id") for r in records})
    req = [r for r in records if not r.get("optional")]
    roots = Counter(r.get("cameo_root") for r in records)
    modality = Counter(r.get("modality") for r in records)
    print(f"articles covered: {len(covered)} ({covered[0] if covered else '-'} .. "
          f"{covered[-1] if covered else '-'})")
    print(f"events: {len(records)}  required: {len(req)}  optional: {len(records) - len(req)}  "
          f"background: {sum(bool(r.get('background')) for r in records)} "
          f"({sum(bool(r.get('background')) for r in req)} required)  "
          f"with claimants: {sum(bool(r.get('claimants')) for r in records)} "
          f"({sum(bool(r.get('claimants')) for r in req)} required)")
    print("modality: " + " ".join(f"{k}:{v}" for k, v in sorted(modality.items())))
    print("by root: " + " ".join(f"{k}:{v}" for k, v in sorted(roots.items())))


def print_sentence_coverage(records: list[dict], sentences: dict[str, list[str]]) -> None:
    """Gigaword mode: report duplicate ids, empty sentences and sentences without events."""
    n_sent = sum(len(texts) for texts in sentences.values())
    dups = sorted(sid for sid, texts in sentences.items() if len(texts) > 1)
    empty = sorted(sid for sid, texts in sentences.items() if not any(texts))
    with_event = {r.get("article_id") for r in records}
    with_req = {r.get("article_id") for r in records if not r.get("optional")}
    none = sorted(set(sentences) - with_event)
    only_opt = sorted(with_event - with_req)
    print(f"sentences: {n_sent} ({len(sentences)} distinct ids; duplicate ids: "
          f"{', '.join(dups) or '-'}; empty <Text>: {len(empty)})")
    print(f"ids with no event: {len(none)} ({', '.join(none) or '-'})")
    print(f"ids with optional events only: {len(only_opt)} ({', '.join(only_opt) or '-'})")


def main(argv: list[str] | None = None) -> int:
    """Check the gold file; print problems or counts; return the exit status."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("articles", nargs="?", type=Path, default=DEFAULT_ARTICLES)
    ap.add_argument("--gigaword", type=Path, metavar="XML",
                    help="validate against the <Sentence> elements of this XML file instead")
    ap.add_argument("--gold", type=Path, default=None)
    ap.add_argument("--ontology", type=Path, default=DEFAULT_ONTOLOGY)
    args = ap.parse_args(argv)
    if args.gigaword is not None:
        articles = load_sentences(args.gigaword)
        gold = args.gold or DEFAULT_GIGAWORD_GOLD
    else:
        articles = load_articles(args.articles)
        gold = args.gold or DEFAULT_GOLD
    codes, plover = load_codes(args.ontology)
    records, bad = read_gold(gold, articles, codes, plover)
    print_counts(records)
    if args.gigaword is not None:
        print_sentence_coverage(records, articles)
    print(f"problems: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
