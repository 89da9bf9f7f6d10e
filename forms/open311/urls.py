"""/open311/v2/…: each endpoint with an optional `.json` or `.xml` (the default) extension."""

from django.urls import re_path

from . import views

app_name = "open311"

FORMAT = r"(?:\.(?P<fmt>json|xml))?$"

urlpatterns = [
    re_path(r"^v2/discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FORMAT, views.services, name="services"),
    re_path(r"^v2/services/(?P<code>[^/]+?)" + FORMAT, views.service_definition, name="service"),
    re_path(r"^v2/requests" + FORMAT, views.requests, name="requests"),
    re_path(r"^v2/requests/(?P<request_id>[^/]+?)" + FORMAT, views.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token_id>[^/]+?)" + FORMAT, views.token, name="token"),
    # Anything else under /open311/: a 404 in the API's format, not a page of the site.
    re_path(r"^(?P<path>.*?)" + FORMAT, views.not_found, name="not_found"),
]
