"""The engine seam: what an engine receives, what it returns, how it is kept in sync.

An engine never parses the raw query itself: `search.query.parse_query` does it
once, engine-neutrally (folding, elision, stop words, stems, editors' synonyms),
and the engine receives that `ParsedQuery`. Excerpts are built by the entry point
with `search.highlight` unless the engine supplies its own (`EngineHit.excerpt`).

A cluster engine lives in `search.engines.cluster` and exposes
`ClusterEngine(url: str)`, a `SearchEngine` whose `name` is "opensearch" or
"elasticsearch". It raises `EngineUnavailable` (or lets a connection/timeout error
of its client through) when the cluster cannot answer: the entry point then
answers with the database engine and says so in `engine`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from wagtail.models import Page

    from search.query import ParsedQuery


# Sent (with `engine`) when a cluster answers again after an outage: `search.signals` then
# replays the changes it missed, so that no engine imports the tasks.
cluster_back = Signal()


class EngineUnavailable(Exception):
    """The engine cannot answer now (connection refused, timeout, missing index…)."""


@dataclass(frozen=True)
class EngineHit:
    page_id: int
    score: float
    # Folded stems that matched in this page, used to highlight the excerpt.
    matched_stems: frozenset[str] = frozenset()
    # Safe HTML excerpt with <mark>, when the engine highlights by itself.
    excerpt: str | None = None


@dataclass
class EngineResult:
    hits: list[EngineHit] = field(default_factory=list)
    total: int = 0
    # "Did you mean" text built from the engine's vocabulary, or None.
    suggestion: str | None = None


class SearchEngine(ABC):
    """One way to rank pages. Implementations must be cheap to construct."""

    name: str = "database"

    @abstractmethod
    def search(
        self,
        parsed_query: ParsedQuery,
        *,
        language: str,
        limit: int,
        offset: int = 0,
        topic_id: int | None = None,
    ) -> EngineResult:
        """Live pages of `language` (under topic `topic_id` if given), best first."""

    @abstractmethod
    def index_pages(self, pages: Iterable[Page]) -> None:
        """Add or refresh these pages; pages that are not live/public must be removed."""

    @abstractmethod
    def remove_pages(self, ids: Iterable[int]) -> None:
        """Remove these page ids from the index (unknown ids are ignored)."""

    def synonyms_changed(self, language: str) -> None:  # noqa: B027 - optional hook
        """The editors changed the synonyms of `language` (query-side engines need not react)."""

    @abstractmethod
    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the whole index from the live pages; returns the number of pages indexed."""


def connection_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean "the engine is unreachable", for the fallback to the database engine."""
    errors: list[type[BaseException]] = [EngineUnavailable, ConnectionError, TimeoutError, OSError]
    try:
        import elastic_transport

        errors += [elastic_transport.ConnectionError, elastic_transport.ConnectionTimeout]
    except ImportError:  # pragma: no cover - the client is a project dependency
        pass
    try:
        from opensearchpy import exceptions as os_exceptions

        errors += [os_exceptions.ConnectionError, os_exceptions.ConnectionTimeout]
    except ImportError:  # pragma: no cover
        pass
    try:
        import elasticsearch

        errors += [elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout]
    except (ImportError, AttributeError):  # pragma: no cover
        pass
    return tuple(errors)


def error_summary(error: BaseException | str) -> str:
    """The kind of failure and its HTTP status, never its message: the cluster echoes the
    citizen's query in its errors, and what a citizen types does not go in a log."""
    if isinstance(error, str):
        return error
    status = getattr(error, "status_code", None) or getattr(error, "status", None)
    return f"{type(error).__name__} {status}" if isinstance(status, int) else type(error).__name__
