import pytest

from knowledge.models import HelpfulVote
from knowledge.votes import VISITOR_COOKIE, helpful_counts

pytestmark = pytest.mark.django_db


def vote_url(page):
    return f"/fr/utile/{page.pk}/"


def test_a_vote_is_stored_without_personal_data_and_thanks_the_visitor(client, answer_pair):
    french, _english = answer_pair
    response = client.post(vote_url(french), {"helpful": "yes"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    assert response["Location"] == f"{french.url}?vote=merci#helpful"
    vote = HelpfulVote.objects.get()
    assert vote.is_helpful is True
    stored = " ".join(str(value) for value in vote.__dict__.values())
    assert "203.0.113.9" not in stored and client.cookies[VISITOR_COOKIE].value not in stored
    page = client.get(response["Location"]).content.decode()
    assert 'role="status"' in page


def test_one_vote_per_visitor_per_page(client, answer_pair):
    french, english = answer_pair
    client.post(vote_url(french), {"helpful": "yes"})
    second = client.post(vote_url(french), {"helpful": "no"})
    assert "vote=deja" in second["Location"]
    client.post(vote_url(english), {"helpful": "no"})  # another page counts separately
    assert helpful_counts(french) == {"yes": 1, "no": 0}
    assert helpful_counts(english) == {"yes": 0, "no": 1}


def test_another_visitor_can_vote(client, answer_pair):
    from django.test import Client

    french, _english = answer_pair
    client.post(vote_url(french), {"helpful": "yes"})
    Client().post(vote_url(french), {"helpful": "no"})
    assert helpful_counts(french) == {"yes": 1, "no": 1}


def test_bad_votes_are_refused_with_a_4xx(client, answer_pair):
    french, _english = answer_pair
    assert client.post(vote_url(french), {"helpful": "maybe"}).status_code == 400
    assert client.get(vote_url(french)).status_code == 405
    assert client.post("/fr/utile/999999/", {"helpful": "yes"}).status_code == 404
    cross_site = client.post(vote_url(french), {"helpful": "yes"}, HTTP_ORIGIN="https://evil.example")
    assert cross_site.status_code == 400
    assert HelpfulVote.objects.count() == 0


def test_votes_on_unpublished_pages_are_refused(client, answer_pair):
    french, _english = answer_pair
    french.unpublish()
    assert client.post(vote_url(french), {"helpful": "yes"}).status_code == 404


def test_the_vote_form_works_without_javascript(client, answer_pair):
    french, _english = answer_pair
    html = client.get(french.url).content.decode()
    assert f'<form method="post" action="/fr/utile/{french.pk}/">' in html
    assert 'name="helpful" value="yes"' in html and 'name="helpful" value="no"' in html


def test_votes_without_cookies_are_limited_per_address(answer_pair, settings):
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "vote": (5, 3600)}
    french, _english = answer_pair
    # A script that drops the cookie is a new visitor at each POST: the address still counts.
    codes = [Client().post(vote_url(french), {"helpful": "yes"}).status_code for _ in range(20)]
    assert codes == [302] * 5 + [429] * 15
    assert helpful_counts(french) == {"yes": 5, "no": 0}
    refused = Client().post(vote_url(french), {"helpful": "yes"})
    assert "Trop de tentatives" in refused.text and french.url in refused.text
    other_address = Client().post(vote_url(french), {"helpful": "no"}, REMOTE_ADDR="198.51.100.7")
    assert other_address.status_code == 302
    cache.clear()
