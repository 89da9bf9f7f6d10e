"""The Elasticsearch/OpenSearch engine: the cluster retrieves candidates, the shared ranking orders them.

Selected by `SEARCH_URL` (`opensearch://host:port` or `elasticsearch://host:port`);
`search.engines.selection` builds one `ClusterEngine(url)` per process. Index definition in
`search.cluster.index`, its lifecycle in `search.cluster.lifecycle`, the candidate query in
`search.cluster.queries`, transport in `search.cluster.client`.

One ranking model, two retrieval back ends: the query is expanded by `search.ranking`
(stems, synonyms, typo corrections, completions), the cluster returns the pages holding
any of those words (up to `CANDIDATES`, by its own BM25), and `search.ranking.rank` orders
them with the same features and weights as the database engine, on the statistics of the
database index that every deployment keeps (it also holds the excerpts). The two engines
therefore agree on the order of answers; the cluster keeps a large corpus from being
scored page by page.

Outages: any failure to answer a search raises `EngineUnavailable` (the entry
point then answers from the database engine). After a failure the engine stays
"down" for `SEARCH_RETRY_AFTER` seconds, failing fast instead of waiting for the
timeout on every request, then tries the cluster again; it logs the outage at
most once per `WARNING_INTERVAL` seconds. When it answers again, the `cluster_back`
signal lets the sync catch up with the changes it missed.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

from ..cluster.client import Cluster, ClusterConfig, ClusterError, ClusterUnavailable
from ..cluster.lifecycle import IndexLifecycle
from ..cluster.queries import CANDIDATE_FIELDS, CANDIDATES, candidate_body, candidate_ids
from ..ranking import expand
from .base import EngineResult, EngineUnavailable, SearchEngine, cluster_back, error_summary
from .database import DatabaseEngine

logger = logging.getLogger(__name__)

WARNING_INTERVAL = 60.0

_warned_at: dict[str, float] = {}
_warn_lock = threading.Lock()


def warn_unavailable(name: str, error: BaseException | str) -> bool:
    """Logs that `name` cannot answer, at most once per WARNING_INTERVAL; True if it logged."""
    now = time.monotonic()
    with _warn_lock:
        last = _warned_at.get(name)
        if last is not None and now - last < WARNING_INTERVAL:
            return False
        _warned_at[name] = now
    summary = error_summary(error)
    logger.warning("Search engine %s unavailable, answering from the database: %s", name, summary)
    return True


class ClusterEngine(IndexLifecycle, SearchEngine):
    """Search on an Elasticsearch 8/9 or OpenSearch 2/3 cluster. Cheap to construct: connects lazily."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float | None = None,
        prefix: str | None = None,
        retry_after: float | None = None,
        client_options: dict | None = None,
    ):
        self.config = ClusterConfig.from_url(url)
        self.name = self.config.flavour
        self.timeout = float(timeout if timeout is not None else settings.SEARCH_TIMEOUT)
        self.prefix = prefix or settings.SEARCH_INDEX_PREFIX
        self.retry_after = float(retry_after if retry_after is not None else settings.SEARCH_RETRY_AFTER)
        self.client_options = client_options or {}
        self._cluster: Cluster | None = None
        self._down_until = 0.0
        self.ranker = DatabaseEngine()

    @property
    def cluster(self) -> Cluster:
        if self._cluster is None:
            self._cluster = Cluster(self.config, timeout=self.timeout, **self.client_options)
        return self._cluster

    # --- outages --------------------------------------------------------------------------

    def mark_down(self, error: BaseException) -> None:
        self._down_until = time.monotonic() + self.retry_after
        warn_unavailable(self.name, error)

    def _failed(self, error: BaseException) -> None:
        """A search failed. The cluster is marked down unless only this query was refused: one
        citizen's odd query must not send every other search to the database."""
        if isinstance(error, ClusterError) and error.status in (400, 413):
            warn_unavailable(f"{self.name} (refused query)", error)
            return
        self.mark_down(error)

    def _came_back(self) -> None:
        self._down_until = 0.0
        logger.warning("Search engine %s answers again", self.name)
        cluster_back.send(sender=type(self), engine=self)

    @property
    def is_marked_down(self) -> bool:
        return time.monotonic() < self._down_until

    # --- reading --------------------------------------------------------------------------

    def search(self, parsed_query, *, language, limit, offset=0, topic_id=None) -> EngineResult:
        if parsed_query.is_empty:
            return EngineResult()
        if self.is_marked_down:
            raise ClusterUnavailable(f"{self.name} marked down after a failure; retrying shortly")
        index = self.ranker.language_index(language)
        expansion = expand(index, parsed_query)
        words = expansion.words(index)
        if not words:  # no word of the query is a word of the answers: nothing to retrieve
            return EngineResult()
        body = candidate_body(
            words, language=language, topic_id=topic_id, size=max(CANDIDATES, offset + limit)
        )
        answer = self._search(language, body)
        if self._down_until:
            self._came_back()
        return self.ranker.rank(
            parsed_query,
            language=language,
            limit=limit,
            offset=offset,
            topic_id=topic_id,
            candidates=candidate_ids(answer),
            expansion=expansion,
        )

    def _search(self, language: str, body: dict) -> dict:
        try:
            return self.cluster.request(
                "POST", f"/{self.alias(language)}/_search", body, params={"filter_path": CANDIDATE_FIELDS}
            )
        except (ClusterUnavailable, ClusterError) as error:
            self._failed(error)
            if isinstance(error, EngineUnavailable):
                raise
            raise EngineUnavailable(str(error)) from error
