"""The home page of each language: search box first, topics, popular answers, contact hours."""

import pytest

from wagtail.models import Page

from home.models import HomePage

pytestmark = pytest.mark.django_db


def test_home_shows_search_box_topics_popular_and_contact(client, answer_pair):
    response = client.get("/fr/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr-CA">' in html
    assert 'role="search"' in html and 'name="q"' in html
    assert "Collectes" in html  # a topic
    assert "Quand a lieu la collecte des ordures?" in html  # a popular answer
    assert "7 h 30" in html and "17 h 30" in html  # contact hours from the site settings


def test_english_home_is_in_english(client, answer_pair):
    html = client.get("/en/").content.decode()
    assert '<html lang="en-CA">' in html
    assert "7:30 a.m." in html and "5:30 p.m." in html
    assert "When is garbage collected?" in html


def test_root_redirects_to_french(client, portal):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/fr/"


def test_unknown_page_is_a_friendly_404(client, portal):
    response = client.get("/fr/nexiste-pas/")
    assert response.status_code == 404


def test_every_locale_has_its_home_page(portal):
    assert sorted(Page.objects.type(HomePage).values_list("locale__language_code", flat=True)) == ["en", "fr"]
