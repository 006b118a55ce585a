from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def nlp():
    from eventwire import nlp as _nlp
    return _nlp.load()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared/data not found beside the checkout ({SHARED})")
    return SHARED


@pytest.fixture
def parse(nlp):
    """Parse one text and return the spaCy Doc."""
    return lambda text: nlp(text)

from pg_cluster import pg_server, pg_url, store_url  # noqa: E402,F401  (store tests: PostgreSQL)
from web_fixtures import api_client, api_store, live_server, web_browser, web_example_db, web_page  # noqa: E402,F401,E501  (API and browser tests)
