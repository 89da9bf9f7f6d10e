"""Popular searches from the shared cache: the same answer, logged each time, dropped on index changes."""

import re

import pytest

from django.test import Client

from knowledge.models import AnswerPage, ServicePage
from search import result_cache
from search.engines.base import EngineHit, EngineResult, EngineUnavailable, SearchEngine
from search.engines.database import DatabaseEngine
from search.entry import search_pages
from search.models import ClickLog, QueryLog, Synonym
from tests.factories import AnswerPageFactory

from .conftest import source_ids

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

SEARCH = "/fr/recherche/"


@pytest.fixture
def engine_calls(monkeypatch):
    """Counts the searches the database engine really ran (it still ranks them)."""
    calls = []
    original = DatabaseEngine.search

    def counted(self, parsed_query, **kwargs):
        calls.append(parsed_query.raw)
        return original(self, parsed_query, **kwargs)

    monkeypatch.setattr(DatabaseEngine, "search", counted)
    return calls


def without_log_ids(html: str) -> str:
    return re.sub(r"log=\d+", "log=…", html)


def log_ids(html: str) -> set[str]:
    return set(re.findall(r"log=(\d+)", html))


def test_search_page_hit_is_the_same_page_and_is_logged(corpus, engine_calls):
    first = Client().get(SEARCH, {"q": "permis piscine"})
    second = Client().get(SEARCH, {"q": "permis piscine"})
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert len(engine_calls) == 1
    assert without_log_ids(second.text) == without_log_ids(first.text)
    assert "<mark>piscine</mark>" in second.text
    logs = list(QueryLog.objects.order_by("pk"))
    assert [(log.query, log.results_count, log.engine) for log in logs] == [
        ("permis piscine", logs[0].results_count, "database")
    ] * 2
    # Each visit's result links carry its own log line, so clicks are counted per search.
    assert log_ids(first.text) == {str(logs[0].pk)} and log_ids(second.text) == {str(logs[1].pk)}
    link = re.search(r'href="(/fr/recherche/clic/\?[^"]+)"', second.text).group(1).replace("&amp;", "&")
    assert Client().get(link).status_code == 302
    assert ClickLog.objects.get().query_log == logs[1]


def test_search_pages_answers_the_same_query_typed_differently_from_the_cache(corpus, engine_calls, rf):
    first = search_pages("Permis piscine!", language="fr", request=rf.get(SEARCH))
    second = search_pages("permis   PISCINE", language="fr", request=rf.get(SEARCH))
    assert len(engine_calls) == 1
    assert source_ids(second) == source_ids(first) and source_ids(first)[0] == "piscine-fr"
    assert second.results == first.results and second.total == first.total
    assert second.query == "permis   PISCINE"  # what this visitor typed
    assert QueryLog.objects.count() == 2 and second.log_id != first.log_id
    # Another language, slice or mode is another answer.
    search_pages("permis piscine", language="en", request=rf.get(SEARCH))
    search_pages("permis piscine", language="fr", limit=3, request=rf.get(SEARCH))
    search_pages("permis piscine", language="fr", prefix=True, request=rf.get(SEARCH))
    assert len(engine_calls) == 4


def test_offline_tools_measure_the_engine_not_the_cache(corpus, engine_calls):
    for _ in range(2):
        search_pages("permis piscine", language="fr", log=False)
    assert len(engine_calls) == 2


def test_a_newly_published_answer_is_found_at_once(corpus, rf):
    assert Client().get(SEARCH, {"q": "piscine"})["X-Cache"] == "MISS"
    assert Client().get(SEARCH, {"q": "piscine"})["X-Cache"] == "HIT"
    AnswerPageFactory(
        source_id="vidange-piscine-fr",
        topic="Permis",
        title="Vidange de la piscine",
        summary="Vidangez la piscine vers la rue, jamais chez le voisin.",
    )
    page = Client().get(SEARCH, {"q": "piscine"})
    assert page["X-Cache"] == "MISS" and "Vidange de la <mark>piscine</mark>" in page.text
    assert "vidange-piscine-fr" in source_ids(search_pages("piscine", language="fr", request=rf.get(SEARCH)))


def test_an_unpublished_answer_leaves_the_cached_answers(corpus, rf):
    assert source_ids(search_pages("piscine", language="fr", request=rf.get(SEARCH)))[0] == "piscine-fr"
    Client().get(SEARCH, {"q": "piscine"})
    ServicePage.objects.get(source_id="piscine-fr").unpublish()
    assert "piscine-fr" not in source_ids(search_pages("piscine", language="fr", request=rf.get(SEARCH)))
    assert "Permis de" not in Client().get(SEARCH, {"q": "piscine"}).text


def test_a_synonym_change_is_seen_at_once(corpus, rf):
    assert "piscine-fr" not in source_ids(search_pages("trempette", language="fr", request=rf.get(SEARCH)))
    Client().get(SEARCH, {"q": "trempette"})
    Synonym.objects.create(language="fr", terms="trempette, baignade", canonical="piscine")
    assert source_ids(search_pages("trempette", language="fr", request=rf.get(SEARCH)))[0] == "piscine-fr"
    assert "Permis de <mark>piscine</mark>" in Client().get(SEARCH, {"q": "trempette"}).text


def test_a_visitor_with_a_session_gets_a_rendered_page_still_logged(client, corpus, admin_user):
    Client().get(SEARCH, {"q": "permis piscine"})
    client.force_login(admin_user)
    page = client.get(SEARCH, {"q": "permis piscine"})
    assert page.status_code == 200 and "X-Cache" not in page
    assert QueryLog.objects.count() == 2 and log_ids(page.text) == {str(QueryLog.objects.latest("pk").pk)}


class SometimesDownEngine(SearchEngine):
    """A cluster that is down until `up` is set, then ranks the pool page first."""

    name = "opensearch"
    up = False
    top_page_id = None

    def __init__(self, url):
        self.url = url

    def search(self, parsed_query, **kwargs):
        if not SometimesDownEngine.up:
            raise EngineUnavailable("connection refused")
        return EngineResult(hits=[EngineHit(page_id=SometimesDownEngine.top_page_id, score=1.0)], total=1)

    def index_pages(self, pages):
        raise EngineUnavailable("connection refused")

    def remove_pages(self, ids):
        raise EngineUnavailable("connection refused")

    def rebuild(self, progress=None):
        return 0


def test_a_fallback_answer_is_not_kept_as_the_clusters(corpus, settings, monkeypatch, rf):
    from search.engines import selection

    # The site's configured cluster is this engine (the views take the configured engine).
    monkeypatch.setitem(selection._cluster_engines, "opensearch://127.0.0.1:1", SometimesDownEngine("x"))
    monkeypatch.setattr(SometimesDownEngine, "up", False)
    monkeypatch.setattr(SometimesDownEngine, "top_page_id", AnswerPage.objects.get(source_id="eco-fr").pk)
    settings.SEARCH_URL = "opensearch://127.0.0.1:1"
    settings.SEARCH_RETRY_AFTER = 0  # kept as long as the cluster is left alone: not at all
    assert search_pages("piscine", language="fr", request=rf.get(SEARCH)).engine == "database"
    assert "X-Cache" not in Client().get(SEARCH, {"q": "piscine"})  # the page is never stored
    SometimesDownEngine.up = True
    back = search_pages("piscine", language="fr", request=rf.get(SEARCH))
    assert back.engine == "opensearch" and source_ids(back) == ["eco-fr"]
    assert Client().get(SEARCH, {"q": "piscine"})["X-Cache"] == "MISS"


def test_an_index_task_moves_the_search_generation(corpus):
    from search.tasks import index_pages_task

    result_cache.invalidate()
    before = result_cache.generation.current()
    index_pages_task.enqueue(page_ids=[AnswerPage.objects.get(source_id="col-fr").pk])
    assert result_cache.generation.current() > before


def test_the_cache_can_be_turned_off(corpus, settings, engine_calls):
    settings.PORTAL_SEARCH_CACHE_SECONDS = 0
    for _ in range(2):
        assert "X-Cache" not in Client().get(SEARCH, {"q": "permis piscine"})
    assert len(engine_calls) == 2 and QueryLog.objects.count() == 2
