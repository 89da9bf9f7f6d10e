"""Requests and places: the registry address a request names, open requests nearby, and joining one.

Distances use a bounding box on the indexed latitude/longitude (a plain range query, the same on
SQLite and PostgreSQL) and then the exact haversine distance on the few candidates, in Python.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from knowledge.addresses import NUMBER, address_search
from knowledge.models import Address

from .models import OPEN_STATUSES, CitizenRequest, RequestFollower, RequestType, Status
from .outbox import email_render, email_store

EARTH_RADIUS_METRES = 6_371_000
NEARBY_DAYS = 30
NEARBY_LIMIT = 10
JOIN_SALT = "requests.join"
# The kinds of e-mail a follower gets: the city's public updates, never the requester's own
# receipt, survey or private link.
FOLLOWER_KINDS = {"update", "resolved", "rescheduled", "late"}


def address_match_for(text: str) -> Address | None:
    """The one registry address `text` names (« 12 rue des erables », « 12A, des Érables »), or None
    for an intersection, a description or an address that several entries fit."""
    if not text or not NUMBER.match(text):
        return None  # no civic number first: an intersection or a description
    found = address_search(text, limit=5)
    if len(found) > 1:
        # « 12 rue des Érables » when 12 and 12A both exist: the one without a suffix.
        found = [address for address in found if not address.suffix]
    return found[0] if len(found) == 1 else None


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle (haversine) distance."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class NearbyRequest:
    """What a citizen may see of someone else's request: no reference, text nor number."""

    join_token: str
    type_label: str
    status_label: str
    submitted_at: object
    street: str
    distance: int
    followers: int


def join_token(citizen_request: CitizenRequest) -> str:
    return signing.dumps(citizen_request.pk, salt=JOIN_SALT)


def request_from_join_token(token: str) -> CitizenRequest | None:
    try:
        pk = signing.loads(token, salt=JOIN_SALT, max_age=timedelta(days=1))
    except signing.BadSignature:
        return None
    return CitizenRequest.objects.filter(pk=pk).select_related("request_type").first()


def requests_within(
    queryset, *, latitude: float, longitude: float, metres: float, candidates: int | None = None
) -> list[tuple[float, CitizenRequest]]:
    """(distance, request) of the requests of `queryset` within `metres` of the point, in the
    queryset's order: a bounding box on the indexed coordinates, then the exact distance on the
    candidates (at most `candidates` of them, when given)."""
    dlat = math.degrees(metres / EARTH_RADIUS_METRES)
    dlon = dlat / max(math.cos(math.radians(latitude)), 0.01)
    boxed = queryset.filter(
        latitude__range=(latitude - dlat, latitude + dlat),
        longitude__range=(longitude - dlon, longitude + dlon),
    )
    if candidates is not None:
        boxed = boxed[:candidates]
    found = []
    for candidate in boxed:
        distance = distance_metres(latitude, longitude, candidate.latitude, candidate.longitude)
        if distance <= metres:
            found.append((distance, candidate))
    return found


def requests_nearby(
    *, request_type: RequestType, latitude: float, longitude: float, metres: float | None = None, now=None
) -> list[NearbyRequest]:
    """Open requests of this type within `metres` (REQUESTS_NEARBY_METRES) sent in the last 30 days,
    nearest first."""
    metres = settings.REQUESTS_NEARBY_METRES if metres is None else metres
    now = now or timezone.now()
    candidates = (
        CitizenRequest.objects.filter(
            request_type=request_type,
            status__in=OPEN_STATUSES,
            submitted_at__gte=now - timedelta(days=NEARBY_DAYS),
        )
        .select_related("request_type", "address_match")
        .only(
            "pk", "request_type", "status", "submitted_at", "latitude", "longitude", "address_match__street"
        )
    )
    found = requests_within(candidates, latitude=latitude, longitude=longitude, metres=metres)
    found.sort(key=lambda pair: (pair[0], -pair[1].submitted_at.timestamp()))
    found = found[:NEARBY_LIMIT]
    counts = followers_count({candidate.pk for _d, candidate in found})
    return [
        NearbyRequest(
            join_token=join_token(candidate),
            type_label=candidate.request_type.localized.label,
            status_label=Status(candidate.status).label,
            submitted_at=candidate.submitted_at,
            street=candidate.address_match.street if candidate.address_match else "",
            distance=round(distance),
            followers=counts.get(candidate.pk, 0),
        )
        for distance, candidate in found
    ]


def followers_count(pks) -> dict[int, int]:
    """How many citizens joined each of these requests."""
    rows = (
        RequestFollower.objects.filter(request_id__in=pks)
        .values("request_id")
        .annotate(count=Count("pk"))
        .values_list("request_id", "count")
    )
    return dict(rows)


@transaction.atomic
def request_follower_join(
    *, citizen_request: CitizenRequest, email: str, language: str, confirm: bool = True
) -> RequestFollower:
    """The citizen joins an open request: told of its public updates, and sent a confirmation
    (`confirm=False`: the caller tells them in its own words, e.g. a merge, `forms.merge`)."""
    if not citizen_request.is_open or citizen_request.personal_data_purged_at:
        raise ValidationError(_("This request is closed: it can no longer be joined."))
    email = email.strip()
    if not email:
        raise ValidationError(_("Give your e-mail address to be told of the updates."))
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    existing = RequestFollower.objects.filter(request=citizen_request, email__iexact=email).first()
    if existing is not None:
        return existing
    follower = RequestFollower(request=citizen_request, email=email, language=language)
    follower.full_clean(exclude=["request"])
    try:
        with transaction.atomic():
            follower.save()
    except IntegrityError:
        return RequestFollower.objects.get(request=citizen_request, email=email)
    if confirm:
        follower_email_queue(follower=follower, citizen_request=citizen_request, kind="follower_joined")
    return follower


def follower_email_queue(
    *, follower: RequestFollower, citizen_request: CitizenRequest, kind: str, event=None
):
    """One e-mail to a follower, in their language: the type, the status and a new expected date,
    never the requester's details nor the private link."""
    with translation.override(follower.language):
        context = {
            "request": citizen_request,
            "type_label": citizen_request.request_type.localized.label,
            "status_label": Status(citizen_request.status).label,
            "event": event,
            "kind": kind,
        }
        subject, body = email_render(kind, context)
    return email_store(
        citizen_request=citizen_request, kind=kind, to=follower.email, subject=subject, body=body
    )


def followers_email_queue(*, citizen_request: CitizenRequest, kind: str, event=None) -> int:
    """Tells every follower of a public update (called where the requester's e-mail is queued)."""
    if kind not in FOLLOWER_KINDS:
        return 0
    followers = list(RequestFollower.objects.filter(request=citizen_request))
    for follower in followers:
        follower_email_queue(
            follower=follower, citizen_request=citizen_request, kind="follower_update", event=event
        )
    return len(followers)
