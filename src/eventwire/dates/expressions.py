"""Date expressions resolved against the publication date ("on 23 January", "since
2011", "earlier this month") and the background rule. Part of ``eventwire.dates``."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Callable, Optional

from dateparser.date import DateDataParser

from ..records import When
from ..settings import DEFAULT

__all__ = ["resolve_expression", "is_background", "load_cues", "Cues"]

_CUES_FILE = "date_cues.tsv"
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH_RE = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_WEEKDAY_RE = r"(?:" + "|".join(_WEEKDAYS) + r")"
_PART_OF_DAY = r"(?:morning|afternoon|evening|night)"
_UNIT_RE = r"(day|week|month|year|decade)"
_YEAR_RE = re.compile(r"\b(1[5-9]\d\d|2\d\d\d)\b")
_FORWARD = ("coming", "next", "following", "later", "after")


@dataclass(frozen=True)
class Cues:
    """The word lists of ``data/date_cues.tsv`` (its header explains each kind)."""

    number: dict[str, int]
    relative_day: dict[str, int]
    anchored: dict[str, int]
    season: dict[str, str]
    part: dict[str, int]
    recent_span: dict[str, int]
    prep: tuple[str, ...]
    qualifier: tuple[str, ...]
    non_date: frozenset[str]
    future_head: frozenset[str]
    retold_noun: frozenset[str]
    retold_adverb: frozenset[str]
    sequence: tuple[str, ...]


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """Read ``data/date_cues.tsv`` once; ``ValueError`` names a malformed line or unknown kind."""
    rows: dict[str, dict[str, str]] = {kind: {} for kind in Cues.__dataclass_fields__}
    text = resources.files("eventwire").joinpath("data", _CUES_FILE).read_text("utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in rows:
            raise ValueError(f"E-CUES {_CUES_FILE}:{n}: expected kind<TAB>phrase<TAB>value with "
                             f"kind one of {sorted(rows)}, got {line!r}")
        rows[parts[0]][parts[1]] = parts[2].strip()
    ints = {k: {p: int(v) for p, v in rows[k].items()}
            for k in ("number", "relative_day", "anchored", "part", "recent_span")}
    longest = {k: tuple(sorted(rows[k], key=len, reverse=True))
               for k in ("prep", "qualifier", "sequence")}
    sets = {k: frozenset(rows[k]) for k in ("non_date", "future_head", "retold_noun",
                                                    "retold_adverb")}
    return Cues(season=rows["season"], **ints, **longest, **sets)


# -- date arithmetic --------------------------------------------------------------------------

def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _shift(d: date, unit: str, n: int) -> date:
    """``d`` moved by ``n`` units (months keep the day where the month has it)."""
    if unit in ("day", "week"):
        return d + timedelta(days=n * (7 if unit == "week" else 1))
    index = d.year * 12 + d.month - 1 + n * {"month": 1, "year": 12, "decade": 120}[unit]
    y, m = index // 12, index % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _period(d: date, unit: str) -> tuple[date, date]:
    """The calendar day, week (Monday-Sunday), month or year containing ``d``."""
    if unit == "week":
        monday = d - timedelta(days=d.weekday())
        return monday, monday + timedelta(days=6)
    if unit == "month":
        return _month_span(d.year, d.month)
    if unit in ("year", "decade"):
        return date(d.year, 1, 1), date(d.year, 12, 31)
    return d, d


def _when(text: str, start: date, end: date, precision: str, reason: str) -> When:
    if end < start:  # a guard: callers build intervals that could cross over
        start, end = end, start
    return When(text=text, start=start, end=end, precision=precision, reason=reason)


@dataclass(frozen=True)
class _Ctx:
    """One resolution: the text as written, the reference dates and the cues."""

    text: str
    published: date
    future: bool
    anchor: Optional[date]  # the narrated date "two days earlier" counts from, when known
    cues: Cues

    def day(self, offset: int, reason: str, *, anchored: bool = False) -> When:
        d = (self.anchor if anchored and self.anchor else self.published) + timedelta(days=offset)
        return _when(self.text, d, d, "day", reason)

    def count(self, words: str) -> Optional[int]:
        return int(words) if words.isdigit() else self.cues.number.get(words)


# -- rules: normalized expression -> When | None; order in _RULES matters ---------------------

def _rule_relative_day(s: str, c: _Ctx) -> Optional[When]:
    """today, tonight, yesterday; the previous day, that night (from the narrated date)."""
    core = re.sub(r"^(?:early|late)\s+|\s+" + _PART_OF_DAY + r"$", "", s)
    for phrase in (s, core):
        if phrase in c.cues.relative_day:
            return c.day(c.cues.relative_day[phrase], f"relative day {phrase!r}")
        if phrase in c.cues.anchored:
            how = "the narrated date" if c.anchor else "publication (no narrated date)"
            return c.day(c.cues.anchored[phrase], f"{phrase!r} counted from {how}", anchored=True)
    return None


def _rule_weekday(s: str, c: _Ctx) -> Optional[When]:
    """Monday, last Tuesday, next Friday: past -> most recent on/before publication."""
    m = re.fullmatch(r"(?:(last|next|this|early|late)\s+)?(" + _WEEKDAY_RE + r")(?:\s+"
                     + _PART_OF_DAY + r")?", s)
    if not m:
        return None
    which, wd, pub = m.group(1), _WEEKDAYS[m.group(2)], c.published
    back, ahead = (pub.weekday() - wd) % 7, (wd - pub.weekday()) % 7
    future = which == "next" or (c.future and which != "last")
    if which in ("last", "next"):  # "last Monday" in a Monday story is a week back
        back, ahead = back or 7, ahead or 7
    d = pub + timedelta(days=ahead) if future else pub - timedelta(days=back)
    return _when(c.text, d, d, "day", f"weekday {m.group(2)} ({'future' if future else 'past'}) "
                                      f"from publication")


def _rule_clock(s: str, c: _Ctx) -> Optional[When]:
    """A clock time or part of day alone ("about 9:05 a.m.", "noon"): the reference day."""
    clock = r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?|gmt|local time)|noon|midnight)"
    if re.fullmatch(r"(?:about|around|at|shortly after|shortly before|just after)?\s*"
                    r"(?:" + clock + r"|(?:the\s+)?" + _PART_OF_DAY + r")", s):
        how = "the narrated date" if c.anchor else "publication"
        return c.day(0, f"time of day only: day of {how}", anchored=True)
    return None


def _rule_named_period(s: str, c: _Ctx) -> Optional[When]:
    """this/last/next week|month|year|weekend, earlier this month, the year."""
    m = re.fullmatch(r"(?:(earlier|later|early|late) )?(this|last|next|the previous|the|the same)"
                     r" (week|weekend|month|year)", s)
    if not m:
        return None
    mod, which, unit = m.groups()
    pub = c.published
    step = {"last": -1, "the previous": -1, "next": 1}.get(which, 0)
    if unit == "weekend":
        sat = pub - timedelta(days=(pub.weekday() - 5) % 7)  # the most recent Saturday
        if step == 1 or (c.future and step == 0 and pub.weekday() < 5):
            sat += timedelta(days=7)
        elif step == -1 and pub.weekday() >= 5:
            sat -= timedelta(days=7)
        return _when(c.text, sat, sat + timedelta(days=1), "span", f"weekend ({which})")
    start, end = _period(_shift(pub, unit, step), unit)
    if step == 0 and which != "the":
        # ANNOTATION.md: "this year" is 1 January to publication; "later this month" runs on
        runs_on = mod == "later" or (c.future and mod != "earlier")
        start, end = (pub, end) if runs_on else (start, pub)
    return _when(c.text, start, end, unit, f"{which} {unit} from publication")


def _rule_ago(s: str, c: _Ctx) -> Optional[When]:
    """two days ago, 40 years ago; 'two days earlier/later' count from the narrated date."""
    m = re.fullmatch(r"(.+?) " + _UNIT_RE + r"s? (ago|earlier|later|before|after)", s)
    n = c.count(m.group(1)) if m else None
    if n is None:
        return None
    unit, direction = m.group(2), m.group(3)
    anchored = direction != "ago" and c.anchor is not None
    d = _shift(c.anchor if anchored else c.published, unit, n if direction in _FORWARD else -n)
    precision = "year" if unit == "decade" else unit
    return _when(c.text, *_period(d, precision), precision, f"{n} {unit}(s) {direction} from "
                 f"{'the narrated date' if anchored else 'publication'}")


def _rule_recent_span(s: str, c: _Ctx) -> Optional[When]:
    """the past two years, last few days, recent months, the coming days: a span to/from now."""
    m = re.fullmatch(r"(?:the )?(past|last|previous|recent|coming|next|following) (?:(.+?) )?"
                     + _UNIT_RE + r"(s?)", s)
    if not m:
        return None
    direction, words, unit, plural = m.groups()
    if words is None and not plural and direction in ("last", "next", "previous"):
        return None  # "last week" is a calendar period (_rule_named_period)
    n = c.count(words) if words else (c.cues.recent_span.get(unit, 1) if plural else 1)
    if n is None:
        return None
    other = _shift(c.published, unit, n if direction in _FORWARD else -n)
    return _when(c.text, min(c.published, other), max(c.published, other), "span",
                 f"span of {n} {unit}(s) {'after' if other > c.published else 'up to'} publication")


def _third(when: When, which: int, reason: str) -> When:
    """Part 1, 2 or 3 (early/mid/late) of an interval; a single day stays as it is."""
    if when.start == when.end:
        return replace(when, reason=reason)
    length = (when.end - when.start).days + 1
    start = when.start + timedelta(days=length * (which - 1) // 3)
    end = when.start + timedelta(days=length * which // 3 - 1)
    return _when(when.text, start, end, "decade" if when.precision == "decade" else "span", reason)


def _rule_decade(s: str, c: _Ctx) -> Optional[When]:
    """the 1980s, the early 1990s, mid-1990s."""
    m = re.fullmatch(r"(?:the )?(early|mid|late)?[- ]?(?:the )?(1[5-9]\d|2\d\d)0'?s", s)
    if not m:
        return None
    first = int(m.group(2)) * 10
    whole = _when(c.text, date(first, 1, 1), date(first + 9, 12, 31), "decade", f"decade {first}s")
    return _third(whole, c.cues.part[m.group(1)], f"{m.group(1)} {first}s") if m.group(1) else whole


def _rule_season(s: str, c: _Ctx) -> Optional[When]:
    """the summer, last winter, summer 2016 (northern-hemisphere months from the cues)."""
    m = re.fullmatch(r"(?:(last|this|next|the) )?(?:the )?(spring|summer|autumn|fall|winter)"
                     r"(?: (?:of )?(\d{4}))?", s)
    if not m:
        return None
    which, name, year = m.groups()
    first, last = (int(x) for x in c.cues.season[name].split("-"))
    pub = c.published

    def span(y: int) -> tuple[date, date]:
        return date(y, first, 1), _month_span(y + (last < first), last)[1]

    y = int(year) if year else (pub.year if pub.month >= first else pub.year - 1)
    start, end = span(y)  # without a year: the most recent season begun by publication
    if not year and which == "last":
        start, end = span(y - 1)
    elif not year and (which == "next" or (c.future and end < pub)):
        start, end = span(y + 1)
    return _when(c.text, start, end, "span", f"season {name} {start.year}")


def _rule_month(s: str, c: _Ctx) -> Optional[When]:
    """December, last May, June this year, January last year (a month without a day)."""
    m = re.fullmatch(r"(?:(last|this|next) )?(" + _MONTH_RE + r")(?: (this|last|next) year)?", s)
    if not m:
        return None
    which, month, year_word = m.group(1), _MONTHS[m.group(2).rstrip(".")], m.group(3)
    pub = c.published
    if year_word:
        year = pub.year + {"this": 0, "last": -1, "next": 1}[year_word]
    elif which == "last":  # "last May" in May is a year back
        year = pub.year if month < pub.month else pub.year - 1
    elif which == "next" or (c.future and month < pub.month):
        year = pub.year if month > pub.month else pub.year + 1
    else:
        year = pub.year if (c.future or which == "this" or month <= pub.month) else pub.year - 1
    return _when(c.text, *_month_span(year, month), "month", f"month {m.group(2)} {year}")


def _rule_part(s: str, c: _Ctx) -> Optional[When]:
    """early/mid/late X and the start/middle/end of X, for any X the other rules resolve."""
    m = re.fullmatch(r"(?:the )?(early|mid|late|beginning|start|middle|end)(?: of|-| ) ?(.+)", s)
    inner = _apply_rules(m.group(2), c) if m and m.group(1) in c.cues.part else None
    if inner is None:
        return None
    return _third(replace(inner, text=c.text), c.cues.part[m.group(1)],
                  f"{m.group(1)} of ({inner.reason})")


def _rule_range(s: str, c: _Ctx) -> Optional[When]:
    """1990-2000, between March 1 and July 7, from 2015 to 2016: first start to second end."""
    m = re.fullmatch(r"(\d{4}) ?- ?(\d{2}|\d{4})", s)
    if m:
        sides = [m.group(1), m.group(2) if len(m.group(2)) == 4 else m.group(1)[:2] + m.group(2)]
    else:
        m = re.fullmatch(r"(?:between |from )?(.+?) (?:and|to|until|till|through) (.+)", s)
        sides = [m.group(1), m.group(2)] if m else []
    left, right = (_apply_rules(side, c) for side in sides) if sides else (None, None)
    if left is None or right is None or right.end < left.start:
        return None
    return _when(c.text, left.start, right.end, "span", f"range ({left.reason}; {right.reason})")


@lru_cache(maxsize=64)
def _date_parser(published: date, future: bool) -> DateDataParser:
    """dateparser, English only, relative to the publication date (never to today)."""
    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": datetime(published.year, published.month, published.day),
        "PREFER_DATES_FROM": "future" if future else "past",
        "PREFER_DAY_OF_MONTH": "first", "RETURN_TIME_AS_PERIOD": True})


@lru_cache(maxsize=16384)  # dateparser costs ~1.8 ms a call; wire copy repeats expressions
def _parse(s: str, published: date, future: bool) -> tuple[Optional[date], Optional[str]]:
    try:
        data = _date_parser(published, future).get_date_data(s)
    except (ValueError, OverflowError, TypeError, AttributeError, IndexError):
        return None, None  # dateparser on arbitrary text: its failure means "not a date"
    return (data.date_obj.date(), data.period) if data.date_obj else (None, None)


def _rule_dateparser(s: str, c: _Ctx) -> Optional[When]:
    """Absolute forms: '23 January', 'Dec 14, 2005', 'September 1995', 'In 2018'; else a year."""
    years = set(map(int, _YEAR_RE.findall(s)))
    if not (re.search(_MONTH_RE, s) or years) or re.search(r"\d{5}", s):
        return None  # without a month or a year dateparser reads ages and counts as dates
    m = re.match(r"(last|next|this) (?=" + _MONTH_RE + r")", s)  # "last November 13"
    future = c.future if not m else m.group(1) == "next" or (c.future and m.group(1) == "this")
    s = s[m.end():] if m else s
    d, period = _parse(s, c.published, future)
    if d is None or (years and d.year not in years):  # no reading, or the written year replaced
        if len(years) != 1:
            return None
        y = years.pop()  # "the first two months of 1987": the year is what we can say
        return _when(c.text, date(y, 1, 1), date(y, 12, 31), "year", f"year {y} only")
    if not years and not future and period == "day":
        # A day without a year in wire copy lies within months of the story: "answers no later
        # than May 10" in late April is this May, whatever the verb's tense.
        ahead, _ = _parse(s, c.published, True)
        if ahead and (ahead - c.published).days <= 45 and (c.published - d).days > 300:
            d = ahead
    precision = period if period in ("year", "month", "week") else "day"
    shown = {"year": f"{d:%Y}", "month": f"{d:%Y-%m}"}.get(precision, d.isoformat())
    return _when(c.text, *_period(d, precision), precision, f"dateparser {precision} {shown}")


_RULES: tuple[Callable[[str, _Ctx], Optional[When]], ...] = (
    _rule_relative_day, _rule_weekday, _rule_clock, _rule_named_period, _rule_ago,
    _rule_recent_span, _rule_decade, _rule_season, _rule_month, _rule_part, _rule_range,
    _rule_dateparser,
)


def _apply_rules(s: str, c: _Ctx) -> Optional[When]:
    s = _strip_words(s, c.cues)[1]
    if not s or s in c.cues.non_date:
        return None
    for rule in _RULES:
        when = rule(s, c)
        if when is not None:
            # far from the story is a misreading: "2130" in wire copy is a clock time
            return when if 1500 <= when.start.year <= c.published.year + 30 else None
    return None


def _strip_words(s: str, cues: Cues) -> tuple[str, str]:
    """Drop leading prepositions and hedges; return (the first preposition, the rest)."""
    first, changed = "", True
    while changed:
        changed = False
        for word in ("since",) + cues.prep:
            if s.startswith(word + " "):
                first, s, changed = first or word, s[len(word) + 1:].strip(), True
        for word in cues.qualifier:  # only before a count: "some 40 years ago", not "some days"
            rest = s[len(word) + 1:] if s.startswith(word + " ") else ""
            if rest and (rest.split(" ")[0].isdigit() or rest.split(" ")[0] in cues.number):
                s, changed = rest, True
    return first, s


def _normalize(text: str) -> str:
    """Lower case; cut a trailing wire dash ('March 5 - Iran'); drop possessives and edges."""
    s = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-").lower()
    s = re.split(r"\s+-+\s+", s, maxsplit=1)[0]
    s = re.sub(r"'s\b|(?<=s)'$", "", s)
    return re.sub(r"\s+", " ", s).strip(" \t\n,.;:()[]\"'")


def resolve_expression(text: str, published: date, *, future: bool = False) -> Optional[When]:
    """Resolve one date expression against the publication date.

    ``future`` says the governing verb is future ("will meet on Monday" -> the next Monday);
    otherwise weekdays and bare months are the most recent on or before publication. Returns
    ``None`` when ``text`` is not a date (durations, ages, frequencies, junk).

    >>> resolve_expression("last week", date(2023, 1, 24)).start
    datetime.date(2023, 1, 16)
    """
    return _resolve(text, published, future=future, anchor=None)


def _resolve(text: str, published: date, *, future: bool, anchor: Optional[date]) -> Optional[When]:
    """resolve_expression with an anchor (the narrated date 'two days earlier' counts from)."""
    if not isinstance(text, str) or not isinstance(published, date):
        return None
    cues = load_cues()
    prep, rest = _strip_words(_normalize(text), cues)
    ctx = _Ctx(text=text.strip(), published=published, future=future, anchor=anchor, cues=cues)
    try:
        when = _apply_rules(rest, ctx)
    except (OverflowError, ValueError):
        return None  # arithmetic beyond date.min/date.max: no usable date
    if when is None or prep != "since":
        return when
    # ANNOTATION.md: "since 2011" = 2011-01-01/publication
    return _when(ctx.text, when.start, max(published, when.start), "span",
                 f"since ({when.reason}) up to publication")


def is_background(when: When, published: Optional[date], *, retold: bool = False,
                  days: int = DEFAULT.background_days) -> bool:
    """True when the event is history well before publication.

    ANNOTATION.md: the whole interval ends more than ``days`` days before publication; an
    ongoing interval reaching publication is background only when ``retold`` (the sentence
    retells context: "has backed ... since 2011") and it began before that cut-off.
    """
    if published is None or when.start is None or when.end is None:
        return False
    try:
        cutoff = published - timedelta(days=days)
    except OverflowError:
        return False
    return when.end < cutoff or (retold and when.start < cutoff)


# -- choosing the expression that governs a trigger in a parsed sentence --------------------

# A date on an infinitival complement is the planned time of its governor and wins ("agreed to
# meet on Monday"); a date on a conjoined verb is shared, more weakly ("met and signed on Monday").
