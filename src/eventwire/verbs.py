"""Trigger lexicon: predicate (verb, phrasal verb, light verb + event noun) -> CAMEO code.

Data, not code: the patterns are in ``data/verbs.tsv`` (curated ``eventwire`` rows plus rows
generated from PETRARCH2's verb dictionary by ``scripts/build_verb_lexicon.py``),
``data/nouns.tsv`` (event nouns and the light verbs that carry them: "held talks",
"imposed sanctions") and ``data/lemma_fixes.tsv`` (spaCy lemma errors on trigger verbs).

A row constrains, besides the verb lemma, what a dependency parse shows:

- ``particle``: a ``prt`` child ("carry *out*");
- ``object``: the direct object (``dobj``; ``nsubjpass`` in the passive; an object complement
  ``oprd``/``acomp`` such as "held Israel *responsible*"; an ``xcomp`` verb such as "declined
  to *comment*"), as ``head`` or ``modifier head``
  ("humanitarian aid": head lemma ``aid`` with a child lemma ``humanitarian``);
- ``prep`` and ``pobj``: a preposition attached to the verb or to its object, and that
  preposition's object phrase ("imposed sanctions *on* Iran", "killed *in* an *air strike*").

:meth:`TriggerLexicon.match` returns the most specific matching row. Rows with code ``---``
say "explicitly not an event" (PETRARCH's null patterns, e.g. "kill ... in an accident"): when
one of them wins, ``match`` returns None instead of falling back to the verb's default code.
Modality (negation, intent, "agreed to meet") is decided by the events stage, not here.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from heapq import merge
from importlib import resources
from itertools import product
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

if TYPE_CHECKING:  # spaCy is only needed to call match(), not to load the tables
    from spacy.tokens import Token

__all__ = ["TriggerLexicon", "TriggerMatch", "Entry", "BLOCK", "VERB_COLUMNS",
           "NOUN_COLUMNS"]

BLOCK = "---"
VERB_COLUMNS = ("lemma", "particle", "object", "prep", "pobj", "code", "pattern", "origin")
NOUN_COLUMNS = ("noun", "code", "light_verbs", "note")
# Object slots: direct object, passive subject, object/adjectival complement.
# xcomp: "declined to comment" (decline + comment -> 011); the intent reading of "agreed to
# meet" is the events stage's business, the row for "agree" still matches.
_OBJECT_DEPS = {"dobj", "obj", "nsubjpass", "oprd", "acomp", "xcomp"}
_PREP_DEPS = {"prep", "agent", "dative"}
# "dozens of protesters", "hundreds of people": the semantic head is the of-object.
_PARTITIVES = {"dozen", "hundred", "thousand", "million", "score", "number", "group",
               "some", "several", "many", "all", "most", "one", "two", "three", "member"}
_ORIGIN_RANK = {"eventwire": 0, "petrarch2": 1}


@dataclass(frozen=True)
class TriggerMatch:
    """A lexicon row that matched a predicate.

    ``token_i`` is the doc index of the predicate token passed to :meth:`TriggerLexicon.match`
    (its children carry the arguments); for light-verb constructions ("launched an attack")
    ``noun_i`` is the doc index of the event noun. ``specificity`` counts the constraints the
    row checked (0 = bare lemma).
    """

    code: str
    token_i: int
    pattern: str
    origin: str
    specificity: int
    noun_i: Optional[int] = None


@dataclass(frozen=True)
class Entry:
    """One pattern row (from verbs.tsv, or a light verb + event noun from nouns.tsv)."""

    lemma: str
    particle: str
    object: str
    prep: str
    pobj: str
    code: str
    pattern: str
    origin: str
    nominal: bool = False  # object is an event noun carried by a light verb
    order: int = 0  # row order in the files, the last tie-breaker

    @property
    def specificity(self) -> int:
        return (bool(self.particle) + len(self.object.split()) + bool(self.prep)
                + len(self.pobj.split()))

    def rank(self) -> tuple[int, int, int]:
        """Sort key: most specific first, curated before generated, then file order."""
        return (-self.specificity, _ORIGIN_RANK.get(self.origin, 9), self.order)


def _data_rows(name: str, columns: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Rows of a TSV in eventwire/data; '#' lines are comments; header must equal columns."""
    text = resources.files("eventwire").joinpath("data", name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    header = tuple(lines[0].split("\t"))
    if header != columns:
        raise ValueError(f"E-LEXICON data/{name}: header {header} != expected {columns}")
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise ValueError(f"E-LEXICON data/{name}: data line {n} has {len(cells)} cells, "
                             f"expected {len(columns)}: {line!r}")
        yield dict(zip(columns, cells))


def _phrase_matches(phrase: str, token: "Token") -> bool:
    """``phrase`` is "head" or "modifier head": the token's lemma is the head and the modifier
    is among its children (compound, amod, nmod...)."""
    words = phrase.split()
    if _lemma(token) != words[-1]:
        return False
    mods = {_lemma(c) for c in token.children}
    return all(w in mods for w in words[:-1])


def _lemma(token: "Token") -> str:
    return token.lemma_.lower()


def _objects(verb: "Token") -> list["Token"]:
    out = []
    for child in verb.children:
        if child.dep_ in _OBJECT_DEPS:
            out.append(child)
            out.extend(c for c in child.children if c.dep_ == "conj")
    for obj in list(out):  # "dozens of protesters" -> protesters as well
        if _lemma(obj) in _PARTITIVES or obj.pos_ == "NUM":
            out.extend(p for c in obj.children if c.dep_ == "prep" and _lemma(c) == "of"
                       for p in c.children if p.dep_ == "pobj")
    return out


def _preps(verb: "Token", objects: Iterable["Token"]) -> list[tuple[str, list["Token"]]]:
    """(preposition lemma, its objects) attached to the verb or to one of its objects."""
    out = []
    for head in [verb, *objects]:
        for child in head.children:
            if child.dep_ in _PREP_DEPS:
                pobjs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
                pobjs += [c for p in pobjs for c in p.children if c.dep_ == "conj"]
                out.append((_lemma(child), pobjs))
    return out


class TriggerLexicon:
    """Verb and light-verb patterns indexed by lemma. Build once with :meth:`load`."""

    def __init__(self, entries: Iterable[Entry], nouns: dict[str, tuple[str, str]],
                 lemma_fixes: dict[str, str]):
        by_lemma: dict[str, list[Entry]] = {}
        for e in entries:
            by_lemma.setdefault(e.lemma, []).append(e)
        self._by_lemma = {k: tuple(sorted(v, key=Entry.rank)) for k, v in by_lemma.items()}
        # match() checks only the rows whose required particle, preposition and object head
        # the parse has: per lemma, (particle, prep, object head) -> (position, row) in the
        # order above ("" = no such constraint)
        self._by_constraint = {k: _constraint_index(v) for k, v in self._by_lemma.items()}
        self._nouns = dict(nouns)  # noun phrase -> (code, note)
        heads: dict[str, list[str]] = {}
        for phrase in sorted(nouns, key=lambda p: -len(p.split())):  # longest phrase first
            heads.setdefault(phrase.split()[-1], []).append(phrase)
        self._noun_heads = heads
        self._fixes = dict(lemma_fixes)

    @classmethod
    def load(cls) -> "TriggerLexicon":
        """The package lexicon (verbs.tsv + nouns.tsv + lemma_fixes.tsv), read once."""
        return _load()

    @classmethod
    def from_rows(cls, verb_rows: Iterable[dict[str, str]],
                  noun_rows: Iterable[dict[str, str]] = (),
                  lemma_fixes: Optional[dict[str, str]] = None) -> "TriggerLexicon":
        """Build from row dicts (columns as in the TSVs), e.g. for a user's own lexicon."""
        entries, nouns, order = [], {}, 0
        for order, row in enumerate(verb_rows):
            entries.append(Entry(**{c: row[c] for c in VERB_COLUMNS}, order=order))
        for row in noun_rows:
            nouns[row["noun"]] = (row["code"], row["note"])
            for verb in filter(None, (v.strip() for v in row["light_verbs"].split(","))):
                order += 1
                lemma, _, particle = verb.partition(" ")  # "carry out" -> carry + out
                entries.append(Entry(lemma, particle, row["noun"], "", "", row["code"],
                                     f"light verb: {verb} + {row['noun']}", "eventwire",
                                     nominal=True, order=order))
        return cls(entries, nouns, lemma_fixes or {})

    def lemmas(self) -> frozenset[str]:
        """Every verb lemma with at least one row (light verbs included)."""
        return frozenset(self._by_lemma)

    def nouns(self) -> frozenset[str]:
        """Every event noun of nouns.tsv."""
        return frozenset(self._nouns)

    def entries(self, lemma: str) -> tuple[Entry, ...]:
        """Rows for a lemma, most specific first (the order :meth:`match` tries them)."""
        return self._by_lemma.get(lemma, ())

    def match(self, token: "Token") -> Optional[TriggerMatch]:
        """The most specific row matching ``token`` and its dependents, or None.

        ``token`` is a predicate (VERB/AUX). A NOUN/PROPN token that is an event noun of
        nouns.tsv ("the *airstrike* killed...") matches its noun row with specificity 0.
        None when the lemma has no row, no row's constraints hold, or the winning row is a
        ``---`` (not an event) row.
        """
        lemma = self._fixes.get(token.text.lower(), _lemma(token))
        if token.pos_ in ("NOUN", "PROPN"):
            return self._match_noun(token, lemma)
        candidates = self._by_lemma.get(lemma)
        if not candidates:
            return None
        particles = {_lemma(c) for c in token.children
                     if c.dep_ == "prt" or (c.dep_ == "advmod" and c.pos_ == "ADP")}
        objects = _objects(token)
        preps = _preps(token, objects)
        index = self._by_constraint[lemma]
        groups = [rows for key in product({"", *particles}, {"", *(p for p, _ in preps)},
                                          {"", *(_lemma(o) for o in objects)})
                  if (rows := index.get(key)) is not None]
        if len(groups) != 1:  # rows that may hold, back in the order of ``candidates``
            groups = [list(merge(*groups))]
        for _, entry in groups[0]:
            noun = self._check(entry, particles, objects, preps)
            if noun is False:
                continue
            if entry.code == BLOCK:
                return None
            return TriggerMatch(entry.code, token.i, entry.pattern, entry.origin,
                                entry.specificity, noun.i if entry.nominal else None)
        return None

    def _match_noun(self, token: "Token", lemma: str) -> Optional[TriggerMatch]:
        for phrase in self._noun_heads.get(lemma, ()):
            if _phrase_matches(phrase, token):
                code = self._nouns[phrase][0]
                return TriggerMatch(code, token.i, f"noun: {phrase}", "eventwire",
                                    len(phrase.split()) - 1, token.i)
        return None

    @staticmethod
    def _check(entry: Entry, particles, objects, preps):
        """False if a constraint fails, else the matched object token (or None)."""
        if entry.particle and entry.particle not in particles:
            return False
        matched = None
        if entry.object:
            matched = next((o for o in objects if _phrase_matches(entry.object, o)), None)
            if matched is None:
                return False
        if entry.prep:
            ok = any(p == entry.prep and (not entry.pobj or any(
                _phrase_matches(entry.pobj, o) for o in pobjs)) for p, pobjs in preps)
            if not ok:
                return False
        return matched


def _constraint_index(rows: tuple[Entry, ...]
                      ) -> dict[tuple[str, str, str], tuple[tuple[int, Entry], ...]]:
    """Rows grouped by what they require of the parse (particle, preposition, object head
    lemma), each with its position in ``rows``; a row can only match a token that has all
    three."""
    index: dict[tuple[str, str, str], list[tuple[int, Entry]]] = {}
    for pos, e in enumerate(rows):
        head = e.object.split()[-1] if e.object.split() else ""
        index.setdefault((e.particle, e.prep, head), []).append((pos, e))
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _load() -> TriggerLexicon:
    fixes = {r["form"]: r["lemma"] for r in _data_rows("lemma_fixes.tsv",
                                                      ("form", "lemma", "note"))}
    return TriggerLexicon.from_rows(_data_rows("verbs.tsv", VERB_COLUMNS),
                                    _data_rows("nouns.tsv", NOUN_COLUMNS), fixes)
