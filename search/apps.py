from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from knowledge.related import related_scorer_register

        from . import signals  # noqa: F401
        from .related import co_clicked

        related_scorer_register(co_clicked)  # answers opened by the same search sessions go together
