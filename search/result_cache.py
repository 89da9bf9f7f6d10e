"""Answers of popular searches kept in the shared cache, dropped when the index changes.

Two levels, both in the shared cache (Redis in production):

- the answer of `search.entry.search_pages` (the ranked, highlighted `SearchResponse`), for
  every caller that serves a visitor: the search page, the JSON API, the request form's
  suggestions. The key is what decides the answer (`entry_key`);
- the rendered search page, for visitors without a session (`page_lookup`, `page_store`),
  with a stand-in for the log id that each visit replaces with its own.

An entry remembers the *version* it was computed at and is a miss once any part moved:

- the search generation, bumped with one `cache.incr` when the index or what ranks it
  changes (index tasks finished, pages published/moved/deleted, synonyms, promotions:
  `search.signals`) — every worker sees it at once;
- the database index's own token (`IndexState`, one primary-key query), which also catches
  changes made outside the tasks (`manage.py rebuild_search_index`);
- for the page, the page cache's generation too (topics, contact details).

Analytics are not cached: every search, from the cache or not, is logged by the caller.
An answer of the fallback engine (the cluster down, the database answering) is kept only
`SEARCH_RETRY_AFTER` seconds, the time the cluster is left alone anyway, and its page not at all.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from knowledge import page_cache
from knowledge.page_cache import Generation

from .query import ParsedQuery, words

generation = Generation("search-cache:generation")
ENTRY_PREFIX = "search-cache:answer:"
PAGE_PREFIX = "search-cache:page:"
# Stands for the search's log id in the stored page's result links (each visit logs anew).
LOG_PLACEHOLDER = "search-log-placeholder"


def invalidate() -> None:
    generation.bump()


def enabled() -> bool:
    return settings.PORTAL_SEARCH_CACHE_SECONDS > 0


def index_version(language: str) -> str:
    from .models import IndexState

    return IndexState.current(language)


def _digest(parts: list) -> str:
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


# --- answers of search_pages -------------------------------------------------------------------


def entry_key(
    parsed: ParsedQuery,
    *,
    promoted: list[int],
    limit: int,
    offset: int,
    topic_id: int | None,
    prefix: bool,
    engine: str,
) -> str:
    """What decides the answer: the words the engines see (folded, without punctuation, so
    « Permis  piscine! » and « permis piscine » share an entry), the pages editors promote for
    this query, the language, the slice, the topic, prefix mode and the configured engine."""
    return ENTRY_PREFIX + _digest(
        [words(parsed.raw), promoted, parsed.language, limit, offset, topic_id, prefix, engine]
    )


def lookup(key: str, *, language: str):
    """(cached SearchResponse or None, version to store a fresh answer under)."""
    found = cache.get_many([generation.key, key])
    version = (generation.current(found), index_version(language))
    entry = found.get(key)
    if entry is None or entry["version"] != version:
        return None, version
    return entry["response"], version


def store(key: str, response, *, version, fallback: bool) -> None:
    timeout = settings.SEARCH_RETRY_AFTER if fallback else settings.PORTAL_SEARCH_CACHE_SECONDS
    if timeout <= 0:
        return
    kept = dataclasses.replace(response, results=list(response.results), log_id=None)
    cache.set(key, {"version": version, "response": kept}, timeout=timeout)


# --- the rendered search page, for visitors without a session ------------------------------------


def page_may_be_cached(request) -> bool:
    return enabled() and page_cache.request_is_anonymous_read(request)


def page_key(request, *, language: str) -> str:
    """Per URL (the query string is the search), host and language."""
    return PAGE_PREFIX + _digest([language, request.scheme, request.get_host(), request.get_full_path()])


def page_lookup(request, *, language: str):
    """(stored page or None, version to store a fresh page under)."""
    key = page_key(request, language=language)
    found = cache.get_many([generation.key, page_cache.generation.key, key])
    version = (generation.current(found), page_cache.generation.current(found), index_version(language))
    entry = found.get(key)
    if entry is None or entry["version"] != version:
        return None, version
    return entry, version


def page_store(request, response, *, language: str, version, search) -> bool:
    """Keeps a search page rendered with `LOG_PLACEHOLDER` if it may be shown to anybody."""
    from .engines.selection import get_engine

    if search.engine != get_engine().name:  # the fallback's: the cluster may answer a moment later
        return False
    if not page_cache.response_may_be_shared(request, response):
        return False
    entry = {
        "version": version,
        "content": response.content,
        "headers": page_cache.stored_headers(response),
        "total": search.total,
        "engine": search.engine,
    }
    cache.set(page_key(request, language=language), entry, timeout=settings.PORTAL_SEARCH_CACHE_SECONDS)
    return True


def with_log_id(content: bytes, log_id: int) -> bytes:
    return content.replace(LOG_PLACEHOLDER.encode(), str(log_id).encode())


def page_response(entry: dict, log_id: int) -> HttpResponse:
    return page_cache.response_from(entry, with_log_id(entry["content"], log_id))
