from importlib import resources

import pytest

from eventwire.ontology import is_code
from eventwire.verbs import BLOCK, NOUN_COLUMNS, VERB_COLUMNS, TriggerLexicon


@pytest.fixture(scope="module")
def lexicon():
    return TriggerLexicon.load()


def _match_word(lexicon, doc, word):
    token = next(t for t in doc if t.text == word)
    return lexicon.match(token)


@pytest.mark.parametrize("sentence,trigger,code", [
    ("Syria's Defense Minister met Iran's Chief of Staff in Tehran on Sunday.", "met", "040"),
    ("Syrian troops downed a Russian aircraft over Latakia in 2018.", "downed", "190"),
    ("Moscow held Israel responsible for the loss of the plane.", "held", "112"),
    ("Police arrested dozens of protesters in central Tehran.", "arrested", "173"),
    ("Iran denied the report.", "denied", "016"),
    ("The United States imposed sanctions on Iran.", "imposed", "163"),
    ("Sanctions were imposed on Iran by the European Union.", "imposed", "163"),
    ("The two foreign ministers held talks in Ankara on Tuesday.", "held", "046"),
    ("Israel carried out airstrikes on Gaza overnight.", "carried", "195"),
    ("Opposition supporters staged a protest outside parliament.", "staged", "141"),
    ("NATO on Monday declined to comment on the report.", "declined", "011"),
    ("Russian forces shelled the city of Kharkiv.", "shelled", "194"),
    ("Turkey called for an immediate ceasefire in Gaza.", "called", "0256"),
    ("Beijing condemned the visit as a provocation.", "condemned", "111"),
    ("Kyiv accused Moscow of shelling the nuclear plant.", "accused", "112"),
    ("The militants claimed responsibility for the attack.", "claimed", "015"),
    ("Iran expressed condolences to Syria over the deaths.", "expressed", "018"),
    ("Teachers went on strike in Paris on Thursday.", "went", "143"),
    ("Hamas freed two hostages on Friday.", "freed", "0841"),
    ("Russia vetoed the Security Council resolution.", "vetoed", "129"),
    ("The two leaders signed a peace agreement in Washington.", "signed", "057"),
    ("Japan pledged aid to the flood victims.", "pledged", "033"),
])
def test_verbs_sentence_trigger_code(lexicon, parse, sentence, trigger, code):
    match = _match_word(lexicon, parse(sentence), trigger)
    assert match is not None and match.code == code, match


@pytest.mark.parametrize("sentence,trigger,root", [
    ("Syria's Defense Minister met Iran's Chief of Staff in Tehran.", "met", "04"),
    ("Syrian troops downed a Russian aircraft.", "downed", "19"),
])
def test_verbs_root_of_matched_code(lexicon, parse, sentence, trigger, root):
    assert _match_word(lexicon, parse(sentence), trigger).code[:2] == root


@pytest.mark.parametrize("sentence,trigger", [
    ("The army held a press conference in Damascus.", "held"),  # a '---' row blocks 'hold'
    ("The ministry released a statement on Monday.", "released"),
    ("Officials said the talks would continue.", "said"),  # 010 is not coded
])
def test_verbs_no_event_returns_none(lexicon, parse, sentence, trigger):
    assert _match_word(lexicon, parse(sentence), trigger) is None


@pytest.mark.parametrize("sentence,trigger,code,specificity,noun", [
    ("Israel carried out airstrikes on Gaza.", "carried", "195", 2, "airstrikes"),
    ("The two ministers held talks in Ankara.", "held", "046", 1, "talks"),
    ("Israel launched an attack on the town.", "launched", "190", 1, "attack"),
])
def test_verbs_light_verb_reports_the_event_noun(lexicon, parse, sentence, trigger, code,
                                                 specificity, noun):
    doc = parse(sentence)
    match = _match_word(lexicon, doc, trigger)
    assert (match.code, match.specificity, doc[match.noun_i].text) == (code, specificity, noun)
    assert doc[match.token_i].text == trigger


@pytest.mark.parametrize("sentence,noun,code", [
    ("Israeli airstrikes killed 20 people in Gaza.", "airstrikes", "195"),
    ("The air strike hit a school.", "strike", "195"),  # phrase 'air strike' beats nothing
])
def test_verbs_event_noun_alone(lexicon, parse, sentence, noun, code):
    match = _match_word(lexicon, parse(sentence), noun)
    assert (match.code, match.origin) == (code, "eventwire")


@pytest.mark.parametrize("sentence,trigger,bare,specific", [
    # object-constrained beats bare lemma: kill 190 vs kill in airstrike 195
    ("Ten civilians were killed in an airstrike on Idlib.", "killed", "190", "195"),
])
def test_verbs_most_specific_pattern_wins(lexicon, parse, sentence, trigger, bare, specific):
    match = _match_word(lexicon, parse(sentence), trigger)
    assert match.code == specific and match.specificity >= 2
    assert lexicon.entries("kill")[-1].specificity == 0
    assert any(e.code == bare and e.specificity == 0 for e in lexicon.entries("kill"))


@pytest.mark.parametrize("sentence,trigger,code", [
    ("Russia agreed to meet Ukrainian officials in Istanbul.", "agreed", "036"),
])
def test_verbs_xcomp_still_matches_the_governing_verb(lexicon, parse, sentence, trigger, code):
    assert _match_word(lexicon, parse(sentence), trigger).code == code


@pytest.mark.parametrize("lemma", ["meet", "attack", "arrest", "accuse", "stage", "carry"])
def test_verbs_lemmas_include_wire_verbs(lexicon, lemma):
    assert lemma in lexicon.lemmas()


@pytest.mark.parametrize("name,columns", [("verbs.tsv", VERB_COLUMNS),
                                          ("nouns.tsv", NOUN_COLUMNS),
                                          ("lemma_fixes.tsv", ("form", "lemma", "note"))])
def test_verbs_data_files_keys_and_columns(name, columns):
    text = resources.files("eventwire").joinpath("data", name).read_text(encoding="utf-8")
    rows = [ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#")]
    assert tuple(rows[0]) == columns
    assert all(len(r) == len(columns) for r in rows[1:])
    if "code" in columns:
        codes = {r[columns.index("code")] for r in rows[1:]}
        assert all(is_code(c) or c == BLOCK for c in codes)
        assert not codes & {"010", "014", "017"}  # statements ANNOTATION.md does not code
    if name == "verbs.tsv":
        origins = {r[-1] for r in rows[1:]}
        assert origins == {"petrarch2", "eventwire"}
        keys = [tuple(r[:5]) for r in rows[1:] if r[-1] == "petrarch2"]
        assert len(keys) == len(set(keys)) > 10000  # generated rows are deduplicated
        assert all(r[0] == r[0].lower() and " " not in r[0] for r in rows[1:])


@pytest.mark.parametrize("row,error", [
    ({"lemma": "meet"}, KeyError),
])
def test_verbs_from_rows_requires_all_columns(row, error):
    with pytest.raises(error):
        TriggerLexicon.from_rows([row])


def _match_by_scan(lexicon, token):
    """match() as it was before its rows were indexed by constraint: every row of the lemma,
    most specific first."""
    from eventwire.verbs import TriggerMatch, _lemma, _objects, _preps
    lemma = lexicon._fixes.get(token.text.lower(), _lemma(token))
    if token.pos_ in ("NOUN", "PROPN"):
        return lexicon._match_noun(token, lemma)
    particles = {_lemma(c) for c in token.children
                 if c.dep_ == "prt" or (c.dep_ == "advmod" and c.pos_ == "ADP")}
    objects = _objects(token)
    preps = _preps(token, objects)
    for entry in lexicon.entries(lemma):
        noun = lexicon._check(entry, particles, objects, preps)
        if noun is not False:
            return None if entry.code == BLOCK else TriggerMatch(
                entry.code, token.i, entry.pattern, entry.origin, entry.specificity,
                noun.i if entry.nominal else None)
    return None


def test_verbs_indexed_match_equals_a_scan_of_every_row(lexicon, nlp, shared_data):
    """The constraint index (issue 6) skips only rows that cannot hold: on every verb of the
    news-dev articles the match is the one a scan of all rows finds."""
    import json
    path = shared_data / "news-dev" / "articles.jsonl"
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")][:25]
    matched = specific = 0
    for doc in nlp.pipe(texts):
        for tok in doc:
            if tok.pos_ in ("VERB", "AUX", "NOUN"):
                got = lexicon.match(tok)
                assert got == _match_by_scan(lexicon, tok), tok.sent.text
                matched += got is not None
                specific += got is not None and got.specificity > 0
    assert matched > 300 and specific > 50
