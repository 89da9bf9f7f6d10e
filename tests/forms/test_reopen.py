"""Reopening a resolved request from the private status page, within `REQUESTS_REOPEN_DAYS`; after
that, or once closed, a new request pre-filled with the reference; `follow_up` closes it."""

from datetime import timedelta

import pytest

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from forms.follow_up import resolved_requests_close
from forms.models import TRANSITIONS, CitizenRequest, OutgoingEmail, RequestEvent, Status
from forms.reopen import request_reopen
from forms.services import request_assign, request_change_status, request_submit, status_token
from portal.business_days import add_business_days
from tests.factories import UserFactory

from .conftest import DEPARTMENT_EMAIL, VALID_DATA, resolved_days_ago
from .links import private_link_references

REASON = "Le nid-de-poule est encore là, plus profond qu'avant."


@pytest.fixture
def resolved(open_request, admin_user):
    request_change_status(citizen_request=open_request, status=Status.RESOLVED, actor=admin_user)
    open_request.refresh_from_db()
    return open_request


def reopen_url(citizen_request) -> str:
    return f"/fr/suivi/{status_token(citizen_request)}/reouvrir/"


def test_reopened_is_an_open_status_between_in_progress_and_resolved():
    values = Status.values
    assert values.index("in_progress") < values.index("reopened") < values.index("resolved")
    assert Status.REOPENED in TRANSITIONS[Status.RESOLVED]
    assert TRANSITIONS[Status.REOPENED] == {
        Status.IN_PROGRESS,
        Status.WAITING,
        Status.RESOLVED,
        Status.CLOSED,
    }


def test_the_private_page_offers_to_reopen(client, resolved):
    token = status_token(resolved)
    page = client.get(f"/fr/suivi/{token}/")
    assert "Votre demande n'est pas résolue?" in page.text and 'name="reason"' in page.text
    assert f'action="/fr/suivi/{token}/reouvrir/"' in page.text and 'name="csrfmiddlewaretoken"' in page.text
    assert 'name="reason"' not in Client().get("/fr/suivi/", {"reference": resolved.reference}).text


def test_reopen_through_the_private_link(client, resolved, django_capture_on_commit_callbacks):
    token = status_token(resolved)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fr/suivi/{token}/reouvrir/", {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == f"/fr/suivi/{token}/"
    assert "profond" not in response["Location"]
    resolved.refresh_from_db()
    assert resolved.status == Status.REOPENED and resolved.is_open and resolved.reopen_count == 1
    assert resolved.resolved_at is None and resolved.department.email == DEPARTMENT_EMAIL
    assert resolved.expected_on == add_business_days(
        timezone.localdate(), resolved.request_type.target_business_days
    )
    status_event = RequestEvent.objects.filter(request=resolved, kind="status").last()
    assert (status_event.from_status, status_event.to_status, status_event.is_public) == (
        "resolved",
        "reopened",
        True,
    )
    assert RequestEvent.objects.get(request=resolved, kind="citizen_info").note == REASON
    notice = OutgoingEmail.objects.get(kind="reopened")
    assert notice.to == DEPARTMENT_EMAIL and notice.state == OutgoingEmail.State.SENT
    assert f"/admin/requests_queue/edit/{resolved.pk}/" in notice.body and REASON not in notice.body
    receipt = OutgoingEmail.objects.get(kind="reopen_received")  # the citizen is told the new date
    assert receipt.to == resolved.email and resolved.reference in receipt.subject
    assert "rouverte" in receipt.body and french_date(resolved.expected_on) in receipt.body
    assert private_link_references(receipt.body, "/fr/suivi/") == [resolved.reference]
    assert REASON not in receipt.body
    page = client.get(response["Location"])
    assert "Votre demande a été rouverte" in page.text and "Rouverte" in page.text
    assert 'name="reason"' not in page.text  # open again: nothing more to reopen


def test_the_assignee_is_told(client, resolved, admin_user, django_user_model):
    handler = UserFactory(username="julie")
    request_assign(citizen_request=resolved, actor=admin_user, assignee=handler)
    assert client.post(reopen_url(resolved), {"reason": REASON}).status_code == 302
    assert OutgoingEmail.objects.get(kind="reopened").to == "julie@example.org"


def test_a_second_resolution_can_be_reopened_again(resolved, admin_user):
    request_reopen(citizen_request=resolved, reason=REASON, source="status")
    request_change_status(citizen_request=resolved, status=Status.RESOLVED, actor=admin_user)
    request_reopen(citizen_request=resolved, reason="Encore.", source="survey")
    resolved.refresh_from_db()
    assert resolved.reopen_count == 2 and resolved.status == Status.REOPENED


def test_reopen_after_confirming_the_contact(client, resolved):
    client.post("/fr/suivi/", {"reference": resolved.reference, "contact": "418-555-0123"})
    response = client.post("/fr/suivi/reouvrir/", {"reference": resolved.reference, "reason": REASON})
    assert response.status_code == 302 and response["Location"].startswith("/fr/suivi/?reference=")
    resolved.refresh_from_db()
    assert resolved.status == Status.REOPENED


def test_reopen_is_refused_without_the_link_or_a_confirmation(client, resolved, settings):
    assert (
        client.post("/fr/suivi/reouvrir/", {"reference": resolved.reference, "reason": REASON}).status_code
        == 403
    )
    assert client.post("/fr/suivi/pas-un-jeton/reouvrir/", {"reason": REASON}).status_code == 404
    assert (
        client.post("/fr/suivi/reouvrir/", {"reference": "RAE-0000-0000-0", "reason": REASON}).status_code
        == 404
    )
    assert client.get(reopen_url(resolved)).status_code == 405
    assert Client(enforce_csrf_checks=True).post(reopen_url(resolved), {"reason": REASON}).status_code == 403
    settings.REQUESTS_PRIVATE_LINK_DAYS = 1
    resolved_days_ago(resolved, 2)
    assert client.post(reopen_url(resolved), {"reason": REASON}).status_code == 403  # an expired link
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED and not OutgoingEmail.objects.filter(kind="reopened").exists()


def test_a_reason_is_required(client, resolved):
    empty = client.post(reopen_url(resolved), {"reason": "  "})
    assert empty.status_code == 400 and "Dites-nous pourquoi la demande" in empty.text
    assert client.post(reopen_url(resolved), {"reason": "x" * 2001}).status_code == 400
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


def test_after_the_window_a_new_request_is_offered(client, resolved, settings):
    settings.REQUESTS_REOPEN_DAYS = 30
    resolved_days_ago(resolved, 31)
    page = client.get(f"/fr/suivi/{status_token(resolved)}/")
    assert 'name="reason"' not in page.text and "plus de 30 jours" in page.text
    new_request = f"/fr/demande/nid-de-poule/?suite={resolved.reference}"
    assert new_request in page.text
    refused = client.post(reopen_url(resolved), {"reason": REASON})
    assert refused.status_code == 400 and "dans les 30 jours" in refused.text and new_request in refused.text
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED and resolved.reopen_count == 0
    with pytest.raises(ValidationError):
        request_reopen(citizen_request=resolved, reason=REASON, source="status")


def test_a_closed_request_cannot_be_reopened(client, resolved, admin_user):
    request_change_status(citizen_request=resolved, status=Status.CLOSED, actor=admin_user)
    page = client.get(f"/fr/suivi/{status_token(resolved)}/")
    assert "Cette demande est fermée" in page.text and f"?suite={resolved.reference}" in page.text
    by_reference = Client().get("/fr/suivi/", {"reference": resolved.reference})
    assert f"?suite={resolved.reference}" in by_reference.text
    refused = client.post(reopen_url(resolved), {"reason": REASON})
    assert refused.status_code == 400 and "ne peut plus être rouverte" in refused.text
    resolved.refresh_from_db()
    assert resolved.status == Status.CLOSED


def test_a_new_request_pre_filled_with_the_reference(client, resolved):
    page = client.get(f"/fr/demande/nid-de-poule/?suite={resolved.reference.lower()}")
    assert page.status_code == 200 and f'value="Suite de la demande {resolved.reference}"' in page.text
    junk = client.get("/fr/demande/nid-de-poule/", {"suite": "<script>alert(1)</script>"})
    assert junk.status_code == 200 and "alert(1)" not in junk.text and "Suite de la demande" not in junk.text
    english = client.get(f"/en/request/nid-de-poule/?suite={resolved.reference}")
    assert f'value="Follow-up to request {resolved.reference}"' in english.text


def test_reopen_is_rate_limited_and_the_text_is_kept(client, resolved, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "reopen": (1, 3600)}
    assert client.post(reopen_url(resolved), {"reason": ""}).status_code == 400  # an invalid one counts too
    limited = client.post(reopen_url(resolved), {"reason": "Un texte que je ne veux pas perdre."})
    assert limited.status_code == 429 and "Trop de tentatives en peu de temps" in limited.text
    assert "Un texte que je ne veux pas perdre." in limited.text
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


def test_the_english_page_and_url(client, resolved):
    token = status_token(resolved)
    page = client.get(f"/en/status/{token}/")
    assert "Your request is not resolved?" in page.text
    assert f'action="/en/status/{token}/reopen/"' in page.text
    assert client.post(f"/en/status/{token}/reopen/", {"reason": REASON}).status_code == 302


# follow_up closes resolved requests after the window ----------------------------------------


def test_follow_up_closes_resolved_requests_after_the_window_once(resolved, settings, pothole):
    settings.REQUESTS_REOPEN_DAYS = 30
    recent, _ = request_submit(request_type=pothole, data=VALID_DATA)
    CitizenRequest.objects.filter(pk=recent.pk).update(
        status=Status.RESOLVED, resolved_at=timezone.now() - timedelta(days=29)
    )
    resolved_days_ago(resolved, 31)
    emails_before = OutgoingEmail.objects.count()
    call_command("follow_up")
    call_command("follow_up")
    resolved.refresh_from_db()
    recent.refresh_from_db()
    assert resolved.status == Status.CLOSED and recent.status == Status.RESOLVED
    closing = RequestEvent.objects.filter(request=resolved, to_status="closed")
    assert closing.count() == 1 and closing.get().is_public and closing.get().from_status == "resolved"
    assert OutgoingEmail.objects.count() == emails_before  # no e-mail for the closing
    assert resolved_requests_close() == 0


def test_follow_up_leaves_a_reopened_request_alone(resolved, settings):
    settings.REQUESTS_REOPEN_DAYS = 30
    request_reopen(citizen_request=resolved, reason=REASON, source="status")
    CitizenRequest.objects.filter(pk=resolved.pk).update(
        status_changed_at=timezone.now() - timedelta(days=60)
    )
    assert resolved_requests_close() == 0
    resolved.refresh_from_db()
    assert resolved.status == Status.REOPENED


def french_date(day) -> str:
    with translation.override("fr"):
        return date_format(day, "DATE_FORMAT")
