"""Template tags that let knowledge pages embed the request form without importing `forms`."""

from django import template

from ..forms import DescribeForm
from ..models import RequestType

register = template.Library()
DEFAULT_TYPE = "question"


@register.inclusion_tag("requests/embedded_form.html", takes_context=True)
def request_form_embed(context, page=None):
    """The "Didn't find your answer?" block: a service page's own type, else a question."""
    slug = getattr(page, "request_type", "") or DEFAULT_TYPE
    request_type = (
        RequestType.objects.filter(slug=slug, is_active=True).first()
        or RequestType.objects.filter(slug=DEFAULT_TYPE, is_active=True).first()
    )
    if request_type is None:
        return {"request_type": None}
    return {
        "request": context.get("request"),
        "request_type": request_type,
        "describe_form": DescribeForm(
            initial={"page": getattr(page, "pk", None)}, request_type=request_type, auto_id="id_embedded_%s"
        ),
    }
