"""Ingest: articles in, coded and stored one transaction per batch; safe to stop and re-run.

Per batch of ``batch_size`` inputs: articles already stored (same content hash) are skipped
before any work; near-duplicates of stored articles (or of an earlier article in the batch)
are linked to their original without being coded (one query for the batch's hashes, one for
its MinHash bands); the rest are parsed together by spaCy and coded; then the batch is
written, in input order, in one transaction with its events (:meth:`Store.add_articles`).
A kill loses at most the current batch, which the next run codes again. When the batch's
transaction fails, its articles are written again one by one, so one article the database
refuses (``E-STORE-WRITE``) does not lose the others.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Mapping, Optional, Sequence, Union

from .. import __version__
from ..limits import TimeLimitExceeded
from ..records import Article, Event, InputProblem
from ..settings import DEFAULT, Settings
from . import dedup

__all__ = ["ingest", "IngestReport", "code_articles"]

Item = Union[Article, InputProblem]
# on_item(status, item, n_events): status is stored | duplicate | exists | problem
Callback = Callable[[str, Item, int], None]


@dataclass
class IngestReport:
    """What one ingest did."""

    read: int = 0  # articles read (problems not counted)
    stored: int = 0  # new originals stored with their events
    duplicates: int = 0  # near-duplicates linked to an original (not coded)
    exists: int = 0  # already stored (same text): skipped
    events: int = 0  # events stored
    problems: list[InputProblem] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        rate = self.read / self.seconds if self.seconds else 0.0
        return (f"{self.read} articles read: {self.stored} stored, {self.duplicates} "
                f"near-duplicates linked, {self.exists} already stored; {self.events} events; "
                f"{len(self.problems)} inputs refused; {self.seconds:.1f} s ({rate:.1f} "
                f"articles/s)")


@dataclass
class _Plan:
    article: Article
    signature: dedup.Signature
    duplicate_of: Optional[tuple[str, float]]
    events: list[Event] = field(default_factory=list)
    problem: Optional[InputProblem] = None


def code_articles(coder, articles: Sequence[Article]) -> Iterator[Union[list[Event],
                                                                       InputProblem]]:
    """Each article's events (or an E-CODE problem), parsed in one spaCy batch when the coder
    is an :class:`eventwire.pipeline.Coder`, else by its ``code(article)``."""
    if hasattr(coder, "nlp") and hasattr(coder, "code_doc"):
        from ..pipeline import dateline_span, mask
        texts = ((mask(a.text, dateline_span(a.text)), a) for a in articles)
        pairs = coder.nlp.pipe(texts, as_tuples=True, batch_size=len(articles) or 1)
        for doc, article in pairs:
            yield _guard(article, lambda: coder.code_doc(article, doc))
    else:
        for article in articles:
            yield _guard(article, lambda: coder.code(article))


def _guard(article: Article, code) -> Union[list[Event], InputProblem]:
    try:
        return list(code())
    except TimeLimitExceeded as exc:  # settings.max_article_seconds: refused, nothing stored
        return InputProblem(article.origin or article.id, exc.code,
                            f"coding article {article.id!r} {exc.reason}; not stored")
    except Exception as exc:  # noqa: BLE001 - batch contract: record the failure, go on
        return InputProblem(article.origin or article.id, "E-CODE",
                            f"coding article {article.id!r} failed ({type(exc).__name__}: "
                            f"{exc}); not stored, a re-run tries again")


def ingest(store, items: Iterable[Item], *, coder=None, settings: Settings = DEFAULT,
           batch_size: Optional[int] = None, on_item: Optional[Callback] = None,
           threshold: float = dedup.THRESHOLD,
           signatures: Optional[Mapping[str, dedup.Signature]] = None) -> IngestReport:
    """Code and store ``items`` (Articles and InputProblems, e.g. from
    :func:`eventwire.ingest.iter_inputs`) into ``store``; returns an :class:`IngestReport`.

    ``coder`` defaults to :func:`eventwire.pipeline.default_coder` (loaded on first need, so an
    ingest of stored articles only never loads spaCy). ``signatures``: MinHash signatures
    already computed, by content hash (the scale driver's), so they are not computed again.
    """
    report = IngestReport()
    started = time.monotonic()
    notify = on_item or (lambda status, item, n: None)
    size = batch_size or settings.batch_size
    for batch in _batches(items, size):
        plans = _plan(store, batch, report, notify, threshold, signatures or {})
        todo = [p for p in plans if p.duplicate_of is None]
        while todo:
            if coder is None:
                from ..pipeline import default_coder
                coder = default_coder(settings)
            for plan, result in zip(todo, code_articles(coder, [p.article for p in todo])):
                if isinstance(result, InputProblem):
                    plan.problem = result
                else:
                    plan.events = result
            todo = _orphans(plans, threshold)
        _write(store, plans, report, notify)
        report.seconds = time.monotonic() - started
    report.seconds = time.monotonic() - started
    return report


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _plan(store, batch: list[Item], report: IngestReport, notify: Callback,
          threshold: float, known: Mapping[str, dedup.Signature]) -> list[_Plan]:
    """Skip stored and repeated texts, find near-duplicates; the rest are to be coded."""
    articles = [item for item in batch if isinstance(item, Article)]
    stored = store.stored_keys(a.content_hash for a in articles)
    new = list({a.content_hash: a for a in articles if a.content_hash not in stored}.values())
    sigs = {a.content_hash: known.get(a.content_hash) or dedup.signature(a.text) for a in new}
    found = dict(zip(sigs, store.find_duplicates(list(sigs.values()), threshold=threshold)))
    plans: list[_Plan] = []
    keys: set[str] = set()
    for item in batch:
        if isinstance(item, InputProblem):
            report.problems.append(item)
            notify("problem", item, 0)
            continue
        report.read += 1
        key = item.content_hash
        if key in keys or key in stored:
            report.exists += 1
            notify("exists", item, 0)
            continue
        keys.add(key)
        sig = sigs[key]
        earlier = [(p.article.content_hash, p.signature) for p in plans
                   if p.duplicate_of is None]
        dup = found[key] or dedup.best_match(sig, earlier, threshold)
        plans.append(_Plan(item, sig, dup))
    return plans


def _orphans(plans: list[_Plan], threshold: float) -> list[_Plan]:
    """Near-duplicates of an article of the batch whose coding failed (it is not stored):
    each is linked to an earlier original of the batch that it matches, else it is to be
    coded itself (returned), as it would be had it come in a batch of its own."""
    failed = {p.article.content_hash for p in plans if p.problem is not None}
    out = []
    for i, plan in enumerate(plans):
        if plan.duplicate_of and plan.duplicate_of[0] in failed:
            earlier = [(p.article.content_hash, p.signature) for p in plans[:i]
                       if p.duplicate_of is None and p.problem is None]
            plan.duplicate_of = dedup.best_match(plan.signature, earlier, threshold)
            if plan.duplicate_of is None:
                out.append(plan)
    return out


def _write(store, plans: list[_Plan], report: IngestReport, notify: Callback) -> None:
    """Write the batch's articles in one transaction (one by one if that fails), then count
    and report each, in input order."""
    from .core import ArticleWrite
    writes = {id(p): ArticleWrite(p.article, p.events, p.signature, p.duplicate_of,
                                  __version__) for p in plans if p.problem is None}
    try:
        status = dict(zip(writes, store.add_articles(list(writes.values()))))
    except Exception:  # noqa: BLE001 - one article the database refuses must not lose the rest
        status = {}
        for pid, w in writes.items():
            try:
                status[pid] = store.add_articles([w])[0]
            except Exception as exc:  # noqa: BLE001 - recorded as the article's problem
                status[pid] = InputProblem(
                    w.article.origin or w.article.id, "E-STORE-WRITE",
                    f"storing article {w.article.id!r} failed ({type(exc).__name__}: "
                    f"{' '.join(str(exc).split())[:300]}); not stored, a re-run tries again")
    for plan in plans:
        result = plan.problem or status[id(plan)]
        if isinstance(result, InputProblem):
            report.problems.append(result)
            notify("problem", result, 0)
        else:
            _count(plan, result, report, notify)


def _count(plan: _Plan, status: str, report: IngestReport, notify: Callback) -> None:
    n = len({ev.event_id for ev in plan.events}) if status == "stored" else 0
    report.events += n
    if status == "stored":
        report.stored += 1
    elif status == "duplicate":
        report.duplicates += 1
    else:
        report.exists += 1
    notify(status, plan.article, n)
