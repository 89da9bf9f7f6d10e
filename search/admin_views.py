"""Editors' view of deflection: what citizens search for, and what found nothing."""

import datetime

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import ClickLog, QueryLog

PERIODS = {"7": 7, "30": 30, "90": 90}


class SearchQueriesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "search/admin/search_queries.html"
    page_title = _("Search queries")
    header_icon = "search"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.request.GET.get("days", "30")
        days = PERIODS.get(period, 30)
        since = timezone.now() - datetime.timedelta(days=days)
        logs = QueryLog.objects.filter(created_at__gte=since).exclude(query="")
        grouped = logs.values("query", "language").annotate(
            searches=Count("id"), zero=Count("id", filter=Q(results_count=0))
        )
        context.update(
            {
                "days": days,
                "periods": list(PERIODS.values()),
                "top_queries": grouped.order_by("-searches", "query")[:50],
                "zero_queries": grouped.filter(zero__gt=0).order_by("-zero", "query")[:50],
                "total": logs.count(),
                "zero_total": logs.filter(results_count=0).count(),
                "clicks": ClickLog.objects.filter(created_at__gte=since).count(),
                "average_ms": logs.aggregate(value=Avg("duration_ms"))["value"],
            }
        )
        return context
