"""Real-browser fixtures: Debian's Chromium driven by Playwright, axe-core for accessibility.

Use with pytest-django's `live_server`; mark tests with `pytest.mark.e2e`.
"""

import datetime
import os
from pathlib import Path

import pytest

from django.utils import timezone

from forms.models import Status
from tests.factories import CitizenRequestFactory, SuperuserFactory

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "tmp" / "test-output" / "screenshots"
STAFF_PASSWORD = "mot-de-passe-long-123"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `bash tests/services/chromium.sh`")
    # Playwright's sync API runs an event loop in this thread from here to its end: Django's guard
    # then refuses the ORM calls the tests make between browser steps, which are synchronous and
    # safe. The flag is set while that loop runs, and only then (not for a session without it).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-CA", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(locale="fr-CA", java_script_enabled=False)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def pothole_request_setup(transactional_db, portal, settings, tmp_path):
    """What the journeys' request needs: the live server's database, the portal, a private root."""
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def resolved_request(pothole_request_setup):
    """Marie Tremblay's pothole request, resolved by staff (« Réparé. »)."""
    return CitizenRequestFactory(
        statuses=[Status.RESOLVED], actor=SuperuserFactory(password=STAFF_PASSWORD), note="Réparé."
    )


@pytest.fixture
def late_request(pothole_request_setup):
    """The same request, in progress, submitted two weeks ago and expected last week: late today."""
    return CitizenRequestFactory(
        status=Status.IN_PROGRESS,
        days_ago=14,
        expected_on=timezone.localdate() - datetime.timedelta(days=7),
    )


def submit(tab, button) -> None:
    """Clicks a button that posts a form and waits for the page the server answers with.

    The live server has then finished the request and its after-commit work (e-mails), so the
    test's own queries never race it on the shared in-memory SQLite database, whose table locks
    do not wait.
    """
    with tab.expect_navigation():
        button.click()


def screenshot(tab, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(tab, impacts=("serious", "critical")) -> list[dict]:
    """Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the current page."""
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: run `bash tests/services/chromium.sh`")
    # Evaluated, not injected as a <script>: the Content-Security-Policy refuses inline scripts.
    tab.evaluate(AXE_SCRIPT.read_text())
    result = tab.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
