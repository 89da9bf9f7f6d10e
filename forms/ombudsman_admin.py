"""The ombudsman's queue in the Wagtail admin: the reviews asked by citizens, and their conclusion.

Only the members of the "Ombudsman" group and the superusers see it (`EscalationPermissionPolicy`),
whatever model permissions a department's group was given. Reviews are never added nor deleted
here: citizens ask for them (forms/ombudsman.py). The review page shows what the ombudsman needs
of the escalated request (subject, description, timeline with the department's internal notes);
the ombudsman has no access to ordinary requests in the request queue.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .forms import EscalationReviewForm
from .models import Escalation
from .ombudsman import OMBUDSMAN_GROUP, escalation_conclude, escalation_notes_set, is_ombudsman

URL_NAMESPACE = "ombudsman"


class EscalationPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, for the ombudsman and superusers only; nobody adds or deletes a review."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete") or not is_ombudsman(user):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in ("add", "delete")]
        if not actions:
            return super().users_with_any_permission(actions).none()
        users = super().users_with_any_permission(actions)
        return users.filter(groups__name=OMBUDSMAN_GROUP).distinct() | users.filter(is_superuser=True)


escalation_policy = EscalationPermissionPolicy(Escalation)
register_permission_policy(Escalation, escalation_policy)


class EscalationIndexView(IndexView):
    default_ordering = "expected_on"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("request__department")


class EscalationEditView(EditView):
    """One review: the escalated request, the citizen's reasons, the notes and the conclusion."""

    template_name = "requests/admin/escalation.html"

    def get_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        ).select_related("request__department", "request__request_type")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        kwargs["initial"] = {"notes": self.object.notes, "conclusion": self.object.conclusion}
        kwargs["concluded"] = self.object.status == Escalation.State.CONCLUDED
        return kwargs

    def form_valid(self, form):
        conclude = self.request.POST.get("action") == "conclude"
        try:
            with transaction.atomic():
                escalation_notes_set(
                    escalation=self.object, notes=form.cleaned_data["notes"], actor=self.request.user
                )
                if conclude:
                    escalation_conclude(
                        escalation=self.object,
                        conclusion=form.cleaned_data["conclusion"],
                        actor=self.request.user,
                    )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if conclude:
            message = _(
                "Review %(reference)s concluded: the citizen and the department were sent the conclusions."
            )
        else:
            message = _("Review %(reference)s saved.")
        messages.success(self.request, message % {"reference": self.object.reference})
        return redirect(reverse(self.edit_url_name, args=[self.object.pk]))

    def form_invalid(self, form):
        self.form = form
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        citizen_request = self.object.request
        return super().get_context_data(
            escalation=self.object,
            citizen_request=citizen_request,
            events=citizen_request.events.select_related("actor").order_by("created_at", "pk"),
            index_url=reverse(self.index_url_name),
            **kwargs,
        )


class EscalationViewSet(ModelViewSet):
    model = Escalation
    permission_policy = escalation_policy
    icon = "crosshairs"
    menu_label = gettext_lazy("Ombudsman")
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = EscalationIndexView
    edit_view_class = EscalationEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["reference"]
    list_filter = ["status"]
    list_display = [
        TitleColumn(
            "reference",
            label=gettext_lazy("Reference"),
            url_name=f"{URL_NAMESPACE}:edit",
            sort_key="reference",
        ),
        Column("department", label=gettext_lazy("Department"), accessor="request.department"),
        Column("get_status_display", label=gettext_lazy("Status"), sort_key="status"),
        DateColumn("submitted_at", label=gettext_lazy("Submitted"), sort_key="submitted_at"),
        Column("expected_on", label=gettext_lazy("Expected by"), sort_key="expected_on"),
    ]

    def get_form_class(self, for_update=False):
        return EscalationReviewForm


@hooks.register("register_admin_viewset")
def register_ombudsman_viewset():
    return EscalationViewSet(URL_NAMESPACE)
