"""Train the event-type classifier shipped in src/eventwire/data/models/.

Training data, read in place from ../shared/data (nothing is copied into the package), is
limited to sets whose licence allows shipping a model trained on them:

- ``training/ngec_synthetic_plover`` (MIT, declared in package metadata): 4,500 GPT-written
  stories, each prompted by a hand-written headline for one PLOVER type. We use the filled-in
  headline (the first line of ``prompt``) and the story's lead sentence(s), labelled with the
  story's type; and, as ``NONE`` examples, later sentences whose main verb is stative
  ("Tuvalu, a country of 300,000 people, was ...": background, not an event).
- ``ontology/cameo/cameo_event_descriptions.jsonl`` (MIT via andybega/icews; CAMEO codebook):
  name, description and example sentence per code, labelled through the project's CAMEO ->
  PLOVER table (``eventwire.ontology``); roots 01/02 (statements, appeals) -> ``NONE``.

Not used for training: ``petr2_gsr_validation`` (our evaluation set) and the two GPL-3.0
ConfliBERT sets (evaluation only; the penta train split is the model-selection dev set).
``--experiment-gpl`` trains a penta-class model on ConfliBERT penta train to report what
real-news labels would buy; it is printed, never written.

Usage::

    .venv/bin/python scripts/train_classifier.py --variants        # train + score every variant
    .venv/bin/python scripts/train_classifier.py --ship word+char+bg   # write the model file
    .venv/bin/python scripts/train_classifier.py --experiment-gpl
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable, Optional

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eventwire import ontology  # noqa: E402
from eventwire.classify import CLASSES, MODEL_FILE, FORMAT, EventClassifier  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
CACHE = Path("/tmp/eventwire_classify_cache.json")
SEED = 13
# Main verbs of background/description sentences. "host" is CONSULT, so not here.
STATIVE = {"be", "have", "remain", "include", "live", "become", "consist", "number",
           "account", "border", "lie", "contain", "comprise", "rank", "stand", "seem"}
# Clause links under the root that usually carry an event ("was killed", "is expected to
# attack", "has said that ..."): a stative root with one of these is not background.
EVENT_LINKS = {"ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "pcomp", "auxpass",
               "nsubjpass"}


def parse_features(sent) -> str:
    """Parse facts of a spaCy sentence as space-separated feature tokens: the root lemma,
    root + object / passive subject / attribute, root + preposition + its object, negation,
    and every verb lemma. Used by the ``parse`` variant only (needs spaCy at run time)."""
    root = sent.root
    r = root.lemma_.lower()
    feats = [f"root={r}"]
    for c in root.children:
        if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "xcomp", "ccomp"):
            feats.append(f"root_{c.dep_}={r}_{c.lemma_.lower()}")
        elif c.dep_ == "prep":
            feats += [f"root_prep={r}_{c.lemma_.lower()}_{p.lemma_.lower()}"
                      for p in c.children if p.dep_ == "pobj"]
        elif c.dep_ == "neg":
            feats.append("neg")
    feats += [f"verb={t.lemma_.lower()}" for t in sent if t.pos_ == "VERB"]
    return " ".join(f.replace(" ", "_") for f in feats)


def add_parses(rows: list[dict], nlp) -> None:
    """Fill ``parse`` for rows that lack it (codebook texts, headlines)."""
    todo = [r for r in rows if "parse" not in r]
    for r, doc in zip(todo, nlp.pipe((r["text"] for r in todo), batch_size=128)):
        r["parse"] = " ".join(parse_features(s) for s in doc.sents)


# -- training data ---------------------------------------------------------------------------

def _headline(prompt: str) -> str:
    return prompt.strip().split("\n", 1)[0].strip()


def parse_synthetic(shared: Path, nlp) -> list[dict]:
    """Per story: label, headline, and its sentences with parse facts (cached in /tmp)."""
    if CACHE.exists():
        return json.loads(CACHE.read_text())
    rows = [json.loads(ln) for ln in
            (shared / "training/ngec_synthetic_plover/synthetic_stories.jsonl").open()]
    out = []
    texts = (r["text"] for r in rows)
    for r, doc in zip(rows, nlp.pipe(texts, batch_size=64)):
        sents = []
        for s in doc.sents:
            text = s.text.strip()
            if len(text) < 25:  # fragments, "###" lines
                continue
            root = s.root
            links = {t.dep_ for t in s if t.head.i == root.i or t.i == root.i}
            stative = (root.lemma_.lower() in STATIVE and not links & EVENT_LINKS
                       and not any(t.dep_ in ("auxpass", "nsubjpass") for t in s))
            sents.append({"text": text, "root": root.lemma_.lower(), "stative": stative,
                          "parse": parse_features(s)})
        out.append({"label": r["event_type"], "headline": _headline(r["prompt"]),
                    "template": r["title_template"], "sents": sents,
                    "source_id": r["source_id"]})
    CACHE.write_text(json.dumps(out))
    return out


def codebook_rows(shared: Path) -> list[dict]:
    """Name, description and example per CAMEO code, labelled with its PLOVER type."""
    out = []
    for ln in (shared / "ontology/cameo/cameo_event_descriptions.jsonl").open():
        r = json.loads(ln)
        label = ontology.plover(ontology.nearest_code(r["code"])).type or "NONE"
        for field, weight in (("example", 3.0), ("description", 1.0), ("name", 1.0)):
            text = (r.get(field) or "").strip()
            if field == "name" and text.isupper():  # root names repeat the 3-digit ones
                continue
            if text:
                out.append({"text": text, "label": label, "weight": weight,
                            "origin": f"codebook:{field}:{r['code']}"})
    return out


def training_rows(stories: list[dict], codebook: list[dict], *, leads: int = 1,
                  background: bool = True, headlines: bool = True,
                  max_background: int = 1500) -> list[dict]:
    """Assemble the training rows for one variant (see the module docstring)."""
    rows = list(codebook)
    rng = random.Random(SEED)
    bg = []
    for st in stories:
        if headlines:
            rows.append({"text": st["headline"], "label": st["label"], "weight": 0.5,
                         "origin": f"headline:{st['source_id']}"})
        for s in st["sents"][:leads]:
            rows.append({"text": s["text"], "label": st["label"], "weight": 1.0,
                         "origin": f"lead:{st['source_id']}", "parse": s["parse"]})
        # background: never the lead sentences, which state the event
        bg += [s for s in st["sents"][3:] if s["stative"]]
    if background:
        for s in rng.sample(bg, min(max_background, len(bg))):
            rows.append({"text": s["text"], "label": "NONE", "weight": 1.0,
                         "origin": "background", "parse": s["parse"]})
    return rows


# -- model -----------------------------------------------------------------------------------

VARIANTS = {
    # name: (feature blocks, training-data options)
    "word": (("word",), {"background": False}),
    "word+char": (("word", "char"), {"background": False}),
    "word+char+bg": (("word", "char"), {"background": True}),
    "word+char+bg+lead2": (("word", "char"), {"background": True, "leads": 2}),
    "word+char+parse+bg": (("word", "char", "parse"), {"background": True}),
}
BLOCK_PARAMS = {
    "word": dict(analyzer="word", ngram_range=(1, 2), min_df=2, max_features=40000),
    "char": dict(analyzer="char_wb", ngram_range=(2, 5), min_df=3, max_features=40000),
    "parse": dict(analyzer=str.split, lowercase=False, min_df=2, max_features=10000),
}


class _Column:
    """Picks the raw text or the parse-feature string out of (text, parse) pairs."""

    def __init__(self, i: int):
        self.i = i

    def __call__(self, pairs):
        return [p[self.i] for p in pairs]


def build_model(blocks: Iterable[str], C: float = 4.0) -> Pipeline:
    """TF-IDF blocks (each l2-normalised) -> multinomial logistic regression."""
    from sklearn.preprocessing import FunctionTransformer
    parts = []
    for b in blocks:
        col = _Column(1 if b == "parse" else 0)
        vec = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **BLOCK_PARAMS[b])
        parts.append((b, Pipeline([("col", FunctionTransformer(col)), ("tfidf", vec)])))
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    return Pipeline([("features", FeatureUnion(parts)), ("clf", clf)])


def fit(rows: list[dict], blocks: Iterable[str], C: float = 4.0) -> Pipeline:
    model = build_model(blocks, C)
    X = [(r["text"], r.get("parse", "")) for r in rows]
    y = [r["label"] for r in rows]
    model.fit(X, y, clf__sample_weight=np.array([r["weight"] for r in rows]))
    return model


def export(model: Pipeline, path: Path, *, version: str, meta: dict) -> None:
    """Write vocabulary, idf and coefficients as a pickle-free .npz (see classify.py)."""
    clf = model.named_steps["clf"]
    arrays, blocks = {}, []
    for name, pipe in model.named_steps["features"].transformer_list:
        vec = pipe.named_steps["tfidf"]
        vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
        arrays[f"{name}_vocab"] = np.array(vocab, dtype=str)
        arrays[f"{name}_idf"] = vec.idf_.astype(np.float32)
        blocks.append({"name": name, "analyzer": name if name != "parse" else "split",
                       "ngram_range": list(BLOCK_PARAMS[name].get("ngram_range", (1, 1)))})
    order = [list(clf.classes_).index(c) for c in CLASSES]  # pin the class order
    # float16 halves the file; the probe in check_export bounds the error it adds
    arrays["coef"] = clf.coef_[order].astype(np.float16)
    arrays["intercept"] = clf.intercept_[order].astype(np.float32)
    header = {"format": FORMAT, "version": version, "classes": list(CLASSES),
              "blocks": blocks, **meta}
    arrays["header"] = np.array(json.dumps(header))
    np.savez_compressed(path, **arrays)


def check_export(model: Pipeline, path: Path, texts: list[str]) -> float:
    """Largest |p_numpy - p_sklearn| over ``texts``: the portable scorer must agree."""
    clf = EventClassifier.from_file(path)  # refuses parse blocks (ModelFileError)
    ours = np.array([[d[c] for c in CLASSES] for d in clf.predict(texts)])
    ref = model.predict_proba([(t, "") for t in texts])
    ref = ref[:, [list(model.classes_).index(c) for c in CLASSES]]
    return float(np.abs(ours - ref).max())


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--variants", action="store_true", help="train and score every variant")
    ap.add_argument("--ship", metavar="VARIANT", help="train VARIANT and write the model file")
    ap.add_argument("--C", type=float, default=4.0)
    ap.add_argument("--experiment-gpl", action="store_true",
                    help="penta model trained on GPL ConfliBERT penta train (printed only)")
    args = ap.parse_args(argv)
    from eventwire import nlp as _nlp
    import compare_classifiers as cmp
    nlp = _nlp.load()
    stories = parse_synthetic(args.shared, nlp)
    codebook = codebook_rows(args.shared)
    sets = cmp.load_eval_sets(args.shared, nlp)
    if args.variants:
        for name, (blocks, opts) in VARIANTS.items():
            rows = training_rows(stories, codebook, **opts)
            if "parse" in blocks:
                add_parses(rows, nlp)
            model = fit(rows, blocks, args.C)
            print(f"\n##### variant {name}: {len(rows)} rows "
                  f"{dict(Counter(r['label'] for r in rows).most_common())}")
            cmp.report({name: cmp.sklearn_predictor(model)}, sets)
    if args.experiment_gpl:
        cmp.report_gpl_experiment(sets, args.shared, stories, codebook)
    if args.ship:
        blocks, opts = VARIANTS[args.ship]
        rows = training_rows(stories, codebook, **opts)
        model = fit(rows, blocks, args.C)
        counts = Counter(r["label"] for r in rows)
        origins = Counter(r["origin"].split(":")[0] for r in rows)
        meta = {"variant": args.ship, "C": args.C, "rows": len(rows),
                "rows_per_class": dict(sorted(counts.items())),
                "rows_per_origin": dict(sorted(origins.items()))}
        path = ROOT / "src" / "eventwire" / "data" / "models" / MODEL_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        export(model, path, version=f"{args.ship}-C{args.C:g}-1", meta=meta)
        probe = [r["text"] for r in random.Random(SEED).sample(rows, 300)]
        print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB); "
              f"max |numpy - sklearn| = {check_export(model, path, probe):.2e}")
        print(json.dumps(meta, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
