"""The scheduled work of requests (every 15 minutes from cron or a systemd timer): idempotent."""

from django.core.management.base import BaseCommand

from forms.follow_up import follow_up


class Command(BaseCommand):
    help = (
        "Late notices to citizens, the staff reminder digest, closing resolved requests after the "
        "reopen window, the Law 25 purge and typical delays. "
        "Safe to run as often as wanted, even two copies at once: nothing is sent twice."
    )

    def handle(self, *args, **options):
        follow_up(report=self.stdout.write)
