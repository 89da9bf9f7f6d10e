"""Settings shared by every environment.

Safe for production on its own: DEBUG is off, there is no secret key here and
no host is allowed until an environment-specific module says so.
"""

import os
from pathlib import Path

import dj_database_url

from django.utils.translation import gettext_lazy as _

from portal.tiles import tiles_origin

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "home",
    "knowledge",
    "search",
    "forms",
    "portal",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    # django-ninja's templates and static files: /api/docs serves Swagger UI from here, not a CDN.
    "ninja",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: a hit is answered before anything else runs, with the headers the middleware
    # below added when the page was stored (CSP, HSTS, nosniff…); see knowledge/page_cache.py.
    "portal.page_cache_middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response; the Wagtail admin gets its own (portal/csp.py).
    "portal.csp.PortalCSPMiddleware",
    "portal.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLocaleMiddleware",
    "portal.middleware.MethodNotAllowedMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite by default (the embedded `make run`); DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the writer work at once; IMMEDIATE avoids "database is locked"
    # when two requests write at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: French (Canada) first, English second. URL prefixes are /fr/ and /en/.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Each app keeps its own catalogue in <app>/locale/.
LOCALE_PATHS: list[str] = []
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# One cache shared by every worker and machine (rate limits, cached pages, search answers):
# Redis when REDIS_URL is set (required in production), else in-process for the one
# process of `make run`.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How many reverse proxies (load balancer, CDN) in front of the portal append to
# X-Forwarded-For. 0: the client is REMOTE_ADDR and the header is ignored; N: the
# Nth address from the right is the client's, anything a client wrote before it is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Attempts allowed per client address (votes: per address too, each visitor votes once a page):
# scope → (attempts, seconds). 0 attempts: no limit. Counted in the shared cache.
PORTAL_RATE_LIMITS = {
    "submit": (10, 3600),  # request forms sent (valid or not)
    "lookup": (30, 600),  # status look-ups by reference
    "verify": (10, 3600),  # e-mail or phone confirmations on a status page
    "suggest": (120, 60),  # instant answers while typing
    "vote": (30, 3600),  # "Was this helpful?" answers
    "addition": (10, 3600),  # information added by a citizen to their request (sent or not)
    "reopen": (5, 3600),  # requests reopened by a citizen (sent or not)
    "escalate": (5, 3600),  # reviews asked of the ombudsman by a citizen (sent or not)
    "address": (120, 3600),  # address look-ups and suggestions (a public registry, not to be scraped)
    "open311": (300, 3600),  # Open311 POST requests per API key (wrong keys: per address)
    "join": (10, 3600),  # "join this request" forms sent (valid or not)
}
RATELIMIT_IP_META_KEY = "portal.client_ip.client_ip"
RATELIMIT_USE_CACHE = "default"

# Staff sign-in: 5 wrong passwords for one account from one address lock that pair for
# an hour (django-axes, attempts kept in the database so every worker sees them).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "portal/login_locked.html"
AXES_RESET_ON_SUCCESS = True
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Bodies larger than this are refused from their Content-Length, before they are read:
# three attachments of 10 MB and the form's text fit. The admin (documents, images) gets more.
PORTAL_MAX_REQUEST_BYTES = 32 * 1024 * 1024
PORTAL_MAX_ADMIN_REQUEST_BYTES = 200 * 1024 * 1024

# Background work (index sync, e-mails). The database backend survives a restart;
# `make run` and the tests run tasks immediately.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Wagtail
WAGTAIL_SITE_NAME = "Portail citoyen"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Search engine: unset → the database engine; `opensearch://host:9200` or
# `elasticsearch://host:9200` (`opensearchs://`, `elasticsearchs://` for HTTPS) → the cluster.
SEARCH_URL = os.environ.get("SEARCH_URL", "")
# Seconds a search may wait for the cluster before the database engine answers instead.
SEARCH_TIMEOUT = float(os.environ.get("SEARCH_TIMEOUT", "1.0"))
# After a failure, seconds the cluster is left alone (the database answers) before it is tried again.
SEARCH_RETRY_AFTER = float(os.environ.get("SEARCH_RETRY_AFTER", "5"))
# Seconds a process keeps the editors' synonyms before reading them again (every worker sees a change).
SEARCH_FRESHNESS_SECONDS = 1.0
# Log each search (normalised words, anonymous session digest) for the reports and the dashboard.
SEARCH_LOG_QUERIES = True
# Index names carry the environment: <prefix>-pages-<lang> (alias) → <prefix>-pages-<lang>-<timestamp>.
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "portal")
# A surge (search/surges.py): this many times the usual searches of that hour, and at least this many.
SEARCH_SURGE_FACTOR = 5.0
SEARCH_SURGE_MIN_COUNT = 20
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "xlsx"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

# Cache lifetime of public pages in a shared cache (CDN / reverse proxy).
PORTAL_PUBLIC_PAGE_MAX_AGE = 300
# Seconds a rendered citizen page (home, topic, answer, service) stays in the shared cache for
# anonymous visitors; any content change drops them all at once before that (0: no page cache).
PORTAL_PAGE_CACHE_SECONDS = 300
# Models whose changes drop the cached pages, besides pages, snippets and site settings
# (app_label.ModelName; knowledge/signals.py): what the pages show of them.
PORTAL_PAGE_CACHE_MODELS = [
    "requests.RequestType",
    "wagtailcore.Site",
    "wagtailcore.Locale",
    "wagtailcore.PageViewRestriction",
    "wagtailimages.Image",
    "wagtaildocs.Document",
]
# Seconds the answer of a search (query, language, page, engine, index version) stays in the
# shared cache; an index or synonym change drops it before that (0: no search cache).
PORTAL_SEARCH_CACHE_SECONDS = 300
# CDN / reverse proxy purged when pages change (wagtail.contrib.frontend_cache backends,
# e.g. {"cdn": {"BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend", ...}}).
# Empty: nothing to purge.
WAGTAILFRONTENDCACHE: dict[str, dict] = {}

# Answers not reviewed for this many months are listed in the admin report.
PORTAL_REVIEW_AFTER_MONTHS = 12

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Django's page renders without the request: no site layout, no language.
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The map of open requests (forms/map.py) and the handle view's map: the tile server, as a Leaflet
# URL template ({z}/{x}/{y}, optional {s} subdomain), and its attribution (HTML shown on the map,
# required by the tiles' licence). Empty URL: no tiles, the markers on a blank background (dev.py
# and test.py: no network). The default is OpenStreetMap's public server, whose usage policy asks
# for moderate traffic: a city with heavy traffic uses its own or a commercial tile server.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = os.environ.get(
    "MAP_TILES_ATTRIBUTION",
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>',
)

# Content-Security-Policy (django-csp 4). Citizen pages: only this site's own files, no inline
# script or style (templates use static files and classes; JSON-LD data blocks are not scripts).
# Images also from the tile server's origin, derived from MAP_TILES_URL (none when it is empty).
_map_tiles_origin = tiles_origin(MAP_TILES_URL)
_map_tiles_sources = [_map_tiles_origin] if _map_tiles_origin else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_map_tiles_sources],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# The Wagtail admin (paths below PORTAL_ADMIN_CSP_PREFIXES, see portal/csp.py) is not written for a
# strict policy: inline scripts and styles, image previews (blob:). No 'unsafe-eval': the editor,
# its preview and checks panels and the userbar's checker were tried without it.
# No other host: no Gravatar (staff e-mail hashes stay here; avatars are uploaded in the admin)
# and no release check calling wagtail.org from the dashboard.
PORTAL_ADMIN_CSP_PREFIXES = ("/admin/",)
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
PORTAL_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_map_tiles_sources],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

DEFAULT_FROM_EMAIL = "Portail citoyen <ne-pas-repondre@example.org>"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

PORTAL_LANGUAGE_NAMES = {"fr": _("Français"), "en": _("English")}

# Tracked requests (forms app): attachments are stored here, outside MEDIA_ROOT, never served.
REQUESTS_PRIVATE_ROOT = BASE_DIR / "private"
REQUESTS_REFERENCE_PREFIX = "RAE"
# The citizens' address of the portal in e-mails (private links, surveys); the admin's by default.
REQUESTS_SITE_URL = os.environ.get("REQUESTS_SITE_URL", "") or WAGTAILADMIN_BASE_URL
# The e-mailed private link shows personal data while the request is open, then this many
# days after it is closed; afterwards the citizen confirms the e-mail or phone again.
REQUESTS_PRIVATE_LINK_DAYS = 90
# "Nearby requests": open requests of the same type within this distance of the matched address.
REQUESTS_NEARBY_METRES = int(os.environ.get("REQUESTS_NEARBY_METRES", "100"))
# A resolved request can be reopened by the citizen (private status page or survey) this many
# days after its resolution; `follow_up` then closes it, and a follow-up is a new request.
REQUESTS_REOPEN_DAYS = 30
# After the department's final answer (resolved or closed), the citizen may ask the ombudsman
# for a review within this many days (forms/ombudsman.py); the ombudsman aims to conclude
# within this many business days of the request for a review.
REQUESTS_OMBUDSMAN_DAYS = 90
REQUESTS_OMBUDSMAN_TARGET_BUSINESS_DAYS = 30
