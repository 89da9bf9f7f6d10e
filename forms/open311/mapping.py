"""Request types and requests as GeoReport v2 records.

A request type is a service (`service_code` = its slug); a request is a service request
(`service_request_id` = its reference). What a GET shows of a request is what the public status
page shows by reference alone: its type, department, status, dates and the kind of its last
public event. Never the citizen's name, e-mail, phone, subject, description or address (free
text that may hold any of them), nor the text of a note (staff may greet the citizen by name).
"""

import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from knowledge.models import Department

from ..models import OPEN_STATUSES, CitizenRequest, RequestEvent, RequestType, Status, localize_request_types
from ..retention import RETENTION_YEARS

OPEN = "open"
CLOSED = "closed"
CONSENT_YES = "yes"
SERVICE_TYPE = "realtime"  # a request exists (with its reference) as soon as it is posted


def language() -> str:
    return (get_language() or "fr")[:2]


def w3c_datetime(value: datetime.datetime | None) -> str | None:
    """ISO 8601 with the offset, in the city's time zone: 2026-11-03T09:12:45-05:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def end_of_day(day: datetime.date) -> datetime.datetime:
    """An expected date (“by November 3”) as the last second of that day in the city."""
    naive = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def open311_status(status: str) -> str:
    return OPEN if status in OPEN_STATUSES else CLOSED


def department_labels(department_ids) -> dict[int, str]:
    """The departments' names in the current language, in two queries (French names otherwise)."""
    departments = {d.pk: d for d in Department.objects.filter(pk__in=set(department_ids))}
    names = {pk: department.name for pk, department in departments.items()}
    lang = language()
    if lang == "fr":
        return names
    translated = dict(
        Department.objects.filter(
            translation_key__in=[d.translation_key for d in departments.values()], locale__language_code=lang
        ).values_list("translation_key", "name")
    )
    for pk, department in departments.items():
        names[pk] = translated.get(department.translation_key, department.name)
    return names


# --- Services ---------------------------------------------------------------------------------


def service_record(request_type: RequestType) -> dict:
    """One entry of GET services."""
    return {
        "service_code": request_type.slug,
        "service_name": request_type.localized.label,
        "description": request_type.localized.help_text,
        "metadata": True,  # every type has attributes: consent at least
        "type": SERVICE_TYPE,
        "keywords": "",
        "group": str(RequestType.Category(request_type.category).label),
    }


def consent_notice() -> str:
    return _(
        "Law 25: tell the citizen that the city collects their name and contact details only to "
        "handle this request and keep them informed, that only the staff who handle it can see them, "
        "and that they are destroyed %(years)s years after the request is closed. Send yes only if "
        "the citizen agreed; without it the request is refused."
    ) % {"years": RETENTION_YEARS}


def service_attributes(request_type: RequestType) -> list[dict]:
    """The fields the type needs beyond the standard ones (description, address_string, contact)."""
    attributes = [
        {
            "variable": True,
            "code": "consent",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": consent_notice(),
            "order": 1,
            "description": _("The citizen agreed that the city uses this information to handle the request."),
            "values": [{"key": CONSENT_YES, "name": _("Yes")}],
        },
        {
            "variable": True,
            "code": "subject",
            "datatype": "string",
            "required": False,
            "datatype_description": _("At most 200 characters; the start of the description when not given."),
            "order": 2,
            "description": _("Subject"),
        },
    ]
    if request_type.asks_occurred_on:
        attributes.append(
            {
                "variable": True,
                "code": "occurred_on",
                "datatype": "datetime",
                "required": False,
                "datatype_description": _("A date, e.g. 2026-11-03."),
                "order": 3,
                "description": _("Date it happened"),
            }
        )
    attributes.append(
        {
            "variable": True,
            "code": "language",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("The language of the e-mails sent to the citizen (French by default)."),
            "order": 4,
            "description": _("Language of the citizen"),
            "values": [{"key": "fr", "name": "Français"}, {"key": "en", "name": "English"}],
        }
    )
    return attributes


def service_definition(request_type: RequestType) -> dict:
    return {"service_code": request_type.slug, "attributes": service_attributes(request_type)}


# --- Requests ---------------------------------------------------------------------------------


def with_last_public_event(queryset):
    """Annotates the kind, status, new date and time of each request's last public event of the
    city (the citizen's own additions left out: status_notes is the city's word)."""
    last = (
        RequestEvent.objects.filter(request=OuterRef("pk"), is_public=True)
        .exclude(kind=RequestEvent.Kind.CITIZEN_INFO)
        .order_by("-created_at", "-pk")
    )
    return queryset.annotate(
        last_event_kind=Subquery(last.values("kind")[:1]),
        last_event_status=Subquery(last.values("to_status")[:1]),
        last_event_expected_on=Subquery(last.values("expected_on")[:1]),
        last_event_at=Subquery(last.values("created_at")[:1]),
    )


def requests_for_api():
    """The requests as the API reads them: only the columns it shows, and the last public event."""
    return with_last_public_event(
        CitizenRequest.objects.select_related("request_type").only(
            "reference",
            "status",
            "status_changed_at",
            "submitted_at",
            "expected_on",
            "department_id",
            "request_type__slug",
            "request_type__translation_key",
            "request_type__label",
            "request_type__help_text",
        )
    )


def status_notes(citizen_request: CitizenRequest) -> str:
    """The last public event as the status page shows it by reference: its kind, never its text."""
    kind = getattr(citizen_request, "last_event_kind", None)
    if not kind:
        return ""
    if kind == RequestEvent.Kind.CREATED:
        notes = _("Request submitted")
    elif kind == RequestEvent.Kind.STATUS and citizen_request.last_event_status:
        notes = _("Status: %(status)s") % {"status": Status(citizen_request.last_event_status).label}
    elif kind == RequestEvent.Kind.PUBLIC_NOTE:
        notes = _("Message from the city")
    else:
        notes = str(RequestEvent.Kind(kind).label)
    if citizen_request.last_event_expected_on:
        date = date_format(citizen_request.last_event_expected_on, "DATE_FORMAT")
        notes += ": " + _("new expected date: %(date)s") % {"date": date}
    return notes


def request_record(citizen_request: CitizenRequest, departments: dict[int, str]) -> dict:
    """One service request of a GET: nothing a citizen typed or gave about themselves."""
    updated = max(
        filter(None, [citizen_request.status_changed_at, getattr(citizen_request, "last_event_at", None)])
    )
    return {
        "service_request_id": citizen_request.reference,
        "status": open311_status(citizen_request.status),
        "status_notes": status_notes(citizen_request),
        "service_name": citizen_request.request_type.localized.label,
        "service_code": citizen_request.request_type.slug,
        "agency_responsible": departments.get(citizen_request.department_id, ""),
        "service_notice": citizen_request.request_type.localized.help_text,
        "requested_datetime": w3c_datetime(citizen_request.submitted_at),
        "updated_datetime": w3c_datetime(updated),
        "expected_datetime": w3c_datetime(end_of_day(citizen_request.expected_on)),
    }


def request_records(requests) -> list[dict]:
    requests = list(requests)
    localize_request_types(r.request_type for r in requests)
    departments = department_labels(r.department_id for r in requests)
    return [request_record(r, departments) for r in requests]


def created_record(citizen_request: CitizenRequest) -> dict:
    """The answer to a POST: the new request's id and what the citizen should know."""
    return {
        "service_request_id": citizen_request.reference,
        "service_notice": citizen_request.request_type.localized.help_text,
        "account_id": None,
    }
