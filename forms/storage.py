"""Private storage for attachments: outside MEDIA_ROOT, no URL, never served by the web server."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_root() -> str:
    return str(settings.REQUESTS_PRIVATE_ROOT)


class PrivateStorage(FileSystemStorage):
    """Reads REQUESTS_PRIVATE_ROOT at each use, so tests can point it at a temporary folder."""

    @property
    def base_location(self):
        return private_root()

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Attachments are private and have no public URL.")

    def deconstruct(self):
        return ("forms.storage.PrivateStorage", (), {})


private_storage = PrivateStorage()
