"""Admin hooks of the dashboard: its URL and its « Tableau de bord » menu item."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .figures import can_see_dashboard
from .views import DashboardView


@hooks.register("register_admin_urls")
def register_dashboard_admin_urls():
    return [path("requests/dashboard/", DashboardView.as_view(), name="requests_dashboard")]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_dashboard(request.user)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(
        _("Dashboard"), reverse("requests_dashboard"), name="requests-dashboard", icon_name="table", order=260
    )
