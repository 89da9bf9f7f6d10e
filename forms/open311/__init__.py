"""The Open311 GeoReport v2 API under /open311/v2/ (JSON and XML): services, requests, API keys.

`views` answers the endpoints, `mapping` turns requests and types into GeoReport records (never
any personal data), `serializers` writes them as JSON or XML, `keys` makes and checks API keys,
`admin` lets superusers manage keys in the Wagtail admin.
"""
