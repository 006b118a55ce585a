"""``watch``: poll RSS/Atom feeds, fetch new articles, code and store them.

Each cycle fetches every feed (with a total time limit and a size cap, conditional GET when the
server gave an ETag or Last-Modified), reads its entries with the feed reader of
:mod:`eventwire.ingest`, fetches the page of each entry not seen before (feeds often carry only
a teaser; the page's main text is extracted with trafilatura, and the entry's own text is kept
when the page cannot be had) and ingests the new articles. A feed that is down, slow, too large
or not a feed is reported as a problem naming it, and the cycle goes on with the others.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional, Union

from lxml import etree

from . import __version__
from .ingest import read_bytes
from .records import Article, InputProblem
from .settings import DEFAULT, Settings

__all__ = ["Watcher", "WatchOptions", "CycleReport", "FetchError", "fetch", "read_feed_list"]


@dataclass(frozen=True)
class WatchOptions:
    interval: float = 300.0  # seconds between the starts of two cycles
    timeout: float = 10.0  # total seconds for one HTTP fetch (connect + all reads)
    max_bytes: int = DEFAULT.max_input_bytes  # larger responses are refused, never truncated
    fetch_pages: bool = True  # fetch each new entry's page for the full text
    user_agent: str = f"eventwire/{__version__} (feed watcher)"


@dataclass
class CycleReport:
    feeds: int = 0
    feeds_failed: int = 0
    new_articles: int = 0
    stored: int = 0
    duplicates: int = 0
    events: int = 0
    problems: list[InputProblem] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.feeds} feeds ({self.feeds_failed} failed), {self.new_articles} new "
                f"articles: {self.stored} stored, {self.duplicates} near-duplicates, "
                f"{self.events} events, {len(self.problems)} problems")


class FetchError(Exception):
    """A fetch that failed; ``code`` is E-FETCH, E-TIMEOUT, E-TOO-LARGE or E-URL."""

    def __init__(self, url: str, code: str, message: str):
        super().__init__(f"{url}: {code} {message}")
        self.url, self.code, self.message = url, code, message


@dataclass(frozen=True)
class Fetched:
    status: int
    data: bytes
    etag: Optional[str] = None
    modified: Optional[str] = None


def fetch(url: str, *, timeout: float, max_bytes: int, user_agent: str = "eventwire",
          etag: Optional[str] = None, modified: Optional[str] = None) -> Fetched:
    """GET ``url`` (http/https only) within ``timeout`` seconds in total and at most
    ``max_bytes``; status 304 comes back with no data. Raises :class:`FetchError`."""
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(url, "E-URL", "only http:// and https:// URLs are fetched")
    headers = {"User-Agent": user_agent, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers),
                                    timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(url, "E-TOO-LARGE", f"response is {int(length):,} bytes, over "
                                 f"the cap of {max_bytes:,}")
            data = _read_capped(resp, url, deadline, max_bytes)
            return Fetched(resp.status, data, resp.headers.get("ETag"),
                           resp.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(304, b"", etag, modified)
        raise FetchError(url, "E-FETCH", f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise FetchError(url, "E-TIMEOUT", f"no answer within {timeout:g} s") from None
        raise FetchError(url, "E-FETCH", f"cannot connect ({reason})") from None
    except TimeoutError:
        raise FetchError(url, "E-TIMEOUT", f"no answer within {timeout:g} s") from None
    except OSError as exc:
        raise FetchError(url, "E-FETCH", f"connection failed ({exc})") from None


def _read_capped(resp, url: str, deadline: float, max_bytes: int) -> bytes:
    # The socket timeout bounds each read, not the whole download: a server dripping a byte
    # at a time would otherwise hold a cycle forever.
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError(url, "E-TIMEOUT", "download took longer than the time limit")
        # read1: return what has arrived instead of waiting for a full 64 KiB.
        chunk = resp.read1(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(url, "E-TOO-LARGE", f"response is over the cap of {max_bytes:,} "
                             f"bytes")
        chunks.append(chunk)


def read_feed_list(path: Union[str, Path]) -> list[str]:
    """Feed URLs from a file: one URL a line (``#`` comments), or an OPML outline (every
    ``xmlUrl``). Raises ValueError naming the file when it lists none."""
    data = Path(path).read_bytes()
    if data.lstrip().startswith(b"<"):
        try:
            root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False,
                                                                 no_network=True))
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"E-FEEDS {path}: not valid OPML ({exc})") from None
        urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    else:
        lines = data.decode("utf-8", errors="replace").splitlines()
        urls = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    if not urls:
        raise ValueError(f"E-FEEDS {path}: lists no feed URLs")
    return list(dict.fromkeys(urls))


class Watcher:
    """Polls ``feeds`` into ``store``. ``log`` receives one line per notable thing."""

    def __init__(self, store, feeds: list[str], *, options: WatchOptions = WatchOptions(),
                 settings: Settings = DEFAULT, coder=None,
                 log: Callable[[str], None] = lambda line: None):
        self.store, self.feeds, self.options = store, feeds, options
        self.settings, self.coder, self.log = settings, coder, log
        self._seen: set[str] = set()  # entry URLs/ids handled by this process
        self._cache: dict[str, tuple[Optional[str], Optional[str]]] = {}  # feed -> etag, date

    def run(self, *, cycles: Optional[int] = None,
            sleep: Callable[[float], None] = time.sleep) -> list[CycleReport]:
        """Poll every ``options.interval`` seconds, ``cycles`` times (forever if None)."""
        reports = []
        n = 0
        while cycles is None or n < cycles:
            started = time.monotonic()
            reports.append(self.poll())
            self.log(f"cycle {n + 1}: {reports[-1].summary()}")
            n += 1
            if cycles is None or n < cycles:
                sleep(max(0.0, self.options.interval - (time.monotonic() - started)))
        return reports

    def poll(self) -> CycleReport:
        """One cycle over all feeds."""
        report = CycleReport()
        new: list[Article] = []
        for url in self.feeds:
            report.feeds += 1
            entries = self._feed_entries(url, report)
            if entries is None:
                report.feeds_failed += 1
                continue
            for article in entries:
                key = article.url or article.id
                if key in self._seen or (article.url and self.store.has_url(article.url)):
                    continue
                self._seen.add(key)
                new.append(self._dated(self._full_text(article, report)))
        report.new_articles = len(new)
        if new:
            result = self.store.ingest(new, coder=self.coder, settings=self.settings)
            report.stored, report.duplicates = result.stored, result.duplicates
            report.events = result.events
            report.problems.extend(result.problems)
            if self.coder is None:  # keep the loaded coder for the next cycle
                from .pipeline import default_coder
                self.coder = default_coder(self.settings)
        return report

    def _feed_entries(self, url: str, report: CycleReport) -> Optional[list[Article]]:
        etag, modified = self._cache.get(url, (None, None))
        try:
            got = fetch(url, timeout=self.options.timeout, max_bytes=self.options.max_bytes,
                        user_agent=self.options.user_agent, etag=etag, modified=modified)
        except FetchError as exc:
            self._problem(report, InputProblem(url, exc.code, exc.message))
            return None
        if got.status == 304:
            return []
        entries, failed = [], None
        for item in read_bytes(got.data, origin=url, kind="feed", settings=self.settings):
            if isinstance(item, Article):
                entries.append(item)
            else:
                self._problem(report, item)
                failed = failed or item.code == "E-FEED" or item.code == "E-BINARY"
        if failed and not entries:
            return None
        self._cache[url] = (got.etag, got.modified)
        return entries

    def _full_text(self, entry: Article, report: CycleReport) -> Article:
        """The entry with its page's main text when the page has more to say."""
        if not (self.options.fetch_pages and entry.url):
            return entry
        try:
            got = fetch(entry.url, timeout=self.options.timeout,
                        max_bytes=self.options.max_bytes, user_agent=self.options.user_agent)
        except FetchError as exc:
            self.log(f"{entry.url}: W-PAGE {exc.code} {exc.message}; using the feed's text")
            return entry
        pages = [a for a in read_bytes(got.data, origin=entry.url, kind="html",
                                       settings=self.settings) if isinstance(a, Article)]
        if not pages or len(pages[0].text) <= len(entry.text):
            self.log(f"{entry.url}: W-PAGE no fuller text on the page; using the feed's text")
            return entry
        return replace(entry, text=pages[0].text, title=entry.title or pages[0].title,
                       origin=entry.url)

    @staticmethod
    def _dated(entry: Article) -> Article:
        """An entry without a date was published by the time we fetched it: date it today
        and say so (``published_from = "fetched"``), so its events' dates can resolve."""
        if entry.published is not None:
            return entry
        return replace(entry, published=datetime.now(timezone.utc).date(),
                       published_from="fetched")

    def _problem(self, report: CycleReport, problem: InputProblem) -> None:
        report.problems.append(problem)
        self.log(str(problem))
