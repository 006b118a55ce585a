"""Plain-text articles, with an optional header block.

A header is recognised only when the very first line is one of the known keys, so a body
that happens to contain ``Title:`` further down is never mistaken for metadata::

    Title: Iran says it downed a U.S. drone
    Published: 2019-06-20
    Publisher: Reuters

    DUBAI, June 20 (Reuters) - ...
"""
from __future__ import annotations

import re
from typing import Iterator

from .common import Result, Source, finish, parse_date, problem

__all__ = ["read_text"]

_HEADER_LINE = re.compile(r"^(title|published|publisher|url|id)\s*:\s*(.*)$", re.IGNORECASE)


def read_text(text: str, src: Source) -> Iterator[Result]:
    """Yield one Article (or InputProblem) for a plain-text input."""
    lines = text.split("\n")
    header: dict[str, str] = {}
    date_line = 0
    n = 0
    while n < len(lines):
        match = _HEADER_LINE.match(lines[n].strip())
        if not match:
            break
        key = match.group(1).lower()
        if key not in header:
            header[key] = match.group(2).strip()
            date_line = n + 1 if key == "published" else date_line
        n += 1
    if header:
        # The block ends at the first blank line; a body glued to the header is accepted too.
        while n < len(lines) and not lines[n].strip():
            n += 1
        try:
            published = parse_date(header.get("published"))
        except ValueError as exc:
            yield problem(src.at(date_line), "E-RECORD", f"header {exc}")
            return
    else:
        published = None
    body = "\n".join(lines[n:])
    yield finish(src, src.origin, text=body, id=header.get("id") or None,
                 title=header.get("title"), url=header.get("url"),
                 publisher=header.get("publisher"), published=published)
