"""Page helpers: schema.org JSON-LD (web search engines show answers and services directly), the
related answers of a page, and the site's alerts."""

from django import template
from django.utils.html import json_script, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import alerts, page_cache
from ..address_answers import address_answer_context
from ..forms import MissingReasonForm
from ..related import related_answers as related_answers_of

register = template.Library()


@register.simple_tag
def related_answers(page) -> list:
    """`{% related_answers page as related %}`: up to three, in the page's language."""
    return related_answers_of(page)


def _jsonld(data: dict) -> str:
    # json_script escapes <, > and & so page content cannot close the script tag.
    script = json_script(data)
    return mark_safe(
        script.replace('<script type="application/json">', '<script type="application/ld+json">')
    )


def _plain_body(page) -> str:
    return " ".join(" ".join(strip_tags(block.render()).split()) for block in page.body)


@register.simple_tag(takes_context=True)
def faq_jsonld(context, page) -> str:
    request = context.get("request")
    return _jsonld(
        {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "inLanguage": get_language(),
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": page.title,
                    "acceptedAnswer": {
                        "@type": "Answer",
                        "text": f"{page.summary} {_plain_body(page)}".strip(),
                        "url": page.get_full_url(request=request),
                    },
                }
            ],
        }
    )


@register.simple_tag(takes_context=True)
def service_jsonld(context, page, provider: str = "") -> str:
    request = context.get("request")
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": page.title,
        "description": page.summary,
        "url": page.get_full_url(request=request),
        "inLanguage": get_language(),
    }
    if provider:
        data["provider"] = {"@type": "GovernmentOrganization", "name": provider}
    if page.department:
        data["serviceOperator"] = {"@type": "GovernmentOrganization", "name": page.department.name}
    return _jsonld(data)


def result_ids_of(context) -> list[int]:
    """The answers a search page lists (its `response`), for the alerts of their topics."""
    response = context.get("response")
    return [hit.id for hit in getattr(response, "results", None) or [] if getattr(hit, "id", None)]


@register.inclusion_tag("knowledge/includes/alerts.html", takes_context=True)
def site_alerts(context):
    """`{% site_alerts %}` at the top of every citizen page: the alerts shown now, in the page's
    language; the page is valid until the next alert starts or ends."""
    request = context.get("request")
    page = context.get("page")
    hidden = alerts.hidden_keys(request) if request is not None else set()
    language = alerts.current_language()
    shown, next_change = alerts.alerts_now(language)  # one read of the shared cache per page
    if request is not None:
        setattr(request, page_cache.VALID_UNTIL_ATTRIBUTE, next_change)
    return {
        "language": language,
        "alerts": alerts.alerts_for_page(shown, page=page, result_ids=result_ids_of(context), hidden=hidden),
        "next": request.get_full_path() if request is not None else "/",
    }


@register.simple_tag
def missing_reason_form():
    """`{% missing_reason_form as form %}`: the empty "what was missing?" form."""
    return MissingReasonForm()


@register.simple_tag(takes_context=True)
def address_answer(context, value) -> dict:
    """`{% address_answer value as answer %}` in the "answer by address" block's template."""
    return address_answer_context(context.get("request"), value)
