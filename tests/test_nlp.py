"""The per-doc caches of eventwire.nlp give exactly what spaCy gives (they replace Doc.text,
Doc.ents and Span.ents in the coding stages for speed, issue 6)."""
from pathlib import Path

import pytest
from spacy.tokens import Span

from eventwire import nlp as _nlp
from eventwire.ingest import iter_inputs
from eventwire.records import Article

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def docs(nlp, shared_data):
    """The bundled examples and the first 10 news-dev articles, parsed."""
    items = list(iter_inputs([ROOT / "examples" / "articles"]))
    items += list(iter_inputs([shared_data / "news-dev" / "articles.jsonl"]))[:10]
    texts = [a.text for a in items if isinstance(a, Article)]
    assert len(texts) >= 15
    return list(nlp.pipe(texts))


def _key(ents):
    return [(e.start, e.end, e.label_) for e in ents]


def test_doc_text_and_ents_equal_spacy(docs):
    for doc in docs:
        assert _nlp.doc_text(doc) == doc.text
        assert _nlp.doc_text(doc) is _nlp.doc_text(doc)  # built once
        assert _key(_nlp.doc_ents(doc)) == _key(doc.ents)


def test_sent_ents_equal_spacy_on_real_sentences(docs):
    checked = 0
    for doc in docs:
        for sent in doc.sents:
            assert _key(_nlp.sent_ents(sent)) == _key(sent.ents)
            checked += len(sent.ents)
    assert checked > 200


def test_sent_ents_equal_spacy_on_arbitrary_spans(docs):
    """Windows that cut entities in two: spaCy stops at the first entity that runs past the
    span's end and skips those starting before it; so must the bisection."""
    cut = 0
    for doc in docs[:5]:
        for start in range(0, len(doc), 3):
            for width in (1, 2, 5, 11):
                span = doc[start:start + width]
                assert _key(_nlp.sent_ents(span)) == _key(span.ents)
                cut += any(e.start < span.end < e.end for e in doc.ents)
    assert cut > 50


def test_sent_ents_stops_at_an_entity_crossing_the_end(parse):
    doc = parse("Officials in New York and Paris met leaders from Tehran on Monday.")
    doc.set_ents([Span(doc, 2, 4, "GPE"), Span(doc, 5, 6, "GPE"), Span(doc, 9, 10, "GPE")])
    span = doc[2:5]  # "New York and": Paris is outside, Tehran after it
    assert _key(_nlp.sent_ents(span)) == _key(span.ents) == [(2, 4, "GPE")]
    span = doc[3:10]  # starts inside "New York": that entity is not the span's
    assert _key(_nlp.sent_ents(span)) == _key(span.ents) == [(5, 6, "GPE"), (9, 10, "GPE")]
    span = doc[0:3]  # ends inside "New York": nothing, although the span has "New"
    assert _key(_nlp.sent_ents(span)) == _key(span.ents) == []
