"""The search JSON API (shared/specs/content-import.md), with its OpenAPI schema at /api/docs.

    GET /api/search/?q=TEXT&lang=fr|en&limit=N

Bad input answers 400 with {"error": "..."}; never a 500.
"""

from ninja import NinjaAPI, Schema, Status, Swagger
from ninja.errors import ValidationError

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .entry import MAX_LIMIT, search_pages
from .jsonsafe import HTMLSafeJSONRenderer
from .views import CONTROL_CHARACTERS, MAX_QUERY_LENGTH, too_long_message

api = NinjaAPI(
    title="Portail citoyen — search",
    version="1",
    description="Answers and services of the citizen portal, best first, in the requested language.",
    urls_namespace="api",
    renderer=HTMLSafeJSONRenderer(),
    # Swagger UI from django-ninja's own static files ("ninja" is an installed app), never a CDN;
    # no validator badge, which would send the schema's address to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)


class ResultOut(Schema):
    id: int
    source_id: str | None
    kind: str
    title: str
    url: str
    excerpt: str


class SearchOut(Schema):
    query: str
    language: str
    suggestion: str | None
    engine: str
    results: list[ResultOut]


class ErrorOut(Schema):
    error: str


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    return api.create_response(request, {"error": _("Invalid parameters."), "detail": exc.errors}, status=400)


def _error(message: str) -> Status:
    return Status(400, {"error": message})


@api.get(
    "/search/",
    response={200: SearchOut, 400: ErrorOut},
    summary="Search answers and services",
    operation_id="search",
)
def search(request: HttpRequest, q: str = "", lang: str = "fr", limit: int = 10):
    """Live pages in `lang`, best first; `excerpt` is HTML with the matched words in `<mark>`.

    Error messages follow the browser's language (Accept-Language), French by default.
    """
    raw = request.GET.get("q", q)
    if "\ufffd" in raw:
        return _error(_("The query is not valid UTF-8 text."))
    if CONTROL_CHARACTERS.search(raw):
        return _error(_("The query contains control characters."))
    query = " ".join(raw.split())
    if not query:
        return _error(_("The query is empty: add q=your question."))
    if len(query) > MAX_QUERY_LENGTH:
        return _error(too_long_message())
    languages = [code for code, _name in settings.LANGUAGES]
    if lang not in languages:
        return _error(
            _("Unknown language: lang must be one of %(languages)s.") % {"languages": ", ".join(languages)}
        )
    if not 1 <= limit <= MAX_LIMIT:
        return _error(_("limit must be between 1 and %(max)d.") % {"max": MAX_LIMIT})
    instant = request.GET.get("instant") == "1"
    response = search_pages(
        query, language=lang, limit=limit, request=request, prefix=instant, log=not instant, source="api"
    )
    return {
        "query": response.query,
        "language": response.language,
        "suggestion": response.suggestion,
        "engine": response.engine,
        "results": [
            {
                "id": hit.id,
                "source_id": hit.source_id,
                "kind": hit.kind,
                "title": hit.title,
                "url": hit.url,
                "excerpt": hit.excerpt,
            }
            for hit in response.results
        ],
    }
