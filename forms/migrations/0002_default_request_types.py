"""The request types of the customer service centre and the usual service requests."""

from django.db import migrations

from forms.defaults import install_default_request_types


def create_types(apps, schema_editor):
    install_default_request_types(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0001_initial"),
        ("knowledge", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(create_types, migrations.RunPython.noop)]
