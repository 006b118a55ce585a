"""Fuzz targets shared by the CI property tests (tests/test_fuzz_*.py) and the long run
(fuzz/run.py): hypothesis strategies that generate hostile inputs, and ``check_*`` functions
that feed one input to eventwire and assert its contract.

The contract, for every reader and resolver: no exception escapes (an ``E-INTERNAL`` problem is
a reader bug caught by the batch guard and counts as a crash too), no call runs over
``CASE_SECONDS`` (a hang), and what comes back is well formed: problems carry a known code and
one line naming the input; articles carry storable text (non-empty, under the cap, encodable as
UTF-8, no NUL, which PostgreSQL refuses); dates and places are ordered and in range.

News-like material here is written for this file (realistic wire phrasing about well-known
places and offices), never copied from the shared data.
"""
from __future__ import annotations

import json
import math
import re
import string
import traceback
from datetime import date
from typing import Any, Optional

from hypothesis import strategies as st

from eventwire.limits import time_limit
from eventwire.records import Article, Event, InputProblem, Place, When

__all__ = ["CASE_SECONDS", "READER_CODES", "KNOWN_BUGS", "reader_inputs", "date_expressions",
           "publication_dates", "wire_sentences", "place_names", "wire_articles", "iso3_lists",
           "known_bug", "check_read", "check_resolve", "check_date_context", "check_lookup",
           "check_event_place", "check_code"]

# A generated case is a hang when it takes longer than this (inputs are at most ~200 KB).
CASE_SECONDS = 10.0
READER_CODES = frozenset({"E-NOTFOUND", "E-READ", "E-EMPTY", "E-BINARY", "E-ENCODING",
                          "E-TOO-LARGE", "E-LANGUAGE", "E-EXTRACT", "E-RECORD", "E-FEED"})
PRECISIONS = frozenset({"day", "week", "month", "year", "span", "decade", "unknown"})
_ORIGINS = {None: "input", "text": "input.txt", "html": "page.html", "jsonl": "lines.jsonl",
            "feed": "feed.xml"}

# -- news-like vocabulary ---------------------------------------------------------------------

ACTORS = ["Iran", "the United States", "Russian troops", "Hamas militants", "police",
          "Syria's Defense Minister", "U.N. Secretary-General Antonio Guterres", "protesters",
          "the European Union", "Turkish President Recep Tayyip Erdogan", "Israeli jets",
          "Ukraine's foreign ministry", "China", "NATO", "rebels", "the Kremlin", "Kenyan police"]
VERBS = ["met", "attacked", "accused", "signed an agreement with", "threatened", "arrested",
         "condemned", "visited", "shelled", "called on", "rejected talks with", "hosted",
         "imposed sanctions on", "praised", "expelled diplomats from", "did not meet",
         "will meet", "agreed to send aid to", "has backed", "warned"]
PLACES = ["in Tehran", "near Homs", "on the outskirts of Damascus", "in southern Iraq",
          "in the port city of Basra", "in Kyiv", "at the border", "in Geneva", "in Gaza City",
          "in Homs province", "in Nairobi", "in the Black Sea", ""]
WHEN_WORDS = ["on Monday", "last week", "on 23 January", "in 2018", "two days ago", "since 2011",
              "on Dec. 14, 2005", "earlier this month", "in the 1990s", "next Tuesday",
              "between March and May", "at 10 pm", "this spring", "late last year", ""]
CLAIMS = ["officials said.", "according to Reuters.", "state media reported.",
          "a senior U.S. official told reporters.", "", "."]
PLACE_NAMES = ["Tehran", "Homs", "Basra", "Kyiv", "Kiev", "Gaza", "Victoria", "Georgia",
               "Jordan", "Washington", "Mosul", "Qalqilya", "Hong Kong's", "Aleppo", "Donetsk",
               "Crimea", "Persian Gulf", "Idlib", "Sanaa", "Tripoli", "Paris", "São Paulo",
               "Zürich", "Kinshasa", "Nagorno-Karabakh", "West Bank", "United States"]
PLACE_AFFIXES = ["", "southern ", "northern ", "eastern ", "central ", "the city of ",
                 "greater "]
PLACE_SUFFIXES = ["", " province", " governorate", " region", " district", "'s", " city"]
MONTHS = ["January", "Feb.", "March", "Apr", "May", "June", "Jul.", "August", "Sept.",
          "October", "Nov", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
UNITS = ["day", "week", "month", "year", "decade", "century", "hour", "fortnight"]

_numbers = st.one_of(st.integers(-5, 40), st.integers(0, 10**12), st.sampled_from(
    ["two", "three", "a dozen", "several", "a few", "2,000", "1.5", "0", "-1", "99999"]))
_years = st.one_of(st.integers(1, 9999), st.integers(1900, 2100))
# Text a feed or a scraper may really hand us: control characters, RTL marks, emoji, mojibake.
_noise = st.one_of(st.text(max_size=40),
                   st.sampled_from(["\u200f", "\ufeff", "\x0b", "\u2028", "ï»¿", "Ã©",
                                    "\ufffd",
                                    "&nbsp;", "&#0;", "&#xD800;", "\\u0000", "🙂", "\r\n"]))


def _sentence(draw) -> str:
    parts = [draw(st.sampled_from(WHEN_WORDS)).capitalize() + ","
             if draw(st.booleans()) else "",
             draw(st.sampled_from(ACTORS)), draw(st.sampled_from(VERBS)),
             draw(st.sampled_from(ACTORS)), draw(st.sampled_from(PLACES)),
             draw(st.sampled_from(WHEN_WORDS)), draw(st.sampled_from(CLAIMS))]
    if draw(st.integers(0, 9)) == 0:
        parts.insert(draw(st.integers(0, len(parts))), draw(_noise))
    text = " ".join(p for p in parts if p).replace(" .", ".").replace(",,", ",")
    return text[0].upper() + text[1:] if text and text[0].islower() else text


@st.composite
def wire_sentences(draw) -> str:
    """One wire-style sentence: actor, verb, actor, place, date, attribution, sometimes noise."""
    return _sentence(draw)


@st.composite
def wire_articles(draw) -> str:
    """A few paragraphs of wire copy, sometimes with a dateline."""
    paragraphs = [" ".join(_sentence(draw) for _ in range(draw(st.integers(1, 3))))
                  for _ in range(draw(st.integers(1, 4)))]
    if draw(st.booleans()):
        paragraphs[0] = f"{draw(st.sampled_from(['TEHRAN', 'KYIV', 'GENEVA']))}, " \
                        f"{draw(st.sampled_from(MONTHS))} {draw(st.integers(1, 31))} " \
                        f"(Reuters) - {paragraphs[0]}"
    return "\n\n".join(paragraphs)


# -- reader inputs ------------------------------------------------------------------------------

_TAGS = ["div", "p", "span", "article", "main", "section", "body", "html", "head", "title",
         "script", "style", "a", "b", "table", "tr", "td", "ul", "li", "br", "img", "meta", "h1",
         "header", "footer", "nav", "iframe", "svg", "template", "noscript", "textarea", "pre",
         "time", "font", "center", "o:p", "xml", "frameset"]


def _element(tag: str, attrs: str, children: list[str], closed: bool) -> str:
    return f"<{tag}{attrs}>{''.join(children)}" + (f"</{tag}>" if closed else "")


_attrs = st.sampled_from(["", ' class="article-body"', ' itemprop="articleBody"',
                          ' property="article:published_time" content="2023-01-24"',
                          ' charset="utf-8"', ' lang="fr"', " x=", ' style="a:b', " \x00"])
_html_leaf = st.one_of(wire_sentences(), _noise, st.sampled_from(
    ["<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#x110000;", "<", ">", "<?xml?>",
     "<!DOCTYPE html>", "</div>", "</p></p>", "<br/>"]))


def _nest(kids: st.SearchStrategy) -> st.SearchStrategy:
    return st.builds(_element, st.sampled_from(_TAGS), _attrs, st.lists(kids, max_size=4),
                     st.booleans())


_html_tree = st.recursive(_html_leaf, _nest, max_leaves=25)


@st.composite
def _html(draw) -> str:
    page = draw(_html_tree)
    if draw(st.integers(0, 4)) == 0:  # deep nesting, sometimes past the 400-level refusal
        depth = draw(st.integers(1, 1500))
        tag = draw(st.sampled_from(["div", "span", "b", "table", "p", "li"]))
        page = f"<{tag}>" * depth + page + f"</{tag}>" * draw(st.integers(0, depth))
    if draw(st.booleans()):
        page = f"<html><head><title>{draw(_noise)}</title></head><body><article>{page}" \
               f"</article></body></html>"
    return page


def _jsonish(draw) -> Any:
    return draw(st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
        lambda kids: st.one_of(st.lists(kids, max_size=3),
                               st.dictionaries(st.text(max_size=5), kids, max_size=3)),
        max_leaves=8))


_field_values = st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats(),
                          st.sampled_from(["2023-01-24", "2023-02-30", "0000-01-01",
                                           "2023-01-24T10:00:00Z", "yesterday", "", " ",
                                           "9999-12-31", "1970-01-01 junk"]),
                          st.lists(st.integers(), max_size=2))


@st.composite
def _jsonl_line(draw) -> str:
    kind = draw(st.integers(0, 9))
    if kind <= 4:  # an article record, fields of any type
        record = {k: draw(_field_values) for k in draw(st.sets(st.sampled_from(
            ["id", "url", "title", "published", "publisher", "extra"])))}
        record["text"] = draw(st.one_of(wire_articles(), _noise, _field_values))
        line = json.dumps(record, ensure_ascii=draw(st.booleans()), allow_nan=True)
    elif kind <= 6:
        line = json.dumps(_jsonish(draw), allow_nan=True)
    elif kind == 7:  # escapes JSON allows but text must not carry: surrogates, NUL
        line = '{"id": "x", "text": "Iran and Iraq signed a deal ' \
               + draw(st.sampled_from(["\\ud800", "\\udc00", "\\u0000", "\\ud83d\\ude00",
                                       "\\u2028", "\\ufffe"])) + ' in Baghdad."}'
    else:  # broken: truncated, glued, or not JSON at all
        good = json.dumps({"id": "a", "text": draw(wire_sentences())})
        line = draw(st.sampled_from([good[:draw(st.integers(0, len(good)))], good + good,
                                     "{", "[", "NaN", "not json", good.replace('"', "'")]))
    return line


@st.composite
def _jsonl(draw) -> str:
    lines = draw(st.lists(_jsonl_line(), max_size=6))
    sep = draw(st.sampled_from(["\n", "\r\n", "\n\n", "\r"]))
    return sep.join(lines)


_FEED_DATES = st.sampled_from(["Mon, 23 Jan 2023 10:00:00 GMT", "2023-01-24T10:00:00Z",
                               "Tue, 31 Feb 2023 99:99:99 +9999", "yesterday", "",
                               "Sat, 01 Jan 0001 00:00:00 GMT", "9999-12-31T23:59:59Z"])


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def _feed(draw) -> str:
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        body = draw(st.one_of(wire_articles(), _html(), _noise))
        body = f"<![CDATA[{body}]]>" if draw(st.booleans()) else _escape(body)
        title, when = _escape(draw(st.one_of(wire_sentences(), _noise))), draw(_FEED_DATES)
        link = draw(st.sampled_from(["https://example.org/a", "urn:uuid:1", "", "javascript:x"]))
        entries.append((title, link, when, body))
    flavour = draw(st.integers(0, 2))
    if flavour == 0:
        items = "".join(f"<item><title>{t}</title><link>{ln}</link><pubDate>{w}</pubDate>"
                        f"<description>{b}</description></item>" for t, ln, w, b in entries)
        feed = f'<rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'
    elif flavour == 1:
        items = "".join(f"<entry><title>{t}</title><id>{ln or 'urn:x'}</id><updated>{w}</updated>"
                        f"<content type=\"html\">{b}</content></entry>"
                        for t, ln, w, b in entries)
        feed = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>{items}</feed>'
    else:
        feed = draw(_html())  # an HTML error page served as a feed
    declared = draw(st.sampled_from(["", '<?xml version="1.0" encoding="utf-8"?>',
                                     '<?xml version="1.0" encoding="iso-8859-1"?>',
                                     '<?xml version="1.0" encoding="bogus-8"?>',
                                     '<?xml version="1.0" encoding="utf-16"?>']))
    cut = draw(st.one_of(st.none(), st.integers(0, len(feed))))
    return declared + (feed if cut is None else feed[:cut])


@st.composite
def _text_file(draw) -> str:
    header = "".join(f"{k}: {draw(_field_values) if draw(st.booleans()) else ''}\n"
                     for k in draw(st.lists(st.sampled_from(
                         ["Title", "Published", "publisher", "URL", "Id", "Author"]),
                         max_size=4)))
    body = draw(st.one_of(wire_articles(), _noise, st.text(max_size=400)))
    return header + draw(st.sampled_from(["", "\n", "\n\n", "\r\n\r\n"])) + body


_ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le",
                              "utf-32", "latin-1", "cp1252", "koi8-r", "shift_jis"])
# Known binary starts: a PDF or PNG named .html must be refused by its magic.
_MAGIC = st.sampled_from([b"%PDF-1.7\n", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"\x1f\x8b\x08",
                          b"MZ\x90\x00", b"SQLite format 3\x00", b"RIFF\x00\x00\x00\x00WEBP",
                          b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"])


@st.composite
def reader_inputs(draw, kinds: tuple = (None, "text", "html", "jsonl", "feed")
                  ) -> tuple[bytes, Optional[str], str]:
    """``(data, kind, origin)`` for :func:`eventwire.ingest.read_bytes`: structured text of each
    kind in assorted encodings, raw bytes, binary magic, and byte-level mutations. ``kinds``
    picks the readers (``None``: no kind given, the content is sniffed)."""
    kind = draw(st.sampled_from(list(kinds)))
    maker = {None: st.one_of(_html(), _jsonl(), _feed(), _text_file()), "text": _text_file(),
             "html": _html(), "jsonl": _jsonl(), "feed": _feed()}[kind]
    shape = draw(st.integers(0, 9))
    if shape == 0:
        data = draw(st.binary(max_size=2000))
    else:
        text = draw(maker)
        data = text.encode(draw(_ENCODINGS), errors="replace") if shape > 1 else \
            draw(_MAGIC) + text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 5)) == 0 and data:  # flip, cut or splice bytes
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=8)) + data[at + draw(st.integers(0, 8)):]
    suffix_kind = draw(st.sampled_from([kind, None]))  # sometimes no telling extension
    return data, kind if suffix_kind == kind else None, _ORIGINS[suffix_kind]


# -- resolver inputs ----------------------------------------------------------------------------

@st.composite
def date_expressions(draw) -> str:
    """A date expression from a small grammar (with absurd numbers), or noise."""
    n, y, y2 = draw(_numbers), draw(_years), draw(_years)
    m, d, wd = draw(st.sampled_from(MONTHS)), draw(st.integers(-1, 40)), \
        draw(st.sampled_from(WEEKDAYS))
    unit = draw(st.sampled_from(UNITS))
    forms = [f"{n} {unit}s ago", f"last {unit}", f"next {wd}", f"{m} {d}", f"{d} {m} {y}",
             f"{m} {y}", f"the {y}s", f"{y % 100}s", f"early {m}", f"between {m} {d} and {y2}",
             f"{y}-{y2}", f"{y}-{str(y2)[-2:]}", f"at {d}:{n} pm", f"on {wd}", f"since {y}",
             f"in {y}", f"{wd} night", f"the past {n} {unit}s", f"mid-{m}", f"spring {y}",
             f"the first {n} months of {y}", f"{d}/{n}/{y}", f"{y}-{d:02d}-{n}",
             f"late last {unit}", f"this {unit}", f"for {n} {unit}s", f"Q{d} {y}",
             f"on {m} {d}, {y}", f"some {n} {unit}s ago", f"{n} {unit}s earlier"]
    form = draw(st.sampled_from(forms))
    return draw(st.one_of(st.just(form), st.just(form.upper()),
                          st.builds(lambda a, b: a + form + b, _noise, _noise),
                          st.text(max_size=30)))


publication_dates = st.one_of(st.dates(), st.dates(date(1900, 1, 1), date(2100, 12, 31)),
                              st.sampled_from([date.min, date.max, date(2023, 1, 24),
                                               date(2024, 2, 29), date(9999, 12, 1)]))


@st.composite
def place_names(draw) -> str:
    """A place name with a direction or administrative word, in odd case, or noise."""
    name = draw(st.sampled_from(PLACE_AFFIXES)) + draw(st.sampled_from(PLACE_NAMES)) + \
        draw(st.sampled_from(PLACE_SUFFIXES))
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title]))
    return draw(st.one_of(st.just(case(name)), st.builds(lambda a: a + name, _noise),
                          st.text(max_size=20), st.sampled_from(["", " ", "'s", "-", "."])))


# -- known bugs -----------------------------------------------------------------------------------

# Crashes found by fuzzing in modules other than the fuzz harness, each pinned by a strict xfail
# test (tests/test_bad_inputs.py, tests/test_fuzz_resolvers.py) and reported to the lead. The CI
# property tests set such inputs aside (hypothesis.reject) so that they keep guarding everything
# else; the long run counts them as crashes still. Remove an entry once its bug is fixed.
KNOWN_BUGS: tuple[tuple[str, str, str], ...] = (
    # (regular expression the error message matches, file the traceback must pass through
    # ("" = any), the bug). Fixed and removed: surrogates and NUL in article text and in its
    # metadata, feed character references (also in UTF-16/UTF-32 feeds), control characters in
    # feed HTML, htmldate's assertion on SVG pages, the dates/context.py head-chain hang
    # (docs/reliability.md).
)


def known_bug(exc: BaseException) -> Optional[str]:
    """The known bug ``exc`` is an instance of, if any."""
    text = str(exc)
    frames = [f.filename for f in traceback.extract_tb(exc.__traceback__)]
    for pattern, where, why in KNOWN_BUGS:
        if re.search(pattern, text) and (not where or any(f.endswith(where) for f in frames)):
            return why
    return None


# -- checks -------------------------------------------------------------------------------------

def _storable(value: Optional[str], what: str) -> None:
    if value is None:
        return
    assert isinstance(value, str), f"{what} is {type(value).__name__}, not str"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # DuckDB, PostgreSQL and UTF-8 output all refuse it
        raise AssertionError(f"{what} contains an unpaired surrogate ({exc.reason})") from None
    assert "\x00" not in value, f"{what} contains NUL (PostgreSQL refuses it)"


def _check_item(item, origin: str, settings) -> None:
    if isinstance(item, InputProblem):
        assert item.code in READER_CODES, f"unexpected problem code: {item}"
        assert item.origin.startswith(origin), f"problem does not name the input: {item}"
        assert item.message and "\n" not in str(item), f"problem is not one line: {item!r}"
        str(item).encode("utf-8")
        return
    assert isinstance(item, Article), f"reader yielded {type(item).__name__}"
    assert item.text and item.text == item.text.strip(), "article text empty or unstripped"
    assert len(item.text) <= settings.max_article_chars, "article over max_article_chars"
    assert item.id, "article without id"
    for name in ("id", "text", "title", "url", "publisher", "origin"):
        _storable(getattr(item, name), f"article {name}")
    assert item.published is None or isinstance(item.published, date)
    assert item.published_from in ("metadata", "option", "missing")
    assert item.origin and item.origin.startswith(origin)


def check_read(data: bytes, kind: Optional[str], origin: str, *, settings=None) -> list:
    """Read one input; assert the reader contract; return the items."""
    from eventwire.ingest import read_bytes
    from eventwire.settings import DEFAULT

    settings = settings or DEFAULT
    with time_limit(CASE_SECONDS, what=origin):
        items = list(read_bytes(data, origin=origin, kind=kind, settings=settings))
    assert items, "a reader yielded nothing (not even a problem)"
    for item in items:
        _check_item(item, origin, settings)
    return items


def _check_when(when: When) -> None:
    assert isinstance(when, When), f"got {type(when).__name__}"
    assert when.precision in PRECISIONS, f"precision {when.precision!r}"
    if when.start is not None and when.end is not None:
        assert when.start <= when.end, f"start {when.start} after end {when.end}"
    assert isinstance(when.reason, str)
    json.dumps(when.to_dict())


def check_resolve(text: str, published: date, future: bool) -> Optional[When]:
    """``dates.resolve_expression``: None or an ordered interval; never raises or hangs."""
    from eventwire.dates import resolve_expression

    with time_limit(CASE_SECONDS, what=repr(text)[:60]):
        when = resolve_expression(text, published, future=future)
    if when is not None:
        _check_when(when)
        assert when.start is not None and when.end is not None, "resolved without dates"
    return when


def check_date_context(nlp, text: str, published: Optional[date], pick: int) -> None:
    """``DateContext.resolve`` and ``.background`` on each sentence of a parsed text."""
    from eventwire.dates import DateContext

    with time_limit(CASE_SECONDS, what=repr(text)[:60]):
        doc = nlp(text)
        ctx = DateContext(published)
        for paragraph, sent in enumerate(doc.sents):
            trigger = sent[pick % len(sent)] if pick % 3 else None
            when = ctx.resolve(sent, trigger, paragraph=paragraph)
            _check_when(when)
            assert isinstance(ctx.background(when, sent, trigger), bool)


def _check_place(place: Optional[Place]) -> None:
    if place is None:
        return
    assert isinstance(place, Place), f"got {type(place).__name__}"
    if place.lat is not None or place.lon is not None:
        assert place.lat is not None and place.lon is not None, "half a coordinate"
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180, "coordinates out of range"
        assert not (math.isnan(place.lat) or math.isnan(place.lon))
    assert place.precision in (None, "city", "region", "country"), place.precision
    json.dumps(place.to_dict())


def check_lookup(gazetteer, name: str, countries: list[str]) -> None:
    """``Gazetteer.lookup`` and friends on any string: a well-formed Place or None."""
    with time_limit(CASE_SECONDS, what=repr(name)[:60]):
        _check_place(gazetteer.lookup(name, countries=countries))
        _check_place(gazetteer.country(name))
        _check_place(gazetteer.capital_city(name or None, text=name))
        capital = gazetteer.capital(name)
        assert capital is None or (isinstance(capital, str) and len(capital) == 3)
        assert isinstance(gazetteer.is_place(name), bool)


def check_event_place(nlp, gazetteer, text: str, pick: int, countries: list[str]) -> None:
    """``geo.event_place`` for a trigger in each sentence (and for none)."""
    from eventwire.geo import event_place

    with time_limit(CASE_SECONDS, what=repr(text)[:60]):
        doc = nlp(text)
        for sent in doc.sents:
            trigger = sent[pick % len(sent)] if pick % 4 else None
            exclude = [(sent.start_char, sent.start_char + pick % 7)] if pick % 5 else []
            _check_place(event_place(sent, trigger, gazetteer, countries=countries,
                                     exclude=exclude))


def check_code(coder, text: str, published: Optional[date], seconds: float = CASE_SECONDS
               ) -> list[Event]:
    """The whole coder on one article: events well formed, JSON-serialisable, spans inside."""
    article = Article(id="fuzz", text=text, published=published,
                      published_from="metadata" if published else "missing")
    with time_limit(seconds, what="fuzz article"):
        events = coder.code(article)
    for ev in events:
        assert isinstance(ev, Event)
        start, end = ev.span
        assert 0 <= start < end <= len(text), f"span {ev.span} outside the text"
        assert 0.0 <= ev.confidence <= 1.0, f"confidence {ev.confidence}"
        _check_when(ev.when)
        _check_place(ev.where)
        json.dumps(ev.to_dict(), ensure_ascii=False).encode("utf-8")
    return events


# Printable ASCII letters for ISO3-like codes of the ``countries`` argument.
iso3_lists = st.lists(st.text(string.ascii_uppercase, min_size=0, max_size=4), max_size=3)
