import io
import struct
import zlib

import pytest

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from forms.forms import MultipleFileField
from forms.uploads import MAX_BYTES, check_upload

from .conftest import PDF_BYTES, png_bytes, png_upload


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
