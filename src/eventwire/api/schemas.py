"""Request and response bodies of the HTTP API (the OpenAPI schema is generated from these).

``EventRecord`` is the JSON event record of DESIGN.md field for field, so a response can be
checked against the schema (the API tests do, with schemathesis).
"""
from __future__ import annotations

from datetime import date
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ArticleIn", "TextArticleIn", "HtmlArticleIn", "CodeResult", "StoreResult", "EventRecord", "EventPage", "EventDetail",
    "Stats", "ActorGraph", "StoryList", "ErrorOut",
]

Modality = Literal["asserted", "negated", "intended", "hypothetical", "demanded"]


class ErrorOut(BaseModel):
    detail: str = Field(description="a stable code (E-API-..., E-STORE-..., E-...) and why")


class _ArticleFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    published: Optional[date] = Field(
        None, description="publication date when the input carries none; relative dates "
        "('on Monday') are resolved against it")
    id: Optional[str] = Field(None, max_length=200, description="your id for the article")
    title: Optional[str] = Field(None, max_length=1000)
    url: Optional[str] = Field(None, max_length=2000)
    publisher: Optional[str] = Field(None, max_length=200)


class TextArticleIn(_ArticleFields):
    """Plain article text (an optional ``Title:/Published:`` header block allowed)."""

    text: str = Field(description="plain article text")


class HtmlArticleIn(_ArticleFields):
    """A web page; its main text is extracted."""

    html: str = Field(description="an HTML page (main text is extracted)")


# Exactly one of ``text`` or ``html``: each model forbids the other's field, so the schema
# says it too (anyOf of two closed objects).
ArticleIn = Union[TextArticleIn, HtmlArticleIn]


class ArticleRef(BaseModel):
    id: str
    url: Optional[str] = None
    title: Optional[str] = None
    publisher: Optional[str] = None
    published: Optional[date] = None


class ActorOut(BaseModel):
    text: Optional[str] = None
    code: Optional[str] = None
    country: Optional[str] = None
    role: Optional[str] = None
    name: Optional[str] = None


class CameoOut(BaseModel):
    code: str
    root: str
    label: str
    quad_class: int = Field(description="1 verbal coop., 2 material coop., 3 verbal conflict, "
                            "4 material conflict")
    goldstein: Optional[float] = None


class PloverOut(BaseModel):
    type: Optional[str] = None
    mode: Optional[str] = None


class WhenOut(BaseModel):
    text: Optional[str] = None
    start: Optional[date] = None
    end: Optional[date] = None
    precision: str


class PlaceOut(BaseModel):
    text: Optional[str] = None
    name: Optional[str] = None
    country: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    precision: Optional[str] = None
    geonameid: Optional[int] = None


class AttributionOut(BaseModel):
    text: Optional[str] = None
    claimants: list[str] = []


class EvidenceOut(BaseModel):
    method: str
    rule: str
    version: str


class EventRecord(BaseModel):
    """One event: who did what to whom, when, where, according to whom, and why coded so."""

    event_id: str
    article: ArticleRef
    sentence: str
    span: list[int] = Field(min_length=2, max_length=2)
    source: Optional[ActorOut] = None
    target: Optional[ActorOut] = None
    cameo: CameoOut
    plover: PloverOut
    when: WhenOut
    background: bool
    where: Optional[PlaceOut] = None
    attribution: AttributionOut
    modality: Modality
    confidence: float
    evidence: EvidenceOut


class CodeResult(BaseModel):
    article: ArticleRef
    published_from: str = Field(description="metadata | option | missing: where the "
                                "publication date came from")
    text: str = Field(description="the article text that was coded (for HTML: the extracted "
                      "main text); the events' spans index it")
    events: list[EventRecord]


class StoreResult(BaseModel):
    status: Literal["stored", "duplicate", "exists"]
    article_key: str = Field(description="SHA-256 of the article text")
    events: list[EventRecord] = Field(description="the events stored (empty unless stored)")


class EventPage(BaseModel):
    events: list[EventRecord]
    next_cursor: Optional[str] = Field(None, description="pass as ?cursor= for the next page; "
                                       "null on the last page")
    limit: int


class Context(BaseModel):
    before: str
    sentence: str
    after: str


class StoredArticle(BaseModel):
    key: str
    id: str
    title: Optional[str] = None
    url: Optional[str] = None
    publisher: Optional[str] = None
    published: Optional[date] = None
    published_from: Optional[str] = None
    text: str


class EventDetail(BaseModel):
    event: EventRecord
    story_id: Optional[str] = None
    article: StoredArticle
    span: list[int] = Field(min_length=2, max_length=2,
                            description="[start, end) of the sentence in article.text")
    context: Context
    date_reasoning: str = Field(description="how the event's date was found")
    paragraph: Optional[int] = None


class DayCount(BaseModel):
    day: date
    background: bool
    plover_type: Optional[str] = None
    quad_class: Optional[int] = None
    n: int


class KeyCount(BaseModel):
    key: Optional[str] = None
    n: int


class PlaceCount(BaseModel):
    name: Optional[str] = None
    country: Optional[str] = None
    lat: float
    lon: float
    plover_type: Optional[str] = None
    quad_class: Optional[int] = None
    n: int


class Stats(BaseModel):
    total: int
    undated: int
    background: int
    geocoded: int
    by_day: list[DayCount] = Field(description="by the event's own start date")
    by_type: list[KeyCount] = Field(description="by PLOVER type")
    by_quad: list[KeyCount] = Field(description="by quad class (as text)")
    by_country: list[KeyCount] = Field(description="by ISO3 of the event's place")
    places: list[PlaceCount] = Field(description="geocoded places by type")


class ActorCount(BaseModel):
    code: str
    country: Optional[str] = None
    as_source: int
    as_target: int
    events: int


class Edge(BaseModel):
    source: str
    target: str
    events: int
    cooperation: int = Field(description="events of quad class 1 or 2")
    conflict: int = Field(description="events of quad class 3 or 4")
    goldstein: Optional[float] = Field(None, description="mean Goldstein score")


class ActorGraph(BaseModel):
    actors: list[ActorCount]
    edges: list[Edge]


class StoryArticle(BaseModel):
    id: Optional[str] = None
    publisher: Optional[str] = None
    url: Optional[str] = None
    published: Optional[date] = None
    duplicate_of: Optional[str] = None


class Story(BaseModel):
    story_id: str
    source_code: Optional[str] = None
    target_code: Optional[str] = None
    cameo_code: Optional[str] = None
    plover_type: Optional[str] = None
    date_start: Optional[date] = None
    date_end: Optional[date] = None
    place_country: Optional[str] = None
    num_mentions: int
    num_articles: int
    num_sources: int
    articles: list[StoryArticle]
    publishers: list[str]


class StoryList(BaseModel):
    stories: list[Story]
