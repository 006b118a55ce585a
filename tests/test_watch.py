"""watch: feeds and pages served by a local http.server (no outside network)."""
from __future__ import annotations

import socket
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import eventwire.store as ews
from eventwire.watch import FetchError, Watcher, WatchOptions, fetch, read_feed_list

# Short wire stories written for these tests about real, well-documented events.
PARIS = [
    "LE BOURGET, France, Dec 12 (eventwire) - Nearly 200 countries adopted a landmark climate "
    "agreement in Paris on Saturday, committing to hold global warming well below two degrees "
    "Celsius.",
    "French Foreign Minister Laurent Fabius, who chaired the talks, brought down his gavel to "
    "cheers after two weeks of negotiations.",
    "U.S. President Barack Obama praised the accord as the best chance to save the planet.",
]
COLOMBIA = [
    "CARTAGENA, Colombia, Sept 26 (eventwire) - Colombian President Juan Manuel Santos and FARC "
    "leader Rodrigo Londono signed a peace agreement on Monday to end more than five decades of "
    "war.",
    "U.N. Secretary-General Ban Ki-moon attended the ceremony in Cartagena with Latin American "
    "leaders.",
    "Colombian voters will be asked to approve the deal in a referendum on Oct. 2.",
]
VIENNA = [
    "VIENNA, July 14 (eventwire) - Iran and six world powers reached a nuclear agreement in "
    "Vienna on Tuesday, lifting sanctions in exchange for limits on Tehran's nuclear programme.",
    "Iranian Foreign Minister Mohammad Javad Zarif called it a historic moment.",
]


def page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{title}</title></head><body>"
            f"<nav>Home | World | Climate</nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright eventwire tests</footer></body></html>").encode("utf-8")


def rss(base: str, items: list[tuple[str, str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>{d}</pubDate><description>{teaser}</description></item>"
        for t, path, d, teaser in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Local Wire</title><link>{base}/</link><description>test feed</description>"
            f"{entries}</channel></rss>").encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 - http.server's name
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        status, body, ctype, drip = route
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)) if not drip else "100000")
        self.end_headers()
        if drip:  # a server that sends one byte at a time and never finishes in time
            for byte in body[:50]:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.1)
            return
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    routes: dict = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield base, routes
    httpd.shutdown()
    httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_wire(base: str, routes: dict, items=None) -> None:
    routes["/good.rss"] = (200, rss(base, items or [
        ("Paris climate accord adopted", "/paris.html", "Sat, 12 Dec 2015 20:00:00 GMT",
         "Nearly 200 countries adopted a climate agreement."),
        ("Colombia signs peace deal", "/colombia.html", "Mon, 26 Sep 2016 23:00:00 GMT",
         "Colombia's government and FARC signed a peace deal."),
    ]), "application/rss+xml", False)
    routes["/paris.html"] = (200, page("Paris climate accord adopted", PARIS), "text/html",
                             False)
    routes["/colombia.html"] = (200, page("Colombia signs peace deal", COLOMBIA), "text/html",
                                False)


@pytest.mark.parametrize("bad_feeds", [{
    "/garbage.rss": (200, b"\x89PNG\r\n\x1a\n\x00\x00garbage", "application/rss+xml", False),
    "/notafeed.rss": (200, b"<html><body>Service temporarily unavailable</body></html>",
                      "text/html", False),
    "/down.rss": (503, b"down for maintenance", "text/plain", False),
    "/huge.rss": (200, b"<rss>" + b"x" * 300_000 + b"</rss>", "application/rss+xml", False),
    "/drip.rss": (200, b"<rss>" + b"y" * 100, "application/rss+xml", True),
}])
def test_watch_stores_new_articles_and_survives_bad_feeds(server, tmp_path, bad_feeds):
    base, routes = server
    _serve_wire(base, routes)
    routes.update(bad_feeds)
    feeds = [base + p for p in bad_feeds] + [f"http://127.0.0.1:{_closed_port()}/x.rss",
                                              base + "/good.rss"]
    options = WatchOptions(timeout=1.0, max_bytes=100_000)
    lines: list[str] = []
    with ews.open(str(tmp_path / "w.duckdb")) as store:
        watcher = Watcher(store, feeds, options=options, log=lines.append)
        started = time.monotonic()
        first = watcher.poll()
        elapsed = time.monotonic() - started
        second = watcher.poll()
        stored = store.sql("SELECT id, published, published_from, text FROM articles "
                           "ORDER BY id")
    assert (first.feeds, first.feeds_failed, first.new_articles, first.stored) == (7, 6, 2, 2)
    codes = {(p.origin.rsplit("/", 1)[-1], p.code) for p in first.problems}
    assert codes == {("garbage.rss", "E-BINARY"), ("notafeed.rss", "E-FEED"),
                     ("down.rss", "E-FETCH"), ("huge.rss", "E-TOO-LARGE"),
                     ("drip.rss", "E-TIMEOUT"), ("x.rss", "E-FETCH")}
    assert elapsed < 20  # the dripping server is cut off at the time limit
    assert (second.new_articles, second.stored) == (0, 0)
    # The page's full text was stored, not the feed's one-line teaser.
    assert [r["id"] for r in stored] == [base + "/colombia.html", base + "/paris.html"]
    assert "Ban Ki-moon" in stored[0]["text"] and "Laurent Fabius" in stored[1]["text"]
    assert "Copyright eventwire tests" not in stored[1]["text"]
    assert stored[1]["published"] == date(2015, 12, 12)
    assert stored[1]["published_from"] == "metadata"


@pytest.mark.parametrize("page_status", [404])
def test_watch_new_entry_later_and_page_down(server, tmp_path, page_status):
    base, routes = server
    _serve_wire(base, routes)
    with ews.open(str(tmp_path / "w.duckdb")) as store:
        watcher = Watcher(store, [base + "/good.rss"], options=WatchOptions(timeout=2.0),
                          log=lambda line: None)
        assert watcher.poll().stored == 2
        _serve_wire(base, routes, items=[
            ("Iran nuclear deal reached", "/vienna.html", "Tue, 14 Jul 2015 12:00:00 GMT",
             " ".join(VIENNA))])
        routes["/vienna.html"] = (page_status, b"gone", "text/plain", False)
        third = watcher.poll()
        text = store.sql("SELECT text FROM articles WHERE id LIKE '%vienna%'")
    assert (third.new_articles, third.stored) == (1, 1)
    assert text[0]["text"] == " ".join(VIENNA)  # the feed entry's own text


@pytest.mark.parametrize("content,expected", [
    ("# wire feeds\nhttp://a.example/rss\n\n  http://b.example/atom.xml \nhttp://a.example/rss\n",
     ["http://a.example/rss", "http://b.example/atom.xml"]),
    ('<?xml version="1.0"?><opml version="2.0"><body><outline text="News">'
     '<outline text="A" type="rss" xmlUrl="http://a.example/rss"/>'
     '<outline text="B" type="rss" xmlUrl="http://b.example/feed"/></outline></body></opml>',
     ["http://a.example/rss", "http://b.example/feed"]),
])
def test_watch_reads_feed_lists(tmp_path, content, expected):
    path = tmp_path / "feeds.txt"
    path.write_text(content, encoding="utf-8")
    assert read_feed_list(path) == expected


@pytest.mark.parametrize("content", ["# nothing here\n", "<opml><body/></opml>"])
def test_watch_refuses_empty_feed_list(tmp_path, content):
    path = tmp_path / "feeds.opml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="E-FEEDS"):
        read_feed_list(path)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed"])
def test_watch_fetches_only_http(url):
    with pytest.raises(FetchError) as err:
        fetch(url, timeout=1, max_bytes=1000)
    assert err.value.code == "E-URL"


@pytest.mark.parametrize("cycles", [1])
def test_watch_cli_runs_cycles(server, tmp_path, capsys, cycles):
    from eventwire.cli_store import main
    base, routes = server
    _serve_wire(base, routes)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{base}/good.rss\n{base}/missing.rss\n", encoding="utf-8")
    db = str(tmp_path / "w.duckdb")
    assert main(["watch", str(feeds), "--db", db, "--cycles", str(cycles),
                 "--interval", "0"]) == 0
    err = capsys.readouterr().err
    assert "missing.rss: E-FETCH HTTP 404" in err
    assert "cycle 1: 2 feeds (1 failed), 2 new articles: 2 stored" in err
