"""For the e-mail of a resolved request: `{% survey_link request %}` (the signed survey link)
and `{% reopen_days as days %}` (how long the citizen may reopen it)."""

from django import template
from django.conf import settings

from ..survey import survey_link as survey_link_of

register = template.Library()


@register.simple_tag
def survey_link(citizen_request) -> str:
    return survey_link_of(citizen_request)


@register.simple_tag
def reopen_days() -> int:
    return settings.REQUESTS_REOPEN_DAYS
