"""« Tableau de bord »: the staff dashboard in the Wagtail admin, and its CSV exports."""

from __future__ import annotations

import datetime

from django import forms
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .csv import figure_csv_response
from .deflection import Period
from .figures import (
    Scope,
    can_see_dashboard,
    can_see_searches,
    dashboard_figures,
    departments_visible,
    figure_build,
)

PERIOD_DAYS = {"30": 30, "90": 90, "365": 365}
# The figures of a scope are kept in the shared cache this long: a dashboard, not a live queue.
CACHE_SECONDS = 5 * 60
MAX_CUSTOM_DAYS = 3 * 366


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        required=False,
        choices=[
            ("30", gettext_lazy("Last 30 days")),
            ("90", gettext_lazy("Last 90 days")),
            ("365", gettext_lazy("Last 12 months")),
            ("custom", gettext_lazy("Custom")),
        ],
    )
    start = forms.DateField(
        label=gettext_lazy("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    department = forms.TypedChoiceField(
        label=gettext_lazy("Department"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = list(departments)
        self.fields["department"].choices = [("", _("All my departments"))] + [
            (department.pk, department.name) for department in self.departments
        ]

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both dates of a custom period."))
            if end < start:
                raise forms.ValidationError(_("The end of the period is before its start."))
            if (end - start).days > MAX_CUSTOM_DAYS:
                raise forms.ValidationError(_("A custom period is at most three years long."))
        return data

    def chosen_period(self) -> Period:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        today = timezone.localdate()
        if data.get("period") == "custom":
            start, end = data["start"], data["end"] + datetime.timedelta(days=1)
        else:
            days = PERIOD_DAYS.get(data.get("period") or "90", 90)
            start, end = today - datetime.timedelta(days=days - 1), today + datetime.timedelta(days=1)
        zone = timezone.get_current_timezone()
        return Period(
            start=datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
            end=datetime.datetime.combine(end, datetime.time.min, tzinfo=zone),
        )

    def chosen_departments(self) -> list:
        department = self.cleaned_data.get("department") if self.is_bound and self.is_valid() else None
        if department is None:
            return self.departments
        return [d for d in self.departments if d.pk == department]


def scope_cache_key(scope: Scope) -> str:
    departments = ",".join(str(department.pk) for department in scope.departments)
    period = f"{scope.period.start:%Y%m%d}-{scope.period.end:%Y%m%d}"
    return f"requests:dashboard:{period}:{departments}:{int(scope.searches)}"


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "requests/dashboard/dashboard.html"
    page_title = gettext_lazy("Dashboard")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_dashboard(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        departments = departments_visible(request.user)
        bound = any(name in request.GET for name in ("period", "start", "end", "department"))
        form = DashboardFilterForm(request.GET if bound else None, departments=departments)
        if bound and not form.is_valid():
            context = self.get_context_data(form=form, figures=[], invalid=True)
            return TemplateResponse(request, self.template_name, context, status=400)
        scope = Scope(
            period=form.chosen_period(),
            departments=form.chosen_departments(),
            searches=can_see_searches(request.user),
        )
        cached = cache.get(scope_cache_key(scope))
        csv_key = request.GET.get("csv")
        if csv_key is not None:
            # From the figures the page showed when they are still cached: the very same rows.
            figure = next((f for f in cached["figures"] if f.key == csv_key), None) if cached else None
            figure = figure or figure_build(scope, csv_key)
            if figure is None:
                return HttpResponse(
                    _("Unknown figure."), status=404, content_type="text/plain; charset=utf-8"
                )
            filename = f"{figure.key}-{scope.period.start:%Y-%m-%d}.csv"
            return figure_csv_response(figure, filename=filename)
        if cached is None:
            cached = {"figures": dashboard_figures(scope), "computed_at": timezone.now()}
            cache.set(scope_cache_key(scope), cached, CACHE_SECONDS)
        figures = cached["figures"]
        query = request.GET.copy()
        query.pop("csv", None)
        context = self.get_context_data(
            form=form,
            figures=figures,
            scope=scope,
            last_day=(scope.period.end - datetime.timedelta(days=1)).date(),
            filter_query=query.urlencode(),
            computed_at=cached["computed_at"],
            cache_minutes=CACHE_SECONDS // 60,
        )
        return self.render_to_response(context)
