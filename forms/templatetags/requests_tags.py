"""Template tags that let knowledge pages embed the request form without importing `forms`."""

from django import template
from django.utils.translation import gettext as _

from ..forms import DescribeForm
from ..models import RequestType
from ..selectors import typical_delay as typical_delay_of

register = template.Library()
DEFAULT_TYPE = "question"


@register.inclusion_tag("requests/embedded_form.html", takes_context=True)
def request_form_embed(context, page=None):
    """The "Didn't find your answer?" block: a service page's own type, else a question."""
    slug = getattr(page, "request_type", "") or DEFAULT_TYPE
    types = RequestType.objects.in_default_locale().filter(is_active=True)
    request_type = types.filter(slug=slug).first() or types.filter(slug=DEFAULT_TYPE).first()
    if request_type is None:
        return {"request_type": None}
    return {
        "request": context.get("request"),
        "request_type": request_type,
        # A service page's own form is the next step, not a fallback: « Faire une demande ».
        "own_service_form": bool(getattr(page, "request_type", "")) and request_type.slug == slug,
        "describe_form": DescribeForm(
            initial={"page": getattr(page, "pk", None)}, request_type=request_type, auto_id="id_embedded_%s"
        ),
    }


@register.simple_tag
def typical_delay(request_type):
    """`{% typical_delay request_type as delay %}`: the median and 90th percentile of business days
    to resolution over 12 months (`delay.median`, `delay.p90`), from the shared cache; None below
    20 resolved requests, where the page shows `request_type.target_business_days` instead.
    A slug works too."""
    if isinstance(request_type, str):
        request_type = RequestType.objects.in_default_locale().filter(slug=request_type).first()
    if request_type is None:
        return None
    return typical_delay_of(request_type)


@register.simple_tag
def typical_delay_sentence(request_type) -> str:
    """`{% typical_delay_sentence request_type %}`: the typical delay in plain words, or the
    published target while fewer than 20 requests of the type were resolved in 12 months."""
    if isinstance(request_type, str):
        request_type = RequestType.objects.in_default_locale().filter(slug=request_type).first()
    if request_type is None:
        return ""
    delay = typical_delay_of(request_type)
    if delay is None:
        days = request_type.target_business_days
        if days == 1:
            return _("Target: 1 business day.")
        return _("Target: %(days)s business days.") % {"days": days}
    if delay.p90 == 1:
        return _("Almost all requests of this type are resolved in 1 business day.")
    if delay.median == 1:
        return _(
            "Most requests of this type are resolved in 1 business day; 9 out of 10 in %(p90)s days."
        ) % {"p90": delay.p90}
    return _(
        "Most requests of this type are resolved in %(median)s business days; 9 out of 10 in %(p90)s days."
    ) % {"median": delay.median, "p90": delay.p90}
