"""The ``doctor`` command: an integrity check of an event store (a thin shell over
:mod:`eventwire.doctor`).

Exit status: 0 healthy, 1 problems found (the report says which), 3 the store could not be
opened (missing, busy with a writer, unreachable).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Callable, Optional

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 3
_DESCRIPTION = """Check a store's integrity, read-only: schema version current; every article's
events present exactly once; no orphan events; no content hash stored twice (and each key is
the SHA-256 of its text); near-duplicates linked to stored originals; story membership
consistent. Exits 1 with a report naming each problem, 0 when the store is healthy.

Examples:
  eventwire doctor --db events.duckdb
  eventwire doctor --db postgresql://eventwire@localhost/events --format json"""


def register(sub) -> dict[str, Callable]:
    """Add ``doctor`` to ``sub`` (argparse subparsers)."""
    d = sub.add_parser("doctor", help="check a store's integrity (exit 1 on problems)",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description=_DESCRIPTION)
    d.add_argument("--db", default="events.duckdb",
                   help="DuckDB file or postgresql:// URL (default events.duckdb)")
    d.add_argument("--format", choices=("text", "json"), default="text")
    return {"doctor": cmd_doctor}


def cmd_doctor(args) -> int:
    from .doctor import check_store
    from .store import StoreError

    try:
        report = check_store(args.db)
    except StoreError as exc:
        print(f"eventwire: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2, default=str))
    else:
        sys.stdout.write(report.text())
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def main(argv: Optional[list[str]] = None) -> int:
    """Run ``doctor`` on its own (``python -m eventwire.cli_doctor doctor --db ...``)."""
    p = argparse.ArgumentParser(prog="eventwire")
    sub = p.add_subparsers(dest="command", required=True)
    handlers = register(sub)
    args = p.parse_args(argv)
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
