"""The ``/v1`` routes. Reads are open to loopback clients; writes need a bearer token.

Errors are JSON ``{"detail": "E-CODE why"}``: 400 for a bad filter, cursor or article, 401
without a valid token, 403 for a write to a read-only store, 404 for an unknown event, 413
for a body over the limit, 422 for a request that does not fit the schema.
"""
# No "from __future__ import annotations": FastAPI resolves the local Annotated aliases
# of make_router at definition time.

import re
from datetime import date
from typing import Annotated, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator

from .. import __version__
from ..store import EventFilter, StoreError
from . import queries
from .auth import TokenError
from .schemas import (ActorGraph, ArticleIn, CodeResult, ErrorOut, EventDetail, EventPage,
                      Stats, StoreResult, StoryList)
from .service import InputRefused, Service, is_loopback

__all__ = ["make_router"]

_bearer = HTTPBearer(auto_error=False, description="a token from `eventwire token create`")
_ERRORS = {400: {"model": ErrorOut, "description": "bad filter, cursor or article"},
           401: {"model": ErrorOut, "description": "no valid bearer token"}}
_TEXT = 200  # longest free-text filter accepted
_LIKE_FILTERS = ("actor", "source", "target", "claimant", "text")
_NO_WILDCARD = r"^[^%_\\]*$"  # see filters(): the store's LIKE has no ESCAPE clause
_NUMBER = r"-?[0-9]{1,3}(\.[0-9]{1,8})?"
_BBOX = rf"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$"
# Reads: a token is optional in the schema (open on loopback, needed from elsewhere).
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_OPTIONAL_AUTH = {"security": [{}, {"HTTPBearer": []}]}
_WILDCARDS = re.compile(r"[%_\\]")


def _service(request: Request) -> Service:
    return request.app.state.service


def _token_name(service: Service, creds: Optional[HTTPAuthorizationCredentials]) -> str:
    if creds is None:
        raise _unauthorised("E-API-AUTH this needs 'Authorization: Bearer <token>' (create one "
                            "with: eventwire token create --db ...)")
    try:
        name = service.tokens.verify(creds.credentials) if service.tokens else None
    except TokenError as exc:
        raise HTTPException(500, str(exc)) from None
    if name is None:
        raise _unauthorised("E-API-AUTH the bearer token is not valid for this store")
    return name


def _unauthorised(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})


def reader(request: Request, service: Annotated[Service, Depends(_service)],
           creds: Annotated[Optional[HTTPAuthorizationCredentials], Depends(_bearer)]) -> None:
    """Reads are open on loopback (or with serve --open-reads); others need a token."""
    client = request.client.host if request.client else None
    if service.config.open_reads or is_loopback(client):
        return
    _token_name(service, creds)


def writer(service: Annotated[Service, Depends(_service)],
           creds: Annotated[Optional[HTTPAuthorizationCredentials], Depends(_bearer)]) -> str:
    """Writes always need a valid token; a read-only store refuses them after that."""
    name = _token_name(service, creds)
    if service.config.read_only:
        raise HTTPException(403, "E-API-READONLY the store was opened read-only "
                                 "(eventwire serve --read-only); writes are refused")
    return name


def _iso_date(value):
    # Only YYYY-MM-DD: pydantic alone would also take a number as a Unix time (date_to=0
    # meaning 1970-01-01), silently.
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def _bbox(value: Optional[str]) -> Optional[tuple[float, ...]]:
    if value is None:
        return None
    try:
        box = tuple(float(v) for v in value.split(","))
    except ValueError:
        box = ()
    if len(box) != 4 or any(v != v or abs(v) > 360 for v in box):
        raise HTTPException(400, f"E-API-FILTER bbox {value[:80]!r}: expected "
                                 f"MIN_LON,MIN_LAT,MAX_LON,MAX_LAT")
    return box


def filters(
    date_from: Annotated[Optional[IsoDate], Query(description="event's own date on or after")] = None,
    date_to: Annotated[Optional[IsoDate], Query(description="event's own date on or before")] = None,
    actor: Annotated[Optional[str], Query(max_length=_TEXT, pattern=_NO_WILDCARD,
                                          description="source or target: code prefix (SYR, "
                                          "SYRGOV) or name text")] = None,
    source: Annotated[Optional[str], Query(max_length=_TEXT, pattern=_NO_WILDCARD)] = None,
    target: Annotated[Optional[str], Query(max_length=_TEXT, pattern=_NO_WILDCARD)] = None,
    country: Annotated[Optional[str], Query(pattern=r"^[A-Za-z]{3}$",
                                            description="ISO3 of the event's place")] = None,
    cameo: Annotated[Optional[str], Query(pattern=r"^[0-9]{2,4}$",
                                          description="CAMEO code prefix")] = None,
    plover: Annotated[Optional[str], Query(pattern=r"^[A-Za-z]{3,20}$",
                                           description="PLOVER type")] = None,
    bbox: Annotated[Optional[str], Query(pattern=_BBOX, description="MIN_LON,MIN_LAT,"
                                         "MAX_LON,MAX_LAT of the event's place (min <= max, "
                                         "else 400)")] = None,
    background: Annotated[Optional[bool], Query(description="true: retold history only; "
                                                "false: news only")] = None,
    claimant: Annotated[Optional[str], Query(max_length=_TEXT, pattern=_NO_WILDCARD)] = None,
    text: Annotated[Optional[str], Query(max_length=_TEXT, pattern=_NO_WILDCARD,
                                         description="in the sentence")] = None,
    modality: Annotated[Optional[Literal["asserted", "negated", "intended", "hypothetical",
                                         "demanded"]], Query()] = None,
    story: Annotated[Optional[str], Query(max_length=_TEXT)] = None,
    article: Annotated[Optional[str], Query(max_length=_TEXT,
                                            description="article id or key")] = None,
) -> EventFilter:
    """The store's filters (docs/store.md), combined with AND."""
    values = dict(date_from=date_from, date_to=date_to, actor=actor, source=source,
                  target=target, country=country, cameo=cameo, plover=plover,
                  bbox=_bbox(bbox), background=background, claimant=claimant, text=text,
                  modality=modality, story=story, article=article)
    for name, value in values.items():
        # PostgreSQL refuses NUL in text; refuse it for both backends, with the name.
        if isinstance(value, str) and "\x00" in value:
            raise HTTPException(400, f"E-API-FILTER {name} contains a NUL character")
        # The store matches these with LIKE/ILIKE without an ESCAPE clause, so % and _ would
        # act as wildcards ("_" matching every actor): refuse them rather than widen a filter.
        if name in _LIKE_FILTERS and isinstance(value, str) and _WILDCARDS.search(value):
            raise HTTPException(400, f"E-API-FILTER {name} {value[:40]!r}: the characters "
                                     f"% _ \\ are not allowed (no wildcards)")
    f = EventFilter(**{k: v for k, v in values.items() if v is not None and v != ""})
    try:
        return queries.check_filter(f)
    except StoreError as exc:
        raise HTTPException(400, str(exc)) from None


def make_router(config) -> APIRouter:
    """The ``/v1`` routes; ``config`` (an ApiConfig) fixes the page-size cap."""
    r = APIRouter(prefix="/v1", responses=_ERRORS)
    Svc = Annotated[Service, Depends(_service)]
    Filters = Annotated[EventFilter, Depends(filters)]

    @r.get("/health", dependencies=[Depends(reader)], tags=["meta"], openapi_extra=_OPTIONAL_AUTH)
    def health(service: Svc) -> dict:
        """Liveness, version and store counts."""
        with service.reading() as store:
            counts = store.counts()
        return {"status": "ok", "version": __version__, "store": store.db.kind,
                "read_only": service.config.read_only, "counts": counts}

    @r.post("/code", response_model=CodeResult, tags=["coding"],
            responses={413: {"description": "body over the size limit"}})
    def code(body: ArticleIn, service: Svc) -> dict:
        """Code one article (``text`` or ``html``) and return its events; nothing is
        stored."""
        article = _read(service, body)
        try:
            events = service.code(article)
        except InputRefused as exc:  # E-TIMEOUT: over settings.max_article_seconds
            raise HTTPException(400, str(exc)) from None
        return {"article": article.ref(), "published_from": article.published_from,
                "text": article.text, "events": [ev.to_dict() for ev in events]}

    @r.post("/articles", response_model=StoreResult, status_code=201, tags=["coding"],
            responses={200: {"model": StoreResult, "description": "already stored, or a "
                             "near-duplicate linked to its original"},
                       403: {"model": ErrorOut, "description": "store opened read-only"},
                       413: {"description": "body over the size limit"}})
    def store_article(body: ArticleIn, service: Svc, response: Response,
                      _token: Annotated[str, Depends(writer)]) -> dict:
        """Code one article and store it (needs a bearer token). 201 when stored; 200 when
        the same text was stored before (``exists``) or it nearly duplicates a stored
        article (``duplicate``: linked, not coded, so its events count once)."""
        article = _read(service, body)
        try:
            status, events = service.ingest(article)
        except InputRefused as exc:
            raise HTTPException(400, str(exc)) from None
        if status != "stored":
            response.status_code = 200
        return {"status": status, "article_key": article.content_hash,
                "events": [ev.to_dict() for ev in events]}

    @r.get("/events", response_model=EventPage, dependencies=[Depends(reader)],
           tags=["events"], openapi_extra=_OPTIONAL_AUTH)
    def events(service: Svc, f: Filters,
               limit: Annotated[int, Query(ge=1, le=config.page_max)] = config.page_default,
               cursor: Annotated[Optional[str], Query(max_length=2000)] = None) -> dict:
        """Events matching the filters, by event date; follow ``next_cursor`` for more."""
        with service.reading() as store:
            try:
                records, nxt = queries.page_events(store, f, limit=limit, cursor=cursor)
            except queries.CursorError as exc:
                raise HTTPException(400, str(exc)) from None
        return {"events": records, "next_cursor": nxt, "limit": limit}

    @r.get("/events/{event_id}", response_model=EventDetail, dependencies=[Depends(reader)],
           tags=["events"], responses={404: {"model": ErrorOut}}, openapi_extra=_OPTIONAL_AUTH)
    def event(event_id: str, service: Svc) -> dict:
        """One event with its article's text, the sentence in context, and how it was
        dated."""
        with service.reading() as store:
            found = queries.event_detail(store, event_id) if "\x00" not in event_id else None
        if found is None:
            raise HTTPException(404, f"E-API-NOTFOUND no event {event_id[:40]!r} in the store")
        return found

    @r.get("/stories", response_model=StoryList, dependencies=[Depends(reader)],
           tags=["events"], openapi_extra=_OPTIONAL_AUTH)
    def stories(service: Svc, min_articles: Annotated[int, Query(ge=1, le=10_000)] = 1,
                limit: Annotated[int, Query(ge=1, le=config.page_max)] = config.page_default
                ) -> dict:
        """Story events (one happening reported by several articles), most reported first."""
        with service.reading() as store:
            return {"stories": store.stories(min_articles=min_articles, limit=limit)}

    @r.get("/actors", response_model=ActorGraph, dependencies=[Depends(reader)],
           tags=["aggregates"], openapi_extra=_OPTIONAL_AUTH)
    def actors(service: Svc, f: Filters,
               limit: Annotated[int, Query(ge=1, le=config.page_max)] = config.page_default
               ) -> dict:
        """The most active actors and who acts on whom (edge weight = events; cooperation =
        quad classes 1-2, conflict = 3-4)."""
        with service.reading() as store:
            return queries.actor_graph(store, f, limit=limit)

    @r.get("/stats", response_model=Stats, dependencies=[Depends(reader)],
           tags=["aggregates"], openapi_extra=_OPTIONAL_AUTH)
    def stats(service: Svc, f: Filters) -> dict:
        """Counts by event day (news and background apart), by type, quad class, country,
        and the geocoded places."""
        with service.reading() as store:
            return queries.stats(store, f)

    return r


def _read(service: Service, body: ArticleIn):
    try:
        return service.article(body)
    except InputRefused as exc:
        raise HTTPException(400, str(exc)) from None
