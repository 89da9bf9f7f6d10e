import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from forms.defaults import install_default_request_types
from forms.demo import demo_history_create
from home.information import information_pages_setup
from home.setup import portal_tree_setup
from knowledge.demo_registry import demo_registry_create
from portal.contact import contact_details_setup

DEMO_CONTENT = Path(__file__).resolve().parents[3] / "knowledge" / "demo" / "demo-content.jsonl"


class Command(BaseCommand):
    help = "Create the home pages in every language; with --demo, load the demo content and a demo admin."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo", action="store_true", help="import the demo content and create a demo admin"
        )
        parser.add_argument("--hostname", default="127.0.0.1", help="public host name of the site")
        parser.add_argument("--port", type=int, default=8000, help="public port of the site")

    def handle(self, *args, demo=False, hostname="127.0.0.1", port=8000, **options):
        portal_tree_setup(hostname=hostname, port=port)
        # The departments and request types in every language (the migration made the French ones).
        install_default_request_types()
        contact_details_setup()  # the contact block's words in French and English
        created = information_pages_setup()
        self.stdout.write(
            f"Home pages ready in every language; {created} privacy, accessibility or contact pages made."
        )
        if not demo:
            return
        call_command(
            "import_content", str(DEMO_CONTENT), publish=True, stdout=self.stdout, stderr=self.stderr
        )
        addresses = demo_registry_create()
        self.stdout.write(f"Demo address registry: {addresses} addresses.")
        created = demo_history_create(progress=True)
        self.stdout.write(f"Demo requests: {created} created." if created else "Demo requests already there.")
        password = secrets.token_urlsafe(9)
        user, _created = get_user_model().objects.get_or_create(
            username="admin", defaults={"email": "admin@example.org", "is_staff": True, "is_superuser": True}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        banner = "=" * 64
        self.stdout.write(
            self.style.SUCCESS(
                f"\n{banner}\n Demo admin: http://127.0.0.1:8000/admin/\n"
                f"   user:     admin\n   password: {password}\n{banner}\n"
            )
        )
