from django.core.management.base import BaseCommand

from search.surges import surges_notify


class Command(BaseCommand):
    help = "Tell editors when searches for one thing surge (run it every 15 minutes, with follow_up)."

    def handle(self, *args, **options):
        told = surges_notify()
        self.stdout.write(f"Search surges: {told} e-mailed to editors.")
