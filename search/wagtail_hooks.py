"""Admin: the synonyms snippet, the search queries report and the surges panel."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import SearchQueriesView
from .models import Synonym
from .surges import surges_recent


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("Synonyms")
    list_display = ["terms", "canonical", "language"]
    list_filter = ["language"]
    search_fields = ["terms", "canonical"]
    search_backend_name = None
    ordering = ["language", "canonical"]


register_snippet(SynonymViewSet)


@hooks.register("register_admin_urls")
def register_search_admin_urls():
    return [path("reports/search-queries/", SearchQueriesView.as_view(), name="search_queries")]


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtailadmin.access_admin")


@hooks.register("register_reports_menu_item")
def register_search_queries_menu_item():
    return SearchReportMenuItem(
        _("Search queries"), reverse("search_queries"), name="search-queries", icon_name="search", order=1070
    )


class SurgesPanel(Component):
    """On the admin's home, for editors: what citizens searched far more than usual today."""

    name = "search_surges"
    order = 50
    template_name = "search/admin/surges_panel.html"

    def get_context_data(self, parent_context):
        return {"surges": surges_recent()}


@hooks.register("construct_homepage_panels")
def add_surges_panel(request, panels):
    if PagePermissionPolicy().user_has_any_permission(request.user, ["add", "change", "publish"]):
        panels.append(SurgesPanel())
