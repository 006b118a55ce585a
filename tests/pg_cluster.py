"""A throwaway PostgreSQL cluster for the store tests (imported by tests/conftest.py).

The Debian binaries (``/usr/lib/postgresql/<version>/bin``) run as the ``postgres`` user on a
temporary data directory, a Unix socket in that directory and a free loopback port; the cluster
is stopped and removed at the end of the session. Each test gets a fresh database from
``pg_database``.

Under CI (``CI=true``) a cluster that cannot start FAILS the tests that need it: a broken setup
must never look green. Elsewhere they are skipped with the reason.
"""
from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

_PG_ROOT = Path("/usr/lib/postgresql")
_COUNTER = itertools.count(1)


def _pg_bin() -> Path | None:
    override = os.environ.get("EVENTWIRE_PG_BIN")
    if override:
        return Path(override)
    versions = sorted((p for p in _PG_ROOT.glob("*/bin") if (p / "initdb").exists()),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return versions[-1] if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str], **kw) -> subprocess.CompletedProcess:
    # initdb refuses to run as root; the Debian packages create the postgres user.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + args, capture_output=True, text=True, timeout=120, **kw)


def _unavailable(reason: str):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL cluster could not start under CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def pg_server():
    """Start a PostgreSQL cluster; yields the admin connection URL (database ``postgres``)."""
    bindir = _pg_bin()
    if bindir is None:
        _unavailable(f"no initdb under {_PG_ROOT}/*/bin (apt-get install postgresql-15)")
    root = Path(tempfile.mkdtemp(prefix="eventwire-pg-"))
    data = root / "data"
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    init = _as_postgres([str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                         "--auth=trust", "-E", "UTF8", "--no-sync"])
    if init.returncode:
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"initdb failed: {init.stderr.strip()[-400:]}")
    opts = (f"-k {root} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c full_page_writes=off")
    start = _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-o", opts,
                          "-l", str(root / "log"), "-w", "start"])
    if start.returncode:
        log = (root / "log").read_text(errors="replace")[-400:] if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"pg_ctl start failed: {start.stderr.strip()[-300:]} {log}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty database on the session cluster; yields its URL."""
    import psycopg

    name = f"ew_test_{os.getpid()}_{next(_COUNTER)}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield pg_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["duckdb", "postgres"])
def store_url(request, tmp_path):
    """The same store test on both backends: a DuckDB file, then a PostgreSQL database."""
    if request.param == "duckdb":
        return str(tmp_path / "events.duckdb")
    return request.getfixturevalue("pg_url")
