"""The knowledge base: departments, topics, answers (FAQ) and service pages."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from . import page_cache
from .blocks import AnswerBodyBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


@register_snippet
class Department(TranslatableMixin, index.Indexed, models.Model):
    """A city department (« direction ») that is responsible for answers and requests."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    panels = [FieldPanel("name"), FieldPanel("email"), FieldPanel("phone")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PublicCacheMixin:
    """Lets the portal's page cache (`knowledge.page_cache`) and a shared cache (CDN, reverse proxy)
    keep the page for anonymous visitors."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not getattr(request, "is_preview", False) and not request.user.is_authenticated:
            patch_cache_control(response, public=True, max_age=settings.PORTAL_PUBLIC_PAGE_MAX_AGE)
            # The page cache still checks the request and the rendered response before storing it.
            setattr(response, page_cache.STORABLE_ATTRIBUTE, True)
        return response


class TopicPage(PublicCacheMixin, Page):
    """A theme (waste collection, permits…) that groups its answers and services."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["knowledge.AnswerPage", "knowledge.ServicePage"]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        children = self.get_children().live().public().specific().order_by("title")
        context["answers"] = [page for page in children if isinstance(page, AnswerPage)]
        context["services"] = [page for page in children if isinstance(page, ServicePage)]
        return context


class KnowledgePage(PublicCacheMixin, Page):
    """What answers and services share: a short answer, a body, a responsible department."""

    summary = models.CharField(
        _("short answer"),
        max_length=600,
        help_text=_("One sentence that answers the question; shown in search results."),
    )
    body = StreamField(AnswerBodyBlock(), verbose_name=_("body"))
    department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated words citizens type to find this page (e.g. vidanges, poubelles)."),
    )
    related = StreamField(
        [("page", blocks.PageChooserBlock(page_type=["knowledge.AnswerPage", "knowledge.ServicePage"]))],
        verbose_name=_("related answers"),
        blank=True,
    )
    related_source_ids = models.CharField(
        _("related answers from the import"),
        max_length=400,
        blank=True,
        help_text=_(
            "Source identifiers of related answers, comma-separated, set by the import; "
            "the related answers chosen above come first."
        ),
    )
    last_reviewed = models.DateField(_("last reviewed"), default=datetime.date.today)
    source_id = models.CharField(
        _("source identifier"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("Key of this entry in the system it was imported from."),
    )
    # Fingerprint of the last imported entry: re-importing unchanged content adds no revision.
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("keywords", boost=3),
        index.SearchField("body"),
        index.AutocompleteField("keywords"),
        index.FilterField("source_id"),
    ]
    parent_page_types = ["knowledge.TopicPage"]
    subpage_types: list[str] = []

    class Meta:
        abstract = True

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class AnswerPage(KnowledgePage):
    """A question citizens ask, with its short answer and the full answer."""

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("related"),
        MultiFieldPanel(
            [FieldPanel("department"), FieldPanel("keywords"), FieldPanel("last_reviewed")],
            heading=_("Responsibility and search"),
        ),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("source_id"), FieldPanel("related_source_ids")]

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")


class ServicePage(KnowledgePage):
    """A municipal service: who is eligible, how to get it, fees and delay."""

    eligibility = RichTextField(_("who is eligible"), features=RICH_TEXT_FEATURES, blank=True)
    how_to = RichTextField(_("how to"), features=RICH_TEXT_FEATURES, blank=True)
    fees = models.CharField(_("fees"), max_length=200, blank=True)
    target_days = models.PositiveSmallIntegerField(
        _("service delay (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The delay the city commits to, in days."),
    )
    documents_required = RichTextField(_("documents required"), features=RICH_TEXT_FEATURES, blank=True)
    request_type = models.SlugField(
        _("request form"),
        max_length=80,
        blank=True,
        help_text=_("Slug of the request type whose form is embedded on this page."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("eligibility"),
        FieldPanel("how_to"),
        FieldPanel("documents_required"),
        MultiFieldPanel([FieldPanel("fees"), FieldPanel("target_days")], heading=_("Fees and delay")),
        FieldPanel("related"),
        MultiFieldPanel(
            [
                FieldPanel("department"),
                FieldPanel("keywords"),
                FieldPanel("last_reviewed"),
                FieldPanel("request_type"),
            ],
            heading=_("Responsibility, search and request form"),
        ),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("source_id"), FieldPanel("related_source_ids")]
    search_fields = KnowledgePage.search_fields + [
        index.SearchField("eligibility"),
        index.SearchField("how_to"),
    ]

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")


class MissingReason(models.TextChoices):
    """What a citizen says was missing after "No, this page did not help"."""

    UNCLEAR = "unclear", _("The answer is unclear")
    OUTDATED = "outdated", _("The information is outdated or wrong")
    NOT_MY_SITUATION = "not_my_situation", _("It does not cover my situation")
    TALK_TO_SOMEONE = "talk_to_someone", _("I need to talk to someone")


class HelpfulVote(models.Model):
    """One anonymous "Was this helpful?" vote.

    No personal data: the voter is a keyed hash of a random cookie and the page,
    kept only so that a visitor votes once per page.
    """

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="helpful_votes")
    is_helpful = models.BooleanField(_("helpful"))
    voter_digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # After "No": what was missing, and an optional comment (personal data removed before saving).
    reason = models.CharField(_("what was missing"), max_length=20, choices=MissingReason, blank=True)
    comment = models.TextField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("helpful vote")
        verbose_name_plural = _("helpful votes")
        constraints = [
            models.UniqueConstraint(fields=["page", "voter_digest"], name="one_vote_per_visitor_per_page")
        ]

    def __str__(self):
        return f"{self.page_id}: {'yes' if self.is_helpful else 'no'}"


@register_snippet
class Alert(TranslatableMixin, models.Model):
    """A message on every citizen page (or on one topic's pages) for a while: a boil-water
    notice, a snow-removal night, a closed service centre. Translated like the departments
    (one row per language); a language without its translation shows the French one."""

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        URGENT = "urgent", _("Urgent")

    level = models.CharField(_("level"), max_length=10, choices=Level, default=Level.INFO)
    message = models.CharField(_("message"), max_length=300)
    link_page = models.ForeignKey(
        Page,
        verbose_name=_("answer to read"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: the page that tells more."),
    )
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("shown until"), null=True, blank=True, help_text=_("Empty: until removed.")
    )
    topic = models.ForeignKey(
        TopicPage,
        verbose_name=_("only on this topic"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Optional: shown only on this topic's pages; empty: on every page."),
    )

    panels = [
        FieldPanel("level"),
        FieldPanel("message"),
        FieldPanel("link_page"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("topic"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.message

    def clean(self):
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})

    @property
    def dismissible(self) -> bool:
        return self.level != self.Level.URGENT  # an urgent notice stays until it ends


class Sector(models.Model):
    """A part of the city for one service (a collection sector, a snow-removal sector, a district):
    the registry's addresses name their sectors; editors name and describe them here."""

    class Parity(models.TextChoices):
        NONE = "", _("No collection")
        EVERY = "every", _("Every week")
        EVEN = "even", _("Even weeks")
        ODD = "odd", _("Odd weeks")

    class SnowStatus(models.TextChoices):
        NONE = "", _("No operation")
        PLANNED = "planned", _("Snow removal planned")
        IN_PROGRESS = "in_progress", _("Snow removal in progress")
        DONE = "done", _("Snow removal done")

    kind = models.SlugField(
        _("kind"), max_length=40, help_text=_("The registry's column, e.g. collection_sector, snow_sector.")
    )
    code = models.CharField(_("code"), max_length=40, help_text=_("The value in the registry, e.g. nord."))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    collection_weekday = models.PositiveSmallIntegerField(
        _("collection day"),
        null=True,
        blank=True,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
        ],
    )
    garbage_weeks = models.CharField(_("garbage"), max_length=5, choices=Parity, blank=True)
    recycling_weeks = models.CharField(_("recycling"), max_length=5, choices=Parity, blank=True)
    organics_weeks = models.CharField(_("organic materials"), max_length=5, choices=Parity, blank=True)
    snow_status = models.CharField(_("snow removal"), max_length=12, choices=SnowStatus, blank=True)
    snow_status_at = models.DateTimeField(_("snow removal updated at"), null=True, blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("code"), FieldPanel("name"), FieldPanel("description")]
        ),
        MultiFieldPanel(
            [
                FieldPanel("collection_weekday"),
                FieldPanel("garbage_weeks"),
                FieldPanel("recycling_weeks"),
                FieldPanel("organics_weeks"),
            ],
            heading=_("Collections (a holiday moves the collection to the next business day)"),
        ),
        FieldPanel("snow_status"),
    ]

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="one_sector_per_kind_and_code")]

    def __str__(self):
        return f"{self.name} ({self.kind})"

    def save(self, *args, **kwargs):
        if (
            self.pk
            and self.snow_status
            != Sector.objects.filter(pk=self.pk).values_list("snow_status", flat=True).first()
        ):
            self.snow_status_at = timezone.now()
        super().save(*args, **kwargs)


class Address(models.Model):
    """One civic address of the city's registry (Adresses Québec or the city's own), with its sectors."""

    civic_number = models.PositiveIntegerField(_("civic number"))
    suffix = models.CharField(_("suffix"), max_length=5, blank=True)
    street = models.CharField(_("street"), max_length=120)
    # Lower case, no accents, no street type: what a citizen's typing is compared with.
    street_key = models.CharField(max_length=120, editable=False, db_index=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    latitude = models.FloatField(_("latitude"), db_index=True)
    longitude = models.FloatField(_("longitude"), db_index=True)
    sectors = models.JSONField(_("sectors"), default=dict, blank=True)

    class Meta:
        verbose_name = _("civic address")
        verbose_name_plural = _("civic addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["civic_number", "suffix", "street_key"], name="one_address_per_number"
            )
        ]
        indexes = [models.Index(fields=["street_key", "civic_number"], name="address_street_number")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.civic_number}{self.suffix}, {self.street}"
