"""Index sync as background tasks (django-tasks): the index follows the content.

Each task goes through `search.sync.apply`, so a cluster that is down misses nothing.
"""

from django_tasks import task

from . import sync


@task()
def index_pages_task(page_ids: list[int]) -> None:
    """Refresh these pages in every active engine; pages gone or not live leave the index."""
    sync.apply(lambda engine: sync.index_or_remove(engine, page_ids), pages=page_ids)


@task()
def remove_pages_task(page_ids: list[int]) -> None:
    sync.apply(lambda engine: engine.remove_pages(page_ids), pages=page_ids)


@task()
def synonyms_changed_task(language: str) -> None:
    sync.apply(lambda engine: engine.synonyms_changed(language), synonyms=[language])


@task()
def replay_pending_task() -> int:
    """The cluster is back: apply what it missed (a no-op when nothing is pending)."""
    from .engines.selection import cluster_engine

    engine = cluster_engine()
    if engine is None:
        return 0
    try:
        return sync.replay(engine)
    except sync.CLUSTER_DOWN:
        return 0  # down again: the next change or search that reaches it will retry
