"""Surges: when many more citizens than usual search for one thing, editors are told.

On a boil-water notice or a snow-removal night, thousands search the same thing and call. Per
hour, the searches that led to each answer (a click from the results) and the searches that
found nothing (per query) are compared with the same hour of the previous four weeks: a surge
is at least `SEARCH_SURGE_FACTOR` times the median of those hours, and at least
`SEARCH_SURGE_MIN_COUNT` searches. Editors who may change the answer (for a search that finds
nothing: the site's editors) get one e-mail per surge and hour, with the queries, the answer
and one link to write an alert or to promote the answer; the admin's home shows the surges of
the last day. Run by `manage.py search_surges` (cron, every 15 minutes).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mass_mail
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import ClickLog, QueryLog

logger = logging.getLogger(__name__)

WEEKS_COMPARED = 4
TOP_QUERIES = 5
NOTICE_KEPT_SECONDS = 2 * 24 * 3600


@dataclass
class Surge:
    kind: str  # "answer" (searches that led to one answer) or "no_answer" (one query, no result)
    key: str  # the page id, or the query
    count: int
    usual: float
    hour_end: datetime.datetime
    page: Page | None = None
    queries: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.page.title if self.page is not None else self.key


def factor() -> float:
    return settings.SEARCH_SURGE_FACTOR


def minimum() -> int:
    return settings.SEARCH_SURGE_MIN_COUNT


def _answer_counts(start, end) -> Counter:
    rows = (
        ClickLog.objects.filter(created_at__gte=start, created_at__lt=end, query_log__isnull=False)
        .values_list("page_id")
        .annotate(searches=Count("query_log_id", distinct=True))
    )
    return Counter({str(page_id): count for page_id, count in rows})


def _no_answer_counts(start, end) -> Counter:
    rows = (
        QueryLog.objects.filter(created_at__gte=start, created_at__lt=end, results_count=0)
        .exclude(query="")
        .values_list("query")
        .annotate(searches=Count("pk"))
    )
    return Counter(dict(rows))


def _surges_of(kind: str, counts, now: datetime.datetime) -> list[Surge]:
    hour = datetime.timedelta(hours=1)
    current = counts(now - hour, now)
    candidates = {key: count for key, count in current.items() if count >= minimum()}
    if not candidates:
        return []
    weeks = [
        counts(now - hour - datetime.timedelta(weeks=k), now - datetime.timedelta(weeks=k))
        for k in range(1, WEEKS_COMPARED + 1)
    ]
    surges = []
    for key, count in candidates.items():
        usual = statistics.median(week.get(key, 0) for week in weeks)
        if count >= factor() * max(usual, 1):
            surges.append(Surge(kind=kind, key=key, count=count, usual=usual, hour_end=now))
    return surges


def _queries_to(page_id: int, start, end) -> list[str]:
    rows = (
        QueryLog.objects.filter(clicklog__page_id=page_id, created_at__gte=start, created_at__lt=end)
        .values_list("query")
        .annotate(searches=Count("pk", distinct=True))
        .order_by("-searches")[:TOP_QUERIES]
    )
    return [query for query, _count in rows]


def surges_find(*, now: datetime.datetime | None = None) -> list[Surge]:
    """The surges of the hour before `now`, the largest first."""
    now = now or timezone.now()
    surges = _surges_of("answer", _answer_counts, now) + _surges_of("no_answer", _no_answer_counts, now)
    pages = Page.objects.in_bulk([int(s.key) for s in surges if s.kind == "answer"])
    start = now - datetime.timedelta(hours=1)
    for surge in surges:
        if surge.kind == "answer":
            surge.page = pages.get(int(surge.key))
            surge.queries = _queries_to(int(surge.key), start, now)
        else:
            surge.queries = [surge.key]
    return sorted((s for s in surges if s.kind == "no_answer" or s.page is not None), key=lambda s: -s.count)


def editors_of(surge: Surge) -> list[str]:
    """Who may change the answer (for a search that finds nothing: who may change the home page)."""
    page = surge.page.specific if surge.page is not None else Page.objects.filter(depth=2).first()
    if page is None:
        return []
    users = PagePermissionPolicy().users_with_permission_for_instance("change", page)
    return sorted({user.email for user in users if user.is_active and user.email})


def admin_links(surge: Surge) -> dict[str, str]:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    links = {"alert": base + reverse("wagtailsnippets_knowledge_alert:add")}
    if surge.queries:
        links["promote"] = base + reverse("wagtailsearchpromotions:add")
    if surge.page is not None:
        links["page"] = base + reverse("wagtailadmin_pages:edit", args=[surge.page.pk])
    return links


RECENT_KEY = "search-surges:recent"


def recent_add(surge: Surge) -> None:
    """Keeps the surges of the last day for the admin's home (a list in the shared cache)."""
    since = timezone.now() - datetime.timedelta(days=1)
    recent = [item for item in cache.get(RECENT_KEY, []) if item.hour_end >= since]
    surge.page = None if surge.page is None else Page(pk=surge.page.pk, title=surge.page.title)
    cache.set(RECENT_KEY, [surge, *recent][:50], timeout=NOTICE_KEPT_SECONDS)


def surges_recent() -> list[Surge]:
    since = timezone.now() - datetime.timedelta(days=1)
    return [surge for surge in cache.get(RECENT_KEY, []) if surge.hour_end >= since]


def surges_notify(*, now: datetime.datetime | None = None) -> int:
    """E-mails each new surge once (per surge and hour, across workers and runs); returns how many."""
    now = now or timezone.now()
    messages = []
    for surge in surges_find(now=now):
        hour = now.strftime("%Y%m%d%H")
        digest = hashlib.sha256(f"{surge.kind}:{surge.key}:{hour}".encode()).hexdigest()[:32]
        if not cache.add(f"search-surge:{digest}", 1, timeout=NOTICE_KEPT_SECONDS):
            continue  # told already, by this run or another
        recipients = editors_of(surge)
        links = admin_links(surge)
        recent_add(surge)
        if not recipients:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            context = {"surge": surge, "links": links, "factor": factor()}
            subject = " ".join(render_to_string("search/emails/surge_subject.txt", context).split())
            body = render_to_string("search/emails/surge.txt", context)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    if messages:
        try:
            send_mass_mail(messages, fail_silently=False)
        except OSError as error:  # the admin's home still shows them; the next run does not resend
            logger.warning("Surge e-mails not sent: %s", type(error).__name__)
    return len(messages)
