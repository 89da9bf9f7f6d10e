import pytest

from search.engines.database import DatabaseEngine
from search.entry import promotions_forget
from search.models import QueryLog
from search.synonyms import synonyms_forget
from tests.factories import entry_line, import_lines


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

    Requested before the test's content is imported (`usefixtures` comes first), so the pages
    reach the cluster as they would in production.
    """
    if request.param == "opensearch":
        request.getfixturevalue("cluster_search")
    yield request.param
    # No silent fallback: every search of the test was answered by the engine under test.
    assert set(QueryLog.objects.values_list("engine", flat=True)) <= {request.param}


@pytest.fixture
def default_synonyms(db):
    """The shipped list (a transactional test elsewhere may have flushed the migration's rows)."""
    from search.default_synonyms import default_synonyms_load

    default_synonyms_load()


@pytest.fixture
def corpus(portal, default_synonyms):
    """A few answers in French and English, as citizens would find them."""
    report = import_lines(
        entry_line(
            source_id="col-fr",
            topic="Collectes",
            title="Quel jour a lieu la collecte des ordures ménagères?",
            summary="La collecte des ordures ménagères a lieu le mardi, toutes les deux semaines.",
            body="Placez votre bac roulant en bordure de rue la veille.\n\nLe camion passe dès 7 h.",
        ),
        entry_line(
            source_id="rec-fr",
            topic="Collectes",
            title="Que mettre dans le bac de recyclage?",
            summary="Papier, carton, plastique, verre et métal vont dans le bac de recyclage.",
            body="Rincez les contenants. Le styromousse va à l'écocentre.",
        ),
        entry_line(
            source_id="neige-fr",
            topic="Déneigement",
            department="Travaux publics",
            title="Stationnement de nuit pendant le déneigement",
            summary="Le stationnement de nuit est interdit du 15 novembre au 1er avril lors des opérations.",
            body="Consultez l'état du déneigement de votre rue. Les véhicules en infraction sont remorqués.",
        ),
        entry_line(
            source_id="eco-fr",
            topic="Collectes",
            title="Heures d'ouverture de l'écocentre",
            summary="L'écocentre est ouvert du mardi au samedi.",
            body="Apportez peinture, piles et résidus domestiques dangereux.",
        ),
        entry_line(
            source_id="piscine-fr",
            kind="service",
            topic="Permis",
            title="Permis de piscine",
            summary="Un permis est requis pour installer une piscine hors terre ou creusée.",
            body="Une clôture est obligatoire autour de la piscine.",
            service={"target_days": 10},
        ),
        entry_line(
            source_id="col-en",
            language="en",
            translation_of="col-fr",
            topic="Waste collection",
            department="Environment Department",
            title="What day is household garbage collected?",
            summary="Household garbage is collected on Tuesdays, every two weeks.",
            body="Place your wheeled bin at the curb the evening before.",
        ),
        entry_line(
            source_id="neige-en",
            language="en",
            translation_of="neige-fr",
            topic="Snow removal",
            department="Public Works",
            title="Overnight parking during snow removal",
            summary="Overnight street parking is prohibited from November 15 to April 1 during operations.",
            body="Vehicles that break the rule are towed.",
        ),
    )
    assert report.ok, report.errors
    return report


def source_ids(response):
    return [hit.source_id for hit in response.results]


def top(query, language="fr", **kwargs):
    """Source ids of the answers `search_pages` gives, best first."""
    from search.entry import search_pages

    return source_ids(search_pages(query, language=language, **kwargs))
