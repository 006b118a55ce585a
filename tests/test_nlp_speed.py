"""The attribute ruler's indexed matching and the cached lemmatizer (eventwire.nlp.speed_up)
must leave every token exactly as the stock pipeline does."""
import json

import pytest
import spacy

from eventwire import nlp as _nlp
from eventwire.settings import DEFAULT

# Texts that reach the ruler's rarer patterns: multi-token ones ("gon na", "got ta", "let 's",
# "y' all", "ai n't"), its regular expressions ("nothin'"), dependency tests ("it" as object,
# "there is", auxiliaries), and runs of whitespace.
TRICKY = [
    "I'm gonna tell you, y'all ain't got nothin' on us. We gotta go. Let's go, c'mon!",
    "There is a deal.  There are two.\n\nThey gave it to me and I thanked you for it.",
    "Did he do it? He did. They have had enough; we do not, he does n't, isn't that so?",
    "Whether or not that is true, because the minister said so, the talks will resume.",
]


def _tokens(doc):
    return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, str(t.morph), t.ent_iob_,
             t.ent_type_, t.is_sent_start, t.whitespace_) for t in doc]


@pytest.fixture(scope="module")
def stock():
    return spacy.load(DEFAULT.model)


@pytest.fixture(scope="module")
def news_texts(shared_data):
    rows = [json.loads(line) for line in
            (shared_data / "news-dev" / "articles.jsonl").read_text().splitlines() if line]
    return [r["text"] for r in rows[:20]]


def test_loaded_pipeline_uses_the_faster_equivalents(nlp):
    assert isinstance(nlp.get_pipe("attribute_ruler").match, _nlp.IndexedRulerMatch)
    assert isinstance(nlp.get_pipe("lemmatizer").lemmatize, _nlp.CachedLemmatize)
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert index and all(isinstance(v, frozenset) and v for v in index.values())
    _nlp.speed_up(nlp)  # applying it twice does not wrap twice
    assert isinstance(nlp.get_pipe("lemmatizer").lemmatize.lemmatize, type(
        spacy.load(DEFAULT.model).get_pipe("lemmatizer").lemmatize))


def test_same_tokens_as_the_stock_pipeline_on_news_articles(stock, news_texts):
    fast = _nlp.speed_up(spacy.load(DEFAULT.model))
    texts = news_texts + TRICKY
    for text, a, b in zip(texts, stock.pipe(texts), fast.pipe(texts)):
        assert _tokens(a) == _tokens(b), text[:60]
    # cached on the forms the patterns name, not on every word: a few hundred keys
    assert 0 < len(fast.get_pipe("attribute_ruler").match.cache) < 2000


def test_same_matches_as_the_ruler_matcher_including_rare_patterns(stock):
    ruler = stock.get_pipe("attribute_ruler")
    indexed = _nlp.IndexedRulerMatch(ruler)
    assert len(indexed.multi) >= 5  # the multi-token and unusual patterns stay with a Matcher
    hits = 0
    for doc in stock.pipe(TRICKY * 2):  # twice: the second pass answers from the cache
        expected = ruler.match(doc)
        assert indexed(doc) == expected
        hits += len(expected)
    assert hits > 50


def test_patterns_with_other_operators_go_to_the_matcher(stock):
    ruler = stock.get_pipe("attribute_ruler").__class__(stock.vocab)
    ruler.add([[{"LENGTH": {">": 6}}]], {"LEMMA": "long"})
    ruler.add([[{"TAG": "NNP"}]], {"LEMMA": "proper"})
    ruler.add([[{"LOWER": {"FUZZY": "teheran"}}]], {"LEMMA": "city"})
    indexed = _nlp.IndexedRulerMatch(ruler)
    assert [attr for attr, _, _ in indexed.single] == [1]
    doc = stock("Ministers met in Tehran yesterday.")
    assert indexed(doc) == ruler.match(doc)
    assert {m[0] for m in indexed(doc)} == {0, 1, 2}


def test_lemma_cache_answers_like_the_lemmatizer_and_is_bounded(stock):
    lemmatizer = stock.get_pipe("lemmatizer")
    cached = _nlp.CachedLemmatize(lemmatizer.lemmatize)
    cached.MAX_CACHE = 5
    doc = stock("The ministers were meeting and had met; talks are held, he holds talks.")
    for _ in range(2):
        for tok in doc:
            assert cached(tok) == lemmatizer.lemmatize(tok)
            assert len(cached.cache) <= cached.MAX_CACHE + 1
