import re

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

_ID_ATTRIBUTES = re.compile(r'\b(id|aria-labelledby|aria-describedby|for)="([^"]+)"')


@register.filter(is_safe=True)
def prefix_ids(html: str, prefix: str) -> str:
    """Prefixes ids (and references to them) so that a block can appear twice on a page."""
    return mark_safe(_ID_ATTRIBUTES.sub(lambda m: f'{m.group(1)}="{prefix}{m.group(2)}"', str(html)))  # noqa: S308
