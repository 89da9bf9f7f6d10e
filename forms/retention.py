"""Law 25: personal information is destroyed once its retention period is over.

A finished request keeps what the city needs for statistics (type, department,
channel, dates, status history) and loses everything that identifies the
citizen: contact details, free text, attachments and the e-mails sent.
"""

from collections.abc import Callable, Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import (
    Attachment,
    CitizenRequest,
    Escalation,
    OutgoingEmail,
    RequestEvent,
    RequestFollower,
    Status,
)

RETENTION_YEARS = 3
FINISHED_STATUSES = [Status.RESOLVED, Status.CLOSED]
PURGED_TEXT = "—"


def requests_due_for_purge(*, years: int = RETENTION_YEARS, now=None):
    cutoff = (now or timezone.now()) - timedelta(days=365 * years)
    return CitizenRequest.objects.filter(
        status__in=FINISHED_STATUSES, status_changed_at__lt=cutoff, personal_data_purged_at__isnull=True
    ).order_by("pk")


@transaction.atomic
def request_personal_data_purge(*, citizen_request: CitizenRequest) -> None:
    for attachment in Attachment.objects.filter(request=citizen_request):
        attachment.file.delete(save=False)
        attachment.delete()
    OutgoingEmail.objects.filter(request=citizen_request).delete()
    RequestEvent.objects.filter(request=citizen_request).exclude(note="").update(note=PURGED_TEXT)
    # The ombudsman's review: the citizen's words, the conclusions and the notes may identify them.
    Escalation.objects.filter(request=citizen_request).update(
        reason=PURGED_TEXT, expectation="", conclusion=PURGED_TEXT, notes=""
    )
    # The citizens who joined it: their e-mail addresses go with the requester's.
    RequestFollower.objects.filter(request=citizen_request).delete()
    citizen_request.name = citizen_request.email = citizen_request.phone = citizen_request.address = ""
    # The matched address and its coordinates would point at the citizen's home.
    citizen_request.address_match = None
    citizen_request.latitude = citizen_request.longitude = None
    citizen_request.subject = citizen_request.description = PURGED_TEXT
    citizen_request.personal_data_purged_at = timezone.now()
    citizen_request.save()


def personal_data_purge(
    *, years: int = RETENTION_YEARS, now=None, progress: Callable[[Iterable], Iterable] | None = None
) -> int:
    """Purges every request whose retention period is over; returns how many were purged."""
    due = list(requests_due_for_purge(years=years, now=now))
    for citizen_request in progress(due) if progress else due:
        request_personal_data_purge(citizen_request=citizen_request)
    return len(due)
