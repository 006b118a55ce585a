"""Event time: the date or span of the event itself, resolved against the publication date.

GDELT dates every event by its article; here "In 2018, Syrian troops downed ..." in a 2023 story
is dated 2018 and marked background. Everything is relative to the article's ``published`` date
(news-dev has 1987 wire copy), never to today. :func:`resolve_expression` reads one expression:
our rules (word lists in ``data/date_cues.tsv``) take the relative and vague ones dateparser gets
wrong ("Tuesday" in a Tuesday story is that day; "the 1990s" is a decade, not a clock time);
dateparser takes the absolute ones ("23 January", "In 2018") and its period is our precision.
:class:`DateContext` picks the expression that governs a trigger, handles tense, carries a history
paragraph's date and falls back, saying so in ``When.reason``, to the publication date.
"""
from .context import DateContext
from .expressions import Cues, is_background, load_cues, resolve_expression

__all__ = ["resolve_expression", "DateContext", "is_background", "load_cues", "Cues"]
