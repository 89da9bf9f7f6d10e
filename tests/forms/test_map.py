"""The map of open requests: open service requests with coordinates, rounded to about 100 m, with
their type, status and date only; a list that is the whole page without JavaScript; the handle
view's map, for the staff the selector lets see the request."""

import importlib
import json
import re

import pytest

from django.urls import reverse
from django.utils import translation

from forms.defaults import install_default_request_types
from forms.map import MAP_DECIMALS, location_round
from forms.models import CitizenRequest, RequestType, Status
from forms.services import request_submit
from knowledge.addresses import addresses_import_text
from portal.settings import base as base_settings
from portal.tiles import tiles_origin

from .conftest import VALID_DATA, staff_member

pytestmark = pytest.mark.django_db

REGISTRY = """civic_number,suffix,street,postal_code,latitude,longitude
12,,Rue des Érables,G1A 1A1,46.812345,-71.204321
14,,Rue des Érables,G1A 1A1,46.812400,-71.204400
300,,Rue des Érables,G1A 1A1,46.833333,-71.211111
20,,Avenue du Parc,G1A 1A2,46.840987,-71.220654
"""
PRIVATE = {
    **VALID_DATA,
    "subject": "Sujet privé de Jeanne Secrète",
    "description": "Description privée : mon code de porte est 4321.",
    "name": "Jeanne Secrète",
    "email": "jeanne.secrete@example.org",
    "phone": "418 555-0199",
}


def map_url(language="fr", **query) -> str:
    with translation.override(language):
        url = reverse("requests:map")
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def points_of(page) -> list[dict]:
    found = re.search(r'<script id="request-map-points" type="application/json">(.*?)</script>', page.text)
    return json.loads(found.group(1)) if found else []


def reported(slug, address, *, status=None, data=PRIVATE) -> CitizenRequest:
    request_type = RequestType.objects.in_default_locale().get(slug=slug)
    citizen_request, _created = request_submit(request_type=request_type, data={**data, "address": address})
    if status:
        CitizenRequest.objects.filter(pk=citizen_request.pk).update(status=status)
        citizen_request.refresh_from_db()
    return citizen_request


@pytest.fixture
def registry(db):
    assert addresses_import_text(REGISTRY).errors == []


@pytest.fixture
def english(locales):
    """The English locale and the types' English translations."""
    install_default_request_types()


@pytest.fixture
def pothole_at_12(registry):
    return reported("nid-de-poule", "12 rue des Érables")


# Rounding


def test_a_location_is_rounded_to_about_100_metres():
    assert MAP_DECIMALS == 3
    assert location_round(46.812345, -71.204321) == (46.812, -71.204)
    assert location_round(46.8, -71.25) == (46.8, -71.25)
    # Two neighbours' homes fall on the same point: the marker names the block, not the house.
    assert location_round(46.812345, -71.204321) == location_round(46.812400, -71.204400)


def test_the_tile_servers_origin_is_derived_from_its_url():
    assert tiles_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://tile.openstreetmap.org"
    assert tiles_origin("https://{s}.tiles.example.org/{z}/{x}/{y}.png") == "https://*.tiles.example.org"
    assert tiles_origin("") == "" and tiles_origin("/tiles/{z}/{x}/{y}.png") == ""


def test_the_content_security_policy_lets_the_tiles_in(monkeypatch):
    monkeypatch.delenv("MAP_TILES_URL", raising=False)  # as in production (test.py empties it)
    production = importlib.reload(base_settings)
    origin = tiles_origin(production.MAP_TILES_URL)
    assert origin == "https://tile.openstreetmap.org"  # the production default
    assert origin in production.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    assert origin in production.PORTAL_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    assert "OpenStreetMap" in production.MAP_TILES_ATTRIBUTION


def test_tests_need_no_tile_server(settings):
    assert settings.MAP_TILES_URL == ""


# The public page


def test_only_open_service_requests_with_coordinates_are_shown(client, pothole_at_12):
    reported("lampadaire", "300 rue des Érables")  # open, another service type
    reported("nid-de-poule", "20 avenue du Parc", status=Status.RESOLVED)
    reported("nid-de-poule", "20 avenue du Parc", status=Status.CLOSED)
    reported("nid-de-poule", "coin Principale et Saint-Jean")  # an intersection: no coordinates
    question = reported("question", "")
    # A customer-service request is not a « service request », wherever it is.
    CitizenRequest.objects.filter(pk=question.pk).update(latitude=46.84, longitude=-71.22)

    page = client.get(map_url())
    assert page.status_code == 200
    points = points_of(page)
    assert sorted((p["lat"], p["lng"]) for p in points) == [(46.812, -71.204), (46.833, -71.211)]
    assert 'data-map-total="2"' in page.text
    assert page.text.count("<tr data-status=") == 2


def test_no_personal_data_in_the_page_nor_its_data(client, pothole_at_12):
    page = client.get(map_url())
    text = page.text
    for private in (
        PRIVATE["subject"],
        "Jeanne",
        "jeanne.secrete@example.org",
        "418 555-0199",
        "4321",
        "12, Rue des Érables",
        "12 rue des Érables",
        pothole_at_12.reference,
        "46.812345",
        "-71.204321",
        "46.8123",
    ):
        assert private not in text, private
    (point,) = points_of(page)
    assert set(point) == {"lat", "lng", "type", "status", "date", "label"}
    assert (point["lat"], point["lng"]) == (46.812, -71.204)
    assert not any(str(pothole_at_12.pk) == str(value) for value in point.values())
    # The street is shown (a block, not a home); the civic number never.
    assert "Rue des Érables" in text


@pytest.mark.parametrize(
    ("language", "type_label", "caption"),
    [
        ("fr", "Nid-de-poule", "Nid-de-poule : 1 demande en cours"),
        ("en", "Pothole", "Pothole: 1 open request"),
    ],
)
def test_the_page_in_each_language(client, english, pothole_at_12, language, type_label, caption):
    with translation.override(language):
        expected_status = str(Status.SUBMITTED.label)
    page = client.get(map_url(language))
    assert page.status_code == 200 and page.headers["Content-Language"].startswith(language)
    (point,) = points_of(page)
    assert point["type"] == type_label and point["status"] == expected_status
    assert caption in page.text  # the list's caption


def test_the_english_address():
    assert map_url("en") == "/en/requests/map/"


def test_the_list_is_the_whole_page_without_javascript(client, english, pothole_at_12):
    reported("nid-de-poule", "300 rue des Érables", status=Status.IN_PROGRESS)
    reported("lampadaire", "20 avenue du Parc")
    page = client.get(map_url("en"))
    text = page.text
    # The map waits hidden for the JavaScript; the list holds every request, grouped by type.
    assert re.search(r'<div class="request-map"[^>]*\shidden></div>', text)
    tables = re.findall(r'<table class="request-map-list__table" data-type="([^"]+)">', text)
    assert tables == ["nid-de-poule", "lampadaire"]
    assert "Pothole: 2 open requests" in text and "Street light out: 1 open request" in text
    assert text.count("<tr data-status=") == 3 and '<tr data-status="in_progress">' in text
    # No inline script: external files and the JSON data block only (Content-Security-Policy).
    for tag in re.findall(r"<script[^>]*>", text):
        assert " src=" in tag or 'type="application/json"' in tag or 'type="application/ld+json"' in tag, tag
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    # Scripts only when there is something to draw.
    CitizenRequest.objects.update(status=Status.CLOSED)
    empty = client.get(map_url("en"))
    assert "request-map.js" not in empty.text and "No open request at the moment." in empty.text


def test_filter_by_type(client, pothole_at_12):
    reported("lampadaire", "300 rue des Érables")
    page = client.get(map_url(type="lampadaire"))
    assert [(p["lat"], p["lng"]) for p in points_of(page)] == [(46.833, -71.211)]
    assert '<option value="lampadaire" selected>' in page.text
    unknown = client.get(map_url(type="inconnu"))
    assert unknown.status_code == 400 and 'role="alert"' in unknown.text
    assert len(points_of(unknown)) == 2


def test_a_long_list_is_cut_to_the_newest(client, english, pothole_at_12, monkeypatch):
    reported("lampadaire", "300 rue des Érables")
    monkeypatch.setattr("forms.map.MAP_MAX_REQUESTS", 1)
    page = client.get(map_url("en"))
    assert [(p["lat"], p["lng"]) for p in points_of(page)] == [(46.833, -71.211)]
    assert "The 1 most recent open request is shown." in page.text
    monkeypatch.setattr("forms.map.MAP_MAX_REQUESTS", 2)
    assert "2 open requests." in client.get(map_url("en")).text


def test_the_tile_server_reaches_the_map(client, pothole_at_12, settings):
    page = client.get(map_url())
    assert 'data-tiles-url=""' in page.text and 'data-tiles-attribution=""' in page.text
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    page = client.get(map_url())
    assert 'data-tiles-url="https://tiles.example.org/{z}/{x}/{y}.png"' in page.text
    assert "OpenStreetMap contributors" in page.text


def test_the_request_page_links_to_the_map_in_both_languages(client, english):
    for language in ("fr", "en"):
        with translation.override(language):
            start, target = reverse("requests:start"), reverse("requests:map")
        assert f'href="{target}"' in client.get(start).text


# The handle view


@pytest.fixture
def neighbours(pothole_at_12):
    """Another open pothole 10 m away (Public Works), and a missed collection at the same place
    (Environment)."""
    near = reported("nid-de-poule", "14 rue des Érables")
    other_department = reported("collecte-manquee", "14 rue des Érables")
    return near, other_department


def handle(client, user, citizen_request):
    client.force_login(user)
    return client.get(reverse("requests_queue:edit", args=[citizen_request.pk]))


def test_the_handler_sees_the_exact_location_and_the_requests_around(
    client, pothole_at_12, neighbours, django_user_model
):
    near, other_department = neighbours
    handler = staff_member(django_user_model, "travaux", pothole_at_12.department, handler=True)
    page = handle(client, handler, pothole_at_12)
    assert page.status_code == 200
    assert '<section class="request-map-handle"' in page.text
    assert re.search(r"<p data-coordinates>[^<]*46\.812345[^<]*-71\.204321", page.text)
    points = points_of(page)
    assert points[0]["current"] is True and (points[0]["lat"], points[0]["lng"]) == (46.812345, -71.204321)
    # Around it: only what the selector lets this handler see, at a rounded location.
    assert [p["label"].split(":")[0] for p in points[1:]] == [near.reference]
    assert (points[1]["lat"], points[1]["lng"]) == (46.812, -71.204)
    assert near.reference in page.text and other_department.reference not in page.text


def test_without_personal_data_access_the_location_is_rounded(client, pothole_at_12, django_user_model):
    colleague = staff_member(django_user_model, "travaux-lecture", pothole_at_12.department, handler=False)
    page = handle(client, colleague, pothole_at_12)
    assert page.status_code == 200
    assert re.search(r"<p data-coordinates>[^<]*46\.812[^<]*-71\.204", page.text)
    assert "46.812345" not in page.text and "-71.204321" not in page.text


def test_another_department_gets_no_map(client, pothole_at_12, neighbours, django_user_model):
    _near, other_department = neighbours
    outsider = staff_member(django_user_model, "environnement", other_department.department, handler=True)
    refused = handle(client, outsider, pothole_at_12)
    assert refused.status_code in (403, 404) and "request-map" not in refused.text
    # Their own request's map shows none of Public Works' requests around it.
    own = handle(client, outsider, other_department)
    assert own.status_code == 200
    assert [p.get("current") for p in points_of(own)] == [True]
    assert pothole_at_12.reference not in own.text


def test_no_map_without_coordinates(client, django_user_model):
    free_text = reported("nid-de-poule", "coin Principale et Saint-Jean")
    handler = staff_member(django_user_model, "travaux", free_text.department, handler=True)
    page = handle(client, handler, free_text)
    assert page.status_code == 200 and "request-map" not in page.text


# The demo of `make run`


def test_the_demo_has_open_requests_on_the_map(client, django_capture_on_commit_callbacks):
    from forms.demo import demo_history_create
    from knowledge.demo_registry import demo_registry_create

    demo_registry_create()
    with django_capture_on_commit_callbacks(execute=True):
        demo_history_create(150)
    assert len(points_of(client.get(map_url()))) >= 5
