"""The map of open requests: open service requests that have coordinates, each with only its type,
status, date, street and a rounded location — never a reference, subject, description, civic
number, name, e-mail or phone. The same points feed the map (a json_script the JavaScript reads)
and the list under it, which is the whole page without JavaScript and for screen readers.

The handle view of the admin shows one request on the same map, with the open requests around it
that the staff member may see (`request_location_map`, through the selector).
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .models import OPEN_STATUSES, CitizenRequest, RequestType, Status, localize_request_types
from .nearby import requests_within
from .selectors import requests_visible_to

# 0.001° is about 111 m of latitude and 76 m of longitude at 46.8° N: a block, not a home.
MAP_DECIMALS = 3
# The newest open requests shown (a type filter narrows the page); the page says when it is cut.
MAP_MAX_REQUESTS = 1000
# Public page: browsers and a CDN may keep it this long (an update shows within a minute).
MAP_MAX_AGE = 60
# Handle view: the open requests around this one that the staff member may see.
HANDLE_NEARBY_LIMIT = 20
HANDLE_NEARBY_METRES = 300


def location_round(latitude: float, longitude: float) -> tuple[float, float]:
    """The location shown to the public: rounded to MAP_DECIMALS decimals (about 100 m), so that a
    marker names a block, never a home."""
    return round(latitude, MAP_DECIMALS), round(longitude, MAP_DECIMALS)


@dataclass(frozen=True)
class MapRequest:
    """What the public sees of one open request: no reference, no text, no civic number."""

    type_slug: str
    type_label: str
    status: str
    submitted_on: date
    street: str
    latitude: float  # rounded
    longitude: float  # rounded

    @classmethod
    def rounded(cls, *, request_type, status, submitted_at, latitude, longitude, street=""):
        """One open request as the public sees it: its location rounded, its type localized."""
        latitude, longitude = location_round(latitude, longitude)
        return cls(
            type_slug=request_type.slug,
            type_label=request_type.localized.label,
            status=status,
            submitted_on=timezone.localdate(submitted_at),
            street=street,
            latitude=latitude,
            longitude=longitude,
        )

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    def as_point(self) -> dict:
        """The marker's data, in the current language (read by request-map.js)."""
        when = date_format(self.submitted_on, "DATE_FORMAT")
        return {
            "lat": self.latitude,
            "lng": self.longitude,
            "type": self.type_label,
            "status": self.status_label,
            "date": when,
            "label": f"{self.type_label} — {self.status_label} — {when}",
        }


@dataclass
class MapGroup:
    """The open requests of one type, for the list: by street, newest first within a street."""

    request_type: RequestType
    requests: list[MapRequest] = field(default_factory=list)


def service_types() -> list[RequestType]:
    """The service types (their default-locale rows, which requests point to), with `localized`
    filled for the active language in one query."""
    types = list(
        RequestType.objects.in_default_locale()
        .filter(category=RequestType.Category.SERVICE)
        .order_by("sort_order", "slug")
    )
    localize_request_types(types)
    return types


def open_requests_for_map(*, request_type: RequestType | None = None, limit: int = MAP_MAX_REQUESTS):
    """The newest open service requests that have coordinates, rounded. Only the columns shown are
    read: the personal data never leaves the database."""
    types = {t.pk: t for t in service_types()}
    queryset = CitizenRequest.objects.filter(
        status__in=OPEN_STATUSES,
        request_type__category=RequestType.Category.SERVICE,
        latitude__isnull=False,
        longitude__isnull=False,
    )
    if request_type is not None:
        queryset = queryset.filter(request_type=request_type)
    rows = queryset.order_by("-submitted_at", "-pk").values_list(
        "request_type_id", "status", "submitted_at", "latitude", "longitude", "address_match__street"
    )[:limit]
    return [
        MapRequest.rounded(
            request_type=types[type_id],
            status=status,
            submitted_at=submitted_at,
            latitude=latitude,
            longitude=longitude,
            street=street or "",
        )
        for type_id, status, submitted_at, latitude, longitude, street in rows
    ]


def map_groups(requests: list[MapRequest], types: list[RequestType]) -> list[MapGroup]:
    """The list under the map: one group per type (in the types' order), by street then newest."""
    groups = {t.slug: MapGroup(request_type=t) for t in types}
    for item in requests:
        groups[item.type_slug].requests.append(item)
    for group in groups.values():
        group.requests.sort(key=lambda item: (item.street.casefold(), -item.submitted_on.toordinal()))
    return [group for group in groups.values() if group.requests]


def map_settings() -> dict:
    """What every map needs: the tile server (empty: no tiles) and Leaflet's marker images."""
    return {
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION if settings.MAP_TILES_URL else "",
        "icon_url": static("requests/map/vendor/images/marker-icon.png"),
        "icon_retina_url": static("requests/map/vendor/images/marker-icon-2x.png"),
        "shadow_url": static("requests/map/vendor/images/marker-shadow.png"),
    }


@require_safe
def request_map(request: HttpRequest):
    """The public map of open requests, with its list; `?type=<slug>` shows one type."""
    types = service_types()
    by_slug = {t.slug: t for t in types}
    slug = request.GET.get("type", "").strip()
    selected = by_slug.get(slug)
    error = ""
    if slug and selected is None:
        error = _("This type of request does not exist. All types are shown.")
    requests = open_requests_for_map(request_type=selected, limit=MAP_MAX_REQUESTS + 1)
    truncated = len(requests) > MAP_MAX_REQUESTS
    requests = requests[:MAP_MAX_REQUESTS]
    context = {
        "types": types,
        "selected": selected,
        "error": error,
        "groups": map_groups(requests, types),
        "total": len(requests),
        "truncated": truncated,
        "points": [item.as_point() for item in requests],
        **map_settings(),
    }
    response = render(request, "requests/map/map.html", context, status=400 if error else 200)
    if not error and not request.user.is_authenticated:
        patch_cache_control(response, public=True, max_age=MAP_MAX_AGE)
    else:
        patch_cache_control(response, private=True, max_age=0)
    patch_vary_headers(response, ("Cookie",))
    return response


@dataclass(frozen=True)
class NearbyForStaff:
    """An open request near the one handled, visible to the staff member (a link to handle it)."""

    pk: int
    reference: str
    type_label: str
    status_label: str
    distance: int


def request_location_map(*, citizen_request: CitizenRequest, user, exact: bool) -> dict | None:
    """The handle view's map: the request (its exact location for those who may see its personal
    data, rounded otherwise) and the open requests within HANDLE_NEARBY_METRES that the user may
    see (rounded); None without coordinates."""
    if citizen_request.latitude is None or citizen_request.longitude is None:
        return None
    latitude, longitude = citizen_request.latitude, citizen_request.longitude
    shown = (latitude, longitude) if exact else location_round(latitude, longitude)
    open_around = (
        requests_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .exclude(pk=citizen_request.pk)
        .order_by("-submitted_at")
    )
    within = requests_within(
        open_around,
        latitude=latitude,
        longitude=longitude,
        metres=HANDLE_NEARBY_METRES,
        candidates=HANDLE_NEARBY_LIMIT * 4,
    )[:HANDLE_NEARBY_LIMIT]
    localize_request_types(
        [citizen_request.request_type, *(candidate.request_type for _d, candidate in within)]
    )
    type_label = citizen_request.request_type.localized.label
    points = [
        {
            "lat": shown[0],
            "lng": shown[1],
            "type": type_label,
            "status": citizen_request.get_status_display(),
            "date": date_format(timezone.localdate(citizen_request.submitted_at), "DATE_FORMAT"),
            "label": _("This request: %(type)s — %(status)s")
            % {"type": type_label, "status": citizen_request.get_status_display()},
            "current": True,
        }
    ]
    nearby = []
    for distance, candidate in within:
        item = MapRequest.rounded(
            request_type=candidate.request_type,
            status=candidate.status,
            submitted_at=candidate.submitted_at,
            latitude=candidate.latitude,
            longitude=candidate.longitude,
        )
        point = item.as_point()
        points.append({**point, "label": f"{candidate.reference}: {point['label']}"})
        nearby.append(
            NearbyForStaff(
                pk=candidate.pk,
                reference=candidate.reference,
                type_label=item.type_label,
                status_label=item.status_label,
                distance=round(distance),
            )
        )
    nearby.sort(key=lambda item: item.distance)
    return {
        "latitude": f"{shown[0]:.6f}" if exact else f"{shown[0]:.{MAP_DECIMALS}f}",
        "longitude": f"{shown[1]:.6f}" if exact else f"{shown[1]:.{MAP_DECIMALS}f}",
        "exact": exact,
        "nearby": nearby,
        "nearby_metres": HANDLE_NEARBY_METRES,
        "points": points,
        **map_settings(),
    }
