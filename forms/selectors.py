"""Reads that cross relations: what a staff member may see."""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from knowledge.models import Department
from portal.business_days import business_days_between

from .models import CitizenRequest, DepartmentTeam, RequestEvent, RequestType


def department_keys_for(user) -> set:
    """Translation keys of the departments whose teams the user belongs to."""
    if not user.is_authenticated:
        return set()
    teams = DepartmentTeam.objects.filter(group__in=user.groups.all()).select_related("department")
    return {team.department.translation_key for team in teams}


def departments_for(user) -> QuerySet:
    if user.is_superuser:
        return Department.objects.all()
    return Department.objects.filter(translation_key__in=department_keys_for(user))


def requests_visible_to(user) -> QuerySet:
    queryset = CitizenRequest.objects.select_related("request_type", "department", "assignee")
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(department__translation_key__in=department_keys_for(user)) | queryset.filter(
        assignee=user
    )


def requests_deletable_by(user) -> QuerySet:
    """What the user may delete, within what they see: a request of their own department (not
    one merely assigned to them) that nobody has handled yet, e.g. a duplicate or a test. Once
    a handler acted on it (status, note, routing) it is a record: it is kept and its personal
    data destroyed on the retention schedule (retention.py), for superusers too."""
    handled = RequestEvent.objects.filter(request=OuterRef("pk")).exclude(kind=RequestEvent.Kind.CREATED)
    queryset = requests_visible_to(user).filter(~Exists(handled))
    if user.is_superuser:
        return queryset
    return queryset.filter(department__translation_key__in=department_keys_for(user))


def can_see_personal_data(user, citizen_request: CitizenRequest) -> bool:
    """Personal data is for those who handle the request: its assignee or its department's handlers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or citizen_request.assignee_id == user.pk:
        return True
    return user.has_perm(
        "requests.view_personal_data"
    ) and citizen_request.department.translation_key in department_keys_for(user)


# Typical delays: read from history, published once enough requests were resolved.
TYPICAL_DELAY_MINIMUM = 20
TYPICAL_DELAY_WINDOW_DAYS = 365
TYPICAL_DELAY_MAX_ROWS = 20_000  # the most recent resolutions; bounds the one query
TYPICAL_DELAY_CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class TypicalDelay:
    """Business days from submission to resolution over the last 12 months."""

    median: int
    p90: int
    count: int


def _nearest_rank(ordered: list[int], fraction: float) -> int:
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def typical_delay_compute(request_type: RequestType, *, now=None) -> TypicalDelay | None:
    """One query for the (submitted, resolved) pairs of the last 12 months, then the median and
    the 90th percentile (nearest rank); None below `TYPICAL_DELAY_MINIMUM` resolved requests."""
    now = now or timezone.now()
    pairs = (
        CitizenRequest.objects.filter(
            request_type=request_type,
            resolved_at__isnull=False,
            resolved_at__gte=now - timedelta(days=TYPICAL_DELAY_WINDOW_DAYS),
        )
        .order_by("-resolved_at")
        .values_list("submitted_at", "resolved_at")[:TYPICAL_DELAY_MAX_ROWS]
    )
    days = sorted(
        business_days_between(timezone.localdate(submitted), timezone.localdate(resolved))
        for submitted, resolved in pairs
    )
    if len(days) < TYPICAL_DELAY_MINIMUM:
        return None
    return TypicalDelay(median=_nearest_rank(days, 0.5), p90=_nearest_rank(days, 0.9), count=len(days))


def _typical_delay_key(request_type_id: int) -> str:
    return f"requests:typical-delay:{request_type_id}"


def typical_delay_refresh(request_type: RequestType) -> TypicalDelay | None:
    """Computes and stores in the shared cache for an hour (follow_up refreshes it)."""
    delay = typical_delay_compute(request_type)
    cache.set(
        _typical_delay_key(request_type.pk),
        {"delay": delay.__dict__ if delay else None},
        TYPICAL_DELAY_CACHE_SECONDS,
    )
    return delay


def typical_delay(request_type: RequestType) -> TypicalDelay | None:
    """The typical delay of a type from the shared cache; None: show `target_business_days`."""
    cached = cache.get(_typical_delay_key(request_type.pk))
    if cached is None:
        return typical_delay_refresh(request_type)
    return TypicalDelay(**cached["delay"]) if cached["delay"] else None
