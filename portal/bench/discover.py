"""The URLs `make bench-load` drives, read from the portal it serves.

Run inside the benchmarked settings (the benchmark calls
`manage.py shell -c "from portal.bench.discover import main; main()"`) so that every
URL is the one the portal answers: translated paths, language prefixes, page slugs.
"""

import json
from urllib.parse import urlparse

from django.urls import reverse
from django.utils import translation

REQUEST_TYPE = "nid-de-poule"


def _path(url: str | None) -> str | None:
    return urlparse(url).path if url else None


def site_urls(request_type: str = REQUEST_TYPE) -> dict:
    from forms.models import CitizenRequest, RequestType
    from knowledge.models import AnswerPage, TopicPage

    urls: dict = {"languages": {}}
    for language in ("fr", "en"):
        with translation.override(language):
            pages = {
                model.__name__: [
                    _path(page.get_url())
                    for page in model.objects.live()
                    .public()
                    .filter(locale__language_code=language)
                    .order_by("path")
                ]
                for model in (AnswerPage, TopicPage)
            }
            urls["languages"][language] = {
                "home": reverse("wagtail_serve", args=[""]),
                "search": reverse("search:search"),
                "answers": [url for url in pages["AnswerPage"] if url],
                "topics": [url for url in pages["TopicPage"] if url],
            }
    types = RequestType.objects.in_default_locale().filter(is_active=True)
    slug = (
        request_type
        if types.filter(slug=request_type).exists()
        else types.order_by("pk").values_list("slug", flat=True).first()
    )
    with translation.override("fr"):
        urls["form"] = reverse("requests:form", kwargs={"slug": slug})
        confirmation = reverse("requests:confirmation", kwargs={"token": "TOKEN"})
    urls["confirmation_prefix"] = confirmation.split("TOKEN")[0]
    urls["requests_table"] = CitizenRequest._meta.db_table
    return urls


def main() -> None:
    print(json.dumps(site_urls()))  # noqa: T201 - read by the benchmark
