"""The handle view's map (forms/map.py): `{% request_location_map citizen_request as location %}`."""

from django import template

from ..map import request_location_map as location_map

register = template.Library()


@register.simple_tag(takes_context=True)
def request_location_map(context, citizen_request):
    """The request's location and the open requests around it that the user may see; its exact
    location only for those who may see its personal data (`show_personal`, set by the view)."""
    return location_map(
        citizen_request=citizen_request,
        user=context["request"].user,
        exact=bool(context.get("show_personal")),
    )
