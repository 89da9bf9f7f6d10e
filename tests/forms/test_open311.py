"""The Open311 GeoReport v2 API: every endpoint in JSON and XML, errors, keys, limits, privacy."""

import datetime
import io
import json
import xml.etree.ElementTree as ET
from contextlib import redirect_stderr

import pytest
from defusedxml import ElementTree as DefusedET

from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from forms.defaults import install_default_request_types
from forms.models import Channel, CitizenRequest, Open311ApiKey, RequestType, Status
from forms.open311.keys import api_key_authenticate, api_key_create
from forms.references import generate_reference
from forms.services import request_add_note, request_change_status, request_submit
from tests.factories import StaffFactory

from .conftest import VALID_DATA

BASE = "/open311/v2"

# What the specification's examples put in each element (GeoReport v2, "XML" responses).
SERVICE_CHILDREN = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE_CHILDREN = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
]
REQUEST_CHILDREN = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
}
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}

# A citizen whose every detail is distinctive: none of it may appear in a GET.
PERSONAL = {
    "first_name": "Zébulon",
    "last_name": "Quintal-Ouellette",
    "email": "zebulon.quintal@exemple-prive.ca",
    "phone": "418 555-0199",
    "description": "Mon voisin Gaston Lapierre-Vézina jette ses feuilles dans la rue Secrète.",
    "address_string": "987, rue des Confidences",
    "attribute[subject]": "Sujet confidentiel Zébulon",
}


def get(client, path, **headers):
    return client.get(BASE + path, **headers)


def parse_xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b"<?xml")
    return DefusedET.fromstring(response.content)


def parse_json(response):
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def children(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def assert_error(response, status: int, fmt: str, text: str = "") -> str:
    """The specification's error body in the asked format; returns the descriptions."""
    assert response.status_code == status
    if fmt == "json":
        body = parse_json(response)
        assert isinstance(body, list) and body
        assert all(set(error) == {"code", "description"} and error["code"] == status for error in body)
        descriptions = " ".join(error["description"] for error in body)
    else:
        root = parse_xml(response)
        assert root.tag == "errors"
        assert root and all(children(error) == ["code", "description"] for error in root)
        assert all(error.findtext("code") == str(status) for error in root)
        descriptions = " ".join(error.findtext("description") for error in root)
    assert descriptions.strip()
    assert text in descriptions
    return descriptions


@pytest.fixture
def api_key(db):
    _api_key, raw_key = api_key_create(name="App Ma Ville")
    return raw_key


def post_data(raw_key, **overrides):
    data = {
        "api_key": raw_key,
        "service_code": "nid-de-poule",
        "description": "Un trou profond dans la voie de droite.",
        "address_string": "12, rue Principale",
        "email": "citoyenne@example.org",
        "first_name": "Marie",
        "last_name": "Tremblay",
        "attribute[consent]": "yes",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submitted(request_type, **overrides):
    citizen_request, _created = request_submit(
        request_type=request_type, data={**VALID_DATA, **overrides}, language="fr"
    )
    return citizen_request


# --- Discovery and services -------------------------------------------------------------------


@pytest.mark.django_db
def test_discovery_in_both_formats(client):
    body = parse_json(get(client, "/discovery.json"))
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = body["endpoints"][0]
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}

    root = parse_xml(get(client, "/discovery.xml"))
    assert root.tag == "discovery"
    assert children(root) == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert children(endpoint) == ["specification", "url", "changeset", "type", "formats"]
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


@pytest.mark.django_db
def test_xml_is_the_default_format(client):
    without = get(client, "/services")
    assert without["Content-Type"].startswith("text/xml")
    assert without.content == get(client, "/services.xml").content


@pytest.mark.django_db
def test_services_list_the_active_types_in_both_formats(client):
    RequestType.objects.filter(slug="suggestion").update(is_active=False)
    active = list(RequestType.objects.in_default_locale().filter(is_active=True))

    services = parse_json(get(client, "/services.json"))
    assert [s["service_code"] for s in services] == [t.slug for t in active]
    pothole = next(s for s in services if s["service_code"] == "nid-de-poule")
    assert list(pothole) == SERVICE_CHILDREN
    assert pothole["service_name"] == "Nid-de-poule"
    assert pothole["metadata"] is True and pothole["type"] == "realtime"
    assert "suggestion" not in {s["service_code"] for s in services}

    root = parse_xml(get(client, "/services.xml"))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == [t.slug for t in active]
    assert all(children(service) == SERVICE_CHILDREN for service in root)
    assert root.find("service/metadata").text == "true"


@pytest.mark.django_db
def test_service_names_follow_accept_language(client, locales):
    install_default_request_types()  # the English translations, now that the English locale exists
    services = parse_json(get(client, "/services.json", HTTP_ACCEPT_LANGUAGE="en"))
    assert [s["service_code"] for s in services].count("nid-de-poule") == 1
    pothole = next(s for s in services if s["service_code"] == "nid-de-poule")
    assert pothole["service_name"] == "Pothole"
    assert pothole["description"] == "Report a pothole in a street or sidewalk."


@pytest.mark.django_db
def test_service_definition_in_both_formats(client):
    # In English: the text of the new strings does not depend on a compiled catalogue.
    definition = parse_json(get(client, "/services/nid-de-poule.json", HTTP_ACCEPT_LANGUAGE="en"))
    assert definition["service_code"] == "nid-de-poule"
    by_code = {a["code"]: a for a in definition["attributes"]}
    consent = by_code["consent"]
    assert consent["required"] is True and consent["datatype"] == "singlevaluelist"
    assert consent["values"] == [{"key": "yes", "name": "Yes"}]
    assert "Law 25" in consent["datatype_description"]
    assert by_code["subject"]["required"] is False
    assert all(a["datatype"] in DATATYPES for a in definition["attributes"])
    assert [a["order"] for a in definition["attributes"]] == sorted(
        a["order"] for a in definition["attributes"]
    )

    root = parse_xml(get(client, "/services/nid-de-poule.xml"))
    assert root.tag == "service_definition"
    assert children(root) == ["service_code", "attributes"]
    for attribute in root.findall("attributes/attribute"):
        has_values = attribute.findtext("datatype") in ("singlevaluelist", "multivaluelist")
        assert children(attribute) == ATTRIBUTE_CHILDREN + (["values"] if has_values else [])
        for value in attribute.findall("values/value"):
            assert children(value) == ["key", "name"]
    assert root.find("attributes/attribute/required").text == "true"


@pytest.mark.django_db
def test_the_date_attribute_only_for_the_types_that_ask_it(client):
    asking = RequestType.objects.filter(asks_occurred_on=True, is_active=True).first()
    not_asking = RequestType.objects.filter(asks_occurred_on=False, is_active=True).first()
    codes = {a["code"] for a in parse_json(get(client, f"/services/{asking.slug}.json"))["attributes"]}
    assert "occurred_on" in codes
    codes = {a["code"] for a in parse_json(get(client, f"/services/{not_asking.slug}.json"))["attributes"]}
    assert "occurred_on" not in codes


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("code", ["inconnu", "nid-de-poule%00", "x" * 500, "%C3%28", "..%2F..%2Fetc"])
def test_unknown_service_is_a_404_in_the_format(client, fmt, code):
    assert_error(get(client, f"/services/{code}.{fmt}"), 404, fmt)


@pytest.mark.django_db
def test_an_inactive_service_is_not_found(client):
    RequestType.objects.filter(slug="nid-de-poule").update(is_active=False)
    assert_error(get(client, "/services/nid-de-poule.json"), 404, "json")


# --- GET requests -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_requests_list_in_both_formats(client, pothole, question):
    first = submitted(pothole)
    second = submitted(question, address="")

    records = parse_json(get(client, "/requests.json"))
    assert [r["service_request_id"] for r in records] == [second.reference, first.reference]
    record = records[1]
    assert set(record) == REQUEST_CHILDREN
    assert record["status"] == "open"
    assert record["service_code"] == "nid-de-poule"
    assert record["service_name"] == pothole.label
    assert record["agency_responsible"] == pothole.department.name
    assert record["service_notice"] == pothole.help_text
    assert record["status_notes"] == "Demande soumise"
    assert record["requested_datetime"] == timezone.localtime(first.submitted_at).isoformat(
        timespec="seconds"
    )
    assert record["expected_datetime"].startswith(first.expected_on.isoformat() + "T23:59:59")
    assert datetime.datetime.fromisoformat(record["updated_datetime"]) >= first.submitted_at.replace(
        microsecond=0
    )

    root = parse_xml(get(client, "/requests.xml"))
    assert root.tag == "service_requests"
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [
        second.reference,
        first.reference,
    ]
    assert all(set(children(r)) == REQUEST_CHILDREN for r in root)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_one_request_in_both_formats(client, pothole, fmt):
    citizen_request = submitted(pothole)
    # The reference as a citizen may type it: lower case, no dashes.
    typed = citizen_request.reference.replace("-", "").lower()
    response = get(client, f"/requests/{typed}.{fmt}")
    if fmt == "json":
        records = parse_json(response)
        assert len(records) == 1 and records[0]["service_request_id"] == citizen_request.reference
    else:
        root = parse_xml(response)
        assert root.tag == "service_requests"
        assert [r.findtext("service_request_id") for r in root] == [citizen_request.reference]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_request_is_a_404(client, fmt):
    assert_error(get(client, f"/requests/{generate_reference()}.{fmt}"), 404, fmt)
    assert_error(get(client, f"/requests/pas-un-numero.{fmt}"), 404, fmt)
    assert_error(get(client, f"/requests/%00.{fmt}"), 404, fmt)


@pytest.mark.django_db
def test_status_notes_and_closed_status_follow_the_public_timeline(client, pothole, admin_user):
    citizen_request = submitted(pothole)
    request_change_status(
        citizen_request=citizen_request,
        status=Status.IN_PROGRESS,
        actor=admin_user,
        note="Bonjour Mme Tremblay-Secrète, l'équipe passe demain.",
    )
    request_add_note(
        citizen_request=citizen_request, note="Note interne: voisin difficile", actor=admin_user, public=False
    )
    response = get(client, f"/requests/{citizen_request.reference}.json")
    record = parse_json(response)[0]
    assert record["status_notes"] == "Statut : En traitement"
    assert b"Tremblay-Secr" not in response.content and b"voisin" not in response.content

    english = parse_json(
        get(client, f"/requests/{citizen_request.reference}.json", HTTP_ACCEPT_LANGUAGE="en")
    )
    assert english[0]["status_notes"] == "Status: In progress"

    request_change_status(citizen_request=citizen_request, status=Status.RESOLVED, actor=admin_user)
    record = parse_json(get(client, f"/requests/{citizen_request.reference}.json"))[0]
    assert record["status"] == "closed"
    assert record["status_notes"] == "Statut : Résolue"


@pytest.mark.django_db
def test_filters_ids_code_and_status(client, pothole, question, admin_user):
    potholes = [submitted(pothole) for _ in range(3)]
    asked = submitted(question, address="")
    request_change_status(citizen_request=potholes[0], status=Status.CLOSED, actor=admin_user)

    ids = ",".join(r.reference for r in potholes[:2])
    found = parse_json(get(client, f"/requests.json?service_request_id={ids}"))
    assert {r["service_request_id"] for r in found} == {potholes[0].reference, potholes[1].reference}
    # Repeated, and overriding every other filter (here a status that would exclude one).
    found = parse_json(
        get(
            client,
            f"/requests.json?service_request_id={potholes[0].reference}"
            f"&service_request_id={asked.reference}&status=open",
        )
    )
    assert {r["service_request_id"] for r in found} == {potholes[0].reference, asked.reference}

    found = parse_json(get(client, "/requests.json?service_code=question"))
    assert [r["service_request_id"] for r in found] == [asked.reference]
    found = parse_json(get(client, "/requests.json?service_code=question,nid-de-poule"))
    assert len(found) == 4

    closed = parse_json(get(client, "/requests.json?status=closed"))
    assert [r["service_request_id"] for r in closed] == [potholes[0].reference]
    opened = parse_json(get(client, "/requests.json?status=open"))
    assert len(opened) == 3 and all(r["status"] == "open" for r in opened)
    assert len(parse_json(get(client, "/requests.json?status=open,closed"))) == 4


@pytest.mark.django_db
def test_date_window(client, pothole):
    now = timezone.now()
    recent = submitted(pothole)
    old = submitted(pothole)
    CitizenRequest.objects.filter(pk=old.pk).update(submitted_at=now - datetime.timedelta(days=120))

    # By default, the last 90 days.
    assert [r["service_request_id"] for r in parse_json(get(client, "/requests.json"))] == [recent.reference]

    start = (now - datetime.timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now - datetime.timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    found = parse_json(get(client, f"/requests.json?start_date={start}&end_date={end}"))
    assert [r["service_request_id"] for r in found] == [old.reference]
    # start_date alone: the 90 days after it.
    found = parse_json(get(client, f"/requests.json?start_date={start}"))
    assert [r["service_request_id"] for r in found] == [old.reference]
    # An offset with its "+" left unencoded (a space once decoded).
    utc = datetime.UTC
    start = (now - datetime.timedelta(hours=1)).astimezone(utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    end = (now + datetime.timedelta(hours=1)).astimezone(utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    found = parse_json(get(client, f"/requests.json?start_date={start}&end_date={end}"))
    assert [r["service_request_id"] for r in found] == [recent.reference]
    # A plain date is midnight in the city; end_date alone is the 90 days before it.
    yesterday = (timezone.localdate(now) - datetime.timedelta(days=1)).isoformat()
    found = parse_json(get(client, f"/requests.json?start_date={yesterday}"))
    assert [r["service_request_id"] for r in found] == [recent.reference]
    assert parse_json(get(client, f"/requests.json?end_date={yesterday}")) == []


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "query, message",
    [
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "90"),
        ("start_date=2026-06-01&end_date=2026-01-01", "start_date"),
        ("start_date=demain", "start_date"),
        ("end_date=2026-13-45T99:00:00Z", "end_date"),
        ("end_date=0001-01-01", "start_date"),
        ("start_date=9999-12-31T23:59:59Z", "start_date"),
        ("status=pending", "status"),
        ("service_code=inconnu", "service_code"),
        ("service_code=%00", "service_code"),
        ("service_request_id=pas-un-numero", "service_request_id"),
        ("service_request_id=" + ",".join(["RAE-0000-0000-0"] * 1001), "1000"),
    ],
)
def test_bad_filters_are_400_with_a_clear_message(client, fmt, query, message):
    assert_error(get(client, f"/requests.{fmt}?{query}"), 400, fmt, message)


@pytest.mark.django_db
def test_at_most_1000_results_newest_first(client, pothole, django_assert_max_num_queries):
    now = timezone.now()
    template = submitted(pothole)
    CitizenRequest.objects.bulk_create(
        CitizenRequest(
            reference=generate_reference(),
            request_type=pothole,
            department=pothole.department,
            subject="s",
            description="d",
            email="a@example.org",
            expected_on=template.expected_on,
            submitted_at=now - datetime.timedelta(minutes=index + 1),
        )
        for index in range(1004)
    )
    # The requests with their last public event in one query, the departments' names in another.
    with django_assert_max_num_queries(3):
        records = parse_json(get(client, "/requests.json"))
    assert len(records) == 1000
    assert records[0]["service_request_id"] == template.reference
    times = [r["requested_datetime"] for r in records]
    assert times == sorted(times, reverse=True)
    assert len(parse_xml(get(client, "/requests.xml"))) == 1000


# --- POST requests ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_creates_a_request_like_the_web_form(client, api_key, fmt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/requests.{fmt}", post_data(api_key))
    assert response.status_code == 201
    if fmt == "json":
        body = parse_json(response)
        assert list(body[0]) == ["service_request_id", "service_notice", "account_id"]
        reference = body[0]["service_request_id"]
        assert body[0]["account_id"] is None
    else:
        root = parse_xml(response)
        assert root.tag == "service_requests"
        assert children(root.find("request")) == ["service_request_id", "service_notice", "account_id"]
        reference = root.findtext("request/service_request_id")
    citizen_request = CitizenRequest.objects.get(reference=reference)
    assert citizen_request.channel == Channel.OPEN311
    assert citizen_request.request_type.slug == "nid-de-poule"
    assert citizen_request.name == "Marie Tremblay"
    assert citizen_request.address == "12, rue Principale"
    assert citizen_request.subject == "Un trou profond dans la voie de droite."
    assert citizen_request.consent_at is not None
    assert citizen_request.language == "fr"
    assert citizen_request.events.get().kind == "created"
    # The same receipt e-mail as the web form's, with the reference.
    assert len(mail.outbox) == 1 and reference in mail.outbox[0].subject
    assert Open311ApiKey.objects.get().last_used_at is not None
    # And it reads back.
    assert get(client, f"/requests/{reference}.json").status_code == 200


@pytest.mark.django_db
def test_post_optional_fields(client, api_key):
    data = post_data(
        api_key,
        address_string=None,
        lat="46.8139",
        long="-71.2080",
        media_url="https://photos.example.org/trou.jpg",
        **{"attribute[subject]": "Trou rue Principale", "attribute[language]": "en"},
    )
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 201, response.content
    citizen_request = CitizenRequest.objects.get(reference=parse_json(response)[0]["service_request_id"])
    assert citizen_request.subject == "Trou rue Principale"
    assert citizen_request.address == "46.813900, -71.208000"
    assert citizen_request.language == "en"
    assert "https://photos.example.org/trou.jpg" in citizen_request.description


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_without_consent_is_refused_with_law_25(client, api_key, fmt):
    for consent in (None, "no", ""):
        response = client.post(
            f"{BASE}/requests.{fmt}",
            post_data(api_key, **{"attribute[consent]": consent}),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert_error(response, 400, fmt, "attribute[consent]: Law 25")
    assert not CitizenRequest.objects.exists()


@pytest.mark.django_db
def test_post_validation_is_the_web_forms(client, api_key):
    cases = [
        ({"email": None, "phone": None}, "courriel ou un numéro de téléphone"),
        ({"email": "pas-un-courriel"}, "email:"),
        ({"phone": "12"}, "phone:"),
        ({"address_string": None}, "address_string:"),  # a pothole needs a location
        ({"description": None}, "description:"),
        ({"description": "x" * 5001}, "description:"),
        ({"lat": "91", "long": "0"}, "lat et long"),
        ({"lat": "nan", "long": "0"}, "lat et long"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"service_code": "inconnu"}, "service_code"),
        ({"service_code": None}, "service_code"),
        ({"description": "nul\x00octet"}, "description:"),
    ]
    for overrides, message in cases:
        response = client.post(f"{BASE}/requests.json", post_data(api_key, **overrides))
        assert_error(response, 400, "json", message)
    assert not CitizenRequest.objects.exists()
    # Several problems at once are all reported.
    response = client.post(
        f"{BASE}/requests.json", post_data(api_key, email="x", **{"attribute[consent]": None})
    )
    assert len(parse_json(response)) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_without_a_valid_key_is_403(client, api_key, fmt):
    url = f"{BASE}/requests.{fmt}"
    assert_error(client.post(url, post_data(None)), 403, fmt, "api_key")
    assert_error(client.post(url, post_data("o311_deadbeef_faux")), 403, fmt, "api_key")
    assert_error(client.post(url, post_data(api_key[:-2] + "xx")), 403, fmt, "api_key")
    assert_error(client.post(url, post_data("x" * 10_000)), 403, fmt, "api_key")
    message = assert_error(client.post(f"{url}?api_key={api_key}", post_data(None)), 403, fmt)
    assert "URL" in message
    Open311ApiKey.objects.update(active=False)
    assert_error(client.post(url, post_data(api_key)), 403, fmt, "api_key")
    assert not CitizenRequest.objects.exists()


@pytest.mark.django_db
def test_post_needs_no_csrf_token(api_key):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"{BASE}/requests.json", post_data(api_key)).status_code == 201


@pytest.mark.django_db
def test_posts_are_limited_per_key(client, api_key, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "open311": (2, 3600)}
    url = f"{BASE}/requests.json"
    assert client.post(url, post_data(api_key)).status_code == 201
    assert client.post(url, post_data(api_key, email="pas-un-courriel")).status_code == 400  # counts too
    response = client.post(url, post_data(api_key))
    assert_error(response, 429, "json")
    assert int(response["Retry-After"]) > 0
    # Another integrator's key has its own limit, from the same address.
    _other, other_key = api_key_create(name="Autre intégrateur")
    assert client.post(url, post_data(other_key)).status_code == 201
    assert CitizenRequest.objects.count() == 2


@pytest.mark.django_db
def test_wrong_keys_are_limited_per_address(client, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "open311": (3, 3600)}
    url = f"{BASE}/requests.xml"
    for _ in range(3):
        assert_error(client.post(url, post_data("o311_deadbeef_faux")), 403, "xml")
    assert_error(client.post(url, post_data("o311_deadbeef_faux")), 429, "xml")


# --- Privacy ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_personal_data_in_any_get(client, api_key, admin_user):
    response = client.post(f"{BASE}/requests.json", post_data(api_key, **PERSONAL))
    assert response.status_code == 201, response.content
    reference = parse_json(response)[0]["service_request_id"]
    citizen_request = CitizenRequest.objects.get(reference=reference)
    request_change_status(
        citizen_request=citizen_request,
        status=Status.IN_PROGRESS,
        actor=admin_user,
        note="Bonjour Zébulon Quintal-Ouellette, nous passons au 987, rue des Confidences.",
    )
    secrets = [value for key, value in PERSONAL.items()] + [
        "Zébulon Quintal-Ouellette",
        "4185550199",
        "Gaston",
        "Confidences",
        api_key,
    ]
    paths = (
        [
            f"/requests.{fmt}{query}"
            for fmt in ("json", "xml")
            for query in (
                "",
                f"?service_request_id={reference}",
                "?service_code=nid-de-poule",
                "?status=open",
            )
        ]
        + [f"/requests/{reference}.{fmt}" for fmt in ("json", "xml")]
        + [
            "/services.json",
            "/services.xml",
            "/services/nid-de-poule.json",
            "/services/nid-de-poule.xml",
            "/discovery.json",
            "/discovery.xml",
        ]
    )
    for path in paths:
        response = get(client, path)
        assert response.status_code == 200
        text = response.content.decode()
        for secret in secrets:
            assert secret not in text, (path, secret)
            assert secret.lower() not in text.lower(), (path, secret)
    assert reference in get(client, f"/requests/{reference}.xml").content.decode()


# --- Errors and hostile input -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_other_methods_are_405_in_the_format(client, fmt):
    response = client.delete(f"{BASE}/requests.{fmt}")
    assert_error(response, 405, fmt)
    assert response["Allow"] == "GET, HEAD, POST"
    response = client.post(f"{BASE}/services.{fmt}")
    assert_error(response, 405, fmt)
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, fmt",
    [
        ("/open311/v2/nothing.json", "json"),
        ("/open311/v2/nothing", "xml"),
        ("/open311/", "xml"),
        ("/open311/v3/services.json", "json"),
        ("/open311/v2/services.csv", "xml"),
        ("/open311/v2/tokens/123.json", "json"),
    ],
)
def test_unknown_paths_are_404_in_the_format_not_a_page(client, path, fmt):
    response = client.get(path)
    assert_error(response, 404, fmt)


@pytest.mark.django_db
def test_hostile_input_never_500(client, api_key, pothole):
    submitted(pothole)
    queries = [
        b"service_request_id=%ff%fe%00",
        b"start_date=%ff&end_date=%00",
        b"status=%00open",
        b"service_code=" + b"a," * 5000,
        b"service_request_id=" + b"," * 50000,
        b"&".join(b"x%d=1" % i for i in range(2000)),
        b"start_date=" + b"9" * 5000,
        b"status=OPEN",
    ]
    for query in queries:
        response = client.get(f"{BASE}/requests.json", QUERY_STRING=query.decode("latin-1"))
        assert response.status_code in (200, 400), (query[:40], response.status_code)
        parse_json(response)
    bodies = [
        b"\xff\xfe\x00garbage",
        b"api_key="
        + api_key.encode()
        + b"&service_code=nid-de-poule&description=%ff%fe&attribute[consent]=yes",
        b"&".join(b"x%d=1" % i for i in range(2000)),
        b"api_key=%00",
    ]
    for body in bodies:
        response = client.post(
            f"{BASE}/requests.json", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in (201, 400, 403), (body[:40], response.status_code)
        parse_json(response)
    response = client.post(f"{BASE}/requests.json", b"{}", content_type="application/json")
    assert_error(response, 403, "json")
    # A multipart body without its boundary cannot be read; with one, garbage is an empty form.
    for content_type, status in (("multipart/form-data", 400), ("multipart/form-data; boundary=xyz", 403)):
        response = client.generic(
            "POST", f"{BASE}/requests.xml", b"--xyz\r\ngarbage", content_type=content_type
        )
        assert_error(response, status, "xml")


# --- Keys -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_keys_are_stored_hashed_and_checked():
    api_key, raw_key = api_key_create(name="App Ma Ville")
    stored = Open311ApiKey.objects.get()
    assert raw_key.startswith(f"o311_{stored.prefix}_")
    assert raw_key not in (stored.key_hash, stored.prefix, stored.name)
    assert raw_key.split("_", 2)[2] not in stored.key_hash
    assert api_key_authenticate(raw_key=raw_key) == api_key
    assert api_key_authenticate(raw_key=raw_key + "x") is None
    assert api_key_authenticate(raw_key="") is None
    assert Open311ApiKey.objects.get().last_used_at is not None


@pytest.mark.django_db
def test_the_command_prints_a_working_key_on_its_last_line(client):
    out = io.StringIO()
    with redirect_stderr(io.StringIO()):
        call_command("open311_key", "Intégrateur de test", stdout=out)
    raw_key = out.getvalue().strip().splitlines()[-1]
    assert Open311ApiKey.objects.get().name == "Intégrateur de test"
    assert client.post(f"{BASE}/requests.json", post_data(raw_key)).status_code == 201


@pytest.mark.django_db
def test_superusers_create_a_key_in_the_admin_and_see_it_once(client, admin_user):
    client.force_login(admin_user)
    index = client.get(reverse("open311_keys:index"))
    assert index.status_code == 200
    response = client.post(reverse("open311_keys:add"), {"name": "App Ma Ville", "active": "on"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    api_key = Open311ApiKey.objects.get()
    shown = response.content.decode()
    start = shown.index(f"o311_{api_key.prefix}_")
    raw_key = shown[start : shown.index('"', start)]
    assert api_key_authenticate(raw_key=raw_key) == api_key
    # Never again: not on the list, not on the edit page.
    assert raw_key not in client.get(reverse("open311_keys:index")).content.decode()
    edit = client.get(reverse("open311_keys:edit", args=[api_key.pk]))
    assert edit.status_code == 200 and raw_key not in edit.content.decode()
    # Revoked from the edit page.
    client.post(reverse("open311_keys:edit", args=[api_key.pk]), {"name": "App Ma Ville"})
    assert not Open311ApiKey.objects.get().active
    client.logout()
    assert_error(client.post(f"{BASE}/requests.json", post_data(raw_key)), 403, "json")


@pytest.mark.django_db
def test_staff_who_are_not_superusers_cannot_manage_keys(client, pothole, django_user_model):
    member = StaffFactory(username="agent", department=pothole.department, handler=True)
    member.user_permissions.add(*Permission.objects.filter(content_type__model="open311apikey"))
    api_key_create(name="App Ma Ville")
    client.force_login(member)
    for url in (
        reverse("open311_keys:index"),
        reverse("open311_keys:add"),
        reverse("open311_keys:edit", args=[Open311ApiKey.objects.get().pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    assert client.post(reverse("open311_keys:add"), {"name": "Pirate"}).status_code in (302, 403)
    assert Open311ApiKey.objects.count() == 1


@pytest.mark.django_db
def test_post_the_date_attribute_of_a_type_that_asks_it(client, api_key):
    asking = RequestType.objects.filter(asks_occurred_on=True, asks_address=False, is_active=True).first()
    data = post_data(
        api_key, service_code=asking.slug, **{"attribute[occurred_on]": "2026-11-03T10:00:00-05:00"}
    )
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 201, response.content
    citizen_request = CitizenRequest.objects.get(reference=parse_json(response)[0]["service_request_id"])
    assert citizen_request.occurred_on == datetime.date(2026, 11, 3)
    response = client.post(f"{BASE}/requests.json", {**data, "attribute[occurred_on]": "hier"})
    assert_error(response, 400, "json", "attribute[occurred_on]:")
