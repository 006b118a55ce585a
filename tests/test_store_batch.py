"""The batched store writer (``Store.add_articles``: a batch in one transaction, one INSERT
per table, one story query): on both backends it must leave the store exactly as writing the
same articles one by one (ingest batch size 1), record by record; a PostgreSQL writer that
loses a race for an article must say so; and an article the database refuses must not lose
the rest of its batch.
"""
from __future__ import annotations

import dataclasses
import os
import threading
import time
from datetime import date, timedelta

import pytest

import eventwire.store as ews
from eventwire.records import Actor, Article, Attribution, Event, Evidence, Place, When
from eventwire.store.backends import connect
from test_store import EXAMPLES, hand_built, syndicated_copies

STORE_COLUMNS = {
    "articles": "article_key, id, url, title, publisher, published, published_from, origin, "
                "text, n_events, duplicate_of, similarity, minhash, coder_version",
    "events": "*",
    "stories": "story_id, source_code, target_code, cameo_root, cameo_code, plover_type, "
               "date_start, date_end, place_country, first_article_key",
    "article_bands": "band_key, article_key",
}


def snapshot(store) -> dict:
    """Every row of every table (timestamps of writing left out), in a fixed order."""
    out = {}
    for table, cols in STORE_COLUMNS.items():
        _, rows = store.db.query(f"SELECT {cols} FROM {table}")
        out[table] = sorted((tuple(str(v) for v in r) for r in rows))
    return out


@pytest.fixture
def two_urls(store_url, tmp_path, request):
    """Two empty stores on the same backend."""
    if store_url.startswith("postgresql://"):
        import psycopg
        server = request.getfixturevalue("pg_server")
        name = f"ew_batch_{os.getpid()}_{time.monotonic_ns()}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        yield store_url, server.rsplit("/", 1)[0] + "/" + name
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        yield store_url, str(tmp_path / "other.duckdb")


class Recorded:
    """Hands back events coded earlier (by the real coder, or built by the test)."""

    def __init__(self, events: dict):
        self.events = events

    def code(self, article):
        return list(self.events[article.content_hash])


def _event(article: Article, sentence: str, index: int, src: str, tgt, code: str, day,
           *, place=None) -> Event:
    from eventwire import ontology
    start = article.text.index(sentence)
    when = When("on the day", day, day, "day") if day else When(None, None, None, "unknown")
    return Event(article=article, sentence=sentence, span=(start, start + len(sentence)),
                 source=Actor(src, src, src[:3], src[3:] or None),
                 target=Actor(tgt, tgt, tgt[:3], tgt[3:] or None) if tgt else None,
                 cameo=ontology.cameo(code), plover=ontology.plover(code), when=when,
                 background=False, where=place, attribution=Attribution(),
                 modality="asserted", confidence=0.8, evidence=Evidence("rules", "test", "t"),
                 sentence_index=index)


KHERSON = Place("in Kherson", "Kherson", "UKR", 46.64, 32.61, "city", 706448)
MOSCOW = Place("in Moscow", "Moscow", "RUS", 55.75, 37.62, "city", 524901)
D0 = date(2023, 3, 1)


def story_cases() -> list[tuple[Article, list[Event]]]:
    """Articles whose events reach the corners of story assignment: an event compatible
    with two stories (the older wins, also when both were anchored in the same batch or the
    same article), consultations seen from either side, an undated event, places in
    different countries, two articles of one event, and a repeated event id."""
    out = []

    def article(name: str, *specs) -> None:
        # every word but the actor codes is the article's own: no two are near-duplicates
        sentences = [f"{name}x{i} {s[0]} {name}y{i} {s[1]} {name}z{i}." for i, s in
                     enumerate(specs)]
        art = Article(id=name, text="\n\n".join(sentences), published=D0,
                      publisher=f"Wire {name}")
        evs = [_event(art, sent, i, s[0], s[1], s[2], s[3], place=s[4] if len(s) > 4 else None)
               for i, (sent, s) in enumerate(zip(sentences, specs))]
        out.append((art, evs))

    day = lambda n: D0 + timedelta(days=n)  # noqa: E731
    article("a1", ("RUSMIL", "UKR", "190", day(1), KHERSON))
    article("a2", ("RUSMIL", "UKR", "190", day(3)))  # too late for a1's story: its own
    article("a3", ("RUSMIL", "UKR", "190", day(2)), ("UKRGOV", "RUSGOV", "042", day(5)))
    article("a4", ("RUSGOV", "UKRGOV", "043", day(5), MOSCOW),  # hosted = visited, reversed
          ("RUSMIL", "UKR", "190", day(2), MOSCOW),  # a1's story is in Ukraine: not that one
          ("CHNGOV", None, "010", None),  # undated: a story of its own
          ("RUSMIL", "UKR", "190", day(10)), ("RUSMIL", "UKR", "190", day(12)),
          ("RUSMIL", "UKR", "190", day(11)))  # joins the older of its own article's two
    article("a5", ("RUSMIL", "UKR", "190", day(11)), ("CHNGOV", None, "010", None),
          ("UKRGOV", "RUSGOV", "040", day(4)))
    a6, e6 = hand_built()[0]
    out.append((a6, e6 + e6[:1]))  # the same event twice: stored once
    return out


@pytest.fixture(scope="module")
def coded_inputs():
    """Real articles coded once by the real coder (examples, syndicated copies, a repeat) and
    the story corner cases, as ingest inputs with their events."""
    from eventwire.ingest import iter_inputs
    from eventwire.pipeline import default_coder
    real = [a for a in iter_inputs([EXAMPLES]) if isinstance(a, Article)]
    real += syndicated_copies(4)
    coder = default_coder()
    events = {a.content_hash: coder.code(a) for a in real}
    cases = story_cases()
    events.update({a.content_hash: evs for a, evs in cases})
    items = real[:5] + [a for a, _ in cases] + real[5:] + [real[2]]
    return items, events


@pytest.mark.parametrize("batch_size", [4, 32])
def test_store_batch_equals_per_article(two_urls, coded_inputs, batch_size):
    items, events = coded_inputs
    one_url, batch_url = two_urls
    with ews.open(one_url) as store:
        one = store.ingest(items, coder=Recorded(events), batch_size=1)
        expected = snapshot(store)
    with ews.open(batch_url) as store:
        batched = store.ingest(items, coder=Recorded(events), batch_size=batch_size)
        got = snapshot(store)
        stories = {r["id"]: r["story_id"] for r in store.sql(
            "SELECT a.id || '/' || CAST(e.sentence_index AS TEXT) AS id, e.story_id "
            "FROM events e JOIN articles a ON a.article_key = e.article_key")}
    for name in ("read", "stored", "duplicates", "exists", "events"):
        assert getattr(batched, name) == getattr(one, name), name
    assert (one.stored, one.duplicates, one.exists) == (7 + 1 + 6, 3, 1)
    for table in STORE_COLUMNS:
        assert got[table] == expected[table], table
    # the corner cases themselves (the same on both stores, so checked on one)
    same = lambda *keys: len({stories[k] for k in keys}) == 1  # noqa: E731
    assert same("a1/0", "a3/0") and not same("a1/0", "a2/0") and not same("a2/0", "a3/0")
    assert same("a3/1", "a4/0", "a5/2")  # consultation, either way round
    assert same("a2/0", "a4/1")  # not a1's story: that one is in another country
    assert same("a4/3", "a4/5") and not same("a4/3", "a4/4")  # the older of its own two
    # compatible with two stories anchored by one article: the lower id, as stored ones
    assert stories["a5/0"] == min(stories["a4/3"], stories["a4/4"])
    assert not same("a4/2", "a5/1")  # undated: each its own


def test_store_add_articles_statuses(store_url):
    (a1, e1), (a2, e2) = hand_built()
    copy = dataclasses.replace(a1, id="copy", text=a1.text + "\n\n(Editing by staff)")
    with ews.open(store_url) as store:
        assert store.add_article(a1, e1) == "stored"
        status = store.add_articles([
            ews.ArticleWrite(a1, e1), ews.ArticleWrite(a2, e2),
            ews.ArticleWrite(copy, duplicate_of=(a1.content_hash, 0.9)),
            ews.ArticleWrite(a2, e2)])
        assert status == ["exists", "stored", "duplicate", "exists"]
        assert store.counts()["events"] == len(e1) + len(e2)
        assert store.add_articles([]) == []


def test_store_postgres_lost_race_is_exists(pg_url):
    """A second writer commits the same text after this one looked it up: this writer's
    INSERT waits for it, writes nothing, and must report ``exists`` (not ``stored``) and
    write none of the events."""
    (article, events), _ = hand_built()
    with ews.open(pg_url) as first, ews.open(pg_url) as second:
        done: dict = {}
        with second.db.transaction():
            second.add_articles([ews.ArticleWrite(article, events)])  # not committed
            pid = first.db.execute("SELECT pg_backend_pid()")[0][0]
            watcher = connect(pg_url)  # pg_stat_activity is a snapshot within a transaction
            writer = threading.Thread(target=lambda: done.update(status=first.add_articles(
                [ews.ArticleWrite(article, events)])))
            writer.start()
            for _ in range(200):  # until the first writer waits on the second's row
                waiting = watcher.execute("SELECT wait_event_type FROM pg_stat_activity "
                                          "WHERE pid = ?", [pid])
                if waiting and waiting[0][0] == "Lock":
                    break
                time.sleep(0.05)
            else:
                pytest.fail("the first writer never waited for the second's article")
        writer.join(timeout=30)
        watcher.close()
        assert done["status"] == ["exists"]
        counts = first.counts()
        assert (counts["articles"], counts["events"]) == (1, len(events))


def test_store_bad_article_does_not_lose_its_batch(store_url):
    """The database refuses one article (an event without a CAMEO code breaks a NOT NULL
    column): the batch is written again article by article and only that one is lost."""
    (a1, e1), (a2, e2) = hand_built()
    bad = Article(id="bad", text="A sentence the coder got wrong.", published=D0)
    broken = _event(bad, bad.text, 0, "RUSMIL", "UKR", "190", D0)
    broken = dataclasses.replace(broken, cameo=dataclasses.replace(broken.cameo, code=None))
    events = {a1.content_hash: e1, bad.content_hash: [broken], a2.content_hash: e2}
    with ews.open(store_url) as store:
        report = store.ingest([a1, bad, a2], coder=Recorded(events), batch_size=3)
        ids = sorted(r["id"] for r in store.sql("SELECT id FROM articles"))
    assert ids == ["syria-iran", "ukraine"]
    assert (report.stored, report.events) == (2, len(e1) + len(e2))
    assert [(p.code, p.origin) for p in report.problems] == [("E-STORE-WRITE", "bad")]
    assert "not stored, a re-run tries again" in report.problems[0].message



def test_store_copy_of_a_failed_original_is_coded(two_urls):
    """The original of a syndicated copy in the same batch fails to code (E-CODE, not
    stored): its copies are not linked to it (that would dangle) but coded, the first as an
    original, the next linked to that one, as when each comes in a batch of its own."""
    from eventwire.doctor import check_store
    original, first, second = syndicated_copies(3)
    events = {first.content_hash: [], second.content_hash: []}  # the original: KeyError
    got = {}
    for url, size in zip(two_urls, (3, 1)):
        with ews.open(url) as store:
            report = store.ingest([original, first, second], coder=Recorded(events),
                                  batch_size=size)
            got[size] = (snapshot(store), [(r["id"], r["duplicate_of"]) for r in store.sql(
                "SELECT a.id, o.id AS duplicate_of FROM articles a LEFT JOIN articles o "
                "ON o.article_key = a.duplicate_of ORDER BY a.id")])
        assert [p.code for p in report.problems] == ["E-CODE"]
        assert (report.stored, report.duplicates) == (1, 1)
        assert check_store(url).ok
    assert got[3][1] == [("copy-01", None), ("copy-02", "copy-01")]
    assert got[3] == got[1]
