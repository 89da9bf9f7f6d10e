"""Site-wide alerts: which are shown now, where, to whom, and until when a page showing them is valid.

An alert is shown between its start and its end without a restart or a cache purge: a page
remembers the next moment an alert starts or ends (`page_cache.VALID_UNTIL_ATTRIBUTE`) and
the page cache serves it only until then. Saving an alert invalidates cached pages
(`knowledge.signals`: every snippet does). A visitor may hide an alert that is not urgent;
the hidden ones are a cookie of translation keys, and a visitor with that cookie gets pages
rendered for them (`page_cache.VISITOR_CHOICE_COOKIES`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import get_language

from wagtail.models import Locale, Page

from . import page_cache
from .models import Alert, TopicPage

HIDDEN_COOKIE = page_cache.HIDDEN_ALERTS_COOKIE
MAX_HIDDEN = 20
# Correct without it (keyed by the generation, dropped at the next start or end): a bound only.
STATE_SECONDS = 300


@dataclass(frozen=True)
class ShownAlert:
    key: str  # the translation key: the same alert in every language
    level: str
    message: str
    language: str  # the language of the message (French when not translated yet)
    link_url: str
    link_title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime | None
    topic_id: int | None
    dismissible: bool

    def as_json(self) -> dict:
        return {
            "id": self.key,
            "level": self.level,
            "message": self.message,
            "language": self.language,
            "url": self.link_url or None,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
            "topic_id": self.topic_id,
        }


def current_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def active(now: datetime.datetime | None = None):
    now = now or timezone.now()
    return Alert.objects.filter(starts_at__lte=now).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def _link(alert: Alert, language: str) -> tuple[str, str]:
    page = alert.link_page
    if page is None or not page.live:
        return "", ""
    locale = Locale.objects.filter(language_code=language).first()
    translated = page.get_translation_or_none(locale) if locale else None
    target = translated if translated is not None and translated.live else page
    return target.get_url() or "", target.title


def alerts_active(*, language: str | None = None, now: datetime.datetime | None = None) -> list[ShownAlert]:
    """The alerts shown now, one per translation key, in `language` when translated; most urgent first."""
    language = language or current_language()
    rows = active(now).select_related("locale", "link_page")
    by_key: dict = {}
    for alert in rows:
        chosen = by_key.get(alert.translation_key)
        in_language = alert.locale.language_code == language
        if chosen is None or (in_language and chosen.locale.language_code != language):
            by_key[alert.translation_key] = alert
    order = {Alert.Level.URGENT: 0, Alert.Level.WARNING: 1, Alert.Level.INFO: 2}
    shown = []
    for alert in sorted(by_key.values(), key=lambda a: (order.get(a.level, 3), -a.starts_at.timestamp())):
        url, title = _link(alert, language)
        shown.append(
            ShownAlert(
                key=alert.translation_key.hex[:12],
                level=alert.level,
                message=alert.message,
                language=alert.locale.language_code,
                link_url=url,
                link_title=title,
                starts_at=alert.starts_at,
                ends_at=alert.ends_at,
                topic_id=alert.topic_id,
                dismissible=alert.dismissible,
            )
        )
    return shown


def alerts_now(language: str) -> tuple[list[ShownAlert], datetime.datetime | None]:
    """The alerts shown now in `language` and the next moment that changes, from the shared cache.

    Kept per page-cache generation (saving an alert or publishing a page starts a new one) and
    until the next start or end of an alert: no query on most page views, on any worker.
    """
    now = timezone.now()
    key = f"alerts:{page_cache.generation.current()}:{language}"
    state = cache.get(key)
    if state is None or (state[1] is not None and now >= state[1]):
        state = (alerts_active(language=language, now=now), next_change(now))
        cache.set(key, state, timeout=STATE_SECONDS)
    return state


def topic_keys_of(*pages) -> set:
    """The translation keys of the topics the pages belong to (a topic belongs to itself)."""
    paths = {
        page.path[:end]
        for page in pages
        if isinstance(page, Page) and page.pk
        for end in range(Page.steplen, len(page.path) + 1, Page.steplen)
    }
    if not paths:
        return set()
    return set(TopicPage.objects.filter(path__in=paths).values_list("translation_key", flat=True))


def alerts_for_page(
    shown: list[ShownAlert], *, page=None, result_ids=(), hidden: set[str] | None = None
) -> list[ShownAlert]:
    """Of the alerts shown now (`alerts_now`), those a citizen page shows: site-wide ones, and a
    topic's own on that topic's pages and on search results that hold one of its answers."""
    hidden = hidden or set()
    topic_ids = {alert.topic_id for alert in shown if alert.topic_id}
    in_topics = set()
    if topic_ids and (page is not None or result_ids):
        results = list(Page.objects.filter(pk__in=list(result_ids)[:20]).only("path")) if result_ids else []
        keys = topic_keys_of(page, *results)
        topics = TopicPage.objects.filter(pk__in=topic_ids, translation_key__in=keys)
        in_topics = set(topics.values_list("pk", flat=True))
    return [
        alert
        for alert in shown
        if (alert.topic_id is None or alert.topic_id in in_topics)
        and not (alert.dismissible and alert.key in hidden)
    ]


def next_change(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """The next moment an alert starts or ends: pages showing alerts are valid until then."""
    now = now or timezone.now()
    found = Alert.objects.aggregate(
        start=Min("starts_at", filter=Q(starts_at__gt=now)), end=Min("ends_at", filter=Q(ends_at__gt=now))
    )
    moments = [moment for moment in found.values() if moment is not None]
    return min(moments) if moments else None


def hidden_keys(request) -> set[str]:
    raw = request.COOKIES.get(HIDDEN_COOKIE, "")
    return {part for part in raw.split(".") if part.isalnum() and len(part) == 12}


def hidden_keys_with(request, key: str) -> str:
    keys = sorted(hidden_keys(request) | {key})
    return ".".join(keys[-MAX_HIDDEN:])
