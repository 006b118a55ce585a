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


# Wire idioms with a curated row (origin eventwire, so the learned model does not veto them as
# bare dictionary verbs); the PETRARCH rows for most of these say 110 or nothing.
@pytest.mark.parametrize("sentence,trigger,code", [
    ("The foreign minister rebuked Ankara for its border policy.", "rebuked", "111"),
    ("The opposition hit out at the cabinet over fuel prices.", "hit", "111"),
    ("Jordan expressed outrage at the raid on the mosque.", "expressed", "111"),
    ("Seoul deplored the missile launch.", "deplored", "111"),
    ("The ministry refuted the accusation on Sunday.", "refuted", "016"),
    ("Moscow called the allegations baseless.", "called", "016"),
    ("The embassy dismissed the charges as politically motivated.", "dismissed", "016"),
    ("Hanoi rebuffed the proposal.", "rebuffed", "120"),
    ("Iran turned down the European offer.", "turned", "120"),
    ("The premier brushed the demand off.", "brushed", "120"),
])
def test_verbs_curated_wire_idioms(lexicon, parse, sentence, trigger, code):
    match = _match_word(lexicon, parse(sentence), trigger)
    assert match is not None and (match.code, match.origin) == (code, "eventwire"), match


@pytest.mark.parametrize("sentence,trigger,code,noun", [
    ("Kenya and Somalia reached a deal on the border.", "reached", "057", "deal"),
    ("The two governments reached an agreement on fishing rights.", "reached", "057",
     "agreement"),
    ("The president renewed his denial of the charges.", "renewed", "016", "denial"),
])
def test_verbs_light_verb_idioms(lexicon, parse, sentence, trigger, code, noun):
    doc = parse(sentence)
    match = _match_word(lexicon, doc, trigger)
    assert match is not None and match.code == code and doc[match.noun_i].text == noun, match


@pytest.mark.parametrize("sentence,trigger,code", [
    ("Israeli jets struck militant positions overnight.", "struck", "190"),
    ("Police shot dead two protesters in the capital.", "shot", "190"),
    ("Soldiers fired at the crowd near the palace.", "fired", "190"),
    ("The explosion injured four soldiers.", "injured", "180"),
    ("China launched war games around the island on Monday.", "launched", "150"),
    ("Manila and Washington held joint exercises in the South China Sea.", "held", "062"),
])
def test_verbs_force_and_exercise_rows(lexicon, parse, sentence, trigger, code):
    match = _match_word(lexicon, parse(sentence), trigger)
    assert match is not None and (match.code, match.origin) == (code, "eventwire"), match


def test_verbs_fire_without_target_is_not_force(lexicon, parse):
    # 'fired the minister' is a dismissal, not an attack: no curated row for bare 'fire'
    match = _match_word(lexicon, parse("The president fired the defence minister."), "fired")
    assert match is None or match.origin != "eventwire"


@pytest.mark.parametrize("sentence,trigger,code", [
    ("EU lawmakers proposed sanctions on Iranian officials.", "proposed", "1312"),
    ("Police officers carried out a protest outside parliament.", "carried", "141"),
    ("Thousands of nurses began a strike on Monday.", "began", "143"),
])
def test_verbs_protest_strike_and_sanction_idioms(lexicon, parse, sentence, trigger, code):
    match = _match_word(lexicon, parse(sentence), trigger)
    assert match is not None and (match.code, match.origin) == (code, "eventwire"), match


def test_verbs_military_strike_is_not_a_labour_strike(lexicon, parse):
    match = _match_word(lexicon, parse("Israel launched a strike on the camp."), "launched")
    assert match is None or match.code != "143"


@pytest.mark.parametrize("sentence,trigger,code", [
    ("The Pope appealed to both sides to end the fighting.", "appealed", "020"),
    ("Aid agencies appealed for calm in the capital.", "appealed", "020"),
    ("The mayor pleaded with the rebels to spare the town.", "pleaded", "020"),
    ("The unions pressed for higher wages.", "pressed", "100"),
])
def test_verbs_appeal_idioms(lexicon, parse, sentence, trigger, code):
    match = _match_word(lexicon, parse(sentence), trigger)
    assert match is not None and (match.code, match.origin) == (code, "eventwire"), match


def test_verbs_court_appeal_and_guilty_plea_are_not_appeals(lexicon, parse):
    for sentence, trigger in (("The general pleaded guilty to the charges.", "pleaded"),
                              ("The company appealed the verdict.", "appealed")):
        match = _match_word(lexicon, parse(sentence), trigger)
        assert match is None or match.origin != "eventwire", match


@pytest.mark.parametrize("sentence,trigger", [
    ("Youths threw stones at the police station.", "threw"),
    ("Demonstrators pelted the soldiers with stones.", "pelted"),
])
def test_verbs_stone_throwing_is_a_riot(lexicon, parse, sentence, trigger):
    match = _match_word(lexicon, parse(sentence), trigger)
    assert match is not None and (match.code, match.origin) == ("145", "eventwire"), match


def test_verbs_warned_of_is_a_pessimistic_comment(lexicon, parse):
    match = _match_word(lexicon, parse("The UN warned of a humanitarian catastrophe."), "warned")
    assert (match.code, match.origin) == ("012", "eventwire")


@pytest.mark.parametrize("sentence,trigger,code", [
    # object lemmas are spaCy lemmas: 'troops' is 'troop'
    ("Pakistan sent troops to the border.", "sent", "154"),
    ("The junta withdrew its troops from the capital.", "withdrew", "087"),
    ("The rebels laid down their arms.", "laid", "0874"),
    ("Beijing lodged a protest with Washington over the visit.", "lodged", "114"),
    # protesting *to* someone is a complaint addressed to them; against something, a protest
    ("Japan protested to China over the incursion.", "protested", "114"),
    ("Farmers protested against the tax in Paris.", "protested", "141"),
    ("The White House said the bombings were barbaric.", "barbaric", "111"),
])
def test_verbs_troops_surrender_protest_note_and_judgements(lexicon, parse, sentence, trigger,
                                                            code):
    match = _match_word(lexicon, parse(sentence), trigger)
    assert match is not None and (match.code, match.origin) == (code, "eventwire"), match


def test_verbs_defending_a_decision_is_verbal(lexicon, parse):
    match = _match_word(lexicon, parse("Washington defended Israel's decision to close the "
                                       "crossing."), "defended")
    assert (match.code, match.origin) == ("052", "eventwire")


def test_verbs_joint_military_exercises_are_cooperation(lexicon, parse):
    match = _match_word(lexicon, parse("Iran and Syria held joint military exercises."), "held")
    assert match.code == "062"


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
