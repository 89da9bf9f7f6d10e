"""Admin for merging a duplicate request (`forms.merge`): one POST from the handle view.

The request being handled is found through the department policy like every view of a request:
another department's request is "not found" (404), whatever the URL.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from wagtail import hooks
from wagtail.admin import messages

from .merge import MergeForm, requests_mergeable_by


@require_POST
def request_merge_view(request, pk):
    duplicate = get_object_or_404(requests_mergeable_by(request.user), pk=pk)
    form = MergeForm(request.POST, user=request.user, duplicate=duplicate)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("requests_queue:edit", duplicate.pk)
    try:
        duplicate = form.save(actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("requests_queue:edit", duplicate.pk)
    into = duplicate.merged_into
    messages.success(
        request,
        gettext(
            "Request %(duplicate)s merged into %(into)s: its citizen will be told of the updates of %(into)s."
        )
        % {"duplicate": duplicate.reference, "into": into.reference},
    )
    if not duplicate.email:
        messages.warning(
            request,
            gettext(
                "Request %(duplicate)s has no e-mail address: "
                "tell its citizen by phone of reference %(into)s."
            )
            % {"duplicate": duplicate.reference, "into": into.reference},
        )
    return redirect(reverse("requests_queue:edit", args=[into.pk]))


@hooks.register("register_admin_urls")
def register_merge_urls():
    return [path("requests/<int:pk>/merge/", request_merge_view, name="requests_merge")]
