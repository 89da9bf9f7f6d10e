"""Behaviour of the one entry point, on each engine: the database engine (on SQLite and
PostgreSQL) and the cluster engine on a real OpenSearch node. The same tests, the same
expectations: a citizen can't tell which engine answered.
"""

import pytest

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page

from knowledge.models import AnswerPage, ServicePage, TopicPage
from search.entry import SearchResponse, search_pages
from search.models import QueryLog, SearchDocument, Synonym
from tests.factories import AnswerPageFactory

from .conftest import source_ids, top

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_engine")]


def test_keywords_find_the_answer_first(corpus):
    assert top("collecte ordures")[0] == "col-fr"
    assert top("permis piscine")[0] == "piscine-fr"


def test_accents_and_case_do_not_matter(corpus):
    assert top("DENEIGEMENT stationnement")[0] == "neige-fr"
    assert top("ecocentre")[0] == "eco-fr"


def test_elision_and_question_words(corpus):
    assert top("c'est quand l'écocentre est ouvert?")[0] == "eco-fr"
    assert top("Est-ce que je peux mettre du carton dans le bac?")[0] == "rec-fr"


def test_stemming_matches_other_forms(corpus):
    assert top("piscines")[0] == "piscine-fr"
    assert top("recycler des contenants")[0] == "rec-fr"
    assert top("towing vehicles", "en")[0] == "neige-en"


def test_typos_are_tolerated_and_suggested(corpus):
    response = search_pages("permi de piscinne", language="fr")
    assert source_ids(response)[0] == "piscine-fr"
    assert response.suggestion == "permis de piscine"  # the words as typed, only the slips corrected
    assert top("stationement de nuit")[0] == "neige-fr"
    response = search_pages("pisicne hors tere", language="fr")
    assert source_ids(response)[0] == "piscine-fr"
    assert response.suggestion == "piscine hors terre"
    assert search_pages("piscines", language="fr").suggestion is None  # a plural, not a slip


def test_no_suggestion_for_well_spelt_queries(corpus):
    assert search_pages("permis piscine", language="fr").suggestion is None


def test_default_synonyms_cover_citizen_words(corpus):
    assert top("vidanges mardi")[0] == "col-fr"
    assert top("bac bleu")[0] == "rec-fr"
    assert top("gratte stationnement")[0] == "neige-fr"
    assert top("trash day", "en")[0] == "col-en"


def test_an_editors_synonym_change_takes_effect_without_restart(corpus):
    assert "piscine-fr" not in top("trempette")
    rule = Synonym.objects.create(language="fr", terms="trempette, baignade", canonical="piscine")
    assert top("trempette")[0] == "piscine-fr"
    rule.canonical = "écocentre"
    rule.save()
    assert top("trempette")[0] == "eco-fr"
    rule.delete()
    assert top("trempette") == []


def test_highlighted_excerpt(corpus):
    hit = search_pages("déneigement", language="fr").results[0]
    assert "<mark>déneigement</mark>" in hit.excerpt.lower() or "<mark>Déneigement</mark>" in hit.excerpt
    hit = search_pages("vidanges", language="fr").results[0]
    assert "<mark>ordures</mark>" in hit.excerpt

    hit = search_pages("peinture", language="fr").results[0]
    assert hit.source_id == "eco-fr" and "<mark>peinture</mark>" in hit.excerpt.lower()


def test_excerpt_is_escaped(portal):
    AnswerPageFactory(source_id="x-fr", title="Balises", summary="Le <script>alert(1)</script> piège")
    hit = search_pages("script piège", language="fr").results[0]
    assert "<script" not in hit.excerpt and "&lt;<mark>script</mark>&gt;" in hit.excerpt


def test_markup_in_the_query_is_not_echoed(corpus):
    assert "<script" not in search_pages("<script>piscine", language="fr").results[0].excerpt


def test_instant_answers_complete_titles(corpus):
    assert top("perm", prefix=True) == ["piscine-fr"]
    assert top("permis pisc", prefix=True)[0] == "piscine-fr"


def test_instant_answers_complete_a_mistyped_start(corpus):
    # Half a word with a slip of the finger: the start of an editor's keyword, one edit away.
    assert top("pubel", prefix=True) == ["col-fr"]
    assert top("Permus de p", prefix=True)[0] == "piscine-fr"


def test_results_are_in_the_requested_language_only(corpus):
    assert all(sid.endswith("-en") for sid in top("garbage parking snow removal", "en"))
    assert all(sid.endswith("-fr") for sid in top("stationnement ordures", "fr"))
    assert top("garbage", "fr") == []


def test_topic_filter(corpus):
    topic = TopicPage.objects.get(title="Déneigement")
    assert top("stationnement ordures", topic_id=topic.pk) == ["neige-fr"]


def test_only_live_pages_and_the_index_follows_the_content(corpus):
    page = AnswerPage.objects.get(source_id="eco-fr")
    assert top("écocentre")[0] == "eco-fr"
    page.unpublish()
    assert "eco-fr" not in top("écocentre")
    page.save_revision().publish()
    assert top("écocentre")[0] == "eco-fr"
    page.title = "Heures de la ressourcerie"
    page.save_revision().publish()
    assert top("ressourcerie")[0] == "eco-fr"
    page.delete()
    assert "eco-fr" not in top("écocentre")
    assert not SearchDocument.objects.filter(source_id="eco-fr").exists()


def test_move_updates_url_and_topic(corpus):
    page = ServicePage.objects.get(source_id="piscine-fr")
    target = TopicPage.objects.get(title="Déneigement")
    page.move(target, pos="last-child")
    hit = search_pages("piscine", language="fr").results[0]
    assert hit.url.startswith(target.url)
    assert top("piscine", topic_id=target.pk) == ["piscine-fr"]


def test_unpublishing_a_topic_hides_its_answers(corpus):
    topic = TopicPage.objects.get(title="Permis")
    topic.unpublish()
    assert "piscine-fr" not in top("piscine")


def test_promotions_come_first(corpus):
    page = AnswerPage.objects.get(source_id="eco-fr")
    SearchPromotion.objects.create(
        query=Query.get("piscine"), page=Page.objects.get(pk=page.pk), sort_order=0
    )
    response = search_pages("Piscine", language="fr")
    assert source_ids(response)[:2] == ["eco-fr", "piscine-fr"]
    assert response.results[0].promoted
    # A French promotion never shows on the English side.
    assert "eco-fr" not in top("piscine", "en")


def test_searches_are_logged_without_personal_data(corpus, each_engine):
    search_pages("Vidanges   MARDI", language="fr")
    search_pages("zzzqqq", language="fr")
    logs = {log.query: log for log in QueryLog.objects.all()}
    assert logs["vidanges mardi"].results_count >= 1
    assert logs["vidanges mardi"].engine == each_engine
    assert logs["zzzqqq"].results_count == 0


def test_pagination_by_offset(corpus):
    first = search_pages("collecte ordures stationnement piscine écocentre", language="fr", limit=2)
    second = search_pages(
        "collecte ordures stationnement piscine écocentre", language="fr", limit=2, offset=2
    )
    assert first.total == second.total >= 4
    assert not set(source_ids(first)) & set(source_ids(second))


def test_empty_and_stop_word_only_queries(corpus):
    assert search_pages("", language="fr").results == []
    assert search_pages("comment est-ce que", language="fr").results == []
    assert isinstance(search_pages("   ", language="en"), SearchResponse)


def test_index_sync_through_the_database_task_backend(corpus, settings):
    """With django-tasks' database backend, publishing enqueues a task; a worker updates the index."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page = AnswerPage.objects.get(source_id="eco-fr")
    page.title = "Heures de la ressourcerie"
    page.save_revision().publish()
    assert DBTaskResult.objects.filter(task_path="search.tasks.index_pages_task").exists()
    assert top("ressourcerie") == []
    # What a db_worker does with each row (its loop closes connections, which a test cannot).
    for row in DBTaskResult.objects.filter(task_path__startswith="search.tasks."):
        row.task.call(*row.task_result.args, **row.task_result.kwargs)
    assert top("ressourcerie")[0] == "eco-fr"
