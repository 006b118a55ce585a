"""Evaluate: scoring against gold by ANNOTATION.md "Scoring".

Small hand-made gold sets and predicted Events (sentences from the bundled ex02/ex07 examples
and realistic wire copy), plus the gold readers on real files.
"""
import json
from datetime import date

import pytest

from eventwire import ontology
from eventwire.evaluate import (GoldEvent, GoldSet, Report, Scores, actor_key, format_report,
                                load_eventwire_gold, load_petr_records, norm_text, score)
from eventwire.records import Actor, Article, Attribution, Event, Evidence, When

LEAD = ("Russian forces launched attacks on Ukraine by land, air and sea on Thursday after "
        "President Vladimir Putin announced a \u201cspecial military operation\u201d in a "
        "televised address.")
SANCTIONS = ("US President Joe Biden condemned what he called an \"unprovoked and unjustified "
             "attack\" and said the United States and its allies would impose severe sanctions "
             "on Russia.")
ACCUSE = "Within hours of the truce taking effect, both sides accused each other of violating it."
ART = Article(id="ex02", text="\n\n".join([LEAD, SANCTIONS]), published=date(2022, 2, 24))
ART7 = Article(id="ex07", text=ACCUSE, published=date(2020, 10, 10))


def _actor(code):
    if code is None:
        return None
    if code in ("UN", "EU", "NATO"):  # IGOs have no country
        return Actor(text=code, code=code)
    return Actor(text=code, code=code, country=code[:3], role=code[3:] or None)


def _pred(sentence, code, source, target, *, article=ART, start=date(2022, 2, 24),
          end=None, background=False):
    return Event(article=article, sentence=sentence, span=(0, len(sentence)),
                 source=_actor(source), target=_actor(target), cameo=ontology.cameo(code),
                 plover=ontology.plover(code),
                 when=When(None, start, end or start, "day"), background=background,
                 where=None, attribution=Attribution(), modality="asserted", confidence=0.5,
                 evidence=Evidence("rules", "test", "0"))


def _gold(quote, cameo, source, target, *, article_id="ex02", optional=False,
          when="2022-02-24", background=False):
    return GoldEvent.from_json({
        "article_id": article_id, "quote": quote, "source_actor": source,
        "target_actor": target, "cameo": cameo, "cameo_root": cameo[:2], "when": when,
        "background": background, "optional": optional})


def _score(golds, preds, articles=(ART,)) -> Report:
    return score(GoldSet("t", list(articles), list(golds)), preds)


def _counts(s: Scores):
    return (s.tp, s.fp, s.fn)


# -- quote matching ----------------------------------------------------------------------------

@pytest.mark.parametrize("quote, matches", [
    # why: the first 40 characters of the quote are enough
    ("Russian forces launched attacks on Ukraine by land, air and sea on Thursday", True),
    # why: case and runs of whitespace are ignored
    ("RUSSIAN   forces launched\nattacks on Ukraine by land", True),
    # why: curly vs straight quotes are ignored (the sentence has curly quotes)
    ('after President Vladimir Putin announced a "special military operation"', True),
    # why: only the first 40 characters count: a wrong tail does not matter ...
    ("Russian forces launched attacks on Ukraine from Belarus", True),
    # why: ... but a different start does
    ("Russian troops launched attacks on Ukraine by land", False),
])
def test_evaluate_quote_first_40_chars(quote, matches):
    rep = _score([_gold(quote, "190", "RUSMIL|RUS", "UKR")],
                 [_pred(LEAD, "190", "RUSMIL", "UKR")])
    assert _counts(rep.dyad) == ((1, 0, 0) if matches else (0, 1, 1))


@pytest.mark.parametrize("a, b", [
    ("\u201cSpecial  military\toperation\u201d", '"special military operation"'),
    ("Ukraine\u2019s interior ministry", "ukraine's interior ministry"),
])
def test_evaluate_norm_text(a, b):
    assert norm_text(a) == norm_text(b) == b


# -- code and actors ---------------------------------------------------------------------------

@pytest.mark.parametrize("pred_code, gold_code, matches", [
    # why: the root decides, not the full code (195 vs 190)
    ("195", "190", True),
    ("1312", "131", True),
    # why: a different root is a different event type
    ("172", "190", False),
])
def test_evaluate_root_match(pred_code, gold_code, matches):
    rep = _score([_gold(LEAD, gold_code, "RUSMIL", "UKR")],
                 [_pred(LEAD, pred_code, "RUSMIL", "UKR")])
    assert rep.dyad.tp == int(matches)
    assert rep.root.tp == int(matches)


@pytest.mark.parametrize("gold_source, gold_target, pred_source, pred_target, matches", [
    # why: the source country (first three letters) equals one alternative
    ("RUSMIL|RUS", "UKR|UKRMIL|UKRGOV", "RUSMIL", "UKR", True),
    # why: roles do not count, only the country ("RUSGOV" still matches "RUSMIL")
    ("RUSMIL", "UKRMIL", "RUSGOV", "UKR", True),
    # why: any alternative counts
    ("USA|USAGOV|EU", "IRN|IRNGOV", "EU", "IRN", True),
    # why: IGO codes are compared whole
    ("NATO", "RUS|RUSGOV|RUSMIL", "NATO", "RUSGOV", True),
    ("UN", "MMRMIL", "EU", "MMRMIL", False),
    # why: a wrong country on either side is no match
    ("RUSMIL|RUS", "UKR", "BLRMIL", "UKR", False),
    ("RUSMIL|RUS", "UKR", "RUSMIL", "GEO", False),
    # why: a required target must be predicted
    ("RUSMIL|RUS", "UKR", "RUSMIL", None, False),
    # why: an empty gold target matches any target, and none
    ("RUSGOV", "", "RUSGOV", "USA", True),
    ("RUSGOV", "", "RUSGOV", None, True),
])
def test_evaluate_actor_alternatives(gold_source, gold_target, pred_source, pred_target,
                                     matches):
    rep = _score([_gold(LEAD, "190", gold_source, gold_target)],
                 [_pred(LEAD, "190", pred_source, pred_target)])
    assert _counts(rep.dyad) == ((1, 0, 0) if matches else (0, 1, 1))
    assert _counts(rep.root) == (1, 0, 0)  # root-only scoring ignores the actors


@pytest.mark.parametrize("code, key", [
    ("SYRGOV", "SYR"), ("IRN", "IRN"), ("HKGCOP", "HKG"), ("UN", "UN"), ("EU", "EU"),
    ("NATO", "NATO"), ("IGOUNO", "UN"), ("IGOEUREEC", "EU"), ("UNK", "UNK"), ("", None),
])
def test_evaluate_actor_key(code, key):
    assert actor_key(code) == key


@pytest.mark.parametrize("article_id", [
    # why: a prediction only matches gold of its own article
    "ex07",
])
def test_evaluate_same_article_only(article_id):
    other = Article(id=article_id, text=LEAD, published=date(2022, 2, 24))
    rep = _score([_gold(LEAD, "190", "RUSMIL", "UKR")],
                 [_pred(LEAD, "190", "RUSMIL", "UKR", article=other)],
                 articles=[ART, other])
    assert _counts(rep.dyad) == (0, 1, 1)


# -- optional gold and one-to-one --------------------------------------------------------------

@pytest.mark.parametrize("golds, preds, counts", [
    # why: a prediction matching an optional gold event is neither TP nor FP
    ([_gold(LEAD, "190", "RUSMIL", "UKR", optional=True)], [_pred(LEAD, "190", "RUSMIL", "UKR")],
     (0, 0, 0)),
    # why: an optional gold event nobody predicted is not needed for recall
    ([_gold(LEAD, "190", "RUSMIL", "UKR", optional=True),
      _gold(SANCTIONS, "131", "USAGOV", "RUS")], [_pred(SANCTIONS, "131", "USAGOV", "RUS")],
     (1, 0, 0)),
    # why: required gold first: an optional event in the same sentence cannot take the one
    # prediction from the required event
    ([_gold(LEAD, "190", "RUSMIL|RUS", "", optional=True),
      _gold(LEAD, "190", "RUSMIL", "UKR")], [_pred(LEAD, "190", "RUSMIL", "UKR")],
     (1, 0, 0)),
    # why: one-to-one: two predictions of one gold event are one TP and one FP
    ([_gold(LEAD, "190", "RUSMIL", "UKR")],
     [_pred(LEAD, "190", "RUSMIL", "UKR"), _pred(LEAD, "195", "RUS", "UKRMIL")], (1, 1, 0)),
    # why: one-to-one: one prediction cannot match two gold events
    ([_gold(SANCTIONS, "111", "USAGOV", "RUS"), _gold(SANCTIONS, "131", "USAGOV", "RUS"),
      _gold(SANCTIONS, "111", "USAGOV", "RUS")], [_pred(SANCTIONS, "111", "USAGOV", "RUS")],
     (1, 0, 2)),
    # why: the clause codes two dyads (ARM->AZE, AZE->ARM): both predicted, both matched
    ([_gold(ACCUSE, "112", "ARM|ARMGOV", "AZE|AZEGOV", article_id="ex07"),
      _gold(ACCUSE, "112", "AZE|AZEGOV", "ARM|ARMGOV", article_id="ex07")],
     [_pred(ACCUSE, "112", "AZEGOV", "ARMGOV", article=ART7),
      _pred(ACCUSE, "112", "ARMGOV", "AZEGOV", article=ART7)], (2, 0, 0)),
])
def test_evaluate_optional_and_one_to_one(golds, preds, counts):
    rep = _score(golds, preds, articles=[ART, ART7])
    assert _counts(rep.dyad) == counts


@pytest.mark.parametrize("golds, preds", [
    # why: one-to-one matching should find the pairing that matches most gold events: the
    # first gold accepts either dyad, the second only AZE->ARM. Matching must not depend on
    # the order of the predictions.
    pytest.param(
        [_gold(ACCUSE, "112", "ARM|AZE", "AZE|ARM", article_id="ex07"),
         _gold(ACCUSE, "112", "AZE", "ARM", article_id="ex07")],
        [_pred(ACCUSE, "112", "AZEGOV", "ARMGOV", article=ART7),
         _pred(ACCUSE, "112", "ARMGOV", "AZEGOV", article=ART7)]),
])
def test_evaluate_matching_is_maximal(golds, preds):
    forward = _score(golds, preds, articles=[ART7])
    backward = _score(golds, list(reversed(preds)), articles=[ART7])
    assert _counts(forward.dyad) == _counts(backward.dyad) == (2, 0, 0)


# -- dates and background on matched events ----------------------------------------------------

@pytest.mark.parametrize("gold_when, start, end, ok", [
    ("2022-02-24", date(2022, 2, 24), None, True),
    ("2014", date(2014, 3, 18), None, True),
    ("2014/2022-02-24", date(2016, 1, 1), date(2022, 2, 24), True),
    # why: the publication year for a 2014 event is wrong
    ("2014", date(2022, 2, 24), None, False),
    # why: a predicted interval is judged by its start
    ("2014", date(2013, 12, 1), date(2014, 12, 31), False),
])
def test_evaluate_event_year(gold_when, start, end, ok):
    rep = _score([_gold(LEAD, "190", "RUSMIL", "UKR", when=gold_when)],
                 [_pred(LEAD, "190", "RUSMIL", "UKR", start=start, end=end)])
    assert (rep.year_ok, rep.year_n) == (int(ok), 1)


@pytest.mark.parametrize("gold_bg, pred_bg, ok", [(True, True, 1), (True, False, 0),
                                                  (False, False, 1)])
def test_evaluate_background(gold_bg, pred_bg, ok):
    rep = _score([_gold(LEAD, "190", "RUSMIL", "UKR", background=gold_bg)],
                 [_pred(LEAD, "190", "RUSMIL", "UKR", background=pred_bg)])
    assert (rep.bg_ok, rep.bg_n) == (ok, 1)


@pytest.mark.parametrize("order", [1, -1])
def test_evaluate_pairs_each_gold_with_the_prediction_of_its_own_trigger(order):
    """Two gold events of one sentence, same root and dyad: the prediction whose trigger lies
    in a gold quote is paired with that gold event, whatever the order, so the background of
    each is judged against its own (a 1990 expulsion and today's warning)."""
    sentence = ("The government issued a travel warning on Monday and in 1990 expelled 15 "
                "Ukrainian diplomats.")
    golds = [_gold("The government issued a travel warning on Monday", "160", "RUS", "UKR"),
             _gold("in 1990 expelled 15 Ukrainian diplomats", "161", "RUS", "UKR",
                   when="1990", background=True)]
    warn = _pred(sentence, "160", "RUSGOV", "UKR")
    expel = _pred(sentence, "161", "RUSGOV", "UKR", start=date(1990, 1, 1),
                  end=date(1990, 12, 31), background=True)
    warn.extras["trigger"], expel.extras["trigger"] = "issued", "expelled"
    rep = _score(golds, [warn, expel][::order])
    assert _counts(rep.dyad) == (2, 0, 0)
    assert (rep.bg_ok, rep.bg_n, rep.year_ok, rep.year_n) == (2, 2, 2, 2)


@pytest.mark.parametrize("tp, fp, fn, p, r, f1", [
    (18, 54, 51, 0.25, 0.2609, 0.2553),
    (0, 0, 5, 0.0, 0.0, 0.0),
    (3, 0, 0, 1.0, 1.0, 1.0),
])
def test_evaluate_scores(tp, fp, fn, p, r, f1):
    s = Scores(tp, fp, fn)
    assert (s.precision, s.recall, s.f1) == pytest.approx((p, r, f1), abs=1e-4)
    assert s.as_dict() == {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3),
                           "recall": round(r, 3), "f1": round(f1, 3)}


@pytest.mark.parametrize("preds", [[_pred(LEAD, "190", "RUSMIL", "UKR"),
                                    _pred(SANCTIONS, "111", "USAGOV", "UKR")]])
def test_evaluate_report_and_errors(preds):
    golds = [_gold(LEAD, "190", "RUSMIL", "UKR"), _gold(SANCTIONS, "111", "USAGOV", "RUS")]
    rep = _score(golds, preds)
    assert (rep.n_articles, rep.n_gold, rep.n_pred) == (1, 2, 2)
    assert _counts(rep.dyad) == (1, 1, 1) and _counts(rep.root) == (2, 0, 0)
    kinds = sorted(e["kind"] for e in rep.errors)
    assert kinds == ["false_positive", "missed"]
    missed, = [e for e in rep.errors if e["kind"] == "missed"]
    assert missed["gold"] == "USAGOV 111 RUS" and missed["pred_in_sentence"]
    d = rep.as_dict()
    assert d["dyad_root"]["f1"] == 0.5 and d["gold_events"] == 2
    text = format_report(rep)
    assert text.startswith("== t: 1 articles, 2 required gold events, 2 predicted")
    assert "dyad+root  P 0.500  R 0.500  F1 0.500" in text


# -- readers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    # why: alternatives split on "|", empty target is no target, root from cameo_root
    {"article_id": "ex03", "quote": "In 2012, the United States and the European Union imposed",
     "source_actor": "USA|USAGOV|EU", "target_actor": "", "cameo": "163", "cameo_root": "16",
     "plover": "COERCE", "when": "2012", "background": True, "where": None, "claimants": [],
     "modality": "asserted", "optional": False},
])
def test_evaluate_gold_from_json(line):
    g = GoldEvent.from_json(line)
    assert (g.source, g.target, g.cameo, g.root) == (["USA", "USAGOV", "EU"], [], "163", "16")
    assert (g.when, g.background, g.optional, g.plover) == ("2012", True, False, "COERCE")


@pytest.mark.parametrize("n_articles", [2])
def test_evaluate_load_eventwire_gold(tmp_path, n_articles):
    arts = [{"id": "dv1", "published": "2022-02-24T09:00:00Z", "title": "Russia attacks",
             "text": LEAD},
            {"id": "dv2", "published": "2022-02-24", "title": "Biden", "text": SANCTIONS},
            {"id": "dv3", "published": "2022-02-25", "title": "no gold", "text": "x"}]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(a) for a in arts) + "\n")
    golds = [{"article_id": "dv1", "quote": LEAD[:60], "source_actor": "RUSMIL|RUS",
              "target_actor": "UKR", "cameo": "190", "cameo_root": "19"},
             {"article_id": "dv2", "quote": SANCTIONS[:50], "source_actor": "USAGOV",
              "target_actor": "RUS", "cameo": "131", "cameo_root": "13", "optional": True}]
    (tmp_path / "g.jsonl").write_text("\n".join(json.dumps(g) for g in golds) + "\n\n")
    gs = load_eventwire_gold(tmp_path / "g.jsonl", tmp_path / "a.jsonl")
    assert gs.name == "g"
    assert [a.id for a in gs.articles] == ["dv1", "dv2"][:n_articles]
    assert gs.articles[0].published == date(2022, 2, 24)
    assert [(g.article_id, g.root, g.optional) for g in gs.events] == [("dv1", "19", False),
                                                                      ("dv2", "13", True)]


@pytest.mark.parametrize("rel, n_articles, n_events", [
    # why: 78 sentences, 12 of them negatives ({"noevents": "True"}); 68 with one event,
    # 9 with two, 1 with six: 80 events (training/README.md)
    ("training/petr2_gsr_validation/records.jsonl", 78, 80),
])
def test_evaluate_load_petr_records(shared_data, rel, n_articles, n_events):
    gs = load_petr_records(shared_data / rel)
    assert (len(gs.articles), len(gs.events)) == (n_articles, n_events)
    assert len({a.id for a in gs.articles}) == n_articles
    first = gs.events[0]
    assert (first.article_id, first.cameo, first.root, first.source, first.target) == \
        ("AFP0808020625_4", "042", "04", ["USA"], ["CHN"])
    assert gs.articles[0].published == date(2008, 8, 4)
    assert all(g.quote in {a.text for a in gs.articles} for g in gs.events)
    assert all(len(g.root) == 2 and g.cameo.startswith(g.root) for g in gs.events)
