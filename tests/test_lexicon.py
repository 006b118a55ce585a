"""Tests for eventwire.lexicon: the actor tables and the Phoenix dictionary reader."""
from __future__ import annotations

import csv
import importlib.util
import time
from datetime import date
from functools import lru_cache
from pathlib import Path

import pycountry
import pytest

from eventwire.lexicon import DATA_DIR, PHOENIX_FILES, ActorLexicon, LexiconDataError, normalise

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=None)
def lexicon(dictionary_dir: Path | None = None) -> ActorLexicon:
    # Cached, not a fixture: the house rule keeps fixtures in conftest.py.
    return ActorLexicon(dictionary_dir=dictionary_dir)


def rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


# ----- countries -----

@pytest.mark.parametrize("phrase,code,kind", [
    ("Syria", "SYR", "country"),
    ("Syrian", "SYR", "demonym"),
    ("Syrians", "SYR", "demonym"),
    ("Moscow", "RUSGOV", "capital"),
    ("U.S.", "USA", "country"),
    ("the United States", "USA", "country"),
    ("America", "USA", "country"),
    ("Britain", "GBR", "country"),
    ("the Netherlands", "NLD", "country"),
    ("Ivory Coast", "CIV", "country"),
    ("Burma", "MMR", "country"),
    ("South Korea", "KOR", "country"),
    ("North Korean", "PRK", "demonym"),
    ("Russia's", "RUS", "country"),
    ("Filipino", "PHL", "demonym"),
    ("Emirati", "ARE", "demonym"),
    ("Palestinian", "PSE", "demonym"),
    ("Kiev", "UKRGOV", "capital"),
    ("Kyiv", "UKRGOV", "capital"),
    ("Tehran", "IRNGOV", "capital"),
    ("Damascus", "SYRGOV", "capital"),
    ("N'Djamena", "TCDGOV", "capital"),
    ("Washington", "USAGOV", "capital"),
    ("Côte d'Ivoire", "CIV", "country"),
    ("Kosovo", "KOS", "country"),
])
def test_lexicon_country_resolves_names_demonyms_capitals(phrase, code, kind):
    hit = lexicon().country(phrase)
    assert hit is not None, phrase
    assert (hit.code, hit.kind, hit.country) == (code, kind, code[:3])
    assert hit.role == ("GOV" if kind == "capital" else None)
    assert hit.source.startswith("countries.tsv:")


@pytest.mark.parametrize("phrase", ["us", "Kurdish", "Brussels", "Korean", "Latin American",
                                    "Male", "in Tehran"])
def test_lexicon_country_refuses_ambiguous_or_unknown(phrase):
    # "us" is a pronoun (only "US" in capitals is the country); Brussels is the EU, not Belgium;
    # callers strip prepositions themselves.
    assert lexicon().country(phrase) is None


@pytest.mark.parametrize("phrase,on,code", [
    ("Moscow", date(1987, 2, 26), "SUNGOV"),
    ("Moscow", date(2022, 2, 24), "RUSGOV"),
    ("Soviet", date(1987, 2, 26), "SUN"),
    ("Belgrade", date(1991, 6, 27), "YUGGOV"),
    ("Belgrade", date(1999, 3, 24), "SRBGOV"),
])
def test_lexicon_country_codes_the_state_of_the_time(phrase, on, code):
    assert lexicon().country(phrase, on=on).code == code


# ----- roles -----

@pytest.mark.parametrize("phrase,role", [
    ("Defense Minister", "GOV"),
    ("Chief of Staff", "MIL"),
    ("troops", "MIL"),
    ("Syrian Defense Minister", "GOV"),
    ("Israeli Prime Minister", "GOV"),
    ("Minister of Foreign Affairs", "GOV"),
    ("authorities", "GOV"),
    ("White House chief of staff", "GOV"),
    ("army chief of staff", "MIL"),
    ("warplanes", "MIL"),
    ("riot police", "COP"),
    ("security forces", "COP"),
    ("Houthi rebels", "REB"),
    ("protesters", "OPP"),
    ("lawmakers", "LEG"),
    ("prosecutors", "JUD"),
    ("spy agency", "SPY"),
    ("refugees", "REF"),
    ("journalists", "MED"),
    ("trade unions", "LAB"),
    ("villagers", "CVL"),
])
def test_lexicon_role_reads_the_head_of_a_mention(phrase, role):
    assert lexicon().role(phrase) == role


@pytest.mark.parametrize("phrase", ["Islamic State", "Tuesday", "the attack"])
def test_lexicon_role_none_for_non_roles(phrase):
    assert lexicon().role(phrase) is None


def test_lexicon_role_hit_names_its_table_line():
    hit = lexicon().role_hit("Chief of Staff")
    assert (hit.code, hit.kind) == ("MIL", "role")
    assert hit.source.startswith("roles.tsv:") and "'chief of staff'" in hit.source


# ----- organisations and metonyms -----

@pytest.mark.parametrize("phrase,code,country,kind", [
    ("the United Nations", "UN", None, "org"),
    ("the U.N. Security Council", "UN", None, "org"),
    ("UN nuclear watchdog", "UN", None, "org"),
    ("Hezbollah", "LBNREB", "LBN", "org"),
    ("Hamas", "PSEREB", "PSE", "org"),
    ("Houthis", "YEMREB", "YEM", "org"),
    ("Islamic State", "IMGREB", None, "org"),
    ("ISIL", "IMGREB", None, "org"),
    ("al-Qaeda", "ALQ", None, "org"),
    ("the Taliban", "TAL", "AFG", "org"),
    ("European Commission", "EU", None, "org"),
    ("NATO", "NATO", None, "org"),
    ("African Union", "AU", None, "org"),
    ("International Court of Justice", "ICJ", None, "org"),
    ("Amnesty International", "NGO", None, "org"),
    ("the Arab League", "IGO", None, "org"),
    ("Nato", "NATO", None, "org"),
    ("the Contras", "NICREB", "NIC", "org"),
    ("Xinhua", "CHNGOV", "CHN", "org"),
    ("Revolutionary Guards", "IRNMIL", "IRN", "org"),
    ("Mossad", "ISRSPY", "ISR", "org"),
    ("CIA", "USASPY", "USA", "org"),
    ("Congress", "USALEG", "USA", "org"),
    ("the Kremlin", "RUSGOV", "RUS", "metonym"),
    ("the White House", "USAGOV", "USA", "metonym"),
    ("the Pentagon", "USAMIL", "USA", "metonym"),
    ("Downing Street", "GBRGOV", "GBR", "metonym"),
    ("the Elysee", "FRAGOV", "FRA", "metonym"),
    ("Élysée", "FRAGOV", "FRA", "metonym"),
    ("Brussels", "EU", None, "metonym"),
])
def test_lexicon_organisation_resolves_groups_and_metonyms(phrase, code, country, kind):
    hit = lexicon().organisation(phrase)
    assert hit is not None, phrase
    assert (hit.code, hit.country, hit.kind) == (code, country, kind)


@pytest.mark.parametrize("phrase,expected", [("WHO", "UN"), ("who", None), ("IS", "IMGREB"),
                                             ("is", None), ("EC", "EU"), ("ec", None)])
def test_lexicon_organisation_acronyms_need_capitals(phrase, expected):
    hit = lexicon().organisation(phrase)
    assert (hit.code if hit else None) == expected


def test_lexicon_organisation_names_the_group():
    hit = lexicon().organisation("Hizbollah")
    assert hit.name == "Hezbollah" and hit.role == "REB"


# ----- Phoenix dictionaries -----

@pytest.mark.parametrize("name,on,code,kind", [
    ("Barack Obama", date(2013, 1, 1), "USAGOV", "person"),
    ("President Barack Obama", date(2013, 1, 1), "USAGOV", "person"),
    ("Obama", date(2009, 6, 4), "USAGOV", "person"),
    ("George W. Bush", date(2003, 3, 20), "USAGOV", "person"),
    ("George W. Bush", date(2010, 1, 1), "USAELI", "person"),
    ("Vladimir Putin", date(2001, 1, 1), "RUSGOV", "person"),
    ("Syrian President Bashar al-Assad", date(2012, 1, 1), "SYRGOV", "person"),
    ("Kofi Annan", date(2000, 1, 1), "UN", "person"),
    ("Ban Ki-moon", date(2010, 1, 1), "UN", "person"),
    ("Human Rights Watch", None, "NGO", "org"),
    ("Assad", date(2012, 1, 1), "SYRGOV", "person"),
    ("Afghan National Army", date(2012, 1, 1), "AFGMIL", "org"),
])
def test_lexicon_person_follows_dated_dictionary_codes(shared_data, name, on, code, kind):
    hit = lexicon(shared_data / "petrarch2").person(name, on)
    assert hit is not None, name
    assert (hit.code, hit.kind) == (code, kind)
    assert hit.source.startswith("Phoenix.")


@pytest.mark.parametrize("on", [date(2005, 1, 1)])
def test_lexicon_person_outside_every_dated_code_gives_country_only(shared_data, on):
    # The file gives Obama USAELI until 2000 and USAGOV from 2009-01-20: nothing for 2005.
    hit = lexicon(shared_data / "petrarch2").person("Barack Obama", on)
    assert (hit.code, hit.country, hit.role) == ("USA", "USA", None)
    assert "country only" in hit.source


@pytest.mark.parametrize("name", ["Ronald Reagan", "George Shultz"])
def test_lexicon_person_without_dictionary_is_none(name):
    # why: 1980s office holders are only in the optional dictionaries, not in people.tsv
    assert lexicon().person(name, date(1987, 1, 1)) is None


@pytest.mark.parametrize("name,on,code", [
    ("Volodymyr Zelensky", date(2022, 2, 24), "UKRGOV"),
    ("Zelensky", date(2022, 2, 24), "UKRGOV"),
    ("Trump", date(2018, 6, 12), "USAGOV"),
    ("Donald Trump", date(2016, 1, 1), None),   # why: not in office in 2016
    ("Mohammad Baqeri", date(2023, 1, 24), "IRNMIL"),
    ("Antonio Guterres", date(2021, 2, 1), "UN"),
])
def test_lexicon_person_recent_office_holders_without_dictionary(name, on, code):
    # why: wire copy names recent leaders without a country; people.tsv holds their terms
    hit = lexicon().person(name, on)
    assert (hit.code if hit else None) == code


@pytest.mark.parametrize("phrase,on,code", [
    ("Jordan", None, "JOR"),
    ("Brussels", None, "EU"),
    ("the Kremlin", date(1987, 2, 26), "SUNGOV"),
    ("Barack Obama", date(2013, 5, 1), "USAGOV"),
    ("Hezbollah", date(2006, 7, 12), "LBNREB"),
])
def test_lexicon_lookup_tries_org_country_person(shared_data, phrase, on, code):
    assert lexicon(shared_data / "petrarch2").lookup(phrase, on).code == code


PHOENIX_SAMPLE = """\
# sample in the Phoenix/TABARI actor format
JAMES_BYRNES_  # CountryInfo.txt
\t[USAELI 18970101-450703]
\t[USAGOV 450703-470121]
U.N._

UN_SECRETARY_GENERAL
+UNITED_NATIONS_CHIEF
\t[IGOUNO]
KOFI_ANNAN_
+K._ANNAN_
\t[IGOUNO 970101-061231]
\t[ELI]
JAVIER_SOLANA_\t[IGOEUREEC 950701-951231][IGOWSTNAT 951205-991006]
DMITRY_MEDVEDEV_
+MEDVEDEV
DMITRI_MEDVEDEV_
\t[RUSGOV > 080507]
\t[RUSGOV 1920051201-20070228]
\t[---]
AFGHANISTAN_  [AFG]
+KABUL_
"""


@pytest.mark.parametrize("name,on,code", [
    ("James Byrnes", date(1946, 1, 1), "USAGOV"),
    ("James Byrnes", date(1930, 1, 1), "USAELI"),
    ("U.N.", None, "UN"),                      # codeless name shares the next block's code
    ("United Nations chief", None, "UN"),
    ("K. Annan", date(2001, 9, 11), "UN"),
    ("Kofi Annan", date(2010, 1, 1), "ELI"),   # the undated code is the default
    ("Javier Solana", date(1998, 1, 1), "NATO"),
    ("Medvedev", date(2010, 1, 1), "RUSGOV"),  # "> 080507" with a space, 2-digit year
    ("Kabul", None, None),                     # country blocks are left to countries.tsv
])
def test_lexicon_phoenix_reader_handles_the_format(tmp_path, name, on, code):
    (tmp_path / PHOENIX_FILES[0]).write_text(PHOENIX_SAMPLE, encoding="utf-8")
    for other in PHOENIX_FILES[1:]:
        (tmp_path / other).write_text("", encoding="utf-8")
    lex = ActorLexicon(dictionary_dir=tmp_path)
    hit = lex.person(name, on)
    assert (hit.code if hit else None) == code
    assert lex.dictionary_info()["skipped_restrictions"] == 2  # [---] and a 10-digit date


@pytest.mark.parametrize("missing", [PHOENIX_FILES[1]])
def test_lexicon_dictionary_dir_without_files_fails_loudly(tmp_path, missing):
    for name in PHOENIX_FILES:
        if name != missing:
            (tmp_path / name).write_text("", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=missing):
        ActorLexicon(dictionary_dir=tmp_path)


@pytest.mark.parametrize("limit_seconds", [10.0])
def test_lexicon_phoenix_index_loads_in_reasonable_time(shared_data, limit_seconds):
    started = time.perf_counter()
    info = ActorLexicon(dictionary_dir=shared_data / "petrarch2").dictionary_info()
    assert time.perf_counter() - started < limit_seconds
    assert info["entries"] > 20_000 and info["names"] > 25_000


# ----- mentions inside longer spans (wire-style sentences written for these tests) -----

@pytest.mark.parametrize("text,codes", [
    ("The U.N. Security Council on Friday condemned the attack by Houthi rebels on a Saudi oil "
     "facility, Washington said.", ["UN", "YEMREB", "SAU", "USAGOV"]),
    ("Iranian Foreign Minister Hossein Amirabdollahian met his Syrian counterpart in Damascus.",
     ["IRN", "SYR", "SYRGOV"]),
    ("U.S. and Iraqi forces", ["USA", "IRQ"]),
])
def test_lexicon_mentions_finds_every_actor_in_a_span(text, codes):
    assert [hit.code for hit in lexicon().mentions(text)] == codes


# ----- the data files -----

@pytest.mark.parametrize("name,columns", [
    ("countries.tsv", ["iso3", "name", "alt_names", "demonyms", "capitals", "valid_to", "covers",
                       "note"]),
    ("country_names.tsv", ["iso3", "name", "alt_names", "demonyms", "capitals", "valid_to",
                           "covers", "note"]),
    ("roles.tsv", ["phrase", "role", "note"]),
    ("role_codes.tsv", ["code", "label", "group"]),
    ("orgs.tsv", ["code", "country", "role", "name", "aliases", "cameo_group", "type", "note"]),
    ("metonyms.tsv", ["phrase", "code", "country", "role", "note"]),
    ("phoenix_codes.tsv", ["kind", "phoenix", "code", "note"]),
    ("people.tsv", ["name", "alt_names", "code", "valid_from", "valid_to", "note"]),
    ("referents.tsv", ["phrase", "kind", "note"]),
])
def test_lexicon_tables_have_pinned_columns(name, columns):
    table = rows(name)
    assert table and list(table[0]) == columns
    assert all(None not in row and None not in row.values() for row in table), name


@pytest.mark.parametrize("exceptions", [{"KOS"}])
def test_lexicon_countries_iso3_are_pycountry_codes(exceptions):
    bad = [row["iso3"] for row in rows("countries.tsv")
           if row["iso3"] not in exceptions
           and not pycountry.countries.get(alpha_3=row["iso3"])
           and not pycountry.historic_countries.get(alpha_3=row["iso3"])]
    assert bad == []


@pytest.mark.parametrize("name", ["countries.tsv"])
def test_lexicon_country_keys_are_unambiguous(name):
    owner: dict[str, str] = {}
    clashes = []
    for row in rows(name):
        for cell in ("name", "alt_names", "demonyms", "capitals"):
            for text in filter(None, row[cell].split("|")):
                if owner.setdefault(normalise(text), row["iso3"]) != row["iso3"]:
                    clashes.append((text, owner[normalise(text)], row["iso3"]))
    assert clashes == []


@pytest.mark.parametrize("script", [ROOT / "scripts" / "build_actor_data.py"])
def test_lexicon_countries_tsv_matches_its_build(script):
    spec = importlib.util.spec_from_file_location("build_actor_data", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built, _ = module.build_rows(module.read_curated(DATA_DIR / "country_names.tsv"))
    assert module.render(built) == (DATA_DIR / "countries.tsv").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["orgs.tsv", "metonyms.tsv"])
def test_lexicon_codes_agree_with_country_and_role(name):
    codes = {row["code"] for row in rows("role_codes.tsv")}
    iso3 = {row["iso3"] for row in rows("countries.tsv")}
    for row in rows(name):
        assert row["role"] == "" or row["role"] in codes, row
        assert row["country"] == "" or row["country"] in iso3, row
        if row["country"] and row["code"].startswith(row["country"]):
            assert row["code"] == row["country"] + row["role"], row


@pytest.mark.parametrize("text,key", [("the U.S.'s", "us"), ("Côte d'Ivoire", "cote divoire"),
                                      ("BARACK_OBAMA_", "barack obama"),
                                      ("Kurdistan Workers' Party", "kurdistan workers party")])
def test_lexicon_normalise_ignores_case_accents_dots_possessives(text, key):
    assert normalise(text) == key


@pytest.mark.parametrize("header", ["phrase\trole\n", "phrase\trole\tnote\textra\n"])
def test_lexicon_bad_table_header_names_the_file(tmp_path, header):
    for source in DATA_DIR.glob("*.tsv"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    (tmp_path / "roles.tsv").write_text(header + "troops\tMIL\n", encoding="utf-8")
    with pytest.raises(LexiconDataError, match="roles.tsv"):
        ActorLexicon(data_dir=tmp_path)


@pytest.mark.parametrize("noun, kind", [
    ("statement", "issued"), ("Resolution", "issued"), ("agency", "body"),
    ("country", "country"), ("attack", None), ("minister", None),
])
def test_lexicon_referent_kinds(noun, kind):
    # why: nouns that stand for an actor named elsewhere (actors._referent); acts ("the
    # attack") were measured and left out
    assert lexicon().referent(noun) == kind


def test_lexicon_bad_referent_kind_names_the_line(tmp_path):
    for source in DATA_DIR.glob("*.tsv"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    (tmp_path / "referents.tsv").write_text("phrase\tkind\tnote\nstatement\tissuer\t\n",
                                            encoding="utf-8")
    with pytest.raises(LexiconDataError, match="referents.tsv:2"):
        ActorLexicon(data_dir=tmp_path)
