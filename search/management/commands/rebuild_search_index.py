"""Rebuild the search index of every active engine from the live pages.

    python manage.py rebuild_search_index [--engine all|database|cluster]
    python manage.py rebuild_search_index --pending

On a cluster (`SEARCH_URL`), a new index is built per language and its alias
switched atomically once it is loaded: searches keep answering meanwhile.
`--pending` only applies the changes the cluster missed while it was down
(`search.sync`); it is cheap, and can run every few minutes from cron.
"""

from tqdm import tqdm

from django.core.management.base import BaseCommand, CommandError

from search.engines.selection import active_engines


class Command(BaseCommand):
    help = "Rebuild the search index (database engine and, when SEARCH_URL names one, the cluster)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine",
            choices=["all", "database", "cluster"],
            default="all",
            help="Which index to rebuild (default: every active engine).",
        )
        parser.add_argument(
            "--pending",
            action="store_true",
            help="Only apply the changes the cluster missed while it was down.",
        )

    def handle(self, *args, engine="all", pending=False, **options):
        if pending:
            self.replay_pending()
            return
        from search.models import PendingSync

        missed = list(PendingSync.objects.values_list("pk", flat=True))
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
            if candidate.name != "database":
                PendingSync.objects.filter(pk__in=missed).delete()  # the rebuild covered them

    def replay_pending(self) -> None:
        from search.engines.selection import cluster_engine
        from search.sync import CLUSTER_DOWN, replay

        engine = cluster_engine()
        if engine is None:
            raise CommandError("No cluster is configured: set SEARCH_URL (opensearch://host:port).")
        try:
            count = replay(engine)
        except CLUSTER_DOWN as error:
            raise CommandError(f"{engine.name} is still down: {error}") from error
        self.stdout.write(f"{engine.name}: {count} missed changes applied.")
