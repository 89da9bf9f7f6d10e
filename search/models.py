"""The deflection layer's tables: its own index, editors' synonyms, anonymous logs."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

LANGUAGE_CHOICES = settings.LANGUAGES


class SearchDocument(models.Model):
    """One live answer or service page as the database engine sees it.

    `*_terms` hold the folded content words of each field (space-separated, in
    order); the engine stems and weighs them. Texts for excerpts are kept plain.
    """

    page = models.OneToOneField(Page, on_delete=models.CASCADE, primary_key=True, related_name="+")
    language = models.CharField(max_length=8, db_index=True)
    kind = models.CharField(max_length=10)
    source_id = models.CharField(max_length=100, blank=True)
    topic_id = models.IntegerField(null=True, db_index=True)
    url = models.CharField(max_length=1000)
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    title_terms = models.TextField(blank=True)
    keywords_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return self.title


class IndexState(models.Model):
    """A counter per language, bumped on every index or synonym change.

    Each process keeps its in-memory view of the index and reloads it when the
    counter moves: an editor's change takes effect everywhere without a restart.
    """

    language = models.CharField(max_length=8, primary_key=True)
    generation = models.BigIntegerField(default=0)
    # Random per change, so that two databases never share a state (tests, restores).
    token = models.CharField(max_length=32, default="", editable=False)

    def __str__(self):
        return f"{self.language}: {self.generation}"

    @classmethod
    def bump(cls, language: str) -> None:
        token = uuid.uuid4().hex
        updated = cls.objects.filter(language=language).update(generation=F("generation") + 1, token=token)
        if not updated:
            cls.objects.get_or_create(language=language, defaults={"generation": 1, "token": token})

    @classmethod
    def current(cls, language: str) -> str:
        return cls.objects.filter(language=language).values_list("token", flat=True).first() or ""


class PendingSync(models.Model):
    """A change the cluster missed because it was down: replayed when it answers again.

    `kind` is "page" (key: the page id, re-indexed or removed as it stands then) or
    "synonyms" (key: the language). The database engine never needs this: it is
    written in the same transaction as the content.
    """

    kind = models.CharField(max_length=10)
    key = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="search_pending_sync_unique")]

    def __str__(self):
        return f"{self.kind} {self.key}"

    @classmethod
    def remember(cls, *, pages=(), synonyms=()) -> None:
        rows = [cls(kind="page", key=str(page_id)) for page_id in pages]
        rows += [cls(kind="synonyms", key=language) for language in synonyms]
        cls.objects.bulk_create(rows, ignore_conflicts=True)


class Synonym(models.Model):
    """Words citizens type and the word the answers use (« vidanges, poubelles ⇒ ordures ménagères »)."""

    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="fr")
    terms = models.CharField(
        _("words citizens type"),
        max_length=500,
        help_text=_("Comma-separated words or phrases, e.g. vidanges, poubelles"),
    )
    canonical = models.CharField(
        _("words the answers use"),
        max_length=200,
        help_text=_("What these words mean in the answers, e.g. ordures ménagères"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("language"), FieldPanel("terms"), FieldPanel("canonical")]

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")
        ordering = ["language", "canonical"]

    def __str__(self):
        return f"{self.terms} ⇒ {self.canonical}"


class QueryLog(models.Model):
    """One search, without personal data: the normalised query and an anonymous session digest."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    query = models.CharField(_("query"), max_length=200, db_index=True)
    language = models.CharField(_("language"), max_length=8)
    results_count = models.PositiveIntegerField(_("results"))
    engine = models.CharField(_("engine"), max_length=20)
    duration_ms = models.FloatField(_("duration (ms)"))
    session_digest = models.CharField(max_length=16, blank=True, editable=False)
    source = models.CharField(max_length=10, default="page")  # page, api

    class Meta:
        verbose_name = _("search")
        verbose_name_plural = _("searches")

    def __str__(self):
        return self.query


class ClickLog(models.Model):
    """A click on a search result."""

    created_at = models.DateTimeField(auto_now_add=True)
    query_log = models.ForeignKey(QueryLog, null=True, blank=True, on_delete=models.SET_NULL)
    page_id = models.IntegerField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("search click")
        verbose_name_plural = _("search clicks")

    def __str__(self):
        return f"{self.page_id} #{self.position}"
