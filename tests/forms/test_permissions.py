import pytest

from forms.models import RequestType
from forms.selectors import can_see_personal_data, requests_visible_to
from forms.services import request_submit
from tests.factories import StaffFactory

from .conftest import VALID_DATA


@pytest.fixture
def two_requests(db):
    pothole = RequestType.objects.get(slug="nid-de-poule")  # Travaux publics
    noise = RequestType.objects.get(slug="bruit")  # Sécurité publique
    return (
        request_submit(request_type=pothole, data=VALID_DATA)[0],
        request_submit(request_type=noise, data=VALID_DATA)[0],
    )


def test_staff_see_only_their_departments_requests(two_requests, django_user_model):
    pothole_request, noise_request = two_requests
    works = StaffFactory(username="travaux", department=pothole_request.department)
    police = StaffFactory(username="police", department=noise_request.department)
    assert list(requests_visible_to(works)) == [pothole_request]
    assert list(requests_visible_to(police)) == [noise_request]


def test_personal_data_only_for_handlers(two_requests, django_user_model, admin_user):
    pothole_request, noise_request = two_requests
    clerk = StaffFactory(username="commis", department=pothole_request.department)
    handler = StaffFactory(username="responsable", department=pothole_request.department, handler=True)
    assert not can_see_personal_data(clerk, pothole_request)
    assert can_see_personal_data(handler, pothole_request)
    assert not can_see_personal_data(handler, noise_request)
    assert can_see_personal_data(admin_user, noise_request)
    # The person a request is assigned to handles it.
    pothole_request.assignee = clerk
    assert can_see_personal_data(clerk, pothole_request)


def test_admin_queue_and_detail_respect_departments(two_requests, django_user_model, client):
    pothole_request, noise_request = two_requests
    handler = StaffFactory(username="responsable", department=pothole_request.department, handler=True)
    client.force_login(handler)
    queue = client.get("/admin/requests_queue/")
    assert queue.status_code == 200
    assert pothole_request.reference in queue.text
    assert noise_request.reference not in queue.text
    assert client.get(f"/admin/requests_queue/edit/{pothole_request.pk}/").status_code == 200
    # Another department's request is "not found", like a pk that does not exist (the locale
    # middleware sends an unknown path to its /fr/ twin, which is not found either).
    refused = client.get(f"/admin/requests_queue/edit/{noise_request.pk}/", follow=True)
    assert refused.status_code == 404
    assert client.get("/admin/requests_queue/edit/999999/", follow=True).status_code == 404


def test_clerk_does_not_see_personal_data_in_admin(two_requests, django_user_model, client):
    pothole_request, _ = two_requests
    clerk = StaffFactory(username="commis", department=pothole_request.department)
    client.force_login(clerk)
    page = client.get(f"/admin/requests_queue/edit/{pothole_request.pk}/")
    assert page.status_code == 200
    assert VALID_DATA["email"] not in page.text
    assert VALID_DATA["name"] not in page.text


def test_queue_filters(two_requests, admin_user, client):
    pothole_request, noise_request = two_requests
    client.force_login(admin_user)
    only_noise = client.get("/admin/requests_queue/", {"request_type": noise_request.request_type_id})
    assert noise_request.reference in only_noise.text and pothole_request.reference not in only_noise.text
    overdue = client.get("/admin/requests_queue/", {"overdue": "true"})
    assert overdue.status_code == 200 and pothole_request.reference not in overdue.text
    by_status = client.get("/admin/requests_queue/", {"status": "submitted", "ordering": "-expected_on"})
    assert by_status.status_code == 200 and pothole_request.reference in by_status.text
