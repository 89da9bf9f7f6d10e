"""The search page (works without JavaScript, on either engine), result clicks and the editors' report."""

import pytest

from knowledge.models import TopicPage
from search.models import ClickLog, QueryLog

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("each_engine")
def test_french_and_english_urls(client, corpus):
    assert client.get("/fr/recherche/", {"q": "piscine"}).status_code == 200
    assert client.get("/en/search/", {"q": "garbage"}).status_code == 200


@pytest.mark.usefixtures("each_engine")
def test_results_with_highlight_and_click_tracking(client, corpus):
    response = client.get("/fr/recherche/", {"q": "deneigement"})
    html = response.content.decode()
    assert "Stationnement de nuit pendant le <mark>déneigement</mark>" in html
    assert "/fr/recherche/clic/?" in html
    log = QueryLog.objects.get()
    click = client.get(
        f"/fr/recherche/clic/?log={log.pk}&page={response.context['results'][0]['hit'].id}&pos=1"
    )
    assert click.status_code == 302 and click["Location"].startswith("/fr/")
    assert ClickLog.objects.get().query_log == log


def test_click_on_unknown_page_goes_back_to_search(client, corpus):
    response = client.get("/fr/recherche/clic/?page=999999&pos=1")
    assert response.status_code == 302 and response["Location"] == "/fr/recherche/"


@pytest.mark.usefixtures("each_engine")
def test_did_you_mean(client, corpus):
    html = client.get("/fr/recherche/", {"q": "piscinne"}).content.decode()
    assert "Vouliez-vous dire" in html and "?q=piscine" in html


@pytest.mark.usefixtures("each_engine")
def test_topic_filter_and_pagination(client, corpus):
    topic = TopicPage.objects.get(title="Collectes")
    response = client.get(
        "/fr/recherche/", {"q": "collecte ordures écocentre stationnement", "topic": topic.pk}
    )
    assert {item["hit"].source_id for item in response.context["results"]} <= {"col-fr", "rec-fr", "eco-fr"}
    assert client.get("/fr/recherche/", {"q": "piscine", "page": "abc"}).status_code == 200
    assert client.get("/fr/recherche/", {"q": "piscine", "page": "99999", "topic": "x"}).status_code == 200


@pytest.mark.usefixtures("each_engine")
def test_empty_state_helps(client, corpus):
    html = client.get("/fr/recherche/", {"q": "zzzqqq xxyyzz"}).content.decode()
    assert "Aucune réponse trouvée" in html
    assert "Collectes" in html  # suggested topics
    assert 'id="search-contact-heading"' in html  # the contact block, with its own ids
    assert "Posez votre question" in html


@pytest.mark.usefixtures("each_engine")
def test_bad_input_never_fails(client, corpus):
    for query in ["x" * 1000, "a\x00b", "%ff", "<script>alert(1)</script>"]:
        response = client.get("/fr/recherche/", {"q": query})
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()
    # Only a text longer than the 1,000 characters of the contract is refused, with a reason.
    response = client.get("/fr/recherche/", {"q": "x" * 10_000})
    assert response.status_code == 400
    assert "1000" in response.content.decode()
    assert client.get("/fr/recherche/?q=%ff%fe").status_code == 200


def test_admin_report_of_queries(admin_client, corpus):
    client_searches = ["piscine", "piscine", "zzzqqq"]
    from search.entry import search_pages

    for query in client_searches:
        search_pages(query, language="fr")
    response = admin_client.get("/admin/reports/search-queries/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "zzzqqq" in html and "piscine" in html


def test_synonyms_are_a_snippet(admin_client, portal, default_synonyms):
    response = admin_client.get("/admin/snippets/search/synonym/?q=vidanges")
    assert response.status_code == 200
    assert "ordures" in response.content.decode()
