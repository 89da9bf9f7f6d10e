"""The contact block's words (service name, opening days) move from `ContactSettings`'s
`*_fr`/`*_en` fields to the translatable snippet `ContactDetails`: a French row and its English
translation. The old fields go in 0004, in a transaction of their own."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

FRENCH = {"service_name": "Centre de service aux citoyens", "days": "du lundi au vendredi"}
ENGLISH = {"service_name": "Citizen Service Centre", "days": "Monday to Friday"}


def copy_texts(apps, schema_editor):
    ContactSettings = apps.get_model("portal", "ContactSettings")
    ContactDetails = apps.get_model("portal", "ContactDetails")
    Locale = apps.get_model("wagtailcore", "Locale")
    contact = ContactSettings.objects.order_by("pk").first()
    if contact is None:
        return  # never edited: `setup_portal` (contact_details_setup) writes the defaults
    french = {"service_name": contact.service_name_fr, "days": contact.days_fr}
    english = {"service_name": contact.service_name_en, "days": contact.days_en}
    french_locale, _created = Locale.objects.get_or_create(language_code="fr")
    english_locale = Locale.objects.filter(language_code="en").first()
    if english_locale is None and english != ENGLISH:
        english_locale = Locale.objects.create(language_code="en")  # staff's English text is kept
    key = uuid.uuid4()
    ContactDetails.objects.create(locale=french_locale, translation_key=key, **french)
    if english_locale is not None:
        ContactDetails.objects.create(
            locale=english_locale,
            translation_key=key,
            service_name=english["service_name"] or french["service_name"],
            days=english["days"] or french["days"],
        )


def copy_texts_back(apps, schema_editor):
    ContactSettings = apps.get_model("portal", "ContactSettings")
    ContactDetails = apps.get_model("portal", "ContactDetails")
    french = ContactDetails.objects.filter(locale__language_code="fr").order_by("pk").first()
    if french is None:
        return
    english = (
        ContactDetails.objects.filter(translation_key=french.translation_key, locale__language_code="en").first()
        or french
    )
    ContactSettings.objects.update(
        service_name_fr=french.service_name,
        days_fr=french.days,
        service_name_en=english.service_name,
        days_en=english.days,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_phone_numbers"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContactDetails",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("translation_key", models.UUIDField(default=uuid.uuid4, editable=False)),
                (
                    "service_name",
                    models.CharField(
                        default="Centre de service aux citoyens", max_length=120, verbose_name="service name"
                    ),
                ),
                (
                    "days",
                    models.CharField(
                        default="du lundi au vendredi",
                        help_text="e.g. Monday to Friday; the hours are in the contact settings.",
                        max_length=120,
                        verbose_name="opening days",
                    ),
                ),
                (
                    "locale",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wagtailcore.locale",
                        verbose_name="locale",
                    ),
                ),
            ],
            options={
                "verbose_name": "contact text",
                "verbose_name_plural": "contact texts",
                "ordering": ["pk"],
                "abstract": False,
                "unique_together": {("translation_key", "locale")},
            },
        ),
        migrations.RunPython(copy_texts, copy_texts_back),
    ]
