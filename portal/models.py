"""Site-wide settings that communications staff edit in the admin."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="mail")
class ContactSettings(BaseGenericSetting):
    """How citizens reach the customer service centre (shown on every page)."""

    city_name = models.CharField(_("city name"), max_length=120, default="Ville de Rivière-aux-Érables")
    service_name_fr = models.CharField(
        _("service name (French)"), max_length=120, default="Centre de service aux citoyens"
    )
    service_name_en = models.CharField(
        _("service name (English)"), max_length=120, default="Citizen Service Centre"
    )
    opens_at = models.TimeField(_("opens at"), default=datetime.time(7, 30))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(17, 30))
    days_fr = models.CharField(_("days (French)"), max_length=120, default="du lundi au vendredi")
    days_en = models.CharField(_("days (English)"), max_length=120, default="Monday to Friday")
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
        MultiFieldPanel([FieldPanel("service_name_fr"), FieldPanel("service_name_en")], heading=_("Service")),
        MultiFieldPanel(
            [FieldPanel("opens_at"), FieldPanel("closes_at"), FieldPanel("days_fr"), FieldPanel("days_en")],
            heading=_("Opening hours"),
        ),
        MultiFieldPanel([FieldPanel("phone_short"), FieldPanel("phone")], heading=_("Phone")),
        FieldPanel("email"),
        FieldPanel("address"),
    ]

    class Meta:
        verbose_name = _("contact details")
