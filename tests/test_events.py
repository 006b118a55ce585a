"""Events: triggers in parsed wire sentences -> event candidates (DESIGN.md ``events.py``).

CAMEO codes for clear triggers, who acts on whom, modality (negated, intended, hypothetical)
and CAMEO's tense rule (announced acts become 03x/13x, ``intent_code``). Conventions are those
of ANNOTATION.md ("Fields": cameo, modality).
"""
import pytest

from eventwire import ontology
from eventwire.events import Candidate, intent_code, intent_codes, is_symmetric
from eventwire.pipeline import default_coder


def _candidates(parse, text) -> list[Candidate]:
    doc = parse(text)
    extractor = default_coder().extractor
    return [c for sent in doc.sents for c in extractor.candidates(sent)]


def _by_trigger(parse, text, trigger) -> list[Candidate]:
    found = [c for c in _candidates(parse, text) if c.trigger.text == trigger]
    assert found, f"no candidate for {trigger!r} in {text!r}"
    return found


@pytest.mark.parametrize("text, trigger, prefix", [
    # why: a meeting between two named leaders is a consultation (04x)
    ("Turkish President Recep Tayyip Erdogan met Russian President Vladimir Putin in Sochi on "
     "Friday.", "met", "04"),
    # why: "met ... at <place>" happened: a meeting (04x), not an intent to meet (036)
    ("Israeli Prime Minister Benjamin Netanyahu met US President Joe Biden at the White House "
     "on Monday.", "met", "04"),
    # why: "held a summit" is a meeting (gold ex06: "Kim held a summit with Moon" = 040)
    ("North Korean leader Kim Jong Un held a summit with South Korean President Moon Jae-in "
     "in April.", "held", "04"),
    # why: "held talks" is CAMEO 046 (ANNOTATION.md)
    ("Syrian Foreign Minister Faisal Mekdad held talks in Tehran on Monday.", "held", "046"),
    # why: shooting down an aircraft is conventional military force (19x)
    ("In 2018, Syrian troops accidentally downed a Russian aircraft over the Mediterranean.",
     "downed", "19"),
    ("Israeli warplanes struck targets near Damascus on Tuesday.", "struck", "19"),
    # why: "accused X of" is CAMEO 112 (accuse of crime/aggression)
    ("Iran accused the United States of meddling in its internal affairs on Wednesday.",
     "accused", "112"),
    # why: arrest and detention is CAMEO 173
    ("Turkish police arrested 12 suspected Islamic State militants in Istanbul on Tuesday.",
     "arrested", "173"),
    # why: imposing sanctions is CAMEO 163 (embargo, boycott, sanctions)
    ("The European Union imposed sanctions on Russia on Friday.", "imposed", "163"),
    # why: shelling is artillery fire, CAMEO 194
    ("Ukraine's military said Russian forces had shelled Kharkiv overnight.", "shelled", "194"),
])
def test_events_trigger_codes(parse, text, trigger, prefix):
    cand, *_ = _by_trigger(parse, text, trigger)
    assert cand.code.startswith(prefix), cand.code
    assert cand.modality == "asserted"


@pytest.mark.parametrize("text, trigger, source, target", [
    # why: subject acts on the direct object
    ("Iran accused the United States of meddling in its internal affairs on Wednesday.",
     "accused", "Iran", "States"),
    ("In 2018, Syrian troops accidentally downed a Russian aircraft over the Mediterranean.",
     "downed", "troops", "aircraft"),
    # why: the object of a directional preposition is the target ("sanctions on Russia")
    ("The European Union imposed sanctions on Russia on Friday.", "imposed", "Union", "Russia"),
    ("Turkish President Recep Tayyip Erdogan met Russian President Vladimir Putin in Sochi on "
     "Friday.", "met", "Erdogan", "Putin"),
])
def test_events_source_and_target_from_parse(parse, text, trigger, source, target):
    cand, = _by_trigger(parse, text, trigger)
    assert cand.source.text == source
    assert target in [t.text for t in cand.direct]
    assert cand.targets[: len(cand.direct)] == cand.direct  # parse-attached targets first


@pytest.mark.parametrize("text, trigger, place", [
    # why: "in Tehran" is where the talks were held, not a party to them
    ("Syrian Foreign Minister Faisal Mekdad held talks in Tehran on Monday.", "held", "Tehran"),
    ("Turkish police arrested 12 suspected Islamic State militants in Istanbul on Tuesday.",
     "arrested", "Istanbul"),
    ("Turkish President Recep Tayyip Erdogan met Russian President Vladimir Putin in Sochi on "
     "Friday.", "met", "Sochi"),
])
def test_events_place_is_not_a_target(parse, text, trigger, place):
    for cand in _by_trigger(parse, text, trigger):
        assert place not in [t.text for t in cand.targets]


@pytest.mark.parametrize("text, trigger, modality, prefix", [
    # why: negation of the act itself
    ("Russian forces did not attack Kyiv on Monday.", "attack", "negated", "19"),
    ("Israel did not attack Iranian nuclear sites, the army said.", "attack", "negated", "19"),
    # why: "is willing to support" is an intent: 03x, never the material act itself
    ("Tehran is willing to support Damascus in rebuilding its armed forces.", "support",
     "intended", "03"),
    ("Russia is willing to supply Iran with fighter jets.", "supply", "intended", "03"),
    # why: "could attack" and conditionals are speculation
    ("Russia could attack Ukraine in the coming weeks, US officials said.", "attack",
     "hypothetical", "19"),
    ("Iran could attack Israel if its nuclear sites are struck, officials warned.", "attack",
     "hypothetical", "19"),
    ("If Russia invades Ukraine, the United States will impose severe sanctions, Biden said.",
     "invades", "hypothetical", "19"),
    # why: future in the past under "said ... would" is an announced act: intended, and
    # CAMEO's tense rule gives the intent code (03x cooperative, 13x conflictual); a threat
    # (13x) is itself a speech act that happened: asserted (ANNOTATION.md, modality)
    ("Iranian officials said Tehran would supply Damascus with air defence systems.", "supply",
     "intended", "03"),
    ("The foreign minister said Iran would provide military aid to Syria.", "provide",
     "intended", "03"),
    ("The foreign minister said the European Union would impose sanctions on Russia.", "impose",
     "asserted", "13"),
    # why: "agreed to" a truce is an intent (ANNOTATION.md: every 03x code is intended)
    ("Armenia and Azerbaijan agreed to a humanitarian ceasefire on Saturday.", "agreed",
     "intended", "03"),
])
def test_events_modality(parse, text, trigger, modality, prefix):
    for cand in _by_trigger(parse, text, trigger):
        assert cand.modality == modality
        assert cand.code.startswith(prefix), cand.code


@pytest.mark.parametrize("text, trigger", [
    # why: DESIGN.md: "Tehran is willing to support Damascus" is an intent (03x), not
    # material aid (06x/07x) nor diplomatic cooperation (05x)
    ("Tehran is willing to support Damascus in rebuilding its armed forces and strengthening "
     "its air defences, Baqeri said.", "support"),
    ("Russia is willing to supply Iran with fighter jets.", "supply"),
])
def test_events_intent_is_never_the_act(parse, text, trigger):
    for cand in _by_trigger(parse, text, trigger):
        assert cand.code[:2] not in ("05", "06", "07")
        assert cand.code[:2] == "03"


@pytest.mark.parametrize("text, trigger, sources", [
    # why: conjoined actors acting on a third party give one candidate each
    ("Russia and Iran have fought Islamic State militants in Syria since 2015.",
                 "fought", ["Russia", "Iran"]),
    ("In 2012, the United States and the European Union imposed sweeping sanctions on Iran's "
     "oil exports.", "imposed", ["States", "Union"]),
])
def test_events_conjoined_sources(parse, text, trigger, sources):
    cands = _by_trigger(parse, text, trigger)
    assert [c.source.text for c in cands] == sources
    assert len({c.code for c in cands}) == 1


@pytest.mark.parametrize("text, trigger, source, target", [
    # why: symmetric act between conjoined parties with no other target: one event, the
    # first-named party as source (ANNOTATION.md)
    ("Armenia and Azerbaijan clashed along their border.", "clashed", "Armenia", "Azerbaijan"),
    # why: ... and a time expression ("on Tuesday") is not a party to the act
    ("Armenia and Azerbaijan clashed along their border on Tuesday.", "clashed", "Armenia",
     "Azerbaijan"),
    # why: ... nor is an object that names no party ("a war")
    ("Armenia and Azerbaijan fought a six-week war over Nagorno-Karabakh in 2020.", "fought",
     "Armenia", "Azerbaijan"),
])
def test_events_symmetric_conjoined_parties(parse, text, trigger, source, target):
    cand, = _by_trigger(parse, text, trigger)
    assert cand.symmetric
    assert (cand.source.text, cand.targets[0].text) == (source, target)


@pytest.mark.parametrize("text, governing, governed", [
    # why: "denied attacking": the denial is the event, not an attack
    ("Iran denied attacking the tanker in the Gulf of Oman.", "denied", "attacking"),
])
def test_events_governed_act_is_not_an_event(parse, text, governing, governed):
    triggers = [c.trigger.text for c in _candidates(parse, text)]
    assert governing in triggers
    assert governed not in triggers


@pytest.mark.parametrize("code, expected", [
    # why: CAMEO's tense rule, from data/intent_codes.tsv (longest prefix wins)
    ("042", "036"),    # a visit announced -> intent to meet
    ("040", "036"),
    ("0841", "0353"),  # release of persons -> intent to release persons
    ("085", "0354"),   # ease economic sanctions
    ("072", "0332"),   # military aid -> intent to provide military aid
    ("070", "033"),
    ("061", "0311"),
    ("190", "138"),    # announced force -> threaten with military force
    ("163", "1312"),   # announced sanctions -> threaten with sanctions
    # why: an announced arrest is a threat of repression, CAMEO 137 ("threats to imprison");
    # CAMEO has no 1371
    ("173", "137"),
    # why: already intents, threats or verbal acts stay as they are
    ("036", "036"),
    ("138", "138"),
    ("112", "112"),
    ("010", "010"),
])
def test_events_intent_code(code, expected):
    assert intent_code(code) == expected


@pytest.mark.parametrize("table", [
    # why: every intent code must be a CAMEO code, or ontology.cameo() raises E-CAMEO while
    # coding (the whole article fails)
    ("data/intent_codes.tsv"),
])
def test_events_intent_codes_are_cameo_codes(table):
    unknown = []
    for act, intent in intent_codes().items():
        try:
            ontology.cameo(intent)
        except ontology.UnknownCode:
            unknown.append((act, intent))
    assert not unknown


@pytest.mark.parametrize("code, symmetric", [
    ("040", True), ("046", True), ("190", True), ("036", True),
    ("112", False), ("173", False), ("163", False),
])
def test_events_is_symmetric(code, symmetric):
    assert is_symmetric(code) is symmetric


@pytest.mark.parametrize("text, trigger, code, source, target", [
    # why: talks, meetings and visits named in a circumstantial phrase ("after talks with",
    # "on a visit to") are acts of the clause's subject, the noun's partner is the target
    ("The Greek premier flew home after talks with Turkish President Erdogan in Ankara.",
     "talks", "046", "premier", "Erdogan"),
    ("Blinken, on a visit to Egypt, urged restraint.", "visit", "042", "Blinken", "Egypt"),
    ("Modi spoke to reporters after his meeting with Biden on Friday.", "meeting", "040",
     "Modi", "Biden"),
])
def test_events_meeting_noun_in_circumstantial_phrase(parse, text, trigger, code, source,
                                                      target):
    cand, = _by_trigger(parse, text, trigger)
    assert (cand.code, cand.source.text, cand.targets[0].text) == (code, source, target)


@pytest.mark.parametrize("text, noun", [
    # why: an act's object is not an event of its own (the condemnation is the event), and a
    # meeting without a named partner gives no dyad
    ("The EU condemned the talks with the junta.", "talks"),
    ("The minister left after the meeting.", "meeting"),
    ("Egypt condemned the Israeli attack on the convoy.", "attack"),
])
def test_events_bare_noun_without_circumstance_is_no_event(parse, text, noun):
    assert noun not in [c.trigger.text for c in _candidates(parse, text)]


@pytest.mark.parametrize("text, trigger, source", [
    # why: a gerund after a temporal preposition shares the subject of its clause
    ("Scholz told reporters after meeting Macron in Paris that the plan was dead.", "meeting",
     "Scholz"),
    ("After storming the village, the rebels withdrew to the hills.", "storming", "rebels"),
])
def test_events_gerund_after_temporal_preposition(parse, text, trigger, source):
    cand, = _by_trigger(parse, text, trigger)
    assert cand.source.text == source


@pytest.mark.parametrize("text, trigger, code, source, target", [
    # why: "X drew criticism from Y" is Y criticising X (received_acts.tsv)
    ("Israel's settlement plan drew sharp criticism from the European Union on Monday.",
     "drew", "111", "Union", "plan"),
    ("The crown prince faced condemnation from Turkey over the killing.", "faced", "111",
     "Turkey", "prince"),
    ("Kenya won praise from the United Nations for its refugee policy.", "won", "051",
     "Nations", "Kenya"),
])
def test_events_received_act_source_is_the_from_phrase(parse, text, trigger, code, source,
                                                       target):
    cand, = _by_trigger(parse, text, trigger)
    assert (cand.code, cand.source.text, cand.targets[0].text) == (code, source, target)


def test_events_received_act_without_from_phrase_is_no_event(parse):
    assert "drew" not in [c.trigger.text for c in _candidates(parse, "The plan drew criticism.")]


@pytest.mark.parametrize("text, trigger, code, source, target", [
    # why: a judging adjective in reported speech is the speaker's criticism of its subject
    ("The Chinese ministry said the American sanctions were unacceptable.", "unacceptable",
     "111", "ministry", "sanctions"),
    ("Moscow called the referendum illegal.", "illegal", "111", "Moscow",
     "referendum"),
    # why: an experiencer adjective is its subject's comment (CAMEO 013)
    ("Turkish officials were optimistic about the talks with Greece.", "optimistic", "013",
     "officials", None),
])
def test_events_judging_and_experiencer_adjectives(parse, text, trigger, code, source, target):
    cand, = _by_trigger(parse, text, trigger)
    assert (cand.code, cand.source.text) == (code, source)
    if target is not None:
        assert cand.targets[0].text == target


@pytest.mark.parametrize("text", [
    "The illegal occupation of the territory continued for decades.",  # attributive
    "The vote was illegal.",  # nobody judges
])
def test_events_judging_adjective_without_judge_is_no_event(parse, text):
    assert not [c for c in _candidates(parse, text) if c.trigger.pos_ == "ADJ"]


@pytest.mark.parametrize("text, trigger, code", [
    # why: a proposal or invitation to meet is an intent to meet (docs/annotation.md: 036)
    ("Hamas proposed holding talks with Fatah in Cairo.", "holding", "036"),
    ("The king invited the Iraqi premier to visit Amman.", "visit", "036"),
])
def test_events_proposal_to_meet_is_an_intent(parse, text, trigger, code):
    cand, = _by_trigger(parse, text, trigger)
    assert (cand.code, cand.modality) == (code, "intended")


@pytest.mark.parametrize("text, trigger, source", [
    # why: with object-control verbs the object does the inner act
    ("The bombing led President Macron to order air strikes on the camp.", "order", "Macron"),
    ("The crisis prompted Germany to send troops to Lithuania.", "send", "Germany"),
])
def test_events_object_control_verbs(parse, text, trigger, source):
    cand, = _by_trigger(parse, text, trigger)
    assert cand.source.text == source


@pytest.mark.parametrize("text, trigger, code", [
    # why: the weapon named as subject/agent gives the specific CAMEO code of the killing
    ("Four soldiers were killed by a suicide bomber in Kabul.", "killed", "1831"),
    ("An Israeli airstrike killed 20 people in Rafah.", "killed", "195"),
    # why: people as subject leave the generic code
    ("Israeli troops killed two Palestinian gunmen.", "killed", "190"),
])
def test_events_weapon_subject_refines_the_code(parse, text, trigger, code):
    assert {c.code for c in _by_trigger(parse, text, trigger)} == {code}


def test_events_to_blame_is_the_speakers_accusation(parse):
    text = "The Kremlin said on Sunday that the United States was to blame for the crisis."
    cand, = _by_trigger(parse, text, "blame")
    assert (cand.code, cand.source.text, cand.targets[0].text) == ("112", "Kremlin", "States")
    assert "blame" not in [c.trigger.text for c in _candidates(
        parse, "The United States was to blame for the crisis.")]


@pytest.mark.parametrize("sentence,denied", [
    ("Moscow said the accusations were baseless.", True),
    ("Russia called the allegations absurd.", True),
    ("The Kremlin said the reports were false and unfounded.", True),
    ("Moscow said the figures were false.", False),  # said of no claim: not a denial
    ("He repeated false claims about the vote.", False),  # attributive, no one judges
])
def test_events_calling_a_claim_false_is_a_denial_by_the_speaker(parse, sentence, denied):
    from eventwire.events import EventExtractor
    from eventwire.verbs import TriggerLexicon
    extractor = EventExtractor(TriggerLexicon.load())
    found = [c for s in parse(sentence).sents for c in extractor.candidates(s)
             if c.code == "016"]
    if not denied:
        assert found == []
        return
    assert len(found) >= 1
    assert {c.source.text for c in found} <= {"Moscow", "Russia", "Kremlin"}
    assert all(not c.targets for c in found)  # the claim is no actor
