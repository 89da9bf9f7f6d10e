"""Every string a citizen sees is translated: the catalogues are complete, compiled, and used."""

import ast
import gettext as gnu_gettext
from pathlib import Path

import pytest

from django.conf import settings
from django.utils import translation

APPS = ("portal", "home", "knowledge", "search", "forms")  # every app: one check


def read_po(path: Path) -> list[dict]:
    """A small .po reader: msgid, msgid_plural and msgstr / msgstr[n] of each entry (header excluded)."""
    entries: list[dict] = []
    entry: dict | None = None
    key = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            assert entry is not None and key is not None, f"{path}: stray string {line}"
            entry[key] += ast.literal_eval(line)
            continue
        keyword, value = line.split(" ", 1)
        # An entry starts at its msgctxt when it has one, else at its msgid.
        if keyword == "msgctxt" or (keyword == "msgid" and not (entry and set(entry) == {"msgctxt"})):
            entry = {}
            entries.append(entry)
        assert entry is not None, f"{path}: {keyword} before msgid"
        key = keyword
        entry[key] = ast.literal_eval(value)
    return [entry for entry in entries if entry.get("msgid")]


def catalogue(app: str, language: str, extension: str = "po") -> Path:
    return settings.BASE_DIR / app / "locale" / language / "LC_MESSAGES" / f"django.{extension}"


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.mark.parametrize("app", APPS)
def test_french_catalogue_is_complete(app):
    entries = read_po(catalogue(app, "fr"))
    assert entries, f"{app} has no French messages"
    untranslated = [entry["msgid"] for entry in entries if not all(translations(entry))]
    assert untranslated == []
    plurals = [entry for entry in entries if "msgid_plural" in entry]
    assert all("msgstr[0]" in entry and "msgstr[1]" in entry for entry in plurals)
    assert "#, fuzzy" not in catalogue(app, "fr").read_text(encoding="utf-8")


@pytest.mark.parametrize("app", APPS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_compiled_catalogue_matches_its_source(app, language):
    """Catches a .po edited without `compilemessages`."""
    mo_path = catalogue(app, language, "mo")
    assert mo_path.exists(), f"run `cd {app} && ../manage.py compilemessages`"
    with mo_path.open("rb") as mo_file:
        compiled = gnu_gettext.GNUTranslations(mo_file)
    for entry in read_po(catalogue(app, language)):
        if "msgid_plural" in entry:
            if entry["msgstr[0]"]:
                assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
                assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], 5) == entry["msgstr[1]"]
        elif entry["msgstr"] and "msgctxt" in entry:
            assert compiled.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"]
        elif entry["msgstr"]:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"]


def test_english_catalogues_exist_and_keep_english_msgids():
    for app in APPS:
        english = {entry["msgid"] for entry in read_po(catalogue(app, "en"))}
        assert english == {entry["msgid"] for entry in read_po(catalogue(app, "fr"))}


@pytest.mark.parametrize(
    ("english", "french"),
    [
        ("Skip to main content", "Passer au contenu principal"),
        ("Citizen portal", "Portail citoyen"),
        ("Search", "Rechercher"),
        ("Opening hours", "Heures d’ouverture"),
        ("E-mail", "Courriel"),
        ("Was this page helpful?", "Cette page vous a-t-elle été utile?"),
        ("Yes", "Oui"),
        ("No", "Non"),
        ("Home", "Accueil"),
        ("Popular answers", "Réponses populaires"),
        ("Answers to review", "Réponses à réviser"),
    ],
)
def test_django_serves_the_project_translations(english, french):
    """The project's catalogues win over Wagtail's and Django's for the same msgid."""
    with translation.override("fr"):
        assert translation.gettext(english) == french
    with translation.override("en"):
        assert translation.gettext(english) == english


def test_plural_forms_follow_french_rules():
    with translation.override("fr"):
        assert translation.ngettext("%(days)s day", "%(days)s days", 1) % {"days": 1} == "1 jour"
        assert translation.ngettext("%(days)s day", "%(days)s days", 10) % {"days": 10} == "10 jours"
    with translation.override("en"):
        assert translation.ngettext("%(days)s day", "%(days)s days", 1) % {"days": 1} == "1 day"


@pytest.mark.django_db
def test_french_home_page_speaks_french(client, portal):
    response = client.get("/fr/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fr-CA"' in html
    for text in (
        "Passer au contenu principal",
        "Portail citoyen",
        "Posez votre question ou tapez quelques mots",
        "Rechercher",
        "Heures d’ouverture",
        "7 h 30 à 17 h 30",
        "Courriel",
    ):
        assert text in html, text
    for text in ("Skip to main content", "Opening hours", "Ask your question"):
        assert text not in html, text


@pytest.mark.django_db
def test_english_home_page_speaks_english(client, portal):
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en-CA"' in html
    for text in (
        "Skip to main content",
        "Citizen portal",
        "Ask your question or type a few words",
        "Opening hours",
        "7:30 a.m. to 5:30 p.m.",
        "E-mail",
    ):
        assert text in html, text
    for text in ("Passer au contenu principal", "Heures d’ouverture", "Posez votre question"):
        assert text not in html, text


@pytest.mark.django_db
def test_answer_pages_speak_their_language(client, answer_pair):
    french, english = answer_pair
    html = client.get(french.url).content.decode()
    for text in (
        "Réponse courte",
        "Cette page vous a-t-elle été utile?",
        ">Oui<",
        ">Non<",
        "Dernière révision",
    ):
        assert text in html, text
    html = client.get(english.url).content.decode()
    for text in ("Short answer:", "Was this page helpful?", ">Yes<", ">No<", "Last reviewed:"):
        assert text in html, text


@pytest.mark.django_db
def test_service_page_pluralises_its_delay_in_french(client, service_page):
    html = client.get(service_page.url).content.decode()
    assert "10 jours" in html and "Délai de service" in html and "Frais" in html


@pytest.mark.django_db
def test_javascript_strings_come_from_the_catalogues(client):
    """The scripts' strings (instant answers, the map): each app's djangojs catalogue, complete,
    served per language by one catalogue view."""
    catalogues = sorted(settings.BASE_DIR.glob("*/locale/fr/LC_MESSAGES/djangojs.po"))
    assert {po.parts[-5] for po in catalogues} >= {"portal", "forms"}
    for po in catalogues:
        entries = read_po(po)
        assert entries and all(all(translations(entry)) for entry in entries), po
    french = client.get("/fr/jsi18n/")
    assert french.status_code == 200 and "public" in french["Cache-Control"]
    assert "Voir tous les r\\u00e9sultats" in french.content.decode()
    assert "Zoom arri\\u00e8re" in french.content.decode()  # the map's, from the forms app
    assert "Voir tous" not in client.get("/en/jsi18n/").content.decode()
    script = (settings.BASE_DIR / "portal" / "static" / "js" / "instant-answers.js").read_text()
    assert "Réponses suggérées" not in script  # no dictionary of its own
