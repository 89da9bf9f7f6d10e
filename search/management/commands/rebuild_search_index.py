"""Rebuild the search index of every active engine from the live pages.

    python manage.py rebuild_search_index [--engine all|database|cluster]

On a cluster (`SEARCH_URL`), a new index is built per language and its alias
switched atomically once it is loaded: searches keep answering meanwhile.
"""

from tqdm import tqdm

from django.core.management.base import BaseCommand, CommandError

from search.entry import active_engines


class Command(BaseCommand):
    help = "Rebuild the search index (database engine and, when SEARCH_URL names one, the cluster)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine",
            choices=["all", "database", "cluster"],
            default="all",
            help="Which index to rebuild (default: every active engine).",
        )

    def handle(self, *args, engine="all", **options):
        engines = [
            candidate
            for candidate in active_engines()
            if engine == "all" or (engine == "database") == (candidate.name == "database")
        ]
        if not engines:
            raise CommandError("No cluster is configured: set SEARCH_URL (opensearch://host:port).")
        for candidate in engines:
            with tqdm(desc=f"Indexing ({candidate.name})", unit="page", file=self.stderr._out) as bar:

                def progress(done, total, bar=bar):
                    bar.total = total
                    bar.update(done - bar.n)

                try:
                    count = candidate.rebuild(progress=progress)
                except Exception as error:
                    raise CommandError(f"{candidate.name}: {error}") from error
            self.stdout.write(f"{candidate.name}: {count} pages indexed.")
