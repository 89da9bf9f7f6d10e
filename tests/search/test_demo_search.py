"""What a citizen sees on the demo portal (`setup_portal --demo`): typos, did-you-mean, instant
answers, and the same order of answers on both engines."""

from pathlib import Path

import pytest

from knowledge.importer import import_entries
from search.engines.database import DatabaseEngine
from search.entry import search_pages
from search.evaluation import read_queries

from .conftest import source_ids

DEMO = Path(__file__).resolve().parents[2] / "knowledge" / "demo"
CONTENT, QUERIES = DEMO / "demo-content.jsonl", DEMO / "demo-queries.jsonl"

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(portal, default_synonyms):
    report = import_entries(CONTENT.read_text(encoding="utf-8").splitlines(), publish=True)
    assert report.ok, report.errors


def search(query, language="fr", **kwargs):
    return search_pages(query, language=language, log=False, **kwargs)


@pytest.mark.usefixtures("each_engine", "demo")
def test_a_word_one_letter_away_finds_the_answer():
    # « poubelles » is the corpus word: « pubelle » and « pubel » are one edit from its stem.
    for query in ("pubelle", "pubel", "pubelle quel jour"):
        assert source_ids(search(query))[0] == "rae-001-fr", query
    assert search("pubelle").suggestion == "poubelles"
    assert source_ids(search("garbge", "en"))[0] == "rae-001-en"


@pytest.mark.usefixtures("each_engine", "demo")
def test_did_you_mean_picks_the_word_citizens_mean():
    # garage and garbage are both one edit away; a letter left out is the likelier slip.
    assert search("garbge", "en").suggestion == "garbage"
    assert search("garbge day", "en").suggestion == "garbage day"


@pytest.mark.usefixtures("each_engine", "demo")
def test_did_you_mean_shows_words_as_written_never_stems():
    assert search("deneigemnt").suggestion == "déneigement"
    # The citizen's other words stay as typed, accents, articles and all.
    assert search("Colecte des encombrants").suggestion == "Collecte des encombrants"
    # A word matched through its stem is not worth a did-you-mean: the answers are the same.
    assert search("Permi de stationement").suggestion is None


@pytest.mark.usefixtures("each_engine", "demo")
def test_no_did_you_mean_for_known_words():
    for query in (
        "bac brisé",
        "bac cassé",
        "passer camion vidanges quartier mettre sacs veille",
        "Quand est-ce que le camion passe ramasser les vidanges dans mon quartier, "
        "faut-il mettre les sacs la veille?",
        "garbage day",
    ):
        response = search(query, "en" if query == "garbage day" else "fr")
        assert response.suggestion is None, query
        assert response.results, query


@pytest.mark.usefixtures("each_engine", "demo")
def test_garbage_day_ranks_the_collection_answer_first():
    assert source_ids(search("garbage day", "en"))[0] == "rae-001-en"
    assert source_ids(search("mon bac de recyclage est brisé"))[0] == "rae-002-fr"
    assert source_ids(search("nid de poule devant chez moi"))[0] == "rae-013-fr"


@pytest.mark.usefixtures("each_engine", "demo")
def test_instant_answers_tolerate_one_slip():
    assert source_ids(search("pubel", prefix=True))[0] == "rae-001-fr"
    assert source_ids(search("recyclge", prefix=True))[0] == "rae-002-fr"
    assert source_ids(search("stationemen", prefix=True))[0] == "rae-009-fr"
    assert source_ids(search("garbeg", "en", prefix=True))[0] == "rae-001-en"
    # While typing, no did-you-mean flickers under the box.
    assert search("pubel", prefix=True).suggestion is None


def top3_agreement(cluster) -> tuple[float, list]:
    queries = read_queries(QUERIES.read_text(encoding="utf-8").splitlines())
    differ = []
    for query in queries:
        on_database = source_ids(search(query.q, query.lang, engine=DatabaseEngine()))[:3]
        on_cluster = source_ids(search(query.q, query.lang, engine=cluster))[:3]
        if on_database != on_cluster:
            differ.append((query.q, on_database, on_cluster))
    return 1 - len(differ) / len(queries), differ


@pytest.mark.opensearch
def test_both_engines_rank_the_demo_queries_alike(cluster_search, demo):
    agreement, differ = top3_agreement(cluster_search)
    assert agreement >= 0.95, differ


@pytest.mark.usefixtures("demo")
def test_a_question_word_alone_is_no_query():
    # « quand » hints at a date among the pages the other words found; alone it finds nothing.
    assert search("quand?").results == []
    assert source_ids(search("quand passent les vidanges"))[0] == "rae-001-fr"
