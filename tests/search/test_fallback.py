"""The entry point without its cluster: the database engine answers, and can rebuild its index."""

import pytest

from search.entry import search_pages
from search.models import SearchDocument

from .conftest import source_ids, top

pytestmark = pytest.mark.django_db


def test_cluster_engine_falls_back_to_the_database(corpus):
    from search.engines.base import EngineUnavailable, SearchEngine

    class DownEngine(SearchEngine):
        name = "opensearch"

        def search(self, parsed_query, **kwargs):
            raise EngineUnavailable("connection refused")

        def index_pages(self, pages):
            raise EngineUnavailable("connection refused")

        def remove_pages(self, ids):
            raise EngineUnavailable("connection refused")

        def rebuild(self, progress=None):
            return 0

    response = search_pages("permis piscine", language="fr", engine=DownEngine())
    assert response.engine == "database"
    assert source_ids(response)[0] == "piscine-fr"


def test_rebuild_command_restores_a_lost_index(corpus):
    from django.core.management import call_command

    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index")
    assert SearchDocument.objects.count() == 7
    assert top("permis piscine")[0] == "piscine-fr"
