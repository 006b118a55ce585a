"""JSON Lines: one article object per line.

Each line is its own record: a malformed line gives an ``E-RECORD`` problem at ``path:line``
and the good lines around it still give articles. Files are streamed line by line with the
size cap applied per line, so a large export is never loaded whole.
"""
from __future__ import annotations

import json
from typing import IO, Iterable, Iterator, Union

from .common import Result, Source, finish, parse_date, problem

__all__ = ["read_jsonl", "stream_lines", "text_lines"]

Line = Union[tuple[int, str], Result]
_TEXT_FIELDS = ("id", "url", "title", "publisher")


def stream_lines(stream: IO[bytes], src: Source, *, first: bytes = b"") -> Iterator[Line]:
    """Number and decode the lines of a byte stream; an over-long line is skipped unread.

    ``first`` is the start of the stream that the caller already read (to sniff its kind).
    """
    cap = src.settings.max_input_bytes
    reader = _Prefixed(first, stream)
    number = 0
    while True:
        line = reader.readline(cap + 1)
        if not line:
            return
        number += 1
        if len(line) > cap and not line.endswith(b"\n"):
            size = len(line)
            while line and not line.endswith(b"\n"):  # skip the rest, one capped chunk at a time
                line = reader.readline(cap + 1)
                size += len(line)
            size -= line.endswith(b"\n")  # the newline is not part of the record
            yield problem(src.at(number), "E-TOO-LARGE",
                          f"line is {size:,} bytes, over the cap of "
                          f"{cap:,} bytes (settings.max_input_bytes)")
            continue
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        try:
            yield number, line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield problem(src.at(number), "E-ENCODING",
                          f"line is not valid UTF-8 (byte {exc.start}: {exc.reason})")


class _Prefixed:
    """``readline(limit)`` over bytes already read followed by the rest of the stream."""

    def __init__(self, prefix: bytes, stream: IO[bytes]):
        self._buf = prefix
        self._stream = stream

    def readline(self, limit: int) -> bytes:
        if not self._buf:
            return self._stream.readline(limit)
        newline = self._buf.find(b"\n", 0, limit)
        cut = newline + 1 if newline >= 0 else min(limit, len(self._buf))
        out, self._buf = self._buf[:cut], self._buf[cut:]
        if newline < 0 and len(out) < limit:
            out += self._stream.readline(limit - len(out))
        return out


def text_lines(text: str) -> Iterator[Line]:
    """Number the lines of already-decoded JSONL text (e.g. UTF-16 input)."""
    for number, line in enumerate(text.split("\n"), start=1):
        yield number, line


def read_jsonl(lines: Iterable[Line], src: Source) -> Iterator[Result]:
    """Yield one Article or InputProblem per non-blank line; E-EMPTY if there are none."""
    seen = False
    for item in lines:
        if not isinstance(item, tuple):
            seen = True
            yield item
            continue
        number, line = item
        if not line.strip():
            continue
        seen = True
        yield _record(line, number, src)
    if not seen:
        yield problem(src.origin, "E-EMPTY", "has no JSON records (empty or whitespace only)")


def _record(line: str, number: int, src: Source) -> Result:
    origin = src.at(number)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        # Some of json's messages end in "at" ("Invalid control character '\\x01' at",
        # "Unterminated string starting at"): one "at" before the column (bug 5).
        msg = exc.msg[:-3] if exc.msg.endswith(" at") else exc.msg
        return problem(origin, "E-RECORD",
                       f"line is not valid JSON ({msg} at column {exc.colno})")
    if not isinstance(obj, dict):
        return problem(origin, "E-RECORD", f"line is a JSON {type(obj).__name__}, not an object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        what = "missing" if text is None else "empty" if isinstance(text, str) else "not a string"
        ident = f" {str(obj['id'])[:60]!r}" if obj.get("id") is not None else ""
        return problem(origin, "E-RECORD", f"record{ident} has 'text' {what}")
    fields = {}
    for name in _TEXT_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, (str, int)):
            return problem(origin, "E-RECORD",
                           f"'{name}' must be a string, got {type(value).__name__}")
        fields[name] = None if value is None else str(value)
    try:
        published = parse_date(obj.get("published"))
    except ValueError as exc:
        return problem(origin, "E-RECORD", str(exc))
    return finish(src, origin, text=text, id=fields["id"] or f"{src.default_id}-{number}",
                  title=fields["title"], url=fields["url"], publisher=fields["publisher"],
                  published=published)
