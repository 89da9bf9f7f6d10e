"""Applying a content change to every engine, without losing it when the cluster is down.

The database engine is written first and must succeed (it is the fallback, and
holds the excerpts). A cluster that cannot take the change does not fail the
task: the change is kept in `PendingSync` and replayed — before the next change
that reaches the cluster, when a search finds the cluster back, or by
`manage.py rebuild_search_index --pending` (schedulable).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from wagtail.models import Page

from .cluster.client import ClusterError
from .engines.base import EngineUnavailable, SearchEngine

logger = logging.getLogger(__name__)
CLUSTER_DOWN = (EngineUnavailable, ClusterError)
REPLAY_BATCH = 500


def index_or_remove(engine: SearchEngine, page_ids: Iterable[int]) -> int:
    """Refreshes these pages in `engine`; pages gone or not live leave its index."""
    page_ids = list(page_ids)
    pages = list(Page.objects.filter(pk__in=page_ids).specific())
    if pages:
        engine.index_pages(pages)
    missing = set(page_ids) - {page.pk for page in pages}
    if missing:
        engine.remove_pages(sorted(missing))
    return len(pages)


def apply(change: Callable[[SearchEngine], object], *, pages=(), synonyms=()) -> None:
    """Runs `change` on every active engine; a cluster that is down gets it later."""
    from .engines.selection import active_engines
    from .models import PendingSync

    for engine in active_engines():
        if engine.name == "database":
            change(engine)
            continue
        if engine.is_marked_down:  # failed a moment ago: don't wait for its timeout again
            PendingSync.remember(pages=pages, synonyms=synonyms)
            continue
        try:
            replay(engine)
            change(engine)
        except CLUSTER_DOWN as error:
            engine.mark_down(error)
            PendingSync.remember(pages=pages, synonyms=synonyms)


def replay(engine: SearchEngine) -> int:
    """Applies the changes the cluster missed, oldest first; raises if it is still down."""
    from .models import PendingSync

    replayed = 0
    while rows := list(PendingSync.objects.order_by("pk")[:REPLAY_BATCH]):
        page_ids = [int(row.key) for row in rows if row.kind == "page"]
        if page_ids:
            index_or_remove(engine, page_ids)
        for language in sorted({row.key for row in rows if row.kind == "synonyms"}):
            engine.synonyms_changed(language)
        PendingSync.objects.filter(pk__in=[row.pk for row in rows]).delete()
        replayed += len(rows)
    if replayed:
        logger.info("Search engine %s caught up with %d missed changes", engine.name, replayed)
    return replayed
