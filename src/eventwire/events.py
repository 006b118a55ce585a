"""Event typing: predicates in a parsed sentence -> event candidates.

For each trigger the lexicon knows (``eventwire.verbs.TriggerLexicon``), the dependency parse
decides who acts on whom: the subject (or the passive agent) is the source, the object (or the
object of a directional preposition) the target. Conjoined actors give one event each. The
modality comes from the words governing the trigger (``data/modality_cues.tsv``), and CAMEO's
tense rule turns announced acts into 03x / 13x codes (``data/intent_codes.tsv``).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterator, Optional

from spacy.tokens import Span, Token

from .nlp import doc_ents, sent_ents
from .verbs import TriggerLexicon, TriggerMatch

# Prepositions whose object is the target of an act ("fired at protesters", "talks with
# Iran", "sanctions on Iran", "attack against", "visit to Moscow" is a place, see geo).
_TARGET_PREPS = ("with", "against", "on", "at", "upon", "to", "toward", "towards", "into",
                 "over", "for", "from", "of")
_SUBJ = ("nsubj", "csubj")
_PASS_SUBJ = ("nsubjpass", "csubjpass")
_OBJ = ("dobj", "obj", "dative", "attr", "oprd")
_CLAUSE_LINKS = ("xcomp", "ccomp", "advcl", "conj", "acl", "relcl", "pcomp")


@dataclass(frozen=True)
class Candidate:
    """An event before actors/dates/places are resolved to records.

    ``targets`` are noun-phrase heads in order of preference (direct object, objects of
    directional prepositions, other actor mentions of the sentence); the pipeline takes the
    first that resolves to a political actor.
    """

    trigger: Token
    match: TriggerMatch
    code: str
    modality: str
    source: Token
    targets: tuple[Token, ...]
    rule: str
    symmetric: bool = False
    direct: tuple[Token, ...] = ()  # the targets the parse attaches to the trigger


# Acts with no direction (talks, meetings, clashes, joint agreements): with conjoined
# subjects ("Trump and Kim met"), the first-named party is the source and the next the target
# (ANNOTATION.md: "For symmetric acts ... the source is the party the sentence names first").
_SYMMETRIC_PREFIXES = ("04", "036", "037", "046", "057", "06", "19", "20", "030")


def is_symmetric(code: str) -> bool:
    return code.startswith(_SYMMETRIC_PREFIXES)


def _read_tsv(name: str) -> list[dict[str, str]]:
    text = resources.files("eventwire.data").joinpath(name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=1)
def modality_cues() -> dict[tuple[str, str], str]:
    return {(r["cue"], r["scope"]): r["kind"] for r in _read_tsv("modality_cues.tsv")}


@lru_cache(maxsize=1)
def plover_to_cameo() -> dict[str, str]:
    return {r["plover"]: r["cameo"] for r in _read_tsv("plover_to_cameo.tsv")}


def model_trigger(sent: Span, plover_type: str, probability: float) -> Optional[TriggerMatch]:
    """The learned classifier's proposal as a trigger: its type on the sentence's main verb."""
    root = sent.root
    code = plover_to_cameo().get(plover_type)
    if code is None or root.pos_ not in ("VERB", "AUX"):
        return None
    return TriggerMatch(code, root.i, f"model: {plover_type} p={probability:.2f}", "model", 0)


@lru_cache(maxsize=1)
def received_acts() -> frozenset[str]:
    return frozenset(r["lemma"] for r in _read_tsv("received_acts.tsv"))


@lru_cache(maxsize=1)
def intent_codes() -> dict[str, str]:
    return {r["act_prefix"]: r["intent_code"] for r in _read_tsv("intent_codes.tsv")}


def intent_code(code: str) -> str:
    """CAMEO's tense rule: the 03x/13x code for an announced act (longest prefix wins)."""
    if code[:2] in ("03", "13", "01", "02", "10", "11", "12"):
        return code  # already an intent, a threat, or a verbal act
    table = intent_codes()
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return code


class EventExtractor:
    """Find event candidates in a sentence."""

    def __init__(self, lexicon: TriggerLexicon,
                 party: Optional[Callable[[Token], bool]] = None):
        self.lexicon = lexicon
        # does a noun phrase name a political party to an event? (the pipeline passes the
        # actor lexicon's view; by default any named entity or proper noun)
        self.party = party or (lambda t: t.ent_type_ in ("GPE", "NORP", "ORG", "PERSON"))

    def candidates(self, sent: Span, *, skip: tuple[int, int] = (0, 0),
                   proposed: Optional[TriggerMatch] = None) -> Iterator[Candidate]:
        """Yield a Candidate per (trigger, source, target); ``skip`` is a char range to ignore
        (a dateline). ``proposed``: a type proposed by the learned classifier for the
        sentence's main verb, used instead of the trigger lexicon (``classifier="model"``)."""
        matches = {}
        for tok in ([] if proposed is not None else sent):
            if skip[0] <= tok.idx < skip[1] or tok.pos_ not in ("VERB", "NOUN", "AUX", "ADJ"):
                continue
            m = self.lexicon.match(tok)
            if m is not None:
                matches[m.token_i] = m
        if proposed is not None and proposed.token_i >= 0:
            matches[proposed.token_i] = proposed
        doc = sent.doc
        for i, m in sorted(matches.items()):
            trig = doc[i]
            modality, governor = self._modality(trig)
            if governor is not None and governor.i in matches and modality != "intended":
                continue  # "denied attacking", "urged to talk": the governing act is the event
            if governor is not None and governor.i in matches and modality == "intended":
                matches.pop(governor.i, None)  # "agreed to meet": the intent of the inner act
            code = self._instrument_code(trig, m.code)
            code = intent_code(code) if modality == "intended" else code
            if code.startswith("03") and modality == "asserted":
                modality = "intended"  # ANNOTATION.md: every 03x code is an intent
            elif code.startswith("13") and modality == "intended":
                modality = "asserted"  # a threat is a speech act that happened
            sources, targets = self._arguments(trig, m, governor)
            if _subordinate(trig) and _first(trig, _SUBJ + ("agent",)) is None \
                    and _circumstantial_subject(trig) is None:
                continue  # "..., killing 20", "troops who were sent": background detail
            rule = f"{m.origin}:{m.pattern}"
            extra = tuple(t for t in _mentions(sent, trig, skip) if t not in sources)
            opponents = [t for t in targets if t.dep_ in _OBJ + _PASS_SUBJ
                         or (t.dep_ == "pobj" and t.head.lower_ in ("with", "against"))]
            if len(sources) > 1 and is_symmetric(code) and not any(map(self.party, opponents)):
                # "Armenia and Azerbaijan fought (a war)": one event, the first-named party
                # as source and the next as target
                others = tuple(sources[1:])
                yield Candidate(trig, m, code, modality, sources[0],
                                others + tuple(targets) + extra, rule, symmetric=True,
                                direct=others + tuple(targets))
                continue
            for src in sources:
                yield Candidate(trig, m, code, modality, src, tuple(targets) + extra, rule,
                                symmetric=is_symmetric(code), direct=tuple(targets))

    def _instrument_code(self, trig: Token, code: str) -> str:
        """"An airstrike killed 20", "20 were killed by a suicide bomber": a generic force
        code (190/180) takes the more specific code of the event noun that is its subject or
        agent (nouns.tsv: airstrike 195, shelling 194, suicide bomber 1831)."""
        if code not in ("190", "180") or trig.pos_ != "VERB":
            return code
        actor = _first(trig, _SUBJ) or _agent(trig)
        if actor is None or actor.pos_ != "NOUN":
            return code
        noun = self.lexicon.match(actor)
        if noun is not None and noun.code[:2] in ("18", "19", "20") and noun.code != code:
            return noun.code
        return code

    # -- modality -------------------------------------------------------------------------

    def _modality(self, trig: Token) -> tuple[str, Optional[Token]]:
        """(modality, governing word) from auxiliaries, negation and governing verbs."""
        cues = modality_cues()
        kind = "asserted"
        for child in trig.children:
            if child.dep_ in ("aux", "neg", "auxpass", "advmod", "det"):
                k = cues.get((child.lower_, "aux"))
                if child.lower_ == "would" and _reported(trig):
                    k = "intended"  # "said the EU would impose sanctions": future in the past
                if k == "negated" or (k and kind == "asserted"):
                    kind = k
        governor = None
        head, node = trig.head, trig
        # climb xcomp/ccomp chains: "is willing to support", "agreed to meet", "failed to stop"
        while (node.dep_ in ("xcomp", "ccomp", "acl", "pcomp", "prep", "acomp")
               or (node.dep_ == "advcl" and _infinitive(node))) and head.i != node.i:
            k = cues.get((head.lemma_.lower(), "head"))
            if k is not None:
                governor = head
                kind = "negated" if kind == "negated" else k
                # "Iran said it will ..." is handled by the aux above; stop at the first cue
                break
            node, head = head, head.head
        if kind == "asserted" and _in_conditional(trig):
            kind = "hypothetical"
        return kind, governor

    # -- arguments ------------------------------------------------------------------------

    def _arguments(self, trig: Token, m: TriggerMatch, governor: Optional[Token]):
        """(sources, targets) as noun-phrase head tokens, conjuncts expanded."""
        if m.code == "016" and trig.pos_ == "ADJ":
            return _denied(trig)
        if trig.pos_ == "NOUN" and m.noun_i is None:
            src, tgts = _noun_arguments(trig)
            return _expand(src), tgts
        if trig.pos_ in ("NOUN", "PROPN") and m.noun_i == trig.i:
            return _adverbial_meeting(trig, m.code)
        if trig.pos_ == "ADJ" and m.code.startswith("11"):
            return _judged(trig)
        if trig.lemma_.lower() == "blame" and trig.dep_ == "xcomp" \
                and trig.head.lemma_.lower() == "be":
            return _judged(trig)  # "X said Y was to blame for ..."
        if m.noun_i is not None and trig.lemma_.lower() in received_acts():
            return _received_act(trig, trig.doc[m.noun_i])
        src = _first(trig, _SUBJ)
        objs = [c for c in trig.children if c.dep_ in _OBJ]
        agent = _agent(trig)
        pass_subj = _first(trig, _PASS_SUBJ)
        if agent is not None or pass_subj is not None:
            src = agent
            objs = ([pass_subj] if pass_subj is not None else []) + objs
        if src is None:
            src = _inherited_subject(trig, governor) or _circumstantial_subject(trig)
        if src is not None and src.lower_ in ("who", "which", "that") and trig.dep_ == "relcl":
            src = trig.head  # "Iranian forces, who launched ...": the relative's antecedent
        if src is not None and len(_expand(src)) == 1:
            named = _named_parties(src)
            if len(named) > 1:  # "US President Trump and North Korean leader Kim met",
                return named, self._targets(trig, m, objs)  # misparsed as one phrase
        return _expand(src), self._targets(trig, m, objs)

    @staticmethod
    def _targets(trig: Token, m: TriggerMatch, objs: list[Token]) -> list[Token]:
        targets: list[Token] = []
        for o in objs:
            targets.extend(_expand(o))
        targets.extend(_prep_objects(trig, objs, code=m.code))
        if m.noun_i is not None:  # "launched an attack on X": the noun's own prepositions
            targets.extend(_prep_objects(trig.doc[m.noun_i], [], code=m.code))
        return targets


def _named_parties(subj: Token) -> list[Token]:
    """Named people joined by "and" inside one subject phrase that the parser did not split
    into conjuncts: their name heads, in order."""
    tokens = list(subj.subtree)
    if not any(t.dep_ == "cc" and t.lower_ == "and" for t in tokens):
        return []
    idx = {t.i for t in tokens}
    ents = [e for e in doc_ents(subj.doc) if e.label_ == "PERSON" and e.root.i in idx
            and e.root.dep_ not in ("compound", "amod", "poss")]
    return [e.root for e in ents] if len({e.text for e in ents}) > 1 else []


def _first(tok: Token, deps) -> Optional[Token]:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _agent(tok: Token) -> Optional[Token]:
    for c in tok.children:
        if c.dep_ == "agent":
            return _first(c, ("pobj",))
    return None


def _prep_objects(tok: Token, objects, *, code: str = "") -> list[Token]:
    """Objects of directional prepositions attached to the trigger or to its objects. For
    meetings (04x) "on/at" name where they met ("met on Sentosa island"), not with whom."""
    preps = _TARGET_PREPS if not code.startswith("04") else tuple(
        p for p in _TARGET_PREPS if p not in ("on", "at", "over"))
    out = []
    for node in [tok, *objects]:
        for c in node.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                pobj = _first(c, ("pobj",))
                if pobj is not None and pobj.ent_type_ not in _NOT_PARTIES:
                    out.extend(_expand(pobj))
    return out


# Entity types that are never a party to an event ("clashed on Tuesday", "at 5 pm").
_NOT_PARTIES = ("DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL")


def _mentions(sent: Span, trig: Token, skip: tuple[int, int]) -> list[Token]:
    """Other actor-like mentions of the sentence, nearest to the trigger first: the fallback
    target when the parse attaches none ("condemned the invasion of Ukraine by Russia")."""
    heads = []
    for ent in sent_ents(sent):
        if ent.label_ not in ("GPE", "NORP", "ORG", "PERSON") or skip[0] <= ent.start_char < skip[1]:
            continue
        root = ent.root
        if root.dep_ == "pobj" and root.head.lower_ in ("in", "at", "near", "from", "across",
                                                         "outside", "inside", "within"):
            continue  # a place, not a party
        heads.append(root)
    return sorted(heads, key=lambda t: (t.i < trig.i, abs(t.i - trig.i)))


def _noun_arguments(noun: Token) -> tuple[Optional[Token], list[Token]]:
    """Bare event nouns: arguments come only from the noun phrase itself ("Israeli airstrikes
    on Gaza", "Russia's invasion of Ukraine"); the governing verb's subject is not the actor
    ("the EU condemned the attack" is not an EU attack)."""
    src = None
    for c in noun.children:
        if c.dep_ in ("poss", "amod", "compound", "nmod") and c.pos_ in ("PROPN", "ADJ"):
            src = c
            break
    if src is None:
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "by":
                src = _first(c, ("pobj",))
    tgts = []
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS and c.lower_ != "by":
            p = _first(c, ("pobj",))
            if p is not None:
                tgts.extend(_expand(p))
    return src, tgts


# "X left Bonn after talks with Y", "X, on a visit to Y, said": a meeting, talks or visit
# named in a circumstantial phrase of X's clause is X's act (the noun's partner is the target).
# Measured: "at"/"in" cost plover-gsr an event and "during"/"following" cost petr2 validation a
# dyad (a wrong actor); "after"/"on"/"from" lower no held-out figure.
_CIRCUMSTANTIAL = ("after", "on", "from")
_PARTNER_PREPS = ("with", "to", "between")


def _adverbial_meeting(noun: Token, code: str) -> tuple[list[Token], list[Token]]:
    """(sources, targets) of a bare 04x event noun in a circumstantial phrase; none otherwise
    (a bare noun that is the object of another act, "condemned the attack", is not an event
    of its own)."""
    prep = noun.head
    if not code.startswith("04") or noun.dep_ != "pobj" or prep.lower_ not in _CIRCUMSTANTIAL \
            or prep.head.pos_ not in ("VERB", "AUX"):
        return [], []
    partners = [p for c in noun.children if c.dep_ == "prep" and c.lower_ in _PARTNER_PREPS
                for p in _expand(_first(c, ("pobj",)))]
    src = _first(prep.head, _SUBJ)
    if not partners or src is None:
        return [], []
    return _expand(src), partners


def _received_act(verb: Token, noun: Token) -> tuple[list[Token], list[Token]]:
    """"The plan drew criticism from Berlin": the 'from' phrase is the source, the subject
    (or the owner it names, "Israel's plan") the target; no 'from' phrase, no event."""
    src = next((p for node in (verb, noun) for c in node.children
                if c.dep_ == "prep" and c.lower_ == "from"
                for p in [_first(c, ("pobj",))] if p is not None), None)
    if src is None:
        return [], []
    subj = _first(verb, _SUBJ)
    owners = [c for c in subj.children if c.dep_ == "poss"] if subj is not None else []
    return _expand(src), _expand(subj) + owners


def _judged(adj: Token) -> tuple[list[Token], list[Token]]:
    """"X said the vote was illegal", "X called the vote illegal": a judging adjective is the
    judge's (the speaker's) criticism of what it is predicated of. Attributive uses ("the
    illegal occupation") and unreported judgements name no judge: no event."""
    judge, judged = _judge_of(adj, ("acomp", "xcomp"))
    if judge is None:
        return [], []
    return _expand(judge), _expand(judged)


def _judge_of(word: Token, predicative: tuple[str, ...]
              ) -> tuple[Optional[Token], Optional[Token]]:
    """(judge, judged) of a predicated judgement: "X called the vote illegal" (the word an
    object predicate of X's verb) or "X said the vote was illegal" (predicated, in one of the
    ``predicative`` relations, of the subject of a clause X reports); else (None, None)."""
    head = word.head
    if word.dep_ in ("oprd", "acomp") and _first(head, ("dobj",)) is not None:
        return _first(head, _SUBJ), _first(head, ("dobj",))  # "called the vote illegal"
    if word.dep_ in predicative and head.dep_ == "ccomp" \
            and head.head.lemma_.lower() in _REPORTING | _JUDGING:
        return _first(head.head, _SUBJ), _first(head, _SUBJ)
    return None, None


# what a denial calls false: a claim, not an act ("said the accusations were baseless")
_CLAIMS = frozenset("""accusation allegation charge claim report rumor rumour assertion
suggestion""".split())


def _denied(word: Token) -> tuple[list[Token], list[Token]]:
    """"X said the accusations were baseless", "X called the charges false": calling a claim
    false denies it (CAMEO 016). The judge is the source; the claim is no actor, so
    there is no target. Said of anything but a claim ("the figures were false"), or by no
    one: no event."""
    judge, judged = _judge_of(word, ("acomp", "xcomp"))
    if judge is None or judged is None or judged.lemma_.lower() not in _CLAIMS:
        return [], []
    return _expand(judge), []


_JUDGING = {"find", "rule", "consider", "believe", "deem", "declare", "describe", "call"}


def _circumstantial_subject(trig: Token) -> Optional[Token]:
    """"X said after meeting Y", "after killing 20, the gunmen fled": a gerund after a
    temporal preposition shares the subject of the clause it modifies."""
    prep = trig.head
    if trig.dep_ != "pcomp" or trig.tag_ != "VBG" or prep.lower_ not in _TEMPORAL \
            or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    return _first(prep.head, _SUBJ)


_TEMPORAL = ("after", "following", "during", "upon", "while", "since")


def _inherited_subject(trig: Token, governor: Optional[Token]) -> Optional[Token]:
    """Subject shared through xcomp/conj ("agreed to meet", "met X and signed ...")."""
    node = trig
    for _ in range(4):
        if node.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acomp") or (
                governor is not None and node.i == governor.i):
            parent = node.head
            s = _first(parent, _SUBJ)
            if s is not None:
                if node.dep_ == "xcomp" and _first(parent, _OBJ) is not None \
                        and parent.lemma_ in _OBJECT_CONTROL:
                    return _first(parent, _OBJ)  # "urged Iran to talk": Iran talks
                return s
            node = parent
        else:
            break
    return None


# "urged Iran to talk", "led Trump to launch strikes": the object does the inner act.
_OBJECT_CONTROL = {"urge", "ask", "call", "press", "tell", "order", "lead", "prompt", "force",
                   "persuade", "encourage", "compel", "push", "invite"}


def _expand(tok: Optional[Token]) -> list[Token]:
    if tok is None:
        return []
    return [tok] + [c for c in tok.conjuncts if c.i != tok.i]


_REPORTING = {"say", "tell", "announce", "state", "add", "warn", "report", "claim", "declare",
              "insist", "confirm", "indicate", "write", "note", "stress", "reiterate"}


_SUBORDINATE = ("relcl", "acl", "advcl", "pcomp", "amod", "npadvmod", "pobj", "dobj", "nsubj")


def _subordinate(trig: Token) -> bool:
    """A verb in a participial, relative or adverbial clause (not a complement of a cue)."""
    return trig.pos_ == "VERB" and trig.dep_ in _SUBORDINATE


def _infinitive(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _reported(trig: Token) -> bool:
    """Is the trigger's clause the complement of a reporting verb ("X said Y would ...")?"""
    node = trig
    while node.dep_ in ("conj", "xcomp") and node.head.i != node.i:
        node = node.head
    return node.dep_ == "ccomp" and node.head.lemma_.lower() in _REPORTING


def _in_conditional(trig: Token) -> bool:
    for anc in [trig] + list(trig.ancestors)[:2]:
        for c in anc.children:
            if c.dep_ == "mark" and c.lower_ in ("if", "unless"):
                return True
    return False
