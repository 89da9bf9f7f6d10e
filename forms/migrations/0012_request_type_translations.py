"""Request types become translatable snippets (step 1 of 3): the locale, translation key, label
and help text columns, and a slug unique per locale (a type's translations share its slug)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0011_request_merge"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.AddField(
            model_name="requesttype",
            name="label",
            field=models.CharField(default="", max_length=120, verbose_name="label"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="requesttype",
            name="help_text",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="help text"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="requesttype",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="requesttype",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AlterField(
            model_name="requesttype",
            name="slug",
            field=models.SlugField(
                help_text="The code of the type in its URL and in Open311: the same in every language.",
                max_length=80,
                verbose_name="slug",
            ),
        ),
    ]
