"""Staff handling in the Wagtail admin: request types, department teams and the request queue."""

import django_filters

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from knowledge.models import Department

from .forms import HandleForm, IntakeForm
from .models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    CitizenRequest,
    DepartmentTeam,
    RequestType,
    Status,
)
from .selectors import can_see_personal_data, requests_visible_to
from .services import request_add_note, request_assign, request_change_status, request_submit


class RequestTypeViewSet(ModelViewSet):
    model = RequestType
    icon = "form"
    menu_label = gettext_lazy("Request types")
    list_display = ["label_fr", "label_en", "department", "target_business_days", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["slug", "label_fr", "label_en"]
    copy_view_enabled = False


class DepartmentTeamViewSet(ModelViewSet):
    model = DepartmentTeam
    icon = "group"
    menu_label = gettext_lazy("Department teams")
    list_display = ["department", "group"]
    copy_view_enabled = False


class QueueFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Status"), choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    request_type = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Type"), queryset=RequestType.objects.all()
    )
    channel = django_filters.ChoiceFilter(label=gettext_lazy("Channel"), choices=Channel.choices)
    department = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Department"),
        queryset=Department.objects.filter(locale__language_code=settings.LANGUAGE_CODE),
    )
    overdue = django_filters.BooleanFilter(label=gettext_lazy("Overdue"), method="filter_overdue")

    class Meta:
        model = CitizenRequest
        fields = ["status", "request_type", "channel", "department"]

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=OPEN_STATUSES, expected_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class QueueIndexView(IndexView):
    """Only the requests of the staff member's departments (or assigned to them)."""

    default_ordering = "expected_on"

    def get_base_queryset(self):
        return requests_visible_to(self.request.user)


class OverdueColumn(Column):
    def get_value(self, instance):
        return _("Overdue") if instance.is_overdue else ""


class CitizenRequestViewSet(ModelViewSet):
    model = CitizenRequest
    icon = "tasks"
    menu_label = gettext_lazy("Request queue")
    index_view_class = QueueIndexView
    filterset_class = QueueFilterSet
    search_fields = ["reference", "subject"]
    copy_view_enabled = False
    list_per_page = 50
    form_fields = ["subject"]  # the add and edit views below replace the generic ones
    list_display = [
        TitleColumn(
            "reference", label=gettext_lazy("Reference"), url_name="requests_queue:edit", sort_key="reference"
        ),
        Column("subject", label=gettext_lazy("Subject")),
        Column("request_type", label=gettext_lazy("Type")),
        Column("get_status_display", label=gettext_lazy("Status"), sort_key="status"),
        Column("get_channel_display", label=gettext_lazy("Channel"), sort_key="channel"),
        Column("department", label=gettext_lazy("Department")),
        DateColumn("expected_on", label=gettext_lazy("Expected by"), sort_key="expected_on"),
        OverdueColumn("overdue", label=gettext_lazy("Overdue")),
        DateColumn("submitted_at", label=gettext_lazy("Submitted"), sort_key="submitted_at"),
    ]

    @property
    def add_view(self):
        return intake_view

    @property
    def edit_view(self):
        return handle_view


class RequestsGroup(ViewSetGroup):
    menu_label = gettext_lazy("Requests")
    menu_icon = "tasks"
    menu_order = 250
    items = (
        CitizenRequestViewSet("requests_queue"),
        RequestTypeViewSet("request_types"),
        DepartmentTeamViewSet("department_teams"),
    )


@hooks.register("register_admin_viewset")
def register_requests_viewsets():
    return RequestsGroup()


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


def handle_view(request, pk):
    """Detail, timeline and every action of a handler on one request."""
    if not request.user.has_perm("requests.change_citizenrequest"):
        raise PermissionDenied
    citizen_request = get_object_or_404(CitizenRequest.objects.select_related("department"), pk=pk)
    if not requests_visible_to(request.user).filter(pk=citizen_request.pk).exists():
        raise PermissionDenied
    form = HandleForm(
        request.POST or None,
        citizen_request=citizen_request,
        departments=Department.objects.filter(locale__language_code=settings.LANGUAGE_CODE),
        assignees=assignees_for(citizen_request, request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            request_assign(
                citizen_request=citizen_request,
                actor=request.user,
                department=data["department"],
                assignee=data["assignee"],
            )
            if data["status"]:
                request_change_status(
                    citizen_request=citizen_request,
                    status=data["status"],
                    actor=request.user,
                    note=data["note"],
                    public=data["note_is_public"],
                )
            elif data["note"].strip():
                request_add_note(
                    citizen_request=citizen_request,
                    note=data["note"],
                    actor=request.user,
                    public=data["note_is_public"],
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Request %(reference)s updated.") % {"reference": citizen_request.reference}
            )
            return redirect("requests_queue:edit", pk)
    return TemplateResponse(
        request,
        "requests/admin/handle.html",
        {
            "citizen_request": citizen_request,
            "form": form,
            "events": citizen_request.events.select_related("actor").order_by("created_at", "pk"),
            "show_personal": can_see_personal_data(request.user, citizen_request),
            "index_url": reverse("requests_queue:index"),
        },
        status=400 if form.errors else 200,
    )


def intake_view(request):
    """An agent records a request received by phone, in person or by e-mail."""
    if not request.user.has_perm("requests.add_citizenrequest"):
        raise PermissionDenied
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            citizen_request, _created = request_submit(
                request_type=data["request_type"],
                data=data,
                channel=data["channel"],
                language=data["language"],
                created_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Request %(reference)s recorded. Give this reference to the citizen.")
                % {"reference": citizen_request.reference},
            )
            if requests_visible_to(request.user).filter(pk=citizen_request.pk).exists():
                return redirect("requests_queue:edit", citizen_request.pk)
            return redirect("requests_queue:index")
    return TemplateResponse(
        request, "requests/admin/intake.html", {"form": form, "index_url": reverse("requests_queue:index")}
    )


def attachment_download(request, pk):
    """Streams an attachment to a handler, as a download, never inline."""
    attachment = get_object_or_404(Attachment.objects.select_related("request__department"), pk=pk)
    visible = requests_visible_to(request.user).filter(pk=attachment.request_id).exists()
    if not visible or not can_see_personal_data(request.user, attachment.request):
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
    response["Content-Type"] = attachment.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@hooks.register("register_admin_urls")
def register_requests_admin_urls():
    return [path("requests/attachments/<int:pk>/", attachment_download, name="requests_attachment")]
