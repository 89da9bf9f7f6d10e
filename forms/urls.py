from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views
from .dashboard.public import delays_page
from .map import request_map

app_name = "requests"
urlpatterns = [
    path(pgettext_lazy("url", "request/"), views.request_start, name="start"),
    path(pgettext_lazy("url", "request/suggestions/"), views.suggestions_json, name="suggestions"),
    path(
        pgettext_lazy("url", "request/suggestion/<int:page_id>/"),
        views.suggestion_click,
        name="suggestion_click",
    ),
    path(
        pgettext_lazy("url", "request/suggestion/<int:page_id>/answered/"),
        views.suggestion_answered,
        name="suggestion_answered",
    ),
    path(
        pgettext_lazy("url", "request/confirmation/<str:token>/"),
        views.request_confirmation,
        name="confirmation",
    ),
    # Before the type's form: "join" is not a request type.
    path(pgettext_lazy("url", "request/join/"), views.request_join, name="join"),
    path(pgettext_lazy("url", "request/joined/"), views.request_joined, name="joined"),
    path(pgettext_lazy("url", "request/<slug:slug>/"), views.request_form, name="form"),
    path(pgettext_lazy("url", "status/"), views.status_lookup, name="status"),
    path(pgettext_lazy("url", "status/add/"), views.status_addition, name="status_addition_verified"),
    path(pgettext_lazy("url", "status/reopen/"), views.status_reopen, name="status_reopen_verified"),
    path(pgettext_lazy("url", "status/ombudsman/"), views.status_escalate, name="status_escalate_verified"),
    path(pgettext_lazy("url", "status/<str:token>/"), views.status_private, name="status_private"),
    path(pgettext_lazy("url", "status/<str:token>/add/"), views.status_addition, name="status_addition"),
    path(pgettext_lazy("url", "status/<str:token>/reopen/"), views.status_reopen, name="status_reopen"),
    path(
        pgettext_lazy("url", "status/<str:token>/ombudsman/"), views.status_escalate, name="status_escalate"
    ),
    path(pgettext_lazy("url", "survey/<str:token>/"), views.survey, name="survey"),
    path(pgettext_lazy("url", "our-delays/"), delays_page, name="delays"),
    path(pgettext_lazy("url", "requests/map/"), request_map, name="map"),
]
