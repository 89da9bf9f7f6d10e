"""schema.org JSON-LD so that web search engines show answers and services directly."""

from django import template
from django.utils.html import json_script, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


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
