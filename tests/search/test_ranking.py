"""The shared ranking without a database: typo choices a citizen would agree with."""

import pytest

from search.query import parse_query, slip_cost, stem
from search.ranking import MIN_SEARCHERS, build_index, corrections, rank, searched_stems
from tests.factories import QueryLogFactory


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
    from search.models import ClickLog

    for number in range(MIN_SEARCHERS):
        log = QueryLogFactory(query="ecocentre horaire", results_count=1, session_digest=f"digest{number}")
        ClickLog.objects.create(query_log=log, page_id=1, position=1)
    QueryLogFactory(query="piscine", results_count=1)  # searched, nothing clicked: not a success
    DatabaseEngine.forget()
    searched = DatabaseEngine().language_index("fr").searched
    assert searched == {stem("ecocentre", "fr"): MIN_SEARCHERS, stem("horaire", "fr"): MIN_SEARCHERS}


def test_candidates_are_scored_alone_and_exactly_as_over_the_whole_index():
    """The cluster engine scores only its candidates: same scores to the last bit, same order,
    same total and did-you-mean as scoring every page and keeping the candidates."""
    import numpy as np

    from search.ranking import expand, score

    index = index_of(
        "collecte des ordures ménagères",
        "collecte des matières recyclables",
        "permis de piscine creusée",
        "ordures et encombrants: la collecte",
        "piscine municipale, horaires",
        "collecte des feuilles mortes",
    )
    for text in ("collecte ordures", "colecte piscine", "piscine horaires collecte", "ordures"):
        parsed = parse_query(text, language="fr")
        expansion = expand(index, parsed)
        everything, _used = score(index, parsed, expansion)
        rows = np.array([0, 2, 3, 5])
        alone, _used = score(index, parsed, expansion, rows=rows)
        assert alone.tolist() == everything[rows].tolist()
        for candidates, topic_id in (([1, 3, 4, 6], None), ([4, 1, 99], None), ([], None), ([1, 3], 5)):
            masked = everything.copy()
            masked[~np.isin(index.page_ids, candidates)] = 0.0
            result = rank(index, parsed, limit=10, candidates=candidates, topic_id=topic_id)
            if topic_id is not None:
                assert result.hits == []  # no page is under that topic
                continue
            cutoff = masked.max() * 0.12
            expected = sorted(
                (int(index.page_ids[at]) for at in np.flatnonzero((masked >= cutoff) & (masked > 0))),
                key=lambda page_id: (-masked[page_id - 1], page_id),
            )
            assert [hit.page_id for hit in result.hits] == expected
            assert result.total == len(expected)


def test_excerpts_are_the_same_from_cached_texts():
    from search.highlight import excerpt, mark

    body = "Les bacs sont vidés le lundi. La collecte des ordures a lieu le mardi!\n\nAppelez-nous."
    for _ in range(2):  # the second time from the per-process cache of tokenised texts
        assert (
            excerpt(summary="Horaires.", body=body, stems={stem("ordures", "fr")}, language="fr")
            == "La collecte des <mark>ordures</mark> a lieu le mardi!"
        )
        assert mark("Ordures & bacs", {stem("bacs", "fr")}, "fr") == "Ordures &amp; <mark>bacs</mark>"
