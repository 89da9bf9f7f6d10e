"""Relevance of search on a labelled set, in a fresh throwaway database.

python manage.py search_eval CORPUS.jsonl QUERIES.jsonl [--baseline] [--engine database|cluster]
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from search.evaluation import deflection_search, evaluate, read_queries, wagtail_search


class Command(BaseCommand):
    help = "Import CORPUS into a fresh database and index, run QUERIES, print Recall@1/3/5, MRR and misses."

    def add_arguments(self, parser):
        parser.add_argument("corpus")
        parser.add_argument("queries")
        parser.add_argument("--baseline", action="store_true", help="Also measure stock Wagtail search.")
        parser.add_argument(
            "--engine",
            choices=["default", "database"],
            default="default",
            help="database: force the database engine even when SEARCH_URL names a cluster.",
        )
        parser.add_argument("--quiet-misses", action="store_true")
        parser.add_argument(
            "--miss-rank", type=int, default=3, help="List queries whose answer ranks below this (default 3)."
        )

    def handle(self, *args, corpus, queries, baseline, engine, quiet_misses, miss_rank, **options):
        try:
            with open(corpus, encoding="utf-8") as handle:
                corpus_lines = handle.readlines()
            with open(queries, encoding="utf-8") as handle:
                labelled = read_queries(handle)
        except OSError as error:
            raise CommandError(str(error)) from None
        if engine == "database":
            settings.SEARCH_URL = ""
        database = settings.DATABASES["default"]
        original_name = database["NAME"]
        database.setdefault("TEST", {})
        if connection.vendor != "sqlite":
            database["TEST"]["NAME"] = f"{original_name}_search_eval"
        test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            self._run(corpus_lines, labelled, baseline, quiet_misses, miss_rank)
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0)
        del test_name

    def _run(self, corpus_lines, labelled, baseline, quiet_misses, miss_rank):
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
        runs = [("deflection layer", deflection_search)]
        if baseline:
            runs.append(('stock Wagtail (operator="or")', wagtail_search))
        for name, search in runs:
            evaluation = evaluate(labelled, search, miss_rank=miss_rank)
            if quiet_misses:
                evaluation.misses = evaluation.misses[:0]
            self.stdout.write(f"\n== {name}\n{evaluation.report()}")
