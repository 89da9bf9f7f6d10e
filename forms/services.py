"""Writes: submitting a request, moving it through its lifecycle, and the e-mails that follow."""

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.business_days import add_business_days

from .models import (
    OPEN_STATUSES,
    TRANSITIONS,
    Attachment,
    Channel,
    CitizenRequest,
    OutgoingEmail,
    RequestEvent,
    RequestType,
    Status,
)
from .nearby import address_match_for, followers_email_queue
from .outbox import email_render, email_store
from .references import generate_reference
from .uploads import safe_filename

STATUS_LINK_SALT = "requests.status-link"
REFERENCE_ATTEMPTS = 8


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed `forms.uploads.check_upload`."""

    upload: UploadedFile
    content_type: str
    sha256: str


def status_token(citizen_request: CitizenRequest) -> str:
    return signing.dumps(citizen_request.reference, salt=STATUS_LINK_SALT)


def reference_from_status_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=STATUS_LINK_SALT)
    except signing.BadSignature:
        return None


def site_url() -> str:
    return settings.REQUESTS_SITE_URL.rstrip("/")


def status_link(citizen_request: CitizenRequest) -> str:
    with translation.override(citizen_request.language):
        path = reverse("requests:status_private", kwargs={"token": status_token(citizen_request)})
    return site_url() + path


def _actor_label(actor) -> str:
    if actor is None:
        return ""
    return actor.get_full_name() or actor.get_username()


def attachment_save(*, citizen_request: CitizenRequest, checked: CheckedFile) -> Attachment:
    """Stores a checked file under the detected type's extension, never the one it came with."""
    name = safe_filename(checked.upload.name, checked.content_type)
    attachment = Attachment(
        request=citizen_request,
        original_name=name,
        content_type=checked.content_type,
        size=checked.upload.size,
        sha256=checked.sha256,
    )
    checked.upload.seek(0)
    attachment.file.save(name, checked.upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def request_submit(
    *,
    request_type: RequestType,
    data: dict,
    channel: str = Channel.WEB,
    language: str = "fr",
    submission_token: str | None = None,
    files: list[CheckedFile] | tuple = (),
    created_by=None,
    source_page=None,
) -> tuple[CitizenRequest, bool]:
    """Creates a request (or finds the one this submission token already created).

    Returns ``(request, created)``. The reference is drawn at random and the database's
    unique constraint decides: a collision draws again.
    """
    if submission_token:
        existing = CitizenRequest.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing, False
    now = timezone.now()
    fields = {
        key: data.get(key) or default
        for key, default in [
            ("subject", ""),
            ("description", ""),
            ("address", ""),
            ("occurred_on", None),
            ("name", ""),
            ("email", ""),
            ("phone", ""),
        ]
    }
    if not (fields["email"] or fields["phone"]):
        raise ValidationError(_("Give an e-mail address or a phone number so that we can reach you."))
    # Exactly one registry address: stored with its coordinates; an intersection stays free text.
    match = address_match_for(fields["address"])
    citizen_request = CitizenRequest(
        request_type=request_type,
        department=request_type.department,
        department_since=now,
        channel=channel,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        submitted_at=now,
        status_changed_at=now,
        expected_on=add_business_days(timezone.localdate(now), request_type.target_business_days),
        consent_at=now if data.get("consent") else None,
        submission_token=submission_token or None,
        created_by=created_by,
        source_page=source_page,
        address_match=match,
        latitude=match.latitude if match else None,
        longitude=match.longitude if match else None,
        **fields,
    )
    for _attempt in range(REFERENCE_ATTEMPTS):
        citizen_request.reference = generate_reference()
        citizen_request.full_clean(exclude=["submission_token", "reference"])
        try:
            with transaction.atomic():
                citizen_request.save(force_insert=True)
            break
        except IntegrityError:
            citizen_request.pk = None
            if submission_token:
                existing = CitizenRequest.objects.filter(submission_token=submission_token).first()
                if existing is not None:
                    return existing, False
    else:  # pragma: no cover - 8 collisions in a 2^40 space
        raise RuntimeError("Could not draw a unique reference.")

    for checked in files:
        attachment_save(citizen_request=citizen_request, checked=checked)

    RequestEvent.objects.create(
        request=citizen_request,
        kind=RequestEvent.Kind.CREATED,
        to_status=Status.SUBMITTED,
        is_public=True,
        actor=created_by,
        actor_label=_actor_label(created_by) or "citoyen",
        created_at=now,
    )
    email_queue(citizen_request=citizen_request, kind="receipt")
    return citizen_request, True


@transaction.atomic
def request_change_status(
    *, citizen_request: CitizenRequest, status: str, actor, note: str = "", public: bool = True
) -> RequestEvent:
    """Moves the request along its lifecycle; a public note is e-mailed to the citizen."""
    citizen_request = CitizenRequest.objects.select_for_update().get(pk=citizen_request.pk)
    if status not in TRANSITIONS.get(citizen_request.status, set()):
        raise ValidationError(
            _("A request that is “%(current)s” cannot become “%(new)s”.")
            % {"current": Status(citizen_request.status).label, "new": Status(status).label}
        )
    now = timezone.now()
    event = RequestEvent.objects.create(
        request=citizen_request,
        kind=RequestEvent.Kind.STATUS,
        from_status=citizen_request.status,
        to_status=status,
        note=note.strip(),
        is_public=public,
        actor=actor,
        actor_label=_actor_label(actor),
        created_at=now,
    )
    citizen_request.status = status
    citizen_request.status_changed_at = now
    update_fields = ["status", "status_changed_at"]
    if status == Status.RESOLVED:
        citizen_request.resolved_at = now
        update_fields.append("resolved_at")
    citizen_request.save(update_fields=update_fields)
    if public:
        email_queue(
            citizen_request=citizen_request, kind="resolved" if status == Status.RESOLVED else "update"
        )
    return event


@transaction.atomic
def request_add_note(*, citizen_request: CitizenRequest, note: str, actor, public: bool) -> RequestEvent:
    """A reply to the citizen (public, e-mailed) or an internal note for colleagues."""
    if not note.strip():
        raise ValidationError(_("Write the note."))
    event = RequestEvent.objects.create(
        request=citizen_request,
        kind=RequestEvent.Kind.PUBLIC_NOTE if public else RequestEvent.Kind.INTERNAL_NOTE,
        note=note.strip(),
        is_public=public,
        actor=actor,
        actor_label=_actor_label(actor),
    )
    if public:
        email_queue(citizen_request=citizen_request, kind="update")
    return event


@transaction.atomic
def request_assign(*, citizen_request: CitizenRequest, actor, department=None, assignee=None) -> RequestEvent:
    """Sends the request to another department and/or a person; the citizen sees the department."""
    update_fields = []
    if department is not None and department.pk != citizen_request.department_id:
        citizen_request.department = department
        citizen_request.department_since = timezone.now()
        update_fields += ["department", "department_since"]
    if assignee != citizen_request.assignee:
        citizen_request.assignee = assignee
        update_fields.append("assignee")
    if not update_fields:
        return None
    citizen_request.save(update_fields=update_fields)
    note = department.name if "department" in update_fields else ""
    if "assignee" in update_fields:
        internal = _actor_label(assignee) or "—"
        note = f"{note} · {internal}" if note else internal
    return RequestEvent.objects.create(
        request=citizen_request,
        kind=RequestEvent.Kind.ASSIGNED,
        note=note,
        # The citizen sees which department holds the file, never who.
        is_public=False,
        actor=actor,
        actor_label=_actor_label(actor),
    )


DELAY_REASON_MAX_LENGTH = CitizenRequest._meta.get_field("delay_reason").max_length


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) > DELAY_REASON_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason under %(count)s characters.") % {"count": DELAY_REASON_MAX_LENGTH}
        )
    return reason


@transaction.atomic
def request_reschedule(
    *, citizen_request: CitizenRequest, expected_on: datetime.date, reason: str, actor
) -> RequestEvent:
    """Staff set a new expected date, with the reason; the citizen is told (timeline and e-mail)."""
    citizen_request = CitizenRequest.objects.select_for_update().get(pk=citizen_request.pk)
    reason = _clean_reason(reason)
    if not reason:
        raise ValidationError(_("Give the reason for the new expected date: the citizen will read it."))
    if not citizen_request.is_open:
        raise ValidationError(_("A resolved or closed request has no expected date to change."))
    if expected_on < timezone.localdate():
        raise ValidationError(_("The new expected date cannot be in the past."))
    if expected_on == citizen_request.expected_on:
        raise ValidationError(_("This is already the expected date."))
    event = RequestEvent.objects.create(
        request=citizen_request,
        kind=RequestEvent.Kind.RESCHEDULED,
        note=reason,
        is_public=True,
        expected_on=expected_on,
        actor=actor,
        actor_label=_actor_label(actor),
    )
    citizen_request.expected_on = expected_on
    citizen_request.delay_reason = reason
    citizen_request.save(update_fields=["expected_on", "delay_reason"])
    email_queue(citizen_request=citizen_request, kind="rescheduled")
    return event


@transaction.atomic
def request_delay_reason_set(*, citizen_request: CitizenRequest, reason: str, actor) -> RequestEvent | None:
    """Staff explain a delay in advance: the late notice, if the date is missed, gives this reason."""
    reason = _clean_reason(reason)
    if reason == citizen_request.delay_reason:
        return None
    citizen_request.delay_reason = reason
    citizen_request.save(update_fields=["delay_reason"])
    return RequestEvent.objects.create(
        request=citizen_request,
        kind=RequestEvent.Kind.INTERNAL_NOTE,
        note=_("Reason for a delay: %(reason)s") % {"reason": reason or "—"},
        is_public=False,
        actor=actor,
        actor_label=_actor_label(actor),
    )


def late_extension_days(request_type: RequestType) -> int:
    """A late request gets half its type's target delay again (rounded up, at least 1 business day)."""
    return max(1, math.ceil(request_type.target_business_days / 2))


@transaction.atomic
def request_late_notice(*, citizen_request: CitizenRequest, today: datetime.date) -> RequestEvent | None:
    """Tells the citizen that the expected date passed, with a new date and the reason.

    Once per missed date: the caller holds the request's row lock, the date is checked again
    here, and the unique constraint on (request, missed date) is the last guard. Returns None
    when there is nothing (more) to do.
    """
    if citizen_request.status not in OPEN_STATUSES or citizen_request.expected_on >= today:
        return None
    missed_on = citizen_request.expected_on
    new_date = add_business_days(today, late_extension_days(citizen_request.request_type))
    with translation.override(citizen_request.language):
        reason = citizen_request.delay_reason or _(
            "The team handling your request needs more time than planned."
        )
    try:
        with transaction.atomic():
            event = RequestEvent.objects.create(
                request=citizen_request,
                kind=RequestEvent.Kind.LATE_NOTICE,
                note=str(reason),
                is_public=True,
                expected_on=new_date,
                missed_on=missed_on,
                actor_label="système",
            )
    except IntegrityError:
        return None  # another copy of follow_up sent it
    citizen_request.expected_on = new_date
    citizen_request.save(update_fields=["expected_on"])
    email_queue(citizen_request=citizen_request, kind="late")
    return event


def email_queue(
    *, citizen_request: CitizenRequest, kind: str, context: dict | None = None
) -> OutgoingEmail | None:
    """Stores the citizen's e-mail, in their language, in the outbox (same transaction as the change);
    the citizens who joined the request are told of its public updates too (`forms.nearby`)."""
    followers_email_queue(
        citizen_request=citizen_request,
        kind=kind,
        event=citizen_request.public_events().exclude(kind=RequestEvent.Kind.CITIZEN_INFO).last(),
    )
    if not citizen_request.email:
        return None
    with translation.override(citizen_request.language):
        context = {
            "request": citizen_request,
            "status_label": Status(citizen_request.status).label,
            "status_link": status_link(citizen_request),
            # The city's last word: never the citizen's own addition quoted back as the city's message.
            "event": citizen_request.public_events().exclude(kind=RequestEvent.Kind.CITIZEN_INFO).last(),
            "department": citizen_request.department_label,
            **(context or {}),
        }
        subject, body = email_render(kind, context)
    return email_store(
        citizen_request=citizen_request, kind=kind, to=citizen_request.email, subject=subject, body=body
    )


def email_deliver(outgoing_id: int) -> bool:
    """Sends one stored e-mail; a failure is recorded and left for `retry_failed_emails`."""
    from django.core.mail import EmailMessage

    with transaction.atomic():
        outgoing = OutgoingEmail.objects.select_for_update().filter(pk=outgoing_id).first()
        if outgoing is None or outgoing.state == OutgoingEmail.State.SENT:
            return True
        outgoing.attempts += 1
        try:
            EmailMessage(outgoing.subject, outgoing.body, to=[outgoing.to]).send()
        except Exception as error:  # noqa: BLE001 - any transport error: keep it for a retry
            outgoing.state = OutgoingEmail.State.FAILED
            outgoing.last_error = f"{type(error).__name__}: {error}"[:2000]
            outgoing.save(update_fields=["state", "attempts", "last_error"])
            return False
        outgoing.state = OutgoingEmail.State.SENT
        outgoing.sent_at = timezone.now()
        outgoing.last_error = ""
        outgoing.save(update_fields=["state", "attempts", "last_error", "sent_at"])
        return True


def emails_retry(*, max_attempts: int = 10) -> tuple[int, int]:
    """Sends again every pending or failed e-mail; returns (sent, still failing)."""
    sent = failed = 0
    ids = OutgoingEmail.objects.exclude(state=OutgoingEmail.State.SENT).filter(attempts__lt=max_attempts)
    for outgoing_id in ids.values_list("pk", flat=True):
        if email_deliver(outgoing_id):
            sent += 1
        else:
            failed += 1
    return sent, failed
