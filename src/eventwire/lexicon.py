"""Actor lexicon: the look-up tables the actor-resolution stage codes mentions with.

Our own tables live in ``data/actors/`` (see the README there for sources): countries with
alternate names, demonyms and capitals; role words; organisations; seat-of-power metonyms.
Optionally, office holders are read from Phoenix/TABARI ``*.actors.txt`` dictionaries in a
directory the caller passes in (read in place, parsed on first use), so a name resolves to the
code its date-restricted entries give for the event's date.

Matching is exact on a normalised form (case, accents, dots, hyphens, a leading "the" and a
final possessive ignored); multiword phrases are matched whole. Callers pass mention spans, not
sentences: ``lookup("Tehran")``, not ``lookup("in Tehran")``.
"""
from __future__ import annotations

import csv
import re
import time
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

__all__ = ["ActorLexicon", "LexiconHit", "LexiconDataError", "normalise", "DATA_DIR",
           "PHOENIX_FILES"]

DATA_DIR = Path(__file__).resolve().parent / "data" / "actors"
PHOENIX_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                 "Phoenix.MilNonState.actors.txt")
_COLUMNS = {
    "countries.tsv": ("iso3", "name", "alt_names", "demonyms", "capitals", "valid_to",
                      "covers", "note"),
    "roles.tsv": ("phrase", "role", "note"),
    "role_codes.tsv": ("code", "label", "group"),
    "orgs.tsv": ("code", "country", "role", "name", "aliases", "cameo_group", "type", "note"),
    "metonyms.tsv": ("phrase", "code", "country", "role", "note"),
    "phoenix_codes.tsv": ("kind", "phoenix", "code", "note"),
    "people.tsv": ("name", "alt_names", "code", "valid_from", "valid_to", "note"),
    "referents.tsv": ("phrase", "kind", "note"),
}
# kinds of referents.tsv: what a noun that names no actor itself refers to
_REFERENT_KINDS = frozenset({"issued", "body", "country"})
# Words that mark a dictionary name as an organisation rather than a person. Not titles:
# primaries such as SECRETARY-GENERAL_BAN_KI-MOON are people.
_INSTITUTION_WORDS = frozenset(
    "party council committee front movement union agency office department bank company "
    "corporation association organization organisation group brigade brigades institute "
    "commission federation league news forces army national republic ministry people peoples "
    "center centre foundation fund society alliance coalition police military government "
    "parliament court assembly embassy authority authorities administration cabinet navy "
    "guard guards militia rebels troops service intelligence media television radio "
    "university school hospital".split())
# Words that may precede a name without being part of it ("President Barack Obama").
_HONORIFICS = frozenset("mr mrs ms dr sir dame lord lady sheikh gen col lt maj capt sen rep gov "
                        "pres former late acting new outgoing incoming interim".split())


class LexiconDataError(ValueError):
    """A lexicon data file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class LexiconHit:
    """One lexicon entry matched by a phrase."""

    code: str            # full CAMEO-style code, e.g. "SYRGOV", "RUS", "UN", "PSEREB"
    country: str | None  # ISO3 or None (IGOs)
    role: str | None     # GOV, MIL, ... or None
    name: str | None     # named person/organisation when there is one
    kind: str            # country|demonym|capital|metonym|role|org|person
    source: str          # which table/dictionary line matched, for evidence


@dataclass(frozen=True)
class _Entry:
    hit: LexiconHit
    acronym: bool  # an all-capitals alias ("US", "WHO") matches only text written in capitals


_POSSESSIVE = re.compile(r"(?<=[\w.])['’]s?$")  # final possessive only: "Russia's", "workers'"
_DROPPED = re.compile(r"['’‘`´.]")  # U.S. -> us, N'Djamena -> ndjamena
_SEPARATORS = re.compile(r"(?:[^\w&]|_)+")


@lru_cache(maxsize=65536)  # called for every n-gram of every phrase (~6% of coding time)
def normalise(phrase: str) -> str:
    """The matching key of a phrase: ``"the U.S.'s"`` -> ``"us"``, ``"Côte d'Ivoire"`` ->
    ``"cote divoire"``, ``"BARACK_OBAMA_"`` -> ``"barack obama"``."""
    text = phrase.strip()
    if not text.isascii():  # fast path: most names are ASCII (the dictionaries are large)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).strip()
    text = _SEPARATORS.sub(" ", _DROPPED.sub("", _POSSESSIVE.sub("", text.lower()))).strip()
    return text[4:] if text.startswith("the ") else text


def _is_acronym(alias: str) -> bool:
    return re.fullmatch(r"[A-Z][A-Z0-9.&\-]*[A-Z0-9.]", alias.strip()) is not None


def _written_in_capitals(phrase: str) -> bool:
    core = re.sub(r"^the\s+", "", phrase.strip(), flags=re.IGNORECASE)
    core = re.sub(r"['’]s?$", "", core)
    return core.isupper()


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _read_table(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of a TSV data file with their line numbers; the header must be the pinned one."""
    expected = _COLUMNS[path.name]
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = tuple(next(reader, ()))
        if header != expected:
            raise LexiconDataError(f"{path}: header {header!r}, expected {expected!r}")
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not cells:
                continue
            if len(cells) != len(expected):
                raise LexiconDataError(f"{path}:{number}: {len(cells)} columns, expected "
                                       f"{len(expected)} ({', '.join(expected)})")
            rows.append((number, dict(zip(expected, cells))))
    return rows


def _singulars(word: str) -> list[str]:
    """The word and its naive singulars: "authorities" -> authority, "forces" -> force."""
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        forms.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        forms.append(word[:-1])
    return forms


class ActorLexicon:
    """Countries, demonyms, capitals, metonyms, role words, organisations and (with
    ``dictionary_dir``) dated office holders, looked up by phrase.

    >>> lex = ActorLexicon()
    >>> lex.country("Syrian").code, lex.role("Defense Minister"), lex.organisation("the UN").code
    ('SYR', 'GOV', 'UN')
    """

    def __init__(self, *, dictionary_dir: str | Path | None = None,
                 data_dir: str | Path | None = None) -> None:
        self._data_dir = Path(data_dir) if data_dir else DATA_DIR
        self._dictionary_dir = Path(dictionary_dir) if dictionary_dir else None
        # a directory of the Phoenix files, or one dictionary file in their format (e.g.
        # PETRARCH's PETR.Validate.actors.txt for its unit-test records)
        if self._dictionary_dir is not None and not self._dictionary_dir.is_file():
            missing = [n for n in PHOENIX_FILES if not (self._dictionary_dir / n).is_file()]
            if missing:
                raise FileNotFoundError(
                    f"E-DICTIONARY {self._dictionary_dir}: missing {', '.join(missing)} "
                    f"(expected the Phoenix actor dictionaries {', '.join(PHOENIX_FILES)})")
        self.role_codes = frozenset(r["code"] for _, r in self._table("role_codes.tsv"))
        self._countries: dict[str, list[_Entry]] = {}
        self.iso3: frozenset[str] = frozenset()
        self._covers: dict[str, tuple[str, date]] = {}
        self._load_countries()
        self._roles: dict[str, LexiconHit] = {}
        self._load_roles()
        self._orgs: dict[str, list[_Entry]] = {}
        self._metonyms: dict[str, list[_Entry]] = {}
        self._load_orgs()
        self._phoenix: Optional[_PhoenixIndex] = None
        self._people: dict[str, list[tuple[Optional[date], Optional[date], LexiconHit]]] = {}
        self._load_people()
        self._referents: dict[str, str] = {}
        for line, row in self._table("referents.tsv"):
            if row["kind"] not in _REFERENT_KINDS:
                raise LexiconDataError(f"referents.tsv:{line}: kind {row['kind']!r} is not one "
                                       f"of {', '.join(sorted(_REFERENT_KINDS))}")
            self._referents[normalise(row["phrase"])] = row["kind"]

    # ----- loading our tables -----

    def _load_people(self) -> None:
        """Recent office holders (people.tsv): wire copy names them without a country, and
        the optional Phoenix dictionaries end around 2015."""
        for line, row in self._table("people.tsv"):
            code = row["code"]
            country = code[:3] if code[:3] in self.iso3 else None
            role = code[3:] or None if country else None
            hit = LexiconHit(code, country, role, row["name"], "person",
                             f"people.tsv:{line} {row['name']!r}")
            start = date.fromisoformat(row["valid_from"]) if row["valid_from"] else None
            end = date.fromisoformat(row["valid_to"]) if row["valid_to"] else None
            for name in [row["name"], *_split(row["alt_names"])]:
                self._people.setdefault(normalise(name), []).append((start, end, hit))

    def _recent_person(self, name: str, on: date | None) -> LexiconHit | None:
        """people.tsv: the row whose term covers ``on`` (or the latest row without a date)."""
        rows = self._people.get(normalise(name), [])
        if on is None:
            return rows[-1][2] if rows else None
        for start, end, hit in rows:
            if (start is None or start <= on) and (end is None or on <= end):
                return replace(hit, source=f"{hit.source} [{start} to {end or 'now'}]")
        return None

    def _table(self, name: str) -> list[tuple[int, dict[str, str]]]:
        return _read_table(self._data_dir / name)

    def _load_countries(self) -> None:
        rows = self._table("countries.tsv")
        self.iso3 = frozenset(r["iso3"] for _, r in rows)
        # Names first, then demonyms, then capitals: a name is never shadowed by a capital.
        for field, kind in (("name", "country"), ("alt_names", "country"),
                            ("demonyms", "demonym"), ("capitals", "capital")):
            for line, row in rows:
                for text in _split(row[field]):
                    role = "GOV" if kind == "capital" else None
                    hit = LexiconHit(row["iso3"] + (role or ""), row["iso3"], role, None, kind,
                                     f"countries.tsv:{line} {field} {text!r}")
                    self._countries.setdefault(normalise(text), []).append(
                        _Entry(hit, _is_acronym(text)))
        for line, row in rows:
            if row["valid_to"]:
                end = date.fromisoformat(row["valid_to"])
                for covered in _split(row["covers"]):
                    self._covers[covered] = (row["iso3"], end)

    def _load_roles(self) -> None:
        for line, row in self._table("roles.tsv"):
            if row["role"] not in self.role_codes:
                raise LexiconDataError(f"roles.tsv:{line}: role {row['role']!r} is not a CAMEO "
                                       f"role code (role_codes.tsv)")
            self._roles[normalise(row["phrase"])] = LexiconHit(
                row["role"], None, row["role"], None, "role",
                f"roles.tsv:{line} {row['phrase']!r}")

    def _load_orgs(self) -> None:
        for line, row in self._table("orgs.tsv"):
            for alias in dict.fromkeys([row["name"], *_split(row["aliases"])]):
                hit = LexiconHit(row["code"], row["country"] or None, row["role"] or None,
                                 row["name"], "org", f"orgs.tsv:{line} {alias!r}")
                self._orgs.setdefault(normalise(alias), []).append(
                    _Entry(hit, _is_acronym(alias)))
        for line, row in self._table("metonyms.tsv"):
            hit = LexiconHit(row["code"], row["country"] or None, row["role"] or None, None,
                             "metonym", f"metonyms.tsv:{line} {row['phrase']!r}")
            self._metonyms.setdefault(normalise(row["phrase"]), []).append(
                _Entry(hit, _is_acronym(row["phrase"])))

    # ----- look-ups -----

    @staticmethod
    def _find(index: dict[str, list[_Entry]], phrase: str, key: str | None = None,
              kinds: Iterable[str] | None = None) -> LexiconHit | None:
        capitals = None
        for entry in index.get(normalise(phrase) if key is None else key, ()):
            if kinds is not None and entry.hit.kind not in kinds:
                continue
            if entry.acronym:
                capitals = _written_in_capitals(phrase) if capitals is None else capitals
                if not capitals:
                    continue
            return entry.hit
        return None

    def as_of(self, hit: LexiconHit | None, on: date | None) -> LexiconHit | None:
        """The hit as of ``on``: a country later absorbed or split off is coded as the state
        of the time ("Moscow" in 1987 -> SUNGOV), per the ``covers`` column of countries.tsv."""
        if hit is None or on is None or hit.country not in self._covers:
            return hit
        state, end = self._covers[hit.country]
        if on > end:
            return hit
        code = state + hit.code[3:] if hit.code.startswith(hit.country) else hit.code
        return replace(hit, code=code, country=state,
                       source=f"{hit.source}; {hit.country} was part of {state} until {end}")

    def country(self, phrase: str, *, on: date | None = None) -> LexiconHit | None:
        """A country by name, alternate name, demonym or capital ("Syria", "the United States",
        "U.S.", "Syrian", "Syrians", "Moscow" -> RUSGOV, kind capital); None when unknown."""
        hit = self._find(self._countries, phrase)
        if hit is None:
            key = normalise(phrase)
            if key.endswith("s"):  # "Syrians", "Iraqis": plural demonyms only
                hit = self._find(self._countries, phrase, key[:-1], kinds=("demonym",))
        return self.as_of(hit, on)

    def role_hit(self, word_or_phrase: str) -> LexiconHit | None:
        """The role-table entry for a mention's head: the longest matching suffix ("Syrian
        Defense Minister" -> "defense minister"), singularised ("troops", "authorities"),
        else the head before "of" ("Minister of Defence" -> "minister")."""
        tokens = normalise(word_or_phrase).split()
        while tokens:
            for start in range(len(tokens)):
                *body, last = tokens[start:]
                for form in _singulars(last):
                    hit = self._roles.get(" ".join([*body, form]))
                    if hit is not None:
                        return hit
            tokens = tokens[:tokens.index("of")] if "of" in tokens else []
        return None

    def role(self, word_or_phrase: str) -> str | None:
        """The CAMEO role code of a role word or phrase ("Defense Minister" -> GOV,
        "Chief of Staff" -> MIL, "troops" -> MIL); None when it names no role."""
        hit = self.role_hit(word_or_phrase)
        return hit.role if hit else None

    def referent(self, noun: str) -> str | None:
        """What a noun that names no actor stands for (referents.tsv): ``issued`` (a text:
        "the ministry's statement" -> its issuer), ``body`` ("the agency" -> the organisation
        named before), ``country`` ("the country" -> the country named last); else None."""
        return self._referents.get(normalise(noun))

    def organisation(self, phrase: str, *, on: date | None = None) -> LexiconHit | None:
        """A named organisation or seat-of-power metonym ("the United Nations" -> UN,
        "Hezbollah" -> LBNREB, "the Kremlin" -> RUSGOV); None when unknown."""
        hit = self._find(self._orgs, phrase) or self._find(self._metonyms, phrase)
        return self.as_of(hit, on)

    def person(self, name: str, on: date | None = None) -> LexiconHit | None:
        """A named person (or dictionary-only organisation) from the Phoenix dictionaries, coded
        as of ``on``; None without ``dictionary_dir`` or when the name is not there. A leading
        title or nationality is tolerated ("Syrian President Bashar al-Assad")."""
        recent = self._recent_person(name, on)
        if self._dictionary_dir is None:
            return recent
        hit = self._dictionary_person(name, on)
        if hit is None or (recent is not None and "country only" in hit.source):
            return recent  # the user's dictionary first; our table where it knows nothing
        return hit

    def _dictionary_person(self, name: str, on: date | None) -> LexiconHit | None:
        index = self._phoenix_index()
        tokens = normalise(name).split()
        while len(tokens) >= 1:
            hit = index.find(" ".join(tokens), on)
            if hit is None and len(tokens) == 1:
                return index.find_surname(tokens[0], on)
            if hit is not None or len(tokens) < 3 or not self._is_title(tokens[0]):
                return hit
            tokens = tokens[1:]
        return None

    def lookup(self, phrase: str, on: date | None = None) -> LexiconHit | None:
        """Organisation or metonym first, then country (name, demonym, capital), then person:
        exact names can only collide on strings like "Jordan", where the country is meant."""
        return (self.organisation(phrase, on=on) or self.country(phrase, on=on)
                or self.person(phrase, on))

    def mentions(self, phrase: str, on: date | None = None) -> list[LexiconHit]:
        """Every organisation, metonym or country inside a longer phrase, left to right, longest
        first ("the Syrian Defense Minister" -> [SYR demonym])."""
        tokens, hits, start = normalise(phrase).split(), [], 0
        capitals = phrase.isupper()
        while start < len(tokens):
            for end in range(min(len(tokens), start + 8), start, -1):
                key = " ".join(tokens[start:end])
                hit = next((e.hit for index in (self._orgs, self._metonyms, self._countries)
                            for e in index.get(key, ()) if capitals or not e.acronym
                            or key.upper() in phrase.replace(".", "")), None)
                if hit is not None:
                    hits.append(self.as_of(hit, on))
                    start = end
                    break
            else:
                start += 1
        return hits

    def _is_title(self, token: str) -> bool:
        return (token in _HONORIFICS or any(token in key.split() for key in self._roles)
                or self._find(self._countries, token) is not None)

    # ----- Phoenix dictionaries -----

    def _phoenix_index(self) -> "_PhoenixIndex":
        if self._phoenix is None:
            assert self._dictionary_dir is not None
            codes = self._table("phoenix_codes.tsv")
            self._phoenix = _PhoenixIndex(self._dictionary_dir, _CodeMapper(
                codes, self.iso3, self.role_codes), _INSTITUTION_WORDS)
        return self._phoenix

    def dictionary_info(self) -> dict[str, object]:
        """Counts and load time of the Phoenix dictionaries (loads them if needed)."""
        if self._dictionary_dir is None:
            return {"loaded": False}
        index = self._phoenix_index()
        return {"loaded": True, "entries": len(index.entries), "names": len(index.names),
                "skipped_restrictions": index.skipped, "load_seconds": index.load_seconds}


class _CodeMapper:
    """Phoenix codes -> our codes: ``USAGOV`` stays, ``IGOUNOHLHWHO`` -> UN,
    ``MNCUSA`` -> USABUS, ``KSVGOV`` -> KOSGOV (rules in phoenix_codes.tsv)."""

    def __init__(self, rows: list[tuple[int, dict[str, str]]], iso3: frozenset[str],
                 roles: frozenset[str]) -> None:
        self.countries = {r["phoenix"]: r["code"] for _, r in rows if r["kind"] == "country"}
        self.groups = [(r["phoenix"], r["code"]) for _, r in rows if r["kind"] == "group"]
        self.prefixes = {r["phoenix"]: r["code"] for _, r in rows if r["kind"] == "prefix"}
        self.iso3, self.roles = iso3, roles

    def convert(self, raw: str) -> tuple[str, str | None, str | None]:
        """(code, country, role) for one Phoenix code."""
        head, rest = raw[:3], raw[3:]
        if head in self.prefixes:
            chunks = {rest[i:i + 3] for i in range(0, len(rest), 3)}
            for fragment, code in self.groups:
                if fragment in chunks:
                    return code, None, None
            if head == "MNC":
                return (rest[:3] + "BUS", rest[:3], "BUS") if rest[:3] in self.iso3 \
                    else ("MNC", None, "BUS")
            code = self.prefixes[head]
            return code, None, code[3:] or None
        country = self.countries.get(head, head)
        role = rest[:3] if rest[:3] in self.roles else None
        if country in self.iso3:
            return country + (role or ""), country, role
        if head in self.roles and not rest:  # a bare role such as [ELI]
            return head, None, head
        return head + (role or ""), None, role  # a CAMEO region (AFR, MEA) or a legacy code


@dataclass(frozen=True)
class _Restriction:
    code: str
    start: date | None
    end: date | None
    dated: bool


@dataclass(frozen=True)
class _PhoenixEntry:
    primary: str
    codes: tuple[_Restriction, ...]
    source: str
    kind: str


_CODE = re.compile(r"\[([^\]]*)\]")
_RANGE = re.compile(r"^([A-Z][A-Z0-9]*)\s*(?:(<|>)\s*(\d+)|(\d+)\s*-\s*(\d+))?$")


def _phoenix_date(text: str) -> date:
    """YYMMDD (two-digit years up to 30 are 20xx: the files date from 2014) or YYYYMMDD."""
    if len(text) == 6:
        year = int(text[:2])
        return date(2000 + year if year <= 30 else 1900 + year, int(text[2:4]), int(text[4:]))
    if len(text) == 8:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    raise ValueError(f"date {text!r} is neither YYMMDD nor YYYYMMDD")


class _PhoenixIndex:
    """Name -> entries of Phoenix/TABARI actor dictionaries, read once from a directory.

    Format: a primary name line (``BARACK_OBAMA``, optionally ``[CODE]`` inline), ``+synonym``
    lines, and tab-indented ``[CODE restriction]`` lines where the restriction is ``>date``,
    ``<date``, ``date-date`` (inclusive) or absent (the default). Names with no code of their
    own share the codes of the block that follows them (as TABARI reads them)."""

    def __init__(self, directory: Path, mapper: _CodeMapper,
                 institution_words: frozenset[str]) -> None:
        self.institution_words = institution_words
        started = time.perf_counter()
        self.mapper, self.skipped = mapper, 0
        self.entries: list[_PhoenixEntry] = []
        self.names: dict[str, list[int]] = {}
        self.surnames: dict[str, set[int]] = {}  # "reagan" -> people with that last name
        files = [directory] if directory.is_file() else [directory / n for n in PHOENIX_FILES]
        for path in files:
            self._read(path)
        self.load_seconds = round(time.perf_counter() - started, 3)

    def _read(self, path: Path) -> None:
        names: list[str] = []
        codes: list[_Restriction] = []
        first = (0, "", "")  # line, primary name, its comment
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, raw in enumerate(handle, start=1):
                raw = re.sub(r"<!--.*?-->", "", raw) if "<!--" in raw else raw
                line, _, comment = raw.rstrip("\n").partition("#")
                if not line.strip():
                    continue
                if line[0] in " \t":
                    codes.extend(self._codes(line))
                    continue
                if line[0] == "+":
                    names.append(line[1:].split("[")[0])
                    codes.extend(self._codes(line))
                    continue
                if codes:  # a new primary after a coded block starts a new entry
                    self._add(path.name, first, names, codes)
                    names, codes = [], []
                if not names:
                    first = (number, line.split("[")[0], comment)
                names.append(line.split("[")[0])
                codes.extend(self._codes(line))
        if codes:
            self._add(path.name, first, names, codes)

    def _codes(self, line: str) -> list[_Restriction]:
        found = []
        for body in _CODE.findall(line):
            match = _RANGE.match(body.strip())
            try:
                if match is None or match.group(1).strip("-") == "":
                    raise ValueError(body)
                code, sign, one, start, end = match.groups()
                if sign:
                    when = _phoenix_date(one)
                    found.append(_Restriction(code, when if sign == ">" else None,
                                              when if sign == "<" else None, True))
                elif start:
                    found.append(_Restriction(code, _phoenix_date(start), _phoenix_date(end),
                                              True))
                else:
                    found.append(_Restriction(code, None, None, False))
            except ValueError:  # "[---]", "[s]", 7- or 10-digit dates: skipped, counted
                self.skipped += 1
        return found

    def _add(self, filename: str, first: tuple[int, str, str], names: list[str],
             codes: list[_Restriction]) -> None:
        number, primary, comment = first
        if filename == "Phoenix.Countries.actors.txt" and all(len(c.code) == 3 for c in codes):
            return  # country and place-name blocks: countries.tsv covers these
        # Person or organisation: the files do not say, so read the name. In the country file,
        # office holders are the rule; elsewhere organisations are, except dated rulers.
        institution = any(w in self.institution_words for w in normalise(primary).split())
        if filename == "Phoenix.Countries.actors.txt":
            person = not institution
        else:
            person = not institution and ("rulers" in comment or any(c.dated for c in codes))
        entry = _PhoenixEntry(" ".join(primary.replace("_", " ").split()).title(),
                              tuple(codes), f"{filename}:{number} {primary.strip()}",
                              "person" if person else "org")
        self.entries.append(entry)
        for name in names:
            key = normalise(name)
            if key:
                self.names.setdefault(key, []).append(len(self.entries) - 1)
                if person and len(key.split()) > 1:
                    self.surnames.setdefault(key.split()[-1], set()).add(len(self.entries) - 1)

    def find(self, key: str, on: date | None) -> LexiconHit | None:
        """The first entry named ``key`` with a code for ``on``; only when none has one, the
        first entry whose codes at least agree on a country."""
        fallback = None
        for position in self.names.get(key, ()):
            entry = self.entries[position]
            chosen, note, exact = self._choose(entry.codes, on)
            if chosen is None or (not exact and fallback is not None):
                continue
            code, country, role = self.mapper.convert(chosen)
            hit = LexiconHit(code, country, role, entry.primary, entry.kind, entry.source + note)
            if exact:
                return hit
            fallback = hit
        return fallback

    def find_surname(self, key: str, on: date | None) -> LexiconHit | None:
        """A bare surname ("Reagan", "Mobutu"): only when exactly one person of that name has
        a code valid on ``on`` (wire copy names office holders by surname after, and sometimes
        before, the full name). Ambiguous surnames give None."""
        hits = []
        for position in sorted(self.surnames.get(key, ())):
            entry = self.entries[position]
            chosen, note, exact = self._choose(entry.codes, on)
            if chosen is not None and exact and any(c.dated for c in entry.codes):
                code, country, role = self.mapper.convert(chosen)
                hits.append(LexiconHit(code, country, role, entry.primary, entry.kind,
                                       entry.source + note + " (surname)"))
        return hits[0] if len({h.code for h in hits}) == 1 else None

    def _choose(self, codes: tuple[_Restriction, ...],
                on: date | None) -> tuple[str | None, str, bool]:
        """(code, evidence note, exact): the first restriction holding on ``on``, else the
        default; with no date the default, else the open-ended or latest restriction. With
        neither, the country all the entry's codes agree on, marked inexact (Obama in 2005 ->
        USA: the file gives him no code before 2009)."""
        default = next((c.code for c in codes if not c.dated), None)
        dated = [c for c in codes if c.dated]
        if not dated:
            return default, f" [{default}]", True
        if on is None:
            if default:
                return default, f" [{default}: default, no date given]", True
            latest = max(dated, key=lambda c: c.end or date.max)
            return latest.code, f" [{latest.code}: no date given; latest]", True
        for c in dated:
            if (c.start is None or c.start <= on) and (c.end is None or on <= c.end):
                return c.code, f" [{c.code} on {on}]", True
        if default:
            return default, f" [{default}: default, no dated code for {on}]", True
        prefixes = {c.code[:3] for c in dated}
        if len(prefixes) == 1:
            only = prefixes.pop()
            return only, f" [{only}: no code valid on {on}; country only]", False
        return None, "", False
