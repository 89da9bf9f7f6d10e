"""Real services for the integration tests: an OpenSearch node (started here when none is configured).

`PORTAL_OPENSEARCH_URL` (e.g. `opensearch://127.0.0.1:9251`, exported by
`tests/run-all.sh`) points at a running node; without it the fixture starts one
with `tests/services/opensearch.sh` and stops it at the end of the session. A node
that cannot be started fails the tests: they are never skipped silently.
"""

import os
import subprocess
import uuid
from pathlib import Path

import pytest

from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "services" / "opensearch.sh"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "opensearch: needs the real OpenSearch node (started if none is configured)"
    )


@pytest.fixture(scope="session")
def opensearch_url():
    url = os.environ.get("PORTAL_OPENSEARCH_URL")
    if url:
        yield url
        return
    url = subprocess.run(
        ["bash", str(SCRIPT), "url"], capture_output=True, text=True, check=True
    ).stdout.strip()
    # A node someone else started (another run, `make run SEARCH=opensearch`) is used and left running.
    already_up = subprocess.run(["bash", str(SCRIPT), "status"], capture_output=True).returncode == 0
    if not already_up:
        started = subprocess.run(["bash", str(SCRIPT), "start"], capture_output=True, text=True, timeout=900)
        if started.returncode != 0:
            pytest.fail(f"Could not start the OpenSearch node:\n{started.stdout}\n{started.stderr}")
    yield url
    if not already_up:
        subprocess.run(["bash", str(SCRIPT), "stop"], check=False, timeout=120)


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
