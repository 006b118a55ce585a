"""Actor resolution: a noun phrase in a parsed sentence -> a coded Actor.

Reads the parse (spaCy tokens and entities) and the article's running context; the facts
(countries, demonyms, capitals, role words, organisations, office holders) come from
``eventwire.lexicon.ActorLexicon``. Handles the cases wire copy is full of:

- "Syria's Defense Minister Ali Mahmoud Abbas" -> SYRGOV, name "Ali Mahmoud Abbas"
- "Iran's Chief of Staff General Mohammad Baqeri" -> IRNMIL
- capitals as actors ("Moscow held Israel responsible" -> RUSGOV)
- demonyms ("Syrian troops" -> SYRMIL)
- later references to a named person ("Baqeri added" -> IRNMIL) and to a role
  ("the minister said" -> the last minister named)
- bare role words in a domestic story ("police", "protesters") take the article's main country.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Optional

from spacy.tokens import Span, Token

from .lexicon import ActorLexicon, LexiconHit
from .records import Actor

# Dependency labels whose subtrees belong to the actor's own noun phrase. Prepositional
# modifiers are excluded except "of" ("the Foreign Minister of Iran"); relative clauses and
# appositive clauses are excluded because they name other things ("Israel, which ...").
_NP_DEPS = {"compound", "amod", "poss", "case", "det", "nmod", "flat", "nummod", "appos",
            "punct", "cc", "conj", "quantmod", "advmod", "npadvmod", "nn", "title"}
_PRONOUNS_PERSON = {"he", "she", "him", "her"}
# pronouns for a country, organisation or group ("Iran said it would ...", "They marched")
_PRONOUNS_GROUP = {"it", "they", "them"}
# clause links through which a pronoun subject refers to the governing clause's subject
_PRONOUN_LINKS = ("ccomp", "xcomp", "conj", "advcl")
# "hundreds of protesters", "dozens of police": the role is in the of-phrase
_PARTITIVE = {"hundred", "thousand", "dozen", "ten", "million", "score", "number", "group",
              "some", "many", "several", "most", "all", "member", "one", "two", "three"}
_CAPITAL_ROLE = "GOV"
# roles that are not a country's unless the phrase says so ("Israeli rights group" is ISRNGO)
_TRANSNATIONAL = {"NGO", "IGO"}
# "the two leaders", "both sides", "the two countries": words for the parties themselves
_PAIR_NOUNS = {"side", "party", "leader", "country", "nation", "government", "state",
               "delegation", "team", "minister", "president", "premier", "army", "neighbour",
               "neighbor", "rival", "foe", "ally", "capital", "power", "administration",
               "official", "negotiator", "envoy", "diplomat", "chief"}


@dataclass
class ActorContext:
    """Per-article memory used for coreference and for bare role words."""

    published: Optional[date] = None
    home: Optional[str] = None  # country of the dateline ("KYIV, Feb 24 -"), if any
    names: dict[str, Actor] = field(default_factory=dict)  # full name / surname -> actor
    roles: dict[str, Actor] = field(default_factory=dict)  # role noun ("minister") -> actor
    last_person: Optional[Actor] = None
    last_country: Optional[str] = None
    # people in document order: token index -> (was a subject, actor), for "he"/"she"
    people: dict[int, tuple[bool, Actor]] = field(default_factory=dict)
    # countries, organisations and groups in document order, for "it"/"they"
    groups: dict[int, tuple[bool, Actor]] = field(default_factory=dict)
    # the last two-party event's parties, for "the two leaders", "both sides"
    last_pair: Optional[tuple[Actor, Actor]] = None
    countries: Counter = field(default_factory=Counter)

    def main_country(self) -> Optional[str]:
        """Country for bare role words ("police", "the government"): the dateline's country,
        else the country the article has mentioned most so far."""
        if self.home and (self.home in self.countries or not self.countries):
            return self.home  # a domestic story: "KYIV -" ... "police" are Ukraine's
        if not self.countries:
            return None
        return self.countries.most_common(1)[0][0]

    def remember(self, actor: Actor, head: Token) -> None:
        if actor.country:
            self.countries[actor.country] += 1
            self.last_country = actor.country
        if actor.name and actor.code and not (actor.rule or "").startswith("coref:pronoun"):
            self.names[actor.name.lower()] = actor
            self.names[actor.name.split()[-1].lower()] = actor
            self.last_person = actor
            self.people[head.i] = (head.dep_ in ("nsubj", "nsubjpass"), actor)
        if actor.role and head.pos_ == "NOUN":
            self.roles[head.lemma_.lower()] = actor
        if actor.code and head.ent_type_ != "PERSON" and head.lower_ not in _PRONOUNS_GROUP \
                and not (actor.rule or "").startswith(("person", "coref")):
            self.groups[head.i] = (head.dep_ in ("nsubj", "nsubjpass"), actor)


def np_tokens(head: Token) -> list[Token]:
    """The tokens of the noun phrase headed by ``head`` (without relative clauses etc.)."""
    out = [head]
    stack = list(head.children)
    while stack:
        tok = stack.pop()
        if tok.dep_ in _NP_DEPS or (tok.dep_ == "prep" and tok.lower_ == "of"):
            out.append(tok)
            stack.extend(tok.children)
        elif tok.dep_ == "pobj" and tok.head.lower_ == "of":
            out.append(tok)
            stack.extend(tok.children)
    return sorted(out, key=lambda t: t.i)


_BREAKS = {",", ";", "(", ")", "--", "\u2014", "\u2013", ":"}


def _contiguous(head: Token, tokens: list[Token]) -> list[Token]:
    """The run of phrase tokens around the head with no gap: a relative clause between commas
    ("Israel, which has carried out strikes in Syria, declined") is not part of the actor."""
    idx = {t.i for t in tokens if t.text not in _BREAKS}
    doc = head.doc
    lo = hi = head.i
    while lo - 1 in idx or (lo - 1 >= 0 and doc[lo - 1].text in "-'" and lo - 2 in idx):
        lo -= 1
    while hi + 1 in idx or (hi + 1 < len(doc) and doc[hi + 1].text in "-'" and hi + 2 in idx):
        hi += 1
    return [t for t in tokens if lo <= t.i <= hi]


def _conjuncts_excluded(head: Token, tokens: list[Token]) -> list[Token]:
    """Drop conjoined heads (and their subtrees): each conjunct is its own actor."""
    drop: set[int] = set()
    inside = {t.i for t in head.subtree}
    for conj in head.conjuncts:
        if conj.i != head.i and conj.i in inside:  # only conjuncts hanging below the head
            drop.update(t.i for t in conj.subtree)
    return [t for t in tokens if t.i not in drop and t.dep_ != "cc"]


class ActorResolver:
    """Resolve noun-phrase heads to Actors, with in-article coreference."""

    def __init__(self, lexicon: ActorLexicon):
        self.lexicon = lexicon
        self._depth = 0  # nested resolutions (an owner's owner) stop at two levels

    def resolve(self, head: Token, ctx: ActorContext) -> Optional[Actor]:
        """Code the noun phrase headed by ``head``; None when it names no political actor."""
        tokens = _conjuncts_excluded(head, np_tokens(head))
        shown = _contiguous(head, tokens)  # the actor's text: no clause between commas
        if not shown:  # a conjunction or a break as the head (an entity span rooted on 'and')
            return None
        text_span = head.doc[shown[0].i: shown[-1].i + 1]
        actor = (self._pronoun(head, ctx)
                 or self._group_pronoun(head, ctx)
                 or self._pair(head, ctx)
                 or self._organisation(tokens, text_span, ctx)
                 or self._person_or_country(head, tokens, text_span, ctx)
                 or self._role_only(head, tokens, text_span, ctx)
                 or self._unknown_entity(head, tokens, text_span, ctx)
                 or self._referent(head, ctx))
        if actor is not None:
            actor = self._as_of(actor, ctx.published)
            ctx.remember(actor, head)
        return actor

    def _as_of(self, actor: Actor, on: Optional[date]) -> Actor:
        """The country code as of the event's time ("Moscow" in 1987 is the Soviet Union)."""
        if on is None or not actor.country or not actor.code:
            return actor
        hit = self.lexicon.as_of(LexiconHit(actor.code, actor.country, actor.role, actor.name,
                                            "actor", actor.rule or ""), on)
        if hit.country == actor.country:
            return actor
        return replace(actor, code=hit.code, country=hit.country)

    # -- strategies, tried in order -------------------------------------------------------

    def _pronoun(self, head: Token, ctx: ActorContext) -> Optional[Actor]:
        """'he'/'she': the latest person named as a subject before the pronoun (wire copy
        keeps its protagonist as subject), else the latest person named."""
        if head.lower_ not in _PRONOUNS_PERSON:
            return None
        before = [(i, subj, a) for i, (subj, a) in ctx.people.items() if i < head.i]
        if not before:
            return None
        subjects = [b for b in before if b[1]]
        _, _, a = max(subjects or before, key=lambda b: b[0])
        return _actor(head.doc[head.i: head.i + 1], a.code, a.country, a.role, a.name,
                      "coref:pronoun")

    def _group_pronoun(self, head: Token, ctx: ActorContext) -> Optional[Actor]:
        """'it'/'they' as a subject: the subject of the clause governing the pronoun's clause
        ("Iran said it would retaliate", "the rebels announced they had taken the town").
        Falling back to the latest country or group named as a subject was measured: it
        lowered precision on news-dev (both halves) for no gain in recall."""
        if head.lower_ not in _PRONOUNS_GROUP or head.dep_ not in ("nsubj", "nsubjpass"):
            return None
        clause = head.head
        if clause.dep_ not in _PRONOUN_LINKS or clause.head.i == clause.i:
            return None
        node = clause.head  # the governing clause, one level up only ("help it fight" is not)
        # an object of the governing verb may be what the pronoun means ("urged Iran to say it
        # would ..."): then it is not ours
        has_object = any(c.dep_ in ("dobj", "obj", "dative") for c in node.children)
        subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None and node.dep_ in ("conj", "advcl") and (
                node.dep_ == "conj" or node.tag_ == "VBG"):
            # "X moved troops and said it would ...", "X turned on Y, saying it would ...":
            # the verb shares the subject of the one it hangs from, whose objects are not
            # the pronoun's antecedents
            node = node.head
            subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and not has_object:
            if subj.i not in ctx.groups and subj.i not in ctx.people:
                self.resolve(subj, ctx)  # not coded yet ("said" is no event): code it now
            if subj.i in ctx.groups:
                a = ctx.groups[subj.i][1]
                return _actor(head.doc[head.i: head.i + 1], a.code, a.country, a.role, a.name,
                              "coref:pronoun-clause")
        return None  # a person, an object ("urged Iran to say it ...") or no subject: not ours

    def _pair(self, head: Token, ctx: ActorContext) -> Optional[Actor]:
        """'the two leaders', 'both sides': the first party of the last two-party event
        (the pipeline takes the second as the target)."""
        if ctx.last_pair is None or head.pos_ != "NOUN" \
                or head.lemma_.lower() not in _PAIR_NOUNS:
            return None  # "two Jewish settlers", "both cities" are not the last two parties
        if not any((c.dep_ == "nummod" and c.lower_ == "two") or c.lower_ == "both"
                   for c in head.children):
            return None
        a = ctx.last_pair[0]
        return _actor(head.doc[head.i: head.i + 1], a.code, a.country, a.role, a.name,
                      "coref:pair")

    def _possessor(self, head: Token, tokens, ctx: ActorContext) -> Optional[str]:
        """'its troops', 'their leaders': the country of the nearest actor named before."""
        if not any(t.dep_ == "poss" and t.lower_ in ("its", "their") for t in tokens):
            return None
        return ctx.last_country

    def _organisation(self, tokens, span: Span, ctx) -> Optional[Actor]:
        inside: set[int] = set()
        for ent in _ents(tokens):
            if ent.label_ in ("ORG", "NORP", "FAC", "GPE", "PERSON"):
                for name in _name_variants(ent):
                    hit = self.lexicon.organisation(name)
                    if hit is not None:
                        return _from_hit(span, hit, "org:" + hit.source)
                if ent.label_ == "ORG" and _UN_NAME.match(ent.text):
                    # "the UN Development Programme": any UN organ or agency is UN
                    hit = self.lexicon.organisation("United Nations")
                    if hit is not None:
                        return _from_hit(span, hit, "org:UN-named " + hit.source)
                if ent.label_ == "ORG":
                    # an unknown organisation's name is not an IGO because it contains one
                    # ("Congress of South African Trade Unions" is not the US Congress)
                    inside.update(range(ent.start, ent.end))
        tokens = [t for t in tokens if t.i not in inside]
        for sub in _ngrams(tokens, maxlen=6):
            hit = self.lexicon.organisation(sub)
            if hit is not None:
                return _from_hit(span, hit, "org:" + hit.source)
        return None

    def _person_or_country(self, head, tokens, span: Span, ctx) -> Optional[Actor]:
        name = _person_name(tokens, head)
        # 1. a person already met in this article ("Baqeri added")
        if name is not None:
            known = ctx.names.get(name.lower()) or ctx.names.get(name.split()[-1].lower())
            if known is not None and not _has_country_word(self.lexicon, tokens, head):
                return _actor(span, known.code, known.country, known.role, known.name,
                              "coref:name")
            if self.lexicon is not None:
                hit = self.lexicon.person(name, ctx.published)
                if hit is not None:
                    return self._stated_country(tokens, head, name, span, hit)
        # 2. country from a possessor, modifier, "of X" or the head itself
        hit = self._country_in(tokens, head)
        role = self._role_in(tokens, head)
        if hit is None:
            return None
        if hit.kind in ("capital", "metonym") and role is None:
            role = hit.role or _CAPITAL_ROLE
        country = hit.country
        code = (country or "") + (role or "") if country else hit.code
        rule = f"{hit.kind}:{hit.source}" + (f"+role:{role}" if role else "")
        return _actor(span, code, country, role, name, rule)

    def _stated_country(self, tokens, head, name: str, span: Span, hit: LexiconHit) -> Actor:
        """A dictionary person whose phrase states another nationality ("Soviet Foreign
        Minister Eduard Shevardnadze" in 1987, a dictionary coding him as Georgia's): the
        text's country and title describe the capacity the person acts in."""
        named = set(name.lower().split())
        words = [t for t in tokens if t.lower_ not in named]
        stated = self._country_in(words, head) if hit.country else None
        if stated is None or stated.country is None or stated.country == hit.country \
                or stated.kind not in ("country", "demonym"):
            return _from_hit(span, hit, "person:" + hit.source, name=name)
        role = self._role_in(words, head) or hit.role
        return _actor(span, stated.country + (role or ""), stated.country, role, name,
                      f"person:{hit.source}; stated {stated.kind}:{stated.source}"
                      + (f"+role:{role}" if role else ""))

    def _role_only(self, head, tokens, span: Span, ctx) -> Optional[Actor]:
        role = self._role_in(tokens, head)
        if role is None:
            return None
        # "the minister" after "Syria's Defense Minister ..." -> that minister
        if head.pos_ == "NOUN" and head.lemma_.lower() in ctx.roles and _is_definite(head):
            a = ctx.roles[head.lemma_.lower()]
            return _actor(span, a.code, a.country, a.role, a.name, "coref:role")
        country = self._possessor(head, tokens, ctx)
        rule = f"role:{role}+possessor-country"
        if country is None and role in _TRANSNATIONAL:
            # "human rights monitors", "aid organisations": no country stated, none assumed
            return _actor(span, role, None, role, None, f"role:{role}")
        if country is None:
            country, rule = ctx.main_country(), f"role:{role}+article-country"
        if country is None:
            return None
        return _actor(span, country + role, country, role, None, rule)

    def _unknown_entity(self, head, tokens, span: Span, ctx) -> Optional[Actor]:
        """A named organisation or person the lexicon does not know ("SATS", "Li Gun-mo"):
        most are domestic to the story, so they take the article's main country, no role."""
        ent = next((e for e in _ents(tokens) if e.root.i == head.i), None)
        if ent is None and head.pos_ == "NOUN" and head.lemma_.lower() in _GROUP_NOUNS:
            # "the Islamic Jihad movement", "the Popular Force party": the name is the group's
            ent = next((e for e in _ents(tokens) if e.label_ == "ORG"), None)
        names = [ent.text] if ent is not None else []
        if head.pos_ == "PROPN":
            names.append(" ".join(t.text for t in tokens if t.pos_ == "PROPN"))
        for name in names:  # dictionary entries of any kind (groups, places, fictional states)
            hit = self.lexicon.person(name, ctx.published)
            if hit is not None:
                return _from_hit(span, hit, "dictionary:" + hit.source)
        if ent is None or ent.label_ not in ("ORG", "PERSON"):
            return None
        country = ctx.main_country()
        if country is None:
            return None
        name = ent.text if ent.label_ == "PERSON" else None
        return _actor(span, country, country, None, name, f"{ent.label_.lower()}+article-country")

    def _referent(self, head: Token, ctx: ActorContext) -> Optional[Actor]:
        """Nouns that name no actor but stand for one (data/actors/referents.tsv): a text for
        its issuer as its phrase names it ("the ministry's statement", "a letter from the
        UN"), "the agency" for the organisation named before with that word in its name,
        "the country" for the country named last. Measured and dropped (news-dev odd half:
        one more false positive each, no gain elsewhere): an act for its perpetrator ("its
        strikes", "the raid by police"), the issuer or attacker from an earlier mention of
        the same word ("X issued a statement ... The statement called on"; "X attacked ...
        The attack killed") and from a role word before the noun ("a police raid")."""
        if head.pos_ != "NOUN" or any(c.dep_ == "nummod" for c in head.children):
            return None
        kind = self.lexicon.referent(head.lemma_.lower())
        if kind == "issued":
            return _refer(head, self._agent(head, ctx), f"referent:{kind}-agent",
                          whole=True)
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in head.children):
            return None
        if kind == "body":
            return _refer(head, self._named_body(head, ctx), "referent:body", whole=True)
        if kind == "country" and ctx.last_country:
            a = Actor(text=head.text, code=ctx.last_country, country=ctx.last_country,
                      role=None, name=None)
            return _refer(head, a, "referent:country", whole=True)
        return None

    def _agent(self, head: Token, ctx: ActorContext) -> Optional[Actor]:
        """Who issued the text, as its own phrase says: a possessor ("the ministry's
        statement", "its letter"), "by X" or "from X"."""
        for c in head.children:
            a = None
            if c.dep_ == "poss":
                a = self._owner(head, ctx) if c.lower_ in ("its", "their") \
                    else None if c.pos_ == "PRON" else self._known(c, ctx)
            elif c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from"):
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                a = self._known(obj, ctx) if obj is not None else None
            if a is not None:
                return a
        return None

    def _named_body(self, head: Token, ctx: ActorContext) -> Optional[Actor]:
        """'the agency': the latest organisation named with that word in its name (a guess
        at the latest non-state group for 'the group' was measured: wrong as often as right)."""
        before = sorted(((i, a) for i, (_, a) in ctx.groups.items() if i < head.i),
                        key=lambda x: -x[0])
        words = {head.lemma_.lower(), head.lower_}
        named = [(root, ent) for ent, root in _doc_ents(head.doc)
                 if root < head.i and ent.label_ == "ORG"
                 and words & set(ent.text.lower().replace("-", " ").split())]
        if named:  # "the UN Relief and Works Agency said ... the agency": named, maybe unseen
            return self._known(head.doc[max(named)[0]], ctx)
        for _, a in before:
            if words & set(a.text.lower().replace("-", " ").split()):
                return a
        return None

    def _owner(self, head: Token, ctx: ActorContext) -> Optional[Actor]:
        """'its'/'their' before ``head``: the subject of the clause ("Iran published its
        letter"), else of the clause that reports it ("Iran said its letter urged ..."),
        else, with no subject there, the latest country or group named. A subject that is
        itself an unresolved pronoun ends the search: a guess further back was wrong."""
        verb = head.head
        for _ in range(2):
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")
                         and c.i != head.i), None)
            if subj is not None:
                return self._known(subj, ctx)
            if verb.dep_ not in _PRONOUN_LINKS or verb.head.i == verb.i:
                break
            verb = verb.head
        return self._latest_group(head, ctx)

    def _latest_group(self, head: Token, ctx: ActorContext) -> Optional[Actor]:
        """'its', 'their': the latest country or group named as a subject before (wire copy
        keeps its protagonist as subject), else the latest named."""
        before = [(i, subj, a) for i, (subj, a) in ctx.groups.items() if i < head.i]
        subjects = [b for b in before if b[1]]
        return max(subjects or before, key=lambda b: b[0])[2] if before else None

    def _known(self, tok: Optional[Token], ctx: ActorContext) -> Optional[Actor]:
        """The actor a token heads: as already resolved, else resolved now (two levels deep
        at most, so references cannot chain through a whole article)."""
        if tok is None:
            return None
        if tok.i in ctx.people:
            return ctx.people[tok.i][1]
        if tok.i in ctx.groups:
            return ctx.groups[tok.i][1]
        if self._depth >= 2:
            return None
        self._depth += 1
        try:
            a = self.resolve(tok, ctx)
        finally:
            self._depth -= 1
        return a if a is not None and a.code else None

    # -- helpers ---------------------------------------------------------------------------

    def _country_in(self, tokens, head) -> Optional[LexiconHit]:
        # The head itself first ("Moscow held ..."), then modifiers left to right.
        for ent in _ents(tokens):
            if ent.label_ in ("GPE", "NORP", "LOC") and ent.root.i == head.i:
                hit = self.lexicon.country(ent.text)
                if hit is not None:
                    return hit
        for sub in _ngrams(tokens, maxlen=4):
            hit = self.lexicon.country(sub)
            if hit is not None:
                return hit
        return None

    def _role_in(self, tokens, head) -> Optional[str]:
        """The role a phrase names. A common-noun head must itself be (the end of) a role
        phrase: "military aid" is aid, not the military; a name's titles may sit anywhere
        before it ("Iran's Chief of Staff General Mohammad Baqeri")."""
        if head.pos_ == "NOUN" and head.lemma_.lower() not in _PARTITIVE:
            words = [t for t in tokens if t.i <= head.i
                     and (t.pos_ in ("NOUN", "PROPN", "ADJ") or t.lower_ == "of")]
            for sub in _ngrams(words, maxlen=4, lemma=True):
                if sub.split()[-1] in (head.lemma_, head.text):
                    role = self.lexicon.role(sub)
                    if role is not None:
                        return role
            return None
        words = [t for t in tokens if t.pos_ in ("NOUN", "PROPN", "ADJ") or t.lower_ == "of"]
        for sub in _ngrams(words, maxlen=4, lemma=True):
            role = self.lexicon.role(sub)
            if role is not None:
                return role
        return None


# an organisation's name that makes it a UN organ or agency
_UN_NAME = re.compile(r"^(?:[Tt]he\s+)?(?:UN|U\.N\.|United Nations)\s+[A-Z]")


def _child(tok: Token, dep: str) -> Optional[Token]:
    return next((c for c in tok.children if c.dep_ == dep), None)


def _refer(head: Token, a: Optional[Actor], rule: str, *, whole: bool = False) -> Optional[Actor]:
    """The actor ``a`` as mentioned at ``head`` (the head word, or its whole phrase)."""
    if a is None or not a.code:
        return None
    doc = head.doc
    span = doc[head.left_edge.i: head.i + 1] if whole else doc[head.i: head.i + 1]
    return _actor(span, a.code, a.country, a.role, a.name, f"{rule} ({a.rule})")


def _ents(tokens: list[Token]):
    """Entities rooted in the phrase's own tokens (a relative clause's are not the actor's)."""
    if not tokens:
        return []
    idx = {t.i for t in tokens}
    return [e for e, root in _doc_ents(tokens[0].doc) if root in idx]


def _doc_ents(doc) -> list:
    """(entity, root index) of a doc, computed once: ``doc.ents`` and ``.root`` rebuild Span
    objects on every access (~23% of coding time when asked per phrase)."""
    cached = doc.user_data.get("eventwire_ents")
    if cached is None:
        cached = doc.user_data["eventwire_ents"] = [(e, e.root.i) for e in doc.ents]
    return cached


# Nouns that follow an organisation's name as its kind ("the Islamic Jihad movement")
_GROUP_NOUNS = {"movement", "front", "party", "militia", "group", "organisation",
                "organization", "faction", "alliance", "coalition", "union", "council",
                "ministry", "agency", "brigade", "brigades", "army", "network"}


def _name_variants(ent: Span) -> list[str]:
    """An entity's text, and its text cut at a parenthesis or comma the entity swallowed
    ("The Islamic Jihad (Holy War" -> "The Islamic Jihad")."""
    out = [ent.text]
    for sep in ("(", ","):
        cut = ent.text.split(sep)[0].strip()
        if cut and cut not in out:
            out.append(cut)
    return out


def _person_name(tokens: list[Token], head: Optional[Token] = None) -> Optional[str]:
    """The phrase's person: the one whose name ends at the head, else the first named."""
    people = [e for e in _ents(tokens) if e.label_ == "PERSON"]
    own = [e for e in people if head is not None and e.root.i == head.i]
    return (own or people)[0].text if people else None


def _has_country_word(lexicon, tokens, head) -> bool:
    return any(lexicon.country(t.text) is not None for t in tokens if t.i != head.i)


def _is_definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children)


def _ngrams(tokens, *, maxlen: int, lemma: bool = False):
    """Contiguous word sequences of the phrase, longest first (multiword lexicon entries win)."""
    # lemma: only a window's last word is lemmatised ("human rights monitors" -> "human
    # rights monitor", not "human right monitor")
    words = [(t.i, t.text, t.lemma_ if lemma and t.pos_ == "NOUN" else t.text) for t in tokens
             if t.pos_ not in ("DET", "PUNCT") and t.dep_ != "case"]
    seen = set()
    for n in range(min(maxlen, len(words)), 0, -1):
        for k in range(len(words) - n + 1):
            window = words[k:k + n]
            if window[-1][0] - window[0][0] != n - 1 and not any(
                    w[1] == "of" for w in window):
                continue  # not contiguous in the sentence
            phrase = " ".join([w[1] for w in window[:-1]] + [window[-1][2]])
            if phrase not in seen:
                seen.add(phrase)
                yield phrase


def _from_hit(span: Span, hit: LexiconHit, rule: str, *, name: Optional[str] = None) -> Actor:
    return _actor(span, hit.code, hit.country, hit.role, name or hit.name, rule)


def _actor(span: Span, code, country, role, name, rule) -> Actor:
    return Actor(text=span.text, code=code, country=country, role=role, name=name,
                 start=span.start_char, end=span.end_char, rule=rule)
