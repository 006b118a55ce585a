"""HTTP API security: tokens for writes, reads off loopback, SQL injection through filters,
body size limits, Host checks, headers; the serve and token commands."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time

import httpx
import pytest

from eventwire.api import ApiConfig, TokenFile, create_app

ARTICLE = {"text": "Turkish President Tayyip Erdogan met Russian President Vladimir Putin in "
                   "Sochi on Tuesday to discuss the war in Syria, the Kremlin said.",
           "published": "2018-09-18", "id": "sochi-2018"}


def _tables(store) -> dict:
    names = [r["table_name"] for r in store.sql(
        "SELECT table_name FROM information_schema.tables ORDER BY 1")]
    return {"tables": names, **store.counts()}


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer ew_not-a-real-token"}, {"Authorization": "Basic dXNlcjpwdw=="},
    {"Authorization": "Bearer "},
])
def test_api_security_write_without_valid_token_is_refused(api_client, headers):
    before = api_client.store.counts()
    r = api_client.post("/v1/articles", json=ARTICLE, headers=headers)
    assert r.status_code in (401, 403)
    assert r.headers.get("www-authenticate") == "Bearer"
    assert r.json()["detail"].startswith("E-API-AUTH")
    assert api_client.store.counts() == before


@pytest.mark.parametrize("body", [ARTICLE])
def test_api_security_write_with_token_stores_once(api_client, body):
    auth = {"Authorization": f"Bearer {api_client.token}"}
    before = api_client.store.counts()
    r = api_client.post("/v1/articles", json=body, headers=auth)
    assert r.status_code == 201, r.text
    res = r.json()
    assert res["status"] == "stored" and len(res["article_key"]) == 64
    after = api_client.store.counts()
    assert after["articles"] == before["articles"] + 1
    assert after["events"] == before["events"] + len(res["events"])
    stored = {e["event_id"] for e in api_client.store.events(article="sochi-2018")}
    assert stored == {e["event_id"] for e in res["events"]} and stored
    again = api_client.post("/v1/articles", json=body, headers=auth)
    assert again.status_code == 200 and again.json()["status"] == "exists"
    assert api_client.store.counts() == after


@pytest.mark.parametrize("client_host", ["203.0.113.7"])
def test_api_security_reads_off_loopback_need_a_token(api_store, tmp_path, client_host):
    from fastapi.testclient import TestClient

    tokens = TokenFile(tmp_path / "tokens.json")
    token = tokens.create("analyst")
    remote = TestClient(create_app(api_store, tokens=tokens), client=(client_host, 40000))
    assert remote.get("/v1/events").status_code == 401
    assert remote.get("/v1/stats").status_code == 401
    ok = remote.get("/v1/events", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and ok.json()["events"]
    opened = TestClient(create_app(api_store, config=ApiConfig(open_reads=True), tokens=tokens),
                        client=(client_host, 40000))
    assert opened.get("/v1/events").status_code == 200
    assert opened.post("/v1/articles", json=ARTICLE).status_code == 401


INJECTIONS = [
    ("actor", "SYR' OR '1'='1"), ("actor", "%' OR 1=1 --"), ("text", "x'); DROP TABLE events; --"),
    ("claimant", "' UNION SELECT record FROM events --"), ("story", "1 OR 1=1"),
    ("article", "' OR ''='"), ("source", "RUS%"), ("target", "_"),
    ("country", "IRN' OR 1=1 --"), ("cameo", "19%' OR '1'='1"), ("plover", "ASSAULT' --"),
    ("bbox", "0,0,1,1); DELETE FROM events; --"), ("date_from", "2020-01-01' OR 1=1 --"),
    ("modality", "asserted' OR 1=1"), ("background", "true; DROP TABLE articles"),
    ("cursor", "WyInIE9SIDE9MSAtLSIsICJ4IiwgMCwgIngiLCAieCJd"),
]


@pytest.mark.parametrize("path", ["/v1/events", "/v1/stats", "/v1/actors"])
def test_api_security_sql_injection_in_filters_changes_nothing(api_client, path):
    before = _tables(api_client.store)
    for name, value in INJECTIONS:
        if name == "cursor" and path != "/v1/events":
            continue
        r = api_client.get(path, params={name: value})
        if r.status_code == 200:
            # Accepted as plain text: it must match nothing (OR 1=1 would match everything).
            body = r.json()
            found = body.get("events", body.get("edges", [])) or body.get("total", 0)
            assert not found, (name, value, str(body)[:200])
        else:
            assert r.status_code in (400, 422), (name, value, r.status_code, r.text)
    assert _tables(api_client.store) == before


@pytest.mark.parametrize("size", [1_000_001, 3_000_000])
def test_api_security_oversized_bodies_are_refused(api_client, size):
    before = api_client.store.counts()
    body = json.dumps({"text": "Talks resumed. " * (size // 15 + 1)}).encode()
    assert len(body) > size
    auth = {"Authorization": f"Bearer {api_client.token}", "Content-Type": "application/json"}
    for path in ("/v1/code", "/v1/articles"):
        r = api_client.post(path, content=body, headers=auth)
        assert r.status_code == 413, (path, r.status_code)

    def chunks():  # no Content-Length: counted while streaming
        for i in range(0, len(body), 65536):
            yield body[i:i + 65536]

    r = api_client.post("/v1/articles", content=chunks(), headers=auth)
    assert r.status_code == 413
    assert api_client.store.counts() == before


@pytest.mark.parametrize("host,status", [("evil.example", 400), ("127.0.0.1", 200),
                                         ("localhost:8000", 200)])
def test_api_security_unknown_host_header_is_refused(api_store, host, status):
    from fastapi.testclient import TestClient

    app = create_app(api_store, config=ApiConfig(allowed_hosts=("127.0.0.1", "localhost")))
    client = TestClient(app, client=("127.0.0.1", 40000))
    assert client.get("/v1/health", headers={"Host": host}).status_code == status


@pytest.mark.parametrize("read_only", [True])
def test_api_security_read_only_store_refuses_writes(api_store, tmp_path, read_only):
    from fastapi.testclient import TestClient

    tokens = TokenFile(tmp_path / "tokens.json")
    token = tokens.create("w")
    app = create_app(api_store, config=ApiConfig(read_only=read_only), tokens=tokens)
    client = TestClient(app, client=("127.0.0.1", 40000))
    before = api_store.counts()
    r = client.post("/v1/articles", json=ARTICLE, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403 and r.json()["detail"].startswith("E-API-READONLY")
    assert api_store.counts() == before


@pytest.mark.parametrize("path", ["/", "/paste", "/v1/health"])
def test_api_security_headers_forbid_outside_scripts(api_client, path):
    r = api_client.get(path)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize("name", ["newsroom"])
def test_api_security_token_file_keeps_only_hashes(tmp_path, name):
    tokens = TokenFile(tmp_path / "store.duckdb.tokens.json")
    token = tokens.create(name)
    text = tokens.path.read_text()
    assert token not in text and token.startswith("ew_") and len(token) > 40
    assert stat.S_IMODE(os.stat(tokens.path).st_mode) == 0o600
    assert tokens.verify(token) == name and tokens.verify(token + "x") is None
    with pytest.raises(Exception, match="E-TOKEN-EXISTS"):
        tokens.create(name)
    assert tokens.revoke(name) and tokens.verify(token) is None


def _run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "eventwire.cli", *args], capture_output=True,
                          text=True, timeout=120, **kw)


@pytest.mark.parametrize("name", ["ci"])
def test_api_cli_serve_and_token(web_example_db, tmp_path, name):
    from web_fixtures import free_port

    db = tmp_path / "store.duckdb"
    db.write_bytes(web_example_db.read_bytes())
    made = _run("token", "create", "--db", str(db), "--name", name)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("ew_") and (tmp_path / "store.duckdb.tokens.json").exists()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "eventwire.cli", "serve", "--db", str(db),
                             "--port", str(port)], stderr=subprocess.PIPE, text=True)
    try:
        base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 90
        while True:
            try:
                health = httpx.get(f"{base}/v1/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "serve did not answer within 90 s"
                time.sleep(0.3)
        assert health.json()["counts"]["events"] > 0
        assert httpx.get(f"{base}/openapi.json").json()["info"]["title"] == "eventwire"
        assert httpx.post(f"{base}/v1/articles", json=ARTICLE).status_code == 401
        ok = httpx.post(f"{base}/v1/articles", json=ARTICLE, timeout=60,
                        headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 201, ok.text
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.parametrize("raw,status,code", [
    (b'{"text": "Talks \\ud800 resumed in Geneva on Monday, officials said."}', 400,
     "E-ENCODING"),
    (b'{"text": "Talks \\u0000 resumed in Geneva on Monday, officials said."}', 400, "E-BINARY"),
    (b'{"text": "Talks resumed in Geneva.", "id": "\\ud800"}', 422, None),
    (b'{"text": "Talks resumed', 422, None),
])
def test_api_security_odd_json_is_refused_not_crashed(api_client, raw, status, code):
    before = api_client.store.counts()
    for path in ("/v1/code", "/v1/articles"):
        r = api_client.post(path, content=raw, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {api_client.token}"})
        assert r.status_code == status, (path, r.text[:200])
        if code:
            assert r.json()["detail"].startswith(code)
    assert api_client.store.counts() == before
