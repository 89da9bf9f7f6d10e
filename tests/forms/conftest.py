import io
from datetime import timedelta

import pytest
from PIL import Image

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forms.defaults import install_default_request_types
from forms.models import CitizenRequest, RequestType
from tests.factories import CitizenRequestFactory, StaffFactory

VALID_DATA = {
    "subject": "Nid-de-poule devant le 12, rue Principale",
    "description": "Un trou profond dans la voie de droite.",
    "address": "12, rue Principale",
    "email": "citoyenne@example.org",
    "phone": "",
    "name": "Marie Tremblay",
    "consent": True,
}


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path, empty_cache):
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"
    return settings.REQUESTS_PRIVATE_ROOT


def uses_transactions(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def default_request_types(request):
    """The types of the data migration; a transactional test elsewhere may have flushed them."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker or "db" in request.fixturenames or "transactional_db" in request.fixturenames):
        return
    request.getfixturevalue("transactional_db" if uses_transactions(request) else "db")
    install_default_request_types()


DEPARTMENT_EMAIL = "travaux@example.org"


@pytest.fixture
def open_request(db, portal):
    """Marie Tremblay's pothole request (e-mail and phone); its department is reachable by e-mail."""
    citizen_request = CitizenRequestFactory(**{**VALID_DATA, "phone": "418 555-0123"})
    department = citizen_request.department
    department.email = DEPARTMENT_EMAIL
    department.save(update_fields=["email"])
    return citizen_request


def resolved_days_ago(citizen_request, days: int):
    """Moves the request's resolution (its last status change) `days` back."""
    CitizenRequest.objects.filter(pk=citizen_request.pk).update(
        resolved_at=timezone.now() - timedelta(days=days),
        status_changed_at=timezone.now() - timedelta(days=days),
    )
    citizen_request.refresh_from_db()


@pytest.fixture
def pothole(db):
    return RequestType.objects.in_default_locale().get(slug="nid-de-poule")  # the row requests point to


@pytest.fixture
def question(db):
    return RequestType.objects.in_default_locale().get(slug="question")  # the row requests point to


def png_bytes(size=(20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name="trou.png", size=(20, 20)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(size), content_type="image/png")


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def staff_member(django_user_model, username, department, *, handler=False):
    """`tests.factories.StaffFactory` under its former name (for modules not moved yet)."""
    return StaffFactory(username=username, department=department, handler=handler)
