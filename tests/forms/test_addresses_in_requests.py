"""Addresses in requests: what the citizen typed is matched against the city's registry (accents,
typos, suffixes); an intersection or a description is still accepted; the purge forgets the match;
staff filter the queue by sector."""

import datetime
import re

import pytest

from django.urls import reverse
from django.utils import timezone

from forms.models import CitizenRequest, Status
from forms.retention import personal_data_purge
from forms.services import request_submit
from knowledge.addresses import addresses_import_text
from knowledge.models import Address
from tests.factories import StaffFactory

from .conftest import VALID_DATA

pytestmark = pytest.mark.django_db

FORM_URL = "/fr/demande/nid-de-poule/"

REGISTRY = """civic_number,suffix,street,postal_code,latitude,longitude,collection_sector,district
12,,Rue des Érables,G1A 1A1,46.800000,-71.200000,nord,1
12,A,Rue des Érables,G1A 1A1,46.800020,-71.200000,nord,1
14,,Rue des Érables,G1A 1A1,46.800400,-71.200000,nord,1
5,,Rue Principale,G1B 2B2,46.810000,-71.210000,sud,2
"""


@pytest.fixture
def registry(db):
    report = addresses_import_text(REGISTRY)
    assert report.errors == []
    return {address.label: address for address in Address.objects.all()}


def submit(request_type, address: str) -> CitizenRequest:
    citizen_request, _created = request_submit(
        request_type=request_type, data={**VALID_DATA, "address": address}
    )
    return citizen_request


@pytest.mark.parametrize(
    "typed, label",
    [
        ("12, Rue des Érables", "12, Rue des Érables"),
        ("12 rue des erables", "12, Rue des Érables"),  # no accents, lower case
        ("12 des ERABLES", "12, Rue des Érables"),  # no street type
        ("12 rue des erabels", "12, Rue des Érables"),  # a typo
        ("12A rue des Érables", "12A, Rue des Érables"),  # the suffix
        ("12a, rue des érables", "12A, Rue des Érables"),
        ("5 Principale", "5, Rue Principale"),
    ],
)
def test_a_typed_address_is_matched_with_its_coordinates(pothole, registry, typed, label):
    citizen_request = submit(pothole, typed)
    assert citizen_request.address_match == registry[label]
    assert citizen_request.latitude == registry[label].latitude
    assert citizen_request.longitude == registry[label].longitude
    assert citizen_request.address == typed  # what the citizen typed is kept as typed


@pytest.mark.parametrize(
    "typed",
    [
        "Coin Principale et des Érables",  # an intersection
        "Devant le parc, près de l'école",  # a description
        "rue des Érables",  # a street without a number: many addresses
        "999 rue des Érables",  # a number the registry does not have
        "12 rue des Inconnus",  # a street the registry does not have
    ],
)
def test_an_intersection_or_a_description_is_accepted_without_a_match(pothole, registry, typed):
    citizen_request = submit(pothole, typed)
    assert citizen_request.pk and citizen_request.address == typed
    assert citizen_request.address_match is None
    assert citizen_request.latitude is None and citizen_request.longitude is None


def form_token(client) -> str:
    page = client.post(FORM_URL, {"step": "describe", "subject": "Nid-de-poule"})
    assert page.status_code == 200
    return re.search(r'name="submission_token" value="([^"]+)"', page.text).group(1)


def test_the_form_suggests_registry_addresses_and_stores_the_match(client, portal, pothole, registry):
    page = client.post(FORM_URL, {"step": "describe", "subject": "Nid-de-poule"})
    assert 'list="address-suggestions"' in page.text and '<datalist id="address-suggestions">' in page.text
    suggest_url = re.search(r'data-address-suggest="([^"]+)"', page.text).group(1)
    assert "knowledge/address-suggest.js" in page.text
    # The endpoint the input calls answers what the citizen types, accents and all.
    suggestions = client.post(suggest_url, {"q": "12 rue des erables"}).json()
    assert "12, Rue des Érables" in [address["label"] for address in suggestions["addresses"]]

    token = form_token(client)
    data = {**VALID_DATA, "address": "12 rue des erables", "consent": "on", "submission_token": token}
    response = client.post(FORM_URL, data)
    assert response.status_code == 302
    citizen_request = CitizenRequest.objects.get()
    assert citizen_request.address_match == registry["12, Rue des Érables"]
    assert citizen_request.latitude == pytest.approx(46.8)


def test_the_form_accepts_an_intersection(client, portal, pothole, registry):
    token = form_token(client)
    data = {
        **VALID_DATA,
        "address": "Coin Principale et des Érables",
        "consent": "on",
        "submission_token": token,
    }
    response = client.post(FORM_URL, data)
    assert response.status_code == 302
    citizen_request = CitizenRequest.objects.get()
    assert (
        citizen_request.address == "Coin Principale et des Érables" and citizen_request.address_match is None
    )


def test_the_purge_forgets_the_matched_address_and_its_coordinates(pothole, registry):
    citizen_request = submit(pothole, "12 rue des erables")
    long_ago = timezone.now() - datetime.timedelta(days=365 * 4)
    CitizenRequest.objects.filter(pk=citizen_request.pk).update(
        status=Status.CLOSED, status_changed_at=long_ago
    )
    assert personal_data_purge() == 1
    citizen_request.refresh_from_db()
    assert citizen_request.address == "" and citizen_request.address_match is None
    assert citizen_request.latitude is None and citizen_request.longitude is None
    # The registry itself is the city's public data: it stays.
    assert Address.objects.filter(pk=registry["12, Rue des Érables"].pk).exists()


def test_a_deleted_registry_address_leaves_the_request(pothole, registry):
    citizen_request = submit(pothole, "14 rue des Érables")
    registry["14, Rue des Érables"].delete()
    citizen_request.refresh_from_db()
    assert citizen_request.address_match is None and citizen_request.address == "14 rue des Érables"


def test_staff_filter_the_queue_by_sector(client, pothole, registry, django_user_model):
    staff = StaffFactory(username="travaux", department=pothole.department, handler=True)
    north = submit(pothole, "12 rue des erables")
    south = submit(pothole, "5 rue Principale")
    unmatched = submit(pothole, "Coin Principale et des Érables")
    client.force_login(staff)
    queue = reverse("requests_queue:index")
    everything = client.get(queue)
    assert all(r.reference in everything.text for r in (north, south, unmatched))
    assert 'value="collection_sector:nord"' in everything.text  # the registry's sectors are offered
    by_collection = client.get(queue, {"sector": "collection_sector:nord"})
    assert by_collection.status_code == 200
    assert north.reference in by_collection.text
    assert south.reference not in by_collection.text and unmatched.reference not in by_collection.text
    by_district = client.get(queue, {"sector": "district:2"})
    assert south.reference in by_district.text and north.reference not in by_district.text
    # A sector that does not exist is a refused filter, not an error page.
    assert client.get(queue, {"sector": "nothing:here"}).status_code == 200
