"""The web UI in headless Chromium: what a person sees on each page, against the store.

Every page is loaded from the app alone (any other request is refused and fails the test),
with no JavaScript errors; screenshots go to artifacts/screenshots/.
"""
from __future__ import annotations

import re

import httpx
import pytest

from eventwire.store import open_store

READY = "body[data-ready=yes], body[data-ready=error]"
# Our own short wire copy about a well-documented event (Erdogan and Putin agreed a
# demilitarised zone in Idlib at Sochi on 17 September 2018).
SOCHI = ("Title: Russia and Turkey agree on Idlib buffer zone\n\n"
         "SOCHI, Russia, Sept 17 - Russian President Vladimir Putin met Turkish President Tayyip "
         "Erdogan in Sochi on Monday and agreed to create a demilitarised zone in Syria's Idlib "
         "province.\n\nTurkey will send more troops to its observation posts in Idlib, "
         "Erdogan said.\n\n"
         "Syrian rebels rejected the <img src=x onerror=alert(1)> deal, a spokesman said.")


def _sql(db, query: str) -> list[dict]:
    with open_store(db, read_only=True) as store:
        return store.sql(query)


def _open(page, path: str) -> None:
    page.goto(page.base + path)
    page.wait_for_selector(READY, timeout=30_000)
    assert page.locator("body").get_attribute("data-ready") == "yes", \
        page.locator("#summary, #event-title, #paste-status").all_inner_texts()


def _clean(page) -> None:
    assert page.outside == [], f"requests left the app: {page.outside}"
    assert page.errors == [], f"JavaScript errors: {page.errors}"


@pytest.mark.parametrize("colour", ["plover", "quad"])
def test_web_map_shows_a_marker_per_geocoded_place(web_page, web_example_db, colour):
    _open(web_page, f"/?colour={colour}")
    places = _sql(web_example_db, "SELECT DISTINCT ROUND(lat, 4) AS lat, ROUND(lon, 4) AS lon "
                                  "FROM events WHERE lat IS NOT NULL")
    markers = web_page.locator("#map circle.marker")
    assert markers.count() == len(places) > 3
    assert web_page.locator("#map path.country").count() > 200  # Natural Earth countries
    names = set(markers.evaluate_all("ms => ms.map(m => m.dataset.place)"))
    assert {"Tehran", "Kyiv"} <= names
    tehran = web_page.locator("#map circle.marker[data-place=Tehran]")
    box = tehran.bounding_box()
    map_box = web_page.locator("#map svg").bounding_box()
    assert box and box["width"] > 4 and map_box["x"] <= box["x"] <= map_box["x"] + map_box["width"]
    fill = tehran.get_attribute("fill")
    # Tehran's event is a meeting: CONSULT, verbal cooperation.
    assert fill == ("#a0cbe8" if colour == "plover" else "#59a14f")
    web_page.shot(f"map-{colour}")
    _clean(web_page)


@pytest.mark.parametrize("lane", ["news", "background"])
def test_web_timeline_bars_count_events_by_their_own_date(web_page, web_example_db, lane):
    _open(web_page, "/")
    flag = "TRUE" if lane == "background" else "FALSE"
    rows = _sql(web_example_db, f"SELECT date_start AS day, COUNT(*) AS n FROM events WHERE "
                                f"background = {flag} AND date_start IS NOT NULL GROUP BY 1")
    bars = web_page.locator(f"#timeline svg.{lane} rect.bar")
    assert bars.count() >= len(rows) > 0
    drawn = bars.evaluate_all("bs => bs.map(b => [b.dataset.day, +b.dataset.n])")
    per_day: dict[str, int] = {}
    for day, n in drawn:
        per_day[day] = per_day.get(day, 0) + n
    assert per_day == {r["day"].isoformat(): r["n"] for r in rows}
    heights = bars.evaluate_all("bs => bs.map(b => b.getBoundingClientRect().height)")
    assert min(heights) >= 1
    if lane == "background":  # retold history sits years before the news
        assert min(per_day) < "2019-01-01"
    web_page.shot(f"timeline-{lane}")
    _clean(web_page)


@pytest.mark.parametrize("day", ["2023-01-23"])
def test_web_timeline_bar_click_filters_the_table(web_page, web_example_db, day):
    # Years of news make neighbouring days overlap: narrow to the year first, as a person
    # would, and the axis spreads out.
    _open(web_page, f"/?date_from={day[:4]}-01-01")
    web_page.locator(f"#timeline svg.news rect.bar[data-day='{day}']").first.click()
    web_page.wait_for_function("() => document.body.dataset.ready === 'yes' && "
                               f"location.search.includes('date_from={day}')")
    want = _sql(web_example_db, f"SELECT COUNT(*) AS n FROM events WHERE date_start <= "
                                f"DATE '{day}' AND COALESCE(date_end, date_start) >= "
                                f"DATE '{day}'")[0]["n"]
    rows = web_page.locator("#table tr.event-row")
    assert rows.count() == want >= 1
    for cell in rows.locator("td:first-child").all_inner_texts():
        dates = re.findall(r"\d{4}-\d{2}-\d{2}", cell)  # a day, or a span "start – end"
        assert dates[0] <= day <= dates[-1], cell
    _clean(web_page)


@pytest.mark.parametrize("kind", ["cooperation", "conflict"])
def test_web_network_draws_an_edge_per_dyad(web_page, web_example_db, kind):
    _open(web_page, "/")
    pairs = _sql(web_example_db, "SELECT source_code, target_code, COUNT(*) AS n, "
                 "SUM(CASE WHEN quad_class IN (1, 2) THEN 1 ELSE 0 END) AS coop "
                 "FROM events WHERE source_code IS NOT NULL AND target_code IS NOT NULL AND "
                 "source_code <> target_code GROUP BY 1, 2")
    edges = web_page.locator("#network path.edge")
    assert edges.count() == len(pairs) > 5
    drawn = {(e["s"], e["t"]): e for e in edges.evaluate_all(
        "es => es.map(e => ({s: e.dataset.source, t: e.dataset.target, n: +e.dataset.events,"
        " kind: e.dataset.kind, stroke: e.getAttribute('stroke'),"
        " w: +e.getAttribute('stroke-width')}))")}
    for p in pairs:
        e = drawn[(p["source_code"], p["target_code"])]
        assert e["n"] == p["n"]
        coop, conflict = p["coop"], p["n"] - p["coop"]
        assert e["kind"] == ("cooperation" if coop > conflict else
                             "conflict" if conflict > coop else "mixed")
    of_kind = [e for e in drawn.values() if e["kind"] == kind]
    assert of_kind and {e["stroke"] for e in of_kind} == \
        {"#2e8b57" if kind == "cooperation" else "#c0392b"}
    heavy = max(drawn.values(), key=lambda e: e["n"])
    light = min(drawn.values(), key=lambda e: e["n"])
    assert heavy["n"] == light["n"] or heavy["w"] > light["w"]  # width grows with events
    web_page.locator("#network").scroll_into_view_if_needed()
    web_page.shot(f"network-{kind}")
    _clean(web_page)


@pytest.mark.parametrize("actor", ["IRN"])
def test_web_table_filter_lists_the_stores_events(web_page, web_example_db, actor):
    _open(web_page, "/")
    web_page.fill("#filters input[name=actor]", actor)
    web_page.click("#filters button[type=submit]")
    web_page.wait_for_function("() => document.body.dataset.ready === 'yes' && "
                               f"location.search.includes('actor={actor}')")
    with open_store(web_example_db, read_only=True) as store:
        want = {e["event_id"] for e in store.events(actor=actor)}
    rows = web_page.locator("#table tr.event-row")
    assert set(rows.evaluate_all("rs => rs.map(r => r.dataset.eventId)")) == want
    assert re.match(rf"^{len(want)} events", web_page.inner_text("#summary"))
    # Every row leads to its event page.
    hrefs = rows.locator("a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == sorted(f"/event/{i}" for i in want)
    web_page.shot("table-actor-irn")
    _clean(web_page)


@pytest.mark.parametrize("needle", ["met Iran's armed forces"])
def test_web_event_page_highlights_the_sentence(web_page, web_example_db, needle):
    with open_store(web_example_db, read_only=True) as store:
        (ev,) = store.events(text=needle)
    _open(web_page, f"/event/{ev['event_id']}")
    mark = web_page.locator("mark#hl")
    assert mark.inner_text() == ev["sentence"]
    assert mark.is_visible() and mark.evaluate(
        "m => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    assert web_page.locator("mark").count() == 1
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(255, 229, 138)"
    article = web_page.inner_text(".article-text")
    assert article.index(ev["sentence"]) > 0  # the dateline comes first, unmarked
    facts = web_page.inner_text("dl.facts")
    for shown in ("SYRGOV", "IRNMIL", "CAMEO 040 Consult", "date expression 'on Monday'",
                  "Tehran (IRN, city)", "none: the article asserts it", "trigger 'met'"):
        assert shown in facts, shown
    assert web_page.title().startswith("eventwire — SYRGOV → IRNMIL")
    web_page.shot("event-page")
    _clean(web_page)


@pytest.mark.parametrize("text", [SOCHI])
def test_web_paste_page_codes_live_and_stores_nothing(web_page, text):
    before = httpx.get(f"{web_page.base}/v1/health").json()["counts"]
    coded = httpx.post(f"{web_page.base}/v1/code", timeout=60,
                       json={"text": text, "published": "2018-09-17"}).json()
    assert coded["events"], "the coder found no event in the Sochi text"
    dialogs = []
    web_page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open(web_page, "/paste")
    web_page.fill("#paste textarea[name=text]", text)
    web_page.fill("#paste input[name=published]", "2018-09-17")
    web_page.click("#paste button[type=submit]")
    web_page.wait_for_function("() => document.body.dataset.ready === 'yes'", timeout=60_000)
    cards = web_page.locator("details.event-card")
    assert cards.count() == len(coded["events"])
    assert re.match(rf"^{len(coded['events'])} events coded", web_page.inner_text("#paste-status"))
    marks = web_page.locator("#result mark.sentence-hl").all_inner_texts()
    assert set(marks) == {e["sentence"] for e in coded["events"]}
    first = coded["events"][0]
    assert f"{first['cameo']['code']} {first['cameo']['label']}" in cards.first.inner_text()
    # The pasted markup is shown as text, never run.
    assert web_page.locator("#result img").count() == 0 and dialogs == []
    assert "<img src=x onerror=alert(1)>" in web_page.inner_text(".article-text")
    assert httpx.get(f"{web_page.base}/v1/health").json()["counts"] == before
    web_page.shot("paste-page")
    _clean(web_page)


@pytest.mark.parametrize("text", ["Бои продолжаются на востоке страны уже третью неделю подряд."])
def test_web_paste_page_names_a_refused_article(web_page, text):
    _open(web_page, "/paste")
    web_page.fill("#paste textarea[name=text]", text)
    web_page.click("#paste button[type=submit]")
    web_page.wait_for_function("() => document.body.dataset.ready === 'error'")
    status = web_page.locator("#paste-status")
    assert status.inner_text().startswith("400: E-LANGUAGE")
    assert "error" in status.get_attribute("class")
    assert web_page.locator("details.event-card").count() == 0
    assert page_errors_only_the_refusal(web_page)
    assert web_page.outside == []


def page_errors_only_the_refusal(page) -> bool:
    # The browser logs the refused request (400) as a console error; nothing else may fail.
    return all("400" in e for e in page.errors)
