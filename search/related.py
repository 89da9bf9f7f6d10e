"""Teaches `knowledge.related` which answers go together: those the same visitors opened from
search results (a click log line carries an anonymous session digest, never who it was)."""

import datetime

from django.db.models import Count
from django.utils import timezone

from .models import ClickLog

CO_CLICK_DAYS = 180


def co_clicked(page, candidate_ids: list[int]) -> dict[int, float]:
    """Per candidate, how many search sessions of the last months opened both it and `page`."""
    since = timezone.now() - datetime.timedelta(days=CO_CLICK_DAYS)
    recent = ClickLog.objects.filter(created_at__gte=since).exclude(query_log__session_digest="")
    sessions = recent.filter(page_id=page.pk).values("query_log__session_digest")
    counts = (
        recent.filter(page_id__in=candidate_ids, query_log__session_digest__in=sessions)
        .values_list("page_id")
        .annotate(sessions=Count("query_log__session_digest", distinct=True))
    )
    return {page_id: float(count) for page_id, count in counts}
