"""Gives the bare 405 answers of Django and django-ninja a message the visitor can read."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


class MethodNotAllowedMiddleware:
    """`require_safe`, `require_POST` and class-based views answer 405 with an empty body,
    django-ninja with a line of English text: a page in the site's layout, or JSON for the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming:
            return response
        allowed = response.get("Allow", "")
        if request.path.startswith(API_PREFIX):
            if response.get("Content-Type", "").startswith("application/json"):
                return response
            message = _("Method not allowed: use %(methods)s.") % {"methods": allowed}
            page = JsonResponse({"error": message}, status=405)
        elif response.content:
            return response
        else:
            page = render(request, "405.html", status=405)
        page["Allow"] = allowed
        return page
