import io

import pytest
from PIL import Image

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from forms.defaults import install_default_request_types
from forms.models import DepartmentTeam, RequestType

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
def private_files(settings, tmp_path):
    settings.REQUESTS_PRIVATE_ROOT = tmp_path / "private"
    cache.clear()
    yield settings.REQUESTS_PRIVATE_ROOT
    cache.clear()


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


@pytest.fixture
def pothole(db):
    return RequestType.objects.get(slug="nid-de-poule")


@pytest.fixture
def question(db):
    return RequestType.objects.get(slug="question")


def png_bytes(size=(20, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name="trou.png", size=(20, 20)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(size), content_type="image/png")


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def staff_member(django_user_model, username, department, *, handler=False):
    """A staff member in the team of `department` (with personal data access when `handler`)."""
    group, _ = Group.objects.get_or_create(name=f"Équipe {department.name}")
    DepartmentTeam.objects.get_or_create(department=department, defaults={"group": group})
    codenames = ["access_admin", "view_citizenrequest", "change_citizenrequest", "add_citizenrequest"]
    if handler:
        codenames.append("view_personal_data")
    user = django_user_model.objects.create_user(username=username, password="pw-secret-123")
    user.groups.add(group)
    for permission in Permission.objects.filter(codename__in=codenames):
        if handler or permission.codename != "view_personal_data":
            user.user_permissions.add(permission)
    return user
