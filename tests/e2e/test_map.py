"""The map of open requests in a real browser: Leaflet draws every request (clustered) without a
tile server, under the Content-Security-Policy, axe-core clean; without JavaScript the list is the
page. And the handle view's map in the admin."""

import re

import pytest

from django.urls import reverse
from django.utils import translation

from forms.defaults import install_default_request_types
from forms.models import CitizenRequest, RequestType, Status
from forms.services import request_submit
from knowledge.addresses import addresses_import_text
from tests.e2e.conftest import axe_violations, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "mot-de-passe-tres-long"

REGISTRY = """civic_number,suffix,street,postal_code,latitude,longitude
12,,Rue des Érables,G1A 1A1,46.812345,-71.204321
14,,Rue des Érables,G1A 1A1,46.812400,-71.204400
300,,Rue des Érables,G1A 1A1,46.833333,-71.211111
20,,Avenue du Parc,G1A 1A2,46.840987,-71.220654
500,,Rang Saint-Charles,G1A 1A3,46.870000,-71.260000
"""
# slug, address, status: six open requests (two on the same block) and one resolved.
REQUESTS = [
    ("nid-de-poule", "12 rue des Érables", Status.SUBMITTED),
    ("nid-de-poule", "14 rue des Érables", Status.IN_PROGRESS),
    ("nid-de-poule", "300 rue des Érables", Status.RECEIVED),
    ("lampadaire", "20 avenue du Parc", Status.SUBMITTED),
    ("lampadaire", "500 rang Saint-Charles", Status.WAITING),
    ("collecte-manquee", "500 rang Saint-Charles", Status.SUBMITTED),
    ("nid-de-poule", "20 avenue du Parc", Status.RESOLVED),
]
OPEN_COUNT = 6
DATA = {
    "subject": "Sujet privé",
    "description": "Description privée.",
    "name": "Jeanne Secrète",
    "email": "jeanne.secrete@example.org",
    "phone": "",
    "consent": True,
}


@pytest.fixture
def open_requests(transactional_db, portal, settings, tmp_path):
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"
    install_default_request_types()
    assert addresses_import_text(REGISTRY).errors == []
    created = []
    for slug, address, status in REQUESTS:
        request_type = RequestType.objects.in_default_locale().get(slug=slug)
        citizen_request, _ = request_submit(request_type=request_type, data={**DATA, "address": address})
        CitizenRequest.objects.filter(pk=citizen_request.pk).update(status=status)
        created.append(citizen_request)
    assert CitizenRequest.objects.filter(latitude__isnull=False).count() == len(REQUESTS)
    return created


def map_url(live_server, language="fr") -> str:
    with translation.override(language):
        return live_server.url + reverse("requests:map")


def watch(tab) -> list[str]:
    """Errors and warnings in the console (CSP violations are reported there), thrown errors, and
    the files the page asked for in vain (but the browser's own favicon request)."""
    messages: list[str] = []

    def on_console(message):
        if message.type in ("error", "warning") and not message.text.startswith("Failed to load resource"):
            messages.append(message.text)

    def on_response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            messages.append(f"{response.status} {response.url}")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    tab.on("response", on_response)
    return messages


def requests_drawn(tab) -> int:
    """The requests the map shows: single markers plus the count each cluster says."""
    tab.wait_for_selector(".request-map .leaflet-marker-icon")
    return tab.evaluate(
        "() => { const icons = Array.from(document.querySelectorAll('.request-map .leaflet-marker-icon'));"
        " return icons.reduce((sum, icon) => sum + (icon.classList.contains('marker-cluster')"
        " ? parseInt(icon.querySelector('span[aria-hidden]').textContent, 10) : 1), 0); }"
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_markers_render_without_tiles_and_pass_axe(live_server, page, open_requests, language):
    messages = watch(page)
    page.goto(map_url(live_server, language))
    assert page.locator("#request-map").is_visible()
    assert requests_drawn(page) == OPEN_COUNT
    assert page.locator(".request-map .leaflet-tile").count() == 0  # no tile server in the tests
    # A cluster says how many requests it holds; a single marker's name is its type, status and date.
    clusters = page.locator(".request-map .marker-cluster")
    for cluster_name in clusters.all_text_contents():
        assert re.match(r"(\d+)\1 \w", cluster_name), cluster_name  # « 3 » shown, « 3 … » said
    singles = page.locator(".request-map img.leaflet-marker-icon")
    for _zoom in range(8):
        if singles.count():
            break
        page.locator(".request-map .leaflet-control-zoom-in").click()
        page.wait_for_timeout(400)
    names = singles.evaluate_all("icons => icons.map(icon => icon.alt)")
    assert names and all(" — " in name for name in names), names
    # A marker opens its popup: the type and status, nothing the citizen wrote.
    page.locator(".request-map img.leaflet-marker-icon").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "privé" not in popup.inner_text() and "Jeanne" not in page.content()
    screenshot(page, f"request-map-{language}")
    assert axe_violations(page) == []
    assert messages == []


def test_clusters_split_when_zooming_in(live_server, page, open_requests):
    page.goto(map_url(live_server))
    assert requests_drawn(page) == OPEN_COUNT
    page.set_viewport_size({"width": 420, "height": 800})  # a phone: the markers crowd
    page.reload()
    before = page.locator(".request-map .leaflet-marker-icon").count()
    page.locator(".request-map .leaflet-control-zoom-in").click()
    page.locator(".request-map .leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)
    assert requests_drawn(page) == OPEN_COUNT
    assert page.locator(".request-map .leaflet-marker-icon").count() >= before


def test_without_javascript_the_list_is_the_page(live_server, no_js_page, open_requests):
    no_js_page.goto(map_url(live_server, "en"))
    assert not no_js_page.locator("#request-map").is_visible()
    assert no_js_page.locator("table.request-map-list__table").count() == 3
    assert no_js_page.locator("tr[data-status]").count() == OPEN_COUNT
    assert no_js_page.get_by_role("table", name=re.compile("Pothole: 3 open requests")).is_visible()
    # The filter works as a plain form.
    no_js_page.select_option("#request-map-type", "lampadaire")
    with no_js_page.expect_navigation():
        no_js_page.get_by_role("button", name="Show").click()
    assert no_js_page.locator("tr[data-status]").count() == 2
    screenshot(no_js_page, "request-map-no-js")
    # axe-core needs JavaScript: the same page in a context that runs it, without the map's script.
    context = no_js_page.context.browser.new_context(locale="fr-CA")
    try:
        checked = context.new_page()
        checked.route("**/request-map.js", lambda route: route.abort())
        checked.goto(no_js_page.url)
        assert not checked.locator("#request-map").is_visible()
        assert axe_violations(checked) == []
    finally:
        context.close()


def test_the_handle_view_shows_the_request_on_a_map(live_server, page, open_requests, django_user_model):
    django_user_model.objects.create_superuser("direction", "direction@example.org", PASSWORD)
    messages = watch(page)
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "direction")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/$"))
    first = open_requests[0]
    page.goto(live_server.url + reverse("requests_queue:edit", args=[first.pk]))
    page.wait_for_selector(".request-map .leaflet-marker-icon")
    # This request and the one on the same block (10 m away); the others are farther than 300 m.
    assert page.locator(".request-map img.leaflet-marker-icon").count() == 2
    assert "46.812345" in page.locator("[data-coordinates]").inner_text()
    assert page.locator("[data-nearby-staff] a").all_inner_texts() == [open_requests[1].reference]
    page.locator("[data-request-location]").scroll_into_view_if_needed()
    screenshot(page, "request-map-handle")
    assert [m for m in messages if "Content Security Policy" in m or m.startswith("pageerror")] == []
