"""Actors: noun phrases in wire sentences -> coded actors (DESIGN.md ``actors.py``).

Each case resolves the noun phrase it names with the resolver of the cached default coder, in
document order and with one ``ActorContext`` per text, as the pipeline does. Sentences are
realistic wire copy about well-documented events.
"""
from datetime import date

import pytest

from eventwire.actors import ActorContext, np_tokens
from eventwire.pipeline import default_coder
from eventwire.records import Actor


def _head(doc, phrase, nth=0):
    """The head token of the ``nth`` occurrence of ``phrase`` in the parsed text."""
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(phrase, start + 1)
    span = doc.char_span(start, start + len(phrase), alignment_mode="expand")
    assert span is not None, f"{phrase!r} does not align with tokens in {doc.text!r}"
    return span.root


def _resolve_all(parse, text, phrases, *, published=date(2023, 1, 24), home=None, ctx=None):
    """Resolve ``phrases`` (str, or (str, nth)) in order with one context; return the actors."""
    doc = parse(text)
    ctx = ctx or ActorContext(published=published, home=home)
    resolver = default_coder().resolver
    out = []
    for p in phrases:
        phrase, nth = (p, 0) if isinstance(p, str) else p
        out.append(resolver.resolve(_head(doc, phrase, nth), ctx))
    return out


MEETING = ("Syria's Defense Minister Ali Mahmoud Abbas met Iran's Chief of Staff General "
           "Mohammad Baqeri in Tehran on Monday.")


@pytest.mark.parametrize("text, phrase, code, country, role, name", [
    # why: possessive country + office + full name: the minister is government, named
    (MEETING, "Syria's Defense Minister Ali Mahmoud Abbas", "SYRGOV", "SYR", "GOV",
     "Ali Mahmoud Abbas"),
    # why: "Chief of Staff General" is a military office even with "of" inside the title
    (MEETING, "Iran's Chief of Staff General Mohammad Baqeri", "IRNMIL", "IRN", "MIL",
     "Mohammad Baqeri"),
    # why: demonym + force noun
    ("In 2018, Syrian troops accidentally downed a Russian aircraft over the Mediterranean.",
     "Syrian troops", "SYRMIL", "SYR", "MIL", None),
    # why: a military aircraft is a military actor of its country
    ("In 2018, Syrian troops accidentally downed a Russian aircraft over the Mediterranean.",
     "a Russian aircraft", "RUSMIL", "RUS", "MIL", None),
    # why: police are COP; Hong Kong is its own CAMEO country code
    ("Hong Kong police fired tear gas, rubber bullets and bean bag rounds at protesters "
     "outside the city's legislature on Wednesday.", "Hong Kong police", "HKGCOP", "HKG",
     "COP", None),
    ("Turkish police arrested 12 suspected Islamic State militants in Istanbul on Tuesday.",
     "Turkish police", "TURCOP", "TUR", "COP", None),
    # why: possessive country + "military"
    ("Myanmar's military detained State Counsellor Aung San Suu Kyi in Naypyitaw on Monday.",
     "Myanmar's military", "MMRMIL", "MMR", "MIL", None),
    # why: a ministry is a government organ
    ("Russian missiles struck military command centres in Kyiv, according to Ukraine's "
     "interior ministry.", "Ukraine's interior ministry", "UKRGOV", "UKR", "GOV", None),
    # why: "President" after the demonym, full name kept
    ("Iranian President Ebrahim Raisi met Syrian President Bashar al-Assad in Damascus on "
     "Wednesday.", "Syrian President Bashar al-Assad", "SYRGOV", "SYR", "GOV",
     "Bashar al-Assad"),
])
def test_actors_country_role_and_name(parse, text, phrase, code, country, role, name):
    actor, = _resolve_all(parse, text, [phrase])
    assert isinstance(actor, Actor)
    assert (actor.code, actor.country, actor.role, actor.name) == (code, country, role, name)
    assert actor.text == phrase
    assert text[actor.start:actor.end] == phrase  # offsets point at the phrase


@pytest.mark.parametrize("text, phrase, code, country", [
    # why: a capital as the subject of a political act is that country's government
    ("Moscow held Israel responsible, saying Israeli jets had used the Russian plane as cover.",
     "Moscow", "RUSGOV", "RUS"),
    ("Tehran is willing to support Damascus in rebuilding its armed forces, Baqeri said.",
     "Tehran", "IRNGOV", "IRN"),
    ("Tehran is willing to support Damascus in rebuilding its armed forces, Baqeri said.",
     "Damascus", "SYRGOV", "SYR"),
    ("Washington imposed new sanctions on Iran on Thursday.", "Washington", "USAGOV", "USA"),
])
def test_actors_capital_is_government(parse, text, phrase, code, country):
    actor, = _resolve_all(parse, text, [phrase])
    assert (actor.code, actor.country, actor.role) == (code, country, "GOV")
    assert actor.rule.startswith("capital")


@pytest.mark.parametrize("text, phrase, code", [
    # why: a country named alone has no role (ANNOTATION.md: role is optional)
    ("Moscow held Israel responsible, saying Israeli jets had used the Russian plane as cover.",
     "Israel", "ISR"),
    ("Iran accused the United States of meddling in its internal affairs on Wednesday.",
     "the United States", "USA"),
])
def test_actors_country_without_role(parse, text, phrase, code):
    actor, = _resolve_all(parse, text, [phrase])
    assert (actor.code, actor.country, actor.role, actor.name) == (code, code, None, None)


@pytest.mark.parametrize("text, phrase, code", [
    # why: IGOs get their short codes, with or without the office holder's title and name
    ("The European Union imposed sanctions on Russia on Friday.", "The European Union", "EU"),
    ("NATO Secretary-General Jens Stoltenberg called the invasion a reckless attack.",
     "NATO Secretary-General Jens Stoltenberg", "NATO"),
    ("UN Secretary-General Antonio Guterres strongly condemned the detention of Suu Kyi.",
     "UN Secretary-General Antonio Guterres", "UN"),
])
def test_actors_igo_codes(parse, text, phrase, code):
    actor, = _resolve_all(parse, text, [phrase])
    assert actor.code == code
    assert actor.country is None


@pytest.mark.parametrize("text, first, later, code, name", [
    # why: "Baqeri added" refers back to the chief of staff named earlier in the article
    (MEETING + " Baqeri added that Israel must be held accountable for its crimes.",
     "Iran's Chief of Staff General Mohammad Baqeri", ("Baqeri", 1), "IRNMIL",
     "Mohammad Baqeri"),
    (MEETING + " Abbas thanked Iran for standing by Syria during the war.",
     "Syria's Defense Minister Ali Mahmoud Abbas", ("Abbas", 1), "SYRGOV", "Ali Mahmoud Abbas"),
])
def test_actors_surname_refers_to_named_person(parse, text, first, later, code, name):
    _, actor = _resolve_all(parse, text, [first, later])
    assert (actor.code, actor.name, actor.text) == (code, name, later[0])
    assert actor.rule == "coref:name"


@pytest.mark.parametrize("text, people, pronoun, code, name", [
    # why: wire copy keeps its protagonist as subject: "He" is the subject of the previous
    # sentence (Raisi), not the last person named (Assad)
    ("Iranian President Ebrahim Raisi met Syrian President Bashar al-Assad in Damascus on "
     "Wednesday. He accused Israel of destabilising the region.",
     ["Iranian President Ebrahim Raisi", "Syrian President Bashar al-Assad"], "He", "IRNGOV",
     "Ebrahim Raisi"),
    ("Israeli Prime Minister Benjamin Netanyahu met US President Joe Biden at the White House "
     "on Monday. He thanked Biden for his support.",
     ["Israeli Prime Minister Benjamin Netanyahu", "US President Joe Biden"], "He", "ISRGOV",
     "Benjamin Netanyahu"),
])
def test_actors_pronoun_refers_to_named_subject(parse, text, people, pronoun, code, name):
    *_, actor = _resolve_all(parse, text, people + [pronoun])
    assert (actor.code, actor.name, actor.text) == (code, name, pronoun)
    assert actor.rule == "coref:pronoun"


@pytest.mark.parametrize("text, pronoun", [
    # why: no person named before the pronoun: nothing to refer to, so no actor is invented
    ("He accused Israel of destabilising the region.", "He"),
])
def test_actors_pronoun_without_antecedent_is_none(parse, text, pronoun):
    actor, = _resolve_all(parse, text, [pronoun])
    assert actor is None


@pytest.mark.parametrize("text, pronoun, code", [
    # why: "X said it would ...": the pronoun subject of a reported clause is the reporting
    # clause's subject when that is a country or organisation (coded even though "said" is
    # no event and was never resolved before)
    ("Iran said on Sunday it would retaliate against any attack on its nuclear sites.",
     "it", "IRN"),
    ("Russia's Defence Ministry said it had shot down two Ukrainian drones over Belgorod.",
     "it", "RUSGOV"),
    ("Syrian rebels announced they had captured the town of Saraqeb.", "they", "SYRREB"),
])
def test_actors_group_pronoun_is_governing_subject(parse, text, pronoun, code):
    actor, = _resolve_all(parse, text, [pronoun])
    assert (actor.code, actor.text, actor.rule) == (code, pronoun, "coref:pronoun-clause")


@pytest.mark.parametrize("text, pronoun", [
    # why: "it" never refers to a person: a person's clause gives "it" no antecedent
    ("Putin said it was a mistake to expand the alliance eastwards.", "it"),
    # why: a pronoun subject of a main clause is not resolved from earlier sentences
    # (measured: the latest-subject fallback lowered precision on news-dev)
    ("Iran tested a missile on Monday. It rejected calls for restraint.", "It"),
])
def test_actors_group_pronoun_without_clause_antecedent_is_none(parse, text, pronoun):
    *_, actor = _resolve_all(parse, text, [pronoun])
    assert actor is None


@pytest.mark.parametrize("text, parties, phrase, code, name", [
    # why: "the two leaders" after a two-party meeting are that pair; the first party is the
    # source (the pipeline takes the second as the target)
    ("US President Donald Trump met North Korean leader Kim Jong Un in Singapore on Tuesday. "
     "The two leaders signed a joint statement.",
     ["US President Donald Trump", "North Korean leader Kim Jong Un"], "The two leaders",
     "USAGOV", "Donald Trump"),
])
def test_actors_two_leaders_is_last_pair(parse, text, parties, phrase, code, name):
    ctx = ActorContext(published=date(2018, 6, 12))
    first, second = _resolve_all(parse, text, parties, ctx=ctx)
    assert (first.code, second.code) == ("USAGOV", "PRKGOV")
    ctx.last_pair = (first, second)  # what the pipeline records after the meeting event
    actor, = _resolve_all(parse, text, [phrase], ctx=ctx)
    assert (actor.code, actor.name, actor.rule) == (code, name, "coref:pair")


@pytest.mark.parametrize("text, phrases, codes", [
    # why: conjoined actors are separate actors; neither phrase swallows the other
    ("Russia and Iran have fought Islamic State militants in Syria since 2015.",
     ["Russia", "Iran"], [("RUS", "Russia"), ("IRN", "Iran")]),
    ("In 2012, the United States and the European Union imposed sweeping sanctions on Iran's "
     "oil exports.", ["the United States", "the European Union"],
     [("USA", "the United States"), ("EU", "the European Union")]),
])
def test_actors_conjuncts_are_separate(parse, text, phrases, codes):
    actors = _resolve_all(parse, text, phrases)
    assert [(a.code, a.text) for a in actors] == codes


@pytest.mark.parametrize("text, phrase", [
    # why: seas, weapons and aid are not political actors
    ("In 2018, Syrian troops accidentally downed a Russian aircraft over the Mediterranean.",
     "the Mediterranean"),
    ("The foreign minister said Iran would provide military aid to Syria.", "military aid"),
    ("Iranian-backed militias were behind a drone attack on the al-Tanf garrison.",
     "a drone attack"),
])
def test_actors_non_actors_are_none(parse, text, phrase):
    actor, = _resolve_all(parse, text, [phrase])
    assert actor is None


@pytest.mark.parametrize("text, phrase, home, code", [
    # why: a bare role word in a domestic story takes the dateline's country ("KYIV -" ...)
    ("Police fired tear gas at protesters in the capital on Sunday.", "Police", "UKR", "UKRCOP"),
    # why: ... and with no dateline and no country mentioned, there is nothing to code
    ("Police fired tear gas at protesters in the capital on Sunday.", "Police", None, None),
])
def test_actors_bare_role_takes_article_country(parse, text, phrase, home, code):
    actor, = _resolve_all(parse, text, [phrase], home=home)
    assert (actor.code if actor else None) == code


@pytest.mark.parametrize("text, phrase, published, code, country", [
    # why: codes are as of the event's time: Moscow in 1987 is the Soviet government
    ("Moscow condemned the American bombing raid.", "Moscow", date(1987, 5, 1), "SUNGOV", "SUN"),
    ("Moscow condemned the American bombing raid.", "Moscow", date(2023, 1, 24), "RUSGOV",
     "RUS"),
])
def test_actors_codes_as_of_publication(parse, text, phrase, published, code, country):
    actor, = _resolve_all(parse, text, [phrase], published=published)
    assert (actor.code, actor.country) == (code, country)


@pytest.mark.parametrize("home, mentions, expected", [
    # why: a dateline country the story talks about is the story's country
    ("UKR", ["RUS", "RUS", "UKR"], "UKR"),
    # why: a dateline abroad ("MOSCOW -" on an Armenia story) does not make the story Russian
    ("RUS", ["ARM", "AZE", "ARM"], "ARM"),
    # why: no dateline: the most mentioned country
    (None, ["MMR", "USA", "MMR"], "MMR"),
    # why: nothing known yet
    (None, [], None),
])
def test_actors_context_main_country(home, mentions, expected):
    ctx = ActorContext(home=home)
    for c in mentions:
        ctx.countries[c] += 1
    assert ctx.main_country() == expected


@pytest.mark.parametrize("text, phrase, words", [
    # why: "of" phrases belong to the title ("the Foreign Minister of Iran")
    ("The Foreign Minister of Iran met his Syrian counterpart on Monday.", "Foreign Minister",
     ["The", "Foreign", "Minister", "of", "Iran"]),
    # why: a relative clause names other things and is not part of the actor's phrase
    ("Israel, which has carried out hundreds of strikes in Syria, declined to comment.",
     "Israel", ["Israel"]),
])
def test_actors_np_tokens(parse, text, phrase, words):
    doc = parse(text)
    assert [t.text for t in np_tokens(_head(doc, phrase)) if not t.is_punct] == words


@pytest.mark.parametrize("text, phrase, code", [
    # why: the person in the relative clause is not the actor's name ("Russia" is not named
    # "Bashar al-Assad"), and the actor's text is its own phrase
    ("Russia, which backs President Bashar al-Assad, vetoed the resolution.", "Russia", "RUS"),
    ("Iran's foreign minister, who met Syrian President Bashar al-Assad on Monday, accused "
     "Israel of aggression.", "Iran's foreign minister", "IRNGOV"),
])
def test_actors_relative_clause_not_in_actor(parse, text, phrase, code):
    actor, = _resolve_all(parse, text, [phrase])
    assert (actor.code, actor.text, actor.name) == (code, phrase, None)


@pytest.mark.parametrize("text, phrase, home, code, rule", [
    # why: the entity recogniser swallows half a parenthetical gloss ("The Islamic Jihad (Holy
    # War"); the name before the parenthesis is the organisation
    ("The Islamic Jihad (Holy War) group claimed the bombing in Tel Aviv.", "group", "ISR",
     "PSEREB", "org:orgs.tsv"),
    # why: an unknown party named before its kind noun ("the Sinn Fein party") is an
    # organisation of the story's country, as an unknown organisation named alone is
    ("The Sinn Fein party rejected the proposal on Monday.", "party", "GBR", "GBR",
     "org+article-country"),
])
def test_actors_named_group_with_kind_noun(parse, text, phrase, home, code, rule):
    actor, = _resolve_all(parse, text, [phrase], home=home)
    assert actor.code == code and actor.rule.startswith(rule)


@pytest.mark.parametrize("published, code", [
    # why: Haniyeh was the Palestinian Authority's prime minister from 29 March 2006 until
    # Abbas dismissed him on 14 June 2007; before and after he acts as Hamas's leader
    (date(2006, 7, 2), "PSEGOV"),
    (date(2012, 11, 20), "PSEREB"),
])
def test_actors_office_holder_code_follows_term(parse, published, code):
    actor, = _resolve_all(parse, "Ismail Haniyeh called for an end to the blockade of Gaza.",
                          ["Ismail Haniyeh"], published=published)
    assert actor.code == code


def test_actors_two_of_anything_else_is_not_the_last_pair(parse):
    # why: "two" before a noun that does not name the parties ("two Palestinian prisoners")
    # counts people, it does not refer back to the two parties of the last event
    text = ("Israeli Prime Minister Ehud Olmert met Palestinian President Mahmoud Abbas in "
            "Jerusalem on Sunday. Israel later freed two Palestinian prisoners.")
    ctx = ActorContext(published=date(2007, 12, 23))
    first, second = _resolve_all(parse, text, ["Israeli Prime Minister Ehud Olmert",
                                               "Palestinian President Mahmoud Abbas"], ctx=ctx)
    ctx.last_pair = (first, second)
    actor, = _resolve_all(parse, text, ["two Palestinian prisoners"], ctx=ctx)
    assert actor is None or (actor.rule != "coref:pair" and actor.country == "PSE")


@pytest.mark.parametrize("text, phrase, published, code", [
    # why: the Phoenix dictionary codes Shevardnadze as Georgia's; in 1987 the text calls him
    # the Soviet Foreign Minister, and that is the capacity he acts in
    ("Soviet Foreign Minister Eduard Shevardnadze arrived in Washington on Tuesday.",
     "Soviet Foreign Minister Eduard Shevardnadze", date(1987, 9, 15), "SUNGOV"),
    # why: a stated nationality that agrees with the dictionary changes nothing
    ("Georgian President Eduard Shevardnadze arrived in Washington on Tuesday.",
     "Georgian President Eduard Shevardnadze", date(1999, 9, 15), "GEO"),
])
def test_actors_stated_nationality_beats_dictionary_country(parse, shared_data, text, phrase,
                                                              published, code):
    from eventwire.actors import ActorResolver
    from eventwire.lexicon import ActorLexicon
    resolver = ActorResolver(ActorLexicon(dictionary_dir=shared_data / "petrarch2"))
    doc = parse(text)
    actor = resolver.resolve(_head(doc, phrase), ActorContext(published=published))
    assert actor.code.startswith(code) and actor.name == "Eduard Shevardnadze"
    assert actor.rule.startswith("person:")


@pytest.mark.parametrize("text, phrase, home, code", [
    # why: NGOs named by kind take no country the phrase does not state (an article's main
    # country is where they work, not whose they are); plural multiword roles match
    ("International aid organisations warned of famine in Yemen.",
     "International aid organisations", "YEM", "NGO"),
    ("Human rights monitors said troops had burned villages near Maungdaw.",
     "Human rights monitors", "MMR", "NGO"),
    # why: a stated nationality still codes the NGO as that country's
    ("Israeli rights groups criticised the demolition order.", "Israeli rights groups", None,
     "ISRNGO"),
])
def test_actors_ngo_roles(parse, text, phrase, home, code):
    actor, = _resolve_all(parse, text, [phrase], home=home)
    assert actor.code == code


@pytest.mark.parametrize("text, phrase, code", [
    # why: CAMEO sector roles of common victims and protagonists (Phoenix agents codes:
    # LAWYER JUD, CORRESPONDENT MED, NURSE HLH, PUPIL EDU); bare role words take the
    # dateline's country
    ("Police detained three lawyers outside the high court in Lahore.", "three lawyers",
     "PAKJUD"),
    ("Soldiers beat a cameraman filming the protest in Lahore.", "a cameraman", "PAKMED"),
    ("Two nurses were wounded when shells hit the hospital in Lahore.", "Two nurses",
     "PAKHLH"),
])
def test_actors_sector_role_words(parse, text, phrase, code):
    actor, = _resolve_all(parse, text, [phrase], home="PAK")
    assert actor.code == code


def test_actors_group_pronoun_is_not_the_subject_of_a_distant_clause(parse):
    # why: "help it fight": "it" is the government helped, not the subject two clauses up
    text = ("Russia has backed the Syrian government since 2015, sending warplanes to help it "
            "fight rebel groups.")
    actor, = _resolve_all(parse, text, [("it", 0)])
    assert actor is None or actor.country != "RUS"


@pytest.mark.parametrize("text", [
    "The Assembly condemned the persecution of the Armenians and Greeks of the region.",
    "Officials of Serbia and Kosovo met in Brussels, and the talks went on.",
])
def test_actors_conjunction_as_head_names_no_actor(parse, text):
    """why: an entity span can be rooted on 'and' (its root is the token governing the rest);
    resolving it raised IndexError on a benchmark article and lost the whole article (E-CODE).
    A conjunction or a comma names no actor; the coder goes on."""
    doc = parse(text)
    resolver = default_coder().resolver
    for tok in doc:
        if tok.dep_ == "cc" or tok.text == ",":
            assert resolver.resolve(tok, ActorContext(published=date(2023, 1, 24))) is None


def _tokens(parse, text, word):
    """Every token of the parsed ``text`` spelled ``word`` (exactly), in order."""
    doc = parse(text)
    return [t for t in doc if t.text == word]


@pytest.mark.parametrize("text, code", [
    # why: a verb conjoined to one with a subject shares it, even when that verb has an
    # object: only an object of the verb that reports the pronoun's clause competes for it
    ("Canada expelled two Venezuelan diplomats on Monday and said it would recall its "
     "ambassador from Caracas.", "CAN"),
    # why: a participle clause ("..., saying it would") takes the main clause's subject
    ("A Kenyan opposition party denounced the election result on Friday, saying it would "
     "hold protests in Nairobi.", "KENOPP"),
])
def test_actors_group_pronoun_under_a_verb_sharing_the_subject(parse, text, code):
    it, = _tokens(parse, text, "it")
    actor = default_coder().resolver.resolve(it, ActorContext(published=date(2024, 3, 1)))
    assert actor is not None and actor.code == code and actor.rule == "coref:pronoun-clause"


def test_actors_group_pronoun_after_an_object_of_the_reporting_verb_is_not_the_subject(parse):
    # why: "urged Iran to say it": the object may be what "it" means; no guess
    it, = _tokens(parse, "Britain urged Iran to say it would free the sailors.", "it")
    actor = default_coder().resolver.resolve(it, ActorContext(published=date(2024, 3, 1)))
    assert actor is None or actor.country != "GBR"


@pytest.mark.parametrize("text, phrase, code", [
    # why: a text's possessor issued it
    ("The ministry's statement urged Greece to withdraw its coast guard vessels.",
     "The ministry's statement", "TURGOV"),
    # why: "a letter from X" is X's
    ("A letter from the European Union urged Serbia to recognise the election result.",
     "A letter from the European Union", "EU"),
    # why: "its letter" in a clause Turkey reports is Turkey's
    ("Turkey said on Monday its letter urged Greece to withdraw the vessels.",
     "its letter", "TUR"),
])
def test_actors_issued_text_stands_for_its_issuer(parse, text, phrase, code):
    actor, = _resolve_all(parse, text, [phrase], home="TUR")  # an Ankara dateline
    assert actor is not None and actor.code == code and actor.rule.startswith("referent:issued")


def test_actors_issued_text_without_issuer_is_no_actor(parse):
    # why: "the statement" alone does not say whose it is (an earlier "X issued a statement"
    # was measured as an antecedent and dropped)
    actor, = _resolve_all(parse, "The statement urged calm in the capital.", ["The statement"])
    assert actor is None


def test_actors_the_agency_is_the_organisation_named_with_that_word(parse):
    # why: "the agency" after a named agency is that agency; UN-named bodies are UN
    text = ("The UN Relief and Works Agency said its schools were full. Israel accused the "
            "agency of hiring militants.")
    agency, = _resolve_all(parse, text, ["agency"])
    assert agency is not None and agency.code == "UN" and agency.rule.startswith("referent:body")


def test_actors_the_committee_never_named_is_no_actor(parse):
    actor, = _resolve_all(parse, "Israel said the committee had ignored its evidence.",
                          ["the committee"])
    assert actor is None


def test_actors_the_country_is_the_country_named_last(parse):
    # why: "the country" refers back to the last country named
    text = ("Egyptian Foreign Minister Sameh Shoukry said the country would keep the Rafah "
            "crossing open.")
    shoukry, country = _resolve_all(parse, text, ["Egyptian Foreign Minister Sameh Shoukry",
                                                  "the country"])
    assert shoukry.country == "EGY"
    assert country is not None and country.code == "EGY" and country.rule.startswith(
        "referent:country")


@pytest.mark.parametrize("text, phrase", [
    ("The UN Development Programme criticised the budget cuts on Monday.",
     "The UN Development Programme"),
    ("The United Nations Office for Project Services opened an office in Kyiv.",
     "The United Nations Office for Project Services"),
])
def test_actors_un_named_organisation_is_un(parse, text, phrase):
    # why: ANNOTATION.md: any UN organ or agency is UN, named or not in orgs.tsv
    actor, = _resolve_all(parse, text, [phrase])
    assert actor is not None and actor.code == "UN"
