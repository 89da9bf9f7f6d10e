"""The request URLs are translated (the catalogues themselves: tests/portal/test_i18n.py)."""

from pathlib import Path

from django.urls import reverse
from django.utils import translation

import forms

LOCALE = Path(forms.__file__).resolve().parent / "locale"


def test_urls_are_translated():
    with translation.override("fr"):
        assert reverse("requests:status") == "/fr/suivi/"
        assert reverse("requests:form", args=["bruit"]) == "/fr/demande/bruit/"
    with translation.override("en"):
        assert reverse("requests:status") == "/en/status/"
        assert reverse("requests:form", args=["bruit"]) == "/en/request/bruit/"
