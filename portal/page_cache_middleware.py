"""Answers anonymous visitors from the shared page cache before the rest of the stack runs.

Placed first: a hit costs one cache round trip and nothing else (no security, CSP, session,
locale, CSRF, authentication or messages middleware). A miss goes through the whole stack and,
on the way back, the page is stored with every header those middleware added (CSP, HSTS…)
if `knowledge.page_cache` says it may be shared. The key carries the scheme, so a plain-HTTP
request never gets a page stored for HTTPS; it goes on to the redirect to HTTPS.
`X-Cache: HIT` marks a page served from the cache, `X-Cache: MISS` a page rendered and
stored now; a response that may not be shared carries neither.
"""

import logging

from django.core.exceptions import DisallowedHost

from knowledge import page_cache

logger = logging.getLogger(__name__)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not page_cache.request_may_use_cache(request):
            response = self.get_response(request)
            page_cache.max_age_clamp(request, response)
            return response
        try:
            cached = page_cache.lookup(request)
        except DisallowedHost:
            return self.get_response(request)  # the stack answers 400 as usual
        except Exception as error:  # noqa: BLE001 - the cache is a help: pages render without it
            logger.warning("Page cache unavailable: %s", error)
            return self.get_response(request)
        if cached is not None:
            cached["X-Cache"] = "HIT"
            return cached
        response = self.get_response(request)
        page_cache.max_age_clamp(request, response)
        try:
            stored = page_cache.store(request, response)
        except Exception as error:  # noqa: BLE001
            logger.warning("Page cache unavailable: %s", error)
            stored = False
        if stored:
            response["X-Cache"] = "MISS"
        return response
