"""Local development: `make run`. Never use in production."""

import os

# The map without network (markers on a blank background); MAP_TILES_URL=… to try a tile server.
# Set before base.py reads it, so that its Content-Security-Policy allows no tile server either.
os.environ.setdefault("MAP_TILES_URL", "")

from .base import *  # noqa: E402, F403

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
