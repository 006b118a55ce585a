"""Attribution: who the article attributes an event to (ANNOTATION.md, field *claimants*).

Sentences are realistic wire copy about well-documented events; a few cases read the news-dev
articles in place (shared_data) to check the per-article context on real paragraphs.
"""
import json

import pytest

from eventwire.attribution import (CUE_KINDS, UNNAMED, AttributionContext, attribute,
                                   load_cues)
from eventwire.records import Attribution


def _token(doc, word, nth=0):
    hits = [t for t in doc if t.text == word]
    assert len(hits) > nth, f"{word!r} not in {doc.text!r}"
    return hits[nth]


def _one(parse, text, trigger):
    doc = parse(text)
    sent = next(doc.sents)
    return attribute(sent, _token(doc, trigger) if trigger else None)


@pytest.mark.parametrize("text, trigger, claimants", [
    # the chain: the publisher first, then the source it cites
    ("A report released by Newsweek citing an anonymous US official said Iranian forces had "
     "fired missiles at the base.", "fired", ("Newsweek", "anonymous US official")),
    ("Iranian forces fired missiles at the base, according to a report released by Newsweek "
     "citing an anonymous US official.", "fired", ("Newsweek", "anonymous US official")),
    ("Iran has sent hundreds of military advisers to Syria, regional diplomatic and "
     "intelligence sources say.", "sent", ("regional diplomatic and intelligence sources",)),
    ("The air strike killed 12 civilians in Idlib, according to the UN.", "killed", ("UN",)),
    # an actor's own claim of its own act names the actor; the announcement itself does not
    ("Iran announced tonight that its major offensive against Iraq in the Gulf war had ended.",
     "ended", ("Iran",)),
    ("Iran announced tonight that its major offensive against Iraq in the Gulf war had ended.",
     "announced", ()),
    # normalisation: leading article dropped, close apposition kept (not reduced to "IRNA")
    ("The Iranian news agency IRNA, in a report received in London, said the operation "
     "code-named Karbala-5 launched into Iraq on January 9 was now over.", "over",
     ("Iranian news agency IRNA",)),
    ("In 2018, Syrian troops accidentally downed a Russian aircraft.", "downed", ()),
    ("Russia accused Israel of violating Syrian airspace.", "accused", ()),
    ("Russia accused Israel of violating Syrian airspace.", "violating", ("Russia",)),
    ("Israeli jets struck a weapons depot near Damascus overnight, the official said.",
     "struck", ("official",)),
    ("State media reported that police arrested 24 students in Yogyakarta.", "arrested",
     ("State media",)),
    ("The ministry said in a statement that troops had shelled the village.", "shelled",
     ("ministry",)),
    ("Reuters, citing two Western diplomats, said the talks had collapsed.", "collapsed",
     ("Reuters", "two Western diplomats")),
    ("The army killed 30 militants, Xinhua news agency reported, citing local officials.",
     "killed", ("Xinhua news agency", "local officials")),
    ("Kremlin spokesman Dmitry Peskov was quoted by TASS as saying that the Americans had "
     "shown no flexibility.", "shown", ("TASS", "Kremlin spokesman Dmitry Peskov")),
    ("Rebels reportedly seized the town of Kidal on Sunday.", "seized", (UNNAMED,)),
    ("Iran is said to have sent hundreds of advisers to Syria.", "sent", (UNNAMED,)),
    # a named source wins over a hedge
    ("IRNA said rebels had reportedly seized the town.", "seized", ("IRNA",)),
    # a speech act keeps only its outer sources
    ("According to TASS, Lavrov warned Washington against any strike on Syria.", "warned",
     ("TASS",)),
    # an announced intent is the statement itself (a threat), not a claim
    ("Iran said it would retaliate against any attack on its oil terminals.", "retaliate", ()),
    ("Hamas claimed responsibility for the attack on the checkpoint.", "attack", ("Hamas",)),
    ("Iraq blamed Iran for the attack on the tanker.", "attack", ("Iraq",)),
    # a denial is not a claim of what it denies (modality says negated)
    ("Iraq denied that its jets had attacked the tanker.", "attacked", ()),
    ("Christopher Hill, U.S. assistant secretary of state, said North Korea had agreed to "
     "return to the talks.", "agreed", ("Christopher Hill",)),
    ("TNO's report said the tank had fired its machine gun at the reporters.", "fired",
     ("TNO",)),
])
def test_attribution_claimants(parse, text, trigger, claimants):
    assert _one(parse, text, trigger).claimants == claimants


@pytest.mark.parametrize("text, trigger, phrase", [
    ("The air strike killed 12 civilians in Idlib, according to the UN.", "killed",
     "according to the UN"),
    ("Iranian forces fired missiles at the base, according to a report released by Newsweek "
     "citing an anonymous US official.", "fired",
     "according to a report released by Newsweek citing an anonymous US official"),
    ("Israeli jets struck a weapons depot near Damascus overnight, the official said.",
     "struck", "the official said"),
    ('"The operation was launched at a time when the Baghdad government was spreading '
     'propaganda," said the statement quoted by IRNA.', "launched",
     "said the statement quoted by IRNA"),
    ("Reuters, citing two Western diplomats, said the talks had collapsed.", "collapsed",
     "Reuters, citing two Western diplomats, said"),
    ("Rebels reportedly seized the town of Kidal on Sunday.", "seized", "reportedly"),
    ("Syrian troops downed a Russian aircraft in 2018.", "downed", None),
])
def test_attribution_text_is_phrase_as_written(parse, text, trigger, phrase):
    assert _one(parse, text, trigger).text == phrase


@pytest.mark.parametrize("text, expected", [
    ("Syrian troops downed a Russian aircraft in 2018.", Attribution(None, ())),
    ("According to the UN, the air strike killed 12 civilians in Idlib.",
     Attribution("According to the UN", ("UN",))),
    # the root of "..., IRNA said" is the speech act itself: no claimant
    ("The Iranian forces captured large amounts of munitions, IRNA said.",
     Attribution(None, ())),
])
def test_attribution_none_trigger_is_sentence_root(parse, text, expected):
    assert _one(parse, text, None) == expected


@pytest.mark.parametrize("text, trigger, claimants", [
    # a pronoun speaker names the earlier speaker; "the agency" matches its head noun
    ("The Iranian news agency IRNA said the troops continued their advance.\n\n"
     "It said 200 Iraqi soldiers were killed or wounded.", "killed",
     ("Iranian news agency IRNA",)),
    ("The Iranian news agency IRNA said the troops continued their advance.\n\n"
     "One battalion suffered 70 pct losses, the agency added.", "suffered",
     ("Iranian news agency IRNA",)),
    ("Chad's military high command said troops killed 1,269 Libyan soldiers.\n\n"
     "In its first casualty list, the high command said 438 Libyans were taken prisoner.",
     "taken", ("Chad's military high command",)),
    ("A British Army spokeswoman said the bomb damaged the officers' mess.\n\n"
     "Seven people were still being treated in hospital, she said.", "treated",
     ("British Army spokeswoman",)),
    # the next plain sentence of the same paragraph continues the report
    ("IRNA said the Iranian forces captured large amounts of munitions. Some 208 prisoners "
     "of war had been taken from the front.", "taken", ("IRNA",)),
    # ... but not across a paragraph break
    ("IRNA said the Iranian forces captured large amounts of munitions.\n\n"
     "Iran launched the new offensive on Tuesday night.", "launched", ()),
    # ... nor a second plain sentence
    ("IRNA said the Iranian forces captured large amounts of munitions. Some 208 prisoners "
     "of war had been taken. Iran launched the offensive on Tuesday.", "launched", ()),
])
def test_attribution_context_carries_speaker(parse, text, trigger, claimants):
    doc = parse(text)
    ctx = AttributionContext()
    target = _token(doc, trigger)
    for sent in doc.sents:
        ctx.observe(sent)  # the pipeline shows every sentence, with or without events
        if sent.start <= target.i < sent.end:
            assert attribute(sent, target, context=ctx).claimants == claimants


@pytest.mark.parametrize("article_id, quote, trigger, claimants", [
    ("dv03-1987-iran-kurdistan-fighting", "suffered 70 pct losses", "suffered",
     ("Iranian news agency IRNA",)),
    ("dv03-1987-iran-kurdistan-fighting", "IRNA said the Iranian forces captured large",
     "captured", ("IRNA",)),
    ("dv08-1987-chad-libya-battle", "the high command said 438 Libyans", "taken",
     ("Chad's military high command",)),
    ("dv01-1987-iran-offensive-end", "Iran said its forces had", "liberated", ("Iran",)),
])
def test_attribution_context_on_news_dev(parse, shared_data, article_id, quote, trigger,
                                        claimants):
    rows = (json.loads(line) for line in
            (shared_data / "news-dev" / "articles.jsonl").open(encoding="utf-8"))
    article = next(r for r in rows if r["id"] == article_id)
    doc = parse(article["text"])
    ctx = AttributionContext()
    found = None
    for sent in doc.sents:
        ctx.observe(sent)
        if quote in sent.text:
            start = sent.text.index(quote)
            tok = next(t for t in sent if t.text == trigger and t.idx >= sent.start_char + start)
            found = attribute(sent, tok, context=ctx)
    assert found is not None and found.claimants == claimants


@pytest.mark.parametrize("text", ["Iran said its troops advanced. Iraq denied it."])
def test_attribution_trigger_outside_sentence_raises(parse, text):
    doc = parse(text)
    first, second = list(doc.sents)[:2]
    with pytest.raises(ValueError, match="E-ATTR-TRIGGER"):
        attribute(first, second[0])


@pytest.mark.parametrize("kind, cue", [
    ("report", "say"), ("report_object", "report"), ("accuse", "accuse"), ("quote", "quote"),
    ("cite", "cite"), ("source_prep", "according to"), ("hedge", "reportedly"),
    ("document", "statement"), ("deny", "deny"), ("intent_modal", "would"),
])
def test_attribution_cues_pinned(kind, cue):
    cues = load_cues()
    assert set(cues.kinds) == set(CUE_KINDS)
    assert cues.has(kind, cue)
