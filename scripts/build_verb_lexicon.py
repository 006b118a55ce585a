"""Build src/eventwire/data/verbs.tsv from PETRARCH2's CAMEO verb-pattern dictionary.

Reads ../shared/data/petrarch2/CAMEO.verbpatterns.150430.txt in place (MIT, Open Event Data
Alliance) and keeps only what a dependency parse can check: the verb lemma, a phrasal
particle, the direct object (head lemma, with optional modifiers), and a preposition with its
object. Everything else is dropped and counted: patterns with words before the verb (tense and
context cues such as ``WILL *``, ``SAID *``), skip markers (``^``), truncated stems (``RESUM``),
function words, hyphenated words, codes outside CAMEO 1.1b3, and 010/014/017 statements
(ANNOTATION.md does not code them).

The hand-curated rows (``origin = eventwire``) at the top of verbs.tsv are kept verbatim; only
the ``petrarch2`` rows are regenerated. Usage::

    .venv/bin/python scripts/build_verb_lexicon.py [--shared ../shared/data] [--report]
"""
from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "eventwire" / "data" / "verbs.tsv"
SOURCE = Path("petrarch2") / "CAMEO.verbpatterns.150430.txt"
COLUMNS = ["lemma", "particle", "object", "prep", "pobj", "code", "pattern", "origin"]

# Statement codes ANNOTATION.md does not code (010 fallback, 014 consider, 017 symbolic act).
UNCODED = {"010", "014", "017"}
BLOCK = "---"  # "explicitly not an event": a more specific pattern that blocks the default
MARKERS = {"+", "$", "%"}  # actor slots: target, source, compound actor
SKIPPED = {"the", "a", "an"}
PARTICLES = {"up", "down", "out", "off", "back", "away", "aside", "forward", "together",
             "apart"}
AMBIGUOUS = {"over", "in", "on", "through", "around", "about", "along", "across"}
PREPS = {"about", "against", "amid", "among", "as", "at", "before", "behind", "between",
         "by", "despite", "during", "for", "from", "in", "into", "near", "of", "on", "onto",
         "over", "toward", "towards", "under", "upon", "with", "within", "without", "to",
         "across", "after", "around", "through", "along", "beyond", "inside", "outside"}
# Words WordNet lists as nouns ("WHO", "ANY") that are function words in PETRARCH's patterns.
FUNCTION_WORDS = {"who", "what", "which", "that", "any", "all", "some", "no", "not", "this",
                  "these", "those", "its", "their", "his", "her", "our", "it", "them", "they",
                  "he", "she", "we", "you", "i", "each", "every", "other", "another", "such",
                  "own", "more", "most", "less", "if", "whether", "will", "would", "can",
                  "could", "may", "must", "should", "is", "are", "was", "were", "be", "been",
                  "has", "have", "had", "do", "did", "does", "and", "or", "but", "so", "than"}
MAX_PHRASE = 2  # words in an object phrase (one modifier + head); longer ones are clauses
# Noun modifiers that are also verbs but common in wire-copy compounds ("air strike", "trade
# restriction"). Any other verb-like modifier usually starts a clause in PETRARCH's patterns
# ("* STOP &FIGHT", "* KILL + WORSHIP"), which a dependency parse does not read as an object.
NOUN_MODIFIERS = {"air", "trade", "border", "arms", "aid", "police", "state", "fuel", "oil",
                  "gas", "water", "food", "border", "cash", "budget", "tax", "price", "land",
                  "cease", "peace", "rocket", "mortar", "car", "truck", "suicide", "hunger"}
MAX_EXPANSION = 200  # synonym-set products larger than this are noise


@dataclass
class Block:
    name: str
    code: str
    verbs: list[tuple[str, str, str]] = field(default_factory=list)  # (entry, code, forms)
    patterns: list[tuple[str, str, str]] = field(default_factory=list)  # (body, code, comment)
    resolved: dict = field(default_factory=dict)  # entry -> (lemma, extra words, default)


class WordIndex:
    """spaCy's lemmatizer tables: which words are English nouns/verbs/adjectives."""

    def __init__(self, nlp):
        self.nlp = nlp
        lemmatizer = nlp.get_pipe("lemmatizer")
        index = lemmatizer.lookups.get_table("lemma_index")
        self.index = {pos: set(index[pos]) for pos in ("noun", "verb", "adj")}
        self.lemmatizer = lemmatizer

    def lemma(self, word: str, pos: str) -> str | None:
        """Base form of ``word`` as a ``pos`` ('noun' | 'verb' | 'adj'), or None if unknown."""
        from spacy.tokens import Doc

        word = word.lower()
        if word in self.index[pos]:
            return word
        doc = Doc(self.nlp.vocab, words=[word])
        doc[0].pos_ = pos.upper()
        for cand in self.lemmatizer.rule_lemmatize(doc[0]):
            if cand in self.index[pos]:
                return cand
        return None


def _strip_comment(line: str) -> tuple[str, str]:
    body, _, comment = line.partition("#")
    return body.strip(), comment.strip()


def parse_file(text: str) -> tuple[dict[str, list[list[str]]], list[Block]]:
    """Synonym sets (name -> list of word sequences) and verb blocks, in file order."""
    synsets: dict[str, list[list[str]]] = {}
    blocks: list[Block] = []
    section, current = None, None
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.startswith("#######"):
            section = "verbs" if "VERB PATTERNS" in line else "synsets"
            continue
        body, comment = _strip_comment(line)
        if not body:
            continue
        if section == "synsets":
            if body.startswith("&"):
                current = body[1:].rstrip("_")
                synsets[current] = []
            elif body.startswith("+") and current:
                synsets[current].append(_words(body[1:]))
        elif section == "verbs":
            current = _parse_verb_line(body, comment, blocks, current)
    return synsets, blocks


def _parse_verb_line(body: str, comment: str, blocks: list[Block], current):
    head = re.match(r"^---\s*(\S+?)\s*(?:\[([^\]]*)\])?\s*(?:---|###)", body)
    if head:
        block = Block(head.group(1), (head.group(2) or BLOCK).strip())
        blocks.append(block)
        return block
    if current is None:
        return current
    if body.startswith("- "):
        code = re.search(r"\[([^\]]*)\]", body)
        if code:
            current.patterns.append((body[2:code.start()].strip(), code.group(1).strip(),
                                     comment))
        return current
    code = re.search(r"\[([^\]]*)\]", body)
    forms = re.search(r"\{([^}]*)\}", body)
    entry = re.split(r"[\s\[{]", body, maxsplit=1)[0]
    current.verbs.append((entry, code.group(1).strip() if code else current.code,
                          forms.group(1) if forms else ""))
    return current


def _words(token_text: str) -> list[str]:
    """PETRARCH joins words with '_'; a trailing '_' only marks an exact (unstemmed) match."""
    return [w for w in token_text.replace("_", " ").split() if w]


def _tokens(body: str) -> list[str]:
    out = []
    for tok in body.split():
        if "*" in tok and tok != "*":
            out.extend(w for w in re.split(r"(\*)|_", tok) if w)
        elif tok.startswith("&"):
            out.append(tok.rstrip("_") if len(tok) > 1 else tok)
        else:
            out.extend(_words(tok) if tok not in MARKERS | {"^", "*"} else [tok])
    return out


class Reject(Exception):
    """A pattern a dependency parse cannot check; the message is the reason (counted)."""


def _classify(word: str, index: WordIndex) -> tuple[str, str]:
    if word in MARKERS:
        return "S", ""
    low = word.lower()
    if word == "^":
        raise Reject("skip marker ^")
    if "-" in low or not low.isalpha():
        raise Reject("hyphenated or non-alphabetic word")
    if low in SKIPPED:
        return "X", ""
    if low in FUNCTION_WORDS:
        raise Reject("function word")
    if _is_verb_form(low, index):
        raise Reject("verb form (a clause, not an object)")
    if low in PARTICLES:
        return "P", low
    if low in AMBIGUOUS:
        return "A", low
    if low in PREPS:
        return "R", low
    noun = index.lemma(low, "noun")
    if noun:
        return "N", noun
    adj = index.lemma(low, "adj")
    if adj:
        return "J", adj
    raise Reject("function word, verb form or truncated stem")


def _is_verb_form(word: str, index: WordIndex) -> bool:
    """A base verb that is no noun ("discuss"), or a past form whose noun reading is rare
    ("sent", "stole"); -ing nouns ("meeting", "shelling") and plurals ("demands") pass."""
    nouns, verbs = index.index["noun"], index.index["verb"]
    if word in verbs and word not in nouns and word not in index.index["adj"]:
        return True
    if word in nouns and not word.endswith(("ing", "s")):
        lemma = index.lemma(word, "verb")
        return lemma is not None and lemma != word and word not in verbs
    return False


def _phrase(items: list[tuple[str, str]], i: int, verbs: set[str]) -> tuple[str, int]:
    """Object phrase from i: modifiers + noun head (slots allowed, unconstrained)."""
    words, slots = [], 0
    while i < len(items) and items[i][0] in "NJSX":
        kind, word = items[i]
        if kind in "NJ":
            words.append(word)
        slots += kind == "S"
        i += 1
    if words and (items[i - 1][0] == "J" or len(words) > MAX_PHRASE):
        raise Reject("object phrase without a noun head or too long")
    if len(words) > 1 and words[0] in verbs and words[0] not in NOUN_MODIFIERS:
        raise Reject("verb-like modifier (a clause, not an object phrase)")
    if words and items[i - 1][0] == "S":
        raise Reject("actor slot after a content word (possessive or clause)")
    return " ".join(words), i


def analyse(post: list[str], index: WordIndex) -> tuple[str, str, str, str]:
    """(particle, object, prep, pobj) for the words after the verb, or raise Reject."""
    items = [_classify(w, index) for w in post]
    items = [it for it in items if it[0] != "X"]
    particle, obj, prep, pobj, i = "", "", "", "", 0
    if items and (items[0][0] == "P" or (items[0][0] == "A" and (
            len(items) == 1 or items[1][0] in "RA"))):
        particle, i = items[0][1], 1
    obj, i = _phrase(items, i, index.index["verb"])
    if i < len(items) and items[i][0] in "RA":
        prep = items[i][1]
        pobj, i = _phrase(items, i + 1, index.index["verb"])
    if i < len(items):
        raise Reject("more than verb + particle + object + one prepositional phrase")
    return particle, obj, prep, pobj


def _expand(tokens: list[str], synsets: dict[str, list[list[str]]]) -> list[list[str]]:
    """All word sequences for a token list with &SYNSETS expanded (bounded)."""
    options = []
    for tok in tokens:
        if tok.startswith("&"):
            name = tok[1:].rstrip("_")
            if name not in synsets:
                raise Reject("unknown synonym set")
            options.append(synsets[name])
        else:
            options.append([[tok]])
    n = 1
    for opt in options:
        n *= len(opt)
    if n > MAX_EXPANSION:
        raise Reject("synonym-set expansion too large")
    return [[w for part in combo for w in part] for combo in itertools.product(*options)]


def verb_entry(entry: str, index: WordIndex) -> tuple[str, list[str]]:
    """(lemma, words after the verb) of a block's verb line; raise Reject if not a verb."""
    text = entry.lstrip("+")
    if text.startswith("RE_+"):  # 're-open' is written RE_+OPEN; spaCy lemmatises 'reopen'
        text = "RE" + text[4:]
    words = _words(text)
    lemma = index.lemma(words[0], "verb")
    if not lemma:
        raise Reject("block entry is not an English verb")
    return lemma, words[1:]


def _code(raw: str, valid) -> str:
    code = raw.split(":")[0].strip()
    if code in ("---", ""):
        return BLOCK
    if code in UNCODED:
        return BLOCK
    if not valid(code):
        raise Reject("code not in CAMEO 1.1b3")
    return code


def _targets(comment: str, verbs: dict[str, str]) -> list[str]:
    """Block entries the pattern's comment names as its origin; all of them if none."""
    named = {w.lstrip("+") for w in re.findall(r"[A-Z][A-Z_+]+", comment)}
    hits = [e for e in verbs if e.lstrip("+") in named]
    return hits or list(verbs)


def _verb_rows(block: Block, index: WordIndex, valid, reasons: Counter):
    """Bare-verb rows of a block and the (lemma, extra words, default code) of its verbs."""
    verbs: dict[str, tuple[str, list[str], str]] = {}
    for entry, raw_code, _forms in block.verbs:
        try:
            lemma, extra = verb_entry(entry, index)
            particle, obj, prep, pobj = analyse(extra, index)
        except Reject as why:
            reasons[f"verb entry: {why}"] += 1
            continue
        try:
            code = _code(raw_code, valid)
        except Reject:  # e.g. EXPRESS [0110]: keep the verb for its patterns, no default
            reasons["verb entry: default code not in CAMEO 1.1b3 (verb kept, no default)"] += 1
            code = BLOCK
        verbs[entry] = (lemma, extra, code)
        if code != BLOCK:
            yield {"lemma": lemma, "particle": particle, "object": obj, "prep": prep,
                   "pobj": pobj, "code": code, "pattern": f"[{block.name}] {entry}"}
    block.resolved = verbs


def _pattern_rows(block: Block, synsets, index: WordIndex, valid, reasons: Counter):
    """Rows for the block's patterns that a dependency parse can check."""
    for body, raw_code, comment in block.patterns:
        audit = f"[{block.name}] - {body} [{raw_code}]"
        tokens = _tokens(body)
        try:
            if "*" not in tokens:
                raise Reject("no verb position")
            star = tokens.index("*")
            if any(t not in MARKERS for t in tokens[:star]):
                raise Reject("words before the verb (tense/context cue)")
            code = _code(raw_code, valid)
            expansions = _expand(tokens[star + 1:], synsets)
        except Reject as why:
            reasons[f"pattern: {why}"] += 1
            continue
        for entry in _targets(comment, block.resolved):
            lemma, extra, default = block.resolved[entry]
            if code == BLOCK and default == BLOCK:
                reasons["pattern: null or statement code on an uncoded verb"] += 1
                continue
            for words in expansions:
                try:
                    particle, obj, prep, pobj = analyse(extra + words, index)
                except Reject as why:
                    reasons[f"pattern: {why}"] += 1
                    continue
                yield {"lemma": lemma, "particle": particle, "object": obj, "prep": prep,
                       "pobj": pobj, "code": code, "pattern": audit}


def build_rows(text: str, index: WordIndex, valid) -> tuple[list[dict[str, str]], Counter]:
    """The petrarch2 rows (deduplicated, first occurrence wins) and the drop reasons."""
    synsets, blocks = parse_file(text)
    reasons: Counter = Counter()
    rows, seen = [], {}
    for block in blocks:
        candidates = list(_verb_rows(block, index, valid, reasons))
        candidates += list(_pattern_rows(block, synsets, index, valid, reasons))
        for row in candidates:
            key = (row["lemma"], row["particle"], row["object"], row["prep"], row["pobj"])
            if key in seen:
                if seen[key] != row["code"]:
                    reasons["duplicate key with another code (first kept)"] += 1
                continue
            seen[key] = row["code"]
            rows.append({**row, "origin": "petrarch2"})
    return rows, reasons


MARKER = "# === petrarch2 rows: generated by scripts/build_verb_lexicon.py; do not edit below ==="


def _curated_head(path: Path) -> str:
    """Everything above the generated section (header, comments, eventwire rows)."""
    if not path.exists():
        return "\t".join(COLUMNS) + "\n"
    text = path.read_text(encoding="utf-8")
    head = text.split(MARKER)[0]
    return head if head.endswith("\n") else head + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--report", action="store_true", help="print drop reasons")
    args = parser.parse_args(argv)
    from eventwire import nlp as _nlp
    from eventwire.ontology import is_code

    text = (args.shared / SOURCE).read_text(encoding="utf-8", errors="replace")
    rows, reasons = build_rows(text, WordIndex(_nlp.load()), is_code)
    for row in rows:
        if any("\t" in v for v in row.values()):
            raise ValueError(f"tab in generated row {row}")
    body = "".join("\t".join(r[c] for c in COLUMNS) + "\n" for r in rows)
    OUT.write_text(_curated_head(OUT) + MARKER + "\n" + body, encoding="utf-8")
    blocks = sum(r["code"] == BLOCK for r in rows)
    print(f"verbs.tsv: {len(rows)} petrarch2 rows ({blocks} blocking rows), "
          f"{len({r['lemma'] for r in rows})} lemmas")
    if args.report:
        for why, n in reasons.most_common():
            print(f"{n:7d}  dropped: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
