from tqdm import tqdm

from django.core.management.base import BaseCommand, CommandError

from knowledge.addresses import addresses_import


class Command(BaseCommand):
    help = (
        "Load the city's civic address registry from a CSV (civic_number, suffix, street, postal_code, "
        "latitude, longitude, and any sector columns such as collection_sector or snow_sector). "
        "Idempotent: an address already there is updated in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the CSV file (UTF-8, with a header line)")

    def handle(self, *args, path, **options):
        try:
            handle = open(path, encoding="utf-8-sig", newline="")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        with handle:
            report = addresses_import(
                handle, progress=lambda rows: tqdm(rows, unit=" addresses", disable=None, file=self.stderr)
            )
        for line_number, message in report.errors:
            self.stderr.write(f"line {line_number}: {message}")
        self.stdout.write(
            f"{report.imported} addresses imported, {report.sectors_created} new sectors, "
            f"{len(report.errors)} lines refused."
        )
        if report.errors:
            raise CommandError("Some lines were refused (see above); the others were imported.")
