"""CAMEO 1.1b3 and PLOVER tables, and the mapping between them.

The tables are data files beside this module (``cameo.tsv``, ``plover_types.tsv``), built by
``scripts/build_ontology.py`` from the shared ontology CSVs and read once per process.

Conventions (see src/eventwire/data/README.md, section ``ontology/cameo.tsv``):

- Codes are always strings: ``"010"`` (make statement) and ``"10"`` (DEMAND) are different codes.
- ``quad_class`` and ``goldstein`` follow GDELT. The five manual-only codes (155, 176, 1834,
  1951, 1952) and 1213 have no GDELT Goldstein value; they carry their parent's, and the table's
  ``goldstein_basis`` column says so.
- PLOVER follows the 2021 CAMEO->PLOVER crosswalk, with retired modes replaced or dropped
  (``plover_basis = suggested``); roots 01 and 02 have no PLOVER type.
- Unknown codes raise ``KeyError``. Falling back to a parent code is never silent: call
  :func:`nearest_code` explicitly.

>>> cameo("043").label
'Host a visit'
>>> plover("190").type
'ASSAULT'
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, Optional

from ..records import Cameo, Plover

__all__ = [
    "cameo", "plover", "is_code", "root_name", "nearest_code", "codes", "entry",
    "plover_type", "CameoEntry", "PloverType", "ROOTS", "UnknownCode",
]

_HERE = Path(__file__).resolve().parent
_CODE_FORM = ("a CAMEO 1.1b3 event code as a string of digits: a root '01'..'20', "
              "or a 3- or 4-digit code such as '043' or '1823'")


class UnknownCode(KeyError):
    """A CAMEO code (or PLOVER type) that is not in the table. Subclass of KeyError."""

    def __str__(self) -> str:  # KeyError would repr() the message, quotes and all
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class CameoEntry:
    """One row of cameo.tsv: everything the ontology knows about a code."""

    code: str
    root: str
    level: int  # 1 root, 2 three-digit, 3 four-digit
    label: str
    quad_class: int
    goldstein: float
    goldstein_basis: str  # "gdelt" | "parent:<code>"
    plover_type: Optional[str]
    plover_mode: Optional[str]
    plover_context: tuple[str, ...]
    plover_basis: str  # "crosswalk" | "suggested" | "dropped"
    in_gdelt: bool


@dataclass(frozen=True)
class PloverType:
    """One row of plover_types.tsv."""

    type: str
    quad_category: str
    quad_code: int
    score: float
    definition: str
    note: str


def _read_tsv(name: str) -> list[dict[str, str]]:
    with (_HERE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@lru_cache(maxsize=1)
def _table() -> Mapping[str, CameoEntry]:
    rows = {}
    for r in _read_tsv("cameo.tsv"):
        rows[r["code"]] = CameoEntry(
            code=r["code"], root=r["root"], level=int(r["level"]), label=r["label"],
            quad_class=int(r["quad_class"]), goldstein=float(r["goldstein"]),
            goldstein_basis=r["goldstein_basis"], plover_type=r["plover_type"] or None,
            plover_mode=r["plover_mode"] or None,
            plover_context=tuple(c for c in r["plover_context"].split(";") if c),
            plover_basis=r["plover_basis"], in_gdelt=r["in_gdelt"] == "yes",
        )
    return MappingProxyType(rows)


@lru_cache(maxsize=1)
def _plover_table() -> Mapping[str, PloverType]:
    return MappingProxyType({
        r["type"]: PloverType(r["type"], r["quad_category"], int(r["quad_code"]),
                              float(r["score"]), r["definition"], r["note"])
        for r in _read_tsv("plover_types.tsv")
    })


def _unknown(code: object) -> UnknownCode:
    if not isinstance(code, str):
        return UnknownCode(f"E-CAMEO CAMEO codes are strings, got {type(code).__name__} "
                           f"{code!r}; expected {_CODE_FORM}")
    hint = ""
    if code.isdigit() and len(code) == 4 and code[:3] in _table():
        hint = f"; its parent {code[:3]!r} is known: use nearest_code({code!r}) to fall back"
    return UnknownCode(f"E-CAMEO unknown CAMEO code {code!r}: expected {_CODE_FORM}{hint}")


def entry(code: str) -> CameoEntry:
    """The full table row for ``code``; raises :class:`UnknownCode` (a KeyError)."""
    try:
        return _table()[code]
    except (KeyError, TypeError):
        raise _unknown(code) from None


def cameo(code: str) -> Cameo:
    """The :class:`~eventwire.records.Cameo` record for a known CAMEO code.

    >>> cameo("190").goldstein
    -10.0
    """
    e = entry(code)
    return Cameo(code=e.code, root=e.root, label=e.label, quad_class=e.quad_class,
                 goldstein=e.goldstein)


def plover(code: str) -> Plover:
    """PLOVER type and mode for a CAMEO code; roots 01 and 02 give ``Plover(None, None)``."""
    e = entry(code)
    return Plover(type=e.plover_type, mode=e.plover_mode)


def is_code(code: object) -> bool:
    """True when ``code`` is a string naming a code in the CAMEO 1.1b3 table."""
    return isinstance(code, str) and code in _table()


def nearest_code(code: str) -> str:
    """``code`` itself if known, else its closest known ancestor (4 -> 3 -> 2 digits).

    The explicit fallback for codes from other coders (e.g. the manual's typo ``1883``); the
    caller should record that it fell back. Raises :class:`UnknownCode` when no ancestor is known
    or ``code`` is not a string of 2-4 digits.
    """
    if not (isinstance(code, str) and code.isdigit() and 2 <= len(code) <= 4):
        raise _unknown(code)
    for n in range(len(code), 1, -1):
        if code[:n] in _table():
            return code[:n]
    raise _unknown(code)


def codes(*, level: Optional[int] = None) -> tuple[str, ...]:
    """All known codes in table order, optionally only one level (1 root, 2, 3)."""
    return tuple(c for c, e in _table().items() if level is None or e.level == level)


def root_name(code: str) -> str:
    """Name of the root cue category of any known code: ``root_name("043") == "CONSULT"``."""
    return ROOTS[entry(code).root]


def plover_type(name: str) -> PloverType:
    """The PLOVER event type row (quad category, score, definition) for a type name."""
    try:
        return _plover_table()[name]
    except KeyError:
        raise UnknownCode(f"E-PLOVER unknown PLOVER type {name!r}; known types: "
                          f"{', '.join(_plover_table())}") from None


# Root code -> root name ("01" -> "MAKE PUBLIC STATEMENT"), read from cameo.tsv at import.
ROOTS: Mapping[str, str] = MappingProxyType(
    {c: e.label for c, e in _table().items() if e.level == 1})
