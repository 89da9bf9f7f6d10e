"""Engine selection, in one place: which engine answers, and which engines follow the content.

The `SEARCH_URL` setting (from the environment variable) decides. Empty → the database
engine. `opensearch://…` or `elasticsearch://…` → the cluster engine of
`search.engines.cluster`, one per URL and process. Callers may also hand an engine to
`search.entry.search_pages(..., engine=…)` (tests, evaluations, benchmarks).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from .base import SearchEngine
from .database import DatabaseEngine

CLUSTER_SCHEMES = {"opensearch", "opensearchs", "elasticsearch", "elasticsearchs"}

_cluster_engines: dict[str, SearchEngine] = {}


def search_url() -> str:
    # The setting reads the environment (portal.settings.base); "" forces the database engine.
    return settings.SEARCH_URL


def cluster_engine(url: str | None = None) -> SearchEngine | None:
    """The cluster engine of `url` (default: the configured one), or None for the database."""
    url = search_url() if url is None else url
    if not url or urlsplit(url).scheme.lower() not in CLUSTER_SCHEMES:
        return None
    if url not in _cluster_engines:
        from .cluster import ClusterEngine

        _cluster_engines[url] = ClusterEngine(url)
    return _cluster_engines[url]


def database_engine() -> DatabaseEngine:
    return DatabaseEngine()


def get_engine() -> SearchEngine:
    return cluster_engine() or database_engine()


def active_engines() -> list[SearchEngine]:
    """Engines whose index follows the content: the database one always (it holds the excerpts
    and the statistics of the shared ranking)."""
    engines: list[SearchEngine] = [database_engine()]
    try:
        cluster = cluster_engine()
    except ImportError:
        cluster = None
    if cluster is not None:
        engines.append(cluster)
    return engines
