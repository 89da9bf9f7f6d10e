"""When what citizen pages show changes: drop the cached pages, purge the CDN's copies.

The portal's page cache (`knowledge.page_cache`) is dropped whole — one counter bumped in the
shared cache — on any change to a page (published, unpublished, moved, renamed, saved,
deleted), a snippet, a site setting or a model of `PORTAL_PAGE_CACHE_MODELS`. Exact
invalidation per page is not worth its risk: a topic lists its answers, the home page its
topics and popular answers, every page its contact block and its translations' links.

A CDN or reverse proxy (`WAGTAILFRONTENDCACHE`, empty by default) is purged with
`wagtail.contrib.frontend_cache`: that app purges a page on publish and unpublish itself;
moves, deletions, departments and settings are purged here.
"""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move, pre_page_move
from wagtail.snippets.models import get_snippet_models

from . import page_cache
from .models import AnswerPage, Department, ServicePage

_shown_on_pages: dict[type, bool] = {}


def is_shown_on_pages(model: type) -> bool:
    """Pages, snippets, site settings and the models named in `PORTAL_PAGE_CACHE_MODELS`."""
    known = _shown_on_pages.get(model)
    if known is not None:
        return known
    shown = (
        issubclass(model, (Page, BaseGenericSetting, BaseSiteSetting))
        or model._meta.label in settings.PORTAL_PAGE_CACHE_MODELS
        or model in get_snippet_models()
    )
    if apps.ready:  # snippets registered in wagtail_hooks are all known by then
        _shown_on_pages[model] = shown
    return shown


@receiver(page_published)
@receiver(page_unpublished)
@receiver(page_slug_changed)
@receiver(post_page_move)
def page_changed(sender, **kwargs):
    page_cache.invalidate()


@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, instance, **kwargs):
    if kwargs.get("raw") or not is_shown_on_pages(sender):
        return
    if kwargs.get("created") and isinstance(instance, (BaseGenericSetting, BaseSiteSetting)):
        return  # created with its defaults by the first page that read it (`load()`), not edited
    page_cache.invalidate()
    if not settings.WAGTAILFRONTENDCACHE or isinstance(instance, Page):
        return
    if isinstance(instance, Department):
        models = (AnswerPage, ServicePage)
        frontend_purge_pages([page for model in models for page in model.objects.filter(department=instance)])
    elif isinstance(instance, (BaseGenericSetting, BaseSiteSetting)):
        frontend_purge_pages(Page.objects.live().filter(depth__gt=1))


# --- the CDN (only when WAGTAILFRONTENDCACHE names a backend) ------------------------------------


def frontend_purge_pages(pages) -> None:
    """Purges these pages' URLs in every language (the purge itself runs as a background task)."""
    if not settings.WAGTAILFRONTENDCACHE:
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    batch.add_pages(page for page in pages if page.live)
    batch.purge()


def _page_and_descendants(page: Page):
    return Page.objects.descendant_of(page, inclusive=True).live()


@receiver(pre_page_move)
def purge_before_move(sender, instance, **kwargs):
    frontend_purge_pages(_page_and_descendants(instance))  # the old URLs


@receiver(post_page_move)
def purge_after_move(sender, instance, **kwargs):
    frontend_purge_pages(_page_and_descendants(instance))  # the new URLs


@receiver(pre_delete)
def purge_before_delete(sender, instance, **kwargs):
    # The deletion reaches each page twice (its base row and its specific row): purge once.
    if type(instance) is Page:
        frontend_purge_pages([instance])
