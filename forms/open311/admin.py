"""Open311 API keys in the Wagtail admin (Settings → Open311 API keys), for superusers only.

Creating a key shows it once, on the page that answers the form (never in a message, which
would keep it in the session or a cookie); only its hash is stored. A key is revoked by
unticking "active" or by deleting it.
"""

from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ..models import Open311ApiKey
from .keys import api_key_create


class SuperuserPermissionPolicy(ModelPermissionPolicy):
    """Keys let another system write requests: superusers only, whatever a group was given."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


api_key_policy = SuperuserPermissionPolicy(Open311ApiKey)
register_permission_policy(Open311ApiKey, api_key_policy)


class ApiKeyCreateView(CreateView):
    created_template_name = "requests/admin/open311_key_created.html"

    def save_instance(self):
        api_key, self.raw_key = api_key_create(name=self.form.cleaned_data["name"])
        if not self.form.cleaned_data.get("active", True):
            api_key.active = False
            api_key.save(update_fields=["active"])
        log(instance=api_key, action="wagtail.create", user=self.request.user)
        return api_key

    def save_action(self):
        response = TemplateResponse(
            self.request,
            self.created_template_name,
            {"api_key": self.object, "raw_key": self.raw_key, "index_url": reverse(self.index_url_name)},
        )
        response["Cache-Control"] = "no-store"  # the key is on this page only
        return response


class ApiKeyViewSet(ModelViewSet):
    model = Open311ApiKey
    permission_policy = api_key_policy
    icon = "key"
    menu_label = gettext_lazy("Open311 API keys")
    add_to_settings_menu = True
    add_view_class = ApiKeyCreateView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["name", "prefix"]
    list_display = [
        "name",
        Column("prefix", label=gettext_lazy("Key prefix")),
        DateColumn("created_at", label=gettext_lazy("Created")),
        DateColumn("last_used_at", label=gettext_lazy("Last used")),
        BooleanColumn("active", label=gettext_lazy("Active")),
    ]


@hooks.register("register_admin_viewset")
def register_open311_key_viewset():
    return ApiKeyViewSet("open311_keys")
