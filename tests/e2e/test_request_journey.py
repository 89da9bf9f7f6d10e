"""Search does not help → the citizen files a request from the embedded form → staff update it
in the admin → the citizen sees the update on the status page. Real Chromium, axe-core checks."""

import re

import pytest

from django.urls import reverse
from django.utils import translation

from forms.defaults import install_default_request_types
from forms.models import CitizenRequest
from tests.e2e.conftest import axe_violations, screenshot, submit
from tests.factories import SuperuserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def request_types(transactional_db):
    install_default_request_types()


def test_request_journey(
    live_server, page, answer_pair, request_types, django_user_model, settings, tmp_path
):
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"
    french, _english = answer_pair
    SuperuserFactory(username="agente", password="mot-de-passe-tres-long")

    # 1. Search finds nothing useful for a broken street light.
    with translation.override("fr"):
        search_url = reverse("search:search")
    page.goto(f"{live_server.url}{search_url}?q=lampadaire+brisé")
    results = page.locator("main").inner_text().lower()
    assert "lampadaire" not in results.replace("lampadaire brisé", "")

    # 2. The embedded form of the answer page: describe, then details (live suggestions stay empty).
    page.goto(f"{live_server.url}{french.url}")
    embedded = page.locator(".requests-embedded")
    assert embedded.get_by_role("heading", name="Vous n'avez pas trouvé votre réponse?").is_visible()
    embedded.get_by_label("Objet").fill("Lampadaire brisé rue des Érables")
    embedded.get_by_label("Décrivez votre demande").fill(
        "Le lampadaire devant le 40 est éteint depuis une semaine."
    )
    page.wait_for_timeout(500)
    assert embedded.locator(".requests-suggestions li").count() == 0
    embedded.get_by_role("button", name="Continuer").click()

    page.wait_for_url(re.compile(r"/fr/demande/question/$"))  # posted: the description is in no URL
    assert "Lampadaire" not in page.url
    assert page.get_by_label("Objet").input_value() == "Lampadaire brisé rue des Érables"
    page.get_by_label("Votre nom").fill("Marie Tremblay")
    page.get_by_label("Courriel").fill("marie@example.org")
    assert axe_violations(page) == [], "form page"
    screenshot(page, "request-form")
    page.get_by_label("J'accepte que la Ville utilise ces renseignements pour traiter ma demande.").check()
    page.get_by_role("button", name="Envoyer ma demande").click()

    # 3. The confirmation: reference, expected date, private link.
    page.wait_for_url(re.compile(r"/fr/demande/confirmation/"))
    reference = page.locator("[data-reference]").inner_text().strip()
    citizen_request = CitizenRequest.objects.get()
    assert reference == citizen_request.reference
    assert page.get_by_text("Nous prévoyons vous répondre").is_visible()
    assert axe_violations(page) == [], "confirmation page"
    screenshot(page, "request-confirmation")

    # 4. Staff log in through the admin login page and change the status with a public note.
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("agente")
    page.locator("#id_password").fill("mot-de-passe-tres-long")
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"{live_server.url}/admin/requests_queue/")
    page.get_by_role("link", name=reference).click()
    page.wait_for_url(re.compile(rf"/admin/requests_queue/edit/{citizen_request.pk}/"))
    page.locator("#id_status").select_option("in_progress")
    page.locator("#id_note").fill("Une équipe passera jeudi.")
    submit(page, page.locator("form button[type=submit]", has_text=re.compile("Enregistrer|Save")))
    citizen_request.refresh_from_db()
    assert citizen_request.status == "in_progress"
    screenshot(page, "request-admin")

    # 5. The citizen's status page shows the update (new browser context: not logged in).
    citizen = page.context.browser.new_context(locale="fr-CA")
    tab = citizen.new_page()
    try:
        tab.goto(f"{live_server.url}/fr/suivi/")
        tab.get_by_label("Numéro de référence").fill(reference.lower())
        tab.get_by_role("button", name="Trouver ma demande").click()
        tab.wait_for_url(re.compile(r"/fr/suivi/\?reference="))
        assert tab.locator("[data-status]").inner_text().strip() == "En traitement"
        # By reference alone: the status and the kind of each event, not the text of the city's note.
        assert tab.get_by_text("Une équipe passera jeudi.").count() == 0
        assert "marie@example.org" not in tab.content()
        assert axe_violations(tab) == [], "status page"
        tab.get_by_label("Courriel ou téléphone donné avec la demande").fill("marie@example.org")
        submit(tab, tab.get_by_role("button", name="Confirmer"))
        assert tab.get_by_text("Une équipe passera jeudi.").is_visible()
        screenshot(tab, "request-status")
    finally:
        citizen.close()


def test_form_works_without_javascript(live_server, no_js_page, request_types, portal, settings, tmp_path):
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"
    no_js_page.goto(f"{live_server.url}/fr/demande/nid-de-poule/")
    no_js_page.get_by_label("Objet").fill("Nid-de-poule")
    no_js_page.get_by_role("button", name="Continuer").click()
    no_js_page.get_by_label("Décrivez votre demande").fill("Un gros trou.")
    no_js_page.get_by_label("Adresse ou lieu").fill("12, rue Principale")
    no_js_page.get_by_label("Téléphone").fill("418 555-0123")
    no_js_page.get_by_label(
        "J'accepte que la Ville utilise ces renseignements pour traiter ma demande."
    ).check()
    no_js_page.get_by_role("button", name="Envoyer ma demande").click()
    assert (
        no_js_page.locator("[data-reference]").inner_text().strip() == CitizenRequest.objects.get().reference
    )
