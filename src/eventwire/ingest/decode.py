"""Bytes to text: binary sniffing and encoding detection.

Order matters: known binary magic first (a PDF named ``.html`` is still a PDF), then byte-order
marks (UTF-16/32 text is full of NUL bytes, so the NUL test must come after), then the NUL and
control-character tests, then strict UTF-8, then legacy 8-bit encodings.
"""
from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from typing import Optional

import charset_normalizer

__all__ = ["Decoded", "decode", "sniff_binary"]

# Leading bytes of formats that are never news text; name them so the message helps.
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE document (old Word/Excel)"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PAR1", "a Parquet file"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x00asm", "a WebAssembly module"),
)
# RIFF containers (WAV, AVI, WEBP) carry their type at offset 8.
_RIFF = b"RIFF"

# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control bytes that real text carries: tab, LF, VT, FF, CR, and ESC is NOT among them.
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r")
_SAMPLE = 8192
_MAX_CONTROL_SHARE = 0.05

# Non-ASCII characters that Western-European text in cp1252/Latin-1 plausibly contains:
# accented letters and the typographic punctuation Word and CMSs put in news copy.
_WESTERN_EXTRA = set("\u00a0«»°£€§©®·´¨¿¡½¼¾²³±×‘’‚“”„–—…•™†‡‰‹›")


@dataclass(frozen=True)
class Decoded:
    """The result of :func:`decode`: ``text`` or a problem ``code`` and ``reason``."""

    text: Optional[str] = None
    encoding: Optional[str] = None
    code: Optional[str] = None
    reason: Optional[str] = None


def sniff_binary(data: bytes) -> Optional[str]:
    """Name the binary format ``data`` starts with, or ``None`` if it may be text."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if data.startswith(_RIFF) and len(data) >= 12:
        return f"a RIFF media file ({data[8:12].decode('latin-1').strip()})"
    return None


def decode(data: bytes) -> Decoded:
    """Decode input bytes to text, or say why they are not text (E-BINARY / E-ENCODING)."""
    binary = sniff_binary(data)
    if binary:
        return Decoded(code="E-BINARY", reason=f"is {binary}, not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding, f"{encoding} byte-order mark")
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        guessed = _utf16_without_bom(sample)
        if guessed:
            return _strict(data, guessed, f"{guessed} text without byte-order mark")
        return Decoded(code="E-BINARY", reason="contains NUL bytes (binary data, not text)")
    controls = sum(1 for b in sample if b < 0x20 and b not in _TEXT_CONTROLS or b == 0x7F)
    if controls > _MAX_CONTROL_SHARE * len(sample):
        share = 100 * controls / len(sample)
        return Decoded(code="E-BINARY", reason=f"is {share:.0f}% control bytes (binary, not text)")
    try:
        return Decoded(text=data.decode("utf-8"), encoding="utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    return _legacy(data, utf8_error)


def _strict(data: bytes, encoding: str, why: str) -> Decoded:
    try:
        return Decoded(text=data.decode(encoding), encoding=encoding)
    except UnicodeDecodeError as exc:
        return Decoded(code="E-ENCODING",
                       reason=f"has a {why} but is not valid {encoding} "
                              f"(byte {exc.start}: {exc.reason})")


def _utf16_without_bom(sample: bytes) -> Optional[str]:
    """UTF-16 of mostly-ASCII text has a NUL in every other byte; binary data does not."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 4:
        return None
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _legacy(data: bytes, utf8_error: UnicodeDecodeError) -> Decoded:
    """Legacy 8-bit text: Western cp1252 when it reads like it, else charset_normalizer
    when it is confident (low chaos AND it recognised a language), else refuse."""
    western = _as_western(data)
    if western is not None:
        return Decoded(text=western, encoding="cp1252")
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    # Why the coherence test: on short or random bytes charset_normalizer reports chaos 0.0
    # for nonsense (e.g. UTF-16 for six Latin-1 bytes); coherence 0 means no language fit.
    if best is not None and best.chaos <= 0.1 and best.coherence >= 0.2:
        try:
            return Decoded(text=data.decode(best.encoding), encoding=best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return Decoded(code="E-ENCODING",
                   reason=f"is neither UTF-8 (byte {utf8_error.start}: {utf8_error.reason}) "
                          f"nor a legacy encoding that could be identified with confidence")


def _as_western(data: bytes) -> Optional[str]:
    """Decode as cp1252 if the result looks like English/Western text with a few accents.

    Cyrillic or Greek 8-bit text also decodes to Latin letters under cp1252, but then whole
    words are non-ASCII; in Western text accents are sparse and sit inside ASCII words (one
    accented letter is allowed even in a one-word text such as "Zürich").
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # bytes 0x81 0x8D 0x8F 0x90 0x9D are undefined in cp1252
        return None
    letters = non_ascii_letters = run = longest_run = 0
    for ch in text:
        if ch.isascii():
            letters += ch.isalpha()
            run = 0
            continue
        if not (ch in _WESTERN_EXTRA or _is_latin_letter(ch)):
            return None
        if ch.isalpha():
            letters += 1
            non_ascii_letters += 1
            run += 1
            longest_run = max(longest_run, run)
        else:
            run = 0
    if letters == 0 or non_ascii_letters > max(0.15 * letters, 1) or longest_run > 3:
        return None
    return text


def _is_latin_letter(ch: str) -> bool:
    # Category L leaves out the two symbols in the range, × and ÷.
    return "\u00c0" <= ch <= "\u024f" and unicodedata.category(ch).startswith("L")
