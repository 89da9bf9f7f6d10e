import json
import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from knowledge.models import AnswerPage, ServicePage, TopicPage

pytestmark = pytest.mark.django_db


class TestPageRules(WagtailPageTestCase):
    def test_topics_live_under_home_and_answers_under_topics(self):
        self.assertAllowedParentPageTypes(TopicPage, {HomePage})
        self.assertAllowedSubpageTypes(TopicPage, {AnswerPage, ServicePage})
        self.assertAllowedParentPageTypes(AnswerPage, {TopicPage})
        self.assertAllowedParentPageTypes(ServicePage, {TopicPage})
        self.assertAllowedSubpageTypes(AnswerPage, set())
        self.assertCanNotCreateAt(HomePage, AnswerPage)


def test_answer_page_renders_question_short_answer_body_and_department(client, answer_pair):
    french, _english = answer_pair
    html = client.get(french.url).content.decode()
    assert "<h1>Quand a lieu la collecte des ordures?</h1>" in html
    assert "Le mardi, toutes les deux semaines." in html
    assert "<li>un point</li>" in html
    assert "Direction de l&#x27;environnement" in html


def test_answer_page_links_its_translation_with_hreflang_and_canonical(client, answer_pair):
    french, english = answer_pair
    html = client.get(french.url).content.decode()
    assert f'<link rel="canonical" href="{french.full_url}">' in html
    assert f'hreflang="en-CA" href="http://testserver{english.url}"' in html
    assert f'href="{english.url}" lang="en-CA"' in html  # the language switcher


def test_answer_page_carries_faqpage_json_ld(client, answer_pair):
    french, _english = answer_pair
    html = client.get(french.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "FAQPage"
    assert data["mainEntity"][0]["name"] == french.title
    assert "toutes les deux semaines" in data["mainEntity"][0]["acceptedAnswer"]["text"]


def test_service_page_shows_delay_fees_and_government_service_json_ld(client, service_page):
    html = client.get(service_page.url).content.decode()
    assert "50 $" in html and "10" in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "GovernmentService" and data["name"] == "Permis de piscine"


def test_topic_page_lists_its_answers_and_services(client, answer_pair, service_page):
    french, _english = answer_pair
    html = client.get(french.get_parent().url).content.decode()
    assert french.title in html
    assert service_page.title not in html  # another topic


def test_unpublished_answers_are_not_served_or_listed(client, answer_pair):
    french, _english = answer_pair
    url = french.url
    french.unpublish()
    assert client.get(url).status_code == 404
    assert french.title not in client.get("/fr/").content.decode()


def test_answer_page_renders_in_at_most_15_queries(client, answer_pair, settings):
    """Rendering itself, without the page cache (the contact settings and the contact texts are
    one query each: read from the database at each request, so that every worker shows an
    editor's change at once; the related answers two more: the topic's answers and the search
    sessions that opened them; the embedded form's request type two: the type and its label in
    the page's language; the alerts none, from the shared cache)."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    french, _english = answer_pair
    client.get(french.url)  # warm the site caches, as in production
    with CaptureQueriesContext(connection) as queries:
        response = client.get(french.url)
    assert response.status_code == 200
    assert len(queries) <= 15, "\n".join(query["sql"][:600] for query in queries.captured_queries)


def test_public_pages_are_cacheable_by_a_shared_cache(client, answer_pair):
    french, _english = answer_pair
    cache_control = client.get(french.url)["Cache-Control"]
    assert "public" in cache_control and "max-age=300" in cache_control


def test_sitemaps_per_language_and_robots(client, answer_pair):
    french, english = answer_pair
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-fr.xml" in index and "sitemap-en.xml" in index
    french_map = client.get("/sitemap-fr.xml").content.decode()
    english_map = client.get("/sitemap-en.xml").content.decode()
    assert french.url in french_map and english.url not in french_map
    assert english.url in english_map and french.url not in english_map
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots and "Disallow: /admin/" in robots
