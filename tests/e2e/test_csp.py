"""The Content-Security-Policy in a real browser: citizen pages, instant answers, the API docs and
the editors' userbar and admin run without a single violation."""

import re
from urllib.parse import urlsplit

import pytest

from forms.defaults import install_default_request_types
from tests.factories import SuperuserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-tres-long"


def watch(tab) -> list[str]:
    """Everything the page says in its console or throws: CSP violations are reported there."""
    messages: list[str] = []
    tab.on("console", lambda message: messages.append(message.text))
    tab.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    return messages


def problems(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or m.startswith("pageerror")]


def styled(tab) -> bool:
    """The site's stylesheet applies (a refused stylesheet leaves the header transparent)."""
    colour = tab.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    return colour not in ("", "transparent", "rgba(0, 0, 0, 0)")


@pytest.fixture
def indexed(answer_pair, service_page):
    from search.default_synonyms import default_synonyms_load
    from search.engines.database import DatabaseEngine
    from search.synonyms import synonyms_forget

    default_synonyms_load()
    DatabaseEngine.forget()
    synonyms_forget()
    yield answer_pair
    DatabaseEngine.forget()


@pytest.fixture
def request_types(transactional_db):
    install_default_request_types()


def test_the_browser_enforces_the_policy(live_server, page, portal):
    """The check below is meaningful: an inline script is refused and the refusal is heard."""
    messages = watch(page)
    page.goto(f"{live_server.url}/fr/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.inlineRan = true';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.inlineRan === undefined")
    assert any("Content Security Policy" in m for m in messages)


def test_citizen_pages_run_without_violation(live_server, page, indexed, request_types):
    french, english = indexed
    messages = watch(page)

    # Home: the instant answers script still fetches and shows suggestions.
    page.goto(f"{live_server.url}/fr/")
    assert styled(page)
    page.locator("#home-q").press_sequentially("collecte ordures", delay=30)
    first = page.locator(".instant-answers__item").first
    first.wait_for(state="visible")
    assert "collecte des ordures" in first.locator("a").inner_text()
    assert problems(messages) == [], "home"

    for path in [french.url, english.url, french.get_parent().url, "/fr/demande/", "/fr/suivi/"]:
        page.goto(f"{live_server.url}{path}")
        assert styled(page), path
        assert problems(messages) == [], path

    page.goto(f"{live_server.url}/fr/recherche/?q=collecte+des+ordures")
    assert page.locator(".result-list li").count() >= 1
    assert problems(messages) == [], "search results"

    # The request form: step 1 (live suggestions while typing), then step 2.
    page.goto(f"{live_server.url}/fr/demande/nid-de-poule/")
    page.get_by_label("Objet").press_sequentially("Nid-de-poule rue Principale", delay=20)
    page.wait_for_timeout(600)
    page.get_by_role("button", name="Continuer").click()
    page.locator("[name=email]").wait_for(state="visible")
    assert styled(page)
    assert problems(messages) == [], "request form"

    page.goto(f"{live_server.url}/fr/cette-page-nexiste-pas/")
    assert styled(page)
    assert problems(messages) == [], "404 page"


def test_api_docs_render_offline_under_the_policy(live_server, page):
    messages = watch(page)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(f"{live_server.url}/api/docs")
    page.locator(".opblock-summary").first.wait_for(state="visible")
    assert "/api/search/" in page.locator(".opblock-summary").first.inner_text()
    assert hosts == {urlsplit(live_server.url).netloc}
    assert problems(messages) == []


def test_editors_userbar_and_admin_run_without_violation(live_server, page, answer_pair, django_user_model):
    french, _english = answer_pair
    SuperuserFactory(username="redaction", password=PASSWORD)
    messages = watch(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "redaction")
    page.fill("#id_password", PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    # The userbar on a citizen page, under the strict policy: its menu opens and its checker runs.
    page.goto(f"{live_server.url}{french.url}")
    userbar = page.locator("wagtail-userbar")
    userbar.locator("[data-wagtail-userbar-trigger]").click()
    userbar.get_by_role("menuitem").first.wait_for(state="visible")
    page.wait_for_timeout(500)
    assert problems(messages) == [], "userbar"

    # The admin, under its own policy: the editor and its live preview.
    page.goto(f"{live_server.url}/admin/pages/{french.pk}/edit/")
    page.locator("[data-side-panel-toggle='preview']").first.click()
    page.frame_locator("iframe").first.locator("h1").wait_for(state="visible")
    assert problems(messages) == [], "page editor"
