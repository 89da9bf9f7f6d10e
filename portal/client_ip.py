"""The citizen's address, as far as the configured proxies can be trusted.

Behind a load balancer or CDN every request comes from the proxy's address, so
limits keyed on REMOTE_ADDR would put the whole city in one bucket. Each trusted
proxy appends the address it saw to X-Forwarded-For; only the last
TRUSTED_PROXY_COUNT entries were written by our proxies, anything before them
was written by the client and can be forged.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote or "0.0.0.0"  # noqa: S104 - a key for the limits, never bound to
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        # Fewer hops than proxies: the request did not come through all of them.
        return remote or "0.0.0.0"  # noqa: S104
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote or "0.0.0.0"  # noqa: S104
