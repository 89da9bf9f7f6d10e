import pytest

from search.engines.database import DatabaseEngine
from search.entry import promotions_forget
from search.models import QueryLog
from search.synonyms import synonyms_forget


@pytest.fixture(autouse=True)
def fresh_engine_cache():
    """Each test starts with an empty in-process index (as a freshly started process)."""
    DatabaseEngine.forget()
    synonyms_forget()
    promotions_forget()
    yield
    DatabaseEngine.forget()
    synonyms_forget()


@pytest.fixture(params=["database", pytest.param("opensearch", marks=pytest.mark.opensearch)])
def each_engine(request):
    """Runs a test on the database engine, then on the cluster engine with a real OpenSearch node.

    Requested before the test's pages are built (`usefixtures` comes first), so the pages
    reach the cluster as they would in production.
    """
    if request.param == "opensearch":
        request.getfixturevalue("cluster_search")
    yield request.param
    # No silent fallback: every search of the test was answered by the engine under test.
    assert set(QueryLog.objects.values_list("engine", flat=True)) <= {request.param}


def source_ids(response):
    return [hit.source_id for hit in response.results]


def top(query, language="fr", **kwargs):
    """Source ids of the answers `search_pages` gives, best first."""
    from search.entry import search_pages

    return source_ids(search_pages(query, language=language, **kwargs))
