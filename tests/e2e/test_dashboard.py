"""« Tableau de bord » in a real browser: the charts render (Chart.js from the static file, data
from json_script, no inline script), nothing in the console, axe-core clean, in the light and
dark themes of the admin and on a phone. And « Nos délais » without JavaScript."""

import re
from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone, translation

from wagtail.users.models import UserProfile

from forms.defaults import install_default_request_types
from forms.demo import demo_history_create
from search.models import ClickLog
from tests.e2e.conftest import axe_violations, screenshot
from tests.factories import QueryLogFactory, SuperuserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "mot-de-passe-tres-long"


@pytest.fixture
def history(transactional_db, portal, answer_pair, django_user_model, settings, tmp_path):
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"
    install_default_request_types()
    admin = SuperuserFactory(username="direction", password=PASSWORD)
    demo_history_create(120)
    french, _english = answer_pair
    now = timezone.now()
    for day in range(20):
        for index, (query, results) in enumerate((("collecte ordures", 3), ("piscine hors terre", 0))):
            log = QueryLogFactory(
                query=query,
                results_count=results,
                session_digest=f"{day:02d}{index:014d}",
                at=now - timedelta(days=day),
            )
            if results and day % 2:
                ClickLog.objects.create(query_log=log, page_id=french.pk, position=1)
    return admin


def sign_in(page, live_server):
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "direction")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/$"))


def charts_drawn(page) -> list[str]:
    """The figures whose canvas Chart.js has drawn."""
    page.wait_for_function("document.querySelectorAll('canvas[data-figure]').length > 0")
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('canvas[data-figure]'))"
        ".filter(c => window.Chart && window.Chart.getChart(c) && c.width > 0 && c.height > 0)"
        ".map(c => c.dataset.figure)"
    )


def open_dashboard(page, live_server, errors):
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server)
    assert page.locator("a[href='/admin/requests/dashboard/']").count() >= 1  # the menu item
    page.goto(live_server.url + "/admin/requests/dashboard/?period=365")
    page.wait_for_load_state("networkidle")


def test_dashboard_charts_render_without_errors_and_pass_axe(live_server, page, history):
    errors: list[str] = []
    open_dashboard(page, live_server, errors)
    drawn = charts_drawn(page)
    expected = {
        "figure-searches-data",
        "figure-zero-results-data",
        "figure-deflection-data",
        "figure-requests-data",
        "figure-departments-data",
        "figure-delays-data",
        "figure-satisfaction-data",
    }
    assert expected <= set(drawn), drawn
    # The data table of a chart opens and holds its rows.
    page.locator("details.dashboard-figure__data summary").first.click()
    assert page.locator("details.dashboard-figure__data[open] tbody tr").count() >= 1
    screenshot(page, "dashboard")
    assert axe_violations(page) == [], "dashboard"
    assert errors == []


def test_dashboard_in_dark_mode_and_on_a_phone(live_server, browser, history):
    profile = UserProfile.get_for_user(history)
    profile.theme = "dark"
    profile.save()
    context = browser.new_context(locale="fr-CA", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    try:
        open_dashboard(page, live_server, errors)
        assert page.evaluate("document.documentElement.classList.contains('w-theme-dark')")
        assert len(charts_drawn(page)) >= 5
        # The page does not scroll sideways: wide tables scroll inside their box.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        screenshot(page, "dashboard-dark-phone")
        assert axe_violations(page) == [], "dashboard, dark theme, phone"
        assert errors == []
    finally:
        context.close()


def test_delays_page_works_without_javascript_and_passes_axe(live_server, no_js_page, history):
    with translation.override("fr"):
        url = reverse("requests:delays")
    no_js_page.goto(live_server.url + url)
    assert no_js_page.locator("table caption").count() == 1
    assert no_js_page.locator("tbody tr").count() >= 5
    screenshot(no_js_page, "delays")
    assert axe_violations_without_js(no_js_page) == []


def axe_violations_without_js(tab):
    """axe-core needs JavaScript: the same page is checked again in a context that runs it."""
    context = tab.context.browser.new_context(locale="fr-CA")
    checked = context.new_page()
    try:
        checked.goto(tab.url)
        return axe_violations(checked)
    finally:
        context.close()
