"""`manage.py dashboard_demo`: three months of demo searches for the dashboard (run by `make run`)."""

from django.core.management.base import BaseCommand

from forms.dashboard.demo import demo_searches_create


class Command(BaseCommand):
    help = "Create demo searches, clicks and suggestion events (idempotent) for the staff dashboard."

    def handle(self, *args, **options):
        created = demo_searches_create()
        self.stdout.write(f"Demo searches: {created} created." if created else "Demo searches exist already.")
