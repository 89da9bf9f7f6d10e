"""In a real browser: an alert on every page (axe-clean, hidden by the visitor without JavaScript),
and "No, this page did not help" → what was missing → the request form."""

import pytest

from wagtail.models import Locale

from knowledge.models import Alert, HelpfulVote
from tests.e2e.conftest import axe_violations, screenshot, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alerts(answer_pair, service_page):
    french = Locale.objects.get(language_code="fr")
    Alert.objects.create(
        locale=french, level=Alert.Level.URGENT, message="Avis d'ébullition de l'eau : secteur Nord."
    )
    return Alert.objects.create(
        locale=french,
        level=Alert.Level.INFO,
        message="Collecte décalée d'un jour cette semaine.",
        link_page=service_page,
    )


def test_alerts_are_accessible_and_hidden_without_javascript(live_server, page, no_js_page, alerts):
    page.goto(f"{live_server.url}/fr/")
    assert page.get_by_role("alert").inner_text().startswith("Urgent")
    assert page.get_by_role("status").first.is_visible()
    assert axe_violations(page) == [], "home page with two alerts"
    screenshot(page, "alerts")
    no_js_page.goto(f"{live_server.url}/fr/")
    submit(no_js_page, no_js_page.get_by_role("button", name="Masquer ce message"))
    assert "Collecte décalée" not in no_js_page.content() and "ébullition" in no_js_page.content()


def test_no_asks_what_was_missing_then_leads_to_a_request(live_server, page, answer_pair):
    french, _english = answer_pair
    page.goto(f"{live_server.url}{french.url}")
    submit(page, page.get_by_role("button", name="Non"))
    assert page.locator("legend", has_text="Qu’est-ce qui manquait?").is_visible()
    assert axe_violations(page) == [], "what was missing"
    page.get_by_label("Elle ne couvre pas ma situation").check()
    page.get_by_label("Dites-nous en plus (facultatif)").fill("Et pour un immeuble de 6 logements?")
    submit(page, page.get_by_role("button", name="Envoyer"))
    assert HelpfulVote.objects.get(page=french).reason == "not_my_situation"
    page.get_by_role("link", name="Faites une demande").click()
    assert page.evaluate("location.hash") == "#requests-embedded-heading"
