import io
import struct
import zlib

import pytest

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from forms.forms import MultipleFileField
from forms.uploads import MAX_BYTES, check_upload, safe_filename

from .conftest import PDF_BYTES, VALID_DATA, png_bytes, png_upload


def bomb_png(width=30_000, height=30_000) -> bytes:
    """A tiny PNG that claims 900 megapixels: a decompression bomb."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def test_png_and_pdf_are_accepted():
    assert check_upload(png_upload()).content_type == "image/png"
    assert check_upload(SimpleUploadedFile("lettre.pdf", PDF_BYTES)).content_type == "application/pdf"


def test_type_is_judged_by_content_not_name():
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg"))
    assert error.value.code == "type"
    # A real PNG named .pdf is still a PNG.
    assert check_upload(SimpleUploadedFile("document.pdf", png_bytes())).content_type == "image/png"


def test_truncated_image_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("casse.png", png_bytes()[:40]))
    assert error.value.code == "image"


def test_oversize_is_refused():
    big = SimpleUploadedFile("gros.pdf", PDF_BYTES + b"0" * MAX_BYTES)
    with pytest.raises(ValidationError) as error:
        check_upload(big)
    assert error.value.code == "too_large"


def test_decompression_bomb_is_refused_without_decoding():
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("bombe.png", bomb_png()))
    assert error.value.code == "bomb"


def test_pdf_without_end_is_refused():
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("faux.pdf", b"%PDF-1.4 and then nothing"))


def test_at_most_three_files():
    field = MultipleFileField(required=False)
    with pytest.raises(ValidationError):
        field.clean([png_upload(f"{n}.png") for n in range(4)])
    assert len(field.clean([png_upload(f"{n}.png") for n in range(3)])) == 3


def test_french_error_message(settings):
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("virus.exe", io.BytesIO(b"MZ").read()))
    assert "n'est ni une photo" in error.value.messages[0]


# --- stored and downloaded under the detected type's extension ------------------------------


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("x.html", "application/pdf", "x.pdf"),
        ("lettre.PDF", "application/pdf", "lettre.pdf"),
        ("photo de la rue.jpeg", "image/jpeg", "photo_de_la_rue.jpg"),
        ("document.pdf", "image/png", "document.png"),
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("C:\\Users\\marie\\trou été.png", "image/png", "trou_été.png"),
        ("<img onerror=x>.gif", "image/gif", "img_onerrorx.gif"),
        (".htaccess", "image/webp", "fichier.webp"),
        ("..", "application/pdf", "fichier.pdf"),
        ("", "application/pdf", "fichier.pdf"),
        (None, "image/png", "fichier.png"),
    ],
)
def test_safe_filename_keeps_the_base_name_and_never_the_given_extension(name, content_type, expected):
    assert safe_filename(name, content_type) == expected


def test_safe_filename_is_short():
    assert len(safe_filename("a" * 400 + ".pdf", "application/pdf")) <= 104


def test_pdf_named_html_is_stored_and_downloaded_as_pdf(client, admin_user, pothole):
    from django.urls import reverse

    from forms.models import Attachment
    from forms.services import request_submit

    checked = check_upload(SimpleUploadedFile("x.html", PDF_BYTES, content_type="text/html"))
    assert checked.content_type == "application/pdf"
    request_submit(request_type=pothole, data=VALID_DATA, files=[checked])
    attachment = Attachment.objects.get()
    assert attachment.original_name == "x.pdf"
    assert attachment.download_name == "x.pdf"
    assert attachment.file.name.endswith(".pdf")
    assert "x.html" not in attachment.file.name
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES

    client.force_login(admin_user)
    response = client.get(reverse("requests_attachment", args=[attachment.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="x.pdf"' in disposition
    assert ".html" not in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_download_name_fixes_names_saved_before_the_rule():
    from forms.models import Attachment, CitizenRequest

    attachment = Attachment(
        request=CitizenRequest(), original_name="rapport.html", content_type="application/pdf"
    )
    assert attachment.download_name == "rapport.pdf"
