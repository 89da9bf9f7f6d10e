"""A citizen searches in a real browser: instant answers, the search page without JavaScript, axe-core."""

import re

import pytest

from tests.e2e.conftest import axe_violations, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def answers(transactional_db, corpus):
    """The suite's search corpus (tests/conftest.py), in an index the live server builds afresh."""
    from search.engines.database import DatabaseEngine
    from search.synonyms import synonyms_forget

    DatabaseEngine.forget()
    synonyms_forget()
    yield
    DatabaseEngine.forget()


def test_instant_answers_on_the_home_page(live_server, page, answers):
    page.goto(f"{live_server.url}/fr/")
    page.locator("#home-q").press_sequentially("vidanges mardi", delay=30)
    first = page.locator(".instant-answers__item").first
    first.wait_for(state="visible")
    assert "collecte des ordures" in first.locator("a").inner_text()
    assert first.locator("mark").count() >= 1
    assert re.search(r"réponse", page.locator("[role=status]").inner_text())
    screenshot(page, "search-instant-answers")
    first.locator("a").click()
    page.wait_for_url(re.compile(r"/fr/collectes/"))
    assert "collecte des ordures" in page.locator("h1").inner_text()


def test_search_page_without_javascript(live_server, no_js_page, answers):
    no_js_page.goto(f"{live_server.url}/fr/")
    no_js_page.fill("#home-q", "deneigement")
    no_js_page.press("#home-q", "Enter")
    no_js_page.wait_for_url(re.compile(r"/fr/recherche/\?q=deneigement"))
    results = no_js_page.locator(".result-list li")
    assert results.count() >= 1
    assert "déneigement" in results.first.locator("mark").first.inner_text().lower()
    assert no_js_page.locator(".instant-answers").count() == 0
    results.first.locator("a").first.click()
    no_js_page.wait_for_url(re.compile(r"/fr/deneigement/"))


def test_search_page_and_empty_state_are_accessible(live_server, page, answers):
    page.goto(f"{live_server.url}/fr/recherche/?q=stationnement")
    assert page.locator(".result-list li").count() >= 1
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/fr/recherche/?q=zzzqqq+wxyvvv")
    assert page.locator(".empty-state").is_visible()
    screenshot(page, "search-empty-state")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/fr/")
    page.locator("#home-q").press_sequentially("stationnement", delay=20)
    page.locator(".instant-answers__item").first.wait_for(state="visible")
    assert axe_violations(page) == []
