"""Attribution: who the article says an event comes from, when it does not assert it itself.

Reads one parsed sentence and the event's trigger token and returns an ``Attribution``
(``records.py``): ``text`` is the attributing phrase as written, ``claimants`` the sources,
outermost first ("a report released by Newsweek citing an anonymous US official" ->
``("Newsweek", "anonymous US official")``). Conventions (ANNOTATION.md, field *claimants*):

* Walking up the dependency parse from the trigger, every reporting verb whose *content*
  holds the trigger (``IRNA said (that) <event>``, ``<event>, the official said``, ``X quoted Y
  as saying <event>``, ``X accused Y of <event>``) adds its speaker; ``according to X``,
  ``citing X`` and a document's author (``a statement by X``, ``released by X``) add theirs.
  A negated reporting verb ("we can't say") claims nothing.
* When the trigger *is* the speech act (the say / announce / deny / urge / accuse itself) its
  own speaker is not a claimant: the statement is the event. Outer layers still count
  ("Lavrov warned ..., according to TASS" -> ``("TASS",)``).
* An actor's own claim of its own act names that actor ("Iran announced that its offensive had
  ended" -> ``("Iran",)``), except an announced intent ("Iran said it would retaliate"): a
  self-referring complement with will/would is the threat or promise itself, so no claimant.
* "reportedly" / "allegedly", or a passive report with no agent ("is said to have"), with no
  named source anywhere give the claimant ``"unnamed reports"`` (``UNNAMED``).
* Claimant strings are the head noun phrase with its modifiers, as written: a leading
  "the"/"a"/"an" is dropped, and so are relative clauses, participle phrases and comma-set
  appositions ("Jay Naidoo, general secretary of ..." -> "Jay Naidoo"). A close apposition is
  kept: "The Iranian news agency IRNA" -> ``"Iranian news agency IRNA"`` (not reduced to
  "IRNA"); "the UN" -> ``"UN"``. Joint speakers stay one claimant ("Iran and Syria").
* ``text`` joins the layers' phrases, outermost first, with `` ... ``; a speaker's phrase runs
  from its subject to its verb as written ("the official said", "Reuters, citing two Western
  diplomats, said"), a source's is the whole phrase ("according to the UN").
* ``trigger=None`` stands for the sentence's root.

Cue words live in ``data/attribution_cues.tsv``. ``AttributionContext`` carries per-article
state: recent speakers (for "It said", "he added", "the agency added", "the statement said")
and an open report whose next sentence in the same paragraph continues it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional

from spacy.tokens import Doc, Span, Token

from .nlp import doc_text
from .records import Attribution

__all__ = ["attribute", "AttributionContext", "Cues", "load_cues", "UNNAMED", "CUE_KINDS"]

#: Claimant for a hedge or agentless passive report with no named source anywhere.
UNNAMED = "unnamed reports"

CUE_KINDS = ("report", "report_object", "accuse", "accuse_prep", "quote", "cite", "source_prep",
             "hedge", "document", "deny", "directive", "intent_modal", "claim_object", "person")

_DROP_DETS = {"the", "a", "an"}
# Dependents that are not part of a claimant's name: clauses and participle phrases.
_NOT_NAME = {"acl", "relcl", "advcl", "parataxis", "ccomp"}
_QUESTION_WORDS = {"whether", "if", "how", "why", "what", "when", "where", "who", "which"}
_VERB_KINDS = ("report", "report_object", "accuse", "quote", "deny", "directive")

_Claim = tuple[str, Optional[bool]]  # (claimant string, is a person: True/False/unknown)


# -- cues ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cues:
    """The attribution lexicon: ``kinds`` maps each kind to its cue words."""

    kinds: dict[str, frozenset[str]]

    def has(self, kind: str, word: str) -> bool:
        return word.lower() in self.kinds.get(kind, frozenset())

    def pairs(self, kind: str) -> list[tuple[str, str]]:
        """Two-word cues of ``kind`` as (head, child) pairs."""
        return [tuple(c.split(" ", 1)) for c in self.kinds.get(kind, ()) if " " in c]

    def verb_kind(self, tok: Token) -> Optional[str]:
        """The speech-verb kind of ``tok`` (None when it is not a verb cue)."""
        if not tok.tag_.startswith("VB"):
            return None
        return next((k for k in _VERB_KINDS if self.has(k, tok.lemma_)), None)


def _parse_cues(text: str, origin: str) -> Cues:
    kinds: dict[str, set[str]] = {k: set() for k in CUE_KINDS}
    header_seen = False
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            if cols[:2] != ["cue", "kind"]:
                raise ValueError(f"E-ATTR-CUES {origin}:{n}: header must start 'cue<TAB>kind'")
            header_seen = True
            continue
        if len(cols) < 2 or cols[1] not in kinds:
            raise ValueError(f"E-ATTR-CUES {origin}:{n}: kind {cols[1:2]} is not one of "
                             f"{', '.join(CUE_KINDS)}")
        kinds[cols[1]].add(cols[0].strip().lower())
    return Cues({k: frozenset(v) for k, v in kinds.items()})


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """Load ``data/attribution_cues.tsv`` once per process."""
    path = resources.files("eventwire").joinpath("data", "attribution_cues.tsv")
    return _parse_cues(path.read_text(encoding="utf-8"), "attribution_cues.tsv")


# -- per-article context ---------------------------------------------------------------------

@dataclass(frozen=True)
class _State:
    speakers: tuple[tuple[_Claim, ...], ...] = ()  # recent speakers' chains, latest first
    report: Optional[Attribution] = None  # open report that a plain next sentence continues
    since: int = 0  # sentences since the report was opened or renewed
    paragraph: int = -1  # char offset of the paragraph break before the sentence
    carry: bool = True  # False in an overlong paragraph (wire copy without breaks)


class AttributionContext:
    """Per-article state: a paragraph opened by "IRNA said ..." or "the statement quoted by
    IRNA" whose following sentence continues the report, and who the recent speakers are.

    ``attribute`` enters each sentence the first time it sees it; call ``observe(sent)`` for
    the sentences without events too, in order, so that no report or speaker is missed.
    """

    #: A plain sentence continues an open report at most this many sentences after it, and
    #: only inside the same paragraph: on the dev set a second plain sentence is as often
    #: the reporter's own background as the source's.
    MAX_CARRY = 1
    #: Paragraphs longer than this (characters) are unbroken copy (ISOT rows, transcripts),
    #: where "the same paragraph" means nothing: no carry-over there.
    MAX_PARAGRAPH_CHARS = 1200
    #: How many recent speakers "he", "it", "the agency" may refer back to.
    MAX_SPEAKERS = 5

    def __init__(self):
        self._doc: Optional[Doc] = None
        self._sent: Optional[int] = None
        self._before = _State()
        self._after = _State()

    @property
    def speaker(self) -> tuple[str, ...]:
        """Claimants of the latest speaker seen before the current sentence."""
        chains = self._before.speakers
        return tuple(name for name, _ in chains[0]) if chains else ()

    def observe(self, sent: Span) -> None:
        """Enter ``sent`` (once; later calls for the same sentence do nothing)."""
        if self._doc is not sent.doc:
            self._doc, self._sent, self._after = sent.doc, None, _State()
        if self._sent == sent.start:
            return
        self._sent = sent.start
        prev, text = self._after, doc_text(sent.doc)
        # from the first word: spaCy may open a sentence with the last paragraph's quote mark
        first = next((t.idx for t in sent if not (t.is_space or t.is_punct)), sent.start_char)
        paragraph = text.rfind("\n\n", 0, first)
        if paragraph != prev.paragraph:
            end = text.find("\n\n", first)
            size = (end if end >= 0 else len(text)) - max(paragraph, 0)
            prev = replace(prev, report=None, paragraph=paragraph,
                           carry=size <= self.MAX_PARAGRAPH_CHARS)
        self._before = replace(prev, since=prev.since + 1)
        self._after = _advance(sent, self._before, load_cues())

    def _state(self) -> _State:
        return self._before


def _advance(sent: Span, state: _State, cues: Cues) -> _State:
    """The state after ``sent``: a root speech verb or source opens a report and a speaker."""
    root = sent.root
    content = next((c for c in root.children if _is_content(c, root, cues)), None)
    layers = _collect(content if content is not None else root, cues, state)
    named = [ly for ly in layers if not ly.weak]
    if not named or all(ly.unresolved for ly in named):
        return state
    chain = tuple(c for ly in reversed(named) for c in ly.claims)
    speakers = (chain,) + tuple(s for s in state.speakers if s != chain)
    return replace(state, speakers=speakers[:AttributionContext.MAX_SPEAKERS],
                   report=_attribution(layers), since=0)


# -- public entry point ----------------------------------------------------------------------

def attribute(sent: Span, trigger: Optional[Token], *,
              context: Optional[AttributionContext] = None) -> Attribution:
    """Who ``sent`` attributes the event at ``trigger`` to (``None``: the sentence root).

    Empty claimants mean the article asserts the event in its own voice, or the trigger is
    itself the speech act. With a ``context``, pronoun and "the agency" speakers are resolved
    and a plain sentence right after a report in the same paragraph inherits that report.
    """
    if trigger is None:
        trigger = sent.root
    if trigger.doc is not sent.doc or not sent.start <= trigger.i < sent.end:
        raise ValueError(f"E-ATTR-TRIGGER trigger {trigger.text!r} (token {trigger.i}) is not "
                         f"inside the sentence {sent.text[:60]!r}")
    cues = load_cues()
    state = _State()
    if context is not None:
        context.observe(sent)
        state = context._state()
    found = _attribution(_collect(trigger, cues, state))
    if found.claimants or state.report is None or not state.carry:
        return found
    if state.since <= AttributionContext.MAX_CARRY and not _has_report_cue(sent, cues):
        return state.report
    return found


# -- the walk from trigger to root -----------------------------------------------------------

@dataclass
class _Layer:
    claims: tuple[_Claim, ...]
    tokens: list[Token] = field(default_factory=list)  # the phrase as written spans these
    weak: bool = False  # hedge or agentless passive: dropped when a named source exists
    unresolved: bool = False  # a pronoun speaker ("I must say") no earlier speaker names

    def span(self) -> Optional[Span]:
        if not self.tokens:
            return None
        doc = self.tokens[0].doc
        found = _strip_punct(doc[min(t.i for t in self.tokens):max(t.i for t in self.tokens) + 1])
        return found if len(found) else None


def _collect(trigger: Token, cues: Cues, state: _State) -> list[_Layer]:
    """Attribution layers from ``trigger`` up to the root, innermost first.

    At each node the order, innermost first, is: what its speaker cites ("citing X"), its
    speaker (when the path entered it through its content), then "according to X" and hedges.
    """
    layers: list[_Layer] = []
    node, child = trigger, None
    for _ in range(len(trigger.sent) + 1):  # a parse is a tree; the bound guards bad input
        if child is not None and _is_content(child, node, cues):
            if _negated(node):
                break  # "we can't say whether it happened": nobody claims it
            if not _announced_intent(child, cues):
                layers += _cite_layers(node, cues, state)
                layers += _speaker_layers(node, child, cues, state)
        elif node == trigger and cues.verb_kind(trigger) is None:
            # a speech-act trigger's "citing X" is its speaker's source, not the speech's
            layers += _cite_layers(node, cues, state)
        layers += _source_layers(node, cues, state)
        if node.head == node:  # spaCy makes a new Token per access: compare, never `is`
            break
        node, child = node.head, node
    return layers


def _attribution(layers: list[_Layer]) -> Attribution:
    named = [ly for ly in layers if not ly.weak]
    kept = list(reversed(named or layers[:1]))  # outermost first
    claimants: list[str] = []
    for ly in kept:
        claimants += [name for name, _ in ly.claims if name and name not in claimants]
    spans = [sp for sp in (ly.span() for ly in kept) if sp is not None]
    texts: list[str] = []
    for sp in spans:  # a phrase inside another layer's phrase is not repeated
        inside = any((o.start, o.end) != (sp.start, sp.end) and o.start <= sp.start
                     and sp.end <= o.end for o in spans)
        if not inside and sp.text not in texts:
            texts.append(sp.text)
    return Attribution(text=" ... ".join(texts) or None, claimants=tuple(claimants))


def _is_content(child: Token, head: Token, cues: Cues) -> bool:
    """Is ``child`` the claimed content of the speech verb ``head``?"""
    kind = cues.verb_kind(head)
    if child.left_edge.lower_ in _QUESTION_WORDS and child.left_edge.i > head.i:
        return False  # "seek to understand how ...", "can't say whether ...": no claim
    if kind in ("report", "report_object", "quote") and child.dep_ in ("ccomp", "parataxis"):
        return True
    if kind in ("report", "report_object"):
        if child.dep_ == "xcomp" and _is_passive(head):
            return True  # "Iran is said to have launched ..."
        if kind == "report_object" and child.dep_ == "dobj":
            return True  # "reports heavy fighting"; "claimed responsibility for <event>"
        return child.dep_ == "prep" and child.lower_ == "for" and any(
            c.dep_ == "dobj" and cues.has("claim_object", c.lemma_) for c in head.children)
    if kind == "accuse":
        return child.dep_ == "prep" and cues.has("accuse_prep", child.lower_)
    if kind == "quote":
        return child.dep_ == "prep" and child.lower_ == "as"
    return False


def _announced_intent(content: Token, cues: Cues) -> bool:
    """"Iran said it would retaliate": a self-referring future complement is the speech act."""
    if not any(c.dep_ == "aux" and cues.has("intent_modal", c.lower_) for c in content.children):
        return False
    subj = next((c for c in content.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return False
    return subj.tag_ == "PRP" or any(c.dep_ == "poss" and c.tag_ == "PRP$"
                                     for c in subj.children)


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _has_report_cue(sent: Span, cues: Cues) -> bool:
    """Does the sentence name its own sources (so it cannot continue a report)?"""
    pairs = cues.pairs("source_prep")
    for tok in sent:
        if cues.verb_kind(tok) or cues.has("hedge", tok.lower_):
            return True
        if any(tok.lower_ == a and any(c.lower_ == b for c in tok.children) for a, b in pairs):
            return True
    return False


# -- layers ----------------------------------------------------------------------------------

def _speaker_layers(verb: Token, content: Token, cues: Cues, state: _State) -> list[_Layer]:
    """The speaker of ``verb``, whose ``content`` holds the trigger (outer layer last)."""
    subj, weak = _logical_subject(verb, cues)
    tokens = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    inner: list[_Layer] = []
    if verb.dep_ == "pcomp" and verb.head.lower_ == "as":
        tokens = list(subj.subtree) if subj is not None else []  # Y of "quoted Y as saying"
    elif subj is not None and _near(subj, verb):
        # the phrase as written runs from the subject to the verb (or verb to subject)
        tokens += [subj.left_edge] if subj.i < verb.i else [subj.right_edge]
    if cues.verb_kind(verb) == "quote":  # "It quoted Y as saying", "Y was quoted as saying"
        quoted = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
        tokens += list(quoted.subtree) if quoted is not None else []
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "as":
                tokens += [c] + [p for p in c.children if p.dep_ == "pcomp"]
        if quoted is not None and content.dep_ != "prep":  # content hangs on "quoted" itself
            inner.append(_Layer(_claims(quoted, cues, state), tokens))
    if subj is None:
        return inner + ([_Layer(((UNNAMED, None),), tokens, weak=True)] if weak else [])
    claims = _claims(subj, cues, state)
    return inner + [_Layer(claims, tokens, unresolved=claims == ((subj.text, None),))]


def _near(subj: Token, verb: Token) -> bool:
    """The subject is in the verb's own phrase (not inherited from a far conjunct)."""
    return verb in (subj.head, subj.head.head) or verb.head == subj


def _logical_subject(verb: Token, cues: Cues) -> tuple[Optional[Token], bool]:
    """Who speaks with ``verb``; the flag says an agentless passive means unnamed reports."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            if c.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
                return verb.head, False  # "IRNA, which said ..."
            return c, False
    if _is_passive(verb):
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        return pobj, pobj is None
    head = verb.head
    if verb.dep_ == "pcomp" and head.lower_ == "as" and cues.verb_kind(head.head) == "quote":
        quote = head.head  # "X quoted Y as saying": Y speaks; passive "Y was quoted as saying"
        found = next((c for c in quote.children if c.dep_ in ("dobj", "nsubjpass")), None)
        return found, False
    if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
        return head, False  # "a statement saying that ..."
    if verb.dep_ in ("conj", "advcl", "xcomp") and head != verb:
        return _logical_subject(head, cues)  # "... and said", "..., saying that"
    return None, False


def _cite_layers(node: Token, cues: Cues, state: _State) -> list[_Layer]:
    """"Reuters, citing two Western diplomats, said": the cited source of ``node``'s speaker."""
    out: list[_Layer] = []
    for c in node.children:
        if c.dep_ in ("advcl", "acl") and _is_citing(c, cues):
            for obj in (o for o in c.children if o.dep_ == "dobj"):
                out.append(_Layer(_claims(obj, cues, state), list(c.subtree)))
    return out


def _source_layers(node: Token, cues: Cues, state: _State) -> list[_Layer]:
    """"according to X" and hedges ("reportedly") attached to ``node``."""
    out: list[_Layer] = []
    for c in node.children:
        if c.dep_ == "advmod" and cues.has("hedge", c.lower_):
            out.append(_Layer(((UNNAMED, None),), [c], weak=True))
        for head_word, child_word in cues.pairs("source_prep"):
            if c.lower_ != head_word:
                continue
            to = next((t for t in c.children if t.lower_ == child_word), None)
            for pobj in (p for p in (to.children if to else ()) if p.dep_ == "pobj"):
                out.append(_Layer(_claims(pobj, cues, state), list(c.subtree)))
    return out


def _is_citing(tok: Token, cues: Cues) -> bool:
    if cues.has("cite", tok.lemma_):
        return True
    # "quoting Y" works as "citing Y"; "quoted Y as saying" is handled as a speaker
    return (cues.has("quote", tok.lemma_) and tok.tag_ == "VBG"
            and not any(c.lower_ == "as" for c in tok.children))


# -- claimant noun phrases -------------------------------------------------------------------

def _claims(head: Token, cues: Cues, state: _State) -> tuple[_Claim, ...]:
    """The claimant chain of a speaker noun phrase, outermost first."""
    if head.tag_ == "PRP":
        return _pronoun(head, state)
    resolved = _anaphor(head, cues, state)
    if resolved:
        return resolved
    chain: list[_Claim] = []
    if cues.has("document", head.lemma_):
        chain += _document_author(head, cues, state)
    if not chain:
        chain.append((_np_name(head), _is_person(head, cues)))
    for c in head.children:
        if c.dep_ in ("acl", "advcl") and _is_citing(c, cues):
            chain += [x for o in c.children if o.dep_ == "dobj" for x in _claims(o, cues, state)]
    return tuple(chain)


def _pronoun(tok: Token, state: _State) -> tuple[_Claim, ...]:
    """A pronoun speaker: "he"/"she" (and "I"/"we" inside quotes) -> the latest speaker that
    may be a person, "it" -> the latest that may be an organisation, "they" -> the latest.
    Unresolved, the pronoun is kept as written."""
    word = tok.lower_
    wanted = {"it": (False, None), "they": (True, False, None)}.get(word, (True, None))
    for chain in state.speakers:
        for i in range(len(chain) - 1, -1, -1):  # innermost first: "It quoted Y ... he said"
            if chain[i][1] in wanted:
                return chain[: i + 1]
    return ((tok.text, None),)


def _anaphor(head: Token, cues: Cues, state: _State) -> tuple[_Claim, ...]:
    """A definite common-noun speaker that names an earlier one: "the agency" after "the
    Iranian news agency IRNA", "the high command" after "Chad's military high command";
    "the statement" is the latest speaker. Resolved to that speaker's chain up to the match.
    """
    words = sorted((t for t in _np_tokens(head) if t != head and not t.is_punct),
                   key=lambda t: t.i)
    if (not state.speakers or not words or words[0].lower_ != "the"
            or any(t.pos_ == "PROPN" or t.dep_ in ("prep", "appos") for t in words)):
        return ()
    if cues.has("document", head.lemma_) and len(words) == 1:
        return state.speakers[0]
    wanted = {t.lower_ for t in words[1:]} | {head.lower_}
    for chain in state.speakers:
        for i, (name, _) in enumerate(chain):
            if wanted <= set(name.lower().split()):
                return chain[: i + 1]
    return ()


def _document_author(doc_noun: Token, cues: Cues, state: _State) -> list[_Claim]:
    """Author of "a report released by Newsweek", "a statement by the army", "IRNA's report"."""
    for c in doc_noun.children:
        if c.dep_ == "poss":
            return list(_claims(c, cues, state))
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            return [x for p in c.children if p.dep_ == "pobj" for x in _claims(p, cues, state)]
        if c.dep_ == "acl" and not _is_citing(c, cues):
            for a in (a for a in c.children if a.dep_ == "agent"):
                return [x for p in a.children if p.dep_ == "pobj" for x in _claims(p, cues, state)]
    if doc_noun.dep_ == "dobj":  # "Iran issued a statement saying ..."
        subj, _ = _logical_subject(doc_noun.head, cues)
        if subj is not None and subj != doc_noun:
            return list(_claims(subj, cues, state))
    return []


def _is_person(head: Token, cues: Cues) -> Optional[bool]:
    """True for a person ("spokesman", a PERSON name), False for an organisation, place or
    other common noun, None when the small model cannot tell (an untyped proper name)."""
    names = [head] + [t for t in head.children if t.dep_ in ("compound", "appos")]
    if cues.has("person", head.lemma_) or any(t.ent_type_ == "PERSON" for t in names):
        return True
    if head.pos_ == "NOUN" or head.ent_type_ in ("GPE", "ORG", "NORP", "FAC", "LOC"):
        return False
    return None


def _np_tokens(head: Token) -> Iterable[Token]:
    """Tokens of ``head``'s name: without clauses, participle phrases, comma-set appositions,
    "by" phrases and reflexives ("Putin himself")."""
    stack = [head]
    if head.dep_ == "nsubj":
        # "The Iranian news agency IRNA said": without a comma the small model makes "IRNA"
        # a second subject of "said"; it belongs to the same name
        stack += [s for s in head.head.children
                  if s.dep_ == "nsubj" and s.i == head.right_edge.i + 1]
    while stack:
        tok = stack.pop()
        yield tok
        for c in tok.children:
            if (c.dep_ in _NOT_NAME or (c.dep_ == "prep" and c.lower_ in ("by", "according"))
                    or (c.dep_ == "appos" and c.i > 0 and c.doc[c.left_edge.i - 1].text == ",")
                    or (c.tag_ == "PRP" and c.lower_.endswith(("self", "selves")))):
                continue
            stack.append(c)


def _np_name(head: Token) -> str:
    """The claimant string: the head noun phrase with its modifiers, leading article dropped.

    Case is kept as written: a sentence-initial "Regional" stays capitalised, because the
    small model cannot tell it from a proper adjective such as "Western".
    """
    toks = sorted(_np_tokens(head), key=lambda t: t.i)
    last = toks[-1]
    # "ex-hostages": the small model splits a hyphenated word and keeps only its first part
    while last.i + 2 < len(last.doc) and not last.whitespace_ and last.nbor().text == "-":
        toks += [last.nbor(), last.nbor(2)]
        last = toks[-1]
    dashes = [k for k, t in enumerate(toks) if t.text in ("-", "--", "\u2013", "\u2014")
              and t.whitespace_ and k and toks[k - 1].whitespace_]
    if dashes:  # an unmasked wire dateline: "N'DJAMENA, March 25 - Chad's military ..."
        toks = toks[dashes[-1] + 1:]
    while toks and (toks[0].is_punct or toks[0].lower_ in _DROP_DETS):
        toks.pop(0)
    while toks and toks[-1].dep_ == "case":
        toks.pop()  # "TNO's report": the author is "TNO"
    while toks and toks[-1].is_punct and not (
            toks[-1].is_bracket and sum(t.is_left_punct for t in toks) >
            sum(t.is_right_punct for t in toks[:-1])):
        toks.pop()  # keep ")" when it closes "(EU"
    # commas left at a gap belonged to a dropped apposition: "Salah Tamari, a member, on ..."
    toks = [t for k, t in enumerate(toks) if not (t.text == "," and (
        k + 1 == len(toks) or toks[k + 1].i != t.i + 1 or (k and toks[k - 1].i != t.i - 1)))]
    parts = []
    for i, tok in enumerate(toks):
        adjacent = i + 1 < len(toks) and toks[i + 1].i == tok.i + 1
        parts.append(tok.text + (tok.whitespace_ if adjacent else " "))
    return " ".join("".join(parts).split())


def _strip_punct(span: Span) -> Span:
    lo, hi = span.start, span.end
    while lo < hi and (span.doc[lo].is_punct or span.doc[lo].is_space):
        lo += 1
    while hi > lo and (span.doc[hi - 1].is_punct or span.doc[hi - 1].is_space):
        hi -= 1
    return span.doc[lo:hi]
