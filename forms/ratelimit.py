"""A per-IP fixed-window rate limit on Django's cache (shared when the cache is shared)."""

import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMITS = {
    # scope: (requests, seconds)
    "submit": (10, 3600),
    "lookup": (30, 600),
    "verify": (10, 3600),
    "suggest": (120, 60),
}


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def limit_exceeded(request, scope: str) -> bool:
    """Counts this hit; True when the client went over the scope's limit in the current window."""
    limits = {**DEFAULT_LIMITS, **getattr(settings, "REQUESTS_RATE_LIMITS", {})}
    allowed, window = limits[scope]
    if not allowed:
        return False
    key = f"requests:rl:{scope}:{client_ip(request)}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > allowed
