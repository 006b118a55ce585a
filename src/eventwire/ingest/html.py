"""HTML pages: trafilatura finds the main text and the page metadata.

Before lxml sees the page, a cheap tag scan measures how deeply elements nest: a page nested
thousands of levels deep (an "HTML bomb") is refused rather than handed to a recursive tree
walker that may exhaust the stack or the clock.
"""
from __future__ import annotations

import re
from typing import Iterator, Optional

import trafilatura

from .common import Result, Source, finish, parse_date, problem

__all__ = ["read_html", "nesting_depth"]

# Real news pages nest well under 100 levels; browsers themselves cap parsing near 512.
MAX_DEPTH = 400
_TAG = re.compile(r"<!--|<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^<>]*?(/?)>")
_RAW_TEXT = frozenset({"script", "style", "textarea", "title"})
# Elements that never nest (void) or that the parser closes implicitly when a sibling opens,
# so unclosed ones in sloppy markup do not count as depth.
_FLAT = frozenset("""area base br col embed hr img input link meta param source track wbr
    p li dt dd tr td th option optgroup thead tbody tfoot colgroup rb rt rp""".split())
# Only the date markup of the page itself: a date mentioned in the body is not the
# publication date (htmldate's extensive search would guess one from the text).
# Main text has at least one sentence: four words, then an end mark. Navigation left over by
# the extractor on an article-less page ("Home World") has none.
_PROSE = re.compile(r"(?:\w+\W+){3,}\w+[^\n]*?[.!?]")
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def nesting_depth(html: str, *, limit: int = MAX_DEPTH) -> int:
    """Deepest element nesting found (stops counting once past ``limit``).

    A linear scan: comments and script/style bodies are skipped with ``str.find`` rather than
    a lazy regex, which would go quadratic on thousands of unclosed ``<!--``.
    """
    lowered = html.lower()
    depth = deepest = pos = 0
    while deepest <= limit:
        match = _TAG.search(html, pos)
        if not match:
            break
        pos = match.end()
        if match.group(0).startswith("<!--"):
            end = html.find("-->", match.start() + 4)
            pos = len(html) if end < 0 else end + 3
            continue
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _RAW_TEXT and not closing:
            end = lowered.find(f"</{name}", pos)
            pos = len(html) if end < 0 else end
            continue
        if self_closing or name in _FLAT:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def read_html(html: str, src: Source) -> Iterator[Result]:
    """Yield one Article (or InputProblem) for an HTML page."""
    depth = nesting_depth(html)
    if depth > MAX_DEPTH:
        yield problem(src.origin, "E-EXTRACT",
                      f"HTML nests elements more than {MAX_DEPTH} levels deep "
                      f"(refused as a possible HTML bomb)")
        return
    try:
        # favor_precision: for event coding, a menu line or teaser link coded as an event costs
        # more than a short paragraph lost; it also makes nav-only pages come back empty.
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True,
                                          date_extraction_params=_DATE_PARAMS)
    except (RecursionError, ValueError, TypeError, AttributeError, AssertionError) as exc:
        # (htmldate asserts on some SVG-only pages)
        # trafilatura/lxml raise assorted errors on markup broken beyond repair.
        yield problem(src.origin, "E-EXTRACT",
                      f"HTML could not be parsed ({type(exc).__name__}: {exc})")
        return
    text = _body(doc.text, doc.title) if doc is not None and doc.text else ""
    if not _PROSE.search(text):
        found = f" (only {len(text)} characters of menu or link text)" if text else ""
        yield problem(src.origin, "E-EXTRACT",
                      f"no main article text could be extracted from the HTML{found}")
        return
    try:
        published = parse_date(doc.date)
    except ValueError:
        published = None  # htmldate only returns valid dates; be safe, do not guess
    yield finish(src, src.origin, text=text, title=doc.title, url=doc.url,
                 publisher=doc.sitename, published=published, empty_code="E-EXTRACT")


def _body(text: str, title: Optional[str]) -> str:
    """Paragraphs separated by a blank line (as in wire copy); the headline not repeated."""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    if paragraphs and title and paragraphs[0] == " ".join(title.split()):
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)
