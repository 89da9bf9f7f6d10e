"""Bodies too large are refused from their declared length, before they are read."""

import io

import pytest

from django.test import Client


class UnreadableBody(io.RawIOBase):
    """A 50 MB upload that fails the test if the server reads more than its first bytes."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.read_bytes += len(buffer)
        if self.read_bytes > 65_536:
            raise AssertionError("the server read the body of an upload it should have refused")
        buffer[:] = b"x" * len(buffer)
        return len(buffer)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, text",
    [("/fr/demande/nid-de-poule/", "Fichiers trop volumineux"), ("/en/status/", "Files too large")],
)
def test_a_50_mb_upload_is_refused_before_it_is_read(portal, path, text):
    body = UnreadableBody()
    response = Client().generic(
        "POST",
        path,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413 and text in response.text
    assert 'class="site-header"' in response.text  # in the site's layout
    assert body.read_bytes == 0


@pytest.mark.django_db
def test_the_api_says_it_in_json(portal):
    response = Client().generic(
        "POST", "/api/search/", content_type="application/json", CONTENT_LENGTH=str(40 * 1024 * 1024)
    )
    assert response.status_code == 413 and "error" in response.json()


@pytest.mark.django_db
def test_three_attachments_of_10_mb_still_fit(settings):
    assert settings.PORTAL_MAX_REQUEST_BYTES > 3 * 10 * 1024 * 1024 + 64 * 1024


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["json", "xml"])
def test_open311_says_it_in_its_own_error_format(portal, extension):
    response = Client().generic(
        "POST",
        f"/open311/v2/requests.{extension}",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(40 * 1024 * 1024),
    )
    assert response.status_code == 413
    if extension == "json":
        [error] = response.json()
        assert error["code"] == 413 and "32 Mo" in error["description"]
    else:
        assert response.text.startswith("<?xml") and "<code>413</code>" in response.text
