"""Admin for editors: the "Answers to review" and "Helpful votes" reports, and vote counts on pages."""

from django.urls import include, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import KNOWLEDGE_PAGE_TYPES, AnswersToReviewView, HelpfulVotesView
from .models import Sector
from .votes import helpful_counts

report_urls = (
    [
        path("", AnswersToReviewView.as_view(), name="answers_to_review"),
        path("results/", AnswersToReviewView.as_view(results_only=True), name="answers_to_review_results"),
        path("votes/", HelpfulVotesView.as_view(), name="helpful_votes"),
        path("votes/results/", HelpfulVotesView.as_view(results_only=True), name="helpful_votes_results"),
    ],
    "knowledge_reports",
)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/knowledge/", include(report_urls))]


class PageEditorReportMenuItem(MenuItem):
    """Shown to anyone who may add, edit or publish pages (as Wagtail's own page reports)."""

    def is_shown(self, request):
        return PagePermissionPolicy().user_has_any_permission(request.user, ["add", "change", "publish"])


@hooks.register("register_reports_menu_item")
def register_answers_to_review_menu_item():
    return PageEditorReportMenuItem(
        _("Answers to review"),
        reverse("knowledge_reports:answers_to_review"),
        name="answers-to-review",
        icon_name="time",
        order=1050,
    )


@hooks.register("register_reports_menu_item")
def register_helpful_votes_menu_item():
    return PageEditorReportMenuItem(
        _("Helpful votes"),
        reverse("knowledge_reports:helpful_votes"),
        name="helpful-votes",
        icon_name="success",
        order=1060,
    )


class HelpfulVotesMenuItem(PageMenuItem):
    """In the page header's "more" menu: this page's yes/no counts, linking to the report."""

    icon_name = "success"
    priority = 80

    def __init__(self, *, page: Page):
        counts = helpful_counts(page)
        label = gettext("Helpful votes: %(yes)s yes, %(no)s no") % counts
        url = reverse("knowledge_reports:helpful_votes") + "?" + urlencode({"q": page.title})
        super().__init__(label=label, url=url, page=page)

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_edit()


@hooks.register("register_page_header_buttons")
def page_header_helpful_votes(page, user, view_name, next_url=None):
    if view_name == "edit" and issubclass(page.specific_class or Page, KNOWLEDGE_PAGE_TYPES):
        yield HelpfulVotesMenuItem(page=page)


class SectorViewSet(SnippetViewSet):
    """Sectors of the address registry: editors name them, set the collection rules and, on a
    snow-removal night, the status citizens see by address."""

    model = Sector
    icon = "site"
    menu_label = _("Sectors")
    list_display = ["name", "kind", "code", "collection_weekday", "snow_status"]
    list_filter = ["kind", "snow_status"]
    search_fields = ["name", "code"]
    search_backend_name = None
    ordering = ["kind", "name"]


register_snippet(SectorViewSet)
