"""Citizen pages served from the shared cache to anonymous visitors, dropped on any content change.

What is kept: the rendered bytes and headers of a page served by a `PublicCacheMixin` page
(home, topics, answers, services) for a GET without a query string, from a visitor with no
session, no messages cookie and no alert hidden, that answered 200, set no cookie and carries
no CSRF token or CSP nonce; it is served until the next alert starts or ends, at the latest.
Everything else (editors, previews, a verified citizen's session, the ``?vote=merci``
confirmation, forms, the status pages) is never stored nor served from here.

Invalidation is one number, a `Generation`, kept in the shared cache (Redis in production)
beside the pages: each entry remembers the generation it was rendered at, and an entry of
an older generation is a miss. Publishing, unpublishing, moving or deleting a page, or
changing a snippet, a setting or another model pages show (`knowledge.signals`) bumps it
with one ``cache.incr``, so every worker and machine sees the change at once. A lookup is
one round trip: the generation and the entry are read together.

`portal.page_cache_middleware` answers hits before sessions, authentication and CSRF run.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control


class Generation:
    """A counter in the shared cache that an entry must match to be served."""

    def __init__(self, key: str):
        self.key = key

    @staticmethod
    def _first() -> int:
        # Microseconds: a counter recreated after an eviction is larger than any before it,
        # so an entry that outlived its counter can never match again.
        return time.time_ns() // 1000

    def current(self, found: dict | None = None) -> int:
        """The counter, from `found` (a `cache.get_many` that asked for it) or the cache."""
        value = (found or {}).get(self.key)
        if value is None:
            value = cache.get(self.key)
        if value is None:
            cache.add(self.key, self._first(), timeout=None)
            value = cache.get(self.key)
        return value

    def _bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:  # absent (first change, or evicted): start a new, larger counter
            cache.add(self.key, self._first(), timeout=None)

    def bump(self) -> None:
        """Every entry is stale from now on, in every worker.

        Bumped now and again when the transaction commits: an entry rendered by another
        worker between the two (old content, first new counter) is dropped too.
        """
        self._bump()
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(self._bump)


generation = Generation("page-cache:generation")
ENTRY_PREFIX = "page-cache:page:"
# Set on a response by `PublicCacheMixin.serve` when the page itself may be shared.
STORABLE_ATTRIBUTE = "page_cache_storable"
# Set on the request by `lookup`: the generation read before the page was rendered.
GENERATION_ATTRIBUTE = "page_cache_generation"
# Set on the request while rendering: the moment the page stops being right (an alert starts or
# ends, `knowledge.alerts`); the entry is not served after it, and shared caches keep it no longer.
VALID_UNTIL_ATTRIBUTE = "page_cache_valid_until"
# A visitor who chose something a page shows differently (alerts they hid) gets pages rendered for them.
HIDDEN_ALERTS_COOKIE = "portal_alerts_hidden"
VISITOR_CHOICE_COOKIES = (HIDDEN_ALERTS_COOKIE,)
# Headers that belong to one exchange, not to the page.
UNSTORED_HEADERS = {"content-length", "date", "set-cookie", "x-cache", "age", "connection"}


NEVER_CACHED_PREFIXES = ("/static/", "/media/", "/admin/", "/api/", "/documents/")


def invalidate() -> None:
    generation.bump()


def request_may_use_cache(request) -> bool:
    """A request whose answer may come from, or go to, the cache (checked before any middleware)."""
    if settings.PORTAL_PAGE_CACHE_SECONDS <= 0 or request.META.get("QUERY_STRING"):
        return False
    if request.path_info.startswith(NEVER_CACHED_PREFIXES):
        return False  # static files, the admin, the API: no round trip to the cache for them
    return request_is_anonymous_read(request)


def request_is_anonymous_read(request) -> bool:
    """A GET or HEAD from a visitor without a session (so not signed in), messages or credentials.

    Not Wagtail's previews and moderation views: they run the middleware with a made-up
    request (`is_dummy`) that may carry no cookie at all.
    """
    if request.method not in ("GET", "HEAD") or getattr(request, "is_dummy", False):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    personal = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name, *VISITOR_CHOICE_COOKIES)
    return not any(name in cookies for name in personal)


def entry_key(request) -> str:
    """Per URL: scheme, host and path (the path carries the language: /fr/…, /en/…)."""
    url = f"{request.scheme}://{request.get_host()}{request.path}"
    return ENTRY_PREFIX + hashlib.sha256(url.encode()).hexdigest()


def lookup(request) -> HttpResponse | None:
    """The cached page for this request, or None; remembers the generation for `store`."""
    key = entry_key(request)
    found = cache.get_many([generation.key, key])
    current = generation.current(found)
    setattr(request, GENERATION_ATTRIBUTE, current)
    entry = found.get(key)
    if entry is None or entry["generation"] != current:
        return None
    if entry.get("valid_until") is not None and time.time() >= entry["valid_until"]:
        return None  # an alert started or ended since it was rendered
    return response_from(entry)


def response_from(entry: dict, content: bytes | None = None) -> HttpResponse:
    response = HttpResponse(entry["content"] if content is None else content)
    for name, value in entry["headers"]:
        response[name] = value
    return response


def response_may_be_shared(request, response) -> bool:
    """Only a response rendered for nobody in particular may be shown to everybody."""
    if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if getattr(request, "is_preview", False):
        return False
    session = getattr(request, "session", None)
    if session is not None and (session.session_key or not session.is_empty()):
        return False
    # Defensive: a CSRF token or a CSP nonce belongs to one visitor.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or b"csrfmiddlewaretoken" in response.content:
        return False
    policies = response.get("Content-Security-Policy", "") + response.get(
        "Content-Security-Policy-Report-Only", ""
    )
    return "'nonce-" not in policies


def stored_headers(response) -> list[tuple[str, str]]:
    return [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS]


def store(request, response) -> bool:
    """Keeps a citizen page (`PublicCacheMixin`) if it may be shared; True when it was stored."""
    rendered_at = getattr(request, GENERATION_ATTRIBUTE, None)
    if rendered_at is None or not getattr(response, STORABLE_ATTRIBUTE, False):
        return False
    if not response_may_be_shared(request, response):
        return False
    entry = {
        "generation": rendered_at,
        "content": response.content,
        "headers": stored_headers(response),
        "valid_until": valid_until(request),
    }
    cache.set(entry_key(request), entry, timeout=settings.PORTAL_PAGE_CACHE_SECONDS)
    return True


def valid_until(request) -> float | None:
    moment = getattr(request, VALID_UNTIL_ATTRIBUTE, None)
    return moment.timestamp() if moment is not None else None


def max_age_clamp(request, response) -> None:
    """A shared cache (CDN, proxy) or a browser keeps the page no longer than it is right."""
    until = valid_until(request)
    if until is None or "max-age" not in response.get("Cache-Control", ""):
        return
    seconds = max(0, int(until - time.time()))
    if seconds < settings.PORTAL_PUBLIC_PAGE_MAX_AGE:
        patch_cache_control(response, max_age=seconds)
