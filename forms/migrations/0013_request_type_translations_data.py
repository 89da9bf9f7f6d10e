"""Request types become translatable snippets (step 2 of 3): each type becomes its French row
and an English translation sharing its translation key; requests keep pointing to the French row.

Its own migration (its own transaction): PostgreSQL refuses to alter a table in the transaction
that has just written rows referenced by deferred foreign keys.
"""

import uuid

from django.db import migrations

from forms.defaults import TYPES

SHARED_FIELDS = (
    "slug",
    "category",
    "department_id",
    "target_business_days",
    "asks_address",
    "asks_occurred_on",
    "allows_attachments",
    "is_active",
    "sort_order",
)


def split_languages(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    RequestType = apps.get_model("requests", "RequestType")
    types = list(RequestType.objects.filter(locale__isnull=True))
    if not types:
        return
    french, _created = Locale.objects.get_or_create(language_code="fr")
    english = Locale.objects.filter(language_code="en").first()
    shipped = {row[0]: (row[5], row[10]) for row in TYPES}
    if english is None and any((t.label_en, t.help_en) != shipped.get(t.slug) for t in types):
        # English text that staff wrote and that no default can give back: keep it.
        english = Locale.objects.create(language_code="en")
    for request_type in types:
        request_type.locale = french
        request_type.translation_key = uuid.uuid4()
        request_type.label = request_type.label_fr
        request_type.help_text = request_type.help_fr
        request_type.save()
        if english is not None:
            RequestType.objects.create(
                locale=english,
                translation_key=request_type.translation_key,
                label=request_type.label_en or request_type.label_fr,
                help_text=request_type.help_en,
                label_fr=request_type.label_fr,
                label_en=request_type.label_en,
                help_fr=request_type.help_fr,
                help_en=request_type.help_en,
                **{name: getattr(request_type, name) for name in SHARED_FIELDS},
            )


def join_languages(apps, schema_editor):
    """Back to one row per type with label_fr/label_en: the French row takes the English text."""
    RequestType = apps.get_model("requests", "RequestType")
    CitizenRequest = apps.get_model("requests", "CitizenRequest")
    rows = list(RequestType.objects.select_related("locale"))
    by_key = {}
    for row in rows:
        by_key.setdefault(row.translation_key, {})[row.locale.language_code if row.locale else "fr"] = row
    for languages in by_key.values():
        french = languages.get("fr") or next(iter(languages.values()))
        english = languages.get("en", french)
        french.label_fr, french.help_fr = french.label, french.help_text
        french.label_en, french.help_en = english.label, english.help_text
        french.save()
        for row in languages.values():
            if row.pk != french.pk:
                CitizenRequest.objects.filter(request_type=row).update(request_type=french)
                row.delete()


class Migration(migrations.Migration):
    dependencies = [("requests", "0012_request_type_translations")]

    operations = [migrations.RunPython(split_languages, join_languages)]
