"""Settings of the portal served by `make bench-requests` (PostgreSQL, no rate limit, no e-mail out)."""

import os

import dj_database_url

from portal.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=0)}
# One client address sends every submission: the per-IP limits would refuse the benchmark.
PORTAL_RATE_LIMITS = {scope: (0, 1) for scope in PORTAL_RATE_LIMITS}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REQUESTS_PRIVATE_ROOT = BASE_DIR / "tmp" / "bench-private"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR", "handlers": []}}
