from django.db import migrations


def load(apps, schema_editor):
    from search.default_synonyms import default_synonyms_load

    default_synonyms_load(apps.get_model("search", "Synonym"))


def unload(apps, schema_editor):
    from search.default_synonyms import DEFAULT_SYNONYMS

    Synonym = apps.get_model("search", "Synonym")
    for language, rules in DEFAULT_SYNONYMS.items():
        for terms, canonical in rules:
            Synonym.objects.filter(language=language, terms=terms, canonical=canonical).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
