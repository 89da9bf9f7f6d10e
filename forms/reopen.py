"""Citizens reopening a resolved request: from the private status page or the satisfaction survey.

Within `REQUESTS_REOPEN_DAYS` of its resolution, a request the citizen says is not (fully)
resolved goes back to its department as "reopened", with a new expected date; the handler is
e-mailed. After that, or once it is closed, a follow-up is a new request (`new_request_url`).
The citizen's reason is kept as their own addition (kind `citizen_info`): shown to the handlers
and on the private page only, never in an e-mail, a URL or a log line.
"""

import datetime
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.business_days import add_business_days

from .additions import CITIZEN_LABEL
from .models import CitizenRequest, OutgoingEmail, RequestEvent, Status
from .outbox import handler_email_store
from .services import email_queue

MAX_REASON = 2000
SOURCES = {"status", "survey"}
EMAIL_KIND = "reopened"


class ReopenState:
    """What the citizen may do with a request that is not open any more."""

    OPEN = "open"  # still handled: nothing to reopen
    ALLOWED = "allowed"  # resolved, within the window
    TOO_LATE = "too_late"  # resolved longer ago than the window
    CLOSED = "closed"


def reopen_deadline(citizen_request: CitizenRequest) -> datetime.datetime | None:
    if citizen_request.resolved_at is None:
        return None
    return citizen_request.resolved_at + timedelta(days=settings.REQUESTS_REOPEN_DAYS)


def reopen_state(citizen_request: CitizenRequest, *, now: datetime.datetime | None = None) -> str:
    if citizen_request.status == Status.CLOSED:
        return ReopenState.CLOSED
    if citizen_request.status != Status.RESOLVED:
        return ReopenState.OPEN
    deadline = reopen_deadline(citizen_request)
    if deadline is None or (now or timezone.now()) > deadline:
        return ReopenState.TOO_LATE
    return ReopenState.ALLOWED


def new_request_url(citizen_request: CitizenRequest) -> str:
    """Step 1 of a new request of the same type, its subject pre-filled with the reference."""
    path = reverse("requests:form", kwargs={"slug": citizen_request.request_type.slug})
    return f"{path}?{urlencode({'suite': citizen_request.reference})}"


def _refusal(state: str) -> ValidationError:
    if state == ReopenState.CLOSED:
        return ValidationError(
            _("This request is closed and can no longer be reopened. Make a new request instead."),
            code="closed",
        )
    if state == ReopenState.TOO_LATE:
        return ValidationError(
            _(
                "A request can be reopened only within %(days)s days after it was resolved. "
                "Make a new request instead."
            )
            % {"days": settings.REQUESTS_REOPEN_DAYS},
            code="too_late",
        )
    return ValidationError(_("This request is still being handled: there is nothing to reopen."), code="open")


def clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Tell us why the request is not resolved."), code="required")
    if len(reason) > MAX_REASON:
        raise ValidationError(_("Write at most %(max)s characters.") % {"max": MAX_REASON}, code="max_length")
    return reason


def staff_notify(*, citizen_request: CitizenRequest, source: str) -> OutgoingEmail | None:
    """Tells the handler (the assignee, else the department's mailbox), without the citizen's words."""
    return handler_email_store(citizen_request=citizen_request, kind=EMAIL_KIND, context={"source": source})


@transaction.atomic
def request_reopen(*, citizen_request: CitizenRequest, reason: str, source: str) -> RequestEvent:
    """The citizen reopens their resolved request (`source`: "status" page or "survey").

    Under the request's row lock: checked again, back with its department as "reopened" with a
    new expected date (today + the type's target business days), `reopen_count` + 1, a public
    status event, the reason as the citizen's addition, and the handler e-mailed.
    """
    if source not in SOURCES:
        raise ValueError(f"Unknown source {source!r}")
    reason = clean_reason(reason)
    citizen_request = (
        CitizenRequest.objects.select_for_update(of=("self",))
        .select_related("department", "assignee", "request_type")
        .get(pk=citizen_request.pk)
    )
    now = timezone.now()
    state = reopen_state(citizen_request, now=now)
    if state != ReopenState.ALLOWED:
        raise _refusal(state)
    event = RequestEvent.objects.create(
        request=citizen_request,
        kind=RequestEvent.Kind.STATUS,
        from_status=Status.RESOLVED,
        to_status=Status.REOPENED,
        is_public=True,
        actor_label=CITIZEN_LABEL,
        created_at=now,
    )
    RequestEvent.objects.create(
        request=citizen_request,
        kind=RequestEvent.Kind.CITIZEN_INFO,
        note=reason,
        is_public=True,  # by its kind and date; the text only on the private page
        actor_label=CITIZEN_LABEL,
        created_at=now,
    )
    citizen_request.status = Status.REOPENED
    citizen_request.status_changed_at = now
    citizen_request.expected_on = add_business_days(
        timezone.localdate(now), citizen_request.request_type.target_business_days
    )
    citizen_request.reopen_count += 1
    # Not resolved any more: typical delays count it again once it is resolved again.
    citizen_request.resolved_at = None
    citizen_request.save(
        update_fields=[
            "status",
            "status_changed_at",
            "expected_on",
            "reopen_count",
            "resolved_at",
        ]
    )
    staff_notify(citizen_request=citizen_request, source=source)
    email_queue(citizen_request=citizen_request, kind="reopen_received")
    return event
