"""Citizen pages from the shared cache: hits for anonymous visitors, dropped on every content change,
never stored nor served for editors, previews, sessions, votes or messages."""

import pytest

from django.apps import apps
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail import hooks
from wagtail.contrib.frontend_cache.backends.base import BaseBackend
from wagtail.models import Page, PageViewRestriction

from knowledge.models import Department, TopicPage
from portal.models import ContactSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def anonymous_get(url):
    """A first-time visitor: no cookie at all."""
    return Client().get(url)


def warm(url):
    """Renders the page once (stored) and checks that the next visitor gets it from the cache."""
    first = anonymous_get(url)
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    assert anonymous_get(url)["X-Cache"] == "HIT"
    return first


def test_second_anonymous_get_is_a_hit_and_identical(answer_pair, service_page):
    french, english = answer_pair
    topic = french.get_parent()
    for url in ["/fr/", "/en/", topic.url, french.url, english.url, service_page.url]:
        first = anonymous_get(url)
        with CaptureQueriesContext(connection) as queries:
            second = anonymous_get(url)
        assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT"), url
        assert second.content == first.content
        for header in ("Content-Type", "Content-Language", "Cache-Control", "Content-Security-Policy"):
            assert second[header] == first[header]
        assert len(queries) == 0, url  # served before sessions, auth and the database


def test_pages_are_cached_per_url_and_language(answer_pair):
    french, english = answer_pair
    warm("/fr/")
    english_home = anonymous_get("/en/")
    assert english_home["X-Cache"] == "MISS" and english_home["Content-Language"] == "en"
    assert "When is garbage collected?" in english_home.text and "Quand a lieu" not in english_home.text


def test_publishing_a_change_is_seen_at_once(answer_pair):
    french, _english = answer_pair
    topic = french.get_parent()
    for url in (french.url, topic.url, "/fr/"):
        warm(url)
    french.title = "Quand passe le camion à ordures?"
    french.save_revision().publish()
    for url in (french.url, topic.url, "/fr/"):
        response = anonymous_get(url)
        assert response["X-Cache"] == "MISS", url
        assert "Quand passe le camion à ordures?" in response.text, url


def test_a_draft_is_not_shown_but_its_publication_is(answer_pair):
    french, _english = answer_pair
    warm(french.url)
    french.summary = "Le lundi, chaque semaine."
    revision = french.save_revision()
    assert "Le lundi, chaque semaine." not in anonymous_get(french.url).text
    revision.publish()
    assert "Le lundi, chaque semaine." in anonymous_get(french.url).text


def test_unpublishing_drops_the_page_and_its_listings(answer_pair):
    french, _english = answer_pair
    url, topic_url = french.url, french.get_parent().url
    warm(url)
    warm(topic_url)
    french.unpublish()
    assert anonymous_get(url).status_code == 404
    assert french.title not in anonymous_get(topic_url).text
    assert french.title not in anonymous_get("/fr/").text


def test_moving_a_page_is_seen_at_both_places(answer_pair, service_page):
    french, _english = answer_pair
    old_url, old_topic = french.url, french.get_parent().specific
    new_topic = service_page.get_parent().specific
    for url in (old_url, old_topic.url, new_topic.url):
        warm(url)
    french.move(new_topic, pos="last-child")
    french.refresh_from_db()
    assert french.url.startswith(new_topic.url) and french.url != old_url
    old = anonymous_get(old_url)  # Wagtail's automatic redirect, no longer the cached page
    assert old.status_code == 301 and old["Location"] == french.url
    moved = anonymous_get(french.url)
    assert moved.status_code == 200 and moved["X-Cache"] == "MISS"
    assert french.title not in anonymous_get(old_topic.url).text
    assert french.title in anonymous_get(new_topic.url).text


def test_deleting_a_page_drops_it(answer_pair):
    french, _english = answer_pair
    url, topic_url = french.url, french.get_parent().url
    warm(url)
    warm(topic_url)
    Page.objects.get(pk=french.pk).delete()
    assert anonymous_get(url).status_code == 404
    assert french.title not in anonymous_get(topic_url).text


def test_a_department_change_is_seen_on_its_answers(answer_pair):
    french, _english = answer_pair
    warm(french.url)
    department = Department.objects.get(pk=french.department_id)
    department.name = "Direction de l'environnement et des parcs"
    department.save()
    response = anonymous_get(french.url)
    assert response["X-Cache"] == "MISS"
    assert "Direction de l&#x27;environnement et des parcs" in response.text


def test_a_contact_settings_change_is_seen_on_every_page(answer_pair):
    french, _english = answer_pair
    for url in ("/fr/", french.url):
        warm(url)
    contact = ContactSettings.load()
    contact.phone = "418 555-9999"
    contact.save()
    for url in ("/fr/", french.url):
        response = anonymous_get(url)
        assert response["X-Cache"] == "MISS" and "418 555-9999" in response.text, url


def test_a_request_type_change_is_seen_on_the_pages_that_embed_its_form(service_page):
    from forms.defaults import install_default_request_types
    from forms.models import RequestType

    install_default_request_types()
    warm(service_page.url)
    request_type = RequestType.objects.in_default_locale().get(slug="question")
    request_type.label = "Question au comptoir municipal"
    request_type.save()
    response = anonymous_get(service_page.url)
    assert response["X-Cache"] == "MISS" and "Question au comptoir municipal" in response.text


def test_every_model_named_in_the_setting_exists(settings):
    for label in settings.PORTAL_PAGE_CACHE_MODELS:
        assert apps.get_model(label)._meta.label == label


def test_a_topic_change_is_seen_on_the_home_page(answer_pair):
    warm("/fr/")
    topic = TopicPage.objects.get(title="Collectes")
    topic.title = "Collectes et recyclage"
    topic.save_revision().publish()
    assert "Collectes et recyclage" in anonymous_get("/fr/").text


def test_an_editor_is_never_served_nor_stored(client, answer_pair, admin_user):
    french, _english = answer_pair
    warm(french.url)
    client.force_login(admin_user)
    editor_page = client.get(french.url)
    assert editor_page.status_code == 200 and "X-Cache" not in editor_page
    assert "wagtail-userbar" in editor_page.text  # the editor's own page, not the cached one
    cache.clear()
    client.get(french.url)  # an editor's page is not stored either
    visitor_page = anonymous_get(french.url)
    assert visitor_page["X-Cache"] == "MISS" and "wagtail-userbar" not in visitor_page.text


def test_a_preview_is_never_served_nor_stored(answer_pair):
    french, _english = answer_pair
    french.title = "Brouillon jamais publié"
    french.save_revision()
    warm(french.url)
    # Wagtail's preview runs the middleware with a made-up request that may carry no cookie.
    preview = french.make_preview_request()
    assert "Brouillon jamais publié" in preview.content.decode() and "X-Cache" not in preview
    live = anonymous_get(french.url)
    assert live["X-Cache"] == "HIT" and "Brouillon jamais publié" not in live.text


def test_a_verified_citizen_session_is_never_served_nor_stored_nor_shown_to_others(client, answer_pair):
    from forms.defaults import install_default_request_types
    from forms.models import RequestType
    from forms.services import request_submit

    install_default_request_types()
    french, _english = answer_pair
    citizen_request, _ = request_submit(
        request_type=RequestType.objects.in_default_locale().get(slug="nid-de-poule"),
        data={
            "subject": "Nid-de-poule devant le 12, rue Principale",
            "description": "Un trou profond dans la voie de droite.",
            "address": "12, rue Principale",
            "email": "citoyenne.privee@example.org",
            "phone": "418 555-0123",
            "name": "Marie-Ève Confidentielle",
            "consent": True,
        },
    )
    warm(french.url)
    verified = client.post("/fr/suivi/", {"reference": citizen_request.reference, "contact": "418 555-0123"})
    assert verified.status_code == 302
    status = client.get(verified["Location"])
    assert "Marie-Ève Confidentielle" in status.text and "X-Cache" not in status
    cache.clear()
    for url in ("/fr/", french.url, french.get_parent().url):
        citizen_page = client.get(url)
        assert citizen_page.status_code == 200 and "X-Cache" not in citizen_page, url
        visitor_page = anonymous_get(url)
        assert visitor_page["X-Cache"] == "MISS", url  # nothing the citizen saw was stored
        assert "Marie-Ève Confidentielle" not in visitor_page.text
        assert "citoyenne.privee@example.org" not in visitor_page.text


def test_the_private_status_link_is_never_stored(answer_pair):
    from forms.defaults import install_default_request_types
    from forms.models import RequestType
    from forms.services import request_submit, status_token

    install_default_request_types()
    citizen_request, _ = request_submit(
        request_type=RequestType.objects.in_default_locale().get(slug="question"),
        data={
            "subject": "Question",
            "description": "Une question.",
            "email": "citoyen.prive@example.org",
            "name": "Jean Privé",
            "consent": True,
        },
    )
    url = f"/fr/suivi/{status_token(citizen_request)}/"
    for _ in range(2):
        page = anonymous_get(url)
        assert "Jean Privé" in page.text and "X-Cache" not in page


def test_the_vote_confirmation_is_never_stored_and_the_plain_url_never_thanks(client, answer_pair):
    french, _english = answer_pair
    warm(french.url)
    voted = client.post(f"/fr/utile/{french.pk}/", {"helpful": "yes"})
    thanks = client.get(voted["Location"])
    assert "vote=merci" in voted["Location"] and 'role="status"' in thanks.text
    assert "X-Cache" not in thanks
    for visitor in (client, Client()):  # the voter (visitor cookie) and anybody else
        plain = visitor.get(french.url)
        assert plain["X-Cache"] == "HIT" and 'role="status"' not in plain.text
    assert "X-Cache" not in anonymous_get(f"{french.url}?vote=merci")


def test_a_response_that_sets_a_messages_cookie_is_never_stored(answer_pair):
    french, _english = answer_pair

    def say_hello(page, request, serve_args, serve_kwargs):
        messages.info(request, "Bonjour, visiteur no 42")

    visitor = Client()
    with hooks.register_temporarily("before_serve_page", say_hello):
        response = visitor.get(french.url)
    assert "messages" in response.cookies and "X-Cache" not in response
    # The visitor now carries the messages cookie: never served from the cache.
    assert "X-Cache" not in visitor.get(french.url)
    assert anonymous_get(french.url)["X-Cache"] == "MISS"  # nothing was stored before


def test_a_page_with_a_view_restriction_is_never_stored(answer_pair):
    french, _english = answer_pair
    PageViewRestriction.objects.create(page=french, restriction_type="password", password="secret")
    for _ in range(2):
        response = anonymous_get(french.url)
        assert french.summary not in response.text and "X-Cache" not in response


def test_other_requests_bypass_the_cache(answer_pair):
    french, _english = answer_pair
    warm(french.url)
    visitor = Client()
    assert "X-Cache" not in visitor.get(f"{french.url}?utm_source=courriel")
    assert "X-Cache" not in visitor.post(french.url)
    visitor.cookies["sessionid"] = "quelque-chose"
    assert "X-Cache" not in visitor.get(french.url)


def test_the_cache_can_be_turned_off(answer_pair, settings):
    french, _english = answer_pair
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        assert "X-Cache" not in anonymous_get(french.url)


# --- the CDN: wagtail.contrib.frontend_cache, when WAGTAILFRONTENDCACHE names a backend ----------

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    """A CDN that remembers what it was asked to purge."""

    def purge(self, url):
        PURGED.append(url)


@pytest.fixture
def cdn(settings):
    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": f"{__name__}.RecordingBackend"}}
    PURGED.clear()
    yield PURGED
    PURGED.clear()


def test_the_cdn_is_purged_on_publish_move_delete_and_settings(answer_pair, service_page, cdn):
    french, english = answer_pair
    french_url, english_url = french.full_url, english.full_url
    french.save_revision().publish()
    assert french_url in cdn and french_url.replace("/fr/", "/en/", 1) in cdn  # in every language
    cdn.clear()
    french.move(service_page.get_parent(), pos="last-child")
    french.refresh_from_db()
    assert french_url in cdn and french.full_url in cdn  # where it was, where it is
    cdn.clear()
    department = Department.objects.get(pk=english.department_id)
    department.name = "Environment and Parks Department"
    department.save()
    assert english_url in cdn and service_page.full_url not in cdn  # only its pages
    cdn.clear()
    contact = ContactSettings.load()
    contact.phone = "418 555-9999"
    contact.save()
    assert {"http://testserver/fr/", english_url, service_page.full_url} <= set(cdn)  # every page
    cdn.clear()
    Page.objects.get(pk=english.pk).delete()
    assert english_url in cdn
