"""JSON that echoes what a visitor typed without a browser ever reading it as HTML."""

from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

# Outside strings JSON has no <, > or &: escaping them everywhere gives the same data once parsed.
HTML_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class HTMLSafeJSONEncoder(NinjaJSONEncoder):
    def encode(self, o) -> str:
        return super().encode(o).translate(HTML_ESCAPES)


class HTMLSafeJSONRenderer(JSONRenderer):
    encoder_class = HTMLSafeJSONEncoder
