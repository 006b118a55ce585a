"""The two database backends behind one small interface: DuckDB (embedded file, the default)
and PostgreSQL (a server, for teams).

Everything above this module writes SQL once, with ``?`` placeholders; the PostgreSQL backend
turns them into psycopg's ``%s``. Only transactions and read-only raw SQL differ, and they live
here.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

__all__ = ["Backend", "DuckDBBackend", "PostgresBackend", "StoreError", "connect"]

Rows = list[tuple]
# PostgreSQL: rows per multi-row INSERT (a statement takes at most 65,535 parameters)
_ROWS_PER_INSERT = 200


class StoreError(Exception):
    """A store problem; the message starts with a stable code (``E-STORE-...``)."""


class Backend:
    """What the store needs from a database connection."""

    kind = "?"
    url = ""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:  # pragma: no cover
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:  # pragma: no cover
        raise NotImplementedError

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
               returning: Optional[str] = None, conflicts: bool = True) -> list:  # pragma: no cover
        """Insert ``rows`` (``ON CONFLICT DO NOTHING``) in as few statements as the backend
        allows; with ``returning``, the values of that column of the rows actually written
        (a row that conflicted with a stored one is not among them). ``conflicts=False``: the
        caller knows no row can conflict (keys derived from an article key it has just
        written), so PostgreSQL may ``COPY`` them; a conflict then is an error."""
        raise NotImplementedError

    @contextmanager
    def relation(self, name: str, columns: Sequence[tuple[str, str]],
                 rows: Sequence[Sequence[Any]]) -> Iterator[tuple[str, list]]:
        """Rows sent with a query as a table: yields ``(fragment, params)``, the fragment to
        put where a table goes in the query (``name`` with the ``columns``, pairs of name and
        SQL type) and its parameters, to come first among the query's."""
        raise NotImplementedError  # pragma: no cover
        yield

    def query(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], Rows]:
        raise NotImplementedError  # pragma: no cover

    @contextmanager
    def transaction(self) -> Iterator[None]:  # pragma: no cover
        raise NotImplementedError
        yield

    def read_only(self, sql: str) -> tuple[list[str], Rows]:  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover
        raise NotImplementedError


def _refused(what: str) -> StoreError:
    return StoreError(f"E-STORE-READONLY raw SQL is read-only: give one SELECT statement "
                      f"({what}); nothing was changed")


class DuckDBBackend(Backend):
    kind = "duckdb"

    def __init__(self, path: str, *, read_only: bool = False):
        import duckdb

        self.url = path
        self._duckdb = duckdb
        self._types: dict[str, dict] = {}
        if read_only and not Path(path).exists():
            raise StoreError(f"E-STORE-NOTFOUND {path}: no such store (ingest something first)")
        try:
            self.conn = duckdb.connect(path, read_only=read_only)
        except duckdb.IOException as exc:
            from ..storelock import busy_error, is_lock_conflict
            if is_lock_conflict(exc):  # another process holds the file (one writer per file)
                raise busy_error(path, exc) from None
            raise StoreError(f"E-STORE-OPEN {path}: cannot open the DuckDB file ({exc})") from None

    def execute(self, sql, params=()):
        cur = self.conn.execute(sql, list(params))
        return cur.fetchall() if cur.description else []

    def executemany(self, sql, rows):
        if rows:
            self.conn.executemany(sql, [list(r) for r in rows])

    def insert(self, table, columns, rows, *, returning=None, conflicts=True):
        """One ``INSERT ... SELECT`` from an Arrow table of all the rows: DuckDB binds a
        statement of thousands of ``?`` slowly, and scans an Arrow table at C speed.
        (``ON CONFLICT`` doubles the cost of a small insert: left out when ``conflicts`` is
        False.)"""
        if not rows:
            return []
        types = self._table_types(table)
        with self.relation("_eventwire_rows", [(c, types[c]) for c in columns], rows) as (rel, _):
            cols = ", ".join(columns)
            sql = f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {rel}"
            if conflicts or returning:
                sql += " ON CONFLICT DO NOTHING"
            if returning:
                return [r[0] for r in self.conn.execute(f"{sql} RETURNING {returning}")
                        .fetchall()]
            self.conn.execute(sql)
            return []

    @contextmanager
    def relation(self, name, columns, rows):
        """The rows as an Arrow table registered under ``name`` (a zero-copy scan)."""
        import pyarrow as pa
        arrow = {"TEXT": pa.string(), "VARCHAR": pa.string(), "BIGINT": pa.int64(),
                 "INTEGER": pa.int32(), "DOUBLE": pa.float64(),
                 "DOUBLE PRECISION": pa.float64(), "DATE": pa.date32(), "BOOLEAN": pa.bool_(),
                 "TIMESTAMP": pa.timestamp("us"), "BLOB": pa.binary(), "BYTEA": pa.binary()}
        values = list(zip(*rows)) if rows else [()] * len(columns)
        data = pa.Table.from_arrays(
            [pa.array(v, type=arrow[t]) for (_, t), v in zip(columns, values)],
            names=[c for c, _ in columns])
        self.conn.register(name, data)
        try:
            yield name, []
        finally:
            self.conn.unregister(name)

    def _table_types(self, table: str) -> dict[str, str]:
        """column -> SQL type of a table (read once per connection)."""
        if table not in self._types:
            cols = self.execute("SELECT column_name, data_type FROM information_schema.columns "
                                "WHERE table_name = ? AND table_schema = current_schema()",
                                [table])
            self._types[table] = dict(cols)
        return self._types[table]

    def query(self, sql, params=()):
        cur = self.conn.execute(sql, list(params))
        return [d[0] for d in cur.description], cur.fetchall()

    @contextmanager
    def transaction(self):
        self.conn.begin()
        try:
            yield
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()

    def read_only(self, sql):
        """Run one SELECT in a transaction that is always rolled back.

        DuckDB cannot reopen a file read-only while this process has it open read-write, so
        the statement type is checked first (exactly one SELECT), and the rollback undoes
        anything a SELECT might still have changed.
        """
        try:
            statements = self._duckdb.extract_statements(sql)
        except self._duckdb.Error as exc:
            raise StoreError(f"E-STORE-SQL {_one_line(exc)}") from None
        if len(statements) != 1:
            raise _refused(f"got {len(statements)} statements")
        kind = statements[0].type
        if kind != self._duckdb.StatementType.SELECT:
            raise _refused(f"got {kind.name}")
        self.conn.begin()
        try:
            return self.query(sql)
        except self._duckdb.Error as exc:
            raise StoreError(f"E-STORE-SQL {_one_line(exc)}") from None
        finally:
            self.conn.rollback()

    def close(self):
        self.conn.close()


class PostgresBackend(Backend):
    kind = "postgresql"

    def __init__(self, url: str, *, read_only: bool = False):
        import psycopg

        self.url = url
        self._psycopg = psycopg
        opts = "-c default_transaction_read_only=on" if read_only else None
        try:
            self.conn = psycopg.connect(url, autocommit=True, options=opts) if opts \
                else psycopg.connect(url, autocommit=True)
        except psycopg.OperationalError as exc:
            raise StoreError(f"E-STORE-OPEN {_redact(url)}: cannot connect to PostgreSQL "
                             f"({_one_line(exc)})") from None

    @staticmethod
    def _sql(sql: str) -> str:
        # Our SQL never contains a literal '?' or '%': placeholders are the only ones.
        return sql.replace("?", "%s")

    def execute(self, sql, params=()):
        cur = self.conn.execute(self._sql(sql), list(params))
        return cur.fetchall() if cur.description else []

    def executemany(self, sql, rows):
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(self._sql(sql), [list(r) for r in rows])

    def insert(self, table, columns, rows, *, returning=None, conflicts=True):
        """Multi-row ``INSERT ... VALUES`` statements of up to ``_ROWS_PER_INSERT`` rows, or
        one ``COPY`` when no row can conflict (5x faster for events: measured by
        benchmarks/bench_store.py)."""
        if not conflicts and not returning:
            if rows:
                with self.conn.cursor() as cur, \
                        cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            return []
        out: list = []
        one = f"({', '.join('%s' for _ in columns)})"
        tail = f" RETURNING {returning}" if returning else ""
        for i in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[i:i + _ROWS_PER_INSERT]
            cur = self.conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                f"{', '.join(one for _ in chunk)} ON CONFLICT DO NOTHING{tail}",
                [v for r in chunk for v in r])
            if returning:
                out.extend(r[0] for r in cur.fetchall())
        return out

    @contextmanager
    def relation(self, name, columns, rows):
        """``unnest`` of one array parameter per column."""
        values = list(zip(*rows)) if rows else [()] * len(columns)
        arrays = ", ".join(f"CAST(? AS {t}[])" for _, t in columns)
        yield (f"unnest({arrays}) AS {name} ({', '.join(c for c, _ in columns)})",
               [list(v) for v in values])

    def query(self, sql, params=()):
        cur = self.conn.execute(self._sql(sql), list(params))
        return [d.name for d in cur.description], cur.fetchall()

    @contextmanager
    def transaction(self):
        with self.conn.transaction():
            yield

    def read_only(self, sql):
        """Run the statement in a READ ONLY transaction, prepared server-side (a prepared
        statement cannot smuggle a second command such as ``COMMIT; DROP ...``), then roll
        back."""
        psycopg = self._psycopg
        try:
            with self.conn.transaction():
                self.conn.execute("SET TRANSACTION READ ONLY")
                cur = self.conn.execute(sql, prepare=True)
                result = ([d.name for d in cur.description], cur.fetchall()) \
                    if cur.description else ([], [])
                raise psycopg.Rollback()
        except psycopg.errors.ReadOnlySqlTransaction as exc:
            raise _refused(_one_line(exc)) from None
        except psycopg.errors.SyntaxError as exc:
            if "multiple commands" in str(exc):
                raise _refused("got several statements") from None
            raise StoreError(f"E-STORE-SQL {_one_line(exc)}") from None
        except psycopg.Error as exc:
            raise StoreError(f"E-STORE-SQL {_one_line(exc)}") from None
        return result

    def close(self):
        self.conn.close()


def connect(db: str | Path, *, read_only: bool = False) -> Backend:
    """A backend for ``db``: a ``postgresql://`` (or ``postgres://``) URL, else a DuckDB
    file path."""
    text = str(db)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(text, read_only=read_only)
    if "://" in text:
        raise StoreError(f"E-STORE-URL {_redact(text)}: unknown store; give a DuckDB file path "
                         f"or a postgresql:// URL")
    return DuckDBBackend(text, read_only=read_only)


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split())[:300]


def _redact(url: str) -> str:
    """The URL without its password, for error messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return url
