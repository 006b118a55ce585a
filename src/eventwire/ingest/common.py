"""What every reader shares: the input's context, date parsing, and the checks that turn a
candidate article into an :class:`Article` or an :class:`InputProblem` (size, emptiness,
language)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Optional, Union

from ..records import Article, InputProblem
from ..settings import Settings

__all__ = ["Source", "Result", "parse_date", "finish", "problem"]

Result = Union[Article, InputProblem]

_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])")
# Below this many characters py3langid guesses too wildly (datelines, names) to refuse on.
_LANGUAGE_MIN_CHARS = 200
# Refuse only when the model is this sure of one non-English language.
_LANGUAGE_MIN_PROB = 0.90
_LANGUAGE_SAMPLE = 3000
# A text whose letters are mostly non-Latin (Arabic, Cyrillic, CJK) needs only this many.
_SCRIPT_MIN_LETTERS = 20
_LANGUAGE_NAMES = {
    "fr": "French", "ar": "Arabic", "de": "German", "es": "Spanish", "ru": "Russian",
    "zh": "Chinese", "pt": "Portuguese", "it": "Italian", "tr": "Turkish", "fa": "Persian",
    "uk": "Ukrainian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "pl": "Polish",
    "he": "Hebrew", "ur": "Urdu", "hi": "Hindi", "id": "Indonesian",
}


@dataclass(frozen=True)
class Source:
    """One input being read: where it came from and the caller's options."""

    origin: str  # path as given, or "-" for stdin
    default_id: str  # file name without extension, or "stdin"
    published: Optional[date]
    settings: Settings

    def at(self, line: int) -> str:
        """Origin of one record of this input (JSONL line)."""
        return f"{self.origin}:{line}"


def problem(origin: str, code: str, message: str) -> InputProblem:
    return InputProblem(origin=origin, code=code, message=message)


def parse_date(value: Any) -> Optional[date]:
    """``YYYY-MM-DD`` or a timestamp starting with it -> date; raises ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValueError(f"published must be a YYYY-MM-DD string, got {type(value).__name__}")
    match = _ISO_DATE.match(value)
    if not match:
        raise ValueError(f"published {value!r} is not a YYYY-MM-DD date")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise ValueError(f"published {value!r} is not a valid date ({exc})") from None


def finish(src: Source, origin: str, *, text: Optional[str], id: Optional[str] = None,
           title: Optional[str] = None, url: Optional[str] = None,
           publisher: Optional[str] = None, published: Optional[date] = None,
           empty_code: str = "E-EMPTY") -> Result:
    """Check a candidate article (empty, too large, not English) and build the record.

    The publication date falls back to the caller's ``published`` option, and the record says
    which one it got (``published_from``), so a fallback is never silent.
    """
    text = (text or "").strip()
    if not text:
        return problem(origin, empty_code, "has no article text")
    if "\x00" in text:  # PostgreSQL refuses NUL in text; no article needs one
        return problem(origin, "E-BINARY", "article text contains NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a JSON "\ud800" escape decodes to an unpaired surrogate
        return problem(origin, "E-ENCODING", "article text has an unpaired surrogate")
    cap = src.settings.max_article_chars
    if len(text) > cap:
        return problem(origin, "E-TOO-LARGE",
                       f"article text is {len(text):,} characters, over the cap of {cap:,} "
                       f"(settings.max_article_chars)")
    language = foreign_language(text)
    if language:
        return problem(origin, "E-LANGUAGE", f"is not English: looks like {language}")
    if published is not None:
        when, source = published, "metadata"
    elif src.published is not None:
        when, source = src.published, "option"
    else:
        when, source = None, "missing"
    return Article(id=_clean(id) or src.default_id, text=text, title=_clean(title), url=_clean(url),
                   publisher=_clean(publisher), published=when, published_from=source,
                   origin=origin)


def _clean(value: Optional[str]) -> Optional[str]:
    """Metadata as one line, without NUL or unpaired surrogates (no store or encoder takes
    them; unlike the text, a title is not worth refusing the article for)."""
    if value is None:
        return None
    value = "".join(ch for ch in str(value) if ch != "\x00" and not "\ud800" <= ch <= "\udfff")
    value = " ".join(value.split())
    return value or None


def foreign_language(text: str) -> Optional[str]:
    """Name the language of ``text`` if it is confidently not English, else ``None``.

    Latin-script texts are judged only from ``_LANGUAGE_MIN_CHARS`` on (short wire items full
    of names fool the model); a text mostly in another script is not English at any length.
    """
    sample = text[:_LANGUAGE_SAMPLE]
    letters = [ch for ch in sample if ch.isalpha()]
    other_script = sum(1 for ch in letters if not _latin(ch))
    if len(letters) >= _SCRIPT_MIN_LETTERS and other_script > 0.5 * len(letters):
        lang, prob = _identifier().classify(sample)
        return f"{_LANGUAGE_NAMES.get(lang, lang)} ({lang}, p={prob:.2f}; mostly non-Latin script)"
    if len(text) < _LANGUAGE_MIN_CHARS:
        return None
    lang, prob = _identifier().classify(sample)
    if lang == "en" or prob < _LANGUAGE_MIN_PROB:
        return None
    return f"{_LANGUAGE_NAMES.get(lang, lang)} ({lang}, p={prob:.2f})"


def _latin(ch: str) -> bool:
    return ch.isascii() or "\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff"


@lru_cache(maxsize=1)
def _identifier():
    # Loaded once per process (0.6 s); normalised probabilities make the threshold meaningful.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
