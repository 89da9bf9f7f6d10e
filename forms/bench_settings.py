"""Settings of the portal served by `make bench-requests` (PostgreSQL, no rate limit, no e-mail out)."""

import os

import dj_database_url

from portal.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=0)}
# One client address sends every submission: the per-IP limits would refuse the benchmark.
REQUESTS_RATE_LIMITS = {"submit": (0, 1), "lookup": (0, 1), "verify": (0, 1), "suggest": (0, 1)}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
REQUESTS_PRIVATE_ROOT = BASE_DIR / "tmp" / "bench-private"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR", "handlers": []}}
