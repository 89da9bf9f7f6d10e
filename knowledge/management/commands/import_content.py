from tqdm import tqdm

from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Site

from knowledge.importer import import_entries, iter_file


class Command(BaseCommand):
    help = "Import answers and services from a JSON Lines file (shared/specs/content-import.md)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON Lines file, one entry per line")
        parser.add_argument("--site", type=int, help="ID of the Wagtail site (default: the default site)")
        parser.add_argument("--publish", action="store_true", help="publish the pages (default: save drafts)")

    def handle(self, *args, path, site=None, publish=False, **options):
        try:
            target = Site.objects.get(pk=site) if site else Site.objects.get(is_default_site=True)
        except Site.DoesNotExist:
            raise CommandError("No such Wagtail site; run `manage.py setup_portal` first.") from None
        try:
            lines = list(iter_file(path))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None

        def progress(entries):
            return tqdm(entries, desc="Importing", unit="entry", file=self.stderr._out)

        report = import_entries(lines, site=target, publish=publish, progress=progress)
        for line_number, message in report.errors:
            self.stderr.write(self.style.ERROR(f"line {line_number}: {message}"))
        for line_number, message in report.warnings:
            self.stderr.write(self.style.WARNING(f"line {line_number}: warning: {message}"))
        state = "published" if publish else "saved as drafts (use --publish to publish)"
        self.stdout.write(
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"{len(report.errors)} failed; pages {state}."
        )
        if not report.ok:
            raise CommandError(f"{len(report.errors)} line(s) could not be imported.", returncode=1)
