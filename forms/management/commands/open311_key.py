"""Makes an Open311 API key: ``python manage.py open311_key "App Ma Ville"``; the key is the last line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from forms.open311.keys import api_key_create


class Command(BaseCommand):
    help = "Creates an Open311 API key for NAME and prints it (only once) on the last line."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who uses the key, e.g. the integrator's application.")

    def handle(self, *args, name, **options):
        try:
            api_key, raw_key = api_key_create(name=name)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stderr.write(
            f"Open311 API key {api_key.prefix}… created for “{api_key.name}”. "
            "It is shown only once: keep it now. Revoke it in the admin (Settings → Open311 API keys)."
        )
        self.stdout.write(raw_key)
