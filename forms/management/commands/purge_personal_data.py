from tqdm import tqdm

from django.core.management.base import BaseCommand

from forms.retention import RETENTION_YEARS, personal_data_purge, requests_due_for_purge


class Command(BaseCommand):
    help = "Destroy the personal information of requests finished more than N years ago (Québec's Law 25)."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=RETENTION_YEARS, help="retention period in years")
        parser.add_argument("--dry-run", action="store_true", help="only count the requests that are due")

    def handle(self, *args, years=RETENTION_YEARS, dry_run=False, **options):
        if dry_run:
            self.stdout.write(f"{requests_due_for_purge(years=years).count()} request(s) due for purge.")
            return

        def progress(items):
            return tqdm(items, desc="Purging", unit="request", file=self.stderr._out)

        purged = personal_data_purge(years=years, progress=progress)
        self.stdout.write(f"Personal information destroyed in {purged} request(s).")
