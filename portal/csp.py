"""Content-Security-Policy: one strict policy for the citizen pages, a looser one for the admin.

django-csp's middleware sends `CONTENT_SECURITY_POLICY` on every response. Below the admin's
prefixes (`PORTAL_ADMIN_CSP_PREFIXES`) it sends `PORTAL_ADMIN_CONTENT_SECURITY_POLICY` instead:
Wagtail's admin relies on inline scripts and styles. A view may still adjust either policy with
django-csp's decorators (`csp_update`, `csp_replace`, `csp`, `csp_exempt`), and a response that
already carries the header (Wagtail's documents and images) keeps its own.
"""

from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def is_admin_path(path: str) -> bool:
    prefixes = tuple(settings.PORTAL_ADMIN_CSP_PREFIXES)
    return bool(prefixes) and path.startswith(prefixes)


def admin_directives() -> dict:
    return dict(settings.PORTAL_ADMIN_CONTENT_SECURITY_POLICY.get("DIRECTIVES", {}))


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        # A view's own full policy (@csp) wins; otherwise the admin gets its policy as the base,
        # on which a view's @csp_update / @csp_replace still apply.
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = admin_directives() or None
        return parts
