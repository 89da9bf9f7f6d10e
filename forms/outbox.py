"""The outbox: every e-mail is rendered from two templates and stored with the change that caused it.

An e-mail is written to `OutgoingEmail` in the caller's transaction and sent by a task after
commit, so a request is never lost because the mail server is down, and an e-mail never leaves
for a change that was rolled back. Staff e-mails carry no words of the citizen (Law 25): they
say what happened and link to the admin, where the reader's permissions apply.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import CitizenRequest, OutgoingEmail


def email_render(kind: str, context: dict) -> tuple[str, str]:
    """The subject (on one line) and the body of `requests/emails/<kind>[_subject].txt`."""
    subject = " ".join(render_to_string(f"requests/emails/{kind}_subject.txt", context).split())
    return subject, render_to_string(f"requests/emails/{kind}.txt", context)


def email_store(*, kind: str, to: str, subject: str, body: str, citizen_request=None) -> OutgoingEmail:
    """Puts one e-mail in the outbox (in the caller's transaction) and sends it after commit."""
    outgoing = OutgoingEmail.objects.create(
        request=citizen_request, kind=kind, to=to, subject=subject, body=body
    )
    from .tasks import send_outgoing_email  # the task module imports the services that use this one

    transaction.on_commit(lambda: send_outgoing_email.enqueue(outgoing.pk))
    return outgoing


def handler_address(citizen_request: CitizenRequest) -> str:
    """Who is told: the person the request is assigned to, else the department's mailbox."""
    assignee = citizen_request.assignee
    if assignee is not None and assignee.is_active and assignee.email:
        return assignee.email
    return citizen_request.department.email


def staff_language(citizen_request: CitizenRequest) -> str:
    """The assignee's admin language when they chose one, else the site's (French)."""
    profile = getattr(citizen_request.assignee, "wagtail_userprofile", None)
    preferred = getattr(profile, "preferred_language", "") or ""
    return preferred[:2] if preferred[:2] in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def admin_request_link(citizen_request: CitizenRequest) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "requests_queue:edit", args=[citizen_request.pk]
    )


def handler_email_store(*, citizen_request: CitizenRequest, kind: str, context: dict) -> OutgoingEmail | None:
    """Tells the request's handler (in their language) that the citizen did something."""
    to = handler_address(citizen_request)
    if not to:
        return None
    with translation.override(staff_language(citizen_request)):
        subject, body = email_render(
            kind,
            {"request": citizen_request, "admin_link": admin_request_link(citizen_request), **context},
        )
    return email_store(citizen_request=citizen_request, kind=kind, to=to, subject=subject, body=body)
