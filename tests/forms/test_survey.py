"""The satisfaction survey of a resolved request: a signed single-use link (e-mail and private
page), one screen without JavaScript, one answer per request, "no" or "partly" may reopen."""

import time
from datetime import timedelta

import pytest

from django.core import signing
from django.test import Client
from django.utils import timezone

from forms.models import CitizenRequest, OutgoingEmail, RequestEvent, Status, SurveyAnswer
from forms.services import request_change_status, request_submit, status_token
from forms.survey import SURVEY_SALT, survey_token
from portal.business_days import add_business_days

from .conftest import DEPARTMENT_EMAIL, VALID_DATA

ANSWERS = {"resolved": "yes", "delay_score": "4", "clarity_score": "5", "courtesy_score": "3", "comment": ""}


@pytest.fixture
def resolved(open_request, admin_user, django_capture_on_commit_callbacks):
    citizen_request = open_request
    request_change_status(citizen_request=citizen_request, status=Status.IN_PROGRESS, actor=admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        request_change_status(
            citizen_request=citizen_request, status=Status.RESOLVED, actor=admin_user, note="Trou bouché."
        )
    citizen_request.refresh_from_db()
    return citizen_request


def survey_url(citizen_request, *, token=None, language="fr") -> str:
    prefix = "/fr/sondage/" if language == "fr" else "/en/survey/"
    return f"{prefix}{token or survey_token(citizen_request)}/"


def old_token(citizen_request, *, days: int) -> str:
    """A survey token signed `days` days ago (TimestampSigner reads the clock when signing)."""
    real_time = time.time
    try:
        time.time = lambda: real_time() - days * 86400
        return survey_token(citizen_request)
    finally:
        time.time = real_time


def test_the_resolved_email_carries_the_survey_link(resolved):
    email = OutgoingEmail.objects.filter(request=resolved, kind="resolved").get()
    assert "/fr/sondage/" in email.body and "Comment cela s'est-il passé?" in email.body
    token = email.body.split("/fr/sondage/")[1].split("/")[0]
    assert Client().get(f"/fr/sondage/{token}/").status_code == 200
    assert "dans les 30 jours" in email.body


def test_the_private_page_links_to_the_survey_once(client, resolved):
    page = client.get(f"/fr/suivi/{status_token(resolved)}/")
    assert "Répondre au sondage de satisfaction" in page.text and "/fr/sondage/" in page.text
    by_reference = Client().get("/fr/suivi/", {"reference": resolved.reference})
    assert "/fr/sondage/" not in by_reference.text  # the survey is for the citizen's own page
    client.post(survey_url(resolved), ANSWERS)
    assert "/fr/sondage/" not in client.get(f"/fr/suivi/{status_token(resolved)}/").text


def test_one_screen_with_fieldsets_and_legends(client, resolved):
    page = client.get(survey_url(resolved))
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    text = page.text
    assert text.count("<fieldset") >= 5 and text.count("<legend") >= 5
    assert "Votre demande a-t-elle été résolue?" in text and "Le délai" in text
    assert "La clarté de la réponse" in text and "La courtoisie du personnel" in text
    assert (
        'type="radio"' in text
        and 'name="csrfmiddlewaretoken"' in text
        and "<script" not in text.split("<main")[-1]
    )
    assert "Rouvrir ma demande" in text and 'name="reopen_reason"' in text
    assert 'class="site-header"' in text


def test_an_answer_is_stored_and_the_link_is_single_use(client, resolved):
    response = client.post(survey_url(resolved), {**ANSWERS, "comment": "Rapide, merci."})
    assert response.status_code == 302 and response["Location"].startswith("/fr/sondage/")
    answer = SurveyAnswer.objects.get(request=resolved)
    assert (answer.resolved, answer.delay_score, answer.clarity_score, answer.courtesy_score) == (
        "yes",
        4,
        5,
        3,
    )
    assert answer.comment == "Rapide, merci." and not answer.asked_reopen and answer.language == "fr"
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "Merci pour vos réponses" in thanks.text
    again = Client().get(survey_url(resolved))
    assert (
        again.status_code == 200
        and "a déjà reçu une réponse" in again.text
        and 'name="resolved"' not in again.text
    )
    second = Client().post(survey_url(resolved), {**ANSWERS, "resolved": "no"})
    assert second.status_code == 200 and "a déjà reçu une réponse" in second.text
    assert SurveyAnswer.objects.get().resolved == "yes"
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


def test_an_expired_link_says_so(client, resolved):
    response = client.get(survey_url(resolved, token=old_token(resolved, days=31)))
    assert response.status_code == 410 and "Ce lien de sondage a expiré" in response.text
    assert 'class="site-header"' in response.text
    assert client.post(survey_url(resolved, token=old_token(resolved, days=31)), ANSWERS).status_code == 410
    assert client.get(survey_url(resolved, token=old_token(resolved, days=29))).status_code == 200
    assert not SurveyAnswer.objects.exists()


@pytest.mark.parametrize(
    "make_token",
    [
        lambda r: survey_token(r)[:-3] + "abc",  # tampered
        lambda r: survey_token(r) + "x",
        lambda r: status_token(r),  # a status link is not a survey link
        lambda r: signing.dumps("RAE-0000-0000-0", salt=SURVEY_SALT),  # no such request
        lambda r: "pas-un-jeton",
    ],
)
def test_a_tampered_or_wrong_link_is_a_404_with_a_message(client, resolved, make_token):
    response = client.get(survey_url(resolved, token=make_token(resolved)))
    assert response.status_code == 404 and "Ce lien de sondage n'est pas valide" in response.text
    assert 'class="site-header"' in response.text and resolved.reference not in response.text
    assert client.post(survey_url(resolved, token=make_token(resolved)), ANSWERS).status_code == 404
    assert not SurveyAnswer.objects.exists()


def test_no_survey_for_a_request_still_handled(client, db, portal, pothole):
    citizen_request, _ = request_submit(request_type=pothole, data=VALID_DATA)
    response = client.get(survey_url(citizen_request))
    assert response.status_code == 404 and "pas encore de sondage" in response.text
    assert client.post(survey_url(citizen_request), ANSWERS).status_code == 404
    assert not SurveyAnswer.objects.exists()


def test_missing_answers_are_reported_and_kept(client, resolved):
    response = client.post(survey_url(resolved), {"resolved": "partly", "comment": "Mon commentaire"})
    assert response.status_code == 400 and "Vos réponses n'ont pas été envoyées" in response.text
    assert "Mon commentaire" in response.text and "checked" in response.text  # what was typed is kept
    assert client.post(survey_url(resolved), {**ANSWERS, "delay_score": "9"}).status_code == 400
    assert client.post(survey_url(resolved), {**ANSWERS, "comment": "x" * 2001}).status_code == 400
    assert not SurveyAnswer.objects.exists()


def test_no_with_reopen_sends_the_request_back(client, resolved, django_capture_on_commit_callbacks):
    expected_before = timezone.localdate() - timedelta(days=20)  # resolved some time after it was due
    CitizenRequest.objects.filter(pk=resolved.pk).update(expected_on=expected_before)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            survey_url(resolved),
            {**ANSWERS, "resolved": "no", "reopen": "on", "reopen_reason": "Le trou est revenu."},
        )
    assert response.status_code == 302
    resolved.refresh_from_db()
    assert resolved.status == Status.REOPENED and resolved.reopen_count == 1
    assert resolved.expected_on == add_business_days(
        timezone.localdate(), resolved.request_type.target_business_days
    )
    answer = SurveyAnswer.objects.get(request=resolved)
    assert answer.resolved == "no" and answer.asked_reopen
    event = RequestEvent.objects.filter(request=resolved, kind="status").last()
    assert (event.from_status, event.to_status, event.is_public) == ("resolved", "reopened", True)
    assert RequestEvent.objects.filter(
        request=resolved, kind="citizen_info", note="Le trou est revenu."
    ).exists()
    notice = OutgoingEmail.objects.get(kind="reopened")
    assert notice.to == DEPARTMENT_EMAIL and resolved.reference in notice.subject
    assert "sondage de satisfaction" in notice.body and "Le trou est revenu." not in notice.body
    thanks = client.get(response["Location"])
    assert "Votre demande a été rouverte" in thanks.text


def test_reopen_needs_a_reason_and_a_no_or_partly(client, resolved):
    no_reason = client.post(survey_url(resolved), {**ANSWERS, "resolved": "partly", "reopen": "on"})
    assert no_reason.status_code == 400 and "Dites-nous pourquoi" in no_reason.text
    with_yes = client.post(survey_url(resolved), {**ANSWERS, "reopen": "on", "reopen_reason": "x"})
    assert with_yes.status_code == 400
    assert not SurveyAnswer.objects.exists()
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED and resolved.reopen_count == 0


def test_after_the_reopen_window_the_survey_offers_a_new_request(client, resolved, settings):
    settings.REQUESTS_REOPEN_DAYS = 30
    CitizenRequest.objects.filter(pk=resolved.pk).update(resolved_at=timezone.now() - timedelta(days=31))
    token = old_token(resolved, days=10)
    page = client.get(survey_url(resolved, token=token))
    assert page.status_code == 200 and 'name="reopen"' not in page.text
    assert f"?suite={resolved.reference}" in page.text
    forced = client.post(
        survey_url(resolved, token=token), {**ANSWERS, "resolved": "no", "reopen": "on", "reopen_reason": "x"}
    )
    assert forced.status_code == 302  # the answer is kept; the reopen field is not offered
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED and not SurveyAnswer.objects.get().asked_reopen


def test_the_english_survey(client, resolved):
    page = client.get(survey_url(resolved, language="en"))
    assert page.status_code == 200 and "Was your request resolved?" in page.text
    assert client.post(survey_url(resolved, language="en"), ANSWERS).status_code == 302
    assert SurveyAnswer.objects.get().language == "en"


def test_the_survey_needs_its_csrf_token(resolved):
    assert Client(enforce_csrf_checks=True).post(survey_url(resolved), ANSWERS).status_code == 403
    assert not SurveyAnswer.objects.exists()


def test_staff_see_the_answer_on_the_handle_view(client, resolved, admin_user):
    Client().post(survey_url(resolved), {**ANSWERS, "comment": "Très bien"})
    client.force_login(admin_user)
    page = client.get(f"/admin/requests_queue/edit/{resolved.pk}/")
    assert page.status_code == 200 and "data-survey-answer" in page.text
    assert "Sondage de satisfaction" in page.text and "4/5" in page.text and "Très bien" in page.text
