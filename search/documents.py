"""What the index holds for a page: the one place that turns a page into searchable text.

Every engine indexes the same `PageDocument`; the database engine stores it in
`SearchDocument`, the cluster engine sends it to its index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from django.utils.html import strip_tags

from wagtail.models import Page

from .query import content_words

_SPACES = re.compile(r"[ \t\r\f\v]+")


@dataclass(frozen=True)
class PageDocument:
    page_id: int
    language: str
    kind: str  # "faq" or "service"
    source_id: str
    topic_id: int | None
    url: str
    title: str
    keywords: str
    summary: str
    body: str


def knowledge_models():
    from knowledge.models import AnswerPage, ServicePage

    return AnswerPage, ServicePage


def plain_text(html: str) -> str:
    text = re.sub(r"</(p|li|h[1-6]|div)>|<br\s*/?>", "\n", str(html))
    text = unescape(strip_tags(text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _stream_text(value) -> str:
    parts = []
    for block in value:
        parts.extend(str(item) for item in block.block.get_searchable_content(block.value))
    return plain_text("\n".join(parts))


def is_searchable(page: Page) -> bool:
    """Only live pages that the public can see are searchable."""
    if not page.live or page.get_view_restrictions().exists():
        return False
    return not page.get_ancestors().filter(live=False, depth__gt=1).exists()


def searchable_pages() -> list[Page]:
    """Live, public answer and service pages: what every engine indexes."""
    return [
        page
        for model in knowledge_models()
        for page in model.objects.live().public().select_related("locale")
        if is_searchable(page)
    ]


def page_document(page: Page) -> PageDocument:
    """The searchable text of an answer or service page (`page` must be specific)."""
    _answer, service = knowledge_models()
    body = [_stream_text(page.body)]
    if isinstance(page, service):
        for html in (page.eligibility, page.how_to, page.documents_required):
            if html:
                body.append(plain_text(html))
        if page.fees:
            body.append(page.fees)
    parent = page.get_parent()
    return PageDocument(
        page_id=page.pk,
        language=page.locale.language_code,
        kind="service" if isinstance(page, service) else "faq",
        source_id=page.source_id or "",
        topic_id=parent.pk if parent else None,
        url=page.get_url() or page.url_path,
        title=page.title,
        keywords=page.keywords,
        summary=page.summary,
        body="\n".join(part for part in body if part),
    )


def terms(text: str, language: str) -> str:
    """The folded content words of a field, as stored in the database index."""
    return " ".join(content_words(text, language))
