"""Tests for eventwire.dates: the event's own time, resolved against the publication date."""
import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.dates import DateContext, is_background, load_cues, resolve_expression
from eventwire.records import When

D = date.fromisoformat


# -- resolve_expression -------------------------------------------------------------------------

@pytest.mark.parametrize("text,published,start,end,precision", [
    # ANNOTATION.md "when" conventions
    ("on Monday", "2023-01-23", "2023-01-23", "2023-01-23", "day"),  # a Monday story: that day
    ("last week", "2023-01-25", "2023-01-16", "2023-01-22", "week"),  # the week before
    ("earlier this month", "2023-01-24", "2023-01-01", "2023-01-24", "month"),
    ("this year", "2023-01-24", "2023-01-01", "2023-01-24", "year"),  # 1 January to publication
    ("since 2011", "2023-01-24", "2011-01-01", "2023-01-24", "span"),
    ("over the past two years", "2023-01-24", "2021-01-24", "2023-01-24", "span"),
    # dateparser's absolute forms, its period kept as the precision
    ("on 23 January", "2023-01-24", "2023-01-23", "2023-01-23", "day"),
    ("In 2018", "2023-01-24", "2018-01-01", "2018-12-31", "year"),
    ("January 9", "1987-02-26", "1987-01-09", "1987-01-09", "day"),
    ("1997", "1998-02-27", "1997-01-01", "1997-12-31", "year"),
    ("on Dec 14, 2005", "2005-12-14", "2005-12-14", "2005-12-14", "day"),
    ("in September 1995", "1997-04-12", "1995-09-01", "1995-09-30", "month"),
    ("last November 13", "1987-03-04", "1986-11-13", "1986-11-13", "day"),
    ("May 10", "2023-04-26", "2023-05-10", "2023-05-10", "day"),  # a deadline ahead
    # relative and vague forms (our rules)
    ("two days ago", "2023-01-24", "2023-01-22", "2023-01-22", "day"),
    ("in the 1980s", "2023-01-24", "1980-01-01", "1989-12-31", "decade"),
    ("in the early 1990s", "2006-11-13", "1990-01-01", "1993-05-01", "decade"),
    ("last year", "2017-11-14", "2016-01-01", "2016-12-31", "year"),
    ("tonight", "1987-02-26", "1987-02-26", "1987-02-26", "day"),
    ("yesterday", "1987-03-24", "1987-03-23", "1987-03-23", "day"),
    ("next month", "2023-01-24", "2023-02-01", "2023-02-28", "month"),
    ("Tuesday", "1997-04-01", "1997-04-01", "1997-04-01", "day"),  # publication was a Tuesday
    ("Sunday", "1997-04-01", "1997-03-30", "1997-03-30", "day"),
    ("on Monday night", "2025-01-28", "2025-01-27", "2025-01-27", "day"),
    ("in mid-November", "2017-11-03", "2017-11-11", "2017-11-20", "span"),
    ("nearly three years ago", "2017-12-12", "2014-01-01", "2014-12-31", "year"),
    ("Last August", "2025-05-03", "2024-08-01", "2024-08-31", "month"),
    ("in January last year", "2025-05-03", "2024-01-01", "2024-01-31", "month"),
    ("in recent months", "1987-04-21", "1986-10-21", "1987-04-21", "span"),
    ("the past 12 months", "1997-04-21", "1996-04-21", "1997-04-21", "span"),
    ("over the weekend", "1997-04-01", "1997-03-29", "1997-03-30", "span"),
    ("at the start of the month", "1997-04-23", "1997-04-01", "1997-04-10", "span"),
    ("1990-2000", "2017-12-23", "1990-01-01", "2000-12-31", "span"),
    ("March 5 - Iran", "1987-03-05", "1987-03-05", "1987-03-05", "day"),  # dateline tail cut
    ("last week's", "1987-03-04", "1987-02-23", "1987-03-01", "week"),
])
def test_dates_resolve_expression_examples(text, published, start, end, precision):
    when = resolve_expression(text, D(published))
    assert when is not None, text
    assert (when.start, when.end, when.precision) == (D(start), D(end), precision)
    assert when.text == text and when.reason


@pytest.mark.parametrize("text", [
    "two weeks", "32 years", "a 76-year-old", "the age of 80", "daily", "decades", "58", "2130",
    "seven-week", "", "Tehran", "the ceasefire",
])
def test_dates_resolve_expression_not_a_date(text):
    assert resolve_expression(text, D("2023-01-24")) is None


@pytest.mark.parametrize("text,published,start,end", [
    ("on Monday", "2023-01-24", "2023-01-30", "2023-01-30"),  # "will meet on Monday": next one
    ("Tuesday", "2023-01-24", "2023-01-24", "2023-01-24"),  # later the same day
    ("in December", "2023-01-24", "2023-12-01", "2023-12-31"),
    ("later this month", "2023-01-24", "2023-01-24", "2023-01-31"),
])
def test_dates_resolve_expression_future_tense(text, published, start, end):
    when = resolve_expression(text, D(published), future=True)
    assert (when.start, when.end) == (D(start), D(end))


@pytest.mark.parametrize("text,published,anchor_free_start", [
    ("the previous day", "2023-01-24", "2023-01-23"),
    ("Two days earlier", "2017-11-03", "2017-11-01"),
])
def test_dates_resolve_expression_anchored_phrases_count_from_publication_alone(
        text, published, anchor_free_start):
    when = resolve_expression(text, D(published))
    assert when.start == D(anchor_free_start)
    assert "publication" in when.reason


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(["since", "in", "the", "last", "next", "past", "early", "mid-", "of",
                              "two", "few", "days", "week", "months", "years", "ago", "earlier",
                              "Monday", "January", "9", "31", "1987", "2018", "1990s", "-", "and",
                              "to", "tonight", "yesterday", "weekend", "summer", "end", "9:05",
                              "a.m.", "'s", ","]), max_size=6).map(" ".join)),
       published=st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)),
       future=st.booleans())
def test_dates_resolve_expression_never_raises_and_orders_interval(text, published, future):
    when = resolve_expression(text, published, future=future)
    if when is not None:
        assert when.start is not None and when.end is not None
        assert when.start <= when.end
        assert when.precision in {"day", "week", "month", "year", "span", "decade"}


# -- DateContext: the expression that governs a trigger --------------------------------------------

def _sentence_with(doc, word):
    """The sentence of ``doc`` holding ``word``, and that token."""
    for sent in doc.sents:
        for tok in sent:
            if tok.text == word:
                return sent, tok
    raise AssertionError(f"{word!r} not in {doc.text!r}")


@pytest.mark.parametrize("text,published,trigger,start,end,precision,background", [
    ("In 2018, Syrian troops accidentally downed a Russian aircraft, killing 15 servicemen.",
     "2023-01-24", "downed", "2018-01-01", "2018-12-31", "year", True),
    ("Syria's Defense Minister met Iran's Chief of Staff in Tehran on 23 January.",
     "2023-01-24", "met", "2023-01-23", "2023-01-23", "day", False),
    ("IRNA said the operation code-named Karbala-5 launched into Iraq on January 9 was now over.",
     "1987-02-26", "launched", "1987-01-09", "1987-01-09", "day", True),
    ("The two foreign ministers will meet in Geneva on Monday.",
     "2023-01-24", "meet", "2023-01-30", "2023-01-30", "day", False),
    ("Iran said it had agreed to hold talks with Iraq next week.",
     "2023-01-24", "agreed", "2023-01-30", "2023-02-05", "week", False),  # the planned time
    ("Russia has backed the Syrian government of Bashar al-Assad since 2011.",
     "2023-01-24", "backed", "2011-01-01", "2023-01-24", "span", True),  # retold context
    ("Iran announced tonight that its offensive against Iraq had ended.",
     "1987-02-26", "ended", "1987-02-26", "1987-02-26", "day", False),  # the governing clause
    ("BEIJING, April 1, 1997 (AFP) - China warned the United States on Tuesday over Taiwan.",
     "1997-04-01", "warned", "1997-04-01", "1997-04-01", "day", False),
])
def test_dates_context_resolves_trigger(parse, text, published, trigger, start, end, precision,
                                        background):
    sent, tok = _sentence_with(parse(text), trigger)
    ctx = DateContext(D(published))
    when = ctx.resolve(sent, tok)
    assert (when.start, when.end, when.precision) == (D(start), D(end), precision)
    assert ctx.background(when, sent, tok) is background


@pytest.mark.parametrize("text,published,trigger", [
    # "on January 9" belongs to 'launched' in the relative clause, not to 'was over'
    ("IRNA said the operation code-named Karbala-5 launched into Iraq on January 9 was now over.",
     "1987-02-26", "was"),
    ("Iran condemned the new European Union sanctions against its Revolutionary Guards.",
     "2023-01-24", "condemned"),
])
def test_dates_context_falls_back_to_publication_with_reason(parse, text, published, trigger):
    sent, tok = _sentence_with(parse(text), trigger)
    when = DateContext(D(published)).resolve(sent, tok)
    assert (when.start, when.end, when.precision) == (D(published), D(published), "day")
    assert when.reason.startswith("fallback to the publication date")


@pytest.mark.parametrize("text,published", [
    # a dateline's date is the report's; the story dates from metadata a day later
    ("LONDON, Feb 26 - Iran announced that its offensive against Iraq had ended.", "1987-02-27"),
])
def test_dates_context_ignores_dateline(parse, text, published):
    sent, _ = _sentence_with(parse(text), "announced")
    when = DateContext(D(published)).resolve(sent)
    assert when.start == D(published) and when.reason.startswith("fallback")


@pytest.mark.parametrize("text,trigger,start", [
    ("In 2018, Syrian troops accidentally downed a Russian aircraft over the Mediterranean. "
     "Moscow held Israel responsible for the loss.", "held", "2018-01-01"),
    # a new paragraph ends the history
    ("In 2018, Syrian troops accidentally downed a Russian aircraft over the Mediterranean.\n\n"
     "Moscow held Israel responsible for the loss.", "held", "2023-01-24"),
    # the present tense is today's news, not the history being told
    ("In 2018, Syrian troops accidentally downed a Russian aircraft over the Mediterranean. "
     "Moscow holds Israel responsible for the loss.", "holds", "2023-01-24"),
])
def test_dates_context_carries_history_paragraph_date(parse, text, trigger, start):
    sent, tok = _sentence_with(parse(text), trigger)
    when = DateContext(D("2023-01-24")).resolve(sent, tok)
    assert when.start == D(start)
    assert ("carried over" in when.reason) is (start != "2023-01-24")


@pytest.mark.parametrize("text,trigger,start", [
    # "earlier in the day" is the day being told, not the day of publication
    ("The minister left Lisbon on Monday evening. Earlier in the day, she had met the Spanish "
     "premier in Madrid.", "met", "2023-01-23"),
    ("Earlier in the day, she had met the Spanish premier in Madrid.", "met", "2023-01-25"),
])
def test_dates_context_in_the_day_counts_from_the_narrated_day(parse, text, trigger, start):
    sent, tok = _sentence_with(parse(text), trigger)
    assert DateContext(D("2023-01-25")).resolve(sent, tok).start == D(start)


@pytest.mark.parametrize("text,trigger,start", [
    # the sentence before is dated "in May" on its main verb and "on June 12" lower down: a
    # count of days needs a day to count from
    ("The panel blamed the army for a massacre in May, in a report published on June 12. "
     "Two days earlier, Belgium expelled the ambassador.", "expelled", "2011-06-10"),
    # no day told before: from publication
    ("The panel blamed the army for a massacre in May. "
     "Two days earlier, Belgium expelled the ambassador.", "expelled", "2011-09-01"),
])
def test_dates_context_relative_count_anchors_on_a_day(parse, text, trigger, start):
    sent, tok = _sentence_with(parse(text), trigger)
    assert DateContext(D("2011-09-03")).resolve(sent, tok).start == D(start)


@pytest.mark.parametrize("text,trigger,start", [
    # wire copy puts one sentence in a paragraph: a sequence connective continues the act told
    # in the paragraph before, and so carries its date across the break
    ("A rocket attack on a border post on March 2, 2011, killed four Belgian soldiers.\n\n"
     "In retaliation, Belgium bombed the rebel camp.", "bombed", "2011-03-02"),
    ("Rebels shelled the border post on March 2, 2011.\n\n"
     "Hours later, Belgian troops stormed the rebel camp.", "stormed", "2011-03-02"),
    # an anchored phrase counts from the date told before the break, not from publication
    ("Rebels shelled the border post on March 2, 2011.\n\n"
     "The next day, Belgian troops stormed the rebel camp.", "stormed", "2011-03-03"),
    # without the connective the break still ends the story told
    ("Rebels shelled the border post on March 2, 2011.\n\n"
     "Belgian troops stormed the rebel camp.", "stormed", "2023-01-24"),
    # only one paragraph back: two breaks end it
    ("Rebels shelled the border post on March 2, 2011.\n\nThe army chief resigned.\n\n"
     "In response, Belgian troops stormed the rebel camp.", "stormed", "2023-01-24"),
])
def test_dates_context_sequence_connective_crosses_one_paragraph(parse, text, trigger, start):
    sent, tok = _sentence_with(parse(text), trigger)
    ctx = DateContext(D("2023-01-24"))
    for earlier in sent.doc.sents:  # the coder reads every sentence in order
        if earlier.start < sent.start:
            ctx.resolve(earlier)
    assert ctx.resolve(sent, tok).start == D(start)


@pytest.mark.parametrize("first,second", [
    ("In 2018, Syrian troops accidentally downed a Russian aircraft over the Mediterranean.",
     "Moscow held Israel responsible for the loss."),
])
def test_dates_context_carries_across_docs_of_one_paragraph(parse, first, second):
    ctx = DateContext(D("2023-01-24"))
    ctx.resolve(next(parse(first).sents), paragraph=3)
    when = ctx.resolve(next(parse(second).sents), paragraph=3)
    assert (when.start, when.precision) == (D("2018-01-01"), "year")
    other = DateContext(D("2023-01-24")).resolve(next(parse(second).sents), paragraph=4)
    assert other.reason.startswith("fallback")


@pytest.mark.parametrize("text,start,precision", [
    ("Iran condemned the sanctions on Monday.", None, "unknown"),
    ("Iran condemned the sanctions.", None, "unknown"),
    ("In 2018, Syrian troops downed a Russian aircraft.", "2018-01-01", "year"),  # absolute
])
def test_dates_context_without_publication_date(parse, text, start, precision):
    when = DateContext(None).resolve(next(parse(text).sents))
    assert when.precision == precision
    assert when.start == (D(start) if start else None)
    assert when.reason


@pytest.mark.parametrize("odd", [None, "In 2018, Syrian troops downed a Russian aircraft.", 42])
def test_dates_context_never_raises(odd):
    when = DateContext(D("2023-01-24")).resolve(odd)
    assert when.start == D("2023-01-24") and "could not read" in when.reason


@pytest.mark.parametrize("text,trigger,background", [
    ("The Taliban waged a 20-year insurgency against the Afghan government.", "waged", True),
    ("The Taliban attacked a checkpoint in Kandahar province.", "attacked", False),
])
def test_dates_context_background_for_retold_condition(parse, text, trigger, background):
    sent, tok = _sentence_with(parse(text), trigger)
    ctx = DateContext(D("2021-08-16"))
    assert ctx.background(ctx.resolve(sent, tok), sent, tok) is background


# -- is_background -----------------------------------------------------------------------------

@pytest.mark.parametrize("start,end,retold,expected", [
    ("2018-01-01", "2018-12-31", False, True),
    ("2022-12-20", "2022-12-20", False, True),  # 35 days before publication
    ("2023-01-01", "2023-01-01", False, False),  # 23 days: still news
    ("2011-01-01", "2023-01-24", False, False),  # ongoing, current development
    ("2011-01-01", "2023-01-24", True, True),  # ongoing, retold context ("since 2011")
    ("2023-01-10", "2023-01-24", True, False),  # retold but begun within the window
])
def test_dates_is_background(start, end, retold, expected):
    when = When("x", D(start), D(end), "span")
    assert is_background(when, D("2023-01-24"), retold=retold) is expected


@pytest.mark.parametrize("when,published", [
    (When(None, None, None, "unknown"), date(2023, 1, 24)),
    (When("In 2018", date(2018, 1, 1), date(2018, 12, 31), "year"), None),
])
def test_dates_is_background_false_without_dates(when, published):
    assert is_background(when, published) is False


# -- data and real copy ------------------------------------------------------------------------

@pytest.mark.parametrize("kind,phrase,value", [
    ("relative_day", "yesterday", -1), ("relative_day", "tonight", 0),
    ("anchored", "the previous day", -1), ("number", "two", 2), ("part", "late", 3),
    ("recent_span", "month", 6),
])
def test_dates_cues_pinned_keys(kind, phrase, value):
    assert getattr(load_cues(), kind)[phrase] == value


@pytest.mark.parametrize("phrase", ["in retaliation", "hours later", "the next day"])
def test_dates_cues_sequence_connectives(phrase):
    assert phrase in load_cues().sequence


@pytest.mark.parametrize("article_id,word,start", [
    ("dv01-1987-iran-offensive-end", "launched", "1987-01-09"),
    ("dv01-1987-iran-offensive-end", "announced", "1987-02-26"),  # "tonight", not the dateline
    ("dv16-1997-china-us-taiwan-warning", "warned", "1997-04-01"),  # Tuesday = publication day
])
def test_dates_context_on_news_dev(shared_data, parse, article_id, word, start):
    rows = (json.loads(line) for line in
            (shared_data / "news-dev" / "articles.jsonl").read_text("utf-8").splitlines())
    article = next(r for r in rows if r["id"] == article_id)
    sent, tok = _sentence_with(parse(article["text"]), word)
    assert DateContext(D(article["published"])).resolve(sent, tok).start == D(start)
