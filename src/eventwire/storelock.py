"""Telling a busy store from a broken one.

A DuckDB file has one writer at a time: DuckDB takes an OS lock on the file when a process
opens it (released when that process ends, even by SIGKILL), and a second process, writer or
reader, fails to open it. That is the right behaviour (no corruption), but the error must say
what is going on: the store is **busy** (``E-STORE-BUSY``: wait, or use PostgreSQL for
concurrent writers), not unreadable.

How the store uses it (``store/backends.py``, ``DuckDBBackend.__init__``)::

    except duckdb.IOException as exc:
        if storelock.is_lock_conflict(exc):
            raise storelock.busy_error(path, exc) from None
        raise StoreError(f"E-STORE-OPEN ...") from None
"""
from __future__ import annotations

import re
from typing import Optional

__all__ = ["is_lock_conflict", "lock_holder", "busy_error", "BUSY"]

BUSY = "E-STORE-BUSY"
# DuckDB's wording (1.x and 2.x): 'Could not set lock on file "x": Conflicting lock is held in
# /usr/bin/python3 (PID 1234)'.
_CONFLICT = re.compile(r"could not set lock on file|conflicting lock is held", re.IGNORECASE)
_PID = re.compile(r"\(PID (\d+)\)")
_PROGRAM = re.compile(r"lock is held in (.+?) \(PID", re.IGNORECASE)


def is_lock_conflict(exc: BaseException) -> bool:
    """True when opening a DuckDB file failed because another process holds its lock."""
    return bool(_CONFLICT.search(str(exc)))


def lock_holder(exc: BaseException) -> Optional[int]:
    """The PID of the process holding the lock, when DuckDB names it."""
    match = _PID.search(str(exc))
    return int(match.group(1)) if match else None


def busy_error(path: str, exc: BaseException):
    """The ``E-STORE-BUSY`` StoreError for a lock conflict on ``path``."""
    from .store.backends import StoreError

    pid = lock_holder(exc)
    program = _PROGRAM.search(str(exc))
    holder = f"process {pid}" if pid else "another process"
    if program and pid:
        holder += f" ({program.group(1).rsplit('/', 1)[-1]})"
    return StoreError(f"{BUSY} {path}: the store is busy: {holder} has it open (a DuckDB store "
                      f"has one writer at a time, and readers wait for it too); try again when "
                      f"it has finished, or use PostgreSQL for concurrent ingests")
