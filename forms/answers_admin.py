"""Admin for questions that become answers: "Turn into an answer", "Same question" links, and the
answer's counts in the page editor's header.

The request is found through the department policy (`citizen_request_policy`), among those the
user may change: another department's request is "not found" (404), whatever the URL.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page

from knowledge.models import AnswerPage, TopicPage

from .answers import (
    answer_counts,
    answer_draft_from_request,
    is_answerable,
    request_link_same_question,
    topics_for,
)
from .permissions import citizen_request_policy


def changeable_request(request, pk):
    """The request, if the user may change it (their department's, or assigned to them); else 404."""
    scope = citizen_request_policy.instances_user_has_any_permission_for(request.user, ["change"])
    return get_object_or_404(scope.select_related("request_type"), pk=pk)


def handle_url(citizen_request) -> str:
    return reverse("requests_queue:edit", args=[citizen_request.pk])


class TopicForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic of the answer"), queryset=TopicPage.objects.none(), empty_label=None
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = TopicPage.objects.filter(
            pk__in=[topic.pk for topic in topics]
        ).order_by("title")


def answer_create(request, pk):
    """GET: the topic to put the answer under; POST: the draft is created, then edited in the admin."""
    citizen_request = changeable_request(request, pk)
    if not is_answerable(citizen_request) or citizen_request.answered_by_page_id:
        messages.error(
            request, gettext("Only a resolved question not yet linked to an answer can become one.")
        )
        return redirect(handle_url(citizen_request))
    form = TopicForm(request.POST or None, topics=topics_for(citizen_request, request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                page = answer_draft_from_request(
                    citizen_request=citizen_request, topic=form.cleaned_data["topic"], actor=request.user
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                gettext(
                    "Draft answer created without the citizen's personal data: review it, then publish it."
                ),
            )
            return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "requests/admin/answer_create.html",
        {"citizen_request": citizen_request, "form": form, "handle_url": handle_url(citizen_request)},
        status=400 if form.errors else 200,
    )


@require_POST
def answer_link(request, pk):
    """Links another request (by its reference) to this request's answer as the same question."""
    citizen_request = changeable_request(request, pk)
    try:
        other = request_link_same_question(
            citizen_request=citizen_request, reference=request.POST.get("reference", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("Request %(reference)s linked: its citizen will be told when the answer is published.")
            % {"reference": other.reference},
        )
    return redirect(handle_url(citizen_request))


@hooks.register("register_admin_urls")
def register_answer_urls():
    return [
        path("requests/<int:pk>/answer/", answer_create, name="requests_answer_create"),
        path("requests/<int:pk>/answer/link/", answer_link, name="requests_answer_link"),
    ]


class AnswerCountsMenuItem(PageMenuItem):
    """In the answer page's header "more" menu: the requests it answered, and how many times a
    citizen said it answered their question."""

    icon_name = "tasks"
    priority = 85

    def __init__(self, *, page: Page):
        label = gettext(
            "Requests answered: %(requests)s · said it answered them: %(answered)s"
        ) % answer_counts(page)
        super().__init__(label=label, url=reverse("wagtailadmin_pages:edit", args=[page.pk]), page=page)

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_edit()


@hooks.register("register_page_header_buttons")
def page_header_answer_counts(page, user, view_name, next_url=None):
    if view_name == "edit" and issubclass(page.specific_class or Page, AnswerPage):
        yield AnswerCountsMenuItem(page=page)
