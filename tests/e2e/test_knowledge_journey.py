"""A citizen browses to an answer, says it helped, and switches to English — in a real browser."""

import pytest

from knowledge.models import HelpfulVote
from tests.e2e.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_home_topic_answer_vote_and_switch_to_english(live_server, page, answer_pair):
    french, english = answer_pair
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "fr-CA"
    page.get_by_role("link", name="Collectes", exact=True).click()
    page.get_by_role("link", name=french.title).click()
    assert page.get_by_role("heading", level=1).inner_text() == french.title
    page.get_by_role("button", name="Oui").click()
    assert page.get_by_role("status").is_visible()
    assert HelpfulVote.objects.filter(page=french, is_helpful=True).count() == 1
    screenshot(page, "answer-after-vote")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en-CA"
    assert page.get_by_role("heading", level=1).inner_text() == english.title
    screenshot(page, "answer-in-english")


def test_skip_link_moves_focus_to_the_main_content(live_server, page, answer_pair):
    page.goto(f"{live_server.url}/fr/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#main"
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("which", ["home", "topic", "answer", "service", "english-answer"])
def test_no_serious_accessibility_violation(live_server, page, answer_pair, service_page, which):
    french, english = answer_pair
    paths = {
        "home": "/fr/",
        "topic": french.get_parent().url,
        "answer": french.url,
        "service": service_page.url,
        "english-answer": english.url,
    }
    page.goto(f"{live_server.url}{paths[which]}")
    assert axe_violations(page) == []


def test_pages_work_without_javascript(live_server, no_js_page, answer_pair):
    french, _english = answer_pair
    no_js_page.goto(f"{live_server.url}{french.url}")
    no_js_page.get_by_role("button", name="Non").click()
    assert no_js_page.get_by_role("status").is_visible()
    assert HelpfulVote.objects.filter(page=french, is_helpful=False).exists()
