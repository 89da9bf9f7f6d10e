"""The GeoReport v2 endpoints. Every answer, errors included, is in the format the URL asks for
(`.json`, or `.xml`, the default); bad input gets a 400 or 404 with the specification's error
body, never a 500 nor a page of the site.
"""

import datetime
import logging
import re
from functools import wraps

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from portal.ratelimit import limit_check

from ..models import OPEN_STATUSES, RequestType, localize_request_types
from ..references import parse_reference
from . import mapping
from .keys import api_key_authenticate
from .serializers import DEFAULT_FORMAT, FORMATS, error_response, render
from .submit import Refused, open311_request_submit

logger = logging.getLogger(__name__)

MAX_RESULTS = 1000  # the specification's cap on one GET requests
MAX_IDS = MAX_RESULTS  # service_request_id values in one call
MAX_WINDOW = datetime.timedelta(days=90)
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00Z"  # when this endpoint's behaviour last changed


class BadRequest(Exception):
    def __init__(self, errors: list[str] | str):
        self.errors = [errors] if isinstance(errors, str) else errors


def api_view(*methods: str):
    """Answers in the URL's format; refuses other methods (405) and unreadable input (400) in it."""

    def decorator(view):
        @csrf_exempt  # POST is authorised by an API key, not by a session cookie
        @wraps(view)
        def wrapper(request, *args, fmt=None, **kwargs):
            fmt = fmt if fmt in FORMATS else DEFAULT_FORMAT
            if request.method not in methods:
                response = error_response(
                    fmt, 405, _("Method not allowed: use %(methods)s.") % {"methods": ", ".join(methods)}
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                response = view(request, fmt, *args, **kwargs)
            except BadRequest as error:
                return error_response(fmt, 400, error.errors)
            except (SuspiciousOperation, MultiPartParserError):  # too many fields, a broken body…
                return error_response(fmt, 400, _("The request could not be read."))
            if request.method in ("GET", "HEAD"):
                response["Access-Control-Allow-Origin"] = "*"  # public, anonymous data
            return response

        return wrapper

    return decorator


def _list_param(request, name: str) -> list[str]:
    """A parameter that may be comma-separated and/or repeated; empty items dropped."""
    values = []
    for raw in request.GET.getlist(name):
        values.extend(item.strip() for item in raw.split(","))
    return [value for value in values if value]


@api_view("GET", "HEAD")
def discovery(request, fmt):
    endpoint = {
        "specification": SPECIFICATION,
        "url": request.build_absolute_uri("/open311/v2"),
        "changeset": CHANGESET,
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    body = {
        "changeset": CHANGESET,
        "contact": _("For help with this API, contact the city's Citizen Service Centre."),
        "key_service": _(
            "API keys (needed to create requests) are made by the city's administrators: ask the "
            "Citizen Service Centre."
        ),
        "endpoints": [endpoint],
    }
    return render(body, fmt, root="discovery")


@api_view("GET", "HEAD")
def services(request, fmt):
    types = list(RequestType.objects.in_default_locale().filter(is_active=True))
    localize_request_types(types)
    return render([mapping.service_record(t) for t in types], fmt, root="services")


def active_type(code: str) -> RequestType | None:
    if not SLUG.match(code or ""):
        return None
    return RequestType.objects.in_default_locale().filter(slug=code, is_active=True).first()


@api_view("GET", "HEAD")
def service_definition(request, fmt, code):
    request_type = active_type(code)
    if request_type is None:
        return error_response(fmt, 404, _("No service has the code %(code)s.") % {"code": code[:80]})
    return render(mapping.service_definition(request_type), fmt, root="service_definition")


def parse_w3c(text: str, name: str) -> datetime.datetime:
    """A W3C date-time (2026-11-03T09:00:00-05:00, …Z) or a date; no offset means the city's time."""
    # A "+" left unencoded in a query string arrives as a space.
    text = re.sub(r" (\d\d:?\d\d)$", r"+\1", text.strip())
    try:
        value = parse_datetime(text)
        if value is None and (day := parse_date(text)) is not None:
            value = datetime.datetime.combine(day, datetime.time())
    except ValueError:
        value = None
    if value is None:
        raise BadRequest(
            _("%(name)s: give a date and time in W3C format, e.g. 2026-11-03T09:00:00-05:00.")
            % {"name": name}
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value


def date_window(request) -> tuple[datetime.datetime, datetime.datetime]:
    """start_date and end_date; one alone spans 90 days from it, none the last 90 days."""
    start = end = None
    if request.GET.get("start_date"):
        start = parse_w3c(request.GET["start_date"], "start_date")
    if request.GET.get("end_date"):
        end = parse_w3c(request.GET["end_date"], "end_date")
    try:
        if start is None and end is None:
            end = timezone.now()
        if start is None:
            start = end - MAX_WINDOW
        if end is None:
            end = start + MAX_WINDOW
    except OverflowError:
        raise BadRequest(_("start_date and end_date: give dates between the years 1 and 9999.")) from None
    if start > end:
        raise BadRequest(_("start_date must be before end_date."))
    if end - start > MAX_WINDOW:
        raise BadRequest(_("start_date and end_date may be at most 90 days apart."))
    return start, end


def requests_matching(request):
    """The GET requests query: by ids (which override every other filter), or by code, status and dates."""
    queryset = mapping.requests_for_api()
    ids = _list_param(request, "service_request_id")
    if ids:
        if len(ids) > MAX_IDS:
            raise BadRequest(_("Ask for at most %(count)s service_request_id at once.") % {"count": MAX_IDS})
        references = []
        for text in ids:
            parsed = parse_reference(text)
            if parsed.reference is None:
                raise BadRequest(
                    _("service_request_id: %(id)s is not a request number, e.g. RAE-7K3Q-M9XD-4.")
                    % {"id": text[:40]}
                )
            references.append(parsed.reference)
        return queryset.filter(reference__in=references)

    codes = _list_param(request, "service_code")
    if codes:
        known = set(
            RequestType.objects.filter(slug__in=[c for c in codes if SLUG.match(c)]).values_list(
                "slug", flat=True
            )
        )
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise BadRequest(_("service_code: no service has the code %(code)s.") % {"code": unknown[0][:80]})
        queryset = queryset.filter(request_type__slug__in=codes)
    statuses = {status.lower() for status in _list_param(request, "status")}
    if statuses - {mapping.OPEN, mapping.CLOSED}:
        raise BadRequest(_("status: use open or closed (or both, separated by a comma)."))
    if statuses == {mapping.OPEN}:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif statuses == {mapping.CLOSED}:
        queryset = queryset.exclude(status__in=OPEN_STATUSES)
    start, end = date_window(request)
    return queryset.filter(submitted_at__gte=start, submitted_at__lte=end)


@api_view("GET", "HEAD", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return request_create(request, fmt)
    matching = requests_matching(request).order_by("-submitted_at", "-pk")[:MAX_RESULTS]
    return render(mapping.request_records(matching), fmt, root="service_requests")


@api_view("GET", "HEAD")
def request_detail(request, fmt, request_id):
    parsed = parse_reference(request_id)
    found = None
    if parsed.reference is not None:
        found = mapping.requests_for_api().filter(reference=parsed.reference).first()
    if found is None:
        return error_response(fmt, 404, _("No request has the number %(id)s.") % {"id": request_id[:40]})
    return render(mapping.request_records([found]), fmt, root="service_requests")


def open311_key(group, request) -> str:
    """django-ratelimit's key: the API key's row, so every address of one integrator shares a limit."""
    return str(request.open311_api_key.pk)


def too_many(fmt: str, limit) -> HttpResponse:
    response = error_response(
        fmt,
        429,
        _("Too many requests: try again in %(minutes)s minutes.") % {"minutes": limit.retry_minutes},
    )
    response["Retry-After"] = str(max(1, limit.retry_after))
    return response


def request_create(request, fmt):
    """POST requests: an API key, then the same checks and service as the web form."""
    post = request.POST
    raw_key = post.get("api_key", "")
    api_key = api_key_authenticate(raw_key=raw_key) if raw_key else None
    if api_key is None:
        # Wrong keys count per address: the limit slows down whoever tries keys.
        limit = limit_check(request, "open311")
        if limit.exceeded:
            return too_many(fmt, limit)
        if raw_key:
            message = _("Invalid api_key: the request was not created.")
        elif request.GET.get("api_key"):
            message = _("Send api_key in the body of the POST, not in the URL: the request was not created.")
        else:
            message = _("An api_key is needed to create a request.")
        return error_response(fmt, 403, message)
    request.open311_api_key = api_key
    limit = limit_check(request, "open311", key=open311_key)
    if limit.exceeded:
        return too_many(fmt, limit)
    request_type = active_type(post.get("service_code", "").strip())
    if request_type is None:
        raise BadRequest(_("service_code: give the code of a service listed by GET services."))
    try:
        citizen_request = open311_request_submit(request_type=request_type, post=post)
    except Refused as refused:
        raise BadRequest(refused.errors) from None
    logger.info("Open311: request %s created with the key %s.", citizen_request.reference, api_key.prefix)
    return render([mapping.created_record(citizen_request)], fmt, root="service_requests", status=201)


@api_view("GET", "HEAD", "POST")
def token(request, fmt, token_id):
    return error_response(
        fmt, 404, _("There are no tokens: POST requests answers with the service_request_id at once.")
    )


@api_view("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
def not_found(request, fmt, path=""):
    return error_response(fmt, 404, _("Not found: see discovery for the endpoints of this API."))
