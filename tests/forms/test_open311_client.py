"""Round trip with real third-party GeoReport v2 clients from PyPI, against a live server.

`georeport` (0.3.1) reads: the service list, a service definition, requests, one request, in
JSON and XML. It cannot create requests (its README says so), so the POST is made with the
GeoReport client of `civicbot` (0.4.0), which also checks the payload against our service
definition first (`validate_remote`), as an integrator's app would.
"""

import pytest
import requests
from civicbot.http import HttpTransport, RateLimiter
from civicbot.open311 import Open311Client
from civicbot.registry import Endpoint
from georeport import GeoReport

from forms.models import Channel, CitizenRequest
from forms.open311.keys import api_key_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def root(live_server):
    return f"{live_server.url}/open311/v2"


def civicbot_client(root: str) -> Open311Client:
    endpoint = Endpoint(id="portail", name="Portail citoyen", base_url=root, write=True)
    # No politeness delay between calls to our own test server.
    return Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)))


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_georeport_lists_services_and_reads_a_definition(root, output_format):
    client = GeoReport(root, output_format=output_format)
    services = client.get_service_list()
    codes = [service["service_code"] for service in services]
    assert "nid-de-poule" in codes and "question" in codes
    pothole = next(service for service in services if service["service_code"] == "nid-de-poule")
    assert pothole["service_name"] == "Nid-de-poule"

    definition = client.get_service_definition("nid-de-poule")
    assert definition["service_code"] == "nid-de-poule"
    attributes = definition["attributes"]
    if output_format == "xml":  # xmltodict keeps the repeated element's name
        attributes = attributes["attribute"]
    consent = next(attribute for attribute in attributes if attribute["code"] == "consent")
    assert consent["required"] in (True, "true")

    with pytest.raises(requests.HTTPError) as error:
        client.get_service_definition("inconnu")
    assert error.value.response.status_code == 404


def test_post_with_civicbot_then_read_back_with_georeport(root):
    _api_key, raw_key = api_key_create(name="civicbot")
    poster = civicbot_client(root)
    prepared = poster.create_request(
        "nid-de-poule",
        dry_run=False,
        confirm="SEND",
        api_key=raw_key,
        validate_remote=True,  # reads our services and definition, checks the required attributes
        lat=46.8139,
        lng=-71.2080,
        address_string="12, rue Principale",
        description="Un trou profond dans la voie de droite.",
        email="citoyenne@example.org",
        first_name="Marie",
        last_name="Tremblay",
        attributes={"consent": "yes"},
    )
    created = prepared.response
    assert isinstance(created, list) and len(created) == 1
    reference = created[0]["service_request_id"]
    stored = CitizenRequest.objects.get(reference=reference)
    assert stored.channel == Channel.OPEN311
    assert stored.address == "12, rue Principale"
    assert stored.consent_at is not None

    for output_format in ("json", "xml"):
        reader = GeoReport(root, output_format=output_format)
        record = reader.get_service_request(reference)
        assert record["service_request_id"] == reference
        assert record["service_code"] == "nid-de-poule"
        assert record["status"] == "open"
        listed = reader.get_service_requests(service_request_id=reference, status="open")
        if isinstance(listed, dict):  # xmltodict: one element is a dict, not a list
            listed = [listed]
        assert [item["service_request_id"] for item in listed] == [reference]
        assert "Tremblay" not in str(listed) and "citoyenne@example.org" not in str(listed)

    assert poster.get_request(reference)["service_request_id"] == reference


def test_civicbot_post_without_the_citizens_consent_is_refused(root):
    from civicbot.http import HttpError

    _api_key, raw_key = api_key_create(name="civicbot")
    poster = civicbot_client(root)
    with pytest.raises(HttpError) as error:
        poster.create_request(
            "question",
            dry_run=False,
            confirm="SEND",
            api_key=raw_key,
            description="Quand passe la collecte des feuilles?",
            address_string="1, rue Principale",
            email="citoyenne@example.org",
        )
    assert error.value.status == 400
    assert "attribute[consent]" in error.value.body
    assert not CitizenRequest.objects.exists()
