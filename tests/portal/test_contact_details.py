"""The contact block's words (service name, opening days) are a translatable snippet: shown in the
visitor's language, in French when that language has no translation; the rest stays a setting."""

import io

import pytest

from django.core.management import call_command
from django.urls import reverse

from wagtail.models import Locale

from portal.contact import contact_details, contact_details_setup
from portal.models import ContactDetails, ContactSettings

pytestmark = pytest.mark.django_db


def contact_heading(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    text = page.text
    start = text.index('id="contact-heading">') + len('id="contact-heading">')
    return text[start : text.index("</h2>", start)]


def test_the_contact_block_speaks_the_visitors_language(client, portal):
    ContactDetails.objects.all().delete()
    assert contact_details_setup() == 2
    assert contact_heading(client, "/fr/") == "Centre de service aux citoyens"
    assert contact_heading(client, "/en/") == "Citizen Service Centre"
    english = client.get("/en/").text
    assert "Monday to Friday, 7:30 a.m. to 5:30 p.m." in english and "du lundi au vendredi" not in english
    assert "du lundi au vendredi, 7 h 30 à 17 h 30" in client.get("/fr/").text


def test_french_when_the_language_has_no_translation(client, portal):
    ContactDetails.objects.all().delete()
    contact_details_setup()
    ContactDetails.objects.filter(locale__language_code="en").delete()
    assert contact_heading(client, "/en/") == "Centre de service aux citoyens"
    assert contact_details("en").days == "du lundi au vendredi"


def test_an_edit_is_shown_at_once_in_its_language_only(client, portal):
    ContactDetails.objects.all().delete()
    contact_details_setup()
    client.get("/en/")  # a cached page is dropped by the edit
    english = ContactDetails.objects.get(locale__language_code="en")
    english.service_name = "311 Service Centre"
    english.save()
    assert contact_heading(client, "/en/") == "311 Service Centre"
    assert contact_heading(client, "/fr/") == "Centre de service aux citoyens"


def test_the_language_neutral_details_stay_a_setting(client, portal):
    contact = ContactSettings.load()
    contact.phone = "418 555-7777"
    contact.save()
    assert "418 555-7777" in client.get("/en/").text and "418 555-7777" in client.get("/fr/").text
    assert not hasattr(contact, "service_name_fr") and not hasattr(contact, "days_en")


def test_nothing_in_the_database_shows_the_french_defaults(client, portal):
    ContactDetails.objects.all().delete()
    assert contact_heading(client, "/en/") == "Centre de service aux citoyens"


def test_setup_portal_makes_both_languages_once(portal):
    ContactDetails.objects.all().delete()
    for _ in range(2):
        call_command("setup_portal", hostname="testserver", port=80, stdout=io.StringIO())
    rows = {row.locale.language_code: row for row in ContactDetails.objects.select_related("locale")}
    assert set(rows) == {"fr", "en"} and ContactDetails.objects.count() == 2
    assert rows["fr"].translation_key == rows["en"].translation_key
    assert rows["en"].service_name == "Citizen Service Centre"


def test_the_admin_lists_the_texts_per_locale(client, admin_user, portal):
    ContactDetails.objects.all().delete()
    contact_details_setup()
    client.force_login(admin_user)
    listing_url = reverse(ContactDetails.snippet_viewset.get_url_name("list"))
    english = client.get(listing_url, {"locale": "en"}).text
    assert "Citizen Service Centre" in english and "Centre de service aux citoyens" not in english
    french = client.get(listing_url, {"locale": "fr"}).text
    assert "Centre de service aux citoyens" in french and "Citizen Service Centre" not in french


# --- the migration ----------------------------------------------------------------------------


def migrate(targets):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_the_texts_out_of_the_setting_and_back():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate([("portal", "0002_phone_numbers")])
        for code in ("fr", "en"):
            Locale.objects.get_or_create(language_code=code)  # wagtailcore's table does not change
        old.get_model("portal", "ContactSettings").objects.create(
            service_name_fr="Bureau du citoyen",
            service_name_en="Citizen's Office",
            days_fr="du lundi au jeudi",
            days_en="Monday to Thursday",
        )
        new = migrate([("portal", "0004_contact_settings_without_texts")])
        rows = {
            row.locale.language_code: row
            for row in new.get_model("portal", "ContactDetails").objects.select_related("locale")
        }
        assert (rows["fr"].service_name, rows["fr"].days) == ("Bureau du citoyen", "du lundi au jeudi")
        assert (rows["en"].service_name, rows["en"].days) == ("Citizen's Office", "Monday to Thursday")
        assert rows["fr"].translation_key == rows["en"].translation_key

        back = migrate([("portal", "0002_phone_numbers")])
        contact = back.get_model("portal", "ContactSettings").objects.get()
        assert (contact.service_name_fr, contact.service_name_en, contact.days_fr, contact.days_en) == (
            "Bureau du citoyen",
            "Citizen's Office",
            "du lundi au jeudi",
            "Monday to Thursday",
        )
    finally:
        migrate(latest)
    assert Locale.objects.filter(language_code="en").exists()
