"""Learned event-type classifier: sentence -> PLOVER type (or ``NONE``) probabilities.

A linear model (multinomial logistic regression over TF-IDF word 1-2-grams and
within-word character 2-5-grams) trained by ``scripts/train_classifier.py`` on
shippable data only (synthetic PLOVER stories, MIT; CAMEO codebook texts, MIT); see
``data/models/MODEL_CARD.md`` for data, figures and limits.

The model file is a pickle-free ``.npz`` (vocabularies, idf weights, coefficients and a JSON
header), scored here with numpy alone, so loading it cannot execute code and it does not depend
on the scikit-learn version that trained it. The vectorisers re-implement scikit-learn's
``TfidfVectorizer`` (default token pattern, lowercasing, ``char_wb`` n-grams, sublinear tf,
l2 norm per block); the training script checks that both give the same probabilities.

``NONE`` means "no PLOVER event": background, or a CAMEO 01x/02x statement or appeal, which
PLOVER does not code. ``1 - P(NONE)`` is the relevance score.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence, Union

import numpy as np

__all__ = ["EventClassifier", "ModelFileError", "CLASSES", "MODEL_FILE", "FORMAT"]

# The 16 PLOVER types (order of the PLOVER manual's table) and NONE; the model file must
# declare exactly these, in this order (tests pin it).
CLASSES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
           "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
           "ASSAULT", "NONE")
MODEL_FILE = "event_type.npz"
FORMAT = "eventwire-tfidf-logreg/1"
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
_SPACES = re.compile(r"\s\s+")  # scikit-learn's char_wb whitespace collapse


class ModelFileError(ValueError):
    """The model file is missing, malformed, or declares classes other than CLASSES."""


def _word_terms(text: str, lo: int, hi: int) -> list[str]:
    tokens = _TOKEN.findall(text.lower())
    terms = list(tokens) if lo == 1 else []
    for n in range(max(lo, 2), hi + 1):
        terms += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return terms


def _char_wb_words(text: str) -> list[str]:
    return _SPACES.sub(" ", text.lower()).split()


def _char_wb_word_terms(word: str, lo: int, hi: int) -> list[str]:
    """The char_wb n-grams of one word: they do not depend on the word's sentence."""
    terms = []
    w = f" {word} "
    for n in range(lo, hi + 1):
        if len(w) <= n:  # as scikit-learn: a short word counts once, longer n skipped
            terms.append(w)
            break
        terms += [w[i:i + n] for i in range(len(w) - n + 1)]
    return terms


def _char_wb_terms(text: str, lo: int, hi: int) -> list[str]:
    terms = []
    for word in _char_wb_words(text):
        terms += _char_wb_word_terms(word, lo, hi)
    return terms


_ANALYZERS = {"word": _word_terms, "char": _char_wb_terms}
# Words whose char n-gram indices a block keeps (per block; emptied when full): a news
# vocabulary of a few hundred thousand words fits, and a stream of new ones cannot grow it.
_WORD_CACHE_SIZE = 200_000


class _Block:
    """One TF-IDF block: vocabulary, idf, analyzer, and its slice of the coefficients."""

    def __init__(self, spec: dict, vocab: np.ndarray, idf: np.ndarray, offset: int):
        if spec["analyzer"] not in _ANALYZERS:
            raise ModelFileError(f"E-MODEL block {spec['name']!r}: analyzer "
                                 f"{spec['analyzer']!r} needs a parse; this scorer knows "
                                 f"{sorted(_ANALYZERS)}")
        self.analyze = _ANALYZERS[spec["analyzer"]]
        self.lo, self.hi = spec["ngram_range"]
        self.index = {term: i for i, term in enumerate(vocab.tolist())}
        self.idf = idf.astype(np.float64)
        self.offset = offset
        self._by_word: dict[str, tuple[int, ...]] | None = (
            {} if spec["analyzer"] == "char" else None)

    def _term_indices(self, text: str) -> list[int]:
        """Vocabulary indices of the terms of ``text`` that the model knows, in term order."""
        if self._by_word is None:
            index = self.index
            return [i for i in map(index.get, self.analyze(text, self.lo, self.hi))
                    if i is not None]
        out: list[int] = []
        cache = self._by_word
        for word in _char_wb_words(text):
            ids = cache.get(word)
            if ids is None:
                if len(cache) >= _WORD_CACHE_SIZE:
                    cache.clear()
                ids = cache[word] = tuple(
                    i for i in map(self.index.get, _char_wb_word_terms(word, self.lo, self.hi))
                    if i is not None)
            out += ids
        return out

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(global feature indices, l2-normalised sublinear tf-idf values) of ``text``."""
        # Counter keeps first-occurrence order: the same feature order, hence the same sums
        counts = Counter(self._term_indices(text))
        if not counts:
            return np.empty(0, dtype=np.int64), np.empty(0)
        idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
        val = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[idx]
        return idx + self.offset, val / np.linalg.norm(val)


class EventClassifier:
    """Scores sentences with the packaged linear model. Build once with :meth:`load`."""

    def __init__(self, header: dict, blocks: list[_Block], coef: np.ndarray,
                 intercept: np.ndarray):
        self.header = header
        self.version: str = header["version"]
        self.classes: tuple[str, ...] = tuple(header["classes"])
        self._blocks = blocks
        self._coef_t = np.ascontiguousarray(coef.astype(np.float64).T)  # features x classes
        self._intercept = intercept.astype(np.float64)

    @classmethod
    def load(cls) -> "EventClassifier":
        """The model shipped in ``eventwire/data/models`` (read once per process)."""
        return _load_packaged()

    @classmethod
    def from_file(cls, path: Union[str, Path]) -> "EventClassifier":
        """A model from an ``.npz`` written by ``scripts/train_classifier.py``."""
        try:
            with np.load(path, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        except (OSError, ValueError) as exc:
            raise ModelFileError(f"E-MODEL cannot read classifier model {path}: {exc}") from exc
        return cls._from_arrays(arrays, str(path))

    @classmethod
    def _from_arrays(cls, arrays: dict, where: str) -> "EventClassifier":
        try:
            header = json.loads(str(arrays["header"]))
            if header.get("format") != FORMAT:
                raise ModelFileError(f"E-MODEL {where}: format {header.get('format')!r}, "
                                     f"expected {FORMAT!r}")
            if tuple(header["classes"]) != CLASSES:
                raise ModelFileError(f"E-MODEL {where}: classes {header['classes']} != "
                                     f"expected {list(CLASSES)}")
            blocks, offset = [], 0
            for spec in header["blocks"]:
                vocab = arrays[f"{spec['name']}_vocab"]
                blocks.append(_Block(spec, vocab, arrays[f"{spec['name']}_idf"], offset))
                offset += len(vocab)
            coef, intercept = arrays["coef"], arrays["intercept"]
        except KeyError as exc:
            raise ModelFileError(f"E-MODEL {where}: missing entry {exc}") from None
        if coef.shape != (len(CLASSES), offset) or intercept.shape != (len(CLASSES),):
            raise ModelFileError(f"E-MODEL {where}: coef {coef.shape} / intercept "
                                 f"{intercept.shape} do not fit {len(CLASSES)} classes x "
                                 f"{offset} features")
        return cls(header, blocks, coef, intercept)

    def scores(self, sentences: Sequence[str]) -> np.ndarray:
        """Probability matrix, one row per sentence, columns in :data:`CLASSES` order."""
        if isinstance(sentences, str):
            raise TypeError("EventClassifier.predict takes a sequence of sentences, got one "
                            f"str ({sentences[:40]!r}...); use top() for a single sentence")
        out = np.empty((len(sentences), len(self.classes)))
        for row, text in enumerate(sentences):
            logits = self._intercept.copy()
            for block in self._blocks:
                idx, val = block.features(text)
                if len(idx):
                    logits += val @ self._coef_t[idx]
            logits -= logits.max()  # softmax, overflow-safe
            p = np.exp(logits)
            out[row] = p / p.sum()
        return out

    def predict(self, sentences: Sequence[str]) -> list[dict[str, float]]:
        """For each sentence, PLOVER type (or ``"NONE"``) -> probability; each sums to 1."""
        return [dict(zip(self.classes, map(float, row))) for row in self.scores(sentences)]

    def top(self, sentence: str) -> tuple[str, float]:
        """The most probable class of one sentence and its probability."""
        row = self.scores([sentence])[0]
        best = int(row.argmax())
        return self.classes[best], float(row[best])

    def relevance(self, sentences: Sequence[str]) -> list[float]:
        """``1 - P(NONE)``: how likely each sentence states a codable PLOVER event."""
        none = self.classes.index("NONE")
        return [float(1.0 - row[none]) for row in self.scores(sentences)]


@lru_cache(maxsize=1)
def _load_packaged() -> EventClassifier:
    ref = resources.files("eventwire").joinpath("data", "models", MODEL_FILE)
    with resources.as_file(ref) as path:
        if not path.is_file():
            raise ModelFileError(f"E-MODEL packaged classifier model {path} is missing; "
                                 f"rebuild it with scripts/train_classifier.py --ship")
        return EventClassifier.from_file(path)
