"""The event store: DuckDB (embedded file, the default) or PostgreSQL, behind one interface.

>>> import eventwire.store as ews
>>> with ews.open("events.duckdb") as store:                     # doctest: +SKIP
...     report = store.ingest(iter_inputs(["examples/articles/"]))
...     store.events(actor="SYR", date_from="2023-01-01")          # event records
...     store.events(country="UKR", as_frame=True)                # pandas DataFrame
...     store.sql("SELECT cameo_root, COUNT(*) FROM events GROUP BY 1")   # read-only

Schema and design: docs/store.md.
"""
from __future__ import annotations

from .backends import StoreError
from .core import ArticleWrite, Store, open_store
from .ingest import IngestReport, ingest
from .query import EventFilter
from .schema import SCHEMA_VERSION

open = open_store  # noqa: A001 - eventwire.store.open(db), like sqlite3.connect / dbm.open

__all__ = ["open", "open_store", "Store", "ArticleWrite", "StoreError", "EventFilter",
           "IngestReport", "ingest", "SCHEMA_VERSION"]
