"""Pipeline: ``code(article) -> list[Event]`` and ``code_many`` (DESIGN.md "The event record").

Record shape, spans, stable ids, datelines, retold history, in-article coreference through the
whole pipeline, ``dedupe``, and an end-to-end check of concrete events of the bundled examples
against their gold lines (examples/gold.jsonl, ANNOTATION.md conventions).
"""
import calendar
import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest

import eventwire
from eventwire import ontology
from eventwire.ingest import iter_inputs
from eventwire.pipeline import code, code_many, dateline_span, dedupe, default_coder, mask
from eventwire.records import Actor, Article, Attribution, Event, Evidence, When

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

RECORD_KEYS = ["event_id", "article", "sentence", "span", "source", "target", "cameo", "plover",
               "when", "background", "where", "attribution", "modality", "confidence",
               "evidence"]
NESTED_KEYS = {
    "article": {"id", "url", "title", "publisher", "published"},
    "source": {"text", "code", "country", "role", "name"},
    "target": {"text", "code", "country", "role", "name"},
    "cameo": {"code", "root", "label", "quad_class", "goldstein"},
    "plover": {"type", "mode"},
    "when": {"text", "start", "end", "precision"},
    "where": {"text", "name", "country", "lat", "lon", "precision", "geonameid"},
    "attribution": {"text", "claimants"},
    "evidence": {"method", "rule", "version"},
}

MEETING = ("Syria's Defense Minister Ali Mahmoud Abbas met Iran's Chief of Staff General "
           "Mohammad Baqeri in Tehran on Monday.")
# A wire story with a dateline, a current lead and a history paragraph (our own wording of
# well-documented events: the January 2023 Tehran visit, the September 2018 Il-20 shoot-down).
STORY = ("TEHRAN, Jan 24 (Reuters) - Syria's Defense Minister Ali Mahmoud Abbas met Iran's "
         "Chief of Staff General Mohammad Baqeri in Tehran on Monday.\n\n"
         "Tehran is willing to support Damascus in rebuilding its armed forces, Baqeri said.\n\n"
         "In 2018, Syrian troops accidentally downed a Russian aircraft over the Mediterranean "
         "while responding to an Israeli air raid. Moscow held Israel responsible, saying "
         "Israeli jets had used the Russian plane as cover.")


def _brief(ev):
    return (ev.source.code if ev.source else None, ev.cameo.code,
            ev.target.code if ev.target else None)


# -- the record ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, published", [
    # why: the call: a bare string with a publication date
    (MEETING, "2023-01-23"),
])
def test_pipeline_record_has_design_keys(text, published):
    events = eventwire.code(text, published=published)
    assert events and all(isinstance(e, Event) for e in events)
    for ev in events:
        d = ev.to_dict()
        assert list(d) == RECORD_KEYS
        for key, keys in NESTED_KEYS.items():
            if d[key] is not None:
                assert set(d[key]) == keys, key
        assert isinstance(d["span"], list) and len(d["span"]) == 2
        assert d["modality"] in ("asserted", "negated", "intended", "hypothetical", "demanded")
        assert 0.0 <= d["confidence"] <= 1.0
        assert d["evidence"]["version"] == eventwire.__version__
        assert d["article"]["published"] == published
        json.dumps(d)  # JSON-serialisable as is


@pytest.mark.parametrize("text, published, expected", [
    # why: "on Monday" in a Monday story is that day (ANNOTATION.md "when"); "in Tehran" is the
    # place (with coordinates), not a party; the record carries the resolved actors
    (MEETING, "2023-01-23", {"cameo_root": "04", "source": "SYRGOV", "target": "IRNMIL",
                             "source_name": "Ali Mahmoud Abbas", "when": "2023-01-23",
                             "place": ("Tehran", "IRN")}),
    # why: "on Monday" in a Tuesday story is the day before
    (MEETING, "2023-01-24", {"cameo_root": "04", "source": "SYRGOV", "target": "IRNMIL",
                             "source_name": "Ali Mahmoud Abbas", "when": "2023-01-23",
                             "place": ("Tehran", "IRN")}),
])
def test_pipeline_meeting_record_values(text, published, expected):
    ev, = [e for e in code(text, published=published) if e.cameo.root == "04"]
    d = ev.to_dict()
    assert d["cameo"]["root"] == expected["cameo_root"]
    assert d["plover"]["type"] == "CONSULT"
    assert (d["source"]["code"], d["target"]["code"]) == (expected["source"], expected["target"])
    assert d["source"]["name"] == expected["source_name"]
    assert d["when"]["start"] == d["when"]["end"] == expected["when"]
    assert d["when"]["precision"] == "day"
    assert d["background"] is False
    assert (d["where"]["name"], d["where"]["country"]) == expected["place"]
    assert d["where"]["lat"] == pytest.approx(35.69, abs=0.2)
    assert d["where"]["lon"] == pytest.approx(51.42, abs=0.2)
    assert d["target"]["text"] != "Tehran"
    assert d["modality"] == "asserted"
    assert d["attribution"] == {"text": None, "claimants": []}


@pytest.mark.parametrize("text", [
    # why: one paragraph, several sentences: each span slices exactly its sentence
    MEETING + " Moscow held Israel responsible, saying Israeli jets had used the Russian plane "
    "as cover.",
    # why: paragraphs and a dateline: the span still slices the sentence, not the dateline
    # or the paragraph break
    STORY,
])
def test_pipeline_span_slices_sentence(text):
    events = code(text, published="2023-01-24")
    assert len(events) >= 2
    for ev in events:
        a, b = ev.span
        assert text[a:b] == ev.sentence


@pytest.mark.parametrize("text", [STORY])
def test_pipeline_span_contains_sentence(text):
    # why: whatever the exact bounds, the span is where the sentence is in the article
    for ev in code(text, published="2023-01-24"):
        a, b = ev.span
        assert ev.sentence in text[a:b]
        assert b - a < len(ev.sentence) + 40


@pytest.mark.parametrize("text", [STORY])
def test_pipeline_event_id_stable(text):
    first = [e.event_id for e in code(text, published="2023-01-24", id="story-1")]
    again = [e.event_id for e in code(text, published="2023-01-24", id="story-1")]
    other = [e.event_id for e in code(text, published="2023-01-24", id="story-2")]
    assert first == again
    assert len(set(first)) == len(first)  # distinct events, distinct ids
    assert all(re.fullmatch(r"[0-9a-f]{16}", i) for i in first)
    assert not set(first) & set(other)  # the article id is part of the key


# -- datelines ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, dateline", [
    ("TEHRAN, Jan 24 (Reuters) - Iran's foreign minister met", "TEHRAN, Jan 24 (Reuters) - "),
    ("BEIJING, April 1, 1997 (AFP) - China said", "BEIJING, April 1, 1997 (AFP) - "),
    ("LONDON, Feb 26 - Britain said", "LONDON, Feb 26 - "),
    ("HONG KONG, June 12 (eventwire) - Hong Kong police", "HONG KONG, June 12 (eventwire) - "),
    # why: no date, or no dateline at all: nothing to skip
    ("Iran, Syria and Russia met in Astana on Jan 5 - officials said", ""),
    ("Moscow held Israel responsible.", ""),
])
def test_pipeline_dateline_span(text, dateline):
    a, b = dateline_span(text)
    assert text[a:b] == dateline
    masked = mask(text, (a, b))
    assert len(masked) == len(text) and masked[b:] == text[b:]


@pytest.mark.parametrize("text", [
    # why: the dateline says where the report was filed; Tehran is not an actor here
    "TEHRAN, Jan 24 (Reuters) - Syria's Defense Minister Ali Mahmoud Abbas met Iran's Chief of "
    "Staff General Mohammad Baqeri on Monday.",
    "MOSCOW, Oct 10 (Reuters) - Armenia and Azerbaijan accused each other of violating a "
    "ceasefire on Saturday.",
    "DAMASCUS, Jan 24 (Reuters) - Israeli warplanes struck targets near the capital on Tuesday.",
])
def test_pipeline_dateline_never_an_actor(text):
    end = dateline_span(text)[1]
    assert end > 0
    events = code(text, published="2023-01-24")
    assert events
    for ev in events:
        for actor in (ev.source, ev.target):
            if actor is not None:
                assert actor.start >= end, actor
                assert text[:end].split(",")[0] not in actor.text


# -- time ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, marker, year", [
    # why: retold history is dated by its own year and is background, never the publication day
    (STORY, "In 2018, Syrian troops", 2018),
    # why: the date carries to the next sentence of the history paragraph
    (STORY, "Moscow held Israel responsible", 2018),
])
def test_pipeline_history_is_background(text, marker, year):
    events = [e for e in code(text, published="2023-01-24") if e.sentence.startswith(marker)]
    assert events
    for ev in events:
        assert ev.when.start.year == year and ev.when.end.year == year
        assert ev.when.start != date(2023, 1, 24)
        assert ev.background is True


@pytest.mark.parametrize("text, source, root, target", [
    # why: the case: "Moscow held Israel responsible" (capital as actor) as a sentence
    # of its own
    pytest.param("In 2018, Syrian troops accidentally downed a Russian aircraft over the "
                 "Mediterranean while responding to an Israeli air raid. Moscow held Israel "
                 "responsible.", "RUSGOV", "11", "ISR",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "trigger 'hold ... responsible' only matches when the parser labels "
                     "'responsible' oprd; in a bare 'Moscow held Israel responsible.' it is "
                     "ccomp and no event is found"))),
    ("In 2018, Syrian troops accidentally downed a Russian aircraft over the Mediterranean. "
     "Moscow held Israel responsible for the loss of the plane.", "RUSGOV", "11", "ISR"),
])
def test_pipeline_capital_as_source(text, source, root, target):
    evs = [e for e in code(text, published="2023-01-24") if e.sentence.startswith("Moscow")]
    assert [(e.source.code, e.cameo.root, e.target.code) for e in evs] == [(source, root,
                                                                            target)]
    assert evs[0].when.start.year == 2018 and evs[0].background is True


# -- coreference and conjoined actors through the pipeline ---------------------------------------

@pytest.mark.parametrize("text, published, marker, expected", [
    # why: "Baqeri added" is the Iranian chief of staff named in the previous sentence
    (MEETING + " Baqeri accused Israel of committing crimes across the region.", "2023-01-24",
     "Baqeri accused", [("IRNMIL", "112", "ISR", "Mohammad Baqeri")]),
    # why: "He" is the subject of the previous sentence, not the last person named
    ("Iranian President Ebrahim Raisi met Syrian President Bashar al-Assad in Damascus on "
     "Wednesday. He accused Israel of destabilising the region.", "2023-05-04", "He accused",
     [("IRNGOV", "112", "ISR", "Ebrahim Raisi")]),
    # why: "the two leaders" after a two-party meeting: the pair, first-named as source
    ("US President Donald Trump met North Korean leader Kim Jong Un in Singapore on Tuesday. "
     "The two leaders signed a joint statement.", "2018-06-12", "The two leaders",
     [("USAGOV", "057", "PRKGOV", "Donald Trump")]),
    # why: conjoined actors acting on a third party: one event each
    ("Russia and Iran have fought Islamic State militants in Syria since 2015.",
     "2023-01-24", "Russia and Iran",
     [("RUS", "190", "IMGREB", None), ("IRN", "190", "IMGREB", None)]),
])
def test_pipeline_coreference_and_conjuncts(text, published, marker, expected):
    evs = [e for e in code(text, published=published) if e.sentence.startswith(marker)]
    assert [_brief(e) + (e.source.name,) for e in evs] == expected


@pytest.mark.parametrize("text, expected", [
    # why: symmetric act, conjoined parties, a day given: one event, first-named party as
    # source, the other as target (ANNOTATION.md)
    ("Armenia and Azerbaijan clashed along their border on Tuesday.", [("ARM", "190", "AZE")]),
    ("Armenia and Azerbaijan clashed along their border.", [("ARM", "190", "AZE")]),
])
def test_pipeline_symmetric_conjoined(text, expected):
    assert [_brief(e) for e in code(text, published="2023-01-24")] == expected


@pytest.mark.parametrize("text, expected", [
    # why: "said ... would provide military aid to Syria": an intent (03x) by Iran toward
    # Syria; "military aid" is the thing given, not an actor
    ("The foreign minister said Iran would provide military aid to Syria.", ("IRN", "03", "SYR")),
    ("Iranian officials said Tehran would supply Damascus with air defence systems.",
     ("IRNGOV", "03", "SYRGOV")),
])
def test_pipeline_future_in_the_past_intent(text, expected):
    ev, = code(text, published="2023-01-24")
    assert (ev.source.code, ev.cameo.root, ev.target.code) == expected
    assert ev.modality == "intended"


@pytest.mark.parametrize("text, root", [
    # why: an announced arrest is a threat (13x); a threat is a speech act that happened, so
    # asserted (ANNOTATION.md, modality); coding it must not fail
    ("The interior minister said Turkish police would arrest the organisers of the "
     "banned protest.", "13"),
])
def test_pipeline_announced_arrest(text, root):
    ev, = [e for e in code(text, published="2023-01-24") if e.source.code == "TURCOP"]
    assert (ev.cameo.root, ev.modality) == (root, "asserted")


# -- code_many ----------------------------------------------------------------------------------

_MANY = [
    Article(id="a1", text=STORY, published=date(2023, 1, 24)),
    Article(id="a2", text="The European Union imposed sanctions on Russia on Friday.",
            published=date(2022, 2, 28)),
    Article(id="a3", text="Turkish police arrested 12 suspected Islamic State militants in "
            "Istanbul on Tuesday.", published=date(2023, 1, 24)),
]


@pytest.mark.parametrize("articles", [_MANY])
def test_pipeline_code_many_equals_code(articles):
    one_by_one = [e.to_dict() for a in articles for e in code(a)]
    streamed = [e.to_dict() for e in code_many(iter(articles))]
    assert streamed == one_by_one
    assert {d["article"]["id"] for d in streamed} == {"a1", "a2", "a3"}


@pytest.mark.parametrize("articles", [_MANY])
def test_pipeline_code_many_accepts_dicts(articles):
    dicts = [{"id": a.id, "text": a.text, "published": a.published.isoformat()}
             for a in articles]
    assert [e.event_id for e in code_many(dicts)] == [e.event_id for e in code_many(articles)]


@pytest.mark.parametrize("text", [MEETING])
def test_pipeline_without_publication_date(text):
    # why: no publication date: relative dates cannot be resolved, and the record says so
    # instead of inventing one
    ev, = code(text)
    assert ev.article.published is None
    assert ev.when.start is None and ev.when.precision == "unknown"
    assert ev.when.reason


# -- dedupe -------------------------------------------------------------------------------------

_ART = Article(id="dd", text="", published=date(2022, 2, 24))


def _event(index, code_, src, tgt, *, when_text=None, start=date(2022, 2, 24), name=None,
           modality="asserted"):
    def actor(c, n=None):
        return Actor(text=c, code=c, country=c[:3], role=c[3:] or None, name=n)
    return Event(article=_ART, sentence=f"sentence {index}", span=(0, 10),
                 source=actor(src, name), target=actor(tgt) if tgt else None,
                 cameo=ontology.cameo(code_), plover=ontology.plover(code_),
                 when=When(when_text, start, start, "day"), background=False, where=None,
                 attribution=Attribution(), modality=modality, confidence=0.5,
                 evidence=Evidence("rules", "test", "0"), sentence_index=index)


@pytest.mark.parametrize("events, kept", [
    # why: the lead and a later, more explicit sentence state one attack: keep the most
    # explicit mention (ANNOTATION.md: coded once per article, at its most explicit mention)
    ([_event(0, "190", "RUSMIL", "UKR"),
      _event(3, "190", "RUSMIL", "UKR", when_text="on Thursday")], [3]),
    # why: ties go to the earlier mention
    ([_event(0, "190", "RUSMIL", "UKR"), _event(2, "190", "RUSMIL", "UKR")], [0]),
    # why: the same dyad on two different explicit dates is two happenings
    ([_event(0, "112", "RUSGOV", "UKRGOV", when_text="on Monday", start=date(2022, 2, 21)),
      _event(4, "112", "RUSGOV", "UKRGOV", when_text="on Thursday")], [0, 4]),
    # why: a different root, dyad or modality is a different event
    ([_event(0, "190", "RUSMIL", "UKR"), _event(1, "111", "USAGOV", "RUS"),
      _event(2, "190", "RUSMIL", "UKR", modality="negated"), _event(3, "190", "UKRMIL", "RUS")],
     [0, 1, 2, 3]),
])
def test_pipeline_dedupe(events, kept):
    assert [e.sentence_index for e in dedupe(events)] == kept


# -- end to end over examples/ -------------------------------------------------------------------

@lru_cache(maxsize=1)
def _example_events() -> tuple:
    articles = [a for a in iter_inputs([EXAMPLES / "articles"]) if isinstance(a, Article)]
    assert len(articles) == 7
    return tuple(default_coder().code_many(articles))


@lru_cache(maxsize=1)
def _gold() -> tuple:
    lines = (EXAMPLES / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return tuple(json.loads(ln) for ln in lines if ln.strip())


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u201c", '"').replace("\u201d", '"')
                  .replace("\u2019", "'")).strip().lower()


def _interval(when: str) -> tuple[date, date]:
    """Gold ``when`` (YYYY, YYYY-MM, YYYY-MM-DD or start/end) as a closed date interval."""
    def bounds(part):
        bits = [int(b) for b in part.split("-")]
        if len(bits) == 1:
            return date(bits[0], 1, 1), date(bits[0], 12, 31)
        if len(bits) == 2:
            last = calendar.monthrange(bits[0], bits[1])[1]
            return date(bits[0], bits[1], 1), date(bits[0], bits[1], last)
        return date(*bits), date(*bits)
    first, *rest = when.split("/")
    return bounds(first)[0], bounds(rest[-1] if rest else first)[1]


def _place_ok(where, gold_where) -> bool:
    if gold_where is None:
        return where is None
    if where is None:
        return False
    keys = {re.sub(r"[^a-z]", "", (v or "").lower()) for v in (where.name, where.text)} - {""}
    for place in gold_where.split("; "):
        name, _, iso3 = place.rpartition(", ") if ", " in place else (
            (None, "", place) if re.fullmatch(r"[A-Z]{3}", place) else (place, "", None))
        if where.country != (iso3 or None):
            continue
        # the gold quotes the text ("Mediterranean"); the gazetteer names it fully
        if name is None or re.sub(r"[^a-z]", "", name.lower()) in keys:
            return iso3 is None or (where.lat is not None and where.lon is not None)
    return False


def _claimants_ok(claimants, gold_claimants) -> bool:
    if not gold_claimants:
        return not claimants
    found = [c.lower() for c in claimants]
    return all(any(g.lower() in c or c in g.lower() for c in found) for g in gold_claimants)


def _predicted(gold: dict):
    """The predicted event matching a gold line by ANNOTATION.md's rule, with full actor codes
    (stricter than scoring, which compares countries): quote start in the sentence, same root,
    source and target codes among the gold alternatives."""
    src_alts = gold["source_actor"].split("|")
    tgt_alts = [t for t in gold["target_actor"].split("|") if t]
    for ev in _example_events():
        if ev.article.id != gold["article_id"] or ev.cameo.root != gold["cameo_root"]:
            continue
        if _norm(gold["quote"])[:40] not in _norm(ev.sentence):
            continue
        if ev.source is None or ev.source.code not in src_alts:
            continue
        if tgt_alts and (ev.target is None or ev.target.code not in tgt_alts):
            continue
        return ev
    return None


def _check(gold: dict, ev, field: str) -> bool:
    if field == "when":
        lo, hi = _interval(gold["when"])
        return ev.when.start is not None and lo <= ev.when.start <= hi
    if field == "background":
        return ev.background is gold["background"]
    if field == "where":
        return _place_ok(ev.where, gold["where"])
    if field == "claimants":
        return _claimants_ok(ev.attribution.claimants, gold["claimants"])
    if field == "modality":
        return ev.modality == gold["modality"]
    raise ValueError(field)


def _xfail(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.mark.parametrize("quote, fields", [
    # why: the visit itself: SYR* meets IRN*, 04x (042 in gold; 040/046 defensible)
    ("Syria's Defence Minister Ali Mahmoud Abbas met Iran's armed forces", ["background",
                                                                            "claimants"]),
    # why: ... on Monday in a Tuesday story, in Tehran
    ("Syria's Defence Minister Ali Mahmoud Abbas met Iran's armed forces", ["when", "where"]),
    # why: an intent (03x), Tehran and Damascus as metonyms
    ("Tehran is willing to support Damascus", ["modality"]),
    # why: "late last month" = December 2022, 24 days back: not background; Moscow with coords
    ("Late last month, Abbas held talks in Moscow", ["when", "background", "where", "claimants",
                                                     "modality"]),
    # why: retold history: dated 2018, background
    ("In 2018, Syrian air defences accidentally downed", ["when", "background", "claimants",
                                                          "modality"]),
    # why: international waters: a sea name, no ISO3
    ("In 2018, Syrian air defences accidentally downed", ["where"]),
    # why: capital as actor; the year carries from the previous sentence
    ("Moscow held Israel responsible", ["when", "background", "where", "claimants",
                                        "modality"]),
    # why: a claim the article never asserts: claimants Newsweek (and its source)
    pytest.param("Iranian-backed militias were behind a drone attack", ["when", "claimants"],
                 marks=_xfail("no event is coded for 'were behind a drone attack'")),
    # why: the lead of the invasion story: dated by "on Thursday"
    ("Russian forces launched attacks on Ukraine", ["when", "background", "claimants",
                                                    "modality"]),
    pytest.param("Russian forces launched attacks on Ukraine", ["where"], marks=_xfail(
        "where is 'Europe' (from 'the largest assault ... in Europe since World War Two'), "
        "not Ukraine")),
    # why: attributed to a ministry ("according to Ukraine's interior ministry"); cities named
    ("Russian missiles struck military command centres", ["when", "background", "where",
                                                          "claimants"]),
    # why: two parties acting together in 2012: background
    ("In 2012, the United States and the European Union imposed", ["when", "background",
                                                                    "where", "claimants"]),
    # why: a speech act: asserted, no claimants
    ("Israeli Prime Minister Benjamin Netanyahu denounced", ["when", "background", "claimants",
                                                             "modality"]),
    # why: "He" is Obama, named in the previous sentence; Congress is the US legislature
    ("He warned Congress that he would veto", ["when", "background", "claimants"]),
    # why: detentions in the capital on Monday
    ("Myanmar's military detained State Counsellor", ["when", "background", "where",
                                                      "claimants", "modality"]),
    ("US President Joe Biden threatened on Monday", ["when", "background", "claimants"]),
    # why: Russia brokered the talks; overnight talks ending on the publication day
    ("after more than 10 hours of talks in Moscow", ["when", "background"]),
    # why: meeting at a third place, conjoined symmetric parties (Trump named first)
    ("US President Donald Trump and North Korean leader Kim Jong Un met", ["when"]),
    pytest.param("US President Donald Trump and North Korean leader Kim Jong Un met", ["where"],
                 marks=_xfail("'Sentosa' is not in the gazetteer: the place is Singapore "
                              "(right country, not the island)")),
    ("the two leaders signed a joint statement", ["when"]),
    # why: "agreed to" a truce: an intent, Armenia named first, Azerbaijan the other party
    ("Armenia and Azerbaijan agreed to a humanitarian ceasefire", ["when", "modality"]),
    # why: symmetric act of conjoined parties, retold history (1990s)
    ("Armenia and Azerbaijan fought a war over the region", ["when", "background"]),
])
def test_pipeline_examples_end_to_end(quote, fields):
    gold, = [g for g in _gold() if g["quote"].startswith(quote) and not g["optional"]]
    ev = _predicted(gold)
    assert ev is not None, f"no event matches {gold['source_actor']} {gold['cameo']} " \
                           f"{gold['target_actor']} in {gold['article_id']}"
    wrong = {f: (gold[f], ev.to_dict()[f if f != "claimants" else "attribution"])
             for f in fields if not _check(gold, ev, f)}
    assert not wrong


@pytest.mark.parametrize("article_id", [
    # why: ANNOTATION.md: every 03x code is "intended" (announced, promised, offered acts)
    "all",
])
def test_pipeline_examples_03x_is_intended(article_id):
    bad = [(e.article.id, e.cameo.code, e.modality) for e in _example_events()
           if e.cameo.root == "03" and e.modality != "intended"]
    assert not bad


@pytest.mark.parametrize("article_id", ["all"])
def test_pipeline_examples_dateline_never_an_actor(article_id):
    # why: every example starts with a wire dateline; none of its words is an actor
    for ev in _example_events():
        end = dateline_span(ev.article.text)[1]
        assert end > 0
        for actor in (ev.source, ev.target):
            if actor is not None:
                assert actor.start is None or actor.start >= end, (ev.article.id, actor)


# -- the per-article time limit (settings.max_article_seconds, docs/reliability.md) ---------------

# A limit far above what a one-sentence article takes (~0.02 s) and far below what the 50
# news-dev articles as one text take (136,000 characters; ~3.6 s of coding after the speed fixes,
# measured; 30,000 characters had come down to ~1 s, too close): only the long one is cut.
LIMIT = 1.0
NEIGHBOURS = [
    Article(id="before", origin="wire/before.txt", published=date(2022, 2, 28),
            text="The European Union imposed sanctions on Russia on Friday."),
    Article(id="after", origin="wire/after.txt", published=date(2023, 1, 24),
            text="Turkish police arrested 12 suspected Islamic State militants in Istanbul on "
                 "Tuesday."),
]


@pytest.fixture(scope="module")
def long_article(shared_data) -> Article:
    """The 50 news-dev articles as one text: 136,000 characters of real wire copy (read in
    place; several seconds to code after the speed fixes, against a 1 s limit)."""
    rows = [json.loads(line) for line in
            (shared_data / "news-dev" / "articles.jsonl").read_text("utf-8").splitlines()]
    text = "\n\n".join(r["text"] for r in rows)
    return Article(id="long", origin="wire/long.txt", published=date(1990, 1, 1),
                   text=text)


@pytest.fixture(scope="module")
def limited_coder():
    from dataclasses import replace
    from eventwire.limits import Deadline
    from eventwire.pipeline import Coder
    coder = Coder(settings=replace(default_coder().settings, max_article_seconds=LIMIT))
    for article in NEIGHBOURS:  # warm up lazily built indexes, without a limit
        coder.code_doc(article, coder.nlp(article.text), deadline=Deadline(None))
    return coder


def _code_batch(coder, articles):
    failures = []
    events = list(coder.code_many(articles, on_error=lambda a, exc: failures.append((a, exc))))
    return events, failures


@pytest.mark.parametrize("where", ["main thread", "worker thread"])
def test_pipeline_time_limit_refuses_only_the_long_article(limited_coder, long_article, where):
    """SIGALRM in the main thread; in another (a Dask worker's, an API's) the watchdog and the
    per-sentence deadline: the long article fails with E-TIMEOUT naming it, its neighbours in
    the same spaCy batch are coded."""
    from eventwire.limits import TimeLimitExceeded
    batch = [NEIGHBOURS[0], long_article, NEIGHBOURS[1]]
    if where == "main thread":
        events, failures = _code_batch(limited_coder, batch)
    else:
        import threading
        out = []
        thread = threading.Thread(target=lambda: out.append(_code_batch(limited_coder, batch)))
        thread.start()
        thread.join(timeout=300)
        (events, failures), = out
    assert [(a.id, type(exc)) for a, exc in failures] == [("long", TimeLimitExceeded)]
    assert str(failures[0][1]) == ("wire/long.txt: E-TIMEOUT took longer than 1 s (time "
                                   "limit); skipped")
    assert {ev.article.id for ev in events} == {"before", "after"}


def test_pipeline_time_limit_deadline_checked_per_sentence(limited_coder, long_article):
    """The cooperative half alone (no signal, no watchdog): code_doc stops at a sentence
    boundary once the deadline has passed."""
    from eventwire.limits import Deadline, TimeLimitExceeded
    doc = limited_coder.nlp(long_article.text)
    with pytest.raises(TimeLimitExceeded) as err:
        limited_coder.code_doc(long_article, doc, deadline=Deadline(LIMIT, what="long"))
    assert err.value.what == "long"
    assert limited_coder.code(NEIGHBOURS[0])  # and the coder is fine afterwards


def test_pipeline_time_limit_in_a_dask_worker(limited_coder, long_article, tmp_path):
    """The Dask engine: workers run tasks in a worker thread; the refusal comes back to the
    driver as E-TIMEOUT and nothing is stored for that article."""
    from eventwire import scale
    from eventwire.store import open_store
    with open_store(tmp_path / "events.duckdb") as store:
        report = scale.run([NEIGHBOURS[0], long_article, NEIGHBOURS[1]], store=store,
                           settings=limited_coder.settings,
                           options=scale.ScaleOptions(engine="dask", workers=1,
                                                      partition_size=3))
        stored = {r["id"] for r in store.sql("SELECT id FROM articles")}
    assert [(p.origin, p.code) for p in report.problems] == [("wire/long.txt", "E-TIMEOUT")]
    assert report.problems[0].message == ("coding article 'long' took longer than 1 s (time "
                                          "limit); not stored")
    assert stored == {"before", "after"}


@pytest.mark.parametrize("text, source, target", [
    # why: victims named only by a role word ("people", "civilians") are where the act
    # happened, not of the article's most-mentioned country (here the attacker's)
    ("Israeli warplanes killed 20 people in Gaza on Tuesday, Palestinian officials said.",
     "ISRMIL", "PSECVL"),
    ("Russian troops killed 12 civilians in Kharkiv on Monday, Ukrainian officials said.",
     "RUSMIL", "UKRCVL"),
])
def test_pipeline_role_target_takes_event_place_country(text, source, target):
    ev, = [e for e in code(text, published="2023-05-10") if e.cameo.root == "19"]
    assert (ev.source.code, ev.target.code) == (source, target)
    assert "place" in ev.target.rule


def test_pipeline_gazetteer_indexes_are_built_outside_the_first_articles_time_limit():
    """The city index and its spelling variants (1-2 s, once per gazetteer) are not charged to
    the first article that looks up a city: with a fresh gazetteer and a 0.5 s limit, a short
    story placed in a non-capital city codes in time, and coders share the default one."""
    from dataclasses import replace

    from eventwire.geo import Gazetteer
    from eventwire.pipeline import Coder, shared_gazetteer
    from eventwire.settings import DEFAULT

    gazetteer = Gazetteer()
    assert gazetteer._city_index is None and gazetteer._loose is None  # lazily built
    coder = Coder(settings=replace(DEFAULT, max_article_seconds=0.5), gazetteer=gazetteer)
    events = coder.code(Article(id="izmir", text=(
        "Turkish police arrested 12 suspected Islamic State militants in Izmir on Tuesday."),
        published=date(2023, 1, 24)))
    assert gazetteer._city_index is not None and gazetteer._loose is not None
    assert [(e.where.text, e.where.country, e.where.precision) for e in events] == \
        [("Izmir", "TUR", "city")]
    assert Coder().gazetteer is Coder(settings=replace(DEFAULT, batch_size=4)).gazetteer \
        is shared_gazetteer()
