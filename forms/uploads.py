"""Attachments are judged by their content, never by their name or the browser's word."""

import hashlib
import warnings

from PIL import Image

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

MAX_FILES = 3
MAX_BYTES = 10 * 1024 * 1024
# A photo from a phone is ~12–50 megapixels; anything larger is refused before decoding.
MAX_PIXELS = 60_000_000

SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
]
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}
# The extension a file is stored and downloaded with: the detected type's, never the one it came with.
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
}
MAX_STEM_LENGTH = 100


def sniff(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def safe_filename(name: str | None, content_type: str) -> str:
    """The citizen's file name made safe: its base name, sanitised, with the detected type's extension.

    `x.html` that is a PDF becomes `x.pdf`: a staff member's browser never opens it as a page.
    """
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # nothing left, or only dots
        stem = ""
    stem = stem[:MAX_STEM_LENGTH].strip("._-") or "fichier"
    return f"{stem}.{EXTENSIONS.get(content_type, 'bin')}"


def check_upload(upload: UploadedFile):
    """Returns a CheckedFile or raises ValidationError with a message for the citizen."""
    from .services import CheckedFile

    name = upload.name or "?"
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is larger than 10 MB. Send a smaller file.") % {"name": name}, code="too_large"
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(16)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s” is not a photo (JPEG, PNG, GIF, WebP) or a PDF document.") % {"name": name},
            code="type",
        )
    if content_type in PILLOW_FORMATS:
        check_image(upload, content_type, name)
    else:
        check_pdf(upload, name)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload=upload, content_type=content_type, sha256=digest.hexdigest())


def check_image(upload: UploadedFile, content_type: str, name: str) -> None:
    unreadable = ValidationError(_("“%(name)s” is not a readable image.") % {"name": name}, code="image")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Opening reads only the header: the size is known before anything is decoded.
            with Image.open(upload, formats=[PILLOW_FORMATS[content_type]]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(
                        _("“%(name)s” has too many pixels (%(width)s × %(height)s). Send a smaller photo.")
                        % {"name": name, "width": width, "height": height},
                        code="bomb",
                    )
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("“%(name)s” has too many pixels. Send a smaller photo.") % {"name": name}, code="bomb"
        ) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors on broken files
        raise unreadable from None
    finally:
        upload.seek(0)


def check_pdf(upload: UploadedFile, name: str) -> None:
    upload.seek(0)
    tail_size = min(upload.size, 2048)
    upload.seek(upload.size - tail_size)
    tail = upload.read(tail_size)
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise ValidationError(_("“%(name)s” is not a complete PDF document.") % {"name": name}, code="pdf")
