"""After the answer: the citizen rates the service, says it is not solved and reopens the request,
then adds information from the private status page. Real Chromium, axe-core."""

import pytest

from django.urls import reverse
from django.utils import translation

from forms.defaults import install_default_request_types
from forms.models import CitizenRequest, RequestType, Status
from forms.services import request_change_status, request_submit, status_token
from forms.survey import survey_token
from tests.e2e.conftest import axe_violations, screenshot, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def resolved_request(transactional_db, portal, django_user_model, settings, tmp_path):
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"
    install_default_request_types()
    agent = django_user_model.objects.create_superuser("agent", "agent@example.org", "mot-de-passe-long")
    citizen_request, _created = request_submit(
        request_type=RequestType.objects.get(slug="nid-de-poule"),
        data={
            "subject": "Nid-de-poule rue des Érables",
            "description": "Un trou profond.",
            "address": "40, rue des Érables",
            "email": "marie@example.org",
            "name": "Marie Tremblay",
            "consent": True,
        },
        language="fr",
        submission_token="e2e-follow-through-token-0001",
    )
    request_change_status(
        citizen_request=citizen_request, status=Status.RESOLVED, actor=agent, note="Réparé."
    )
    return citizen_request


def french_url(name, **kwargs) -> str:
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs)


def test_survey_reopen_and_answer_back(live_server, page, resolved_request):

    page.goto(live_server.url + french_url("requests:survey", token=survey_token(resolved_request)))
    assert page.locator("fieldset legend").count() >= 4  # each question is a group with its legend
    assert axe_violations(page) == [], "survey page"
    screenshot(page, "survey")
    page.locator("input[name=resolved][value=no]").check()
    for question, score in (("delay_score", "2"), ("clarity_score", "3"), ("courtesy_score", "5")):
        page.locator(f"input[name={question}][value='{score}']").check()
    page.locator("input[name=reopen]").check()
    page.locator("textarea[name=reopen_reason]").fill("Le trou est revenu après la pluie.")
    submit(page, page.locator("form button[type=submit]"))
    resolved_request.refresh_from_db()
    assert resolved_request.status == Status.REOPENED and resolved_request.reopen_count == 1

    # The private link of the e-mails: the reopened request, and a form to add information.
    page.goto(live_server.url + french_url("requests:status_private", token=status_token(resolved_request)))
    assert page.locator("[data-status]").inner_text().strip() == "Rouverte"
    assert axe_violations(page) == [], "private status page"
    page.locator("textarea[name=text]").fill("Il est maintenant plus large, devant le numéro 40.")
    submit(page, page.locator("form[enctype='multipart/form-data'] button[type=submit]"))
    assert "Il est maintenant plus large" in page.content()
    assert CitizenRequest.objects.get(pk=resolved_request.pk).events.filter(kind="citizen_info").count() == 2
