"""Scheduled follow-through of requests, run by `manage.py follow_up` every 15 minutes.

Late notices to citizens, the staff reminder digest, closing resolved requests once they can no
longer be reopened, typical delays and the Law 25 purge.
Every step is idempotent and safe with two copies running at once: a request is handled under
its row lock (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL: the other copy moves on; SQLite
serialises writers anyway), its state is checked again under the lock, and a unique
constraint (one late notice per missed date, one digest per department per day) is the last
guard.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone, translation

from knowledge.models import Department
from portal.business_days import add_business_days, is_business_day

from .models import (
    OPEN_STATUSES,
    CitizenRequest,
    DepartmentTeam,
    ReminderDigest,
    RequestEvent,
    RequestType,
    Status,
)
from .outbox import email_render, email_store
from .retention import personal_data_purge
from .selectors import typical_delay_refresh
from .services import request_late_notice

REMINDER_HORIZON_BUSINESS_DAYS = 2


def _locked(queryset):
    """The rows another copy of follow_up is not already handling."""
    return queryset.select_for_update(skip_locked=True, of=("self",))


def late_notices_send(*, today: datetime.date | None = None) -> int:
    """Sends a late notice for every open request whose expected date passed; returns how many."""
    today = today or timezone.localdate()
    due = CitizenRequest.objects.filter(status__in=OPEN_STATUSES, expected_on__lt=today)
    sent = 0
    for pk in due.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            citizen_request = (
                _locked(CitizenRequest.objects.select_related("request_type", "department"))
                .filter(pk=pk, status__in=OPEN_STATUSES, expected_on__lt=today)
                .first()
            )
            if citizen_request is not None and request_late_notice(
                citizen_request=citizen_request, today=today
            ):
                sent += 1
    return sent


def requests_needing_attention(*, today: datetime.date):
    """Open requests due within 2 business days, or late: past their date, or past one they
    missed (a late notice already gave them a new date)."""
    first_missed = (
        RequestEvent.objects.filter(request=OuterRef("pk"), kind=RequestEvent.Kind.LATE_NOTICE)
        .order_by("missed_on")
        .values("missed_on")[:1]
    )
    horizon = add_business_days(today, REMINDER_HORIZON_BUSINESS_DAYS)
    return (
        CitizenRequest.objects.filter(status__in=OPEN_STATUSES)
        .annotate(first_missed_on=Subquery(first_missed))
        .filter(Q(expected_on__lte=horizon) | Q(first_missed_on__isnull=False))
        .select_related("request_type", "department", "assignee")
        .order_by("department_id", "expected_on", "pk")
    )


def digest_recipients(department: Department) -> list[str]:
    """The department team's active users with an e-mail, else the department's own e-mail."""
    groups = DepartmentTeam.objects.filter(department__translation_key=department.translation_key).values(
        "group"
    )
    emails = (
        get_user_model()
        .objects.filter(is_active=True, groups__in=groups)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
    return list(emails) or ([department.email] if department.email else [])


@dataclass
class DepartmentDigest:
    department: Department
    requests: list = field(default_factory=list)


def reminder_digests_send(*, today: datetime.date | None = None) -> int:
    """One e-mail a (business) day per department listing its requests due soon or late;
    returns how many departments were reminded."""
    today = today or timezone.localdate()
    if not is_business_day(today):
        return 0
    already = set(ReminderDigest.objects.filter(sent_on=today).values_list("department_id", flat=True))
    digests: dict[int, DepartmentDigest] = {}
    for citizen_request in requests_needing_attention(today=today):
        if citizen_request.department_id in already:
            continue
        citizen_request.is_late = (
            citizen_request.expected_on < today or citizen_request.first_missed_on is not None
        )
        if citizen_request.first_missed_on is None and citizen_request.expected_on < today:
            citizen_request.first_missed_on = citizen_request.expected_on
        digests.setdefault(
            citizen_request.department_id, DepartmentDigest(citizen_request.department)
        ).requests.append(citizen_request)
    sent = 0
    for digest in digests.values():
        recipients = digest_recipients(digest.department)
        if not recipients:
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ReminderDigest.objects.create(
                        department=digest.department, sent_on=today, requests_count=len(digest.requests)
                    )
            except IntegrityError:
                continue  # another copy of follow_up sent it today
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "department": digest.department,
                    "requests": digest.requests,
                    "today": today,
                    "admin_base": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
                }
                subject, body = email_render("reminder_digest", context)
            for to in recipients:
                email_store(kind="reminder_digest", to=to, subject=subject, body=body)
        sent += 1
    return sent


def resolved_requests_close(*, now: datetime.datetime | None = None) -> int:
    """Closes every request resolved more than `REQUESTS_REOPEN_DAYS` days ago and not reopened
    since (a public status event, no e-mail); returns how many. A follow-up is a new request."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.REQUESTS_REOPEN_DAYS)
    due = CitizenRequest.objects.filter(status=Status.RESOLVED, resolved_at__lt=cutoff)
    closed = 0
    for pk in due.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            citizen_request = (
                _locked(CitizenRequest.objects)
                .filter(pk=pk, status=Status.RESOLVED, resolved_at__lt=cutoff)
                .first()
            )
            if citizen_request is None:
                continue  # reopened meanwhile, or another copy of follow_up closed it
            RequestEvent.objects.create(
                request=citizen_request,
                kind=RequestEvent.Kind.STATUS,
                from_status=Status.RESOLVED,
                to_status=Status.CLOSED,
                is_public=True,
                actor_label="système",
                created_at=now,
            )
            citizen_request.status = Status.CLOSED
            citizen_request.status_changed_at = now
            citizen_request.save(update_fields=["status", "status_changed_at"])
            closed += 1
    return closed


def typical_delays_refresh() -> int:
    """Recomputes the typical delay of every offered type into the shared cache."""
    types = list(RequestType.objects.in_default_locale().filter(is_active=True))
    for request_type in types:
        typical_delay_refresh(request_type)
    return len(types)


def follow_up(
    *, today: datetime.date | None = None, report: Callable[[str], None] = lambda line: None
) -> dict:
    """Every scheduled step, in order; each reports its count as it finishes."""
    today = today or timezone.localdate()
    counts = {}
    steps = [
        ("late notices sent", lambda: late_notices_send(today=today)),
        ("staff reminder digests sent", lambda: reminder_digests_send(today=today)),
        ("resolved requests closed", resolved_requests_close),
        ("requests whose personal data was destroyed", personal_data_purge),
        ("typical delays refreshed", typical_delays_refresh),
    ]
    for label, step in steps:
        counts[label] = step()
        report(f"{label}: {counts[label]}")
    return counts
