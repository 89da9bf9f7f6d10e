"""Limits per client address (or visitor), counted in the shared cache by django-ratelimit.

Every attempt counts, valid or not: a limit that only counted successes would let a
script try without end. The client address comes from `portal.client_ip`, so the
limits hold behind the city's proxies and across every worker sharing the cache.
"""

from dataclasses import dataclass

from django_ratelimit.core import get_usage

from django.conf import settings


@dataclass(frozen=True)
class LimitCheck:
    exceeded: bool
    retry_after: int = 0  # seconds until the window ends

    @property
    def retry_minutes(self) -> int:
        return max(1, -(-self.retry_after // 60))


def limit_check(request, scope: str, *, key="ip") -> LimitCheck:
    """Counts this attempt in `scope` (a name of settings.PORTAL_RATE_LIMITS) and says whether it is over."""
    allowed, window = settings.PORTAL_RATE_LIMITS[scope]
    if not allowed:
        return LimitCheck(exceeded=False)
    # One counter per scope and key: a vote counted per address and per visitor is two counters.
    key_name = key if isinstance(key, str) else key.__name__
    usage = get_usage(
        request, group=f"portal:{scope}:{key_name}", key=key, rate=f"{allowed}/{window}s", increment=True
    )
    if usage is None:  # RATELIMIT_ENABLE = False
        return LimitCheck(exceeded=False)
    return LimitCheck(exceeded=usage["should_limit"], retry_after=int(usage["time_left"]))
