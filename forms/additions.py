"""Citizens answering back: information and files added to their own request.

Kept apart from `services.py` (the staff side of the lifecycle); it reuses its helpers. The
text the citizen typed goes only in the event (shown to the handlers and, on the private
page, to the citizen), never in the e-mail, a URL or a log line.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CitizenRequest, OutgoingEmail, RequestEvent, Status
from .outbox import handler_email_store
from .services import CheckedFile, attachment_save
from .uploads import MAX_FILES

MAX_TEXT = 5000
CITIZEN_LABEL = "citoyen"  # the actor label of what the citizen does, as for the request's creation
EMAIL_KIND = "citizen_info"


def handler_notify(*, citizen_request: CitizenRequest, files: int) -> OutgoingEmail | None:
    """Queues the handler's e-mail in the outbox (same transaction), sent by a task after commit."""
    return handler_email_store(
        citizen_request=citizen_request,
        kind=EMAIL_KIND,
        context={"status_label": Status(citizen_request.status).label, "files": files},
    )


@transaction.atomic
def request_add_citizen_info(
    *, citizen_request: CitizenRequest, text: str, files: list[CheckedFile] | tuple = ()
) -> RequestEvent:
    """The citizen adds information (and up to 3 checked files) to their open request.

    A request waiting for the citizen goes back to "in progress"; the handler is e-mailed.
    No new request is created.
    """
    citizen_request = (
        # Only the request's row: PostgreSQL cannot lock the nullable side (the assignee) of a join.
        CitizenRequest.objects.select_for_update(of=("self",))
        .select_related("department", "assignee", "request_type")
        .get(pk=citizen_request.pk)
    )
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the information to add."))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("Write at most %(max)s characters.") % {"max": MAX_TEXT})
    if len(files) > MAX_FILES:
        raise ValidationError(_("Send at most 3 files."))
    if not citizen_request.is_open:
        raise ValidationError(
            _("This request is closed: information can no longer be added. Call us, or make a new request.")
        )
    now = timezone.now()
    for checked in files:
        attachment_save(citizen_request=citizen_request, checked=checked)
    event = RequestEvent.objects.create(
        request=citizen_request,
        kind=RequestEvent.Kind.CITIZEN_INFO,
        note=text,
        # Public by its kind and date; the page shows the text only to the citizen.
        is_public=True,
        actor_label=CITIZEN_LABEL,
        created_at=now,
    )
    if citizen_request.status == Status.WAITING:
        RequestEvent.objects.create(
            request=citizen_request,
            kind=RequestEvent.Kind.STATUS,
            from_status=Status.WAITING,
            to_status=Status.IN_PROGRESS,
            is_public=True,
            actor_label=CITIZEN_LABEL,
            created_at=now,
        )
        citizen_request.status = Status.IN_PROGRESS
        citizen_request.status_changed_at = now
        citizen_request.save(update_fields=["status", "status_changed_at"])
    handler_notify(citizen_request=citizen_request, files=len(files))
    return event
