import datetime

import pytest

from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from forms.models import Channel, CitizenRequest, OutgoingEmail, RequestEvent, Status
from forms.services import request_add_note, request_assign, request_change_status, request_submit
from portal.business_days import add_business_days

from .conftest import VALID_DATA


def submit(request_type, **overrides):
    data = {**VALID_DATA, **overrides}
    return request_submit(request_type=request_type, data=data, language="fr")


@pytest.mark.django_db
def test_submit_routes_to_the_department_and_computes_the_expected_date(
    pothole, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        citizen_request, created = submit(pothole)
    assert created
    assert citizen_request.department == pothole.department
    assert citizen_request.status == Status.SUBMITTED
    assert citizen_request.channel == Channel.WEB
    assert citizen_request.expected_on == add_business_days(
        timezone.localdate(citizen_request.submitted_at), pothole.target_business_days
    )
    assert citizen_request.consent_at is not None
    created_event = citizen_request.events.get()
    assert created_event.kind == RequestEvent.Kind.CREATED and created_event.is_public
    # The receipt e-mail went through the outbox and the task.
    assert len(mail.outbox) == 1
    assert citizen_request.reference in mail.outbox[0].subject
    assert citizen_request.reference in mail.outbox[0].body
    assert "/fr/suivi/" in mail.outbox[0].body
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT


@pytest.mark.django_db
def test_english_request_gets_english_email(question, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request_submit(request_type=question, data=VALID_DATA, language="en")
    assert "received" in mail.outbox[0].subject
    assert "/en/status/" in mail.outbox[0].body


@pytest.mark.django_db
def test_contact_is_required(question):
    with pytest.raises(ValidationError):
        submit(question, email="", phone="")


@pytest.mark.django_db
def test_same_submission_token_creates_one_request(question):
    first, created = request_submit(request_type=question, data=VALID_DATA, submission_token="t" * 32)
    again, created_again = request_submit(request_type=question, data=VALID_DATA, submission_token="t" * 32)
    assert created and not created_again
    assert first.pk == again.pk
    assert CitizenRequest.objects.count() == 1


@pytest.mark.django_db
def test_reference_collision_draws_again(question, monkeypatch):
    existing, _ = submit(question)
    drawn = iter([existing.reference, existing.reference, "RAE-0000-0001-2"])
    monkeypatch.setattr("forms.services.generate_reference", lambda: next(drawn))
    second, created = submit(question)
    assert created and second.reference == "RAE-0000-0001-2"


@pytest.mark.django_db
def test_full_lifecycle_is_recorded(pothole, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        citizen_request, _ = submit(pothole)
        for status in (Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING, Status.IN_PROGRESS):
            request_change_status(
                citizen_request=citizen_request, status=status, actor=admin_user, public=False
            )
        request_change_status(
            citizen_request=citizen_request,
            status=Status.RESOLVED,
            actor=admin_user,
            note="Réparé le 20 novembre.",
        )
        request_change_status(
            citizen_request=citizen_request, status=Status.CLOSED, actor=admin_user, public=False
        )
    citizen_request.refresh_from_db()
    assert citizen_request.status == Status.CLOSED
    transitions = list(
        citizen_request.events.filter(kind=RequestEvent.Kind.STATUS).values_list(
            "from_status", "to_status", "actor"
        )
    )
    assert transitions == [
        ("submitted", "received", admin_user.pk),
        ("received", "in_progress", admin_user.pk),
        ("in_progress", "waiting", admin_user.pk),
        ("waiting", "in_progress", admin_user.pk),
        ("in_progress", "resolved", admin_user.pk),
        ("resolved", "closed", admin_user.pk),
    ]
    # Receipt + resolution are e-mailed; internal changes are not.
    assert [m.subject for m in mail.outbox][-1].endswith("est résolue")
    assert len(mail.outbox) == 2
    assert "Réparé le 20 novembre." in mail.outbox[-1].body


@pytest.mark.django_db
def test_invalid_transition_is_refused(question, admin_user):
    citizen_request, _ = submit(question)
    request_change_status(citizen_request=citizen_request, status=Status.CLOSED, actor=admin_user)
    with pytest.raises(ValidationError):
        request_change_status(citizen_request=citizen_request, status=Status.IN_PROGRESS, actor=admin_user)


@pytest.mark.django_db
def test_internal_note_is_not_public_and_not_emailed(
    question, admin_user, django_capture_on_commit_callbacks
):
    citizen_request, _ = submit(question)
    with django_capture_on_commit_callbacks(execute=True):
        request_add_note(
            citizen_request=citizen_request, note="Voir avec Jean.", actor=admin_user, public=False
        )
    assert not citizen_request.public_events().filter(note="Voir avec Jean.").exists()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        request_add_note(
            citizen_request=citizen_request, note="Nous vous rappelons.", actor=admin_user, public=True
        )
    assert len(mail.outbox) == 1 and "Nous vous rappelons." in mail.outbox[0].body


@pytest.mark.django_db
def test_assignment_moves_department_and_is_audited(question, pothole, admin_user):
    citizen_request, _ = submit(question)
    before = citizen_request.department_since
    request_assign(
        citizen_request=citizen_request, actor=admin_user, department=pothole.department, assignee=admin_user
    )
    citizen_request.refresh_from_db()
    assert citizen_request.department == pothole.department
    assert citizen_request.assignee == admin_user
    assert citizen_request.department_since >= before
    event = citizen_request.events.get(kind=RequestEvent.Kind.ASSIGNED)
    assert event.actor == admin_user and not event.is_public


@pytest.mark.django_db
def test_overdue(question):
    citizen_request, _ = submit(question)
    citizen_request.expected_on = timezone.localdate() - datetime.timedelta(days=1)
    assert citizen_request.is_overdue
