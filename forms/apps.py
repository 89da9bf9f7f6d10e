from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "forms"
    label = "requests"
    verbose_name = _("Requests")

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
