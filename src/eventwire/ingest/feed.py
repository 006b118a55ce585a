"""RSS and Atom feeds via feedparser: each entry is one Article.

feedparser gets the raw bytes in a stream (never a string: given a string that looks like a URL
or a file name, feedparser would fetch or open it), so it applies the feed's own encoding
declaration itself.
"""
from __future__ import annotations

import codecs
import io
import re
from datetime import date
from typing import Iterator, Optional

import feedparser
import lxml.html
from lxml import etree

from .common import Result, Source, finish, problem
from .decode import _utf16_without_bom
from .html import MAX_DEPTH, nesting_depth

__all__ = ["read_feed", "html_to_text"]

_BLOCKS = frozenset("""p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr section
    article header footer figure figcaption dl dt dd hr""".split())


# Character references no Unicode text can hold (surrogates, beyond U+10FFFF): feedparser's
# loose parser raises on them and loses the whole feed, so they become U+FFFD first. The
# rewrite is on bytes for ASCII-compatible encodings, on the decoded text for UTF-16/UTF-32
# (whose "&#" is not the ASCII bytes; bug 13, docs/reliability.md).
_REFERENCE = re.compile(rb"&#([xX][0-9a-fA-F]{1,16}|[0-9]{1,20});")
_TEXT_REFERENCE = re.compile(_REFERENCE.pattern.decode("ascii"))
# Byte-order marks, then the XML declaration's "<?" without one (XML 1.0 appendix F); the
# codecs named keep a BOM as U+FEFF, so decoding and re-encoding gives back the same bytes.
_WIDE = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
         (b"<\0\0\0", "utf-32-le"), (b"\0\0\0<", "utf-32-be"),
         (b"<\0?\0", "utf-16-le"), (b"\0<\0?", "utf-16-be"))
_FFFD = "&#xFFFD;"


def _possible(body) -> bool:
    value = int(body[1:], 16) if body[:1] in (b"x", b"X", "x", "X") else int(body)
    return value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF


def _safe_references(data: bytes) -> bytes:
    wide = next((codec for mark, codec in _WIDE if data.startswith(mark)), None)
    if wide is None and b"\0" in data[:64]:
        wide = _utf16_without_bom(data[:4096])  # e.g. a blank line before "<?xml"
    if wide is None:
        if b"&#" not in data:
            return data
        return _REFERENCE.sub(lambda m: m.group(0) if _possible(m.group(1))
                              else _FFFD.encode("ascii"), data)
    try:
        text = data.decode(wide)
    except UnicodeDecodeError:
        return data  # feedparser reports the bad encoding itself
    if "&#" not in text:
        return data
    return _TEXT_REFERENCE.sub(lambda m: m.group(0) if _possible(m.group(1)) else _FFFD,
                               text).encode(wide)


def read_feed(data: bytes, src: Source) -> Iterator[Result]:
    """Yield one Article (or InputProblem) per feed entry; E-FEED if there are none."""
    try:
        parsed = feedparser.parse(io.BytesIO(_safe_references(data)))
    except UnicodeDecodeError as exc:  # feedparser lets some mis-declared encodings escape
        yield problem(src.origin, "E-ENCODING",
                      f"feed is not valid in its declared encoding "
                      f"({exc.encoding}, byte {exc.start})")
        return
    except (UnicodeEncodeError, ValueError) as exc:
        # Anything else feedparser's loose parser cannot hold (an impossible character
        # reference the rewrite above did not reach): this feed is lost, the batch goes on.
        yield problem(src.origin, "E-FEED", f"could not be parsed as RSS/Atom "
                                            f"({type(exc).__name__}: {_one_line(exc)})")
        return
    if not parsed.entries:
        if parsed.bozo:
            why = f"could not be parsed as RSS/Atom ({_one_line(parsed.get('bozo_exception'))})"
        else:
            why = "is a feed with no entries"
        yield problem(src.origin, "E-FEED", why)
        return
    publisher = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        yield _entry(entry, number, publisher, src)


def _entry(entry, number: int, publisher: Optional[str], src: Source) -> Result:
    ident = entry.get("id") or entry.get("link") or f"{src.default_id}-{number}"
    origin = f"{src.origin}#{number}"
    content = entry.get("content") or []
    # Full content beats the summary (often a teaser); take the first HTML or text part.
    body, kind = (content[0].get("value"), content[0].get("type")) if content else \
        (entry.get("summary"), (entry.get("summary_detail") or {}).get("type"))
    if not body or not body.strip():
        return problem(origin, "E-RECORD",
                       f"feed entry {number} ({ident}) has no content or summary")
    if kind != "text/plain":
        if nesting_depth(body) > MAX_DEPTH:
            return problem(origin, "E-EXTRACT",
                           f"feed entry {number} ({ident}) nests HTML more than "
                           f"{MAX_DEPTH} levels deep")
        body = html_to_text(body)
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
    return finish(src, origin, text=body, id=str(ident), title=entry.get("title"),
                  url=_web_url(entry.get("link")), publisher=publisher, published=published)


# Control characters lxml refuses in text ("All strings must be XML compatible").
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def html_to_text(fragment: str) -> str:
    """Strip tags from an HTML fragment, keeping paragraph breaks as blank lines."""
    fragment = _CONTROL.sub(" ", fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    paragraphs = (" ".join(part.split()) for part in re.split(r"\n\s*\n", root.text_content()))
    return "\n\n".join(p for p in paragraphs if p)


def _web_url(link: Optional[str]) -> Optional[str]:
    # feedparser falls back to an Atom entry's id for its link; a "urn:" id is not a URL.
    return link if link and link.startswith(("http://", "https://")) else None


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())[:200] or "unknown error"
