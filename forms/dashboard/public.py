"""« Nos délais » (`/fr/nos-delais/`, `/en/our-delays/`): the delays citizens can expect, from history.

Per request type offered: the published target, the typical delay (median and 90th percentile
in business days) and the on-time rate of the requests resolved in the last 12 months, and the
satisfaction survey's answers of the same months. A figure is shown only when it rests on at
least `MINIMUM` requests (or answers); otherwise the page says there is not enough data yet.
No personal data: counts, medians and rates only.

The figures are computed with three aggregate queries and kept an hour in the shared cache;
the page is public (`Cache-Control: public, max-age=…` for anonymous visitors) and kept in the
portal's page cache like the other citizen pages.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Avg, Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from knowledge import page_cache

from ..models import CitizenRequest, RequestType, SurveyAnswer, localize_request_types
from ..selectors import TYPICAL_DELAY_MINIMUM
from .figures import delay_stats

MINIMUM = TYPICAL_DELAY_MINIMUM  # 20: the same threshold as the typical delay of the request form
WINDOW_DAYS = 365
CACHE_KEY = "requests:public-delays"
CACHE_SECONDS = 60 * 60
MAX_AGE = 60 * 60


@dataclass(frozen=True)
class TypeDelays:
    """The public figures of one request type; None where there is not enough data yet."""

    type_id: int
    target: int
    resolved: int
    median: int | None
    p90: int | None
    on_time_rate: float | None
    answers: int
    satisfied_rate: float | None  # % of survey answers saying the request was resolved
    average_score: float | None  # mean of the delay, clarity and courtesy scores (1 to 5)


def public_delays_compute(*, now=None) -> list[TypeDelays]:
    now = now or timezone.now()
    start = now - timedelta(days=WINDOW_DAYS)
    types = list(
        RequestType.objects.in_default_locale()
        .filter(is_active=True)
        .values_list("pk", "target_business_days")
    )
    delays = delay_stats(CitizenRequest.objects.all(), "request_type_id", start=start, end=now)
    surveys = {
        row["request__request_type_id"]: row
        for row in SurveyAnswer.objects.filter(answered_at__gte=start, answered_at__lt=now)
        .values("request__request_type_id")
        .annotate(
            answers=Count("pk"),
            yes=Count("pk", filter=Q(resolved=SurveyAnswer.Resolved.YES)),
            delay=Avg("delay_score"),
            clarity=Avg("clarity_score"),
            courtesy=Avg("courtesy_score"),
        )
        .order_by()
    }
    figures = []
    for type_id, target in types:
        delay = delays.get(type_id)
        enough = delay is not None and delay.resolved >= MINIMUM
        survey = surveys.get(type_id, {})
        answers = survey.get("answers", 0)
        rated = answers >= MINIMUM
        figures.append(
            TypeDelays(
                type_id=type_id,
                target=target,
                resolved=delay.resolved if delay else 0,
                median=delay.median if enough else None,
                p90=delay.p90 if enough else None,
                on_time_rate=delay.on_time_rate if enough else None,
                answers=answers,
                satisfied_rate=round(100 * survey["yes"] / answers, 0) if rated else None,
                average_score=round((survey["delay"] + survey["clarity"] + survey["courtesy"]) / 3, 1)
                if rated
                else None,
            )
        )
    return figures


def public_delays() -> list[TypeDelays]:
    """From the shared cache (an hour), computed when missing."""
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return [TypeDelays(**row) for row in cached]
    figures = public_delays_compute()
    cache.set(CACHE_KEY, [asdict(row) for row in figures], CACHE_SECONDS)
    return figures


@require_safe
def delays_page(request):
    figures = {row.type_id: row for row in public_delays()}
    types = list(RequestType.objects.filter(pk__in=figures).order_by("category", "sort_order", "slug"))
    localize_request_types(types)
    rows = [{"type": request_type, "figures": figures[request_type.pk]} for request_type in types]
    response = render(
        request,
        "requests/dashboard/delays.html",
        {"rows": rows, "minimum": MINIMUM, "window_months": 12},
    )
    if page_cache.request_is_anonymous_read(request) and not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        # Kept in the portal's page cache too (dropped on any content change, or after its timeout).
        setattr(response, page_cache.STORABLE_ATTRIBUTE, True)
    else:
        patch_cache_control(response, private=True, max_age=0)
    patch_vary_headers(response, ("Cookie",))
    return response
