"""The one search entry point: every view, the JSON API and the request form call `search_pages`.

Contract (stable; engines plug in behind it):

    search_pages(query, *, language, limit=10, offset=0, topic_id=None, request=None) -> SearchResponse

Results are live, public answer and service pages of the requested language,
best first, each with an excerpt where matched terms are wrapped in <mark>.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from wagtail.models import Locale, Page


@dataclass(frozen=True)
class SearchHit:
    id: int
    source_id: str | None
    kind: str  # "faq" or "service"
    title: str
    url: str
    excerpt: str  # safe HTML: escaped text with <mark>…</mark>
    score: float = 0.0


@dataclass
class SearchResponse:
    query: str
    language: str
    engine: str  # "database", "opensearch" or "elasticsearch"
    results: list[SearchHit] = field(default_factory=list)
    total: int = 0
    suggestion: str | None = None


def search_pages(
    query: str, *, language: str, limit: int = 10, offset: int = 0, topic_id: int | None = None, request=None
) -> SearchResponse:
    """Placeholder on stock Wagtail search until the deflection layer lands (issue 4)."""
    from knowledge.models import AnswerPage, ServicePage

    response = SearchResponse(query=query, language=language, engine="database")
    locale = Locale.objects.filter(language_code=language).first()
    if not query.strip() or locale is None:
        return response
    pages = Page.objects.live().public().type(AnswerPage, ServicePage).filter(locale=locale)
    if topic_id:
        pages = pages.child_of(Page.objects.get(pk=topic_id))
    found = list(pages.search(query, operator="or")[offset : offset + limit])
    response.total = len(found)
    for page in found:
        specific = page.specific
        response.results.append(
            SearchHit(
                id=page.pk,
                source_id=specific.source_id or None,
                kind="service" if isinstance(specific, ServicePage) else "faq",
                title=page.title,
                url=page.get_url(request=request),
                excerpt=escape(specific.summary),
            )
        )
    return response
