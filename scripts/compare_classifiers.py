"""Score the shipped event-type classifier against the rule lexicon on labelled real news.

Reads the evaluation sets in place from ../shared/data (never copied):

- ``conflibert_cameo_penta`` test (GPL-3.0; 451 sentences, penta class 0-4). 283 of them are
  CAMEO-codebook example sentences, verbatim or lightly edited (token Jaccard >= 0.35 with a
  codebook example); the shipped model trains on those examples, so the split is reported as
  ``penta_test_news`` (the honest figure) and ``penta_test_codebook`` (leaked, shown apart).
- ``conflibert_cameo_penta`` train (1,349): never trained on; the dev set that picked the
  variant, so its figures are optimistic for the variant choice.
- ``cameo_conflibert_annotations`` (GPL-3.0; 200 sentences): majority vote of the latest round
  -> relevance; plurality CAMEO root of action 1 -> PLOVER type (01/02 -> NONE; not-relevant
  majority -> NONE) and penta class. Ties are left out.
- ``petr2_gsr_validation`` (MIT; 78): first event code -> PLOVER type; ``noevents`` -> NONE.

Penta classes follow the Phoenix convention the penta set uses (checked on its codebook
sentences): 01-02 -> 0, 03-05 -> 1, 06-08 -> 2, 09-13 and 16 -> 3, 14-15 and 17-20 -> 4. The
model's penta prediction sums its type probabilities per penta class.

Predictors: ``model`` (EventClassifier.load()), ``rules`` (for each sentence, the code of the
first token the TriggerLexicon matches -> PLOVER type; no match -> NONE), and three
combinations: ``rules+veto`` (a rule type is dropped to NONE when the model's P(NONE) >= 0.5)
``rules+pick`` (when the lexicon matches several triggers of different types, the type the
model finds likeliest instead of the first), and ``rules>model`` (the rule type, or the
model's top type when the lexicon is silent).

Usage::

    .venv/bin/python scripts/compare_classifiers.py [--shared ../shared/data]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, Optional

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eventwire import ontology  # noqa: E402
from eventwire.classify import CLASSES, EventClassifier  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
PENTA_OF_ROOT = {"01": 0, "02": 0, "03": 1, "04": 1, "05": 1, "06": 2, "07": 2, "08": 2,
                 "09": 3, "10": 3, "11": 3, "12": 3, "13": 3, "16": 3, "14": 4, "15": 4,
                 "17": 4, "18": 4, "19": 4, "20": 4}
PENTA_OF_TYPE = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 2, "COOPERATE": 2,
                 "AID": 2, "RETREAT": 2, "REQUEST": 3, "ACCUSE": 3, "REJECT": 3,
                 "THREATEN": 3, "SANCTION": 3, "PROTEST": 4, "MOBILIZE": 4, "COERCE": 4,
                 "ASSAULT": 4, "NONE": 0}
CODEBOOK_JACCARD = 0.35
VETO = 0.5
# A prediction: (type, probabilities over CLASSES or None for rule-only predictors).
Pred = tuple[str, Optional[np.ndarray]]


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _type_of_root(root: str) -> str:
    return ontology.plover(root).type or "NONE"


def _majority(votes: dict) -> Optional[str]:
    """The strict plurality key of a vote dict, None on a tie or no votes."""
    top = Counter(votes).most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]


def _penta_sets(shared: Path) -> dict[str, list[dict]]:
    base = shared / "training" / "conflibert_cameo_penta"
    examples = [_tokens(json.loads(ln)["example"]) for ln in
                (shared / "ontology/cameo/cameo_event_descriptions.jsonl").open()]
    examples = [e for e in examples if e]
    out: dict[str, list[dict]] = {"penta_test_news": [], "penta_test_codebook": [],
                                  "penta_train_dev": []}
    for split in ("test", "train"):
        for ln in (base / f"{split}.jsonl").open():
            r = json.loads(ln)
            item = {"text": r["text"], "penta": r["penta_class"]}
            t = _tokens(r["text"])
            near = max(len(t & e) / len(t | e) for e in examples)
            if split == "train":
                out["penta_train_dev"].append(item)
            else:
                out["penta_test_codebook" if near >= CODEBOOK_JACCARD
                    else "penta_test_news"].append(item)
    return out


def _annotation_set(shared: Path) -> list[dict]:
    out = []
    for ln in (shared / "training/cameo_conflibert_annotations/sentences.jsonl").open():
        r = json.loads(ln)
        rel = _majority(r["latest_round_relevant_votes"])
        item = {"text": r["text"], "relevant": None if rel is None else rel == "True"}
        root = _majority(r["latest_round_action1_cameo_root_votes"])
        if rel == "False":
            item["type"], item["penta"] = "NONE", 0
        elif rel == "True" and root is not None:
            item["type"], item["penta"] = _type_of_root(root), PENTA_OF_ROOT[root]
        out.append(item)
    return out


def _petr_set(shared: Path) -> list[dict]:
    out = []
    for ln in (shared / "training/petr2_gsr_validation/records.jsonl").open():
        r = json.loads(ln)
        codes = [e["eventcode"] for e in r["event_codings"] if "eventcode" in e]
        types = [ontology.plover(ontology.nearest_code(c)).type or "NONE" for c in codes]
        out.append({"text": r["text"], "type": types[0] if types else "NONE",
                    "types": set(types) or {"NONE"}})
    return out


def load_eval_sets(shared: Path, nlp) -> dict[str, list[dict]]:
    """Every evaluation set, each item with ``text``, gold fields and its spaCy ``doc``."""
    from train_classifier import parse_features
    sets = {**_penta_sets(shared), "annotations": _annotation_set(shared),
            "petr2_gsr": _petr_set(shared)}
    for items in sets.values():
        for item, doc in zip(items, nlp.pipe((i["text"] for i in items), batch_size=64)):
            item["doc"] = doc
            item["parse"] = " ".join(parse_features(s) for s in doc.sents)
    return sets


# -- predictors ------------------------------------------------------------------------------

def _from_probs(probs: np.ndarray) -> list[Pred]:
    return [(CLASSES[int(p.argmax())], p) for p in probs]


def model_predictor(clf: EventClassifier) -> Callable[[list[dict]], list[Pred]]:
    return lambda items: _from_probs(clf.scores([i["text"] for i in items]))


def sklearn_predictor(model) -> Callable[[list[dict]], list[Pred]]:
    """A fitted train_classifier pipeline as a predictor (columns put in CLASSES order)."""
    order = [list(model.classes_).index(c) for c in CLASSES]

    def run(items):
        p = model.predict_proba([(i["text"], i["parse"]) for i in items])
        return _from_probs(p[:, order])
    return run


def load_lexicon():
    """(TriggerLexicon, note). Falls back to verbs.tsv alone while nouns.tsv/lemma_fixes.tsv
    are still being written; the note says which one was measured."""
    from eventwire.verbs import VERB_COLUMNS, TriggerLexicon
    try:
        return TriggerLexicon.load(), "TriggerLexicon.load()"
    except (FileNotFoundError, ValueError) as exc:
        path = ROOT / "src" / "eventwire" / "data" / "verbs.tsv"
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.startswith("#")]
        rows = [dict(zip(VERB_COLUMNS, ln.split("\t"))) for ln in lines[1:]]
        return (TriggerLexicon.from_rows(rows),
                f"verbs.tsv only (TriggerLexicon.load() failed: {type(exc).__name__}: {exc})")


def _rule_types(lexicon, doc) -> list[str]:
    """PLOVER types of every trigger the lexicon matches, in sentence order."""
    out = []
    for tok in doc:
        if tok.pos_ not in ("VERB", "NOUN", "AUX", "ADJ"):
            continue
        m = lexicon.match(tok)
        if m is not None:
            try:
                out.append(ontology.plover(ontology.nearest_code(m.code)).type or "NONE")
            except KeyError:
                continue
    return out


def rules_predictor(lexicon) -> Callable[[list[dict]], list[Pred]]:
    def run(items):
        return [((_rule_types(lexicon, i["doc"]) or ["NONE"])[0], None) for i in items]
    return run


def combined_predictors(lexicon, clf: EventClassifier, *,
                        veto_at: float = VETO) -> dict[str, Callable]:
    """rules+veto, rules+pick and rules>model (see the module docstring)."""
    none = CLASSES.index("NONE")

    def veto(items):
        probs = clf.scores([i["text"] for i in items])
        out = []
        for i, p in zip(items, probs):
            t = (_rule_types(lexicon, i["doc"]) or ["NONE"])[0]
            out.append(("NONE" if p[none] >= veto_at else t, None))
        return out

    def pick(items):
        # several triggers with different types: keep the one the model finds likelier
        probs = clf.scores([i["text"] for i in items])
        out = []
        for i, p in zip(items, probs):
            types = _rule_types(lexicon, i["doc"]) or ["NONE"]
            out.append((max(types, key=lambda t: p[CLASSES.index(t)]), None))
        return out

    def fill(items):
        probs = clf.scores([i["text"] for i in items])
        out = []
        for i, p in zip(items, probs):
            t = (_rule_types(lexicon, i["doc"]) or ["NONE"])[0]
            out.append((t if t != "NONE" else CLASSES[int(p.argmax())], None))
        return out
    return {"rules+veto": veto, "rules+pick": pick, "rules>model": fill}


# -- metrics ---------------------------------------------------------------------------------

def _f1s(gold: list, pred: list) -> dict:
    out = {}
    for c in sorted(set(gold), key=str):
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        out[c] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


def _auc(labels: list[bool], scores: list[float]) -> float:
    pos = [s for l, s in zip(labels, scores) if l]
    neg = [s for l, s in zip(labels, scores) if not l]
    if not pos or not neg:
        return float("nan")
    return sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))


def _penta_pred(t: str, p: Optional[np.ndarray]) -> int:
    if p is None:
        return PENTA_OF_TYPE[t]
    sums = np.zeros(5)
    for c, v in zip(CLASSES, p):
        sums[PENTA_OF_TYPE[c]] += v
    return int(sums.argmax())


def metrics(items: list[dict], preds: list[Pred]) -> dict:
    """Type, penta and relevance figures for one predictor on one set."""
    out = {}
    typed = [(i, p) for i, p in zip(items, preds) if "type" in i]
    if typed:
        gold = [i["type"] for i, _ in typed]
        pred = [p[0] for _, p in typed]
        hit = [p[0] in i.get("types", {i["type"]}) for i, p in typed]
        f1 = _f1s(gold, pred)
        out["type"] = {"n": len(typed), "acc": float(np.mean(hit)),
                       "macro_f1": float(np.mean(list(f1.values()))), "per_class": f1}
    pent = [(i, p) for i, p in zip(items, preds) if "penta" in i]
    if pent:
        gold = [i["penta"] for i, _ in pent]
        pred = [_penta_pred(*p) for _, p in pent]
        f1 = _f1s(gold, pred)
        out["penta"] = {"n": len(pent), "acc": float(np.mean([g == p for g, p in
                                                              zip(gold, pred)])),
                        "macro_f1": float(np.mean(list(f1.values()))), "per_class": f1}
        quad = [(g, _penta_pred(*p) if p[1] is None else
                 1 + int(np.argmax([sum(v for c, v in zip(CLASSES, p[1])
                                        if PENTA_OF_TYPE[c] == q) for q in (1, 2, 3, 4)])))
                for g, (_, p) in zip(gold, pent) if g != 0]
        out["quad_on_1to4"] = {"n": len(quad),
                               "acc": float(np.mean([g == p for g, p in quad]))}
    rel = [(i, p) for i, p in zip(items, preds) if i.get("relevant") is not None]
    if rel:
        gold = [i["relevant"] for i, _ in rel]
        said = [p[0] != "NONE" for _, p in rel]
        tp = sum(g and s for g, s in zip(gold, said))
        prec = tp / max(1, sum(said))
        rec = tp / max(1, sum(gold))
        out["relevance"] = {"n": len(rel), "precision": prec, "recall": rec,
                            "f1": 2 * prec * rec / (prec + rec) if tp else 0.0}
        if rel[0][1][1] is not None:
            out["relevance"]["auc"] = _auc(gold, [1 - p[1][CLASSES.index("NONE")]
                                                  for _, p in rel])
    return out


def report(predictors: dict[str, Callable], sets: dict[str, list[dict]]) -> dict:
    """Print every predictor side by side on every set; return the figures."""
    names = list(predictors)
    allm = {s: {n: metrics(items, predictors[n](items)) for n in names}
            for s, items in sets.items()}
    for s, by in allm.items():
        print(f"\n=== {s} ({len(sets[s])} sentences) ===")
        print(f"{'':28}" + "".join(f"{n:>18}" for n in names))
        for block in ("type", "penta", "quad_on_1to4", "relevance"):
            keys = sorted({k for m in by.values() for k in m.get(block, {})
                           if k != "per_class"})
            for k in keys:
                vals = [by[n].get(block, {}).get(k) for n in names]
                print(f"{block + ' ' + k:28}" + "".join(
                    f"{'-':>18}" if v is None else f"{v:>18.3f}" if isinstance(v, float)
                    else f"{v:>18}" for v in vals))
            classes = sorted({c for m in by.values()
                              for c in m.get(block, {}).get("per_class", {})}, key=str)
            for c in classes:
                vals = [by[n].get(block, {}).get("per_class", {}).get(c) for n in names]
                print(f"{'  F1 ' + block + ' ' + str(c):28}" + "".join(
                    f"{'-':>18}" if v is None else f"{v:>18.3f}" for v in vals))
    return allm


def report_gpl_experiment(sets, shared: Path, stories, codebook) -> None:
    """What real-news labels would buy: penta models trained WITH the GPL penta train split.
    Printed only; such a model must not ship (GPL-3.0 data)."""
    import train_classifier as tc
    penta_rows = [{"text": json.loads(ln)["text"], "label": str(json.loads(ln)["penta_class"]),
                   "weight": 1.0} for ln in
                  (shared / "training/conflibert_cameo_penta/train.jsonl").open()]
    allowed = [dict(r, label=str(PENTA_OF_TYPE[r["label"]]))
               for r in tc.training_rows(stories, codebook, background=True)]
    shipped = EventClassifier.load()
    variants = {"gpl_penta_only": penta_rows, "allowed+gpl_penta": allowed + penta_rows}
    preds = {"shipped(allowed)": model_predictor(shipped)}
    for name, rows in variants.items():
        m = tc.fit(rows, ("word", "char"))

        def run(items, m=m):
            p = m.predict_proba([(i["text"], "") for i in items])
            labels = [int(c) for c in m.classes_]
            return [(next(t for t, q in PENTA_OF_TYPE.items() if q == labels[int(r.argmax())]),
                     None) for r in p]
        preds[name] = run
    print("\n##### GPL experiment (penta models; NOT shipped). penta_train_dev is training data "
          "here for the gpl_* models, so only the other sets count.")
    # penta-only models: drop the type gold so no PLOVER-type figures are printed for them
    penta_sets = {k: [{f: v for f, v in i.items() if f not in ("type", "types")} for i in items]
                  for k, items in sets.items() if k != "penta_train_dev"}
    report(preds, penta_sets)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--veto", type=float, default=VETO,
                    help="P(NONE) at or above which rules+veto drops a rule type")
    args = ap.parse_args(argv)
    from eventwire import nlp as _nlp
    sets = load_eval_sets(args.shared, _nlp.load())
    clf = EventClassifier.load()
    lexicon, note = load_lexicon()
    print(f"model {clf.version}; rules = first matching trigger, lexicon: {note}; "
          f"veto at P(NONE) >= {args.veto}")
    predictors = {"model": model_predictor(clf), "rules": rules_predictor(lexicon),
                  **combined_predictors(lexicon, clf, veto_at=args.veto)}
    report(predictors, sets)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
