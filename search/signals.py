"""Signal receivers that keep the index in step with the pages and the synonyms.

Tasks are enqueued inside the current transaction: with the database task
backend the task row commits (or rolls back) with the change itself.

Cached search answers (`search.result_cache`) are dropped when a change is made and again
when an index task has finished (in the worker, once the index really changed).
"""

from django_tasks.signals import task_finished

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import result_cache
from .documents import knowledge_models
from .engines.base import cluster_back
from .entry import promotions_forget
from .models import Synonym
from .synonyms import synonyms_forget
from .tasks import index_pages_task, remove_pages_task, replay_pending_task, synonyms_changed_task


def _affected_ids(page: Page) -> list[int]:
    """The page and the answers under it (a topic's move or unpublish changes its answers)."""
    ids = [page.pk]
    if not page.is_leaf():
        descendants = Page.objects.descendant_of(page).type(*knowledge_models())
        ids += list(descendants.values_list("pk", flat=True))
    return ids


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
def page_changed(sender, instance, **kwargs):
    result_cache.invalidate()
    index_pages_task.enqueue(page_ids=_affected_ids(instance))


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    result_cache.invalidate()
    index_pages_task.enqueue(page_ids=_affected_ids(instance))


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and type(instance) is not Page and isinstance(instance, knowledge_models()):
        result_cache.invalidate()
        remove_pages_task.enqueue(page_ids=[instance.pk])


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def synonym_changed(sender, instance, **kwargs):
    synonyms_forget()
    result_cache.invalidate()
    synonyms_changed_task.enqueue(language=instance.language)


@receiver(post_save, sender=SearchPromotion)
@receiver(post_delete, sender=SearchPromotion)
def promotion_changed(sender, instance, **kwargs):
    promotions_forget()
    result_cache.invalidate()


@receiver(task_finished)
def index_task_finished(sender, task_result, **kwargs):
    """An index task ran (here, or in a `db_worker`): answers cached meanwhile may be stale."""
    if task_result.task.module_path.startswith(f"{__package__}.tasks."):
        result_cache.invalidate()


@receiver(cluster_back)
def cluster_answers_again(sender, engine, **kwargs):
    """A cluster answers again after an outage: apply the changes it missed, in the background."""
    from .models import PendingSync

    if PendingSync.objects.exists():
        replay_pending_task.enqueue()
