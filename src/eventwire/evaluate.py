"""Scoring against gold sets, following ../shared/ANNOTATION.md ("Scoring").

A prediction matches a gold event when: same article; its sentence contains the first 40
characters of the gold quote (whitespace collapsed, case and curly quotes ignored); same CAMEO
root; the source country (first three letters of the code, or the IGO code) equals one
alternative of ``source_actor``; likewise the target unless the gold target is empty.
Matching is one-to-one. Recall counts required events only; a prediction that matches an
optional gold event is neither a false positive nor needed for recall.

Gold formats read: eventwire gold JSONL (+ an articles JSONL) and the PETRARCH2 validation
records (``training/petr2_gsr_validation/records.jsonl``: one sentence per record, full codes).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Optional

from .records import Article, Event

# Codes that are not "country + role": compared whole (ANNOTATION.md: IGOs and named groups).
_IGO_PREFIXES = ("IGO", "NGO", "MNC", "IMG")
_PETR_IGO = {"IGOUNO": "UN", "IGOEUREEC": "EU", "IGONAT": "NATO", "IGOAFRAFU": "AU"}


def norm_text(s: str) -> str:
    s = s.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    return re.sub(r"\s+", " ", s).strip().lower()


def actor_key(code: Optional[str]) -> Optional[str]:
    """The part of an actor code that scoring compares: ISO3 country or the IGO/group code."""
    if not code:
        return None
    code = _PETR_IGO.get(code, code)
    if len(code) <= 3 or code.startswith(_IGO_PREFIXES) or not code[:3].isalpha():
        return code
    if code in ("NATO", "ICJ", "ICC", "IAEA", "OPEC", "ASEAN", "WHO"):
        return code
    return code[:3]


def pred_key(actor) -> Optional[str]:
    if actor is None:
        return None
    return actor.country or actor_key(actor.code)


@dataclass
class GoldEvent:
    article_id: str
    quote: str
    source: list[str]
    target: list[str]
    cameo: str
    root: str
    when: Optional[str] = None
    background: Optional[bool] = None
    optional: bool = False
    plover: Optional[str] = None
    where: Optional[str] = None
    claimants: Optional[list] = None
    has_place: bool = True  # False for gold sets that do not code places (PETRARCH records)

    @classmethod
    def from_json(cls, r: dict) -> "GoldEvent":
        def alts(v):
            return [a.strip() for a in (v or "").split("|") if a.strip()]
        cameo = str(r.get("cameo") or r.get("cameo_root"))
        return cls(article_id=r["article_id"], quote=r["quote"], source=alts(r.get("source_actor")),
                   target=alts(r.get("target_actor")), cameo=cameo,
                   root=str(r.get("cameo_root") or cameo[:2]), when=r.get("when"),
                   background=r.get("background"), optional=bool(r.get("optional")),
                   plover=r.get("plover"), where=r.get("where"),
                   claimants=r.get("claimants"))


@dataclass
class GoldSet:
    name: str
    articles: list[Article]
    events: list[GoldEvent]
    kind: str = "cameo"  # "plover": gold has PLOVER types only (scored at that level)
    dictionaries: Optional[str] = None  # actor dictionaries this set is written against


def load_eventwire_gold(gold: Path, articles: Path, *, name: str | None = None) -> GoldSet:
    """Eventwire gold JSONL plus its articles JSONL (id, published, title, text)."""
    events = [GoldEvent.from_json(json.loads(ln)) for ln in gold.read_text("utf-8").splitlines()
              if ln.strip()]
    wanted = {e.article_id for e in events}
    arts = []
    for ln in articles.read_text("utf-8").splitlines():
        if not ln.strip():
            continue
        r = json.loads(ln)
        if r["id"] in wanted:
            arts.append(Article(id=r["id"], text=r["text"], title=r.get("title"),
                                publisher=r.get("publisher"),
                                published=date.fromisoformat(r["published"][:10])))
    return GoldSet(name or gold.stem, arts, events)


def load_petr_records(path: Path, *, name: str = "petr2-gsr-validation") -> GoldSet:
    """PETRARCH2 validation records: one sentence per record with full CAMEO codes."""
    arts, events = [], []
    for ln in path.read_text("utf-8").splitlines():
        if not ln.strip():
            continue
        r = json.loads(ln)
        if str(r.get("evaluate", "true")).lower() == "false":
            continue
        d = r.get("date") or ""
        pub = date(int(d[:4]), int(d[4:6]), int(d[6:8])) if len(d) == 8 else None
        arts.append(Article(id=r["source_id"], text=r["text"], published=pub))
        for c in r.get("event_codings") or []:
            if not isinstance(c, dict) or "eventcode" not in c:
                continue
            code = c["eventcode"]
            events.append(GoldEvent(r["source_id"], r["text"], [c.get("sourcecode", "")],
                                    [c.get("targetcode", "")] if c.get("targetcode") else [],
                                    code, code[:2], plover=_plover_of(code), has_place=False))
    return GoldSet(name, arts, events)


def load_gigaword(gold: Path, xml: Path, *, name: str = "gigaword") -> GoldSet:
    """Eventwire gold over PETRARCH's GigaWord sample (sentences read from the XML in place;
    each sentence is an article dated by its ``date`` attribute). The sample reuses one id
    for two sentences, so sentences sharing an id are joined into one article."""
    import xml.etree.ElementTree as ET

    texts: dict[str, list[str]] = {}
    dates: dict[str, date] = {}
    for el in ET.parse(xml).getroot().iter("Sentence"):
        sid, d = el.get("id", "").strip(), el.get("date", "").strip()
        text = re.sub(r"\s+", " ", el.findtext("Text") or "").strip()
        if not sid or not text:
            continue
        texts.setdefault(sid, []).append(text)
        if len(d) == 8:
            dates[sid] = date(int(d[:4]), int(d[4:6]), int(d[6:8]))
    arts = [Article(id=sid, text="\n\n".join(parts), published=dates.get(sid))
            for sid, parts in texts.items()]
    events = [GoldEvent.from_json(json.loads(ln)) for ln in gold.read_text("utf-8").splitlines()
              if ln.strip()]
    return GoldSet(name, arts, events)


# Retired PLOVER categories in the old gold standard records (ontology README).
_PLOVER_RENAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
                   "FIGHT": "ASSAULT"}


def load_plover_gsr(path: Path, *, name: str = "plover-gsr") -> GoldSet:
    """PLOVER's gold standard records (v0.5b1, one sentence each, PLOVER types only; dates
    are placeholders). A smoke test of typing and actor coding, not a benchmark."""
    arts, events = [], []
    ids: Counter = Counter()
    for r in json.loads(Path(path).read_text("utf-8")):
        if r.get("event") == "DOCUMENT" or not r.get("text"):
            continue
        ids[r["id"]] += 1
        if ids[r["id"]] > 1:  # the file reuses one id for two sentences
            r = {**r, "id": f"{r['id']}#{ids[r['id']]}"}
        d = r.get("date") or ""
        arts.append(Article(id=r["id"], text=r["text"],
                            published=date.fromisoformat(d) if len(d) == 10 else None))
        typ = _PLOVER_RENAMES.get(r["event"], r["event"])
        events.append(GoldEvent(r["id"], r["text"], _gsr_codes(r, "source"),
                                _gsr_codes(r, "target"), "", "", plover=typ, has_place=False))
    return GoldSet(name, arts, events, kind="plover")


def load_petr_xml(path: Path, *, name: str = "petr2-unit-tests") -> GoldSet:
    """PETRARCH2's unit-test records (PETR.UnitTest.records.xml): stylised sentences with
    fictional actors, coded against the PETR.Validate dictionaries beside the file. Tests a
    dictionary coder's mechanics (compounds, agents, negation, passives), not news accuracy."""
    import xml.etree.ElementTree as ET

    arts, events = [], []
    for el in ET.parse(path).getroot().iter("Sentence"):
        sid = (el.get("id") or "").strip()
        text = re.sub(r"\s+", " ", el.findtext("Text") or "").strip()
        if not sid or not text or (el.get("sentence") or "true").lower() != "true":
            continue
        d = (el.get("date") or "").strip()
        arts.append(Article(id=sid, text=text, published=date(int(d[:4]), int(d[4:6]),
                                                              int(d[6:8])) if len(d) == 8 else None))
        for c in el.iter("EventCoding"):
            code = c.get("eventcode")
            if not code or (c.get("noevents") or "").lower() == "true":
                continue
            target = c.get("targetcode")
            events.append(GoldEvent(sid, text, [c.get("sourcecode", "")],
                                    [target] if target and target != "---" else [], code,
                                    code[:2], plover=_plover_of(code), has_place=False))
    return GoldSet(name, arts, events,
                   dictionaries=str(Path(path).with_name("PETR.Validate.actors.txt")))


def _gsr_codes(record: dict, side: str) -> list[str]:
    """Actor codes of one side (the file has one malformed target, a bare string: skipped)."""
    actors = record.get(side) or []
    return [a["code"] + a.get("sector", "") for a in actors
            if isinstance(a, dict) and a.get("code")]


def _plover_of(code: str) -> Optional[str]:
    from . import ontology
    try:
        return ontology.plover(code).type
    except KeyError:
        return None


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


@dataclass
class Report:
    name: str
    n_articles: int
    n_gold: int
    n_pred: int
    root: Scores = field(default_factory=Scores)
    dyad: Scores = field(default_factory=Scores)
    code: Scores = field(default_factory=Scores)
    plover: Scores = field(default_factory=Scores)
    plover_dyad: Scores = field(default_factory=Scores)
    kind: str = "cameo"
    year_ok: int = 0
    year_n: int = 0
    bg_ok: int = 0
    bg_n: int = 0
    # accuracies on dyad-matched events: name -> [right, judged]
    acc: dict = field(default_factory=lambda: {k: [0, 0] for k in _ACCURACIES})
    confusion: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)

    def accuracy(self, name: str) -> Optional[float]:
        ok, n = self.acc[name]
        return round(ok / n, 3) if n else None

    def as_dict(self) -> dict:
        return {
            "set": self.name, "articles": self.n_articles, "gold_events": self.n_gold,
            "predicted_events": self.n_pred,
            "predicted_per_gold": round(self.n_pred / self.n_gold, 3) if self.n_gold else None,
            "root": self.root.as_dict(), "dyad_root": self.dyad.as_dict(),
            "full_code": self.code.as_dict(), "plover_type": self.plover.as_dict(),
            "plover_dyad": self.plover_dyad.as_dict(),
            "event_year_accuracy": round(self.year_ok / self.year_n, 3) if self.year_n else None,
            "background_accuracy": round(self.bg_ok / self.bg_n, 3) if self.bg_n else None,
            **{f"{k}_accuracy": self.accuracy(k) for k in _ACCURACIES},
            "root_confusion": {f"{g}->{p}": n for (g, p), n in self.confusion.most_common()},
        }


# Judged on events matched at the dyad+root level (ANNOTATION.md: "Dates, background, place
# and attribution are then scored on matched events").
_ACCURACIES = ("actor_code", "date_year", "date_month", "date_day", "place", "claimants")


def _quote_in(sentence: str, quote: str) -> bool:
    return norm_text(quote)[:40] in norm_text(sentence)


def _matches(pred: Event, gold: GoldEvent, *, dyad: bool, level: str = "root") -> bool:
    """ANNOTATION.md matching. ``level``: root (the standard), code (the prediction's code
    starts with the gold code), plover (same PLOVER type instead of root)."""
    if pred.article.id != gold.article_id:
        return False
    if level == "plover":
        if gold.plover is None or pred.plover.type != gold.plover:
            return False
    elif pred.cameo.root != gold.root or (level == "code"
                                          and not pred.cameo.code.startswith(gold.cameo)):
        return False
    if not _quote_in(pred.sentence, gold.quote):
        return False
    if not dyad:
        return True
    if pred_key(pred.source) not in {actor_key(a) for a in gold.source}:
        return False
    if gold.target and pred_key(pred.target) not in {actor_key(a) for a in gold.target}:
        return False
    return True


def _max_matching(edges: dict[int, list[int]], taken: set[int],
                  seed: Optional[dict[int, int]] = None) -> dict[int, int]:
    """Maximum bipartite matching (augmenting paths): gold index -> prediction index, using
    only predictions not in ``taken``. Greedy first-fit would make scores order-dependent.
    ``seed`` is a matching to start from: augmenting paths keep it where the maximum allows."""
    owner: dict[int, int] = {p: g for g, p in (seed or {}).items()}

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges.get(g, ()):
            if p in taken or p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in edges:
        if g not in (seed or {}):
            augment(g, set())
    return {g: p for p, g in owner.items()}


def _trigger_in_quote(pred: Event, gold: GoldEvent) -> bool:
    """Does the prediction's trigger word appear in the gold quote? Two gold events of one
    sentence with the same root and dyad ("issued a warning on travel to Cuba and in October
    expelled 15 Cuban diplomats") both match either prediction; this pairs each with its own,
    so dates, background and place are judged against the right gold event."""
    trigger = norm_text(str(pred.extras.get("trigger") or ""))
    return bool(trigger) and re.search(rf"(?<!\w){re.escape(trigger)}(?!\w)",
                                       norm_text(gold.quote)) is not None


def _match(preds: list[Event], golds: list[GoldEvent], *, dyad: bool, level: str = "root"):
    """One-to-one matching: a maximum matching of required gold events first, then optional
    ones on the predictions left; returns (scores, matched required pairs, matched preds)."""
    if level == "plover":  # PLOVER has no type for roots 01/02: judge the rest only
        golds = [g for g in golds if g.plover is not None]
        preds = [p for p in preds if p.plover.type is not None]
    edges = {gi: [pi for pi, p in enumerate(preds) if _matches(p, g, dyad=dyad, level=level)]
             for gi, g in enumerate(golds)}
    req = {g: e for g, e in edges.items() if not golds[g].optional}
    # the same number of matches either way; where there is a choice, each gold event takes
    # the prediction whose trigger lies in its quote
    tight = {g: [p for p in e if _trigger_in_quote(preds[p], golds[g])] for g, e in req.items()}
    required = _max_matching(req, set(), seed=_max_matching(tight, set()))
    optional = _max_matching({g: e for g, e in edges.items() if golds[g].optional},
                             set(required.values()))
    s = Scores(tp=len(required))
    s.fn = sum(1 for gi, g in enumerate(golds) if not g.optional and gi not in required)
    matched_pred = set(required.values()) | set(optional.values())
    s.fp = len(preds) - len(matched_pred)
    pairs = [(preds[pi], golds[gi]) for gi, pi in sorted(required.items())]
    return s, pairs, matched_pred


def _year_ok(pred: Event, gold: GoldEvent) -> Optional[bool]:
    return _date_ok(pred, gold, 4)


def _date_ok(pred: Event, gold: GoldEvent, width: int) -> Optional[bool]:
    """Does the predicted start fall inside the gold ``when`` at a granularity of ``width``
    characters of the ISO date (4 year, 7 month, 10 day)? None when the gold has no date or
    is coarser than the granularity asked (a gold "2018" judges years only)."""
    if not gold.when:
        return None
    start, end = gold.when.split("/")[0], gold.when.split("/")[-1]
    if len(start) < width and len(end) < width and "/" not in gold.when:
        return None
    if pred.when.start is None:
        return False
    value = pred.when.start.isoformat()[:width]
    return start[:width] <= value <= end[:width] if len(end) >= width or "/" in gold.when \
        else start[:width] <= value


def _place_ok(pred: Event, gold: GoldEvent) -> bool:
    """Gold "Tehran, IRN" / "IRN" / "Persian Gulf" / null against the predicted place: right
    when both are empty, or the countries agree (names when the gold has no ISO3)."""
    if not gold.where:
        return pred.where is None
    if pred.where is None:
        return False
    codes = {part.strip()[-3:] for part in gold.where.split(";")
             if re.fullmatch(r"(.*, )?[A-Z]{3}", part.strip())}
    if codes:
        return pred.where.country in codes
    return norm_text(pred.where.name or pred.where.text or "") in norm_text(gold.where)


def _claimants_ok(pred: Event, gold: GoldEvent) -> bool:
    """Both empty, or both name a source sharing a word ("IRNA" ~ "Iranian news agency IRNA")."""
    got = {w for c in pred.attribution.claimants for w in norm_text(c).split()}
    want = {w for c in (gold.claimants or []) for w in norm_text(c).split()}
    return (not got and not want) or bool(got & want)


def _judge(rep: "Report", p: Event, g: GoldEvent) -> None:
    """Accuracies of one dyad-matched event."""
    def add(name: str, ok: Optional[bool]) -> None:
        if ok is not None:
            rep.acc[name][0] += bool(ok)
            rep.acc[name][1] += 1
    add("actor_code", p.source is not None and p.source.code in g.source)
    if g.target:
        add("actor_code", p.target is not None and p.target.code in g.target)
    for name, width in (("date_year", 4), ("date_month", 7), ("date_day", 10)):
        add(name, _date_ok(p, g, width))
    if g.has_place:
        add("place", _place_ok(p, g))
    if g.claimants is not None:
        add("claimants", _claimants_ok(p, g))


def score(gold: GoldSet, predictions: Iterable[Event]) -> Report:
    by_article: dict[str, list[Event]] = {}
    for p in predictions:
        by_article.setdefault(p.article.id, []).append(p)
    gold_by: dict[str, list[GoldEvent]] = {}
    for g in gold.events:
        gold_by.setdefault(g.article_id, []).append(g)
    rep = Report(gold.name, len(gold.articles), sum(not g.optional for g in gold.events),
                 sum(len(v) for v in by_article.values()), kind=gold.kind)
    seen: set[str] = set()
    for art in gold.articles:
        if art.id in seen:  # a set that reuses an id is scored once per id
            continue
        seen.add(art.id)
        preds, golds = by_article.get(art.id, []), gold_by.get(art.id, [])
        r, _, _ = _match(preds, golds, dyad=False)
        d, pairs, matched = _match(preds, golds, dyad=True)
        c, _, _ = _match(preds, golds, dyad=True, level="code")
        pl, _, _ = _match(preds, golds, dyad=False, level="plover")
        pld, _, _ = _match(preds, golds, dyad=True, level="plover")
        for agg, part in ((rep.root, r), (rep.dyad, d), (rep.code, c), (rep.plover, pl),
                          (rep.plover_dyad, pld)):
            agg.tp, agg.fp, agg.fn = agg.tp + part.tp, agg.fp + part.fp, agg.fn + part.fn
        for p, g in pairs:
            _judge(rep, p, g)
            ok = _year_ok(p, g)
            if ok is not None:
                rep.year_n += 1
                rep.year_ok += ok
            if g.background is not None:
                rep.bg_n += 1
                rep.bg_ok += (p.background == g.background)
        if gold.kind == "plover":
            _, _, matched = _match(preds, golds, dyad=True, level="plover")
        else:
            _confusion(rep, preds, golds)
        _errors(rep, art, preds, golds, matched, "plover" if gold.kind == "plover" else "root")
    return rep


def _confusion(rep: Report, preds: list[Event], golds: list[GoldEvent]) -> None:
    """Gold root vs predicted root for predictions in the gold event's sentence."""
    for g in golds:
        roots = [p.cameo.root for p in preds if _quote_in(p.sentence, g.quote)]
        rep.confusion[(g.root, roots[0] if roots else "--")] += 1


def _errors(rep, art, preds, golds, matched, level: str = "root") -> None:
    for pi, p in enumerate(preds):
        if pi not in matched:
            rep.errors.append({"article": art.id, "kind": "false_positive",
                               "sentence": p.sentence[:200], "pred": _brief(p)})
    for g in golds:
        if g.optional:
            continue
        if not any(_matches(p, g, dyad=True, level=level) for p in preds):
            near = [_brief(p) for p in preds if _quote_in(p.sentence, g.quote)]
            rep.errors.append({"article": art.id, "kind": "missed", "quote": g.quote,
                               "gold": f"{'|'.join(g.source)} {g.cameo or g.plover} "
                                       f"{'|'.join(g.target)}",
                               "pred_in_sentence": near})


def _brief(p: Event) -> str:
    s = p.source.code if p.source else "-"
    t = p.target.code if p.target else "-"
    return f"{s} {p.cameo.code} {t} [{p.modality}] ({p.evidence.rule})"


def format_report(rep: Report) -> str:
    lines = [f"== {rep.name}: {rep.n_articles} articles, {rep.n_gold} required gold events, "
             f"{rep.n_pred} predicted ({rep.n_pred / max(rep.n_gold, 1):.2f} per gold event)"]
    levels = (("root", rep.root), ("dyad+root", rep.dyad), ("full code", rep.code),
              ("plover", rep.plover), ("dyad+plvr", rep.plover_dyad))
    if rep.kind == "plover":  # no CAMEO codes in this gold
        levels = levels[3:]
    for label, s in levels:
        lines.append(f"  {label:<10} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  "
                     f"(tp {s.tp}, fp {s.fp}, fn {s.fn})")
    if rep.year_n:
        lines.append(f"  event-year accuracy {rep.year_ok / rep.year_n:.3f} (n={rep.year_n})")
    if rep.bg_n:
        lines.append(f"  background accuracy {rep.bg_ok / rep.bg_n:.3f} (n={rep.bg_n})")
    judged = [f"{k.replace('_', ' ')} {rep.accuracy(k):.3f} (n={rep.acc[k][1]})"
              for k in _ACCURACIES if rep.acc[k][1]]
    if judged:
        lines.append("  on matched events: " + "; ".join(judged))
    top = [f"{g}->{p}:{n}" for (g, p), n in rep.confusion.most_common(12) if g != p]
    if top:
        lines.append("  root confusions (gold->pred): " + ", ".join(top))
    return "\n".join(lines)
