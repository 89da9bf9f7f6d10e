"""The footer's pages (privacy, accessibility, contact) in both languages, and phones as tel: links."""

import html

import pytest

from django.core.management import call_command
from django.test import Client

from home.information import information_pages_setup
from home.models import InformationPage

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_setup_portal_makes_the_footer_pages_in_both_languages_once(portal):
    call_command("setup_portal", hostname="testserver", port=80, stdout=open("/dev/null", "w"))
    assert InformationPage.objects.filter(live=True).count() == 6
    assert information_pages_setup() == 0  # already there
    french = InformationPage.objects.get(locale__language_code="fr", purpose="privacy")
    english = InformationPage.objects.get(locale__language_code="en", purpose="privacy")
    assert french.translation_key == english.translation_key  # the language switch links them
    footer_fr, footer_en = text(Client().get("/fr/")), text(Client().get("/en/"))
    for title in ("Politique de confidentialité", "Déclaration d'accessibilité", "Nous joindre"):
        assert title in footer_fr
    for title in ("Privacy policy", "Accessibility statement", "Contact us"):
        assert title in footer_en
    privacy = text(Client().get(french.url))
    assert "Personne responsable" in privacy and "trois ans" in privacy
    assert 'href="tel:+14185550311"' in text(Client().get(english.url.replace("privacy", "contact-us")))


def test_phones_are_tel_links_and_the_english_footer_is_in_english(portal):
    french, english = text(Client().get("/fr/")), text(Client().get("/en/"))
    assert '<a href="tel:311">311</a> ou <a href="tel:+14185550311">418 555-0311</a>' in french
    assert '<a href="tel:311">311</a> or <a href="tel:+14185550311">418 555-0311</a>' in english
    assert "311 ou" not in english
