"""Hostile input on every public endpoint: never a 500; bad input gets a 4xx and a message in the
language of the URL (French under /fr/, English under /en/), in the site's layout."""

import html
import re
import secrets

import pytest

from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation
from django.views.defaults import permission_denied

from forms.defaults import install_default_request_types
from forms.models import CitizenRequest
from forms.services import STATUS_LINK_SALT, status_token
from search.engines.database import DatabaseEngine
from search.entry import promotions_forget
from search.synonyms import synonyms_forget

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
HOSTILE_TEXT = {
    "nul": "a\x00b",
    "control": "\x01\x07\x1b[31m\x7f\x9b",
    "long": "x" * 10_000,
    "rtl-emoji-combining": "\u202eتجربة 🚮🇨🇦 e\u0301\u0301\u0301 \ufeff",
    "sql": "' OR 1=1; DROP TABLE wagtailcore_page; --",
    "html": SCRIPT + '"><img src=x onerror=alert(1)>',
    "empty": "",
    "spaces": " \t\n ",
}
HOSTILE_NUMBERS = "-1 0 abc 1e9 99999999999999999999 -99999999999999999999 ١٢ 0x10 NaN".split()
# Raw query strings: the test client would encode these itself if given as data.
RAW_QUERIES = ["%ff%fe", "%ED%A0%80", "%00", "%", "%zz", "=%ff", "&&&", "a=1&a=2&a=%ff"]

ANSWER = "{answer_url}"

# (path, parameter) read from the query string of a GET.
GET_PARAMETERS = [
    ("/fr/", "q"),
    ("/fr/recherche/", "q"),
    ("/en/search/", "q"),
    ("/fr/recherche/", "page"),
    ("/fr/recherche/", "topic"),
    ("/fr/recherche/clic/", "page"),
    ("/fr/recherche/clic/", "log"),
    ("/fr/recherche/clic/", "pos"),
    ("/api/search/", "q"),
    ("/api/search/", "lang"),
    ("/api/search/", "limit"),
    ("/fr/demande/", "q"),
    ("/fr/demande/nid-de-poule/", "subject"),
    ("/fr/demande/nid-de-poule/", "suite"),
    ("/fr/demande/suggestion/{answer_id}/", "q"),
    ("/fr/suivi/", "reference"),
    ("/en/status/", "reference"),
    (ANSWER, "vote"),
    ("/sitemap.xml", "p"),
    ("/sitemap-fr.xml", "p"),
    ("/robots.txt", "q"),
]

VALID_REQUEST = {
    "subject": "Nid-de-poule",
    "description": "Un trou profond.",
    "address": "12, rue Principale",
    "occurred_on": "2026-11-20",
    "name": "Marie Tremblay",
    "email": "citoyenne@example.org",
    "phone": "418 555-0123",
    "consent": "on",
    "page": "",
    "submission_token": "replaced by a fresh one",
}
# (path, valid form data) of a POST; each field in turn gets each hostile value.
POST_FORMS = [
    ("/fr/demande/nid-de-poule/", {"step": "describe", "subject": "Un trou", "description": "x", "page": ""}),
    ("/fr/demande/suggestions/", {"q": "collecte", "type": "question"}),
    ("/fr/demande/nid-de-poule/", VALID_REQUEST),
    ("/fr/suivi/", {"reference": "RAE-0000-0000-0", "contact": "citoyenne@example.org"}),
    ("/fr/suivi/ajout/", {"reference": "RAE-0000-0000-0", "text": "Voici la photo."}),
    ("/fr/suivi/reouvrir/", {"reference": "RAE-0000-0000-0", "reason": "Pas résolu."}),
    (
        "/fr/suivi/ombudsman/",
        {"reference": "RAE-0000-0000-0", "dissatisfaction": "Mal traité.", "expectation": "x"},
    ),
    ("/fr/sondage/abc/", {"resolved": "no", "delay_score": "3", "reopen": "on", "reopen_reason": "x"}),
    ("/fr/utile/{answer_id}/", {"helpful": "yes"}),
    ("/fr/demande/suggestion/{answer_id}/repondu/", {"q": "collecte"}),
    ("/i18n/setlang/", {"language": "en", "next": "/en/"}),
]

PATH_JUNK = [
    "/fr/%00/",
    "/fr/../../etc/passwd",
    "/fr/%2e%2e/%2e%2e/etc/passwd",
    "/fr/" + "x" * 10_000 + "/",
    "/fr/%ff%fe/",
    "/fr/\u202e🚮/",
    "/xx/",
    "/fr/demande/%00/",
    "/fr/demande/" + "x" * 5_000 + "/",
    "/fr/demande/confirmation/%ff/",
    "/fr/suivi/%00/",
    "/fr/suivi/%00/ajout/",
    "/fr/suivi/%00/reouvrir/",
    "/fr/suivi/%00/ombudsman/",
    "/fr/sondage/%00/",
    "/fr/sondage/" + "x" * 5_000 + "/",
    "/fr/suivi/" + "x" * 5_000 + "/ajout/",
    "/fr/utile/99999999999999999999/",
    "/fr/demande/suggestion/99999999999999999999/",
    "/fr/demande/suggestion/99999999999999999999/repondu/",
    "/fr/recherche/clic/?page=99999999999999999999&log=99999999999999999999",
    "/api/search/%00",
    "/api/nope/",
    "/documents/99999999999999999999/x.pdf",
    "/documents/1/..%2f..%2fsettings.py",
    "/sitemap-xx.xml",
    "/sitemap-%00.xml",
    "/static/../portal/settings/base.py",
]

PUBLIC_PATHS = [
    "/fr/",
    "/en/",
    ANSWER,
    "/fr/recherche/",
    "/fr/recherche/clic/",
    "/api/search/",
    "/fr/demande/",
    "/fr/demande/nid-de-poule/",
    "/fr/demande/suggestions/",
    "/fr/demande/suggestion/{answer_id}/",
    "/fr/demande/suggestion/{answer_id}/repondu/",
    "/fr/demande/confirmation/abc/",
    "/fr/suivi/",
    "/fr/suivi/abc/",
    "/fr/suivi/ajout/",
    "/fr/suivi/abc/ajout/",
    "/fr/suivi/reouvrir/",
    "/fr/suivi/abc/reouvrir/",
    "/fr/suivi/ombudsman/",
    "/fr/suivi/abc/ombudsman/",
    "/fr/sondage/abc/",
    "/fr/utile/{answer_id}/",
    "/i18n/setlang/",
    "/robots.txt",
    "/sitemap.xml",
    "/sitemap-fr.xml",
    "/api/docs",
    "/api/openapi.json",
]
# Our own views answer a method they do not handle with 405; Wagtail pages and Django's
# sitemap and robots views serve any method.
OWN_VIEWS = [
    path
    for path in PUBLIC_PATHS
    if path.startswith(("/fr/recherche", "/fr/demande", "/fr/suivi", "/fr/sondage"))
]

INVALID = {"fr": "Requête invalide", "en": "Invalid request"}
SITE_LAYOUT = 'class="site-header"'
NOT_A_REFERENCE = {"fr": "Ce n'est pas un numéro de référence", "en": "This is not a reference number"}


@pytest.fixture(autouse=True)
def fresh_state(settings):
    """An empty in-process index, as in a freshly started process, and no rate limit: each test
    sends more requests than a citizen would, and every one of them must reach the view."""
    settings.PORTAL_RATE_LIMITS = {scope: (0, 1) for scope in settings.PORTAL_RATE_LIMITS}
    cache.clear()
    DatabaseEngine.forget()
    synonyms_forget()
    promotions_forget()
    yield
    cache.clear()
    DatabaseEngine.forget()


@pytest.fixture
def site(answer_pair, service_page):
    """The portal with a French and English answer, a service and the request types."""
    install_default_request_types()
    answer = answer_pair[0]
    return {"answer_id": answer.pk, "answer_url": answer.url}


def url(path: str, site) -> str:
    return path.format(**site)


@pytest.fixture
def send(site):
    """Sends requests and lists those answered with a 5xx or with a script left unescaped.

    The client does not raise, so that one run lists every failure (tracebacks are in the log).
    """
    client = Client(raise_request_exception=False)

    def send_all(method: str, requests) -> list[str]:
        failures = []
        for path, data, extra in requests:
            response = getattr(client, method)(url(path, site), data, **extra)
            if response.status_code >= 500 or SCRIPT.encode() in response.content:
                failures.append(f"{method.upper()} {path[:80]} {str(data)[:80]} → {response.status_code}")
        return failures

    return send_all


def assert_message(response, status: int, *texts: str):
    assert response.status_code == status, response.content[:500]
    body = html.unescape(response.content.decode())
    for text in texts:
        assert text in body, f"{text!r} not in the {status} page"


HOSTILE_VALUES = [*HOSTILE_TEXT.values(), *HOSTILE_NUMBERS, ["1", "-1", "x" * 300, SCRIPT]]  # last: repeated


@pytest.mark.parametrize("path, parameter", GET_PARAMETERS)
def test_hostile_query_parameter(send, path, parameter):
    requests = [(path, {parameter: value}, {}) for value in HOSTILE_VALUES]
    requests += [(f"{path}?{parameter}={raw}&page={raw}", None, {}) for raw in RAW_QUERIES]
    assert send("get", requests) == []


def with_fresh_token(data: dict) -> dict:
    """Its own submission token, or the request form answers with the first request's confirmation."""
    return data | {"submission_token": secrets.token_urlsafe(24)} if "submission_token" in data else data


@pytest.mark.parametrize("path, valid", POST_FORMS)
def test_hostile_form_field(send, path, valid):
    requests = [
        (path, with_fresh_token(valid) | {field: value}, {}) for field in valid for value in HOSTILE_VALUES
    ]
    assert send("post", requests) == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_path_junk(send, method):
    assert send(method, [(path, None, {}) for path in PATH_JUNK]) == []


@pytest.mark.parametrize("method", ["put", "delete", "patch", "options", "head"])
def test_other_methods_never_fail(send, method):
    body, extra = (None, {}) if method == "head" else ("x=1", {"content_type": "text/plain"})
    assert send(method, [(path, body, extra) for path in PUBLIC_PATHS]) == []


@pytest.mark.parametrize("path", OWN_VIEWS)
def test_own_views_answer_unknown_methods_with_405(client, site, path):
    for method in ("put", "delete", "patch"):
        assert getattr(client, method)(url(path, site)).status_code == 405, method


WRONG_BODIES = [
    ("application/json", b'{"q": "\\u0000", "subject": [1, 2]}'),
    ("application/json", b"{not json"),
    ("multipart/form-data", b"--x\r\n"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data\r\n\r\njunk"),
    ("application/x-www-form-urlencoded", b"subject=%ff%fe&q=%00&reference=%"),
    ("text/xml", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'a'>]><x>&a;</x>"),
]


@pytest.mark.parametrize("content_type, body", WRONG_BODIES)
def test_wrong_content_type(send, content_type, body):
    requests = [(path, body, {"content_type": content_type}) for path in PUBLIC_PATHS]
    assert send("post", requests) == []


@pytest.mark.parametrize("path", ["/fr/demande/nid-de-poule/", "/fr/suivi/", "/fr/utile/{answer_id}/"])
def test_oversized_body_is_refused_with_a_message(client, site, path):
    response = client.post(
        url(path, site), "subject=" + "x" * 3_000_000, content_type="application/x-www-form-urlencoded"
    )
    assert_message(response, 400, INVALID["fr"], SITE_LAYOUT)


@pytest.mark.parametrize("path", ["/fr/demande/nid-de-poule/", "/en/status/"])
def test_too_many_fields_is_refused_with_a_message(client, site, path):
    response = client.post(
        url(path, site),
        "&".join(f"f{n}=1" for n in range(10_001)),
        content_type="application/x-www-form-urlencoded",
    )
    assert_message(response, 400, INVALID[path[1:3]], SITE_LAYOUT)


# --- Messages in the language of the page ----------------------------------------------------


@pytest.mark.parametrize(
    "path, text",
    [
        ("/fr/suivi/?reference=" + "%00" * 3, "Le caractère nul n’est pas autorisé"),
        ("/fr/suivi/?reference=RAE-' OR 1=1 --", NOT_A_REFERENCE["fr"]),
        ("/en/status/?reference=RAE-' OR 1=1 --", NOT_A_REFERENCE["en"]),
        (
            "/fr/suivi/?reference=" + "x" * 10_000,
            "Assurez-vous que cette valeur comporte au plus 40 caractères",
        ),
        ("/en/status/?reference=" + "x" * 10_000, "Ensure this value has at most 40 characters"),
    ],
)
def test_validation_errors_speak_the_language_of_the_page(client, site, path, text):
    assert_message(client.get(path), 400, text)


@pytest.mark.parametrize(
    "path, text",
    [
        ("/fr/demande/nid-de-poule/", "Le caractère nul n’est pas autorisé"),
        ("/en/request/nid-de-poule/", "Null characters are not allowed"),
    ],
)
def test_step_one_errors_speak_the_language_of_the_page(client, site, path, text):
    response = client.post(path, {"step": "describe", "subject": "a\x00b"})
    assert_message(response, 400, text, "a\ufffdb" if False else text)


def request_post(client, **fields) -> dict:
    """A complete pothole request, with the submission token of its form."""
    page = client.post("/fr/demande/nid-de-poule/", {"step": "describe", "subject": "Un trou"})
    token = re.search(r'name="submission_token" value="([^"]+)"', page.text).group(1)
    return client.post("/fr/demande/nid-de-poule/", VALID_REQUEST | {"submission_token": token} | fields)


def test_unusual_but_valid_text_is_kept_verbatim_and_shown_escaped(client, site):
    text = " ".join([HOSTILE_TEXT["rtl-emoji-combining"], HOSTILE_TEXT["sql"], SCRIPT])
    assert request_post(client, description=text).status_code == 302
    stored = CitizenRequest.objects.get()
    assert stored.description == text
    status = client.get(f"/fr/suivi/{status_token(stored)}/")
    assert SCRIPT not in status.text and "&lt;script&gt;" in status.text


def test_refused_request_keeps_what_was_typed(client, site):
    response = request_post(client, subject="Mon sujet à garder", description="a\x00b", page="x" * 10_000)
    assert_message(response, 400, "Mon sujet à garder", "Le caractère nul n’est pas autorisé")
    assert not CitizenRequest.objects.exists()


def test_mangled_source_page_never_blocks_the_request(client, site):
    """The hidden `page` field is a hint the citizen can neither see nor fix."""
    for page in ["abc", "-5", "99999999999999999999", "x" * 10_000]:
        step_two = client.post(
            "/fr/demande/nid-de-poule/", {"step": "describe", "subject": "Un trou", "page": page}
        )
        assert step_two.status_code == 200 and 'name="email"' in step_two.text, page
        assert request_post(client, page=page).status_code == 302, page
    assert CitizenRequest.objects.filter(source_page=None).count() == 4


def test_hostile_contact_on_a_real_reference(send, client, site):
    assert request_post(client).status_code == 302
    reference = CitizenRequest.objects.get().reference
    requests = [("/fr/suivi/", {"reference": reference, "contact": value}, {}) for value in HOSTILE_VALUES]
    assert send("post", requests) == []


def test_hostile_addition_on_a_real_request(send, client, site):
    """The citizen's additions form, reached through a real private link and after a confirmation."""
    assert request_post(client).status_code == 302
    stored = CitizenRequest.objects.get()
    link = f"/fr/suivi/{status_token(stored)}/ajout/"
    requests = [(link, {"text": value, "attachments": value}, {}) for value in HOSTILE_VALUES]
    requests += [(link, {"text": "Voici la photo.", "attachments": value}, {}) for value in HOSTILE_VALUES]
    assert send("post", requests) == []
    verified = Client(raise_request_exception=False)
    verified.post("/fr/suivi/", {"reference": stored.reference, "contact": VALID_REQUEST["email"]})
    for value in HOSTILE_VALUES:
        response = verified.post("/fr/suivi/ajout/", {"reference": stored.reference, "text": value})
        assert response.status_code in (302, 400) and SCRIPT.encode() not in response.content, value
    for value in HOSTILE_VALUES:
        response = verified.post("/fr/suivi/ajout/", {"reference": value, "text": "Voici la photo."})
        assert response.status_code in (403, 404), value
    assert CitizenRequest.objects.count() == 1


def test_hostile_review_request_on_a_resolved_request(send, client, site, admin_user):
    """The ombudsman form, on a real resolved request through its private link: refused or
    accepted, never a 5xx, never a script shown back unescaped."""
    from forms.models import Status
    from forms.services import request_change_status

    assert request_post(client).status_code == 302
    stored = CitizenRequest.objects.get()
    request_change_status(citizen_request=stored, status=Status.RESOLVED, actor=admin_user)
    link = f"/fr/suivi/{status_token(stored)}/ombudsman/"
    requests = [(link, {"dissatisfaction": value, "expectation": value}, {}) for value in HOSTILE_VALUES]
    assert send("post", requests) == []


def test_reference_with_junk_is_escaped(client, site):
    response = client.get("/fr/suivi/", {"reference": SCRIPT})
    assert_message(response, 400, NOT_A_REFERENCE["fr"])
    assert SCRIPT not in response.text and "&lt;script&gt;" in response.text


@pytest.mark.parametrize(
    "query, headers, text",
    [
        ("a%00b", {}, "La recherche contient des caractères de contrôle"),
        ("a%00b", {"Accept-Language": "en"}, "The query contains control characters"),
        ("", {"Accept-Language": "fr-CA,fr;q=0.9"}, "La recherche est vide"),
        ("", {"Accept-Language": "en-CA,en;q=0.9"}, "The query is empty"),
    ],
)
def test_api_errors_follow_the_browser_language(client, site, query, headers, text):
    response = client.get(f"/api/search/?q={query}", headers=headers)
    assert response.status_code == 400 and text in response.json()["error"]


def test_api_rejects_bad_limits_with_json(client, site):
    for limit in HOSTILE_NUMBERS:
        response = client.get("/api/search/", {"q": "collecte", "limit": limit})
        assert response.status_code == 400 and response.json()["error"], limit


# --- Private status links ---------------------------------------------------------------------


def forged_tokens():
    genuine = signing.dumps("RAE-0000-0000-0", salt=STATUS_LINK_SALT)
    return {
        "unsigned": "RAE-7K3Q-M9XD-4",
        "truncated": genuine[:-5],
        "junk-appended": genuine + "junk",
        "other-salt": signing.dumps("RAE-0000-0000-0", salt="other"),
        "unknown-reference": genuine,
        "long": "x" * 10_000,
        "colons": ":::",
    }


@pytest.mark.parametrize(
    "prefix, text",
    [
        ("/fr/suivi/", "Ce lien n'est pas valide"),
        ("/en/status/", "This link is not valid"),
        ("/fr/demande/confirmation/", "Ce lien n'est pas valide"),
    ],
)
def test_forged_status_link_says_so_in_the_page_language(client, site, prefix, text):
    for name, token in forged_tokens().items():
        response = client.get(prefix + token + "/")
        assert_message(response, 404, text, 'name="reference"')  # and offers the lookup form
        assert response.context.get("citizen_request") is None, name


# --- Headers ----------------------------------------------------------------------------------


HOSTILE_HEADERS = [
    {"Origin": "http://[::1"},
    {"Referer": "http://[x]/"},
    {"Origin": "null"},
    {"Accept-Language": "x" * 10_000},
    {"Accept-Language": "fr;q=abc, *;q=-1, \u202e"},
    {"Accept": SCRIPT},
    {"Cookie": "portal_visitor=" + "x" * 4_000 + "; sessionid=junk; csrftoken=%ff"},
    {"X-Forwarded-For": "' OR 1=1 --"},
]


@pytest.mark.parametrize(
    "path", ["/fr/", "{answer_url}", "/fr/recherche/?q=piscine", "/api/search/?q=piscine"]
)
def test_hostile_headers_on_pages(send, path):
    assert send("get", [(path, None, {"headers": headers}) for headers in HOSTILE_HEADERS]) == []


def test_hostile_headers_on_the_vote(send):
    requests = [("/fr/utile/{answer_id}/", {"helpful": "yes"}, {"headers": h}) for h in HOSTILE_HEADERS]
    assert send("post", requests) == []


@pytest.mark.parametrize(
    "language, data, headers, text",
    [
        ("fr", {"helpful": "peut-être"}, {}, "Veuillez répondre"),
        ("en", {"helpful": SCRIPT}, {}, "Please answer “Yes” or “No”."),
        ("fr", {"helpful": "yes"}, {"Origin": "http://[::1"}, "Ce vote ne provient pas de ce site."),
        (
            "en",
            {"helpful": "yes"},
            {"Origin": "https://evil.example"},
            "This vote did not come from this site.",
        ),
    ],
)
def test_bad_vote_is_explained_in_the_page_language(client, site, language, data, headers, text):
    response = client.post(f"/{language}/utile/{site['answer_id']}/", data, headers=headers)
    assert_message(response, 400, text, SITE_LAYOUT)


# --- Error pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, title",
    [
        ("/fr/demande/nid-de-poule/", "Le formulaire n'a pas pu être envoyé"),
        ("/fr/suivi/", "Le formulaire n'a pas pu être envoyé"),
        ("/en/request/nid-de-poule/", "The form could not be sent"),
    ],
)
def test_form_without_csrf_token_gets_a_friendly_403(site, path, title):
    response = Client(enforce_csrf_checks=True).post(path, {"subject": "Un trou", "reference": "x"})
    assert_message(response, 403, title, SITE_LAYOUT)


@pytest.mark.parametrize(
    "send_request, status, text",
    [
        (lambda client: client.get("/fr/nexiste-pas/"), 404, "Page introuvable"),
        (lambda client: client.get("/en/does-not-exist/"), 404, "Page not found"),
        (lambda client: client.put("/fr/demande/nid-de-poule/"), 405, "Méthode non permise"),
        (lambda client: client.delete("/en/search/"), 405, "Method not allowed"),
        (lambda client: client.get("/fr/", headers={"host": "evil.example"}), 400, INVALID["fr"]),
        (lambda client: client.get("/en/", headers={"host": "evil.example"}), 400, INVALID["en"]),
    ],
)
def test_error_pages_in_the_page_language_and_layout(client, site, send_request, status, text):
    assert_message(send_request(client), status, text, SITE_LAYOUT)


def test_405_keeps_the_allowed_methods_and_the_api_answers_json(client, site):
    assert client.put("/fr/demande/nid-de-poule/")["Allow"] == "GET, HEAD, POST"
    response = client.put("/api/search/", headers={"Accept-Language": "en"})
    assert response.status_code == 405 and "Method not allowed" in response.json()["error"]


@pytest.mark.parametrize("language, title", [("fr", "Accès refusé"), ("en", "Access denied")])
def test_403_page_in_the_page_language(rf, site, language, title):
    request = rf.get(f"/{language}/")
    request.user = AnonymousUser()
    with translation.override(language):
        assert_message(permission_denied(request, PermissionDenied()), 403, title, SITE_LAYOUT)


def test_500_page_is_bilingual(site, monkeypatch):
    monkeypatch.setattr("search.views.search_pages", lambda *args, **kwargs: 1 / 0)
    response = Client(raise_request_exception=False).get("/fr/recherche/", {"q": "piscine"})
    assert_message(response, 500, "Une erreur est survenue", "Something went wrong")
