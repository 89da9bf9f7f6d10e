"""POST requests: GeoReport fields checked by the web form's own form, then `request_submit`.

The integrator's fields are renamed to the web form's (`address_string` → `address`,
`first_name` + `last_name` → `name`, `attribute[consent]` → `consent`…) and validated by
`CitizenRequestForm`, so a request sent through the API meets the same rules as one typed on
the site (contact required, lengths, phone, address for the types that need one, consent),
then created by the same service function: same references, same receipt e-mail.
"""

import math
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from ..forms import CitizenRequestForm
from ..models import Channel, CitizenRequest, RequestType
from ..services import request_submit
from .mapping import CONSENT_YES, language

CONSENT_VALUES = {CONSENT_YES, "true", "1", "oui", "on"}
MAX_MEDIA_URL = 500
# The web form's field → the GeoReport parameter an integrator sent, for the error messages.
PARAMETERS = {
    "subject": "attribute[subject]",
    "description": "description",
    "address": "address_string",
    "occurred_on": "attribute[occurred_on]",
    "name": "first_name",
    "email": "email",
    "phone": "phone",
    "consent": "attribute[consent]",
}


class Refused(Exception):
    """The POST cannot become a request; `errors` says why, one line per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _value(post, name: str) -> str:
    return (post.get(name) or "").strip()


def _attribute(post, code: str) -> str:
    return _value(post, f"attribute[{code}]")


def default_subject(description: str, request_type: RequestType) -> str:
    """The first line of the description, cut at a word, when the integrator sent no subject."""
    first_line = next((line.strip() for line in description.splitlines() if line.strip()), "")
    if not first_line:
        return request_type.localized.label
    if len(first_line) <= 200:
        return first_line
    return first_line[:199].rsplit(" ", 1)[0] + "…"


def location(post, errors: list[str]) -> str:
    """address_string, or the coordinates written out when only lat and long were sent."""
    address = _value(post, "address_string")
    lat, long = _value(post, "lat"), _value(post, "long")
    if not (lat or long):
        return address
    try:
        lat_value, long_value = float(lat), float(long)
    except ValueError:
        errors.append(_("lat and long: send both, as decimal degrees (e.g. 46.81, -71.21)."))
        return address
    if not (math.isfinite(lat_value) and math.isfinite(long_value)) or not (
        -90 <= lat_value <= 90 and -180 <= long_value <= 180
    ):
        errors.append(_("lat and long: send both, as decimal degrees (e.g. 46.81, -71.21)."))
        return address
    return address or f"{lat_value:.6f}, {long_value:.6f}"


def media_line(post, errors: list[str]) -> str:
    """A photo's address (media_url) is added to the description for the staff; it is not fetched."""
    media_url = _value(post, "media_url")
    if not media_url:
        return ""
    try:
        if len(media_url) > MAX_MEDIA_URL:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(media_url)
    except ValidationError:
        errors.append(_("media_url: send the address (http or https) of a photo."))
        return ""
    return "\n\n" + _("Photo: %(url)s") % {"url": media_url}


def form_data(post, request_type: RequestType, errors: list[str]) -> dict:
    """The web form's fields from the GeoReport parameters."""
    description = _value(post, "description")
    name = " ".join(part for part in (_value(post, "first_name"), _value(post, "last_name")) if part)
    occurred_on = _attribute(post, "occurred_on")
    return {
        "subject": _attribute(post, "subject") or default_subject(description, request_type),
        "description": description,
        "address": location(post, errors),
        # A date, or the date of a datetime (2026-11-03T10:00:00-05:00).
        "occurred_on": occurred_on.split("T", 1)[0],
        "name": name,
        "email": _value(post, "email"),
        "phone": _value(post, "phone"),
        "consent": "on"
        if (_attribute(post, "consent") or _value(post, "consent")).lower() in CONSENT_VALUES
        else "",
        "website": "",
        "submission_token": secrets.token_urlsafe(24),
    }


def form_errors(form: CitizenRequestForm) -> list[str]:
    errors = []
    for field, messages in form.errors.items():
        if field == "consent":
            errors.append(
                _(
                    "attribute[consent]: Law 25: the citizen's consent is required. Tell them why the city "
                    "collects their information (see the service definition) and send attribute[consent]=yes "
                    "once they agreed."
                )
            )
            continue
        parameter = PARAMETERS.get(field)
        errors.extend(f"{parameter}: {message}" if parameter else str(message) for message in messages)
    return errors


def open311_request_submit(*, request_type: RequestType, post) -> CitizenRequest:
    """Creates the request of a GeoReport POST, or raises `Refused` with every problem found."""
    errors: list[str] = []
    data = form_data(post, request_type, errors)
    media = media_line(post, errors)
    form = CitizenRequestForm(data, request_type=request_type)
    if not form.is_valid():
        errors.extend(form_errors(form))
    if errors:
        raise Refused(errors)
    cleaned = dict(form.cleaned_data)
    cleaned["description"] += media
    lang = _attribute(post, "language")
    try:
        citizen_request, _created = request_submit(
            request_type=request_type,
            data=cleaned,
            channel=Channel.OPEN311,
            language=lang if lang in ("fr", "en") else language(),
        )
    except ValidationError as error:
        raise Refused([str(message) for message in error.messages]) from None
    return citizen_request
