"""The home page (a search box first, then popular answers, topics and contact) and the pages the
footer links to (privacy policy, accessibility statement, contact)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from knowledge.models import AnswerPage, PublicCacheMixin, ServicePage, TopicPage

POPULAR_COUNT = 6


class HomePage(PublicCacheMixin, Page):
    heading = models.CharField(_("heading"), max_length=200, default="Comment pouvons-nous vous aider?")
    intro = models.TextField(_("introduction"), blank=True)
    popular = StreamField(
        [("page", blocks.PageChooserBlock(page_type=["knowledge.AnswerPage", "knowledge.ServicePage"]))],
        verbose_name=_("popular answers"),
        blank=True,
        help_text=_("Pinned answers; the most helpful answers fill the remaining places."),
    )

    content_panels = Page.content_panels + [FieldPanel("heading"), FieldPanel("intro"), FieldPanel("popular")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["knowledge.TopicPage", "home.InformationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Finds a descendant by its URL path in two queries instead of two per level."""
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            found = (
                Page.objects.filter(url_path=url_path, live=True).values_list("pk", "content_type_id").first()
            )
            if found is not None:
                model = ContentType.objects.get_for_id(found[1]).model_class()
                related = ["locale"] + (["department"] if hasattr(model, "department") else [])
                return model.objects.select_related(*related).get(pk=found[0]).route(request, [])
        return super().route(request, path_components)

    def popular_pages(self) -> list[Page]:
        pinned = [block.value for block in self.popular if block.value and block.value.live]
        missing = POPULAR_COUNT - len(pinned)
        if missing <= 0:
            return pinned[:POPULAR_COUNT]
        most_helpful = (
            Page.objects.live()
            .public()
            .descendant_of(self)
            .type(AnswerPage, ServicePage)
            .exclude(pk__in=[page.pk for page in pinned])
            .annotate(helpful=Count("helpful_votes", filter=Q(helpful_votes__is_helpful=True)))
            .order_by("-helpful", "title")[:missing]
        )
        return pinned + list(most_helpful)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = self.get_children().live().public().type(TopicPage).specific()
        context["popular_pages"] = self.popular_pages()
        return context


class InformationPage(PublicCacheMixin, Page):
    """A page the footer links to: the privacy policy (Law 25), the accessibility statement
    (SGQRI 008), the contact page. Created by `setup_portal` in every language; editors own it."""

    class Purpose(models.TextChoices):
        PRIVACY = "privacy", _("Privacy policy")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        CONTACT = "contact", _("Contact us")
        OTHER = "other", _("Other")

    purpose = models.CharField(
        _("purpose"),
        max_length=20,
        choices=Purpose,
        default=Purpose.OTHER,
        help_text=_("The footer links to the privacy, accessibility and contact pages of each language."),
    )
    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link"], blank=True)
    shows_contact = models.BooleanField(
        _("show the contact details"), default=False, help_text=_("Hours, phone, e-mail and address.")
    )

    content_panels = Page.content_panels + [
        FieldPanel("purpose"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("shows_contact"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
