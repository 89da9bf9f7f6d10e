"""Staff handling in the Wagtail admin: intake by phone, status change with a note, files."""

import pytest

from django.core import mail
from django.urls import reverse

from wagtail.users.models import UserProfile

from forms.defaults import install_default_request_types
from forms.models import Attachment, CitizenRequest, RequestEvent, RequestType
from forms.services import request_submit
from forms.uploads import check_upload
from knowledge.models import Department
from tests.factories import StaffFactory

from .conftest import VALID_DATA, png_upload

pytestmark = pytest.mark.django_db


def test_agent_records_a_phone_request(client, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    form = client.get("/admin/requests_queue/new/")
    assert form.status_code == 200
    pothole = RequestType.objects.get(slug="nid-de-poule")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/requests_queue/new/",
            {
                "channel": "phone",
                "request_type": pothole.pk,
                "language": "en",
                "subject": "Pothole on King Street",
                "description": "Called at 9:10.",
                "address": "1 King Street",
                "phone": "418 555-0199",
                "email": "caller@example.org",
                "consent": "on",
            },
        )
    citizen_request = CitizenRequest.objects.get()
    assert response.status_code == 302
    assert citizen_request.channel == "phone" and citizen_request.created_by == admin_user
    assert citizen_request.language == "en"
    assert mail.outbox[0].subject == f"Request {citizen_request.reference} received"


def test_intake_needs_contact_and_address(client, admin_user):
    client.force_login(admin_user)
    pothole = RequestType.objects.get(slug="nid-de-poule")
    response = client.post(
        "/admin/requests_queue/new/",
        {
            "channel": "phone",
            "request_type": pothole.pk,
            "language": "fr",
            "subject": "x",
            "description": "y",
        },
    )
    assert response.status_code == 200 and CitizenRequest.objects.count() == 0


def test_handler_changes_status_with_public_note(
    client, django_user_model, django_capture_on_commit_callbacks
):
    citizen_request, _ = request_submit(
        request_type=RequestType.objects.get(slug="nid-de-poule"), data=VALID_DATA
    )
    handler = StaffFactory(username="resp", department=citizen_request.department, handler=True)
    client.force_login(handler)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/requests_queue/edit/{citizen_request.pk}/",
            {
                "status": "in_progress",
                "note": "Équipe en route.",
                "note_is_public": "on",
                "assignee": handler.pk,
            },
        )
    assert response.status_code == 302
    citizen_request.refresh_from_db()
    assert citizen_request.status == "in_progress" and citizen_request.assignee == handler
    event = citizen_request.events.get(kind=RequestEvent.Kind.STATUS)
    assert event.actor == handler and event.is_public and event.note == "Équipe en route."
    assert "Équipe en route." in mail.outbox[-1].body
    detail = client.get(f"/admin/requests_queue/edit/{citizen_request.pk}/")
    assert "Équipe en route." in detail.text and VALID_DATA["email"] in detail.text


def test_invalid_transition_in_admin_is_a_form_error(client, admin_user):
    citizen_request, _ = request_submit(
        request_type=RequestType.objects.get(slug="question"), data=VALID_DATA
    )
    client.force_login(admin_user)
    response = client.post(f"/admin/requests_queue/edit/{citizen_request.pk}/", {"status": "waiting"})
    assert response.status_code == 400  # "waiting" is not offered for a submitted request


def test_attachment_download_only_for_handlers(client, django_user_model):
    upload = png_upload("trou.png")
    citizen_request, _ = request_submit(
        request_type=RequestType.objects.get(slug="nid-de-poule"),
        data=VALID_DATA,
        files=[check_upload(upload)],
    )
    attachment = Attachment.objects.get()
    url = f"/admin/requests/attachments/{attachment.pk}/"
    clerk = StaffFactory(username="commis", department=citizen_request.department)
    client.force_login(clerk)
    assert client.get(url).status_code in (302, 404)
    handler = StaffFactory(username="resp", department=citizen_request.department, handler=True)
    client.force_login(handler)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.logout()
    assert client.get(url).status_code == 302  # to the admin login


def test_request_types_are_managed_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    viewset = RequestType.snippet_viewset
    listing = client.get(reverse(viewset.get_url_name("list")))
    assert listing.status_code == 200 and "Nid-de-poule" in listing.text
    pothole = RequestType.objects.in_default_locale().get(slug="nid-de-poule")
    assert client.get(reverse(viewset.get_url_name("edit"), args=[pothole.pk])).status_code == 200


def test_the_reassignment_list_names_each_department_once_in_the_staff_language(client, admin_user, portal):
    install_default_request_types()  # with the English locale of `portal`: both languages' rows
    citizen_request, _ = request_submit(
        request_type=RequestType.objects.in_default_locale().get(slug="nid-de-poule"), data=VALID_DATA
    )
    french = citizen_request.department
    english = Department.objects.get(translation_key=french.translation_key, locale__language_code="en")
    UserProfile.get_for_user(admin_user).__class__.objects.filter(user=admin_user).update(
        preferred_language="en"
    )
    client.force_login(admin_user)
    page = client.get(f"/admin/requests_queue/edit/{citizen_request.pk}/").content.decode()
    select = page[page.index('name="department"') : page.index("</select>", page.index('name="department"'))]
    assert f">{english.name}</option>" in select and f">{french.name}</option>" not in select
    assert select.count("<option") == Department.objects.filter(locale__language_code="fr").count() + 1
