"""Fixtures shared by the whole suite: a portal's page tree, sample pages, and real services.

The OpenSearch node: `PORTAL_OPENSEARCH_URL` (e.g. `opensearch://127.0.0.1:9251`,
exported by `tests/run-all.sh`) points at a running node; without it the fixture
starts one with `tests/services/opensearch.sh` and stops it at the end of the
session. A node that cannot be started fails the tests: they are never skipped.
"""

import os
import subprocess
import uuid
from pathlib import Path

import pytest

from django.test import override_settings

from wagtail.models import Locale

from home.setup import portal_tree_setup
from knowledge.models import AnswerPage, ServicePage
from tests.factories import entry_line, import_lines


@pytest.fixture
def portal(db):
    """The page tree of a fresh portal: a home page in French and in English."""
    return portal_tree_setup(hostname="testserver", port=80)


@pytest.fixture
def locales(portal):
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def answer_pair(portal):
    """A published French answer and its English translation."""
    report = import_lines(
        entry_line(
            source_id="col-1-fr",
            title="Quand a lieu la collecte des ordures?",
            summary="Le mardi, toutes les deux semaines.",
            keywords=["vidanges", "poubelles"],
        ),
        entry_line(
            source_id="col-1-en",
            language="en",
            translation_of="col-1-fr",
            topic="Waste collection",
            department="Environment Department",
            title="When is garbage collected?",
            summary="On Tuesdays, every two weeks.",
        ),
    )
    assert report.ok, report.errors
    return AnswerPage.objects.get(source_id="col-1-fr"), AnswerPage.objects.get(source_id="col-1-en")


@pytest.fixture
def service_page(portal):
    report = import_lines(
        entry_line(
            source_id="svc-1-fr",
            kind="service",
            topic="Permis",
            title="Permis de piscine",
            summary="Un permis est requis pour installer une piscine.",
            service={
                "target_days": 10,
                "fee": "50 $",
                "how_to": "1. Remplir le formulaire\n2. Payer",
                "request_type": "question",
            },
        )
    )
    assert report.ok, report.errors
    return ServicePage.objects.get(source_id="svc-1-fr")


# `make test-fast` runs only the tests that need no service: a test that asks for one there
# lacks its marker (opensearch, multiworker, postgres, e2e) and fails, so the split stays true.
FAST = os.environ.get("PORTAL_TEST_FAST") == "1"


def no_service_in_fast_run(name: str) -> None:
    if FAST:
        pytest.fail(f"this test needs {name}: mark it so that `make test-fast` leaves it to `make test`")


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
