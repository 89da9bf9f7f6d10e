"""Writes: submitting a request, moving it through its lifecycle, and the e-mails that follow."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .business_days import add_business_days
from .models import (
    TRANSITIONS,
    Attachment,
    Channel,
    CitizenRequest,
    OutgoingEmail,
    RequestEvent,
    RequestType,
    Status,
)
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
    return getattr(settings, "REQUESTS_SITE_URL", settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def status_link(citizen_request: CitizenRequest) -> str:
    with translation.override(citizen_request.language):
        path = reverse("requests:status_private", kwargs={"token": status_token(citizen_request)})
    return site_url() + path


def _actor_label(actor) -> str:
    if actor is None:
        return ""
    return actor.get_full_name() or actor.get_username()


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
        # Stored and downloaded under the detected type's extension, never the one it came with.
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
    citizen_request.save(update_fields=["status", "status_changed_at"])
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


def email_queue(*, citizen_request: CitizenRequest, kind: str) -> OutgoingEmail | None:
    """Stores the e-mail in the outbox (same transaction as the change) and sends it after commit."""
    if not citizen_request.email:
        return None
    with translation.override(citizen_request.language):
        context = {
            "request": citizen_request,
            "status_label": Status(citizen_request.status).label,
            "status_link": status_link(citizen_request),
            "event": citizen_request.public_events().last(),
            "department": citizen_request.department_label,
        }
        subject = " ".join(render_to_string(f"requests/emails/{kind}_subject.txt", context).split())
        body = render_to_string(f"requests/emails/{kind}.txt", context)
    outgoing = OutgoingEmail.objects.create(
        request=citizen_request, kind=kind, to=citizen_request.email, subject=subject, body=body
    )
    from .tasks import send_outgoing_email

    transaction.on_commit(lambda: send_outgoing_email.enqueue(outgoing.pk))
    return outgoing


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
