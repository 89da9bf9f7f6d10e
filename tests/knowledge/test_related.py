"""Related answers: the editor's choice first (admin or import), else the topic's, same language.

The first two tests go through the importer (its `related` field); the others build pages.
"""

import pytest

from knowledge.models import AnswerPage
from knowledge.related import related_answers, related_scorer_register
from tests.factories import AnswerPageFactory, QueryLogFactory, entry_line, import_lines

pytestmark = pytest.mark.django_db


def imported(*lines):
    report = import_lines(*lines)
    assert report.ok, report.errors


def page(source_id) -> AnswerPage:
    return AnswerPage.objects.get(source_id=source_id)


def titles(pages) -> list[str]:
    return [p.title for p in pages]


def test_the_import_sets_related_answers_in_order_even_before_they_arrive(portal, client):
    imported(
        entry_line(source_id="a-fr", title="Bacs brisés?", related=["c-fr", "b-fr"]),
        entry_line(source_id="b-fr", title="Collecte des ordures?"),
    )
    assert titles(related_answers(page("a-fr"))) == ["Collecte des ordures?"]  # c-fr not there yet
    imported(entry_line(source_id="c-fr", title="Collecte du recyclage?", topic="Recyclage"))
    assert titles(related_answers(page("a-fr"))) == ["Collecte du recyclage?", "Collecte des ordures?"]
    shown = client.get(page("a-fr").url).content.decode()
    assert 'id="related-heading"' in shown and page("c-fr").url in shown


def test_the_import_refuses_a_bad_related_field(portal):
    report = import_lines(entry_line(source_id="x-fr", related="b-fr"))
    assert not report.ok and "related" in report.errors[0][1]
    report = import_lines(entry_line(source_id="y-fr", related=["a", "b", "c", "d"]))
    assert not report.ok and "at most 3" in report.errors[0][1]


def test_without_a_choice_the_topics_answers_never_the_page_itself_nor_another_language(portal):
    AnswerPageFactory(source_id="t1-fr", title="Alpha?")
    AnswerPageFactory(source_id="t2-fr", title="Bêta?")
    AnswerPageFactory(source_id="t3-fr", title="Gamma?")
    AnswerPageFactory(source_id="t4-fr", title="Delta?")
    AnswerPageFactory(source_id="other-fr", title="Autre thème?", topic="Permis")
    AnswerPageFactory(
        source_id="t1-en",
        title="Alpha in English?",
        language="en",
        translation_of=page("t1-fr"),
        topic="Collections",
    )
    shown = related_answers(page("t1-fr"))
    assert len(shown) == 3 and "Alpha?" not in titles(shown) and "Autre thème?" not in titles(shown)
    assert all(p.locale.language_code == "fr" for p in shown)
    assert related_answers(page("t1-en")) == []  # alone in its English topic


def test_the_editors_choice_comes_first(portal):
    AnswerPageFactory(source_id="e1-fr", title="Un?")
    AnswerPageFactory(source_id="e2-fr", title="Deux?")
    AnswerPageFactory(source_id="e3-fr", title="Trois?", topic="Permis")
    first = page("e1-fr")
    first.related = [("page", page("e3-fr"))]
    first.save()
    assert titles(related_answers(first)) == ["Trois?"]


def test_registered_scorers_rank_the_topics_answers(portal):
    AnswerPageFactory(source_id="s1-fr", title="Un?")
    AnswerPageFactory(source_id="s2-fr", title="Deux?")
    AnswerPageFactory(source_id="s3-fr", title="Trois?")
    favourite = page("s3-fr").pk

    def prefers_three(_page, candidate_ids):
        return {favourite: 5.0} if favourite in candidate_ids else {}

    related_scorer_register(prefers_three)
    try:
        assert titles(related_answers(page("s1-fr")))[0] == "Trois?"
    finally:
        from knowledge import related

        related._scorers.remove(prefers_three)


def test_answers_opened_by_the_same_search_sessions_come_first(portal):
    from search.models import ClickLog

    AnswerPageFactory(source_id="c1-fr", title="Un?")
    AnswerPageFactory(source_id="c2-fr", title="Deux?")
    AnswerPageFactory(source_id="c3-fr", title="Trois?")
    first, third = page("c1-fr"), page("c3-fr")
    for session in ("aaaa", "bbbb"):
        log = QueryLogFactory(query="bac", session_digest=session)
        ClickLog.objects.create(query_log=log, page_id=first.pk, position=1)
        ClickLog.objects.create(query_log=log, page_id=third.pk, position=2)
    assert titles(related_answers(first)) == ["Trois?", "Deux?"]
