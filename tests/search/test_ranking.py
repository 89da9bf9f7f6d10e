"""The shared ranking without a database: typo choices a citizen would agree with."""

import pytest

from search.query import parse_query, slip_cost, stem
from search.ranking import MIN_SEARCHERS, build_index, corrections, rank, searched_stems


def index_of(*titles, language="fr"):
    rows = [(number, None, title, "", "", "") for number, title in enumerate(titles, start=1)]
    return build_index(rows, language, "test")


def test_the_likelier_slip_wins():
    assert slip_cost("garbge", "garbage") < slip_cost("garbge", "garage")  # a letter left out
    assert slip_cost("pemris", "permis") == 0.0  # two letters swapped
    assert slip_cost("permia", "permis") < slip_cost("permim", "permis")  # a and s are neighbours
    index = index_of("garage garage garage", "garbage", language="en")
    assert corrections(index, "garbge", "en")[0].word == "garbage"


def test_words_visitors_searched_break_ties_but_one_visitor_does_not():
    index = index_of("baile ouvert", "balle perdue")
    assert corrections(index, "bale", "fr")[0].word == "baile"  # equal slips: alphabetical
    few = [("balle perdue", f"visitor{number}") for number in range(MIN_SEARCHERS - 1)]
    index.searched = searched_stems(few + [("balle", "visitor0")] * 10, "fr")
    assert corrections(index, "bale", "fr")[0].word == "baile"
    index.searched = searched_stems(few + [("balle", "another")], "fr")
    assert corrections(index, "bale", "fr")[0].word == "balle"


def test_known_words_and_plurals_are_never_corrected():
    index = index_of("piscine creusée", "permis de piscine")
    assert corrections(index, "piscines", "fr") == []
    assert corrections(index, "permis", "fr") == []
    result = rank(index, parse_query("piscines permis", language="fr"), limit=3)
    assert result.suggestion is None and result.hits


@pytest.mark.parametrize("typed", ["pubelle", "pubel"])
def test_a_stem_one_edit_away_is_corrected(typed):
    index = index_of("poubelles et bacs", "permis de piscine")
    result = rank(index, parse_query(typed, language="fr"), limit=3)
    assert [hit.page_id for hit in result.hits] == [1]
    assert result.suggestion == "poubelles"


@pytest.mark.django_db
def test_words_visitors_searched_and_clicked_are_read_without_personal_data(corpus):
    from search.engines.database import DatabaseEngine
    from search.models import ClickLog, QueryLog

    for number in range(MIN_SEARCHERS):
        log = QueryLog.objects.create(
            query="ecocentre horaire",
            language="fr",
            results_count=1,
            engine="database",
            duration_ms=1.0,
            session_digest=f"digest{number}",
        )
        ClickLog.objects.create(query_log=log, page_id=1, position=1)
    QueryLog.objects.create(
        query="piscine",
        language="fr",
        results_count=1,
        engine="database",
        duration_ms=1.0,
        session_digest="x",
    )  # searched, but nothing clicked: not a successful search
    DatabaseEngine.forget()
    searched = DatabaseEngine().language_index("fr").searched
    assert searched == {stem("ecocentre", "fr"): MIN_SEARCHERS, stem("horaire", "fr"): MIN_SEARCHERS}
