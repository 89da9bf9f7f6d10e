"""The request types of the customer service centre and the usual service requests.

A copy of `install_default_request_types` as it was when the types had `label_fr`/`label_en`
fields: the function now writes translatable rows (migration 0012), which this state lacks.
"""

import uuid

from django.db import migrations

from forms.defaults import DEPARTMENTS, TYPES


def create_types(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Department = apps.get_model("knowledge", "Department")
    RequestType = apps.get_model("requests", "RequestType")
    french, _ = Locale.objects.get_or_create(language_code="fr")
    english = Locale.objects.filter(language_code="en").first()
    departments = {}
    for key, (name_fr, name_en) in DEPARTMENTS.items():
        department = Department.objects.filter(locale=french, name__iexact=name_fr).first()
        if department is None:
            department = Department.objects.create(name=name_fr, locale=french, translation_key=uuid.uuid4())
        if (
            english
            and not Department.objects.filter(
                locale=english, translation_key=department.translation_key
            ).exists()
        ):
            Department.objects.create(
                name=name_en, locale=english, translation_key=department.translation_key
            )
        departments[key] = department
    for order, row in enumerate(TYPES):
        slug, category, dept, days, label_fr, label_en, address, date, files, help_fr, help_en = row
        RequestType.objects.get_or_create(
            slug=slug,
            defaults={
                "category": category,
                "department": departments[dept],
                "target_business_days": days,
                "label_fr": label_fr,
                "label_en": label_en,
                "help_fr": help_fr,
                "help_en": help_en,
                "asks_address": address,
                "asks_occurred_on": date,
                "allows_attachments": files,
                "sort_order": (order + 1) * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0001_initial"),
        ("knowledge", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(create_types, migrations.RunPython.noop)]
