"""Rebuild the search index of every active engine from the live pages.

python manage.py search_rebuild
"""

from django.core.management.base import BaseCommand

from search.entry import active_engines


class Command(BaseCommand):
    help = "Rebuild the search index (database engine, and the cluster when SEARCH_URL names one)."

    def handle(self, *args, **options):
        for engine in active_engines():
            count = engine.rebuild()
            self.stdout.write(f"{engine.name}: {count} pages indexed")
