"""After the answer: the citizen rates the service, says it is not solved and reopens the request,
then adds information from the private status page. Real Chromium, axe-core."""

import pytest

from django.urls import reverse
from django.utils import translation

from forms.models import CitizenRequest, Status
from forms.services import status_token
from forms.survey import survey_token
from tests.e2e.conftest import axe_violations, screenshot, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


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
