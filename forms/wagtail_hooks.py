"""Staff handling in the Wagtail admin: request types, department teams and the request queue.

Every view of one request finds it through the department policy (permissions.py): a request
outside the staff member's departments is "not found", whatever the URL.
"""

from functools import partial

import django_filters

from django import forms
from django.conf import settings
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, TextChoices
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, LocaleColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from knowledge.models import Department, Sector
from portal.business_days import add_business_days

from .forms import HandleForm, IntakeForm, RequestTypeChoiceField
from .models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    CitizenRequest,
    DepartmentTeam,
    Escalation,
    RequestEvent,
    RequestFollower,
    RequestType,
    Status,
    localize_request_types,
)
from .permissions import citizen_request_policy
from .selectors import can_see_personal_data
from .services import (
    request_add_note,
    request_assign,
    request_change_status,
    request_delay_reason_set,
    request_reschedule,
    request_submit,
)
from .storage import private_storage

# Before any view asks Wagtail's registry, which would otherwise make a model-level fallback.
register_permission_policy(CitizenRequest, citizen_request_policy)

# What the queue lists: the requests the user may act on in any way.
QUEUE_ACTIONS = IndexView.any_permission_required


class RequestTypeViewSet(SnippetViewSet):
    """A translatable snippet like the departments: listed per locale, translated with
    `simple_translation` (« Translate »); a type's settings are shared by its translations."""

    model = RequestType
    icon = "form"
    menu_label = gettext_lazy("Request types")
    list_display = ["label", "slug", LocaleColumn(), "department", "target_business_days", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["slug", "label", "help_text"]
    copy_view_enabled = False


class DepartmentTeamViewSet(ModelViewSet):
    model = DepartmentTeam
    icon = "group"
    menu_label = gettext_lazy("Department teams")
    list_display = ["department", "group"]
    copy_view_enabled = False


def departments_in_queue(request):
    """Only the departments the user has requests in: the filter offers nothing outside the scope."""
    if request is None:
        return Department.objects.none()
    queue = citizen_request_policy.instances_user_has_any_permission_for(request.user, QUEUE_ACTIONS)
    return Department.objects.filter(pk__in=queue.values("department"))


# "reopened" is a status the reopening work adds: compared as a string, it works before and after.
REOPENED = "reopened"
DUE_SOON_BUSINESS_DAYS = 2


def due_soon_until(today):
    """The last expected date that is "due soon": within 2 business days of today."""
    return add_business_days(today, DUE_SOON_BUSINESS_DAYS)


UNDER_REVIEW = Exists(Escalation.objects.filter(request=OuterRef("pk"), status=Escalation.State.OPEN))


def with_attention(queryset):
    """Adds, per request, when staff last acted (an event with a staff actor), when the citizen
    last added information, and whether the ombudsman is reviewing it: subqueries on indexed
    columns, for the filters and the badge."""
    if "citizen_info_at" in queryset.query.annotations:
        return queryset
    events = RequestEvent.objects.filter(request=OuterRef("pk")).order_by("-created_at")
    return queryset.annotate(
        staff_event_at=Subquery(events.filter(actor__isnull=False).values("created_at")[:1]),
        citizen_info_at=Subquery(events.filter(kind=RequestEvent.Kind.CITIZEN_INFO).values("created_at")[:1]),
        under_review=UNDER_REVIEW,
    )


INFO_ADDED = Q(citizen_info_at__isnull=False) & (
    Q(staff_event_at__isnull=True) | Q(citizen_info_at__gt=F("staff_event_at"))
)


class Attention(TextChoices):
    LATE = "late", pgettext_lazy("queue attention", "Late")
    DUE_SOON = "due_soon", pgettext_lazy("queue attention", "Due soon")
    REOPENED = "reopened", pgettext_lazy("queue attention", "Reopened")
    INFO_ADDED = "info_added", pgettext_lazy("queue attention", "Information added")
    ESCALATED = "escalated", pgettext_lazy("queue attention", "With the ombudsman")


def attention_of(citizen_request) -> str:
    """The one badge a request of the queue wears, most urgent first ("" when none)."""
    today = timezone.localdate()
    if getattr(citizen_request, "under_review", False):
        return Attention.ESCALATED
    if citizen_request.status == REOPENED:
        return Attention.REOPENED
    if citizen_request.is_overdue:
        return Attention.LATE
    if getattr(citizen_request, "citizen_info_at", None) and (
        citizen_request.staff_event_at is None
        or citizen_request.citizen_info_at > citizen_request.staff_event_at
    ):
        return Attention.INFO_ADDED
    if citizen_request.is_open and citizen_request.expected_on <= due_soon_until(today):
        return Attention.DUE_SOON
    return ""


def sector_choices():
    """Every sector of the registry, as « kind:code » (collection, snow, district…)."""
    return [
        (f"{sector.kind}:{sector.code}", f"{sector.name} ({sector.kind})")
        for sector in Sector.objects.order_by("kind", "name")
    ]


FOLLOWERS_COUNT = Coalesce(
    Subquery(
        RequestFollower.objects.filter(request=OuterRef("pk"))
        .values("request")
        .annotate(count=Count("pk"))
        .values("count")[:1],
        output_field=IntegerField(),
    ),
    0,
)


class RequestTypeFilter(django_filters.ModelChoiceFilter):
    field_class = RequestTypeChoiceField


class QueueFilterSet(WagtailFilterSet):
    attention = django_filters.ChoiceFilter(
        label=gettext_lazy("Needs attention"), choices=Attention.choices, method="filter_attention"
    )
    mine = django_filters.BooleanFilter(label=gettext_lazy("Assigned to me"), method="filter_mine")
    status = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Status"), choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    request_type = RequestTypeFilter(
        label=gettext_lazy("Type"), queryset=RequestType.objects.in_default_locale()
    )
    channel = django_filters.ChoiceFilter(label=gettext_lazy("Channel"), choices=Channel.choices)
    department = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Department"), queryset=departments_in_queue
    )
    overdue = django_filters.BooleanFilter(label=gettext_lazy("Overdue"), method="filter_overdue")
    sector = django_filters.ChoiceFilter(
        label=gettext_lazy("Sector"), choices=sector_choices, method="filter_sector"
    )

    class Meta:
        model = CitizenRequest
        fields = ["status", "request_type", "channel", "department"]

    def filter_sector(self, queryset, name, value):
        """Requests whose matched address is in that sector (`Address.sectors[kind] == code`)."""
        kind, _sep, code = (value or "").partition(":")
        if not kind or not code:
            return queryset
        return queryset.filter(**{f"address_match__sectors__{kind}": code})

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=OPEN_STATUSES, expected_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_attention(self, queryset, name, value):
        today = timezone.localdate()
        if value == Attention.LATE:
            return queryset.filter(status__in=OPEN_STATUSES, expected_on__lt=today)
        if value == Attention.DUE_SOON:
            return queryset.filter(
                status__in=OPEN_STATUSES, expected_on__gte=today, expected_on__lte=due_soon_until(today)
            )
        if value == Attention.REOPENED:
            return queryset.filter(status=REOPENED)
        if value == Attention.INFO_ADDED:
            return with_attention(queryset).filter(INFO_ADDED)
        if value == Attention.ESCALATED:
            return queryset.filter(UNDER_REVIEW)
        return queryset

    def filter_mine(self, queryset, name, value):
        if value is None or self.request is None:
            return queryset
        mine = Q(assignee=self.request.user)
        return queryset.filter(mine) if value else queryset.exclude(mine)


class QueueIndexView(IndexView):
    """Only the requests of the staff member's departments (or assigned to them); the search,
    the filters and any export start from this queryset."""

    default_ordering = "expected_on"

    def get_base_queryset(self):
        visible = self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, QUEUE_ACTIONS
        )
        return (
            with_attention(visible)
            .annotate(followers_count=FOLLOWERS_COUNT)
            .select_related("request_type", "department", "assignee")
        )

    def paginate_queryset(self, queryset, page_size):
        paginator, page, objects, is_paginated = super().paginate_queryset(queryset, page_size)
        # The page's types in the staff member's language in one query, not one per row.
        page.object_list = objects = list(objects)
        localize_request_types([row.request_type for row in objects])
        return paginator, page, objects, is_paginated


class PolicyScopedMixin:
    """Looks the request up among those the policy lets the user act on, for the actions the
    view itself requires: another department's request is "not found" (404), so sequential
    pks reveal nothing."""

    @property
    def scope_actions(self):
        return self.any_permission_required or [self.permission_required]

    def scoped_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, self.scope_actions
        )

    def request_url(self, citizen_request):
        """Back to the request while the user may still handle it (it may have left their departments)."""
        if self.user_has_permission_for_instance("change", citizen_request):
            return reverse(self.edit_url_name, args=[quote(citizen_request.pk)])
        return reverse(self.index_url_name)


class ServiceFormMixin:
    """The intake and handle forms are plain forms whose work a service does: no model form,
    no generic save; errors are shown by our own templates."""

    invalid_status = 200

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def form_valid(self, form):
        try:
            with transaction.atomic():  # all of the form's actions, or none
                self.object = self.perform(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message_for(self.object))
        return redirect(self.request_url(self.object))

    def form_invalid(self, form):
        self.form = form
        return self.render_to_response(self.get_context_data(form=form), status=self.invalid_status)

    def get_context_data(self, **kwargs):
        return super().get_context_data(index_url=reverse(self.index_url_name), **kwargs)


class IntakeView(ServiceFormMixin, PolicyScopedMixin, CreateView):
    """An agent records a request received by phone, in person or by e-mail."""

    template_name = "requests/admin/intake.html"

    def perform(self, data):
        citizen_request, _created = request_submit(
            request_type=data["request_type"],
            data=data,
            channel=data["channel"],
            language=data["language"],
            created_by=self.request.user,
        )
        return citizen_request

    def success_message_for(self, citizen_request):
        return _("Request %(reference)s recorded. Give this reference to the citizen.") % {
            "reference": citizen_request.reference
        }


def assignees_for(citizen_request: CitizenRequest, user):
    teams = DepartmentTeam.objects.filter(
        department__translation_key=citizen_request.department.translation_key
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__in=[team.group_id for team in teams]) | Q(pk=user.pk) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


class HandleView(ServiceFormMixin, PolicyScopedMixin, EditView):
    """Detail, timeline and every action of a handler on one request."""

    template_name = "requests/admin/handle.html"
    invalid_status = 400

    def get_queryset(self):
        return self.scoped_queryset()

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "citizen_request": self.object,
            "departments": Department.objects.filter(locale__language_code=settings.LANGUAGE_CODE),
            "assignees": assignees_for(self.object, self.request.user),
        }

    def perform(self, data):
        citizen_request = self.object
        request_assign(
            citizen_request=citizen_request,
            actor=self.request.user,
            department=data["department"],
            assignee=data["assignee"],
        )
        # Before the status: a request resolved by the same form has no date to move.
        if data.get("expected_on"):
            request_reschedule(
                citizen_request=citizen_request,
                expected_on=data["expected_on"],
                reason=data["delay_reason"],
                actor=self.request.user,
            )
        elif "delay_reason" in data:
            request_delay_reason_set(
                citizen_request=citizen_request, reason=data["delay_reason"], actor=self.request.user
            )
        if data["status"]:
            request_change_status(
                citizen_request=citizen_request,
                status=data["status"],
                actor=self.request.user,
                note=data["note"],
                public=data["note_is_public"],
            )
        elif data["note"].strip():
            request_add_note(
                citizen_request=citizen_request,
                note=data["note"],
                actor=self.request.user,
                public=data["note_is_public"],
            )
        return citizen_request

    def success_message_for(self, citizen_request):
        return _("Request %(reference)s updated.") % {"reference": citizen_request.reference}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            citizen_request=self.object,
            events=self.object.events.select_related("actor").order_by("created_at", "pk"),
            show_personal=can_see_personal_data(self.request.user, self.object),
            survey_answer=getattr(self.object, "survey_answer", None),  # None until answered
            followers_count=self.object.followers.count(),  # how many, never who
            **kwargs,
        )


def delete_files_on_commit(names):
    for name in names:
        transaction.on_commit(partial(private_storage.delete, name))


class RequestDeleteView(PolicyScopedMixin, DeleteView):
    """Found like any view of the request; whether it may be deleted is then the policy's call."""

    scope_actions = ["view", "change", "delete"]

    def get_queryset(self):
        return self.scoped_queryset()

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission("delete"):
            raise PermissionDenied
        if not self.user_has_permission_for_instance("delete", self.object):
            messages.error(
                request,
                _(
                    "Request %(reference)s cannot be deleted: only its own department may delete a "
                    "request, and only before anyone has handled it. After that it is kept as a record."
                )
                % {"reference": self.object.reference},
            )
            return redirect(self.request_url(self.object))
        return super().dispatch(request, *args, **kwargs)

    def delete_action(self):
        # The attachment rows go with the request, their files would stay in private storage.
        names = [attachment.file.name for attachment in self.object.attachments.all()]
        super().delete_action()
        delete_files_on_commit(names)


class RequestHistoryView(PolicyScopedMixin, HistoryView):
    def get_base_object_queryset(self):
        return self.scoped_queryset()


class RequestUsageView(PolicyScopedMixin, UsageView):
    def get_base_object_queryset(self):
        return self.scoped_queryset()


class RequestInspectView(PolicyScopedMixin, InspectView):
    """Not enabled today; scoped all the same, should someone turn it on."""

    def get_object(self, queryset=None):
        return get_object_or_404(self.scoped_queryset(), pk=unquote(str(self.pk)))


class ExpectedDateColumn(Column):
    """The expected date as a date (DateColumn shows "in 5 days" or "Just now" for a date)."""

    def get_value(self, instance):
        return date_format(instance.expected_on, "DATE_FORMAT") if instance.expected_on else ""


class AttentionColumn(StatusTagColumn):
    """A badge: reopened, late, information added or due soon; an empty cell otherwise."""

    def __init__(self, name, **kwargs):
        super().__init__(
            name,
            accessor=attention_of,
            primary=lambda instance: attention_of(instance) in {Attention.LATE, Attention.REOPENED},
            **kwargs,
        )

    def get_value(self, instance):
        value = attention_of(instance)
        return Attention(value).label if value else ""

    def render_cell_html(self, instance, parent_context):
        if not attention_of(instance):
            return mark_safe("<td></td>")
        return super().render_cell_html(instance, parent_context)


def assignee_name(instance) -> str:
    assignee = instance.assignee
    return (assignee.get_full_name() or assignee.get_username()) if assignee else ""


class CitizenRequestViewSet(ModelViewSet):
    model = CitizenRequest
    permission_policy = citizen_request_policy
    icon = "tasks"
    menu_label = gettext_lazy("Request queue")
    index_view_class = QueueIndexView
    add_view_class = IntakeView
    edit_view_class = HandleView
    delete_view_class = RequestDeleteView
    history_view_class = RequestHistoryView
    usage_view_class = RequestUsageView
    inspect_view_class = RequestInspectView
    filterset_class = QueueFilterSet
    search_fields = ["reference", "subject"]
    copy_view_enabled = False
    list_per_page = 50
    list_display = [
        TitleColumn(
            "reference", label=gettext_lazy("Reference"), url_name="requests_queue:edit", sort_key="reference"
        ),
        Column("subject", label=gettext_lazy("Subject")),
        Column("request_type", label=gettext_lazy("Type"), accessor="request_type.localized.label"),
        Column("get_status_display", label=gettext_lazy("Status"), sort_key="status"),
        Column("get_channel_display", label=gettext_lazy("Channel"), sort_key="channel"),
        Column("department", label=gettext_lazy("Department")),
        Column("assignee", label=gettext_lazy("Assigned to"), accessor=assignee_name),
        ExpectedDateColumn("expected_on", label=gettext_lazy("Expected by"), sort_key="expected_on"),
        AttentionColumn("attention", label=gettext_lazy("Attention")),
        Column("followers_count", label=gettext_lazy("Joined"), sort_key="followers_count"),
        DateColumn("submitted_at", label=gettext_lazy("Submitted"), sort_key="submitted_at"),
    ]

    def get_form_class(self, for_update=False):
        return HandleForm if for_update else IntakeForm


class RequestsGroup(ViewSetGroup):
    menu_label = gettext_lazy("Requests")
    menu_icon = "tasks"
    menu_order = 250
    items = (
        CitizenRequestViewSet("requests_queue"),
        RequestTypeViewSet(),
        DepartmentTeamViewSet("department_teams"),
    )


@hooks.register("register_admin_viewset")
def register_requests_viewsets():
    return RequestsGroup()


def attachment_download(request, pk):
    """Streams an attachment to a handler, as a download, never inline; found through the same
    policy as the request's views, then only for those who may see its personal data."""
    visible = citizen_request_policy.instances_user_has_any_permission_for(request.user, ["view", "change"])
    attachment = get_object_or_404(
        Attachment.objects.select_related("request__department").filter(request__in=visible), pk=pk
    )
    if not can_see_personal_data(request.user, attachment.request):
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.download_name)
    response["Content-Type"] = attachment.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@hooks.register("register_admin_urls")
def register_requests_admin_urls():
    return [path("requests/attachments/<int:pk>/", attachment_download, name="requests_attachment")]


# Modules that register their own admin hooks: questions that become answers, the ombudsman's queue,
# the dashboard (« Tableau de bord »), the Open311 API keys.
from . import answers_admin, merge_admin, ombudsman_admin  # noqa: E402,F401
from .dashboard import admin as dashboard_admin  # noqa: E402,F401
from .open311 import admin as open311_admin  # noqa: E402,F401 - Open311 API keys (Settings menu)
