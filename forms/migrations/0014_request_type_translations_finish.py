"""Request types become translatable snippets (step 3 of 3): the label_fr/label_en and
help_fr/help_en columns go; locale and translation key become required."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0013_request_type_translations_data"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        # A default first, so that going back can add the columns again to rows that exist.
        migrations.AlterField(
            model_name="requesttype",
            name="label_fr",
            field=models.CharField(default="", max_length=120, verbose_name="label (French)"),
        ),
        migrations.AlterField(
            model_name="requesttype",
            name="label_en",
            field=models.CharField(default="", max_length=120, verbose_name="label (English)"),
        ),
        migrations.RemoveField(model_name="requesttype", name="label_fr"),
        migrations.RemoveField(model_name="requesttype", name="label_en"),
        migrations.RemoveField(model_name="requesttype", name="help_fr"),
        migrations.RemoveField(model_name="requesttype", name="help_en"),
        migrations.AlterField(
            model_name="requesttype",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="requesttype",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(name="requesttype", unique_together={("translation_key", "locale")}),
        migrations.AddConstraint(
            model_name="requesttype",
            constraint=models.UniqueConstraint(
                fields=("slug", "locale"), name="one_request_type_slug_per_locale"
            ),
        ),
        migrations.AlterField(
            model_name="citizenrequest",
            name="request_type",
            field=models.ForeignKey(
                limit_choices_to={"locale__language_code": "fr"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="requests",
                to="requests.requesttype",
                verbose_name="type",
            ),
        ),
    ]
