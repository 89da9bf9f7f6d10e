"""Site-wide settings and texts that communications staff edit in the admin.

What does not depend on the language (hours, phone numbers, e-mail, address) is a setting; the
words that do (the service's name, its opening days) are a translatable snippet, one row per
language, like the departments and the request types."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import TranslatableMixin
from wagtail.snippets.models import register_snippet


@register_setting(icon="mail")
class ContactSettings(BaseGenericSetting):
    """How citizens reach the customer service centre (shown on every page)."""

    city_name = models.CharField(_("city name"), max_length=120, default="Ville de Rivière-aux-Érables")
    opens_at = models.TimeField(_("opens at"), default=datetime.time(7, 30))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(17, 30))
    phone_short = models.CharField(
        _("short number"), max_length=10, blank=True, default="311", help_text=_("e.g. 311; may be empty.")
    )
    phone = models.CharField(
        _("phone"), max_length=40, default="418 555-0311", help_text=_("The full number, e.g. 418 555-0311.")
    )
    email = models.EmailField(_("e-mail"), default="info@example.org")
    address = models.TextField(
        _("address"), default="1000, rue Principale\nRivière-aux-Érables (Québec)  G0A 1A0"
    )

    panels = [
        FieldPanel("city_name"),
        MultiFieldPanel(
            [FieldPanel("opens_at"), FieldPanel("closes_at")],
            heading=_("Opening hours"),
            help_text=_("The service's name and its opening days are in the snippet « Contact texts »."),
        ),
        MultiFieldPanel([FieldPanel("phone_short"), FieldPanel("phone")], heading=_("Phone")),
        FieldPanel("email"),
        FieldPanel("address"),
    ]

    class Meta:
        verbose_name = _("contact details")


# The words of a fresh portal, per language (`contact_details_setup`); French is the default.
CONTACT_DEFAULTS = {
    "fr": {"service_name": "Centre de service aux citoyens", "days": "du lundi au vendredi"},
    "en": {"service_name": "Citizen Service Centre", "days": "Monday to Friday"},
}


@register_snippet
class ContactDetails(TranslatableMixin, models.Model):
    """The contact block's words in one language (translated with « Translate »): the page shows
    its visitor's language, the French row when that language has none. The first French row is
    the one shown; its translations share its `translation_key`."""

    service_name = models.CharField(
        _("service name"), max_length=120, default=CONTACT_DEFAULTS["fr"]["service_name"]
    )
    days = models.CharField(
        _("opening days"),
        max_length=120,
        default=CONTACT_DEFAULTS["fr"]["days"],
        help_text=_("e.g. Monday to Friday; the hours are in the contact settings."),
    )

    panels = [FieldPanel("service_name"), FieldPanel("days")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("contact text")
        verbose_name_plural = _("contact texts")
        ordering = ["pk"]

    def __str__(self):
        return self.service_name
