"""Content-Security-Policy: strict on every citizen page (no inline script or style), looser in the admin.

Two halves: every kind of citizen page answers with the strict header and renders no inline
script, style or event handler; and no template or script of the citizen apps contains one, so a
page not visited here cannot break under the policy either.
"""

import re
from pathlib import Path

import pytest

from django.test import Client

from forms.defaults import install_default_request_types
from forms.models import RequestType
from forms.services import request_submit, status_token

ROOT = Path(__file__).resolve().parents[2]
CITIZEN_APPS = ["home", "knowledge", "search", "forms", "portal"]
INLINE_MARKERS = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'")
# Data blocks (JSON-LD, JSON) are never executed: CSP does not apply to them.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTRIBUTE = re.compile(r"""(?:^|\s)([^\s=/>"'{}%]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")

VALID_DATA = {
    "subject": "Nid-de-poule devant le 12, rue Principale",
    "description": "Un trou profond dans la voie de droite.",
    "email": "citoyenne@example.org",
    "name": "Marie Tremblay",
    "consent": True,
}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(response):
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    for name in ("script-src", "style-src", "default-src"):
        assert not set(INLINE_MARKERS) & set(directives.get(name, [])), (name, directives)
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'self'"]


def inline_code(html: str) -> list[str]:
    """What a strict policy blocks: inline scripts, <style>, style="" and on*="" attributes, javascript:."""
    found = []
    for match in TAG.finditer(html):
        name, attributes_text = match.group(1).lower(), match.group(2)
        # Attribute → value ("" when it has none, e.g. a word of a {% if %} inside the tag).
        attributes = {key.lower(): value.strip("\"'") for key, value in ATTRIBUTE.findall(attributes_text)}
        if name == "style":
            found.append(match.group(0))
        if name == "script" and "src" not in attributes and attributes.get("type") not in DATA_SCRIPT_TYPES:
            found.append(match.group(0))
        for key, value in attributes.items():
            handler = re.fullmatch(r"on[a-z]+", key) and value
            if key == "style" or handler or value.strip().lower().startswith("javascript:"):
                found.append(match.group(0))
    return found


def test_inline_code_finds_what_the_policy_blocks():
    assert inline_code('<div style="color: red">') and inline_code("<style>p{}</style>")
    assert inline_code("<script>alert(1)</script>") and inline_code('<button onclick="go()">')
    assert inline_code("<a href='javascript:go()'>") and inline_code("<img src=x onerror=go()>")
    assert not inline_code(
        '<script src="/static/a.js" defer></script><script type="application/ld+json">{}</script>'
    )
    assert not inline_code('<a href="/x" class="button" data-on="1">one=two</a><input name="online">')
    assert not inline_code('<p class="{% if x %}a{% endif %}" aria-label="{% translate \'Main menu\' %}">')
    assert not inline_code("<option{% if online %} selected{% endif %}>")


@pytest.fixture
def request_types(db):
    install_default_request_types()


@pytest.fixture
def citizen_request(request_types, settings, tmp_path):
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"
    pothole = RequestType.objects.in_default_locale().get(slug="nid-de-poule")
    created, _ = request_submit(request_type=pothole, data=VALID_DATA)
    return created


def citizen_pages(answer_pair, service_page, citizen_request):
    french, english = answer_pair
    token = status_token(citizen_request)
    return [
        ("get", "/fr/", {}, 200),
        ("get", "/en/", {}, 200),
        ("get", french.get_parent().url, {}, 200),  # topic
        ("get", french.url, {}, 200),  # answer, with the embedded request form
        ("get", english.url, {}, 200),
        ("get", service_page.url, {}, 200),
        ("get", "/fr/recherche/", {}, 200),
        ("get", "/fr/recherche/", {"q": "collecte ordures"}, 200),  # results
        ("get", "/fr/recherche/", {"q": "zzzqqq wxyvvv"}, 200),  # no result: the empty state
        ("get", "/fr/demande/", {}, 200),  # request form: choose a type
        ("get", "/fr/demande/nid-de-poule/", {}, 200),  # step 1
        ("post", "/fr/demande/nid-de-poule/", {"step": "describe", "subject": "Un trou"}, 200),  # step 2
        ("get", f"/fr/demande/confirmation/{token}/", {}, 200),
        ("get", "/fr/suivi/", {}, 200),  # status lookup
        ("get", "/fr/suivi/", {"reference": citizen_request.reference}, 200),
        ("get", f"/fr/suivi/{token}/", {}, 200),  # private status link
        ("get", "/fr/cette-page-nexiste-pas/", {}, 404),
        ("put", "/fr/demande/nid-de-poule/", {}, 405),
        ("get", "/fr/", {"headers": {"host": "evil.example"}}, 400),
    ]


def fetch(client, method, path, data):
    if "headers" in data:
        return getattr(client, method)(path, headers=data["headers"])
    return getattr(client, method)(path, data)


def test_every_citizen_page_has_the_strict_policy_and_no_inline_code(
    client, answer_pair, service_page, citizen_request
):
    for method, path, data, status in citizen_pages(answer_pair, service_page, citizen_request):
        response = fetch(client, method, path, data)
        assert response.status_code == status, (method, path, data)
        assert_strict(response)
        assert inline_code(response.content.decode()) == [], (method, path)


def test_the_request_form_with_errors_has_the_strict_policy(client, request_types, portal):
    step_two = client.post("/fr/demande/nid-de-poule/", {"step": "describe", "subject": "Un trou"})
    token = re.search(r'name="submission_token" value="([^"]+)"', step_two.text).group(1)
    response = client.post("/fr/demande/nid-de-poule/", {"subject": "Un trou", "submission_token": token})
    assert response.status_code == 400 and 'role="alert"' in response.text  # shown again, with its errors
    assert_strict(response)
    assert inline_code(response.content.decode()) == []


def test_csrf_failure_page_has_the_strict_policy(portal):
    response = Client(enforce_csrf_checks=True).post("/fr/suivi/", {"reference": "x", "contact": "x"})
    assert response.status_code == 403
    assert_strict(response)
    assert inline_code(response.content.decode()) == []


def test_editors_keep_the_strict_policy_and_the_userbar_has_no_inline_code(client, admin_user, answer_pair):
    """The userbar's scripts and styles are files: an editor reading the site is as protected as anyone."""
    client.force_login(admin_user)
    response = client.get(answer_pair[0].url)
    html = response.content.decode()
    assert "wagtail-userbar" in html
    assert_strict(response)
    assert inline_code(html) == []


def test_the_admin_gets_its_own_looser_policy_and_no_other_host(client, admin_user, answer_pair):
    client.force_login(admin_user)
    for path in ["/admin/", f"/admin/pages/{answer_pair[0].pk}/edit/", "/admin/login/"]:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        directives = policy(response)
        assert "'unsafe-inline'" in directives["script-src"] and "'unsafe-inline'" in directives["style-src"]
        assert "'unsafe-eval'" not in directives["script-src"]
        assert directives["frame-ancestors"] == ["'self'"] and directives["object-src"] == ["'none'"]
        assert "http" not in response["Content-Security-Policy"]  # no Gravatar, no release check
    # The page preview (an admin URL shown in a frame of the admin) is framed by the admin only.
    assert "'self'" in policy(client.get("/admin/"))["frame-ancestors"]


def test_a_page_path_that_merely_contains_admin_is_strict(client, portal):
    assert_strict(client.get("/fr/recherche/", {"q": "/admin/"}))


def template_files():
    for app in CITIZEN_APPS:
        yield from sorted((ROOT / app / "templates").rglob("*.html"))


def script_files():
    for app in CITIZEN_APPS:
        yield from sorted((ROOT / app / "static").rglob("*.js"))


def test_no_citizen_template_has_inline_code():
    templates = list(template_files())
    assert len(templates) > 20
    problems = {
        str(path.relative_to(ROOT)): found for path in templates if (found := inline_code(path.read_text()))
    }
    assert problems == {}


# What a strict policy refuses to run, or what would bring inline code back from a script file.
BLOCKED_IN_SCRIPTS = re.compile(
    r"""\beval\s*\(|new\s+Function\s*\(|set(?:Timeout|Interval)\s*\(\s*["'`]|document\.write\s*\("""
    r"""|setAttribute\s*\(\s*["'](?:style|on\w+)["']|\.cssText\b|insertAdjacentHTML|<style|\sstyle=|\son\w+=["']"""
)


def test_no_citizen_script_relies_on_what_the_policy_blocks():
    scripts = list(script_files())
    assert any(path.name == "instant-answers.js" for path in scripts)
    problems = {
        str(path.relative_to(ROOT)): BLOCKED_IN_SCRIPTS.findall(path.read_text())
        for path in scripts
        if BLOCKED_IN_SCRIPTS.search(path.read_text())
    }
    assert problems == {}
