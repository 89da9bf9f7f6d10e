"""Sends again the e-mails the mail server refused (run it from cron or after an outage)."""

from django.core.management.base import BaseCommand

from forms.services import emails_retry


class Command(BaseCommand):
    help = "Send every pending or failed e-mail of the requests outbox again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-attempts", type=int, default=10, help="Give up on an e-mail after this many tries."
        )

    def handle(self, *args, max_attempts, **options):
        sent, failed = emails_retry(max_attempts=max_attempts)
        self.stdout.write(f"sent: {sent}, still failing: {failed}")
