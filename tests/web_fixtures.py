"""Fixtures for the API and web tests (imported by tests/conftest.py).

- ``web_example_db``: a DuckDB store with examples/articles ingested (once per session).
- ``api_store``: a fresh writable copy of it; ``api_client``: a TestClient over it on a
  loopback client address, with a token file and the token in ``api_client.token``.
- ``live_server``: the app served by uvicorn on a free loopback port (read tests only).
- ``web_browser``: headless Debian Chromium driven by Playwright (never ``playwright
  install``); ``web_page``: a fresh page that refuses, and records, any request that leaves
  the app (the UI must work offline); ``web_page.shot(name)`` saves a screenshot to
  artifacts/screenshots/. Under CI (``CI=true``) a missing Chromium FAILS.
"""
from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("EVENTWIRE_CHROMIUM", "/usr/bin/chromium")
# Flags for an offline machine: no GPU, no QUIC, nothing phoning home.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
LOOPBACK_CLIENT = ("127.0.0.1", 50123)


def _under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _unavailable(reason: str):
    if _under_ci():
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def web_example_db(tmp_path_factory) -> Path:
    """A store file holding the coded examples/articles (closed; copy it before writing)."""
    from eventwire.ingest import iter_inputs
    from eventwire.store import open_store

    path = tmp_path_factory.mktemp("web-store") / "examples.duckdb"
    with open_store(path) as store:
        report = store.ingest(iter_inputs([EXAMPLES]))
    assert report.stored >= 7, report.summary()
    return path


def _copy_store(src: Path, dst_dir: Path) -> Path:
    dst = dst_dir / src.name
    shutil.copyfile(src, dst)
    return dst


@pytest.fixture
def api_store(web_example_db, tmp_path):
    """A writable copy of the example store, closed after the test."""
    from eventwire.store import open_store

    store = open_store(_copy_store(web_example_db, tmp_path))
    yield store
    store.close()


@pytest.fixture
def api_client(api_store, tmp_path):
    """A TestClient over ``api_store`` as a loopback client; ``.token`` writes."""
    from fastapi.testclient import TestClient

    from eventwire.api import ApiConfig, TokenFile, create_app

    tokens = TokenFile(tmp_path / "tokens.json")
    token = tokens.create("tests")
    app = create_app(api_store, config=ApiConfig(), tokens=tokens)
    client = TestClient(app, client=LOOPBACK_CLIENT)
    client.token = token
    client.store = api_store
    return client


@pytest.fixture(scope="session")
def live_server(web_example_db, tmp_path_factory):
    """The app on a free loopback port (uvicorn in a thread); yields its base URL."""
    import uvicorn

    from eventwire.api import ApiConfig, TokenFile, create_app
    from eventwire.store import open_store

    root = tmp_path_factory.mktemp("live")
    store = open_store(_copy_store(web_example_db, root))
    app = create_app(store, config=ApiConfig(), tokens=TokenFile(root / "tokens.json"))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="eventwire-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 30 s", pytrace=False)
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="session")
def web_browser():
    """A headless Chromium context (Debian's chromium, fresh profile)."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    profile = tempfile.mkdtemp(prefix="eventwire-chromium-")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1400, "height": 1000}, service_workers="block")
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def web_page(web_browser, live_server):
    """A new page; ``page.outside`` lists requests that tried to leave the app (refused),
    ``page.errors`` the page's JavaScript errors and console errors."""
    page = web_browser.new_page()
    page.outside, page.errors = [], []

    def route(r):
        if r.request.url.startswith(live_server + "/"):
            r.continue_()
        else:
            page.outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.base = live_server
    page.shot = lambda name: screenshot(page, name)
    yield page
    page.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot to artifacts/screenshots/ (a CI artifact)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
