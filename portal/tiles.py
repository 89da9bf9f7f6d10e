"""The map's tile server (settings.MAP_TILES_URL): the origin a Content-Security-Policy must allow.

No Django import: the settings use it to build the policies.
"""

from urllib.parse import urlsplit


def tiles_origin(url: str) -> str:
    """« https://tile.openstreetmap.org/{z}/{x}/{y}.png » → « https://tile.openstreetmap.org »; a
    Leaflet subdomain placeholder (« https://{s}.tile.example.org/… ») becomes a wildcard
    (« https://*.tile.example.org »). Empty for no tile server or a same-origin path (« /tiles/… »)."""
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "*"))
    if not parts.scheme or not parts.netloc:
        return ""  # relative: served by this site, 'self' allows it
    return f"{parts.scheme}://{parts.netloc}"
