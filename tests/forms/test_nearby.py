"""Nearby requests and « join this request »: before sending a service request at a registry address,
the citizen sees open requests of the same type around it (type, status, date, street only) and
can join one; joiners are told of its updates in their language and purged with it."""

import datetime
import re

import pytest

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from forms.defaults import install_default_request_types
from forms.models import CitizenRequest, RequestFollower, RequestType, Status
from forms.nearby import distance_metres, requests_nearby
from forms.retention import personal_data_purge
from forms.services import request_change_status, request_submit
from knowledge.addresses import addresses_import_text
from knowledge.models import Address
from tests.factories import StaffFactory

from .conftest import VALID_DATA

pytestmark = pytest.mark.django_db

FORM_URL = "/fr/demande/nid-de-poule/"
# 0.0009° of latitude is about 100 m.
REGISTRY = """civic_number,suffix,street,postal_code,latitude,longitude,collection_sector
12,,Rue des Érables,G1A 1A1,46.800000,-71.200000,nord
14,,Rue des Érables,G1A 1A1,46.000400,-71.200000,nord
16,,Rue des Érables,G1A 1A1,46.800400,-71.200000,nord
18,,Rue des Érables,G1A 1A1,46.800850,-71.200000,nord
40,,Rue des Érables,G1A 1A1,46.801000,-71.200000,nord
300,,Rue des Érables,G1A 1A1,46.803000,-71.200000,nord
"""
OTHER = {
    **VALID_DATA,
    "subject": "Trou profond chez Jean Autre",
    "description": "Description privée de Jean Autre.",
    "name": "Jean Autre",
    "email": "jean.autre@example.org",
}


@pytest.fixture
def registry(db):
    assert addresses_import_text(REGISTRY).errors == []


def reported(request_type, address, *, days_ago=0, status=None, data=OTHER) -> CitizenRequest:
    citizen_request, _created = request_submit(request_type=request_type, data={**data, "address": address})
    updates = {"submitted_at": timezone.now() - datetime.timedelta(days=days_ago)}
    if status:
        updates["status"] = status
    CitizenRequest.objects.filter(pk=citizen_request.pk).update(**updates)
    citizen_request.refresh_from_db()
    return citizen_request


def form_token(client, url=FORM_URL) -> str:
    page = client.post(url, {"step": "describe", "subject": "Nid-de-poule"})
    assert page.status_code == 200
    return re.search(r'name="submission_token" value="([^"]+)"', page.text).group(1)


def send(client, url=FORM_URL, **overrides):
    data = {**VALID_DATA, "address": "12 rue des erables", "consent": "on", "website": ""}
    data["submission_token"] = form_token(client, url)
    data.update(overrides)
    return client.post(url, data)


def join_tokens(page) -> list[str]:
    return re.findall(r'name="demande" value="([^"]+)"', page.text)


def join_url(language="fr"):
    with translation.override(language):
        return reverse("requests:join")


def test_distance_is_the_great_circle_distance():
    assert distance_metres(46.8, -71.2, 46.8009, -71.2) == pytest.approx(100, abs=1)
    assert distance_metres(46.8, -71.2, 46.8, -71.2) == 0


def test_nearby_open_requests_of_the_same_type_are_shown_before_sending(client, portal, pothole, registry):
    near = reported(pothole, "16 rue des Érables")  # about 44 m
    reported(pothole, "300 rue des Érables")  # about 333 m
    reported(pothole, "40 rue des Érables")  # about 111 m: outside the default 100 m
    reported(pothole, "18 rue des Érables", days_ago=31)  # too old
    reported(pothole, "18 rue des Érables", status=Status.RESOLVED)  # not open
    reported(RequestType.objects.get(slug="collecte-manquee"), "12 rue des Érables")  # another type

    page = send(client)
    assert page.status_code == 200 and 'id="nearby"' in page.text
    assert CitizenRequest.objects.count() == 6  # nothing sent yet
    assert len(join_tokens(page)) == 1
    assert "Rue des Érables" in page.text
    # Only the type, status, date and street: nothing of the other citizen nor of their file.
    for private in (
        near.reference,
        "Jean Autre",
        "jean.autre@example.org",
        "Description privée",
        "16 rue des",
    ):
        assert private not in page.text
    # What this citizen typed is kept, and sending again (a different problem) creates the request.
    assert 'value="citoyenne@example.org"' in page.text and 'name="nearby_seen" value="1"' in page.text
    token = re.search(r'name="submission_token" value="([^"]+)"', page.text).group(1)
    data = {**VALID_DATA, "address": "12 rue des erables", "consent": "on", "submission_token": token}
    sent = client.post(FORM_URL, {**data, "nearby_seen": "1"})
    assert sent.status_code == 302 and CitizenRequest.objects.count() == 7


def test_the_radius_is_a_setting(settings, pothole, registry):
    reported(pothole, "40 rue des Érables")
    home = Address.objects.get(civic_number=12)
    assert requests_nearby(request_type=pothole, latitude=home.latitude, longitude=home.longitude) == []
    settings.REQUESTS_NEARBY_METRES = 150
    found = requests_nearby(request_type=pothole, latitude=home.latitude, longitude=home.longitude)
    assert [item.distance for item in found] == [111]


def test_nothing_nearby_or_no_match_sends_at_once(client, portal, pothole, registry):
    reported(pothole, "300 rue des Érables")
    assert send(client).status_code == 302
    reported(pothole, "12 rue des Érables")
    # An intersection has no coordinates: no nearby check.
    assert send(client, address="Coin Principale et des Érables").status_code == 302


def test_joining_needs_consent_and_an_email(client, portal, pothole, registry):
    reported(pothole, "16 rue des Érables")
    token = join_tokens(send(client))[0]
    refused = client.post(join_url(), {"demande": token, "email": "voisin@example.org"})
    assert refused.status_code == 400 and 'value="voisin@example.org"' in refused.text  # kept
    assert 'name="consent"' in refused.text
    no_email = client.post(join_url(), {"demande": token, "consent": "on"})
    assert no_email.status_code == 400
    bad_email = client.post(join_url(), {"demande": token, "email": "pas une adresse", "consent": "on"})
    assert bad_email.status_code == 400
    altered = client.post(
        join_url(), {"demande": token + "x", "email": "voisin@example.org", "consent": "on"}
    )
    assert altered.status_code == 400
    assert client.get(join_url()).status_code == 405
    assert not RequestFollower.objects.exists()


def test_a_joiner_is_confirmed_then_told_of_updates_in_their_language(
    client, portal, pothole, registry, django_user_model, django_capture_on_commit_callbacks
):
    install_default_request_types()  # the types' English translations, now that the locale exists
    near = reported(pothole, "16 rue des Érables")  # a French-speaking requester
    staff = StaffFactory(username="travaux", department=pothole.department, handler=True)
    token = join_tokens(send(client, url="/en/request/nid-de-poule/"))[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        joined = client.post(
            join_url("en"), {"demande": token, "email": "Neighbour@example.org", "consent": "on"}
        )
    assert joined.status_code == 302
    assert client.get(joined["Location"]).status_code == 200
    follower = RequestFollower.objects.get()
    assert follower.request == near and follower.language == "en"
    assert [message.to for message in mail.outbox] == [["Neighbour@example.org"]]
    assert "You joined a request: Pothole" in mail.outbox[0].subject
    # Joining twice does not e-mail twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(join_url("en"), {"demande": token, "email": "neighbour@example.org", "consent": "on"})
    assert RequestFollower.objects.count() == 1 and len(mail.outbox) == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_change_status(
            citizen_request=near,
            status=Status.IN_PROGRESS,
            actor=staff,
            note="Équipe en route chez M. Autre.",
        )
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"jean.autre@example.org", "Neighbour@example.org"}
    to_joiner = by_recipient["Neighbour@example.org"]
    assert to_joiner.subject == "Update on a request you joined: Pothole"
    assert "In progress" in to_joiner.body
    # Never the requester's name, the city's note to them nor their private link.
    for private in ("Jean Autre", "M. Autre", near.reference, "/suivi/", "/status/"):
        assert private not in to_joiner.body and private not in to_joiner.subject
    assert "Pothole" not in by_recipient["jean.autre@example.org"].subject  # the requester's stays French

    # An internal change is not e-mailed to anyone.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_change_status(citizen_request=near, status=Status.WAITING, actor=staff, public=False)
    assert mail.outbox == []


def test_joiners_are_counted_in_the_queue_and_purged_with_the_request(
    client, pothole, registry, django_user_model
):
    staff = StaffFactory(username="travaux", department=pothole.department, handler=True)
    popular = reported(pothole, "16 rue des Érables")
    quiet = reported(pothole, "300 rue des Érables")
    for email in ("a@example.org", "b@example.org"):
        RequestFollower.objects.create(request=popular, email=email)
    client.force_login(staff)
    queue = reverse("requests_queue:index")
    most = client.get(queue, {"ordering": "-followers_count"})
    assert most.status_code == 200
    assert most.text.index(popular.reference) < most.text.index(quiet.reference)
    least = client.get(queue, {"ordering": "followers_count"})
    assert least.text.index(quiet.reference) < least.text.index(popular.reference)
    assert "a@example.org" not in most.text

    long_ago = timezone.now() - datetime.timedelta(days=365 * 4)
    CitizenRequest.objects.filter(pk=popular.pk).update(status=Status.CLOSED, status_changed_at=long_ago)
    assert personal_data_purge() == 1
    assert not RequestFollower.objects.filter(request=popular).exists()


def test_a_closed_request_cannot_be_joined(client, portal, pothole, registry):
    near = reported(pothole, "16 rue des Érables")
    token = join_tokens(send(client))[0]
    CitizenRequest.objects.filter(pk=near.pk).update(status=Status.RESOLVED)
    response = client.post(join_url(), {"demande": token, "email": "voisin@example.org", "consent": "on"})
    assert response.status_code == 400 and not RequestFollower.objects.exists()


def test_joining_is_rate_limited(client, portal, pothole, registry, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "join": (2, 3600)}
    reported(pothole, "16 rue des Érables")
    token = join_tokens(send(client))[0]
    for _attempt in range(2):
        assert client.post(join_url(), {"demande": token, "email": "voisin@example.org"}).status_code == 400
    limited = client.post(join_url(), {"demande": token, "email": "voisin@example.org", "consent": "on"})
    assert limited.status_code == 429 and 'value="voisin@example.org"' in limited.text
    assert not RequestFollower.objects.exists()


def test_the_handle_view_says_how_many_joined_never_who(client, pothole, registry, django_user_model):
    staff = StaffFactory(username="travaux", department=pothole.department, handler=True)
    popular = reported(pothole, "16 rue des Érables")
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        RequestFollower.objects.create(request=popular, email=email)
    client.force_login(staff)
    page = client.get(reverse("requests_queue:edit", args=[popular.pk]))
    assert page.status_code == 200
    assert re.search(r"<dd data-followers>\s*3\s*</dd>", page.text)
    assert "a@example.org" not in page.text
    # The handler sees the registry address the citizen's text matched, with its sectors.
    assert re.search(r"<dd data-address-match>16, Rue des Érables · collection_sector: nord</dd>", page.text)
