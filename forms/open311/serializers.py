"""GeoReport v2 bodies in JSON or XML, as the specification writes them.

The same records (dicts and lists) become either format: a list is written as its element
repeated under the list's name (`services` → `service`, `attributes` → `attribute`…), as in
the specification's examples; booleans are `true`/`false`, a missing value an empty element.
"""

import json
import re
import xml.etree.ElementTree as ET

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

JSON = "json"
XML = "xml"
FORMATS = (XML, JSON)
DEFAULT_FORMAT = XML  # the specification's default
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}

# What one element of each list is called in XML.
LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child_value in value.items():
            _fill(ET.SubElement(element, key), child_value)
    elif isinstance(value, list | tuple):
        item_name = LIST_ITEMS[element.tag]
        for item in value:
            _fill(ET.SubElement(element, item_name), item)
    else:
        element.text = _text(value)


def to_xml(root: str, value) -> bytes:
    element = ET.Element(root)
    _fill(element, value)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def to_json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder).encode("utf-8")


def render(value, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """`value` in `fmt`; `root` names the XML document's root element (JSON has none)."""
    body = to_json(value) if fmt == JSON else to_xml(root, value)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error_response(fmt: str, status: int, descriptions: list[str] | str) -> HttpResponse:
    """The specification's error body: ``[{"code": 403, "description": "…"}]``, or ``<errors>``."""
    if isinstance(descriptions, str):
        descriptions = [descriptions]
    errors = [{"code": status, "description": str(description)} for description in descriptions]
    return render(errors, fmt, root="errors", status=status)
