"""Request types are translatable snippets: one row per language sharing a translation key, the
requests pointing to the French row, the label and help shown in the reader's language."""

import re

import pytest

from django.core import mail
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale

from forms.defaults import install_default_request_types
from forms.models import CitizenRequest, RequestType, localize_request_types
from forms.services import request_submit, status_token
from knowledge.models import Department

from .conftest import VALID_DATA

pytestmark = pytest.mark.django_db

POTHOLE_HELP_FR = "Signalez un nid-de-poule dans une rue ou un trottoir."
POTHOLE_HELP_EN = "Report a pothole in a street or sidewalk."


@pytest.fixture
def english_types(locales):
    """The shipped types with their English translations (the English locale exists now)."""
    install_default_request_types()
    return locales


def url(name, language, *args):
    with translation.override(language):
        return reverse(f"requests:{name}", args=args)


def pothole_rows():
    return {row.locale.language_code: row for row in RequestType.objects.filter(slug="nid-de-poule")}


def test_each_type_is_a_french_row_and_its_english_translation(english_types):
    rows = pothole_rows()
    assert set(rows) == {"fr", "en"}
    assert rows["fr"].translation_key == rows["en"].translation_key
    assert (rows["fr"].label, rows["fr"].help_text) == ("Nid-de-poule", POTHOLE_HELP_FR)
    assert (rows["en"].label, rows["en"].help_text) == ("Pothole", POTHOLE_HELP_EN)
    assert RequestType.objects.in_default_locale().filter(slug="nid-de-poule").get() == rows["fr"]
    install_default_request_types()  # idempotent
    assert RequestType.objects.filter(slug="nid-de-poule").count() == 2


def test_localized_is_the_readers_language_with_the_french_row_as_fallback(english_types):
    french = RequestType.objects.in_default_locale().get(slug="nid-de-poule")
    with translation.override("en"):
        assert french.localized.label == "Pothole"
    with translation.override("fr"):
        assert french.localized.label == "Nid-de-poule"
    untranslated = RequestType.objects.create(
        slug="chien", label="Chien errant", department=french.department, locale=Locale.get_default()
    )
    with translation.override("en"):
        assert untranslated.localized.label == "Chien errant"
        types = list(RequestType.objects.in_default_locale().filter(slug__in=["chien", "nid-de-poule"]))
        localize_request_types(types)
        assert {t.localized.label for t in types} == {"Chien errant", "Pothole"}


def test_the_type_settings_are_shared_by_every_language(english_types):
    rows = pothole_rows()
    rows["en"].target_business_days = 7
    rows["en"].is_active = False
    rows["en"].save()
    rows["fr"].refresh_from_db()
    assert (rows["fr"].target_business_days, rows["fr"].is_active) == (7, False)
    assert rows["fr"].label == "Nid-de-poule"  # the text stays each language's


def test_the_request_form_speaks_the_visitors_language(client, english_types):
    french = client.get(url("form", "fr", "nid-de-poule"))
    english = client.get(url("form", "en", "nid-de-poule"))
    assert french.status_code == english.status_code == 200
    assert "<h1>Nid-de-poule</h1>" in french.text and POTHOLE_HELP_FR in french.text
    assert "<h1>Pothole</h1>" in english.text and POTHOLE_HELP_EN in english.text
    assert "Nid-de-poule" not in english.text
    start = client.get(url("start", "en")).text
    # Each type once, by its one slug, named in English.
    assert start.count(url("form", "en", "nid-de-poule") + '"') == 1
    assert ">Pothole</a>" in start and ">Nid-de-poule</a>" not in start


def test_a_type_without_translation_is_offered_in_french(client, english_types):
    department = RequestType.objects.in_default_locale().get(slug="question").department
    RequestType.objects.create(slug="chien", label="Chien errant", department=department)
    start = client.get(url("start", "en")).text
    assert ">Chien errant</a>" in start
    assert client.get(url("form", "en", "chien")).status_code == 200


def test_an_english_request_points_to_the_french_row(
    client, english_types, django_capture_on_commit_callbacks
):
    form_url = url("form", "en", "nid-de-poule")
    page = client.post(form_url, {"step": "describe", "subject": "Pothole on Main Street"})
    assert page.status_code == 200 and "<h1>Pothole</h1>" in page.text
    token = re.search(r'name="submission_token" value="([^"]+)"', page.text).group(1)
    data = {**VALID_DATA, "consent": "on", "submission_token": token, "website": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url, data)
    assert response.status_code == 302
    citizen_request = CitizenRequest.objects.get()
    assert citizen_request.request_type == pothole_rows()["fr"]
    assert citizen_request.language == "en"


def test_status_page_and_emails_name_the_type_in_the_citizens_language(
    client, english_types, django_capture_on_commit_callbacks
):
    pothole = RequestType.objects.in_default_locale().get(slug="nid-de-poule")
    data = {**VALID_DATA, "subject": "Un trou, 12 rue Principale"}  # names neither type
    with django_capture_on_commit_callbacks(execute=True):
        english, _ = request_submit(request_type=pothole, data=data, language="en")
        french, _ = request_submit(request_type=pothole, data=data, language="fr")
    bodies = {message.subject: message.body for message in mail.outbox}
    english_body = next(body for subject, body in bodies.items() if english.reference in subject)
    french_body = next(body for subject, body in bodies.items() if french.reference in subject)
    assert "(Pothole)" in english_body and "Nid-de-poule" not in english_body
    assert "(Nid-de-poule)" in french_body and "Pothole" not in french_body

    in_english = client.get(url("status_private", "en", status_token(english))).text
    in_french = client.get(url("status_private", "fr", status_token(english))).text
    assert re.search(r"<dd>\s*Pothole\s*</dd>", in_english)
    assert re.search(r"<dd>\s*Nid-de-poule\s*</dd>", in_french)


def test_the_department_is_named_from_its_translation_or_in_french(client, english_types):
    """Departments are translatable snippets too: no list of English names in the code."""
    pothole = RequestType.objects.in_default_locale().get(slug="nid-de-poule")
    citizen_request, _ = request_submit(request_type=pothole, data=VALID_DATA, language="en")
    english_page = client.get(url("status_private", "en", status_token(citizen_request))).text
    assert "Public Works Department" in english_page
    Department.objects.filter(locale__language_code="en").delete()
    english_page = client.get(url("status_private", "en", status_token(citizen_request))).text
    assert "Public Works Department" not in english_page
    assert "Direction des travaux publics" in english_page


def test_open311_names_the_services_and_requests_in_the_asked_language(client, english_types):
    pothole = RequestType.objects.in_default_locale().get(slug="nid-de-poule")
    request_submit(request_type=pothole, data=VALID_DATA)
    for language, name, help_text in (
        ("en", "Pothole", POTHOLE_HELP_EN),
        ("fr", "Nid-de-poule", POTHOLE_HELP_FR),
    ):
        services = client.get("/open311/v2/services.json", HTTP_ACCEPT_LANGUAGE=language).json()
        codes = [service["service_code"] for service in services]
        assert codes.count("nid-de-poule") == 1 and len(codes) == len(set(codes))
        service = next(s for s in services if s["service_code"] == "nid-de-poule")
        assert (service["service_name"], service["description"]) == (name, help_text)
        records = client.get("/open311/v2/requests.json", HTTP_ACCEPT_LANGUAGE=language).json()
        assert [(r["service_code"], r["service_name"], r["service_notice"]) for r in records] == [
            ("nid-de-poule", name, help_text)
        ]
    definition = client.get("/open311/v2/services/nid-de-poule.json")
    assert definition.status_code == 200


def test_the_admin_lists_each_type_once_per_locale_and_translates_it(client, admin_user, english_types):
    client.force_login(admin_user)
    viewset = RequestType.snippet_viewset
    listing_url = reverse(viewset.get_url_name("list"))
    french = client.get(listing_url, {"locale": "fr"}).text
    english = client.get(listing_url, {"locale": "en"}).text
    assert french.count(">Nid-de-poule<") == 1 and ">Pothole<" not in french
    assert english.count(">Pothole<") == 1 and ">Nid-de-poule<" not in english

    department = RequestType.objects.in_default_locale().get(slug="question").department
    dog = RequestType.objects.create(slug="chien", label="Chien errant", department=department)
    translate_url = reverse(
        "simple_translation:submit_snippet_translation", args=["requests", "requesttype", dog.pk]
    )
    assert translate_url in client.get(listing_url, {"locale": "fr"}).text  # « Translate »
    response = client.post(translate_url, {"locales": [english_types["en"].pk]})
    assert response.status_code == 302
    translated = RequestType.objects.get(translation_key=dog.translation_key, locale=english_types["en"])
    assert (translated.slug, translated.department) == ("chien", department)

    edit = client.get(reverse(viewset.get_url_name("edit"), args=[translated.pk]))
    assert edit.status_code == 200
    form = {
        "label": "Stray dog",
        "help_text": "A dog on the loose.",
        "slug": "chien",
        "category": "service",
        "department": department.pk,
        "target_business_days": 4,
        "asks_address": "on",
        "allows_attachments": "on",
        "is_active": "on",
        "sort_order": 200,
    }
    response = client.post(reverse(viewset.get_url_name("edit"), args=[translated.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    dog.refresh_from_db()
    assert (dog.label, dog.target_business_days, dog.asks_address) == ("Chien errant", 4, True)
    with translation.override("en"):
        assert dog.localized.label == "Stray dog"


def test_a_request_cannot_point_to_a_translation(english_types):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        request_submit(request_type=pothole_rows()["en"], data=VALID_DATA)


# --- the migration ----------------------------------------------------------------------------

BEFORE = ("requests", "0011_request_merge")
AFTER = ("requests", "0014_request_type_translations_finish")


def migrate(targets):
    """Migrates the test database like `manage.py migrate` (Django's own migration tests do so)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_each_type_a_french_row_and_its_english_translation_and_back():
    try:
        old = migrate([BEFORE])
        OldType = old.get_model("requests", "RequestType")
        OldType.objects.all().delete()
        old.get_model("wagtailcore", "Locale").objects.filter(language_code="en").delete()
        department = old.get_model("knowledge", "Department").objects.create(
            name="Travaux", locale=old.get_model("wagtailcore", "Locale").objects.get(language_code="fr")
        )
        OldType.objects.create(
            slug="egout",
            label_fr="Égout bouché",
            label_en="Blocked sewer",  # staff's English: the English locale is made to keep it
            help_fr="Un égout qui déborde.",
            help_en="A sewer overflowing.",
            department=department,
            target_business_days=3,
            asks_address=True,
        )

        new = migrate([AFTER])
        NewType = new.get_model("requests", "RequestType")
        rows = {row.locale.language_code: row for row in NewType.objects.select_related("locale")}
        assert set(rows) == {"fr", "en"}
        assert rows["fr"].translation_key == rows["en"].translation_key
        assert (rows["fr"].label, rows["fr"].help_text) == ("Égout bouché", "Un égout qui déborde.")
        assert (rows["en"].label, rows["en"].help_text) == ("Blocked sewer", "A sewer overflowing.")
        for row in rows.values():
            assert (row.slug, row.target_business_days, row.asks_address, row.department_id) == (
                "egout",
                3,
                True,
                department.pk,
            )

        back = migrate([BEFORE])
        (restored,) = back.get_model("requests", "RequestType").objects.all()
        assert (restored.label_fr, restored.label_en, restored.help_fr, restored.help_en) == (
            "Égout bouché",
            "Blocked sewer",
            "Un égout qui déborde.",
            "A sewer overflowing.",
        )
    finally:
        migrate(latest())
