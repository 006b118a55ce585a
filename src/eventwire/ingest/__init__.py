"""Input readers: files, directories and stdin in; Articles (or InputProblems) out.

Kinds: ``text`` (.txt, or anything not recognised), ``html`` (.html/.htm, or sniffed
``<html``/``<!doctype``), ``jsonl`` (.jsonl/.ndjson, or sniffed ``{``), ``feed``
(.rss/.atom/.xml, or sniffed ``<rss``/``<feed``). Every bad input becomes a coded
:class:`~eventwire.records.InputProblem` naming it, and the batch goes on:

=============  =====================================================================
E-NOTFOUND     the path does not exist
E-READ         the path exists but could not be read (permissions, I/O error)
E-EMPTY        empty or whitespace-only input (or a directory with no input files)
E-BINARY       NUL bytes, mostly control bytes, or a known binary format (PDF, PNG, ZIP)
E-ENCODING     not UTF-8/16/32, and no legacy encoding identified with confidence
E-TOO-LARGE    over ``settings.max_input_bytes`` (file, or JSONL line) or
               ``settings.max_article_chars`` (article text)
E-LANGUAGE     confidently not English
E-EXTRACT      HTML with no extractable main text, broken, or nested too deep (> 400)
E-RECORD       a bad JSONL line or header date (origin ``path:line``), or a feed entry
               without text (origin ``path#entry``)
E-FEED         a feed that cannot be parsed and has no entries
E-TIMEOUT      reading one file took longer than ``settings.max_article_seconds`` (the rest
               of it is skipped; the coder applies the same limit to each article)
E-INTERNAL     an unexpected error in a reader (a bug: please report it)
=============  =====================================================================
"""
from __future__ import annotations

import codecs
import io
import os
import sys
from datetime import date
from pathlib import Path
from typing import IO, Iterable, Iterator, Optional, Union

from ..limits import TimeLimitExceeded, time_limit
from ..records import Article, InputProblem
from ..settings import DEFAULT, Settings
from .common import Result, Source, problem
from .decode import decode, sniff_binary
from .feed import read_feed
from .html import read_html
from .jsonl import read_jsonl, stream_lines, text_lines
from .text import read_text

__all__ = ["iter_inputs", "read_bytes", "KINDS"]

KINDS = ("text", "html", "jsonl", "feed")
_BY_SUFFIX = {
    ".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".rss": "feed", ".atom": "feed", ".xml": "feed",
}
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_SNIFF_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
               (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
               (codecs.BOM_UTF16_BE, "utf-16"))
# Enough of the input to sniff its kind and its binary magic; JSONL streams on from here.
_HEAD = 64 * 1024


def iter_inputs(paths: Iterable[Union[str, Path]], *, published: Optional[date] = None,
                settings: Settings = DEFAULT) -> Iterator[Union[Article, InputProblem]]:
    """Read files, directories (recursed, sorted, hidden files skipped) and ``"-"`` (stdin).

    Yields Articles and, for anything that cannot be read, InputProblems; no exception escapes
    for bad input. ``published`` is the fallback publication date for inputs that carry none.

    Example::

        for item in iter_inputs(["news/", "extra.jsonl"], published=date(2023, 1, 23)):
            print(item if isinstance(item, InputProblem) else item.id)
    """
    for path in paths:
        if str(path) == "-":
            yield from _read_stdin(Source("-", "stdin", published, settings))
            continue
        src = Source(str(path), Path(path).stem, published, settings)
        # Guarded too: stat() itself can fail (permissions, a NUL byte in the name).
        yield from _guarded(src, lambda: _read_path(Path(path), published, settings))


def _read_path(path: Path, published: Optional[date], settings: Settings) -> Iterator[Result]:
    if path.is_dir():
        yield from _read_dir(path, published, settings)
    elif not path.exists():
        yield problem(str(path), "E-NOTFOUND", "does not exist")
    else:
        yield from _read_file(path, published, settings)


def read_bytes(data: bytes, *, origin: str, kind: Optional[str] = None,
               published: Optional[date] = None,
               settings: Settings = DEFAULT) -> Iterator[Union[Article, InputProblem]]:
    """Read one input held in memory (e.g. stdin or an upload) as if it were a file.

    ``origin`` names it in records and problems; its extension picks the kind unless ``kind``
    (one of ``KINDS``) is given, else the content is sniffed. The default id is the origin's
    file name without extension (``"stdin"`` for ``"-"``).

    >>> [a.title for a in read_bytes(b"Title: Talks resume\\n\\nDiplomats met.", origin="-")]
    ['Talks resume']
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"E-KIND unknown input kind {kind!r}; expected one of {', '.join(KINDS)}")
    src = Source(origin, _default_id(origin), published, settings)
    kind = kind or _BY_SUFFIX.get(Path(origin).suffix.lower())
    yield from _guarded(src, lambda: _read_stream(io.BytesIO(data), src, kind, len(data)),
                        limit=True)


def _read_stdin(src: Source) -> Iterator[Result]:
    stream = getattr(sys.stdin, "buffer", None)  # None when run with stdin closed
    if stream is None:
        yield problem(src.origin, "E-READ", "standard input is not available")
        return
    yield from _guarded(src, lambda: _read_stream(stream, src, None, None))


def _default_id(origin: str) -> str:
    if origin in ("-", "stdin", "<stdin>"):
        return "stdin"
    return Path(origin).stem or "stdin"


def _read_dir(root: Path, published: Optional[date], settings: Settings) -> Iterator[Result]:
    files = []
    for current, dirs, names in os.walk(root, followlinks=False):  # no symlink loops
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files.extend(Path(current) / name for name in names if not name.startswith("."))
    if not files:
        yield problem(str(root), "E-EMPTY", "is a directory with no input files")
    # One order for the whole tree (a/z.txt before b.txt), the same on every file system.
    for path in sorted(files, key=lambda p: p.relative_to(root).parts):
        yield from _read_file(path, published, settings)


def _read_file(path: Path, published: Optional[date], settings: Settings) -> Iterator[Result]:
    src = Source(str(path), path.stem, published, settings)
    kind = _BY_SUFFIX.get(path.suffix.lower())

    def read() -> Iterator[Result]:
        with path.open("rb") as stream:
            yield from _read_stream(stream, src, kind, path.stat().st_size)

    yield from _guarded(src, read, limit=True)


_END = object()


def _guarded(src: Source, read, *, limit: bool = False) -> Iterator[Result]:
    """Run one input's reader so that no exception escapes the batch. With ``limit``, each
    step of the reader (up to the next article or problem; not the consumer's time between
    them) must end within ``settings.max_article_seconds``, else the rest of the input is
    refused with E-TIMEOUT. Not for stdin, whose reads may wait for a producer."""
    seconds = src.settings.max_article_seconds if limit else None
    try:
        items = iter(read())
        while True:
            with time_limit(seconds, what=src.origin):
                item = next(items, _END)
            if item is _END:
                return
            yield item
    except TimeLimitExceeded as exc:
        if (exc.what, exc.seconds) != (src.origin, seconds):
            raise  # an enclosing limit's (e.g. the fuzz harness's): not this reader's to report
        yield problem(src.origin, exc.code, f"reading {exc.reason}; the rest of the input "
                                            f"skipped")
    except OSError as exc:
        yield problem(src.origin, "E-READ", f"could not be read ({exc.strerror or exc})")
    except Exception as exc:  # noqa: BLE001 - the batch contract: record the failure, go on
        yield problem(src.origin, "E-INTERNAL",
                      f"reader failed unexpectedly ({type(exc).__name__}: {exc})")


def _read_stream(stream: IO[bytes], src: Source, kind: Optional[str],
                 size: Optional[int]) -> Iterator[Result]:
    cap = src.settings.max_input_bytes
    head = stream.read(min(_HEAD, cap + 1))
    binary = sniff_binary(head)
    if binary:
        yield problem(src.origin, "E-BINARY", f"is {binary}, not text")
        return
    kind = kind or _sniff(head)
    if kind == "jsonl" and not head.startswith(_WIDE_BOMS) and b"\x00" not in head:
        # Streamed line by line: the size cap applies to each record, not the whole file.
        yield from read_jsonl(stream_lines(stream, src, first=head), src)
        return
    data = head + stream.read(cap + 1 - len(head))
    if len(data) > cap:
        actual = f"{size:,} bytes" if size and size > cap else f"over {cap:,} bytes"
        yield problem(src.origin, "E-TOO-LARGE",
                      f"input is {actual}, over the cap of {cap:,} bytes "
                      f"(settings.max_input_bytes)")
        return
    yield from _read_data(data, src, kind)


def _read_data(data: bytes, src: Source, kind: str) -> Iterator[Result]:
    decoded = decode(data)
    # feedparser applies the feed's own encoding declaration, so only binary stops a feed here.
    if decoded.code == "E-BINARY" or (decoded.code and kind != "feed"):
        yield problem(src.origin, decoded.code, decoded.reason)
        return
    text = decoded.text if decoded.text is not None else data.decode("latin-1")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        yield problem(src.origin, "E-EMPTY", "is empty" if not data else "contains only whitespace")
        return
    if kind == "html":
        yield from read_html(text, src)
    elif kind == "jsonl":
        yield from read_jsonl(text_lines(text), src)
    elif kind == "feed":
        yield from read_feed(data, src)
    else:
        yield from read_text(text, src)


def _sniff(head: bytes) -> str:
    """Kind of an input with no telling extension, from its first bytes."""
    for bom, encoding in _SNIFF_BOMS:
        if head.startswith(bom):
            start = head.decode(encoding, errors="ignore")
            break
    else:
        start = head.decode("utf-8", errors="ignore")
    start = start.lstrip("\ufeff \t\r\n")[:2048].lower()
    if start.startswith("{"):
        return "jsonl"
    if start.startswith("<"):
        if "<rss" in start or "<feed" in start or "<rdf:rdf" in start:
            return "feed"
        if start.startswith(("<!doctype html", "<html")) or "<html" in start or "<body" in start:
            return "html"
    return "text"
