"""Merging a duplicate request B into request A (forms/merge.py): B is closed and points at A, B's
requester and followers follow A through the joining code, both citizens are e-mailed, A's
timeline says a duplicate came in without anything of B, and each keeps its retention schedule."""

import datetime

import pytest

from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from forms.merge import request_merge
from forms.models import CitizenRequest, OutgoingEmail, RequestEvent, RequestFollower, Status
from forms.retention import personal_data_purge
from forms.services import request_change_status, request_submit, site_url, status_link

from .conftest import VALID_DATA, staff_member

pytestmark = pytest.mark.django_db

FIRST = {**VALID_DATA, "name": "Marie Tremblay", "email": "marie@example.org"}
SECOND = {
    **VALID_DATA,
    "subject": "Trou devant chez Jean Autre",
    "description": "Description privée de Jean Autre.",
    "name": "Jean Autre",
    "email": "jean.autre@example.org",
    "phone": "418-555-0199",
}


def submitted(request_type, data, language="fr") -> CitizenRequest:
    citizen_request, _created = request_submit(request_type=request_type, data=data, language=language)
    return citizen_request


@pytest.fixture
def staff(django_user_model, pothole):
    return staff_member(django_user_model, "travaux", pothole.department, handler=True)


@pytest.fixture
def pair(pothole):
    """A (French, the one that carries on) and B (English, its duplicate)."""
    return submitted(pothole, FIRST), submitted(pothole, SECOND, language="en")


def merge_url(citizen_request) -> str:
    return reverse("requests_merge", args=[citizen_request.pk])


def handle_url(citizen_request) -> str:
    return reverse("requests_queue:edit", args=[citizen_request.pk])


def test_merge_informs_both_citizens_and_moves_the_followers(
    client, staff, pair, django_capture_on_commit_callbacks
):
    first, second = pair
    RequestFollower.objects.create(request=second, email="voisine@example.org", language="fr")
    RequestFollower.objects.create(request=second, email="Both@example.org", language="fr")
    RequestFollower.objects.create(request=first, email="both@example.org", language="en")
    client.force_login(staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # Typed the way a citizen reads it over the phone: lower case, no dashes.
        response = client.post(merge_url(second), {"reference": first.reference.lower().replace("-", " ")})
    assert response.status_code == 302 and response["Location"] == handle_url(first)

    second.refresh_from_db()
    assert second.status == Status.CLOSED and second.merged_into == first
    # B's requester and B's follower now follow A; the one who followed both is there once.
    followers = {f.email.lower(): f.language for f in RequestFollower.objects.filter(request=first)}
    assert followers == {
        "jean.autre@example.org": "en",
        "voisine@example.org": "fr",
        "both@example.org": "en",
    }
    assert not RequestFollower.objects.filter(request=second).exists()

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"jean.autre@example.org", "marie@example.org", "voisine@example.org"}
    to_second = by_recipient["jean.autre@example.org"]  # in English, B's language
    assert to_second.subject == f"Your request {second.reference} was merged into request {first.reference}"
    assert (
        "You will be told of the updates of request" in to_second.body and first.reference in to_second.body
    )
    to_first = by_recipient["marie@example.org"]  # in French, nothing of B nor of its citizen
    assert first.reference in to_first.subject and "Bonjour Marie Tremblay" in to_first.body
    for private in (second.reference, "Jean Autre", "jean.autre", "Description privée", "418-555"):
        assert private not in to_first.body and private not in to_first.subject
    to_follower = by_recipient["voisine@example.org"]
    for private in (first.reference, second.reference, "Jean Autre", "Marie Tremblay", "/suivi/"):
        assert private not in to_follower.body and private not in to_follower.subject

    # A's public updates now reach B's requester through the followers' path, in English.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_change_status(citizen_request=first, status=Status.IN_PROGRESS, actor=staff, note="En route.")
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert by_recipient["jean.autre@example.org"].subject.startswith("Update on a request you joined: ")
    assert set(by_recipient) == {
        "marie@example.org",
        "jean.autre@example.org",
        "voisine@example.org",
        "both@example.org",
    }
    # B, closed, is not told of anything any more.
    assert not OutgoingEmail.objects.filter(request=second, kind="update").exists()


def test_timelines_on_both_sides_without_personal_data(client, staff, pair):
    first, second = pair
    client.force_login(staff)
    client.post(merge_url(second), {"reference": first.reference}, follow=True)  # its message read

    merged = second.public_events().get(kind=RequestEvent.Kind.MERGED)
    assert merged.note == first.reference and merged.to_status == Status.CLOSED
    came_in = first.public_events().get(kind=RequestEvent.Kind.DUPLICATE_MERGED)
    assert came_in.note == ""

    # A's public status page (by reference) says a duplicate came in, and nothing of B.
    status = client.get(reverse("requests:status"), {"reference": first.reference})
    assert status.status_code == 200
    with translation.override("fr"):
        assert escape(str(RequestEvent.Kind.DUPLICATE_MERGED.label)) in status.text
    for private in (second.reference, "Jean Autre", "jean.autre", "Description privée"):
        assert private not in status.text

    # B's citizen reads, on their private page, which request carries theirs on.
    private = client.get(status_link(second).removeprefix(site_url()))
    assert private.status_code == 200 and first.reference in private.text

    # Staff see both sides in the handle view.
    page_first = client.get(handle_url(first))
    assert page_first.status_code == 200 and "data-merged-requests" in page_first.text
    assert second.reference in page_first.text and "data-merge" in page_first.text
    page_second = client.get(handle_url(second))
    assert "data-merged-into" in page_second.text and first.reference in page_second.text
    assert "data-merge " not in page_second.text and f'action="{merge_url(second)}"' not in page_second.text


def test_refused_outside_the_selector_into_itself_and_when_already_merged(
    client, staff, pair, pothole, question, django_user_model
):
    first, second = pair
    elsewhere = submitted(question, {**SECOND, "email": "ailleurs@example.org"})  # another department
    client.force_login(staff)

    def refused(duplicate, reference):
        before = list(CitizenRequest.objects.order_by("pk").values_list("status", "merged_into"))
        response = client.post(merge_url(duplicate), {"reference": reference}, follow=True)
        assert list(CitizenRequest.objects.order_by("pk").values_list("status", "merged_into")) == before
        assert not RequestFollower.objects.exists()
        return response

    # A request this staff member does not see: "not found", in both directions.
    page = refused(second, elsewhere.reference)
    assert f"No request {elsewhere.reference} among yours." in page.text or "Aucune demande" in page.text
    assert client.post(merge_url(elsewhere), {"reference": first.reference}).status_code == 404
    with pytest.raises(ValidationError, match="that you handle|traitez"):
        request_merge(duplicate=second, into=elsewhere, actor=staff)
    # Into itself, a bad reference.
    refused(second, second.reference)
    refused(second, "RAE-0000-0000-X")

    client.post(merge_url(second), {"reference": first.reference})
    assert CitizenRequest.objects.get(pk=second.pk).merged_into == first
    followers = RequestFollower.objects.count()
    # Already merged: not again, and nothing can be merged into it.
    third = submitted(pothole, {**FIRST, "email": "troisieme@example.org"})
    before = list(CitizenRequest.objects.order_by("pk").values_list("status", "merged_into"))
    client.post(merge_url(second), {"reference": third.reference})
    client.post(merge_url(third), {"reference": second.reference})
    assert list(CitizenRequest.objects.order_by("pk").values_list("status", "merged_into")) == before
    assert RequestFollower.objects.count() == followers
    # A staff member without the change permission, or of no team, finds nothing.
    outsider = django_user_model.objects.create_user(username="autre", password="pw-secret-123")
    with pytest.raises(ValidationError, match="that you handle|traitez"):
        request_merge(duplicate=third, into=first, actor=outsider)


def test_purge_each_on_its_own_schedule(client, staff, pair):
    first, second = pair
    RequestFollower.objects.create(request=second, email="voisine@example.org")
    client.force_login(staff)
    client.post(merge_url(second), {"reference": first.reference})

    # B closed at the merge: purged on its own schedule, A (still open) keeps its followers.
    long_ago = timezone.now() - datetime.timedelta(days=365 * 4)
    CitizenRequest.objects.filter(pk=second.pk).update(status_changed_at=long_ago)
    assert personal_data_purge() == 1
    second.refresh_from_db()
    assert second.personal_data_purged_at and second.email == "" and second.name == ""
    assert not OutgoingEmail.objects.filter(request=second).exists()
    assert set(RequestFollower.objects.filter(request=first).values_list("email", flat=True)) == {
        "jean.autre@example.org",
        "voisine@example.org",
    }
    # A's follower rows go with A's personal data.
    CitizenRequest.objects.filter(pk=first.pk).update(status=Status.CLOSED, status_changed_at=long_ago)
    assert personal_data_purge() == 1
    assert not RequestFollower.objects.exists()


def test_a_requester_without_email_is_left_to_a_phone_call(client, staff, pothole):
    first = submitted(pothole, FIRST)
    by_phone = submitted(pothole, {**SECOND, "email": ""})
    client.force_login(staff)
    page = client.post(merge_url(by_phone), {"reference": first.reference}, follow=True)
    assert CitizenRequest.objects.get(pk=by_phone.pk).merged_into == first
    assert not RequestFollower.objects.exists()
    assert "phone" in page.text or "téléphone" in page.text
