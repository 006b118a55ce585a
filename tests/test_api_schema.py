"""The OpenAPI schema holds: schemathesis generates requests from it (a bounded number per
operation) and checks every response against it (status codes, content types, bodies) and
that nothing answers 500."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from eventwire.api import ApiConfig, TokenFile, create_app

MAX_EXAMPLES = 15  # per operation: about 2 minutes' worth would find more, CI has budgets


# The schema is read at import time from an app with no store (generating it needs none):
# schemathesis's fixture-based lazy loading does not work with pytest 9. Each test's requests
# go to a real app over a fresh copy of the example store (``app=`` below).
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(None))


@pytest.fixture
def schema_app(api_store, tmp_path):
    tokens = TokenFile(tmp_path / "tokens.json")
    app = create_app(api_store, config=ApiConfig(open_reads=True), tokens=tokens)
    app.state.token = tokens.create("schemathesis")
    return app


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_schema_responses_conform(case, schema_app):
    # Left out: "schema-valid data is accepted". The API refuses some schema-valid input for
    # what it says (an article in another language, a forged cursor, an inverted bbox) with a
    # 400 naming the reason; test_api.py and test_api_security.py test those refusals.
    case.call_and_validate(app=schema_app, excluded_checks=[positive_data_acceptance],
                           headers={"Authorization": f"Bearer {schema_app.state.token}"})


@pytest.mark.parametrize("path", ["/v1/events", "/v1/events/{event_id}", "/v1/stats",
                                  "/v1/actors", "/v1/stories", "/v1/code", "/v1/articles"])
def test_api_schema_lists_every_route(api_client, path):
    spec = api_client.get("/openapi.json").json()
    assert path in spec["paths"]
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
    if path == "/v1/events":
        limit = next(p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "limit")
        assert limit["schema"]["maximum"] == ApiConfig().page_max
