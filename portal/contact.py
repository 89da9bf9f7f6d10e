"""The contact block's words in the visitor's language: `ContactDetails`, a translatable snippet."""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from wagtail.models import Locale

from .models import CONTACT_DEFAULTS, ContactDetails


def contact_details(language: str | None = None) -> ContactDetails:
    """The texts in `language` (the active one by default): the first default-locale row's
    translation, else that row; the shipped French defaults (unsaved) when there is none. One query,
    read each request: an edit is seen by every worker at once."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    default = settings.LANGUAGE_CODE
    rows = list(
        ContactDetails.objects.filter(locale__language_code__in={language, default})
        .select_related("locale")
        .order_by("pk")
    )
    source = next((row for row in rows if row.locale.language_code == default), None)
    if source is None:
        return ContactDetails()
    translated = (
        row
        for row in rows
        if row.locale.language_code == language and row.translation_key == source.translation_key
    )
    return next(translated, source)


@transaction.atomic
def contact_details_setup() -> int:
    """Idempotent: the French texts and their translation in every other language that has a
    locale and shipped defaults; rows already there are left as staff wrote them. Returns how many
    rows were made."""
    default = Locale.get_default()
    source = ContactDetails.objects.filter(locale=default).order_by("pk").first()
    made = 0
    if source is None:
        source = ContactDetails.objects.create(locale=default, **CONTACT_DEFAULTS[default.language_code])
        made += 1
    for locale in Locale.objects.exclude(pk=default.pk):
        texts = CONTACT_DEFAULTS.get(locale.language_code)
        if (
            texts
            and not ContactDetails.objects.filter(
                translation_key=source.translation_key, locale=locale
            ).exists()
        ):
            ContactDetails.objects.create(locale=locale, translation_key=source.translation_key, **texts)
            made += 1
    return made
