"""Adds the larger default list (Québec municipal vocabulary, both languages) to databases that
loaded the first one; rules an editor already has are kept as they are."""

from django.db import migrations


def load(apps, schema_editor):
    from search.default_synonyms import default_synonyms_load

    default_synonyms_load(apps.get_model("search", "Synonym"))


class Migration(migrations.Migration):
    dependencies = [("search", "0003_pending_sync")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
