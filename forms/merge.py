"""Merging a duplicate request into the one that carries on, keeping both citizens informed.

Staff find, from the handle view of request B, the request A it duplicates (by its reference).
B is closed with `merged_into = A`: the lifecycle and everything that reads a status (the
status page, Open311, the dashboard, the retention schedule) already knows "closed", so a merge
adds no status that each of them would have to learn. B's timeline says so, with A's
reference; A's says that a request about the same thing was merged in, with nothing of B.

B's requester becomes a follower of A (`forms.nearby.request_follower_join`, the joining code):
A's public updates reach them like any citizen who joined, in their language, through the one
follower path. B's followers move to A. B's personal data is destroyed on B's schedule (closed
at the merge); the follower rows now belong to A and go with A's (`forms.retention`).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import CitizenRequest, RequestEvent, RequestFollower, Status
from .nearby import follower_email_queue, request_follower_join
from .permissions import citizen_request_policy
from .references import parse_reference
from .services import _actor_label, email_queue

# Merging changes both requests: the user must be allowed to change each of them.
MERGE_ACTIONS = ["change"]


def requests_mergeable_by(user):
    """The requests `user` may merge: those the department policy (`requests_visible_to`) lets
    them change."""
    return citizen_request_policy.instances_user_has_any_permission_for(user, MERGE_ACTIONS)


def merge_target_find(*, user, reference: str) -> CitizenRequest:
    """The request numbered `reference` among those `user` may merge; another department's
    request is "not found" too, so nothing is revealed about it."""
    parsed = parse_reference(reference)
    if parsed.reference is None:
        raise ValidationError(
            _("“%(reference)s” is not a valid reference number.") % {"reference": reference}
        )
    target = requests_mergeable_by(user).filter(reference=parsed.reference).first()
    if target is None:
        raise ValidationError(_("No request %(reference)s among yours.") % {"reference": parsed.reference})
    return target


@transaction.atomic
def request_merge(*, duplicate: CitizenRequest, into: CitizenRequest, actor) -> CitizenRequest:
    """Closes `duplicate` as merged into `into`; its requester and followers follow `into`.

    Both requests are locked (in primary key order, so two merges never wait on each other)
    among those `actor` may merge, and checked again under the lock. Returns the duplicate.
    """
    if duplicate.pk == into.pk:
        raise ValidationError(_("A request cannot be merged into itself."))
    locked = {
        request.pk: request
        for request in requests_mergeable_by(actor)
        .select_for_update(of=("self",))
        .filter(pk__in=[duplicate.pk, into.pk])
        .order_by("pk")
    }
    if duplicate.pk not in locked or into.pk not in locked:
        raise ValidationError(_("You can only merge two requests that you handle."))
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if duplicate.merged_into_id:
        raise ValidationError(
            _("Request %(reference)s was already merged into another request.")
            % {"reference": duplicate.reference}
        )
    if into.merged_into_id:
        raise ValidationError(
            _("Request %(reference)s was itself merged into another request: merge into that one.")
            % {"reference": into.reference}
        )
    if not duplicate.is_open:
        raise ValidationError(
            _("Request %(reference)s is resolved or closed: only an open request can be merged.")
            % {"reference": duplicate.reference}
        )
    if not into.is_open or into.personal_data_purged_at:
        raise ValidationError(
            _("Request %(reference)s is resolved or closed: merge into an open request.")
            % {"reference": into.reference}
        )

    label = _actor_label(actor)
    # The duplicate: closed, pointing at the request that carries on (the citizen reads A's
    # reference on their private page; by reference alone, only "merged" shows).
    RequestEvent.objects.create(
        request=duplicate,
        kind=RequestEvent.Kind.MERGED,
        from_status=duplicate.status,
        to_status=Status.CLOSED,
        note=into.reference,
        is_public=True,
        actor=actor,
        actor_label=label,
    )
    duplicate.status = Status.CLOSED
    duplicate.status_changed_at = timezone.now()
    duplicate.merged_into = into
    duplicate.save(update_fields=["status", "status_changed_at", "merged_into"])
    # The request that carries on: that a duplicate came in, nothing about it or its citizen.
    RequestEvent.objects.create(
        request=into,
        kind=RequestEvent.Kind.DUPLICATE_MERGED,
        is_public=True,
        actor=actor,
        actor_label=label,
    )

    already = {email.lower() for email in into.followers.values_list("email", flat=True)}
    if into.email:
        already.add(into.email.lower())
    # The citizens who joined the duplicate now follow the request that carries on.
    for follower in RequestFollower.objects.select_for_update().filter(request=duplicate).order_by("pk"):
        if follower.email.lower() in already:
            follower.delete()  # they hear of `into` already
            continue
        follower.request = into
        follower.save(update_fields=["request"])
        already.add(follower.email.lower())
        follower_email_queue(follower=follower, citizen_request=into, kind="follower_merged")
    # The duplicate's requester joins it too, told once, in the e-mail below.
    if duplicate.email and duplicate.email.lower() not in already:
        request_follower_join(
            citizen_request=into, email=duplicate.email, language=duplicate.language, confirm=False
        )
    email_queue(citizen_request=duplicate, kind="merged", context={"into": into})
    email_queue(citizen_request=into, kind="duplicate_merged")
    return duplicate


class MergeForm(forms.Form):
    """The reference of the request that the one being handled duplicates."""

    reference = forms.CharField(
        label=gettext_lazy("Reference of the request it duplicates"),
        max_length=40,
        help_text=gettext_lazy(
            "This request is closed and its citizen (and those who joined it) will be told of the "
            "other request's updates."
        ),
    )

    def __init__(self, *args, user, duplicate: CitizenRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.duplicate = duplicate

    def clean_reference(self) -> CitizenRequest:
        target = merge_target_find(user=self.user, reference=self.cleaned_data["reference"])
        if target.pk == self.duplicate.pk:
            raise ValidationError(_("A request cannot be merged into itself."))
        return target

    def save(self, *, actor) -> CitizenRequest:
        return request_merge(duplicate=self.duplicate, into=self.cleaned_data["reference"], actor=actor)
