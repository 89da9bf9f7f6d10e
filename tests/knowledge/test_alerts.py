"""Site-wide alerts: scheduled without a restart, scoped to a topic, in the visitor's language,
hidden per visitor (not when urgent), cached pages dropped when one starts or ends, a JSON list."""

import datetime
import html
import time

import pytest

from django.test import Client
from django.utils import timezone

from wagtail.models import Locale

from knowledge.models import Alert, TopicPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

MESSAGE = "Avis d'ébullition de l'eau dans le secteur Nord."


def alert(**fields) -> Alert:
    values = {
        "message": MESSAGE,
        "level": Alert.Level.WARNING,
        "locale": Locale.objects.get(language_code="fr"),
    }
    values.update(fields)
    return Alert.objects.create(**values)


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_an_alert_is_on_every_citizen_page_readable_without_javascript(answer_pair, service_page):
    french, _english = answer_pair
    alert(link_page=service_page)
    for url in ["/fr/", french.url, "/fr/recherche/?q=bac", "/fr/demande/"]:
        page = text(Client().get(url))
        assert MESSAGE in page, url
        assert 'role="status"' in page and "Avertissement" in page
        assert f'href="{service_page.url}"' in page


def test_an_urgent_alert_is_announced_and_cannot_be_hidden(answer_pair):
    alert(level=Alert.Level.URGENT)
    page = text(Client().get("/fr/"))
    assert 'role="alert"' in page and MESSAGE in page and "Masquer ce message" not in page


def test_a_visitor_hides_an_alert_that_is_not_urgent(answer_pair):
    shown = alert()
    visitor = Client()
    page = text(visitor.get("/fr/"))
    key = shown.translation_key.hex[:12]
    assert f'action="/fr/alertes/{key}/masquer/"' in page
    response = visitor.post(f"/fr/alertes/{key}/masquer/", {"next": "/fr/"})
    assert response.status_code == 302 and response["Location"] == "/fr/"
    assert MESSAGE not in text(visitor.get("/fr/"))  # rendered for them, not from the shared cache
    assert MESSAGE in text(Client().get("/fr/"))  # everybody else still sees it
    evil = visitor.post(f"/fr/alertes/{key}/masquer/", {"next": "https://evil.example/"})
    assert evil["Location"] == "/"


def test_scheduled_alerts_start_and_end_without_a_restart_even_on_cached_pages(answer_pair, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    now = timezone.now()
    alert(starts_at=now + datetime.timedelta(seconds=1.5), ends_at=now + datetime.timedelta(seconds=3))
    first = Client().get("/fr/")
    assert first["X-Cache"] == "MISS" and MESSAGE not in text(first)
    assert "max-age=1" in first["Cache-Control"] or "max-age=0" in first["Cache-Control"]
    assert Client().get("/fr/")["X-Cache"] == "HIT"
    time.sleep(1.6)
    started = Client().get("/fr/")
    assert started["X-Cache"] == "MISS" and MESSAGE in text(started)
    time.sleep(1.5)
    ended = Client().get("/fr/")
    assert MESSAGE not in text(ended)


def test_saving_an_alert_drops_cached_pages(answer_pair, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    Client().get("/fr/")
    assert Client().get("/fr/")["X-Cache"] == "HIT"
    alert()
    fresh = Client().get("/fr/")
    assert fresh["X-Cache"] == "MISS" and MESSAGE in text(fresh)


def test_a_topic_alert_is_only_on_that_topics_pages(answer_pair, service_page):
    french, english = answer_pair
    topic = TopicPage.objects.get(pk=french.get_parent().pk)
    alert(topic=topic)
    assert MESSAGE in text(Client().get(french.url))
    assert MESSAGE in text(Client().get(topic.url))
    assert MESSAGE not in text(Client().get("/fr/"))
    assert MESSAGE not in text(Client().get(service_page.url))  # another topic
    # The English translation of the topic carries it too (same translation key).
    assert MESSAGE in text(Client().get(english.url))


def test_the_visitors_language_and_a_french_fallback(answer_pair):
    french_alert = alert()
    english_page = text(Client().get("/en/"))
    assert f'<span lang="fr">{MESSAGE}</span>' in english_page  # not translated yet: French, marked
    translated = french_alert.copy_for_translation(Locale.objects.get(language_code="en"))
    translated.message = "Boil-water notice in the North sector."
    translated.save()
    english_page = text(Client().get("/en/"))
    assert "Boil-water notice in the North sector." in english_page and MESSAGE not in english_page
    assert english_page.count('class="site-alert ') == 1


def test_the_json_list_for_other_channels(answer_pair):
    now = timezone.now()
    alert(level=Alert.Level.URGENT)
    alert(message="Plus tard", starts_at=now + datetime.timedelta(days=1))
    alert(
        message="Fini", starts_at=now - datetime.timedelta(days=2), ends_at=now - datetime.timedelta(days=1)
    )
    response = Client().get("/api/alerts/?lang=fr")
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    [shown] = response.json()["alerts"]
    assert shown["message"] == MESSAGE and shown["level"] == "urgent" and shown["language"] == "fr"
    assert Client().get("/api/alerts/?lang=de").status_code == 400


def test_the_end_must_follow_the_start(portal):
    from django.core.exceptions import ValidationError

    now = timezone.now()
    bad = Alert(message="x", locale=Locale.objects.get(language_code="fr"), starts_at=now, ends_at=now)
    with pytest.raises(ValidationError):
        bad.full_clean()


def test_a_topic_alert_is_on_search_results_that_hold_its_answers(answer_pair, service_page):
    french, _english = answer_pair
    alert(topic=TopicPage.objects.get(pk=french.get_parent().pk))
    with_answer = text(Client().get("/fr/recherche/", {"q": french.title}))
    assert french.title in with_answer and MESSAGE in with_answer
    assert MESSAGE not in text(Client().get("/fr/recherche/", {"q": service_page.title}))
