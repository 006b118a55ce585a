"""Property tests of every reader (text, HTML, JSON Lines, RSS/Atom, and sniffing when no kind
is given): on generated hostile input (fuzz/targets.py) no exception escapes, nothing hangs,
every problem names the input with a known code, every article is storable.

CI runs a few hundred cases; ``python fuzz/run.py --cases 100000`` runs the long campaign
(docs/reliability.md). Inputs that hit a known, reported bug (``targets.KNOWN_BUGS``, each
pinned by a strict xfail test) are set aside here so the property keeps guarding the rest.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from fuzz import targets as T  # noqa: E402

from eventwire.ingest import read_bytes  # noqa: E402
from eventwire.records import Article, InputProblem  # noqa: E402

# derandomize: CI replays the same cases each run (the long run explores); no flaky CI.
CI = settings(max_examples=80, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _read(case):
    try:
        return T.check_read(*case)
    except Exception as exc:  # noqa: BLE001 - only known, reported bugs are set aside
        if T.known_bug(exc):
            reject()
        raise


@pytest.mark.parametrize("kind", [None, "text", "html", "jsonl", "feed"])
def test_fuzz_readers_contract(kind):
    @CI
    @given(T.reader_inputs(kinds=(kind,)))
    def run(case):
        _read(case)
    run()


@pytest.mark.parametrize("kind", ["text", "html", "jsonl", "feed"])
def test_fuzz_readers_raw_bytes(kind):
    from hypothesis import strategies as st

    @CI
    @given(st.binary(max_size=3000))
    def run(data):
        _read((data, kind, f"blob.{kind}"))
    run()


@pytest.mark.parametrize("kind,data,code", [
    ("html", b"<div>" * 2000 + b"Iran and Iraq signed a deal in Baghdad.", "E-EXTRACT"),
    ("feed", b"<rss version='2.0'><channel><item><title>x</title></item>", "E-RECORD"),
    ("jsonl", b'{"id": "a", "text": "Iran and Iraq met."}\n{"id": ', "E-RECORD"),
    ("text", b"\xff\xfe" + "Iran said\ud800".encode("utf-16-le", "surrogatepass"), "E-ENCODING"),
    ("html", b"<!--" * 20000, "E-EXTRACT"),
])
def test_fuzz_readers_regressions(kind, data, code):
    """Shapes the fuzzer generates, pinned: each gives its coded problem."""
    items = T.check_read(data, kind, f"case.{kind}")
    assert code in [i.code for i in items if isinstance(i, InputProblem)]


@pytest.mark.parametrize("text,title", [
    ("Title: Kishida visits Kyiv\nPublished: 2023-03-21\n\nJapanese Prime Minister Fumio "
     "Kishida met Ukrainian President Volodymyr Zelenskiy in Kyiv on Tuesday.",
     "Kishida visits Kyiv")])
def test_fuzz_readers_all_encodings_agree(text, title):
    """The same article in any Unicode encoding (with its BOM) reads the same."""
    seen = set()
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
        (article,) = T.check_read(text.encode(encoding), "text", "kyiv.txt")
        assert isinstance(article, Article) and article.title == title
        seen.add(article.text)
    assert len(seen) == 1


@pytest.mark.parametrize("n", [0])
def test_fuzz_readers_known_bugs_are_listed(n):
    """Every known bug named in the fuzz targets points at its pinning test."""
    assert len(T.KNOWN_BUGS) <= n
    assert all("tests/" in why for _, _, why in T.KNOWN_BUGS)
    assert list(read_bytes(b"", origin="empty.txt"))[0].code == "E-EMPTY"
