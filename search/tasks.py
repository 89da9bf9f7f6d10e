"""Index sync as background tasks (django-tasks): the index follows the content."""

from django_tasks import task

from wagtail.models import Page


@task()
def index_pages_task(page_ids: list[int]) -> int:
    """Refresh these pages in every active engine; pages gone or not live leave the index."""
    from .entry import active_engines

    pages = list(Page.objects.filter(pk__in=page_ids).specific())
    missing = set(page_ids) - {page.pk for page in pages}
    for engine in active_engines():
        engine.index_pages(pages)
        if missing:
            engine.remove_pages(sorted(missing))
    return len(pages)


@task()
def remove_pages_task(page_ids: list[int]) -> None:
    from .entry import active_engines

    for engine in active_engines():
        engine.remove_pages(page_ids)


@task()
def synonyms_changed_task(language: str) -> None:
    from .entry import active_engines

    for engine in active_engines():
        engine.synonyms_changed(language)


@task()
def rebuild_index_task() -> int:
    from .entry import active_engines

    return max(engine.rebuild() for engine in active_engines())
