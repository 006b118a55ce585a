"""Near-duplicate articles (syndicated wire copy, small edits) by MinHash (datasketch).

An article's text becomes word 3-gram shingles; datasketch's :class:`~datasketch.MinHash`
gives a 128-value signature whose agreement estimates the Jaccard similarity of two shingle
sets. The signature is cut into 32 bands of 4 values; each band hashes to one 64-bit
``band_key`` stored in ``article_bands``, so candidates are the stored articles sharing any
band key (one indexed lookup, persistent across runs, the same on both backends). Candidates
are then confirmed on the estimated Jaccard similarity (``THRESHOLD``).

With 32 bands of 4 rows, a pair at similarity 0.8 shares a band with probability
1 - (1 - 0.7**4)**32 > 0.9998, and a pair at 0.3 only with 0.23 (then refused on the estimate).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

import numpy as np
from datasketch import MinHash

__all__ = ["Signature", "signature", "shingles", "similarity", "best_match", "NUM_PERM", "BANDS",
           "THRESHOLD"]

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
# Estimated Jaccard similarity of word 3-grams from which an article is a near-duplicate.
# Syndicated copies with a changed dateline, byline or a few words score 0.8-0.98 (a trimmed
# last paragraph costs ~0.1 more); two different reports of the same event share few word
# 3-grams and score well under 0.3 (tests/test_store.py). 0.7 keeps the edited copies of short
# wire items, whose estimate varies by about +-0.04 (128 values).
THRESHOLD = 0.7
SEED = 1  # fixed: signatures stored in the database must stay comparable across runs
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Signature:
    values: np.ndarray  # NUM_PERM unsigned 64-bit values

    def to_bytes(self) -> bytes:
        return self.values.astype("<u8").tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes) -> "Signature":
        return cls(np.frombuffer(bytes(blob), dtype="<u8"))

    def band_keys(self) -> list[int]:
        """One signed 64-bit key per band (the band number is part of the hash)."""
        keys = []
        for band in range(BANDS):
            chunk = self.values[band * ROWS:(band + 1) * ROWS].astype("<u8").tobytes()
            digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys


def shingles(text: str, n: int = 3) -> set[bytes]:
    """Word n-grams of the lower-cased text (all words if it has fewer than n)."""
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i:i + n]).encode("utf-8") for i in range(len(words) - n + 1)}


@lru_cache(maxsize=1)
def _template() -> MinHash:
    """A MinHash as datasketch makes it for (NUM_PERM, SEED): its permutations come from a
    seeded random state, the same every time, so they are drawn once (a quarter of a
    signature's cost otherwise) and reused with the same scheme."""
    return MinHash(num_perm=NUM_PERM, seed=SEED)


def signature(text: str) -> Signature:
    """The MinHash signature of an article text (the minimum per permutation: the order in
    which shingles are added does not matter)."""
    template = _template()
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=template.permutations,
                 scheme=template.scheme)
    mh.update_batch(list(shingles(text)))
    return Signature(np.asarray(mh.hashvalues, dtype="<u8"))


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity: the share of signature values that agree."""
    return float(np.mean(a.values == b.values))


def best_match(sig: Signature, candidates: Iterable[tuple[str, Signature]],
               threshold: float = THRESHOLD) -> Optional[tuple[str, float]]:
    """The most similar candidate ``(key, similarity)`` at or over ``threshold``, else None.
    Ties go to the first candidate (the earliest stored, when candidates come in that order).
    All candidates are compared in one array operation."""
    candidates = list(candidates)
    if not candidates:
        return None
    values = np.stack([other.values for _, other in candidates])
    scores = np.mean(values == sig.values, axis=1)
    i = int(np.argmax(scores))  # the first of the highest
    if scores[i] < threshold:
        return None
    return candidates[i][0], float(scores[i])
