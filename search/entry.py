"""The one search entry point: every view, the JSON API and the request form call `search_pages`.

Contract (stable; engines plug in behind it):

    search_pages(query, *, language, limit=10, offset=0, topic_id=None, request=None) -> SearchResponse

Results are live, public answer and service pages of the requested language,
best first (editors' promotions on top), each with an excerpt where matched
terms are wrapped in <mark>.

Engine selection: `search.engines.selection` (the `SEARCH_URL` setting), or the
`engine` argument. When a cluster cannot answer (connection refused, timeout), the
database engine answers and `engine` says "database".

A visitor's search (`request` given) is answered from the shared cache while the index
has not changed since the same words were searched (`search.result_cache`); it is logged
all the same.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape

from . import result_cache
from .engines.base import EngineHit, SearchEngine, connection_errors, error_summary
from .engines.database import DatabaseEngine
from .engines.selection import (  # noqa: F401 - the names callers of the entry point use
    _cluster_engines,
    active_engines,
    cluster_engine,
    database_engine,
    get_engine,
    search_url,
)
from .highlight import excerpt, mark
from .query import ParsedQuery, normalise, parse_query
from .synonyms import synonym_rules

logger = logging.getLogger(__name__)

MAX_LIMIT = 50
# What the request form's instant answers search: the subject and the start of the description.
INSTANT_TEXT_LENGTH = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ufffd]")


@dataclass(frozen=True)
class SearchHit:
    id: int
    source_id: str | None
    kind: str  # "faq" or "service"
    title: str
    url: str
    excerpt: str  # safe HTML: escaped text with <mark>…</mark>
    score: float = 0.0
    promoted: bool = False
    summary: str = ""
    title_html: str = ""  # safe HTML: the title with <mark>


@dataclass
class SearchResponse:
    query: str
    language: str
    engine: str  # "database", "opensearch" or "elasticsearch"
    results: list[SearchHit] = field(default_factory=list)
    total: int = 0
    suggestion: str | None = None
    duration_ms: float = 0.0
    log_id: int | None = None


_promotions: dict[str, object] = {"checked_at": -1e9, "rows": {}}


def promotions_forget() -> None:
    _promotions["checked_at"] = -1e9


def _promotion_rows() -> dict[tuple[str, str], list[int]]:
    """(query string, language) → promoted page ids, refreshed at most every second per process."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    from .synonyms import check_interval

    now = time.monotonic()
    if now - _promotions["checked_at"] >= check_interval():
        rows: dict[tuple[str, str], list[int]] = {}
        for query_string, language, page_id in (
            SearchPromotion.objects.filter(page__isnull=False, page__live=True)
            .order_by("sort_order", "pk")
            .values_list("query__query_string", "page__locale__language_code", "page_id")
        ):
            rows.setdefault((query_string, language), []).append(page_id)
        _promotions["rows"], _promotions["checked_at"] = rows, now
    return _promotions["rows"]


def _promoted_page_ids(query: str, language: str) -> list[int]:
    from wagtail.search.utils import normalise_query_string

    rows = _promotion_rows()
    if not rows:
        return []
    found: list[int] = []
    for key in dict.fromkeys([normalise_query_string(query), normalise(query)]):
        for page_id in rows.get((key, language), ()):
            if page_id not in found:
                found.append(page_id)
    return found


def instant_answer_text(subject: str, description: str = "", *, length: int = INSTANT_TEXT_LENGTH) -> str:
    """The subject and the start of the description, cut at a word boundary, at most `length`
    characters: the text a request form's instant answers search (never nothing if either is set)."""
    subject = " ".join(_CONTROL.sub(" ", subject or "").split())
    description = " ".join(_CONTROL.sub(" ", description or "").split())
    if not description:
        return subject[:length].rsplit(" ", 1)[0] if len(subject) > length else subject
    room = length - len(subject) - 1
    if room <= 0:
        return subject[:length]
    start = description if len(description) <= room else description[: room + 1].rsplit(" ", 1)[0]
    if len(start) > room:  # one long word: cut it rather than leave nothing
        start = start[:room]
    return f"{subject} {start}".strip()


def session_digest(request) -> str:
    """An anonymous, keyed digest of the session: counts visits without identifying anyone."""
    session = getattr(request, "session", None) if request is not None else None
    key = getattr(session, "session_key", None) or ""
    if not key:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()[:16]


def search_pages(
    query: str,
    *,
    language: str,
    limit: int = 10,
    offset: int = 0,
    topic_id: int | None = None,
    request=None,
    prefix: bool = False,
    log: bool = True,
    source: str = "page",
    cache: bool | None = None,
    engine: SearchEngine | None = None,
) -> SearchResponse:
    """Ranked, highlighted live pages for `query` in `language`. Never raises for an engine outage.

    `cache`: answer from the shared cache of recent answers (`search.result_cache`) when the
    index has not changed since. By default for a visitor's search (`request` given); offline
    tools (relevance evaluation, benchmarks) call without a request and measure the engine.
    Every search is logged (`log`), whether its answer came from the cache or not.

    `engine`: the engine to ask (tests, evaluations); by default the configured one
    (`search.engines.selection`).
    """
    started = time.perf_counter()
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    query = (query or "").strip()
    parsed = parse_query(query, language=language, synonyms=synonym_rules(language), prefix_last=prefix)
    engine = engine or get_engine()
    response = SearchResponse(query=query, language=language, engine=engine.name)
    if parsed.is_empty:
        return response

    promoted = _promoted_page_ids(query, language) if offset == 0 and topic_id is None else []
    cache_key = version = None
    if (request is not None if cache is None else cache) and result_cache.enabled():
        cache_key = result_cache.entry_key(
            parsed,
            promoted=promoted,
            limit=limit,
            offset=offset,
            topic_id=topic_id,
            prefix=prefix,
            engine=engine.name,
        )
        try:
            cached, version = result_cache.lookup(cache_key, language=language)
        except Exception as error:  # noqa: BLE001 - the cache is a help: search works without it
            logger.warning("Search cache unavailable: %s", error)
            cached = cache_key = None
        if cached is not None:
            response = dataclasses.replace(cached, query=query, results=list(cached.results), log_id=None)
            response.duration_ms = round((time.perf_counter() - started) * 1000, 2)
            if log:
                response.log_id = log_search(parsed, response, request=request, source=source)
            return response

    _rank(parsed, response, engine, promoted=promoted, limit=limit, offset=offset, topic_id=topic_id)
    response.duration_ms = round((time.perf_counter() - started) * 1000, 2)
    if cache_key is not None:
        try:
            result_cache.store(cache_key, response, version=version, fallback=response.engine != engine.name)
        except Exception as error:  # noqa: BLE001
            logger.warning("Search cache unavailable: %s", error)
    if log:
        response.log_id = log_search(parsed, response, request=request, source=source)
    return response


def _rank(
    parsed: ParsedQuery,
    response: SearchResponse,
    engine: SearchEngine,
    *,
    promoted: list[int],
    limit: int,
    offset: int,
    topic_id: int | None,
) -> None:
    """Fills `response` with the promoted pages, then the engine's ranked pages (the database
    engine's if `engine` is down)."""
    from .models import SearchDocument

    language = response.language
    arguments = {"language": language, "limit": limit + len(promoted), "offset": offset, "topic_id": topic_id}
    try:
        result = engine.search(parsed, **arguments)
    except connection_errors() as error:
        if isinstance(engine, DatabaseEngine):
            raise
        # The engine itself warns at most once a minute; a warning per request would flood the logs.
        summary = error_summary(error)
        logger.debug("Search engine %s unavailable, falling back to the database: %s", engine.name, summary)
        engine = database_engine()
        response.engine = engine.name
        result = engine.search(parsed, **arguments)

    hits: list[EngineHit] = [EngineHit(page_id=pk, score=0.0) for pk in promoted]
    hits += [hit for hit in result.hits if hit.page_id not in promoted]
    hits = hits[:limit]
    # Only the columns a result shows: the term columns are the engine's, and the body is
    # needed only where the engine gave no excerpt of its own.
    columns = ["language", "kind", "source_id", "url", "title", "summary"]
    if any(hit.excerpt is None for hit in hits):
        columns.append("body")
    documents = SearchDocument.objects.only(*columns).in_bulk([hit.page_id for hit in hits])
    query_stems = parsed.stems()
    for hit in hits:
        document = documents.get(hit.page_id)
        if document is None or document.language != language:
            continue  # not live any more, or promoted in another language
        stems = hit.matched_stems or query_stems
        response.results.append(
            SearchHit(
                id=hit.page_id,
                source_id=document.source_id or None,
                kind=document.kind,
                title=document.title,
                url=document.url,
                excerpt=hit.excerpt
                or excerpt(summary=document.summary, body=document.body, stems=stems, language=language),
                score=hit.score,
                promoted=hit.page_id in promoted,
                summary=escape(document.summary),
                title_html=mark(document.title, stems, language),
            )
        )
    response.total = result.total + len([pk for pk in promoted if pk in documents])
    response.suggestion = result.suggestion


# Searches typed in the request form (source "form") this close together, by one session, are
# one typing session: one row.
TYPING_SECONDS = 30


def log_search(
    parsed: ParsedQuery, response: SearchResponse, *, request=None, source: str = "page"
) -> int | None:
    """Records the search for deflection analytics (normalised query, no personal data).

    A search typed in the request form is logged once per typing session: the form row of the
    same session digest and language logged less than `TYPING_SECONDS` ago whose words are a
    prefix of these words, or extend them (the citizen corrected a letter), is updated (words,
    results, time) instead of a new row."""
    from .models import QueryLog

    if not settings.SEARCH_LOG_QUERIES:
        return None
    if source == "form":
        return _form_search_log(QueryLog, parsed, response, request=request)
    entry = QueryLog.objects.create(
        query=parsed.normalised,
        language=response.language,
        results_count=response.total,
        engine=response.engine,
        duration_ms=response.duration_ms,
        session_digest=session_digest(request),
        source=source,
    )
    return entry.pk


def _form_search_log(query_log, parsed: ParsedQuery, response: SearchResponse, *, request) -> int | None:
    words = parsed.normalised[: query_log._meta.get_field("query").max_length]
    if not words:
        return None
    digest = session_digest(request)
    now = timezone.now()
    recent = (
        query_log.objects.filter(
            source="form",
            language=response.language,
            session_digest=digest,
            created_at__gte=now - timedelta(seconds=TYPING_SECONDS),
        )
        .order_by("-created_at", "-pk")
        .values_list("pk", "query")[:5]
    )
    for pk, previous in recent:
        if words.startswith(previous) or previous.startswith(words):
            query_log.objects.filter(pk=pk).update(
                query=words,
                results_count=response.total,
                engine=response.engine,
                duration_ms=response.duration_ms,
                created_at=now,
            )
            return pk
    return query_log.objects.create(
        query=words,
        language=response.language,
        results_count=response.total,
        engine=response.engine,
        duration_ms=response.duration_ms,
        session_digest=digest,
        source="form",
    ).pk
