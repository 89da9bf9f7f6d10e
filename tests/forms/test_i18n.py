"""The French catalogue is complete and compiled; URLs are translated."""

import gettext
from pathlib import Path

from django.urls import reverse
from django.utils import translation

import forms
from forms.locale.fr_translations import ENTRY

LOCALE = Path(forms.__file__).resolve().parent / "locale"


def entries(po: Path) -> list[dict]:
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields, current = {}, None
        for line in block.splitlines():
            match = ENTRY.match(line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            found.append(fields)
    return found


def unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n")


def test_every_french_string_is_translated():
    missing = [
        e["msgid"] for e in entries(LOCALE / "fr" / "LC_MESSAGES" / "django.po") if not e.get("msgstr")
    ]
    assert missing == []


def test_compiled_catalogue_matches_the_po_file():
    folder = LOCALE / "fr" / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for entry in entries(folder / "django.po"):
        msgid = unescape(entry["msgid"])
        if "msgctxt" in entry:
            compiled = catalogue.pgettext(unescape(entry["msgctxt"]), msgid)
        else:
            compiled = catalogue.gettext(msgid)
        assert compiled == unescape(entry["msgstr"]), f"run compilemessages: {msgid}"


def test_urls_are_translated():
    with translation.override("fr"):
        assert reverse("requests:status") == "/fr/suivi/"
        assert reverse("requests:form", args=["bruit"]) == "/fr/demande/bruit/"
    with translation.override("en"):
        assert reverse("requests:status") == "/en/status/"
        assert reverse("requests:form", args=["bruit"]) == "/en/request/bruit/"
