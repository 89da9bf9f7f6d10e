"""The ombudsman, last recourse: a review asked by the citizen after the department's final answer,
its own queue in the admin (the "Ombudsman" group only), and the conclusions sent to both sides."""

import html

import pytest

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from forms.models import CitizenRequest, Escalation, OutgoingEmail, RequestEvent, Status
from forms.ombudsman import (
    OMBUDSMAN_GROUP,
    escalation_conclude,
    escalation_eligibility,
    escalation_notes_set,
    escalation_submit,
    ombudsman_group,
)
from forms.ombudsman_admin import EscalationViewSet
from forms.retention import PURGED_TEXT, request_personal_data_purge
from forms.services import request_add_note, request_change_status, request_submit, status_token
from portal.business_days import add_business_days
from tests.factories import OmbudsmanFactory, StaffFactory

from .conftest import DEPARTMENT_EMAIL, VALID_DATA, resolved_days_ago
from .links import private_link_references

REASON = "On m'a répondu sans jamais venir voir le trou."
EXPECTATION = "Qu'une personne vienne constater."
CONCLUSION = "La direction aurait dû inspecter les lieux; elle s'engage à le faire."
NOTES = "Appeler la direction des travaux publics lundi."
INTERNAL = "Note interne de la direction : déjà vu trois fois."


@pytest.fixture
def resolved(open_request, admin_user):
    request_add_note(citizen_request=open_request, note=INTERNAL, actor=admin_user, public=False)
    request_change_status(citizen_request=open_request, status=Status.RESOLVED, actor=admin_user)
    open_request.refresh_from_db()
    return open_request


@pytest.fixture
def ombudsman(db):
    return OmbudsmanFactory()


@pytest.fixture
def escalation(resolved, ombudsman):
    return escalation_submit(citizen_request=resolved, reason=REASON, expectation=EXPECTATION)


def body(response) -> str:
    return html.unescape(response.content.decode())


def escalate_url(citizen_request) -> str:
    return f"/fr/suivi/{status_token(citizen_request)}/ombudsman/"


# Eligibility, on the server


def test_the_private_page_offers_the_ombudsman_after_the_final_answer(client, resolved, open_request):
    token = status_token(resolved)
    page = client.get(f"/fr/suivi/{token}/")
    assert "Insatisfait du traitement de votre demande?" in body(page)
    assert f'action="/fr/suivi/{token}/ombudsman/"' in body(page) and 'name="expectation"' in body(page)
    by_reference = Client().get("/fr/suivi/", {"reference": resolved.reference})
    assert 'name="expectation"' not in body(by_reference)


def test_refused_before_the_final_answer(client, open_request):
    assert escalation_eligibility(open_request)[0] is False
    assert 'name="expectation"' not in body(client.get(f"/fr/suivi/{status_token(open_request)}/"))
    refused = client.post(escalate_url(open_request), {"dissatisfaction": REASON, "expectation": EXPECTATION})
    assert refused.status_code == 400 and "après la réponse finale de la direction" in body(refused)
    assert REASON in body(refused) and EXPECTATION in body(refused)  # the text is kept
    assert not Escalation.objects.exists()


def test_escalation_through_the_private_link(client, resolved, ombudsman, django_capture_on_commit_callbacks):
    token = status_token(resolved)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            escalate_url(resolved), {"dissatisfaction": REASON, "expectation": EXPECTATION}
        )
    assert response.status_code == 302 and response["Location"] == f"/fr/suivi/{token}/"
    escalation = Escalation.objects.get(request=resolved)
    assert escalation.reference == f"{resolved.reference}-O" and escalation.status == Escalation.State.OPEN
    assert (escalation.reason, escalation.expectation) == (REASON, EXPECTATION)
    assert escalation.expected_on == add_business_days(timezone.localdate(), 30)
    event = RequestEvent.objects.get(request=resolved, kind="escalated")
    assert event.is_public and event.note == ""
    notice = OutgoingEmail.objects.get(kind="ombudsman_new")
    assert notice.to == "ombudsman@example.org" and notice.state == OutgoingEmail.State.SENT
    assert f"/admin/ombudsman/edit/{escalation.pk}/" in notice.body and REASON not in notice.body
    receipt = OutgoingEmail.objects.get(kind="ombudsman_received")  # the citizen's acknowledgement
    assert receipt.to == resolved.email and escalation.reference in receipt.subject
    assert french_date(escalation.expected_on) in receipt.body
    assert private_link_references(receipt.body, "/fr/suivi/") == [resolved.reference]
    page = client.get(response["Location"])
    assert "transmise à l'ombudsman" in body(page) and escalation.reference in body(page)
    assert "Transmise à l'ombudsman" in body(page) and 'name="expectation"' not in body(page)
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED  # the department's file is unchanged


def test_refused_twice(client, escalation, resolved):
    allowed, message = escalation_eligibility(resolved)
    assert not allowed and message
    refused = client.post(escalate_url(resolved), {"dissatisfaction": "Encore."})
    assert refused.status_code == 400 and "déjà été transmise à l'ombudsman" in body(refused)
    assert Escalation.objects.count() == 1
    with pytest.raises(ValidationError):
        escalation_submit(citizen_request=resolved, reason=REASON)


def test_refused_after_the_window(client, resolved, settings):
    settings.REQUESTS_OMBUDSMAN_DAYS = 90
    settings.REQUESTS_PRIVATE_LINK_DAYS = 365  # the private link still works
    resolved_days_ago(resolved, 89)
    assert escalation_eligibility(resolved) == (True, "")
    resolved_days_ago(resolved, 91)
    allowed, message = escalation_eligibility(resolved)
    assert not allowed and "90" in message
    assert 'name="expectation"' not in body(client.get(f"/fr/suivi/{status_token(resolved)}/"))
    refused = client.post(escalate_url(resolved), {"dissatisfaction": REASON})
    assert refused.status_code == 400 and "dans les 90 jours suivant la réponse finale" in body(refused)
    assert REASON in body(refused) and not Escalation.objects.exists()


def test_a_closed_request_may_be_escalated(client, resolved, admin_user):
    request_change_status(citizen_request=resolved, status=Status.CLOSED, actor=admin_user)
    assert client.post(escalate_url(resolved), {"dissatisfaction": REASON}).status_code == 302
    assert Escalation.objects.filter(request=resolved).exists()


def test_the_english_refusal_and_url(client, open_request):
    refused = client.post(f"/en/status/{status_token(open_request)}/ombudsman/", {"dissatisfaction": REASON})
    assert refused.status_code == 400 and "only after the department's final answer" in body(refused)


# Through the private link or a confirmed contact only


def test_escalation_after_confirming_the_contact(client, resolved):
    client.post("/fr/suivi/", {"reference": resolved.reference, "contact": "418-555-0123"})
    page = client.get("/fr/suivi/", {"reference": resolved.reference})
    assert 'action="/fr/suivi/ombudsman/"' in body(page)
    response = client.post(
        "/fr/suivi/ombudsman/", {"reference": resolved.reference, "dissatisfaction": REASON}
    )
    assert response.status_code == 302 and response["Location"].startswith("/fr/suivi/?reference=")
    assert Escalation.objects.filter(request=resolved).exists()


def test_refused_without_the_link_or_a_confirmation(client, resolved, settings):
    assert (
        client.post(
            "/fr/suivi/ombudsman/", {"reference": resolved.reference, "dissatisfaction": REASON}
        ).status_code
        == 403
    )
    assert client.post("/fr/suivi/pas-un-jeton/ombudsman/", {"dissatisfaction": REASON}).status_code == 404
    assert (
        client.post(
            "/fr/suivi/ombudsman/", {"reference": "RAE-0000-0000-0", "dissatisfaction": REASON}
        ).status_code
        == 404
    )
    assert client.get(escalate_url(resolved)).status_code == 405
    assert (
        Client(enforce_csrf_checks=True).post(escalate_url(resolved), {"dissatisfaction": REASON}).status_code
        == 403
    )
    settings.REQUESTS_PRIVATE_LINK_DAYS = 1
    resolved_days_ago(resolved, 2)
    assert (
        client.post(escalate_url(resolved), {"dissatisfaction": REASON}).status_code == 403
    )  # an expired link
    assert not Escalation.objects.exists()


def test_a_reason_is_required_and_limited(client, resolved):
    empty = client.post(escalate_url(resolved), {"dissatisfaction": "  ", "expectation": EXPECTATION})
    assert empty.status_code == 400 and "Dites-nous pourquoi vous êtes insatisfait" in body(empty)
    assert EXPECTATION in body(empty)
    assert client.post(escalate_url(resolved), {"dissatisfaction": "x" * 3001}).status_code == 400
    assert (
        client.post(
            escalate_url(resolved), {"dissatisfaction": REASON, "expectation": "x" * 2001}
        ).status_code
        == 400
    )
    assert not Escalation.objects.exists()


def test_rate_limited_and_the_text_is_kept(client, resolved, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "escalate": (1, 3600)}
    assert (
        client.post(escalate_url(resolved), {"dissatisfaction": ""}).status_code == 400
    )  # an invalid one counts
    limited = client.post(escalate_url(resolved), {"dissatisfaction": REASON, "expectation": EXPECTATION})
    assert limited.status_code == 429 and "Trop de tentatives en peu de temps" in body(limited)
    assert REASON in body(limited) and EXPECTATION in body(limited)
    assert not Escalation.objects.exists()


# The public timeline


def test_by_reference_the_timeline_shows_the_kinds_not_the_texts(escalation, ombudsman):
    escalation_conclude(escalation=escalation, conclusion=CONCLUSION, actor=ombudsman)
    page = Client().get("/fr/suivi/", {"reference": escalation.request.reference})
    assert page.status_code == 200
    assert "Transmise à l'ombudsman" in body(page) and "Conclusions de l'ombudsman" in body(page)
    for secret in (CONCLUSION, REASON, EXPECTATION, NOTES):
        assert secret not in body(page)
    private = Client().get(f"/fr/suivi/{status_token(escalation.request)}/")
    assert CONCLUSION in body(private) and "Conclue" in body(private)


# Conclusion


def test_the_conclusions_are_emailed_to_the_citizen_and_the_department(
    escalation, ombudsman, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        escalation_conclude(escalation=escalation, conclusion=CONCLUSION, actor=ombudsman)
    escalation.refresh_from_db()
    assert escalation.status == Escalation.State.CONCLUDED and escalation.concluded_by == ombudsman
    assert escalation.concluded_at is not None
    citizen = OutgoingEmail.objects.get(kind="ombudsman_concluded")
    assert citizen.to == VALID_DATA["email"] and CONCLUSION in citizen.body
    assert "Conclusions de l'ombudsman" in citizen.subject and "/fr/suivi/" in citizen.body
    department = OutgoingEmail.objects.get(kind="ombudsman_concluded_staff")
    assert department.to == DEPARTMENT_EMAIL and CONCLUSION in department.body
    assert f"/admin/requests_queue/edit/{escalation.request_id}/" in department.body
    event = RequestEvent.objects.get(request=escalation.request, kind="ombudsman_concluded")
    assert event.is_public and event.note == CONCLUSION
    with pytest.raises(ValidationError):
        escalation_conclude(escalation=escalation, conclusion="Encore.", actor=ombudsman)


def test_the_citizen_email_is_in_the_request_language(open_request, admin_user, ombudsman):
    CitizenRequest.objects.filter(pk=open_request.pk).update(language="en")
    request_change_status(citizen_request=open_request, status=Status.RESOLVED, actor=admin_user)
    escalation = escalation_submit(citizen_request=open_request, reason=REASON)
    escalation_conclude(escalation=escalation, conclusion=CONCLUSION, actor=ombudsman)
    citizen = OutgoingEmail.objects.get(kind="ombudsman_concluded")
    assert "Conclusions of the ombudsman" in citizen.subject and "/en/status/" in citizen.body


def test_without_a_department_mailbox_its_team_is_told(escalation, ombudsman, django_user_model):
    department = escalation.request.department
    department.email = ""
    department.save(update_fields=["email"])
    member = StaffFactory(username="julie", department=department)
    member.email = "julie@example.org"
    member.save(update_fields=["email"])
    escalation_conclude(escalation=escalation, conclusion=CONCLUSION, actor=ombudsman)
    assert list(
        OutgoingEmail.objects.filter(kind="ombudsman_concluded_staff").values_list("to", flat=True)
    ) == ["julie@example.org"]


def test_a_conclusion_is_required(escalation, ombudsman):
    with pytest.raises(ValidationError):
        escalation_conclude(escalation=escalation, conclusion="  ", actor=ombudsman)


# The ombudsman's queue in the admin


def record_urls(escalation) -> list[str]:
    """Every URL of the viewset that names a review."""
    return [
        reverse(f"ombudsman:{pattern.name}", args=[escalation.pk])
        for pattern in EscalationViewSet("ombudsman").get_urlpatterns()
        if "pk" in getattr(pattern.pattern, "converters", {})
    ]


def test_the_group_is_created_lazily_with_its_permissions(db):
    group = ombudsman_group()
    assert group.name == OMBUDSMAN_GROUP and ombudsman_group() == group
    assert set(group.permissions.values_list("codename", flat=True)) == {
        "access_admin",
        "view_escalation",
        "change_escalation",
    }


def test_the_ombudsman_lists_reviews_and_concludes(
    client, escalation, ombudsman, django_capture_on_commit_callbacks
):
    client.force_login(ombudsman)
    listing = client.get("/admin/ombudsman/")
    assert listing.status_code == 200 and escalation.reference in body(listing)
    assert "/admin/ombudsman/" in body(client.get("/admin/"))  # the menu
    page = client.get(f"/admin/ombudsman/edit/{escalation.pk}/")
    assert page.status_code == 200
    request = escalation.request
    for text in (
        request.subject,
        request.description,
        REASON,
        EXPECTATION,
        INTERNAL,
        "Transmise à l'ombudsman",
    ):
        assert text in body(page)
    saved = client.post(f"/admin/ombudsman/edit/{escalation.pk}/", {"notes": NOTES, "action": "notes"})
    assert saved.status_code == 302
    escalation.refresh_from_db()
    assert escalation.notes == NOTES and escalation.status == Escalation.State.OPEN
    empty = client.post(
        f"/admin/ombudsman/edit/{escalation.pk}/", {"notes": NOTES, "conclusion": "", "action": "conclude"}
    )
    assert empty.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/admin/ombudsman/edit/{escalation.pk}/",
            {"notes": NOTES, "conclusion": CONCLUSION, "action": "conclude"},
        )
    assert done.status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == Escalation.State.CONCLUDED and escalation.conclusion == CONCLUSION
    assert OutgoingEmail.objects.filter(kind="ombudsman_concluded").exists()
    # Reviews come from citizens and are kept: refused (Wagtail redirects to the dashboard).
    assert client.get("/admin/ombudsman/new/").status_code in (302, 403, 404)
    assert client.post(f"/admin/ombudsman/delete/{escalation.pk}/").status_code in (302, 403, 404)
    assert Escalation.objects.filter(pk=escalation.pk).exists()


def test_the_ombudsman_cannot_open_ordinary_requests(client, escalation, ombudsman, pothole):
    other, _ = request_submit(request_type=pothole, data=VALID_DATA)
    client.force_login(ombudsman)
    for citizen_request in (other, escalation.request):
        response = client.get(f"/admin/requests_queue/edit/{citizen_request.pk}/")
        assert response.status_code in (302, 403, 404) and citizen_request.subject not in body(response)
    assert client.get("/admin/requests_queue/").status_code in (302, 403)


def test_a_department_user_cannot_list_or_open_reviews(client, escalation, django_user_model):
    member = StaffFactory(username="julie", department=escalation.request.department, handler=True)
    # Even given the model permissions by mistake: the queue is the ombudsman's group's.
    member.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_escalation", "change_escalation"])
    )
    escalation_notes_set(escalation=escalation, notes=NOTES, actor=None)
    client.force_login(member)
    assert client.get("/admin/ombudsman/").status_code in (302, 403)
    urls = record_urls(escalation)
    assert f"/admin/ombudsman/edit/{escalation.pk}/" in urls
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert NOTES not in body(response) and REASON not in body(response)
    refused = client.post(f"/admin/ombudsman/edit/{escalation.pk}/", {"notes": "x", "action": "notes"})
    assert refused.status_code in (302, 403, 404)
    assert "/admin/ombudsman/" not in body(client.get("/admin/"))


def test_the_department_sees_that_its_request_was_escalated(client, escalation, django_user_model):
    escalation_notes_set(escalation=escalation, notes=NOTES, actor=None)
    member = StaffFactory(username="julie", department=escalation.request.department, handler=True)
    client.force_login(member)
    page = client.get(f"/admin/requests_queue/edit/{escalation.request_id}/")
    assert page.status_code == 200
    assert "Transmise à l'ombudsman le" in body(page) and "En examen" in body(page)
    assert NOTES not in body(page)


def test_a_superuser_sees_the_queue(client, escalation, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/ombudsman/").status_code == 200
    assert client.get(f"/admin/ombudsman/edit/{escalation.pk}/").status_code == 200


def test_the_review_is_purged_with_the_request(escalation, ombudsman):
    escalation_notes_set(escalation=escalation, notes=NOTES, actor=ombudsman)
    escalation_conclude(escalation=escalation, conclusion=CONCLUSION, actor=ombudsman)
    request_personal_data_purge(citizen_request=escalation.request)
    escalation.refresh_from_db()
    assert (escalation.reason, escalation.expectation, escalation.conclusion, escalation.notes) == (
        PURGED_TEXT,
        "",
        PURGED_TEXT,
        "",
    )
    assert escalation.status == Escalation.State.CONCLUDED  # kept for statistics


def french_date(day) -> str:
    with translation.override("fr"):
        return date_format(day, "DATE_FORMAT")
