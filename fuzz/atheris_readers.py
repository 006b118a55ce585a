"""Coverage-guided byte-level fuzzing of the readers with atheris (libFuzzer).

Run by ``fuzz/run.py --atheris N``; on its own::

    python fuzz/atheris_readers.py findings.jsonl -runs=20000 -seed=1 -max_len=8192

The first argument is where findings go (one JSON line per failing input: signature, input,
seconds); the rest are libFuzzer flags. A failing input is recorded and fuzzing goes on, so one
run reports every distinct crash. The first input byte picks the reader (auto-detect, text,
HTML, JSONL, feed); the rest is the file's content.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports():
    import eventwire.ingest  # noqa: F401  (instrumented: coverage guides the mutations)

from fuzz import targets as T  # noqa: E402
from fuzz.run import signature  # noqa: E402

_KINDS = [(None, "input"), ("text", "input.txt"), ("html", "page.html"),
          ("jsonl", "lines.jsonl"), ("feed", "feed.xml")]
_seen: set[str] = set()


def one_input(data: bytes) -> None:
    if not data:
        return
    kind, origin = _KINDS[data[0] % len(_KINDS)]
    started = time.monotonic()
    try:
        T.check_read(data[1:], kind, origin)
    except Exception as exc:  # noqa: BLE001 - record and keep fuzzing
        sig = signature(exc)
        if sig not in _seen:  # one example per distinct crash keeps the file small
            _seen.add(sig)
            with open(sys.argv[1], "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"signature": sig, "input": repr((data[1:], kind))[:600],
                                     "seconds": time.monotonic() - started}) + "\n")


def main() -> None:
    atheris.Setup([sys.argv[0]] + sys.argv[2:], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
