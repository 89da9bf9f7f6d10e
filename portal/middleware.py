"""Middleware of the whole site: readable 405 answers, and bodies refused by size before they are read."""

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from forms.open311.serializers import JSON, XML, error_response

API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"


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


class RequestSizeLimitMiddleware:
    """Refuses a body larger than the limit from its declared length, before reading a byte of it.

    Django would read a 50 MB upload whole (to a temporary file) before the form says
    it is too large; a few such requests fill a worker's disk and time.
    """

    ADMIN_PREFIX = "/admin/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        limit = (
            settings.PORTAL_MAX_ADMIN_REQUEST_BYTES
            if request.path.startswith(self.ADMIN_PREFIX)
            else settings.PORTAL_MAX_REQUEST_BYTES
        )
        if declared > limit:
            return self.too_large(request, limit)
        return self.get_response(request)

    def too_large(self, request, limit: int):
        # Runs before LocaleMiddleware: take the language from the URL's prefix.
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        with translation.override(language):
            megabytes = limit // (1024 * 1024)
            if request.path.startswith(OPEN311_PREFIX):  # the GeoReport error body, in the asked format
                fmt = JSON if request.path.endswith(".json") else XML
                message = _("The request is too large (at most %(mb)s MB).") % {"mb": megabytes}
                response = error_response(fmt, 413, message)
            elif request.path.startswith(API_PREFIX):
                message = _("The request is too large (at most %(mb)s MB).") % {"mb": megabytes}
                response = JsonResponse({"error": message}, status=413)
            else:
                response = render(request, "413.html", {"megabytes": megabytes}, status=413)
        # The body was not read: close the connection rather than let it be parsed as the next request.
        response["Connection"] = "close"
        return response


class PortalLocaleMiddleware(LocaleMiddleware):
    """Django's, without its guess on a 404 outside the language prefixes.

    On a 404 Django redirects /x/ to /fr/x/ when that path resolves; under /fr/ Wagtail's
    catch-all resolves everything, so a 404 of the admin or the API became a redirect to
    another 404 (a staff member probing a request of another department saw a 302).
    """

    UNPREFIXED = ("/admin/", "/api/", "/open311/", "/documents/", "/static/", "/media/")

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(self.UNPREFIXED):
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
