"""The dashboard's selectors: each chart is one `Figure`, computed with aggregate queries.

A figure holds its rows once; the chart's data (`chart_data`), the accessible table and the CSV
export (`forms.dashboard.csv`) are all read from those rows, so they always agree.

Scope: `Scope.requests()` is every request of the departments the user may see
(`forms.selectors.departments_for`), narrowed to the chosen department; searches are
city-wide and only shown to those who manage search (`can_see_searches`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, DateField, DateTimeField, Max, Q, QuerySet
from django.db.models.functions import Trunc, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowledge.models import Department
from portal.business_days import business_days_between

from ..models import OPEN_STATUSES, CitizenRequest, Escalation, RequestEvent, Status, SurveyAnswer
from ..selectors import department_keys_for
from . import deflection
from .deflection import Period

NUMBER, PERCENT, TEXT = "number", "percent", "text"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = NUMBER
    axis: str = "y"  # the chart's axis: "y" (counts) or "y1" (percentages, days)
    plotted: bool = True


@dataclass
class Figure:
    """One chart: its rows, the columns to plot, and how to draw them."""

    key: str
    title: str
    description: str
    label_column: Column
    columns: list[Column]
    rows: list[dict]
    chart: str = "bar"  # "bar", "line" or "bar-horizontal"
    links: list[dict] = field(default_factory=list)  # per row, optional: [{"label", "url"}]
    stacked: bool = False  # bars of the left axis stacked (parts of one total)
    summary: list[tuple] = field(default_factory=list)  # (label, value) shown above the chart

    @property
    def data_id(self) -> str:
        return f"figure-{self.key}-data"

    def header(self) -> list[str]:
        return [str(self.label_column.label)] + [str(column.label) for column in self.columns]

    def table(self) -> list[list]:
        """The rows as the table and the CSV show them (label first, then each column)."""
        return [
            [_cell(row[self.label_column.key])] + [row.get(c.key) for c in self.columns] for row in self.rows
        ]

    def lines(self) -> list[dict]:
        """The table's lines with their links (the template's rows)."""
        return [
            {"cells": line, "links": self.links[index] if index < len(self.links) else []}
            for index, line in enumerate(self.table())
        ]

    def chart_data(self) -> dict:
        """What the chart draws: exactly the table's values."""
        table = self.table()
        return {
            "key": self.key,
            "type": self.chart,
            "labels": [line[0] for line in table],
            "datasets": [
                {
                    "key": column.key,
                    "label": str(column.label),
                    "data": [line[index] for line in table],
                    "axis": column.axis,
                }
                for index, column in enumerate(self.columns, start=1)
                if column.plotted
            ],
            "percent": [str(column.label) for column in self.columns if column.kind == PERCENT],
            "stacked": self.stacked,
        }


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def nearest_rank(ordered_counts: list[tuple[int, int]], fraction: float) -> int | None:
    """The value at `fraction` (nearest rank) of a distribution given as sorted (value, count)."""
    total = sum(count for _value, count in ordered_counts)
    if not total:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for value, count in ordered_counts:
        seen += count
        if seen >= rank:
            return value
    return ordered_counts[-1][0]


@dataclass(frozen=True)
class DelayStats:
    resolved: int
    on_time: int
    median: int | None
    p90: int | None

    @property
    def on_time_rate(self) -> float | None:
        return _percent(self.on_time, self.resolved)


def delay_stats(requests: QuerySet, group: str, *, start: datetime, end: datetime) -> dict:
    """Per `group` value: business days from submission to resolution of the requests resolved
    in [start, end): median, 90th percentile (nearest rank) and how many met their type's
    published target. One query grouped by (group, target, day submitted, day resolved)."""
    rows = (
        requests.filter(resolved_at__gte=start, resolved_at__lt=end, resolved_at__isnull=False)
        .annotate(
            submitted_day=TruncDate("submitted_at", output_field=DateField()),
            resolved_day=TruncDate("resolved_at", output_field=DateField()),
        )
        .values(group, "request_type__target_business_days", "submitted_day", "resolved_day")
        .annotate(count=Count("pk"))
        .order_by()
    )
    days: dict = defaultdict(lambda: defaultdict(int))
    on_time: dict = defaultdict(int)
    for row in rows:
        delay = business_days_between(row["submitted_day"], row["resolved_day"])
        days[row[group]][delay] += row["count"]
        if delay <= row["request_type__target_business_days"]:
            on_time[row[group]] += row["count"]
    stats = {}
    for key, counts in days.items():
        ordered = sorted(counts.items())
        stats[key] = DelayStats(
            resolved=sum(counts.values()),
            on_time=on_time[key],
            median=nearest_rank(ordered, 0.5),
            p90=nearest_rank(ordered, 0.9),
        )
    return stats


def can_see_searches(user) -> bool:
    """Searches are city-wide and hold what citizens typed: for those who manage search."""
    return user.is_active and (user.is_superuser or user.has_perm("search.change_synonym"))


def can_see_dashboard(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(department_keys_for(user)) or can_see_searches(user)


def departments_visible(user) -> QuerySet:
    """The (French) departments whose figures the user may see."""
    queryset = Department.objects.filter(locale__language_code="fr").order_by("name")
    if user.is_superuser:
        return queryset
    return queryset.filter(translation_key__in=department_keys_for(user))


@dataclass
class Scope:
    period: Period
    departments: list  # Department rows (French versions) in scope
    searches: bool  # the user may see the search and deflection figures

    def requests(self) -> QuerySet:
        return CitizenRequest.objects.filter(department__in=self.departments)

    @property
    def department_names(self) -> dict:
        return {department.pk: department.name for department in self.departments}


# Searches ------------------------------------------------------------------------------------


def searches_per_day(scope: Scope) -> Figure:
    rows = (
        deflection.searches(scope.period)
        .annotate(day=Trunc("created_at", "day", output_field=DateTimeField()))
        .values("day")
        .annotate(
            searches=Count("pk"),
            page=Count("pk", filter=Q(source=deflection.PAGE)),
            form=Count("pk", filter=Q(source=deflection.FORM)),
            api=Count("pk", filter=Q(source=deflection.API)),
            zero=Count("pk", filter=Q(results_count=0)),
        )
        .order_by("day")
    )
    rows = [{**row, "zero_rate": _percent(row["zero"], row["searches"])} for row in rows]
    return Figure(
        key="searches",
        title=_("Searches per day and zero-result rate"),
        description=_("Page, request form and API searches; a typing session in the form counts once."),
        label_column=Column("day", _("Day"), TEXT),
        columns=[
            Column("page", _("Search page")),
            Column("form", _("Request form")),
            Column("api", _("API")),
            Column("searches", _("Searches"), plotted=False),
            Column("zero", _("Without results"), plotted=False),
            Column("zero_rate", _("Zero-result rate (%)"), PERCENT, axis="y1"),
        ],
        rows=rows,
        chart="bar",
        stacked=True,
    )


def zero_result_queries(scope: Scope, *, limit: int = 20) -> Figure:
    from django.urls import reverse

    rows = list(
        deflection.searches(scope.period)
        .filter(results_count=0)
        .values("query", "language")
        .annotate(count=Count("pk"), last=Max("created_at"))
        .order_by("-count", "query")[:limit]
    )
    try:
        synonym_url = reverse("wagtailsnippets_search_synonym:add")
    except Exception:  # noqa: BLE001 - the synonyms snippet may be renamed by the search app
        synonym_url = ""
    answer_url = reverse("wagtailadmin_pages:search")
    from django.utils.http import urlencode

    links = [
        [
            {"label": _("Find or write an answer"), "url": f"{answer_url}?{urlencode({'q': row['query']})}"},
            *([{"label": _("Add a synonym"), "url": synonym_url}] if synonym_url else []),
        ]
        for row in rows
    ]
    return Figure(
        key="zero-results",
        title=_("Top searches without results"),
        description=_("Write an answer for them, or a synonym that leads to an existing answer."),
        label_column=Column("query", _("Query"), TEXT),
        columns=[Column("language", _("Language"), TEXT, plotted=False), Column("count", _("Searches"))],
        rows=rows,
        chart="bar-horizontal",
        links=links,
    )


def deflection_over_time(scope: Scope) -> Figure:
    unit = "day" if scope.period.end - scope.period.start <= timedelta(days=31) else "week"
    rows = deflection.deflection_by(scope.period, unit)
    totals = deflection.deflection_totals(scope.period, rows=rows)
    summary = [
        (_("Search sessions"), totals.sessions),
        (_("Deflected sessions"), totals.deflected),
        (_("Deflection rate (%)"), totals.rate),
        (_("Requests received"), totals.requests),
        (_("Requests after a search in the request form"), totals.requests_after_search),
    ]
    return Figure(
        key="deflection",
        title=_("Deflection rate over time"),
        description=_(
            "Search sessions with a click on an answer (or “this answered my question”) and no "
            "request from the session within 24 hours. A search without a session cannot be "
            "followed: its click counts, and the table says how many such sessions there are."
        ),
        label_column=Column("bucket", _("Day") if unit == "day" else _("Week of"), TEXT),
        columns=[
            Column("sessions", _("Search sessions")),
            Column("deflected", _("Deflected sessions")),
            Column("unfollowed", _("Of which without a session (not followed)"), plotted=False),
            Column("rate", _("Deflection rate (%)"), PERCENT, axis="y1"),
        ],
        rows=rows,
        chart="bar",
        summary=summary,
    )


def deflecting_answers(scope: Scope) -> Figure:
    rows = deflection.deflection_by_answer(scope.period)
    return Figure(
        key="answers",
        title=_("Answers that deflect most"),
        description=_("Sessions each answer deflected, and requests submitted from its page."),
        label_column=Column("title", _("Answer"), TEXT),
        columns=[
            Column("deflected", _("Deflected sessions")),
            Column("requests", _("Requests from the page")),
        ],
        rows=rows,
        chart="bar-horizontal",
    )


# Requests ------------------------------------------------------------------------------------


def requests_per_week(scope: Scope) -> Figure:
    """Received and resolved per week (one query each: they are counted on different dates)."""
    requests = scope.requests()
    start, end = scope.period.start, scope.period.end
    week = Trunc("submitted_at", "week", output_field=DateTimeField())
    received = (
        requests.filter(submitted_at__gte=start, submitted_at__lt=end)
        .annotate(week=week)
        .values("week")
        .annotate(count=Count("pk"))
        .order_by()
    )
    resolved = (
        requests.filter(resolved_at__gte=start, resolved_at__lt=end)
        .annotate(week=Trunc("resolved_at", "week", output_field=DateTimeField()))
        .values("week")
        .annotate(count=Count("pk"))
        .order_by()
    )
    weeks: dict = defaultdict(lambda: {"received": 0, "resolved": 0})
    for row in received:
        weeks[_cell(row["week"])]["received"] = row["count"]
    for row in resolved:
        weeks[_cell(row["week"])]["resolved"] = row["count"]
    rows = [{"week": key, **values} for key, values in sorted(weeks.items())]
    return Figure(
        key="requests",
        title=_("Requests received and resolved per week"),
        description=_("For the departments chosen above."),
        label_column=Column("week", _("Week of"), TEXT),
        columns=[Column("received", _("Received")), Column("resolved", _("Resolved"))],
        rows=rows,
        chart="line",
    )


def department_rows(scope: Scope) -> list[dict]:
    """Per department: received, resolved, backlog (open now), late notices, on-time rate and
    typical delay. Queries: the requests (conditional counts), the delays, the late notices."""
    requests = scope.requests()
    start, end = scope.period.start, scope.period.end
    counts = {
        row["department_id"]: row
        for row in requests.values("department_id")
        .annotate(
            received=Count("pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end)),
            resolved=Count("pk", filter=Q(resolved_at__gte=start, resolved_at__lt=end)),
            backlog=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        )
        .order_by()
    }
    delays = delay_stats(requests, "department_id", start=start, end=end)
    events = {
        row["request__department_id"]: row
        for row in RequestEvent.objects.filter(
            request__department__in=scope.departments, created_at__gte=start, created_at__lt=end
        )
        .filter(
            Q(kind=RequestEvent.Kind.LATE_NOTICE)
            | Q(kind=RequestEvent.Kind.STATUS, to_status=Status.REOPENED)
        )
        .values("request__department_id")
        .annotate(
            late=Count("pk", filter=Q(kind=RequestEvent.Kind.LATE_NOTICE)),
            reopened=Count("pk", filter=Q(kind=RequestEvent.Kind.STATUS)),
        )
        .order_by()
    }
    rows = []
    for department_id, name in scope.department_names.items():
        count = counts.get(department_id, {})
        delay = delays.get(department_id)
        event = events.get(department_id, {})
        rows.append(
            {
                "department": name,
                "received": count.get("received", 0),
                "resolved": count.get("resolved", 0),
                "backlog": count.get("backlog", 0),
                "late": event.get("late", 0),
                "reopened": event.get("reopened", 0),
                "on_time_rate": delay.on_time_rate if delay else None,
                "median": delay.median if delay else None,
                "p90": delay.p90 if delay else None,
            }
        )
    return rows


def departments_service(scope: Scope, rows: list[dict]) -> Figure:
    return Figure(
        key="departments",
        title=_("Service by department"),
        description=_("Received and resolved in the period, open requests now, late notices sent."),
        label_column=Column("department", _("Department"), TEXT),
        columns=[
            Column("received", _("Received")),
            Column("resolved", _("Resolved")),
            Column("backlog", _("Open now (backlog)")),
            Column("late", _("Late notices sent")),
        ],
        rows=rows,
        chart="bar",
    )


def departments_delays(scope: Scope, rows: list[dict]) -> Figure:
    return Figure(
        key="delays",
        title=_("Typical delay and on-time rate by department"),
        description=_(
            "Business days from submission to resolution of the requests resolved in the period; "
            "on time: within the published target of their type."
        ),
        label_column=Column("department", _("Department"), TEXT),
        columns=[
            Column("median", _("Median (business days)")),
            Column("p90", _("90th percentile (business days)")),
            Column("on_time_rate", _("On time (%)"), PERCENT, axis="y1"),
        ],
        rows=rows,
        chart="bar",
    )


def satisfaction(scope: Scope) -> Figure:
    start, end = scope.period.start, scope.period.end
    answers = {
        row["request__department_id"]: row
        for row in SurveyAnswer.objects.filter(
            request__department__in=scope.departments, answered_at__gte=start, answered_at__lt=end
        )
        .values("request__department_id")
        .annotate(
            answers=Count("pk"),
            resolved_yes=Count("pk", filter=Q(resolved=SurveyAnswer.Resolved.YES)),
            delay=Avg("delay_score"),
            clarity=Avg("clarity_score"),
            courtesy=Avg("courtesy_score"),
        )
        .order_by()
    }
    rows = []
    for department_id, name in scope.department_names.items():
        row = answers.get(department_id, {})
        rows.append(
            {
                "department": name,
                "answers": row.get("answers", 0),
                "resolved": _percent(row.get("resolved_yes", 0), row.get("answers", 0)),
                "delay": round(row["delay"], 2) if row.get("delay") is not None else None,
                "clarity": round(row["clarity"], 2) if row.get("clarity") is not None else None,
                "courtesy": round(row["courtesy"], 2) if row.get("courtesy") is not None else None,
            }
        )
    return Figure(
        key="satisfaction",
        title=_("Satisfaction by department"),
        description=_(
            "Survey answers of the period: resolved (% yes), and the delay, clarity and courtesy scores "
            "(1 to 5)."
        ),
        label_column=Column("department", _("Department"), TEXT),
        columns=[
            Column("answers", _("Answers"), plotted=False),
            Column("resolved", _("Resolved (% yes)"), PERCENT, axis="y1"),
            Column("delay", _("Delay (1 to 5)")),
            Column("clarity", _("Clarity (1 to 5)")),
            Column("courtesy", _("Courtesy (1 to 5)")),
        ],
        rows=rows,
        chart="bar",
    )


def follow_through(scope: Scope, rows: list[dict]) -> Figure:
    """Reopened requests (from the department rows' events query) and ombudsman reviews."""
    start, end = scope.period.start, scope.period.end
    escalations = dict(
        Escalation.objects.filter(
            request__department__in=scope.departments, submitted_at__gte=start, submitted_at__lt=end
        )
        .values("request__department_id")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("request__department_id", "count")
    )
    names = {name: pk for pk, name in scope.department_names.items()}
    table = [
        {
            "department": row["department"],
            "reopened": row["reopened"],
            "escalations": escalations.get(names.get(row["department"]), 0),
        }
        for row in rows
    ]
    return Figure(
        key="follow-through",
        title=_("Reopened requests and ombudsman reviews"),
        description=_("Requests reopened by citizens and reviews asked of the ombudsman in the period."),
        label_column=Column("department", _("Department"), TEXT),
        columns=[Column("reopened", _("Reopened")), Column("escalations", _("Ombudsman reviews"))],
        rows=table,
        chart="bar",
    )


def dashboard_figures(scope: Scope) -> list[Figure]:
    """Every figure the scope may see, in the order of the page."""
    figures = []
    if scope.searches:
        figures += [
            searches_per_day(scope),
            zero_result_queries(scope),
            deflection_over_time(scope),
            deflecting_answers(scope),
        ]
    if scope.departments:
        rows = department_rows(scope)
        figures += [
            requests_per_week(scope),
            departments_service(scope, rows),
            departments_delays(scope, rows),
            satisfaction(scope),
            follow_through(scope, rows),
        ]
    return figures


FIGURE_BUILDERS = {
    "searches": (True, lambda scope: searches_per_day(scope)),
    "zero-results": (True, lambda scope: zero_result_queries(scope)),
    "deflection": (True, lambda scope: deflection_over_time(scope)),
    "answers": (True, lambda scope: deflecting_answers(scope)),
    "requests": (False, lambda scope: requests_per_week(scope)),
    "departments": (False, lambda scope: departments_service(scope, department_rows(scope))),
    "delays": (False, lambda scope: departments_delays(scope, department_rows(scope))),
    "satisfaction": (False, lambda scope: satisfaction(scope)),
    "follow-through": (False, lambda scope: follow_through(scope, department_rows(scope))),
}


def figure_build(scope: Scope, key: str) -> Figure | None:
    """One figure (for its CSV), or None when unknown or not for this user."""
    entry = FIGURE_BUILDERS.get(key)
    if entry is None:
        return None
    needs_searches, build = entry
    if needs_searches and not scope.searches:
        return None
    if not needs_searches and not scope.departments:
        return None
    return build(scope)
