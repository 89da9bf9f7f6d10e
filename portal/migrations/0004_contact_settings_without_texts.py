"""The contact settings keep what does not depend on the language: the texts are `ContactDetails`."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_contact_details")]

    operations = [
        migrations.RemoveField(model_name="contactsettings", name="days_en"),
        migrations.RemoveField(model_name="contactsettings", name="days_fr"),
        migrations.RemoveField(model_name="contactsettings", name="service_name_en"),
        migrations.RemoveField(model_name="contactsettings", name="service_name_fr"),
    ]
