"""The whole follow-through, as a citizen and the city's staff live it, in a real Chromium.

A request passes its expected date; `follow_up` sends the late notice through a real SMTP server
on loopback; the citizen opens the private link of that e-mail and sees the new date; staff
resolve it in the admin; the citizen answers the survey from the « resolved » e-mail, says it is
not solved and reopens it; staff resolve it again and close it; the citizen asks the ombudsman
for a review; the ombudsman concludes in the admin; the citizen's page shows the conclusions.
axe-core checks the survey, the private page with the reopen and ombudsman forms, and the
ombudsman's admin page.
"""

import re
from email.header import decode_header, make_header
from urllib.parse import urlsplit

import pytest

from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from forms.models import CitizenRequest, Escalation, Status
from portal.business_days import add_business_days
from tests.e2e.conftest import STAFF_PASSWORD, axe_violations, screenshot, submit
from tests.factories import OmbudsmanFactory, SuperuserFactory
from tests.forms.test_emails import free_port, start_server, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = STAFF_PASSWORD
CONCLUSION = "La direction aurait dû revenir inspecter; elle s'y engage d'ici deux semaines."


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    settings.EMAIL_USE_TLS = False
    controller, handler = start_server(settings.EMAIL_PORT)
    yield handler
    controller.stop()


@pytest.fixture
def staff(transactional_db):
    agent = SuperuserFactory(password=PASSWORD)
    ombudsman = OmbudsmanFactory(password=PASSWORD)
    return agent, ombudsman


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def mail(handler, subject_part: str):
    """The last message whose subject has `subject_part`, and its body (waits for its delivery)."""

    def found():
        return [m for m in handler.messages if subject_part in subject(m)]

    assert wait_for(found, timeout=10), (
        f"no e-mail about {subject_part!r}: {[subject(m) for m in handler.messages]}"
    )
    message = found()[-1]
    return message, message.get_payload(decode=True).decode("utf-8")


def link_in(body: str, pattern: str, live_server) -> str:
    """The link of the e-mail, on the test server (e-mails carry the site's public address)."""
    url = re.search(rf"https?://\S*{pattern}\S*", body).group(0)
    return live_server.url + urlsplit(url).path


def french_date(day) -> str:
    with translation.override("fr"):
        return date_format(day, "DATE_FORMAT")


def sign_in(page, live_server, username: str):
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/$"))


def staff_sets_status(page, live_server, citizen_request, status: str, note: str = ""):
    page.goto(f"{live_server.url}/admin/requests_queue/edit/{citizen_request.pk}/")
    page.select_option("select[name=status]", status)
    if note:
        page.fill("textarea[name=note]", note)
    submit(page, page.locator("form[method=post] button[type=submit]", has_text="Enregistrer"))
    assert CitizenRequest.objects.get(pk=citizen_request.pk).status == status


def test_from_a_late_notice_to_the_ombudsman_conclusions(live_server, page, smtp, late_request, staff):
    reference = late_request.reference

    # 1. The date passed: follow_up tells the citizen, once, by e-mail, in French.
    call_command("follow_up")
    call_command("follow_up")  # run again: nothing is sent twice
    message, body = mail(smtp, "en retard")
    assert message["To"] == "marie@example.org" and reference in subject(message)
    assert len([m for m in smtp.messages if "en retard" in subject(m)]) == 1
    late_request.refresh_from_db()
    new_date = late_request.expected_on
    assert new_date > timezone.localdate() and french_date(new_date) in body

    # 2. The private link of that e-mail: the page shows the late notice and the new date.
    private_url = link_in(body, "/fr/suivi/", live_server)
    page.goto(private_url)
    assert "Avis de retard" in page.content()  # the timeline shows the late notice
    assert french_date(new_date) in page.content()

    # 3. Staff resolve it in the admin; the « resolved » e-mail carries the survey link.
    sign_in(page, live_server, "agent")
    page.goto(f"{live_server.url}/admin/requests_queue/edit/{late_request.pk}/")
    assert axe_violations(page) == [], "the handler's page"
    staff_sets_status(page, live_server, late_request, Status.RESOLVED, note="Le trou a été rebouché.")
    _message, body = mail(smtp, "résolue")
    survey_url = link_in(body, "/fr/sondage/", live_server)

    # 4. The survey: not solved, reopen from the same screen.
    page.context.clear_cookies()
    page.goto(survey_url)
    assert page.locator("fieldset legend").count() >= 4
    assert axe_violations(page) == [], "survey page"
    page.locator("input[name=resolved][value=no]").check()
    for question, score in (("delay_score", "2"), ("clarity_score", "3"), ("courtesy_score", "4")):
        page.locator(f"input[name={question}][value='{score}']").check()
    page.locator("input[name=reopen]").check()
    page.locator("textarea[name=reopen_reason]").fill("Le trou est revenu après la pluie.")
    submit(page, page.locator("form button[type=submit]"))
    late_request.refresh_from_db()
    assert late_request.status == Status.REOPENED and late_request.reopen_count == 1
    _message, body = mail(smtp, "rouverte")  # the citizen's acknowledgement, with the new date
    assert french_date(late_request.expected_on) in body

    # 5. Staff resolve it again, then close it.
    sign_in(page, live_server, "agent")
    staff_sets_status(page, live_server, late_request, Status.RESOLVED, note="Réparé pour de bon.")
    staff_sets_status(page, live_server, late_request, Status.CLOSED)

    # 6. The citizen, still dissatisfied, asks the ombudsman from the private page.
    page.context.clear_cookies()
    page.goto(private_url)
    assert page.locator("textarea[name=dissatisfaction]").count() == 1
    assert axe_violations(page) == [], "private page with the ombudsman form"
    screenshot(page, "journey-ombudsman-form")
    page.fill("textarea[name=dissatisfaction]", "Personne n'est venu constater avant de fermer.")
    page.fill("textarea[name=expectation]", "Qu'une personne vienne voir.")
    submit(
        page,
        page.locator("form", has=page.locator("textarea[name=dissatisfaction]")).locator(
            "button[type=submit]"
        ),
    )
    escalation = Escalation.objects.get(request=late_request)
    assert escalation.reference in page.content() and "Transmise à l'ombudsman" in page.content()
    _message, body = mail(smtp, escalation.reference)  # acknowledged, with the ombudsman's date
    assert french_date(escalation.expected_on) in body
    assert escalation.expected_on == add_business_days(timezone.localdate(), 30)

    # 7. The ombudsman concludes in the admin: their own queue and page.
    sign_in(page, live_server, "ombudsman")
    page.goto(f"{live_server.url}/admin/ombudsman/")
    assert escalation.reference in page.content()
    page.goto(f"{live_server.url}/admin/ombudsman/edit/{escalation.pk}/")
    assert axe_violations(page) == [], "the ombudsman's page"
    page.fill("textarea[name=conclusion]", CONCLUSION)
    submit(page, page.locator("button[name=action][value=conclude]"))
    escalation.refresh_from_db()
    assert escalation.status == Escalation.State.CONCLUDED
    message, body = mail(smtp, "ombudsman")
    assert CONCLUSION in " ".join(m.get_payload(decode=True).decode("utf-8") for m in smtp.messages)

    # 8. The citizen's page shows the conclusions (private link), not by reference alone.
    page.context.clear_cookies()
    page.goto(private_url)
    assert "Conclusions de l'ombudsman" in page.content() and CONCLUSION in page.content()
    assert axe_violations(page) == [], "private page with the conclusions"
    screenshot(page, "journey-ombudsman-conclusions")
    page.goto(f"{live_server.url}/fr/suivi/?reference={reference}")
    assert "Conclusions de l'ombudsman" in page.content() and CONCLUSION not in page.content()
