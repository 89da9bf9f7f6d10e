"""Editors' reports: answers due for review, and what citizens think of each page."""

import datetime

import django_filters
from dateutil.relativedelta import relativedelta

from django import forms
from django.conf import settings
from django.db.models import Count, F, FloatField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, LocaleColumn, NumberColumn, TitleColumn
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Page

from .models import AnswerPage, Department, HelpfulVote, MissingReason, ServicePage

# A page most voters found unhelpful is due for review whatever its date: at least this many
# votes, and fewer "Yes" than this share.
UNHELPFUL_MIN_VOTES = 5
UNHELPFUL_BELOW_PERCENT = 50
KNOWLEDGE_PAGE_TYPES = (AnswerPage, ServicePage)


def review_after_months() -> int:
    return settings.PORTAL_REVIEW_AFTER_MONTHS


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (31 March minus one month is 28/29 February)."""
    return day - relativedelta(months=months)


def review_cutoff(*, months: int, today: datetime.date | None = None) -> datetime.date:
    """Pages last reviewed strictly before this date are due for review."""
    return months_before(today or timezone.localdate(), months)


def knowledge_pages():
    """Answer and service pages as plain `Page` rows, with the fields both models share annotated."""
    return Page.objects.type(*KNOWLEDGE_PAGE_TYPES).annotate(
        reviewed_on=Coalesce("answerpage__last_reviewed", "servicepage__last_reviewed"),
        department_name=Coalesce("answerpage__department__name", "servicepage__department__name"),
    )


def page_type_label(page: Page) -> str:
    model = page.specific_class
    return str(model._meta.verbose_name).capitalize() if model else ""


def edit_url(page: Page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


class KnowledgePageFilterSet(WagtailFilterSet):
    """Type and department filters; Wagtail adds the locale filter itself."""

    kind = django_filters.ChoiceFilter(
        label=_("Type"),
        choices=[("answer", _("Answers")), ("service", _("Services"))],
        empty_label=_("All"),
        method="filter_kind",
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=lambda request: Department.objects.all(),
        method="filter_department",
    )

    class Meta:
        model = Page
        fields: list[str] = []

    def filter_kind(self, queryset, name, value):
        model = {"answer": AnswerPage, "service": ServicePage}.get(value)
        return queryset.type(model) if model else queryset

    def filter_department(self, queryset, name, value):
        # Departments are translated snippets: either language's entry finds the pages of both.
        key = value.translation_key
        return queryset.filter(
            Q(answerpage__department__translation_key=key) | Q(servicepage__department__translation_key=key)
        )


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ReviewReportFilterSet(KnowledgePageFilterSet):
    months = WholeNumberFilter(
        label=_("Not reviewed for (months)"),
        min_value=1,
        max_value=240,
        method="filter_months",
        help_text=_("Leave empty for the portal's default."),
    )

    def filter_months(self, queryset, name, value):
        # The view applies the cut-off itself, so that the default applies without the filter too.
        return queryset


def vote_counts() -> dict:
    return {
        "votes_yes": Count("helpful_votes", filter=Q(helpful_votes__is_helpful=True)),
        "votes_no": Count("helpful_votes", filter=Q(helpful_votes__is_helpful=False)),
        "votes_total": Count("helpful_votes"),
    }


def reason_counts() -> dict:
    return {
        f"reason_{value}": Count("helpful_votes", filter=Q(helpful_votes__reason=value))
        for value in MissingReason.values
    }


UNHELPFUL = Q(votes_total__gte=UNHELPFUL_MIN_VOTES) & Q(
    votes_yes__lt=F("votes_total") * UNHELPFUL_BELOW_PERCENT / 100.0
)
LAST_COMMENT = Subquery(
    HelpfulVote.objects.filter(page=OuterRef("pk"))
    .exclude(comment="")
    .order_by("-created_at")
    .values("comment")[:1]
)


def reasons_display(page: Page) -> str:
    parts = [
        f"{label} ({getattr(page, f'reason_{value}')})"
        for value, label in MissingReason.choices
        if getattr(page, f"reason_{value}", 0)
    ]
    return " · ".join(parts)


def verdict_display(page: Page) -> str:
    """Why a recently reviewed page is in the review report: citizens found it unhelpful."""
    total = page.votes_total or 0
    if total < UNHELPFUL_MIN_VOTES or page.votes_yes * 100 >= UNHELPFUL_BELOW_PERCENT * total:
        return ""
    return gettext("Unhelpful: %(yes)s of %(total)s said yes") % {"yes": page.votes_yes, "total": total}


class AnswersToReviewView(PageReportView):
    """Answers and services whose "last reviewed" date is older than N months (oldest first)."""

    page_title = _("Answers to review")
    header_icon = "time"
    index_url_name = "knowledge_reports:answers_to_review"
    index_results_url_name = "knowledge_reports:answers_to_review_results"
    results_template_name = "knowledge/admin/answers_to_review_results.html"
    filterset_class = ReviewReportFilterSet
    any_permission_required = ["add", "change", "publish"]
    default_ordering = "reviewed_on"
    columns = [
        TitleColumn("title", label=_("Title"), get_url=edit_url, sort_key="title"),
        LocaleColumn(label=_("Language")),
        Column("page_type", label=_("Type"), accessor=page_type_label),
        Column("department_name", label=_("Department"), sort_key="department_name"),
        DateColumn("reviewed_on", label=_("Last reviewed"), sort_key="reviewed_on"),
        Column("verdict", label=_("Citizens"), accessor=verdict_display),
    ]
    list_export = ["title", "locale", "department_name", "reviewed_on", "full_url"]
    export_headings = {
        "title": _("Title"),
        "locale": _("Language"),
        "department_name": _("Department"),
        "reviewed_on": _("Last reviewed"),
        "full_url": _("URL"),
    }

    @cached_property
    def months(self) -> int:
        filters = self.filters
        if filters is not None and filters.is_valid() and filters.form.cleaned_data.get("months"):
            return filters.form.cleaned_data["months"]
        return review_after_months()

    @cached_property
    def cutoff(self) -> datetime.date:
        return review_cutoff(months=self.months)

    def get_filename(self):
        return f"answers-to-review-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        self.queryset = (
            knowledge_pages()
            .filter(
                pk__in=self.permission_policy.instances_user_has_permission_for(
                    self.request.user, "change"
                ).values("pk")
            )
            .annotate(**vote_counts())
            .filter(
                Q(answerpage__last_reviewed__lt=self.cutoff)
                | Q(servicepage__last_reviewed__lt=self.cutoff)
                | UNHELPFUL
            )
            .select_related("locale", "content_type")
        )
        return super().get_queryset()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["months"] = self.months
        context["cutoff"] = self.cutoff
        return context


def helpful_percent_display(page: Page) -> str:
    if page.helpful_percent is None:
        return ""
    return gettext("%(percent)s%%") % {"percent": round(page.helpful_percent)}


class HelpfulVotesView(PageReportView):
    """Yes/no votes per page; the pages citizens find least helpful come first."""

    page_title = _("Helpful votes")
    header_icon = "success"
    index_url_name = "knowledge_reports:helpful_votes"
    index_results_url_name = "knowledge_reports:helpful_votes_results"
    results_template_name = "knowledge/admin/helpful_votes_results.html"
    filterset_class = KnowledgePageFilterSet
    any_permission_required = ["add", "change", "publish"]
    is_searchable = True
    search_fields = ["title"]
    search_backend_name = None  # A plain title filter: the annotated counts stay on the queryset.
    default_ordering = "-votes_no"
    columns = [
        TitleColumn("title", label=_("Title"), get_url=edit_url, sort_key="title"),
        LocaleColumn(label=_("Language")),
        Column("page_type", label=_("Type"), accessor=page_type_label),
        NumberColumn("votes_yes", label=_("Yes"), sort_key="votes_yes"),
        NumberColumn("votes_no", label=_("No"), sort_key="votes_no"),
        NumberColumn("votes_total", label=_("Votes"), sort_key="votes_total"),
        Column(
            "helpful_percent",
            label=_("Helpful"),
            accessor=helpful_percent_display,
            sort_key="helpful_percent",
        ),
        Column("reasons", label=_("What was missing"), accessor=reasons_display),
        Column("last_comment", label=_("Last comment")),
    ]
    list_export = [
        "title",
        "locale",
        "votes_yes",
        "votes_no",
        "votes_total",
        "helpful_percent",
        *[f"reason_{value}" for value in MissingReason.values],
        "last_comment",
        "full_url",
    ]
    export_headings = {
        "title": _("Title"),
        "locale": _("Language"),
        "votes_yes": _("Yes"),
        "votes_no": _("No"),
        "votes_total": _("Votes"),
        "helpful_percent": _("Helpful (%)"),
        **{f"reason_{value}": label for value, label in MissingReason.choices},
        "last_comment": _("Last comment"),
        "full_url": _("URL"),
    }

    def get_filename(self):
        return f"helpful-votes-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        self.queryset = (
            Page.objects.type(*KNOWLEDGE_PAGE_TYPES)
            .filter(
                pk__in=self.permission_policy.instances_user_has_permission_for(
                    self.request.user, "change"
                ).values("pk")
            )
            .annotate(**vote_counts(), **reason_counts(), last_comment=LAST_COMMENT)
            .filter(votes_total__gt=0)
            .annotate(helpful_percent=Cast(F("votes_yes"), FloatField()) * 100 / NullIf(F("votes_total"), 0))
            .select_related("locale", "content_type")
        )
        return super().get_queryset()

    def order_queryset(self, queryset):
        # Ties (same number of "No") are broken by the lower share of "Yes", then by title.
        queryset = super().order_queryset(queryset)
        ordering = self.ordering if isinstance(self.ordering, (list, tuple)) else [self.ordering]
        return queryset.order_by(*ordering, "helpful_percent", "title")
