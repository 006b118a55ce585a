"""Typed records that flow between the pipeline stages.

Every stage reads and returns these; nothing here touches storage or I/O. ``Event.to_dict()``
is exactly the JSON event record of DESIGN.md, so JSONL output, the store and the web UI can
rely on the field names.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Optional

__all__ = [
    "Article", "Actor", "Place", "When", "Attribution", "Cameo", "Plover",
    "Evidence", "Event", "InputProblem", "MODALITIES",
]

MODALITIES = ("asserted", "negated", "intended", "hypothetical", "demanded")


@dataclass(frozen=True)
class Article:
    """One news article as read from an input.

    ``published`` is the article's own date (``None`` when the input carries none and no
    ``--published`` was given); ``published_from`` says where it came from
    (``metadata`` | ``option`` | ``missing`` | ``fetched``: a feed entry dated by when
    ``watch`` fetched it), so a fallback is never silent.
    """

    id: str
    text: str
    title: Optional[str] = None
    url: Optional[str] = None
    publisher: Optional[str] = None
    published: Optional[date] = None
    published_from: str = "metadata"
    origin: Optional[str] = None  # file path (and line) the article was read from

    def ref(self) -> dict[str, Any]:
        """The ``article`` block of the event record."""
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "publisher": self.publisher,
            "published": self.published.isoformat() if self.published else None,
        }

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class InputProblem:
    """An input (or one record of it) that could not be read; batches record it and go on."""

    origin: str  # path, path:line, or "-" for stdin
    code: str  # short stable error code, e.g. "E-EMPTY", "E-BINARY"
    message: str

    def __str__(self) -> str:  # one line, names the input
        return f"{self.origin}: {self.code} {self.message}"


@dataclass(frozen=True)
class Actor:
    """A coded actor: ``code`` is CAMEO-style (country ISO3 + role, e.g. ``SYRGOV``) or an
    IGO/group code (``UN``, ``NATO``)."""

    text: str
    code: Optional[str]
    country: Optional[str] = None
    role: Optional[str] = None
    name: Optional[str] = None
    start: Optional[int] = None  # character offsets in the article text
    end: Optional[int] = None
    rule: Optional[str] = None  # which lexicon entry / rule resolved it

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "code": self.code, "country": self.country,
                "role": self.role, "name": self.name}


@dataclass(frozen=True)
class Place:
    text: Optional[str]
    name: Optional[str]
    country: Optional[str]
    lat: Optional[float]
    lon: Optional[float]
    precision: Optional[str]  # city | region | country
    geonameid: Optional[int] = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class When:
    """The event's own time. ``reason`` says how it was resolved (or why it fell back)."""

    text: Optional[str]
    start: Optional[date]
    end: Optional[date]
    precision: str  # day | week | month | year | span | unknown
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
        }


@dataclass(frozen=True)
class Attribution:
    text: Optional[str] = None
    claimants: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "claimants": list(self.claimants)}


@dataclass(frozen=True)
class Cameo:
    code: str
    root: str
    label: str
    quad_class: int
    goldstein: Optional[float]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Plover:
    type: Optional[str]
    mode: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "mode": self.mode}


@dataclass(frozen=True)
class Evidence:
    method: str  # rules | model | rules+model
    rule: str
    version: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Event:
    article: Article
    sentence: str
    span: tuple[int, int]
    source: Optional[Actor]
    target: Optional[Actor]
    cameo: Cameo
    plover: Plover
    when: When
    background: bool
    where: Optional[Place]
    attribution: Attribution
    modality: str
    confidence: float
    evidence: Evidence
    sentence_index: int = 0
    extras: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def event_id(self) -> str:
        """Stable hash of article id, sentence index, code, source and target."""
        key = "|".join([
            self.article.id, str(self.sentence_index), self.cameo.code,
            self.source.code if self.source and self.source.code else "",
            self.target.code if self.target and self.target.code else "",
        ])
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        """The JSON event record of DESIGN.md, field for field."""
        return {
            "event_id": self.event_id,
            "article": self.article.ref(),
            "sentence": self.sentence,
            "span": list(self.span),
            "source": self.source.to_dict() if self.source else None,
            "target": self.target.to_dict() if self.target else None,
            "cameo": self.cameo.to_dict(),
            "plover": self.plover.to_dict(),
            "when": self.when.to_dict(),
            "background": self.background,
            "where": self.where.to_dict() if self.where else None,
            "attribution": self.attribution.to_dict(),
            "modality": self.modality,
            "confidence": round(self.confidence, 3),
            "evidence": self.evidence.to_dict(),
        }
