"""Relevance of search on a labelled set, in a fresh throwaway database (and cluster indices).

python manage.py search_eval CORPUS.jsonl QUERIES.jsonl [--engines database cluster] [--cluster URL]
                             [--baseline]

Every engine named is measured on the same content in the same run; `--baseline`
adds stock Wagtail search. The cluster engine (`--cluster`, default `SEARCH_URL`)
gets indices of a throwaway prefix, deleted at the end; a search it cannot answer
stops the run rather than measure the database engine in its place.
"""

import os
import time
import uuid
from functools import partial

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from search.evaluation import FellBack, deflection_search, evaluate, read_queries, wagtail_search


class Command(BaseCommand):
    help = "Import CORPUS into a fresh database and index, run QUERIES, print Recall@1/3/5, MRR and misses."

    def add_arguments(self, parser):
        parser.add_argument("corpus")
        parser.add_argument("queries")
        parser.add_argument("--baseline", action="store_true", help="Also measure stock Wagtail search.")
        parser.add_argument(
            "--engines",
            nargs="+",
            choices=["database", "cluster"],
            help="Engines to measure (default: database, and cluster when a cluster URL is set).",
        )
        parser.add_argument(
            "--cluster",
            default=settings.SEARCH_URL or os.environ.get("SEARCH_URL", ""),
            help="The cluster's SEARCH_URL (opensearch://… or elasticsearch://…); default SEARCH_URL.",
        )
        parser.add_argument("--quiet-misses", action="store_true")
        parser.add_argument(
            "--miss-rank", type=int, default=3, help="List queries whose answer ranks below this (default 3)."
        )

    def handle(self, *args, corpus, queries, baseline, engines, cluster, quiet_misses, miss_rank, **options):
        try:
            with open(corpus, encoding="utf-8") as handle:
                corpus_lines = handle.readlines()
            with open(queries, encoding="utf-8") as handle:
                labelled = read_queries(handle)
        except OSError as error:
            raise CommandError(str(error)) from None
        engines = engines or (["database", "cluster"] if cluster else ["database"])
        if "cluster" in engines and not cluster:
            raise CommandError("--engines cluster needs --cluster URL (or SEARCH_URL).")
        runs = [
            (name, partial(deflection_search, search_url=cluster if name == "cluster" else ""))
            for name in engines
        ]
        if baseline:
            runs.append(('stock Wagtail (operator="or")', wagtail_search))
        # The import indexes into the database engine; the cluster is built once, after it.
        settings.SEARCH_URL = ""
        settings.SEARCH_INDEX_PREFIX = f"eval-{uuid.uuid4().hex[:8]}"
        database = settings.DATABASES["default"]
        original_name = database["NAME"]
        database.setdefault("TEST", {})
        if connection.vendor != "sqlite":
            database["TEST"]["NAME"] = f"{original_name}_search_eval"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        engine = None
        try:
            self.load(corpus_lines, labelled)
            if "cluster" in engines:
                engine = self.cluster_engine(cluster)
            for name, search in runs:
                try:
                    evaluation = evaluate(labelled, search, miss_rank=miss_rank)
                except FellBack as error:
                    raise CommandError(str(error)) from error
                if quiet_misses:
                    evaluation.misses = evaluation.misses[:0]
                self.stdout.write(f"\n== {name}\n{evaluation.report()}")
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)
            if engine is not None:
                engine.delete_indices()

    def load(self, corpus_lines, labelled) -> None:
        from home.setup import portal_tree_setup
        from knowledge.importer import import_entries

        started = time.perf_counter()
        portal_tree_setup()
        report = import_entries(corpus_lines, publish=True)
        if not report.ok:
            self.stderr.write(f"Import errors: {report.errors[:5]}")
        self.stdout.write(
            f"Imported {report.created} entries in {time.perf_counter() - started:.1f}s "
            f"on {connection.vendor}; {len(labelled)} queries"
        )

    def cluster_engine(self, url: str):
        """The cluster engine on this run's throwaway indices, built from the imported pages."""
        from search.engines.selection import cluster_engine

        engine = cluster_engine(url)
        try:
            count = engine.rebuild()
        except Exception as error:
            raise CommandError(f"No search cluster answers at {url}: {error}") from error
        self.stdout.write(f"Indexed {count} pages on {engine.name} ({engine.prefix}-*)")
        return engine
