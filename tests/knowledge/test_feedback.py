"""After "No, this page did not help": what was missing, kept for the page's editors."""

import html

import pytest

from django.core.cache import cache
from django.test import Client

from knowledge.models import HelpfulVote
from knowledge.votes import missing_reasons

pytestmark = pytest.mark.django_db


def say_no(client, page):
    response = client.post(f"/fr/utile/{page.pk}/", {"helpful": "no"})
    assert response["Location"] == f"{page.url}?vote=non#helpful"
    return response


def test_no_asks_what_was_missing_then_offers_a_request(client, answer_pair):
    french, _english = answer_pair
    say_no(client, french)
    page = html.unescape(client.get(f"{french.url}?vote=non").content.decode())
    assert "Qu'est-ce qui manquait?" in page or "Qu’est-ce qui manquait?" in page
    assert f'action="/fr/utile/{french.pk}/manque/"' in page and 'value="outdated"' in page
    assert "N'écrivez pas votre nom" in page or "N’écrivez pas votre nom" in page
    response = client.post(
        f"/fr/utile/{french.pk}/manque/",
        {
            "reason": "outdated",
            "comment": "Le tarif a changé. Écrivez-moi à marie@example.org, 418 555-0123.",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{french.url}?vote=raison#helpful"
    vote = HelpfulVote.objects.get()
    assert vote.reason == "outdated" and "Le tarif a changé" in vote.comment
    assert "marie@example.org" not in vote.comment and "555-0123" not in vote.comment
    thanks = client.get(response["Location"]).content.decode()
    assert 'href="#requests-embedded-heading"' in thanks and 'id="requests-embedded-heading"' in thanks
    assert missing_reasons(french) == {"outdated": 1}


def test_the_reason_is_given_once_and_only_after_no(client, answer_pair):
    french, english = answer_pair
    say_no(client, french)
    client.post(f"/fr/utile/{french.pk}/manque/", {"reason": "unclear"})
    client.post(f"/fr/utile/{french.pk}/manque/", {"reason": "outdated"})  # a second answer changes nothing
    assert HelpfulVote.objects.get().reason == "unclear"
    client.post(f"/fr/utile/{english.pk}/", {"helpful": "yes"})
    client.post(f"/fr/utile/{english.pk}/manque/", {"reason": "unclear"})  # "yes" has no reason
    assert HelpfulVote.objects.get(page=english).reason == ""


def test_a_refused_reason_keeps_the_comment_and_says_why(client, answer_pair):
    french, _english = answer_pair
    say_no(client, french)
    response = client.post(
        f"/fr/utile/{french.pk}/manque/", {"reason": "other", "comment": "Mon texte à moi"}
    )
    assert response.status_code == 400
    assert "Mon texte à moi" in response.content.decode()
    assert not HelpfulVote.objects.exclude(reason="").exists()
    # Without the vote's cookie (a script): refused, with a message.
    stranger = Client().post(f"/fr/utile/{french.pk}/manque/", {"reason": "unclear"})
    assert stranger.status_code == 400


def test_reasons_are_rate_limited(answer_pair, settings):
    cache.clear()
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "vote": (3, 3600)}
    french, _english = answer_pair
    client = Client()
    say_no(client, french)
    codes = [
        client.post(f"/fr/utile/{french.pk}/manque/", {"reason": "unclear"}).status_code for _ in range(4)
    ]
    assert codes[-1] == 429


def test_editors_see_reasons_and_comments_in_the_votes_report(client, answer_pair, admin_user):
    french, _english = answer_pair
    say_no(client, french)
    client.post(
        f"/fr/utile/{french.pk}/manque/", {"reason": "not_my_situation", "comment": "Et pour un condo?"}
    )
    editor = Client()
    editor.force_login(admin_user)
    report = html.unescape(editor.get("/admin/reports/knowledge/votes/").content.decode())
    assert "Et pour un condo?" in report
    assert "Elle ne couvre pas ma situation (1)" in report


def test_a_page_most_voters_found_unhelpful_is_due_for_review(client, answer_pair, admin_user):
    french, english = answer_pair  # both reviewed today: not due by their date
    editor = Client()
    editor.force_login(admin_user)
    review = "/admin/reports/knowledge/"
    assert french.title not in html.unescape(editor.get(review).content.decode())
    for number in range(5):
        Client().post(f"/fr/utile/{french.pk}/", {"helpful": "no" if number else "yes"})
        Client().post(f"/fr/utile/{english.pk}/", {"helpful": "yes"})
    page = html.unescape(editor.get(review).content.decode())
    assert french.title in page and "1 sur 5" in page
    assert english.title not in page  # found helpful: not flagged
