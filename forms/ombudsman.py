"""The ombudsman, last recourse: a citizen dissatisfied with how a request was handled asks for a review.

After the department's final answer (resolved or closed) and within `REQUESTS_OMBUDSMAN_DAYS`,
once per request, the citizen explains why they are dissatisfied (private status page, or after
confirming their e-mail or phone). The review is its own file (`Escalation`, reference
"<request>-O"), expected within `REQUESTS_OMBUDSMAN_TARGET_BUSINESS_DAYS` business days, with two
public timeline entries on the request: « Transmise à l'ombudsman » and « Conclusions de
l'ombudsman » (the text of the conclusions, like a note, only on the private page).

Who the ombudsman is: the members of the Django group "Ombudsman" (`OMBUDSMAN_GROUP`) and the
superusers. The group is created on first use by `ombudsman_group()`, which also gives it the
admin access and the permissions on `Escalation`; add the ombudsman's account to it. The
group gives no permission on ordinary requests: the ombudsman reads an escalated request in
the review's own admin page, never another request through the request queue.
"""

import datetime
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.business_days import add_business_days

from .additions import CITIZEN_LABEL
from .models import CitizenRequest, DepartmentTeam, Escalation, OutgoingEmail, RequestEvent, Status
from .outbox import admin_request_link, email_render, email_store
from .services import _actor_label, email_queue

OMBUDSMAN_GROUP = "Ombudsman"
MAX_REASON = 3000
MAX_EXPECTATION = 2000
MAX_CONCLUSION = 10000
FINAL_STATUSES = (Status.RESOLVED, Status.CLOSED)


def ombudsman_group() -> Group:
    """The "Ombudsman" group, created on first use, with admin access and the review permissions
    (view and change: reviews are never added nor deleted by hand)."""
    group, _created = Group.objects.get_or_create(name=OMBUDSMAN_GROUP)
    wanted = Permission.objects.filter(
        content_type__app_label="requests", codename__in=["view_escalation", "change_escalation"]
    ) | Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(*wanted)
    return group


def is_ombudsman(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=OMBUDSMAN_GROUP).exists()


def ombudsman_members():
    return get_user_model().objects.filter(is_active=True, groups=ombudsman_group()).exclude(email="")


def escalation_final_answer_at(citizen_request: CitizenRequest) -> datetime.datetime:
    """When the department gave its final answer: the resolution, else the closing."""
    return citizen_request.resolved_at or citizen_request.status_changed_at


def escalation_deadline(citizen_request: CitizenRequest) -> datetime.datetime:
    return escalation_final_answer_at(citizen_request) + timedelta(days=settings.REQUESTS_OMBUDSMAN_DAYS)


def _refusal(citizen_request: CitizenRequest, now: datetime.datetime) -> ValidationError | None:
    if Escalation.objects.filter(request=citizen_request).exists():
        return ValidationError(
            _("This request was already sent to the ombudsman: a request is reviewed only once."),
            code="already",
        )
    if citizen_request.status not in FINAL_STATUSES:
        return ValidationError(
            _(
                "The ombudsman reviews a request only after the department's final answer "
                "(resolved or closed)."
            ),
            code="not_final",
        )
    if now > escalation_deadline(citizen_request):
        return ValidationError(
            _(
                "A review by the ombudsman can be asked only within %(days)s days after the "
                "department's final answer."
            )
            % {"days": settings.REQUESTS_OMBUDSMAN_DAYS},
            code="too_late",
        )
    return None


def escalation_eligibility(
    citizen_request: CitizenRequest, *, now: datetime.datetime | None = None
) -> tuple[bool, str]:
    """(True, "") when the citizen may ask for a review, else (False, the reason in the active language)."""
    refusal = _refusal(citizen_request, now or timezone.now())
    return (True, "") if refusal is None else (False, refusal.messages[0])


def _clean(text: str, *, maximum: int, required_message: str = "") -> str:
    text = (text or "").strip()
    if required_message and not text:
        raise ValidationError(required_message, code="required")
    if len(text) > maximum:
        raise ValidationError(_("Write at most %(max)s characters.") % {"max": maximum}, code="max_length")
    return text


def _admin_link(escalation: Escalation) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("ombudsman:edit", args=[escalation.pk])


def ombudsman_notify(*, escalation: Escalation) -> list[OutgoingEmail]:
    """Tells the ombudsman's team (in the site's language), without the citizen's words."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "escalation": escalation,
            "request": escalation.request,
            "admin_link": _admin_link(escalation),
        }
        subject, body = email_render("ombudsman_new", context)
    return [
        email_store(
            citizen_request=escalation.request, kind="ombudsman_new", to=to, subject=subject, body=body
        )
        for to in sorted(set(ombudsman_members().values_list("email", flat=True)))
    ]


def department_addresses(citizen_request: CitizenRequest) -> list[str]:
    """The department's mailbox, else the e-mails of its team's members."""
    if citizen_request.department.email:
        return [citizen_request.department.email]
    teams = DepartmentTeam.objects.filter(
        department__translation_key=citizen_request.department.translation_key
    )
    members = get_user_model().objects.filter(is_active=True, groups__in=[team.group_id for team in teams])
    return sorted(set(members.exclude(email="").values_list("email", flat=True)))


@transaction.atomic
def escalation_submit(*, citizen_request: CitizenRequest, reason: str, expectation: str = "") -> Escalation:
    """The citizen asks the ombudsman to review their request.

    Under the request's row lock: eligibility checked again (final answer given, not yet
    escalated, within the window), the review created with its expected date, a public
    « sent to the ombudsman » event (no text), and the ombudsman's team e-mailed.
    """
    reason = _clean(reason, maximum=MAX_REASON, required_message=_("Tell us why you are dissatisfied."))
    expectation = _clean(expectation, maximum=MAX_EXPECTATION)
    citizen_request = (
        CitizenRequest.objects.select_for_update(of=("self",))
        .select_related("department", "request_type")
        .get(pk=citizen_request.pk)
    )
    now = timezone.now()
    refusal = _refusal(citizen_request, now)
    if refusal is not None:
        raise refusal
    escalation = Escalation(
        request=citizen_request,
        reference=f"{citizen_request.reference}-O",
        reason=reason,
        expectation=expectation,
        submitted_at=now,
        expected_on=add_business_days(
            timezone.localdate(now), settings.REQUESTS_OMBUDSMAN_TARGET_BUSINESS_DAYS
        ),
    )
    escalation.full_clean(exclude=["request"])
    escalation.save(force_insert=True)
    RequestEvent.objects.create(
        request=citizen_request,
        kind=RequestEvent.Kind.ESCALATED,
        is_public=True,
        actor_label=CITIZEN_LABEL,
        created_at=now,
    )
    ombudsman_notify(escalation=escalation)
    email_queue(
        citizen_request=citizen_request, kind="ombudsman_received", context={"escalation": escalation}
    )
    return escalation


@transaction.atomic
def escalation_notes_set(*, escalation: Escalation, notes: str, actor) -> Escalation:
    """The ombudsman's internal notes: for the ombudsman only."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    notes = _clean(notes, maximum=MAX_CONCLUSION)
    if notes != escalation.notes:
        escalation.notes = notes
        escalation.save(update_fields=["notes"])
    return escalation


@transaction.atomic
def escalation_conclude(*, escalation: Escalation, conclusion: str, actor) -> Escalation:
    """The ombudsman concludes: a public « conclusions » event whose text only the citizen sees
    (private page), and the conclusions e-mailed to the citizen (in the request's language) and
    to the department (its mailbox, else its team)."""
    escalation = (
        Escalation.objects.select_for_update(of=("self",))
        .select_related("request__department")
        .get(pk=escalation.pk)
    )
    conclusion = _clean(
        conclusion, maximum=MAX_CONCLUSION, required_message=_("Write the conclusions of the review.")
    )
    if escalation.status == Escalation.State.CONCLUDED:
        raise ValidationError(_("This review is already concluded."), code="concluded")
    now = timezone.now()
    escalation.status = Escalation.State.CONCLUDED
    escalation.conclusion = conclusion
    escalation.concluded_at = now
    escalation.concluded_by = actor
    escalation.save(update_fields=["status", "conclusion", "concluded_at", "concluded_by"])
    citizen_request = escalation.request
    RequestEvent.objects.create(
        request=citizen_request,
        kind=RequestEvent.Kind.OMBUDSMAN_CONCLUDED,
        note=conclusion,
        is_public=True,  # by its kind and date; the text only on the private page
        actor=actor,
        actor_label=_actor_label(actor),
        created_at=now,
    )
    email_queue(
        citizen_request=citizen_request, kind="ombudsman_concluded", context={"escalation": escalation}
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "escalation": escalation,
            "request": citizen_request,
            "admin_link": admin_request_link(citizen_request),
        }
        subject, body = email_render("ombudsman_concluded_staff", context)
    for to in department_addresses(citizen_request):
        email_store(
            citizen_request=citizen_request,
            kind="ombudsman_concluded_staff",
            to=to,
            subject=subject,
            body=body,
        )
    return escalation
