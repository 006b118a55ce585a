"""The event's own date in a parsed sentence: which date expression governs the trigger,
tense, history-paragraph carry-over and fallbacks. Part of ``eventwire.dates``."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Optional

from ..nlp import doc_text, sent_ents
from ..records import When
from ..settings import DEFAULT, Settings
from .expressions import _MONTH_RE, Cues, _resolve, is_background, load_cues

__all__ = ["DateContext"]


_PASS_THROUGH = {"xcomp": -1, "conj": 1}
_CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "csubj", "csubjpass", "parataxis", "xcomp",
                "conj", "ROOT", "pcomp"}
_FUTURE_AUX = {"will", "'ll", "shall", "wo", "would"}
_PAST_AUX = {"had", "was", "were", "did", "'d"}
_REPORTING = {"say", "tell", "add", "state", "report", "announce", "quote", "claim"}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_DATELINE = re.compile(
    r"\s*[A-Z][A-Z .'\u2019/-]*[A-Z](?:,\s*[A-Z][A-Za-z .'-]*)?,\s*(?i:" + _MONTH_RE
    + r")\s*\d{1,2}(?:,\s*\d{4})?\s*(?:\([^)]{1,30}\))?\s*[-\u2013\u2014]+")
_RETOLD_CUE = r"\b(?:\d+|[a-z]+)[- ](?:year|decade|month)s?(?:[- ](?:long|old))?[- ]"


def _is_clause_head(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX") or tok.dep_ in _CLAUSE_DEPS


def _rank(root, trigger) -> Optional[int]:
    """How directly the expression rooted at ``root`` modifies ``trigger``: 0 own, 1 through a
    conjoined verb, None when a clause boundary (relative clause, complement ...) comes first."""
    rank, tok = 0, root
    while tok.head.i != tok.i:
        tok = tok.head
        if tok == trigger:
            return rank
        if _is_clause_head(tok):
            if tok.dep_ not in _PASS_THROUGH:
                return None
            rank = max(rank, _PASS_THROUGH[tok.dep_])
    return None


def _clause_head(root):
    """The verb the expression attaches to (for its tense)."""
    tok = root
    while tok.head.i != tok.i:
        tok = tok.head
        if _is_clause_head(tok):
            return tok
    return tok


def _tense(verb, cues: Cues) -> str:
    """future | past | present for the clause headed by ``verb``."""
    if verb is None:
        return "past"
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxes & _FUTURE_AUX:
        return "future"
    if verb.dep_ == "xcomp" and (verb.head.lemma_.lower() in cues.future_head
                                 or verb.head.lemma_ == "be"):
        return "future"  # "plans to visit", "is to visit", "is due to meet"
    if verb.tag_ == "VBD" or auxes & _PAST_AUX:
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or (verb.tag_ == "VBG" and auxes & {"is", "are", "'s", "'re"}):
        # wire copy uses the present for scheduled acts: "ministers meet on Monday"
        return "present" if auxes & {"has", "have"} else "future"
    return "past"


def _paragraph_of(doc, char: int) -> int:
    return len(_PARAGRAPH_BREAK.findall(doc_text(doc), 0, char))


@dataclass(frozen=True)
class _Candidate:
    text: str
    root: object  # spaCy Token
    start_char: int
    tokens: range  # token indices of the date entity


def _describes(cand: _Candidate, target) -> bool:
    """The trigger's clause modifies the date itself: "since Sunday, when seven soldiers
    perished" dates 'perished' by Sunday."""
    tok = target
    while tok.head.i != tok.i and not (tok.i != target.i and _is_clause_head(tok)):
        if tok.dep_ in ("relcl", "acl", "advcl") and tok.head.i in cand.tokens:
            return True
        tok = tok.head
    return False


class DateContext:
    """Resolves the event time of triggers in the sentences of one article.

    >>> ctx = DateContext(date(2023, 1, 24))
    >>> # when = ctx.resolve(sentence, trigger); ctx.background(when, sentence, trigger)
    """

    # A narrated date carries this many sentences on: single-paragraph copy (ISOT, TimeBank)
    # would otherwise date a whole story by its one background sentence.
    _CARRY_WINDOW = 2

    def __init__(self, published: Optional[date], *, settings: Settings = DEFAULT):
        self.published = published
        self.settings = settings
        self._cues = load_cues()
        # per-article caches (this object lives for one article): sentence -> its own date, and
        # the caller's paragraph number -> its last date, for sentences parsed as separate docs
        self._sentence_dates: dict[tuple[int, int], tuple[object, Optional[When]]] = {}
        self._paragraph_memo: dict[int, tuple[object, Optional[When]]] = {}

    # -- public ---------------------------------------------------------------------------------

    def resolve(self, sent, trigger=None, *, paragraph: int = 0) -> When:
        """The time of the event that ``trigger`` (default: the sentence root) states in ``sent``.

        Picks the date expression that modifies the trigger (or, failing that, the clause that
        governs it), resolves it in the tense of its own clause, carries the date narrated just
        before (within the paragraph, two sentences at most) to a past-tense sentence with no
        date of its own, and otherwise falls back to the publication date with a reason that
        says so. ``paragraph`` links sentences parsed as separate docs. Never raises.
        """
        try:
            return self._resolve_in(sent, trigger, paragraph)
        except (AttributeError, TypeError, ValueError, OverflowError, IndexError) as exc:
            # an odd input (no parse, a bare string) must not stop the article: say why
            return self._fallback(f"could not read the sentence ({type(exc).__name__}: {exc})")

    def background(self, when: When, sent=None, trigger=None) -> bool:
        """Is the event retold history? (:func:`is_background`, with the retold cue read here.)"""
        retold = _is_long_span(when) or when.reason.startswith("since")
        if not retold and sent is not None and when.reason.startswith("fallback"):
            if self._retold_undated(sent, trigger):
                return True
        return is_background(when, self.published, retold=retold,
                             days=self.settings.background_days)

    def _retold_undated(self, sent, trigger) -> bool:
        """An undated long-running condition ("the 20-year insurgency", "decades-long war") or
        a perfect of repeated or past acts ("has repeatedly called", "has raided ... in the
        past")."""
        verb = trigger if trigger is not None else getattr(sent, "root", None)
        if verb is None:
            return False
        for noun in (verb, *verb.children):  # the condition is the trigger or its argument
            if noun.lemma_.lower() in self._cues.retold_noun and re.search(
                    r"(?:" + _RETOLD_CUE + r"|decades?[- ]long\s+)(?:\w+\s+)?$",
                    doc_text(sent.doc)[max(0, noun.idx - 40):noun.idx].lower()):
                return True
        if not any(c.lower_ in ("has", "have") for c in verb.children):
            return False
        clause = " ".join(t.lower_ for t in verb.subtree)
        return any(re.search(r"\b" + re.escape(a) + r"\b", clause)
                   for a in self._cues.retold_adverb)

    # -- choosing -------------------------------------------------------------------------------

    def _resolve_in(self, sent, trigger, paragraph: int) -> When:
        target = trigger if trigger is not None else sent.root
        dated = self._sentence_candidates(sent)
        if dated:
            self._paragraph_memo[paragraph] = (sent.doc, self._main_date(sent, dated))
        best = None
        for cand, when in dated:
            rank = 0 if _describes(cand, target) else _rank(cand.root, target)
            if rank is not None:
                key = (rank, abs(cand.root.i - target.i))
                best = min(best, (key, cand.start_char, when)) if best else (key, cand.start_char,
                                                                               when)
        if best is not None:
            return best[2]
        for ancestor in target.ancestors:  # "said on Monday that it had ended": Monday
            if not _is_clause_head(ancestor):
                continue
            for cand, when in dated:
                if _rank(cand.root, ancestor) == 0:
                    return replace(when, reason=f"from the governing clause "
                                                f"{ancestor.text!r}: {when.reason}")
        if dated:
            return self._fallback("the sentence's dates modify other clauses")
        carried = self._carry(sent, target, paragraph)
        return carried or self._fallback("no date expression in the sentence")

    def _carry(self, sent, target, paragraph: int) -> Optional[When]:
        """A past-tense sentence with no date takes the date narrated just before it in the
        paragraph: a history paragraph's "In 2018", or the lead's "on Monday" (on the gold, even
        recent dates carried beat the publication date)."""
        verb = target if _is_clause_head(target) else _clause_head(target)
        auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        if not (verb.tag_ == "VBD" or auxes & _PAST_AUX) or auxes & _FUTURE_AUX:
            return None
        if re.search("[\"\u201c\u201d]", sent.text) or any(
                t.lemma_ in _REPORTING for t in (verb, *verb.ancestors)):
            return None  # quotes and "X said" are today's reporting, not the history being told
        prev, at_doc_start = self._previous_date(sent, window=self._CARRY_WINDOW)
        if prev is None and at_doc_start:
            doc, memo = self._paragraph_memo.get(paragraph, (None, None))
            if doc is None and self._opens_sequence(sent):  # "In retaliation, ...": one back
                doc, memo = self._paragraph_memo.get(paragraph - 1, (None, None))
            prev = memo if doc is not None and doc is not sent.doc else None
        if prev is None or (self.published is not None and prev.start > self.published):
            return None  # a planned date does not date what has already happened
        return replace(prev, reason=f"carried over from {prev.text!r} earlier in the paragraph "
                                    f"({prev.reason})")

    def _fallback(self, why: str) -> When:
        if self.published is None:
            return When(None, None, None, "unknown", f"no publication date; {why}")
        return When(None, self.published, self.published, "day",
                    f"fallback to the publication date: {why}")

    # -- reading the sentence -------------------------------------------------------------------

    def _sentence_candidates(self, sent) -> list[tuple[_Candidate, When]]:
        """The sentence's date expressions that resolve, in order, each in its clause's tense."""
        key = (id(sent.doc), sent.start)
        cached = self._sentence_dates.get(key)
        if cached is not None and cached[0] is sent.doc:
            return cached[1]
        out: list[tuple[_Candidate, When]] = []
        skip = _dateline_end(sent.doc)
        for ent in sent_ents(sent):
            if ent.label_ not in ("DATE", "TIME") or ent.start_char < skip:
                continue
            start = ent.start
            before = sent.doc[start - 1] if start > sent.start else None
            if before is not None and before.lower_ in ("since",) + self._cues.prep:
                start -= 1  # keep "since" (it makes a span) and "in"/"on" (as written)
            cand = _Candidate(sent.doc[start:ent.end].text, ent.root, sent.doc[start].idx,
                              range(ent.start, ent.end))
            anchor = out[-1][1].start if out else None
            when = self._resolve_candidate(cand, sent, anchor)
            if when is not None:
                out.append((cand, when))
        self._sentence_dates[key] = (sent.doc, out)
        return out

    def _resolve_candidate(self, cand: _Candidate, sent, anchor: Optional[date]) -> Optional[When]:
        future = (_tense(_clause_head(cand.root), self._cues) == "future"
                  or cand.text.lower().startswith("for "))  # "a hartal for Thursday" is planned
        if self.published is not None:
            if anchor is None and re.search(r"\b(?:earlier|later|before|after|previous|following|"
                                            r"next day|same day|that)\b", cand.text.lower()):
                prev, _ = self._previous_date(sent, day=True)
                anchor = prev.start if prev is not None and prev.precision == "day" else None
            return _resolve(cand.text, self.published, future=future, anchor=anchor)
        # No publication date: keep only readings that do not depend on it ("In 2018").
        one = _resolve(cand.text, date(2000, 6, 15), future=future, anchor=None)
        two = _resolve(cand.text, date(2010, 3, 10), future=future, anchor=None)
        if one is None or two is None or (one.start, one.end) != (two.start, two.end):
            return None
        return replace(one, reason=f"{one.reason} (absolute; no publication date)")

    def _main_date(self, sent, dated) -> Optional[When]:
        """The sentence's own date: the one on its main verb, else its first."""
        for cand, when in dated:
            if _rank(cand.root, sent.root) == 0:
                return when
        return dated[0][1] if dated else None

    def _opens_sequence(self, sent) -> bool:
        """Does the sentence open with a sequence connective of date_cues.tsv ("In response,",
        "Hours later", "The next day")?"""
        head = sent.text.lstrip(" \t\n\"'\u201c").lower()
        return any(head.startswith(cue) and not head[len(cue):len(cue) + 1].isalnum()
                   for cue in self._cues.sequence)

    def _previous_date(self, sent, window: int = 1000, *,
                       day: bool = False) -> tuple[Optional[When], bool]:
        """The date of the nearest earlier dated sentence (at most ``window`` back) in the same
        paragraph (or the one before, after a sequence connective), and whether the scan reached
        the start of the doc (the paragraph may go on before it, in another doc). With ``day``,
        the sentence's last day-precision date stands in for a coarser main date."""
        doc = sent.doc
        para = _paragraph_of(doc, sent.start_char)
        # "In retaliation, ..." / "Hours later, ..." continues the act told just before, which
        # wire copy often puts in the paragraph before (one sentence per paragraph)
        paras = (para, para - 1) if self._opens_sequence(sent) else (para,)
        earlier = [s for s in doc.sents if s.end <= sent.start]
        if len(earlier) > window:
            earlier, window = earlier[-window:], -1
        for prev in reversed(earlier):
            if _paragraph_of(doc, prev.start_char) not in paras:
                return None, False
            dated = self._sentence_candidates(prev)
            if dated:
                main = self._main_date(prev, dated)
                if day and main is not None and main.precision != "day":
                    # "Two days earlier" counts from a day: "a report sent on Oct. 26" in a
                    # sentence whose main date is "in April"
                    main = next((w for _, w in reversed(dated) if w.precision == "day"), main)
                return main, False
        return None, window != -1


def _dateline_end(doc) -> int:
    """End offset of a wire dateline ("LONDON, Feb 26 -") opening the doc, else 0: its date is
    the report's date, never an event's."""
    m = _DATELINE.match(doc_text(doc)[:300])
    return m.end() if m else 0


def _is_long_span(when: When) -> bool:
    """A vague span of a year or more (the past two years, the 1990s) retells context."""
    if when.precision not in ("span", "decade") or when.start is None or when.end is None:
        return False
    return (when.end - when.start).days > 366  # "the past year" is still current news
