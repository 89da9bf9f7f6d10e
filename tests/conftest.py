"""Fixtures shared by the whole suite: a portal's page tree, sample pages, and real services.

The OpenSearch node: `PORTAL_OPENSEARCH_URL` (e.g. `opensearch://127.0.0.1:9251`,
exported by `tests/run-all.sh`) points at a running node; without it the fixture
starts one with `tests/services/opensearch.sh` and stops it at the end of the
session. A node that cannot be started fails the tests: they are never skipped.
"""

import os
import subprocess
import threading
import uuid
from pathlib import Path

import pytest

from django.core.cache import cache
from django.db import connections
from django.test import override_settings

from wagtail.models import Locale

from home.setup import portal_tree_setup
from tests.factories import AnswerPageFactory, ServicePageFactory


@pytest.fixture
def portal(db):
    """The page tree of a fresh portal: a home page in French and in English."""
    return portal_tree_setup(hostname="testserver", port=80)


@pytest.fixture
def empty_cache():
    """The shared cache empty before and after the test (cached pages, searches, alerts, limits)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def locales(portal):
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def answer_pair(portal):
    """A published French answer and its English translation."""
    french = AnswerPageFactory(
        source_id="col-1-fr",
        title="Quand a lieu la collecte des ordures?",
        summary="Le mardi, toutes les deux semaines.",
        keyword_list=["vidanges", "poubelles"],
    )
    english = AnswerPageFactory(
        source_id="col-1-en",
        language="en",
        translation_of=french,
        topic="Waste collection",
        department_name="Environment Department",
        title="When is garbage collected?",
        summary="On Tuesdays, every two weeks.",
    )
    return french, english


@pytest.fixture
def service_page(portal):
    return ServicePageFactory(
        source_id="svc-1-fr",
        topic="Permis",
        title="Permis de piscine",
        summary="Un permis est requis pour installer une piscine.",
        target_days=10,
        fees="50 $",
        how_to_text="1. Remplir le formulaire\n2. Payer",
        request_type="question",
    )


@pytest.fixture
def default_synonyms(db):
    """The shipped list (a transactional test elsewhere may have flushed the migration's rows)."""
    from search.default_synonyms import default_synonyms_load

    default_synonyms_load()


@pytest.fixture
def corpus(portal, default_synonyms):
    """A few answers in French and English, as citizens would find them: the one corpus of the
    search tests (`tests/search/`, and `tests/integration/test_opensearch.py` on the cluster)."""
    collection = AnswerPageFactory(
        source_id="col-fr",
        title="Quel jour a lieu la collecte des ordures ménagères?",
        summary="La collecte des ordures ménagères a lieu le mardi, toutes les deux semaines.",
        body_text="Placez votre bac roulant en bordure de rue la veille.\n\nLe camion passe dès 7 h.",
        keyword_list=["poubelles"],
    )
    AnswerPageFactory(
        source_id="rec-fr",
        title="Que mettre dans le bac de recyclage?",
        summary="Papier, carton, plastique, verre et métal vont dans le bac de recyclage.",
        body_text="Rincez les contenants. Le styromousse va à l'écocentre.",
    )
    snow = AnswerPageFactory(
        source_id="neige-fr",
        topic="Déneigement",
        department_name="Travaux publics",
        title="Stationnement de nuit pendant le déneigement",
        summary="Le stationnement de nuit est interdit du 15 novembre au 1er avril lors des opérations.",
        body_text="Consultez l'état du déneigement de votre rue. Les véhicules en infraction sont remorqués.",
    )
    AnswerPageFactory(
        source_id="eco-fr",
        title="Heures d'ouverture de l'écocentre",
        summary="L'écocentre est ouvert du mardi au samedi.",
        body_text="Apportez peinture, piles et résidus domestiques dangereux.",
    )
    ServicePageFactory(
        source_id="piscine-fr",
        topic="Permis",
        title="Permis de piscine",
        summary="Un permis est requis pour installer une piscine hors terre ou creusée.",
        body_text="Une clôture est obligatoire autour de la piscine.",
        target_days=10,
    )
    AnswerPageFactory(
        source_id="col-en",
        language="en",
        translation_of=collection,
        topic="Waste collection",
        department_name="Environment Department",
        title="What day is household garbage collected?",
        summary="Household garbage is collected on Tuesdays, every two weeks.",
        body_text="Place your wheeled bin at the curb the evening before.",
    )
    AnswerPageFactory(
        source_id="neige-en",
        language="en",
        translation_of=snow,
        topic="Snow removal",
        department_name="Public Works",
        title="Overnight parking during snow removal",
        summary="Overnight street parking is prohibited from November 15 to April 1 during operations.",
        body_text="Vehicles that break the rule are towed.",
    )


# `make test-fast` runs only the tests that need no service: a test that asks for one there
# lacks its marker (opensearch, multiworker, postgres, e2e) and fails, so the split stays true.
FAST = os.environ.get("PORTAL_TEST_FAST") == "1"


def no_service_in_fast_run(name: str) -> None:
    if FAST:
        pytest.fail(f"this test needs {name}: mark it so that `make test-fast` leaves it to `make test`")


# --- the real PostgreSQL server --------------------------------------------------------------


@pytest.fixture(autouse=True)
def postgres_marker(request):
    """A test marked `postgres` is selected by its marker (the PostgreSQL pass of `tests/run-all.sh`,
    `-m postgres` with a PostgreSQL DATABASE_URL); run on another database it fails, never skips."""
    if request.node.get_closest_marker("postgres") is None:
        return
    no_service_in_fast_run("PostgreSQL")
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail(
            "this test needs PostgreSQL: run it with DATABASE_URL=postgres://… "
            "(`bash tests/services/postgres.sh url`), or leave it out with -m 'not postgres'"
        )


def at_once(work, *, copies: int, timeout: float = 120) -> list:
    """Runs `work(n)` for n in range(copies), each in its own thread with its own database
    connection, released together by a barrier; returns what they returned (in the order they
    finished). An exception in any of them fails the test."""
    barrier = threading.Barrier(copies)
    results: list = []
    errors: list[BaseException] = []

    def run(number: int):
        try:
            barrier.wait(timeout=30)
            results.append(work(number))
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert errors == []
    return results


# --- the real Redis server ------------------------------------------------------------------

REDIS_SCRIPT = Path(__file__).resolve().parent / "services" / "redis.sh"


@pytest.fixture(scope="session")
def redis_url():
    """`PORTAL_REDIS_URL` (exported by `tests/run-all.sh`), else a server started here; never a skip."""
    no_service_in_fast_run("Redis")
    url = os.environ.get("PORTAL_REDIS_URL")
    if url:
        return url
    started = subprocess.run(
        ["bash", str(REDIS_SCRIPT), "start"], capture_output=True, text=True, timeout=300
    )
    if started.returncode != 0:
        pytest.fail(f"Could not start Redis:\n{started.stdout}\n{started.stderr}")
    return subprocess.run(["bash", str(REDIS_SCRIPT), "url"], capture_output=True, text=True).stdout.strip()


# --- the real OpenSearch node ---------------------------------------------------------------

OPENSEARCH_SCRIPT = Path(__file__).resolve().parent / "services" / "opensearch.sh"


@pytest.fixture(scope="session")
def opensearch_url():
    no_service_in_fast_run("OpenSearch")
    url = os.environ.get("PORTAL_OPENSEARCH_URL")
    if url:
        yield url
        return
    url = subprocess.run(
        ["bash", str(OPENSEARCH_SCRIPT), "url"], capture_output=True, text=True, check=True
    ).stdout.strip()
    # A node someone else started (another run, `make run SEARCH=opensearch`) is used and left running.
    already_up = (
        subprocess.run(["bash", str(OPENSEARCH_SCRIPT), "status"], capture_output=True).returncode == 0
    )
    if not already_up:
        started = subprocess.run(
            ["bash", str(OPENSEARCH_SCRIPT), "start"], capture_output=True, text=True, timeout=900
        )
        if started.returncode != 0:
            pytest.fail(f"Could not start the OpenSearch node:\n{started.stdout}\n{started.stderr}")
    yield url
    if not already_up:
        subprocess.run(["bash", str(OPENSEARCH_SCRIPT), "stop"], check=False, timeout=120)


@pytest.fixture
def cluster_engine(opensearch_url, db):
    """A cluster engine on indices of their own (a unique prefix), deleted afterwards."""
    from search.engines.cluster import ClusterEngine

    prefix = f"test-{uuid.uuid4().hex[:8]}"
    engine = ClusterEngine(opensearch_url, prefix=prefix, timeout=10, retry_after=0)
    yield engine
    engine.delete_indices()


@pytest.fixture
def cluster_search(cluster_engine):
    """The whole site searches on `cluster_engine` (SEARCH_URL set, the same engine object)."""
    from search import entry

    url = f"{cluster_engine.config.flavour}://{cluster_engine.config.host}:{cluster_engine.config.port}"
    entry._cluster_engines[url] = cluster_engine
    with override_settings(SEARCH_URL=url):
        yield cluster_engine
    entry._cluster_engines.pop(url, None)
