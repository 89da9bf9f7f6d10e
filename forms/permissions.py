"""Who may do what to a citizen request, for every staff view at once.

Built like Wagtail's ``CollectionOwnershipPermissionPolicy``: Django's model permissions
say *what* a staff member may do, the department scope says *to which requests*. The scope
is the one selector ``requests_visible_to`` (and, for deletion, ``requests_deletable_by``,
which narrows it), so the queue, the generic views and the attachment download agree.
"""

from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import CitizenRequest
from .selectors import requests_deletable_by, requests_visible_to


class DepartmentPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed to the requests of the user's departments (or assigned to them)."""

    def instances_user_has_any_permission_for(self, user, actions):
        permitted = [action for action in actions if self.user_has_permission(user, action)]
        if not permitted:
            return self.model._default_manager.none()
        if set(permitted) == {"delete"}:
            return requests_deletable_by(user)
        # The deletable requests are a subset of the visible ones: the union is the visible set.
        return requests_visible_to(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.instances_user_has_any_permission_for(user, actions).filter(pk=instance.pk).exists()

    def users_with_any_permission_for_instance(self, actions, instance):
        # Asked per user through the selector, so the scope lives in one place; nothing in the
        # admin asks this for requests on a hot path (no workflow, no notifications).
        candidates = self.users_with_any_permission(actions)
        allowed = [
            user.pk
            for user in candidates
            if self.user_has_any_permission_for_instance(user, actions, instance)
        ]
        return candidates.filter(pk__in=allowed)


citizen_request_policy = DepartmentPermissionPolicy(CitizenRequest)
