"""Build eventwire's compact CAMEO/PLOVER tables from the shared ontology CSVs.

Reads ../shared/data/ontology/ in place (never copies it) and writes, under
src/eventwire/ontology/:

- ``cameo.tsv``: one row per CAMEO 1.1b3 code with the GDELT quad class and Goldstein value
  and the PLOVER type/mode/context from the 2021 crosswalk, cleaned as the shared README
  suggests (see ``_plover_for``).
- ``plover_types.tsv``: the 16 PLOVER event types with quad category, score and the first
  sentence of the definition.

Usage::

    .venv/bin/python scripts/build_ontology.py [--shared ../shared/data]

The output is deterministic; rerun it and commit the TSVs when the shared tables change.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "eventwire" / "ontology"

CAMEO_COLUMNS = [
    "code", "root", "level", "label", "quad_class", "goldstein", "goldstein_basis",
    "plover_type", "plover_mode", "plover_context", "plover_basis", "in_gdelt",
]
PLOVER_COLUMNS = ["type", "quad_category", "quad_code", "score", "definition", "note"]

# The shared README's suggestion (not PLOVER's) for crosswalk modes the current manual lacks.
MODE_REPLACEMENTS = {"assassinate": "targeted", "massacre": "targeted"}
CODE_MODE_OVERRIDES = {"1712": "destroy"}
# PLOVER for the five manual-only codes: the shared README's suggestion, marked "suggested".
MANUAL_ONLY_PLOVER = {
    "155": ("MOBILIZE", "", "cyber"),
    "176": ("COERCE", "cyber", ""),
    "1834": ("ASSAULT", "explosives", ""),
    "1951": ("ASSAULT", "aerial", ""),
    "1952": ("ASSAULT", "drone", ""),
}
# Crosswalk contexts the current manual renamed (our reading of the manual's context list).
CONTEXT_REPLACEMENTS = {"democracy": "pro_democracy", "humanitarian": "human_security"}
RETIRED_TYPES = {"FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE",
                 "INVESTIGATE": "ACCUSE"}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _plover_for(row: dict[str, str], by_code: dict[str, dict[str, str]],
                modes: set[tuple[str, str]], contexts: set[str]) -> tuple[str, str, str, str]:
    """(type, mode, context, basis) for one CAMEO row; basis says where the value came from."""
    code = row["code"]
    if code[:2] in ("01", "02"):
        return "", "", "", "dropped"  # PLOVER drops MAKE STATEMENT and APPEAL
    if code in MANUAL_ONLY_PLOVER:
        return (*MANUAL_ONLY_PLOVER[code], "suggested")
    ptype, mode, context = row["plover_type"], row["plover_mode"], row["plover_context"]
    basis = "crosswalk"
    if "|" in ptype:
        # Root 08 splits into CONCEDE|RETREAT; a bare root follows its x0 code.
        x0 = by_code[code + "0"]
        ptype, mode, context = x0["plover_type"], x0["plover_mode"], x0["plover_context"]
        basis = "suggested"
    if ptype in RETIRED_TYPES:
        ptype, basis = RETIRED_TYPES[ptype], "suggested"
    if code in CODE_MODE_OVERRIDES:
        mode, basis = CODE_MODE_OVERRIDES[code], "suggested"
    elif mode in MODE_REPLACEMENTS:
        mode, basis = MODE_REPLACEMENTS[mode], "suggested"
    if mode and (ptype, mode) not in modes:
        mode, basis = "", "suggested"  # retired mode with no successor: dropped
    if any(c in CONTEXT_REPLACEMENTS for c in context.split(";")):
        context = ";".join(CONTEXT_REPLACEMENTS.get(c, c) for c in context.split(";"))
        basis = "suggested"
    bad = [c for c in context.split(";") if c and c not in contexts]
    if bad:
        raise ValueError(f"code {code}: unknown PLOVER context(s) {bad}")
    return ptype, mode, context, basis


def _goldstein(row: dict[str, str], by_code: dict[str, dict[str, str]]) -> tuple[str, str]:
    """GDELT Goldstein value, or the nearest ancestor's for codes GDELT lacks."""
    if row["goldstein_gdelt"]:
        return row["goldstein_gdelt"], "gdelt"
    parent = row["code"][:3] if len(row["code"]) == 4 else row["code"][:2]
    while parent and not by_code.get(parent, {}).get("goldstein_gdelt"):
        parent = parent[:2] if len(parent) == 3 else ""
    if not parent:
        raise ValueError(f"code {row['code']}: no Goldstein value on any ancestor")
    return by_code[parent]["goldstein_gdelt"], f"parent:{parent}"


def build_cameo(shared: Path) -> list[dict[str, str]]:
    """Rows of cameo.tsv, in the shared table's order."""
    onto = shared / "ontology"
    rows = _read_csv(onto / "cameo" / "cameo_event_codes.csv")
    by_code = {r["code"]: r for r in rows}
    modes = {(r["event_type"], r["mode"]) for r in _read_csv(onto / "plover" / "plover_modes.csv")}
    contexts = {r["context"] for r in _read_csv(onto / "plover" / "plover_contexts.csv")}
    out = []
    for row in rows:
        goldstein, g_basis = _goldstein(row, by_code)
        ptype, mode, context, p_basis = _plover_for(row, by_code, modes, contexts)
        out.append({
            "code": row["code"], "root": row["root_code"], "level": row["level"],
            "label": row["name"], "quad_class": row["quad_class_gdelt"],
            "goldstein": goldstein, "goldstein_basis": g_basis,
            "plover_type": ptype, "plover_mode": mode, "plover_context": context,
            "plover_basis": p_basis, "in_gdelt": row["in_gdelt"],
        })
    return out


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.:])(\s|$)", text.strip())
    return (match.group(1) if match else text.strip()).rstrip(":").strip()


def build_plover(shared: Path) -> list[dict[str, str]]:
    """Rows of plover_types.tsv."""
    rows = _read_csv(shared / "ontology" / "plover" / "plover_event_types.csv")
    return [{
        "type": r["event_type"], "quad_category": r["quad_category"],
        "quad_code": r["quad_code"], "score": r["score"],
        "definition": _first_sentence(r["definition"]), "note": r["note"],
    } for r in rows]


def _write_tsv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    for row in rows:
        for col in columns:
            if "\t" in row[col] or "\n" in row[col]:
                raise ValueError(f"{path.name}: tab or newline in {col!r} of {row}")
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(columns) + "\n")
        for row in rows:
            fh.write("\t".join(row[c] for c in columns) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data",
                        help="the shared data folder (read in place)")
    args = parser.parse_args(argv)
    cameo_rows = build_cameo(args.shared)
    plover_rows = build_plover(args.shared)
    _write_tsv(OUT / "cameo.tsv", CAMEO_COLUMNS, cameo_rows)
    _write_tsv(OUT / "plover_types.tsv", PLOVER_COLUMNS, plover_rows)
    print(f"cameo.tsv: {len(cameo_rows)} codes; plover_types.tsv: {len(plover_rows)} types")
    return 0


if __name__ == "__main__":
    sys.exit(main())
