"""The peer of `make bench-load`: a minimal Django WSGI application whose one view answers
BENCH_BARE_BYTES bytes of HTML (default 20,000).

It is served by the same gunicorn, with the same workers and threads, and driven by the same
wrk script as the portal, so the ratio portal/bare says what the portal's own work costs
(middleware, sessions, CSRF, templates, Wagtail, database, cache) beside the floor any Django
page pays on this machine: the HTTP parsing, the WSGI call, Django's request and response,
URL resolving and writing the bytes. No middleware, no app, no template, no database, no cache.

    BENCH_BARE_BYTES=20000 gunicorn portal.bench.bare:application
"""

import os

from django.conf import settings

DEFAULT_BYTES = 20_000
HEAD = b'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>Page nue</title></head><body>\n'
TAIL = b"</body></html>\n"
LINE = b"<p>Collecte des ordures, permis, stationnement : une page de la ville, sans rien autour.</p>\n"


def page(size: int) -> bytes:
    """An HTML page of exactly `size` bytes (whole lines of text, padded with spaces)."""
    room = size - len(HEAD) - len(TAIL)
    if room < 0:
        raise ValueError(f"A page needs at least {len(HEAD) + len(TAIL)} bytes.")
    lines = LINE * (room // len(LINE))
    return HEAD + lines + b" " * (room - len(lines)) + TAIL


BODY = page(int(os.environ.get("BENCH_BARE_BYTES", DEFAULT_BYTES)))

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-bare-page-signs-nothing",  # noqa: S106 - nothing is signed
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_I18N=False,
        USE_TZ=True,
    )

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after settings.configure
from django.http import HttpResponse  # noqa: E402
from django.urls import re_path  # noqa: E402


def bare_page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"", bare_page)]

application = get_wsgi_application()
