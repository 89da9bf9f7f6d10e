from urllib.parse import urlsplit

from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from wagtail.models import Page

from portal.client_ip import client_ip
from portal.ratelimit import limit_check

from .votes import VISITOR_COOKIE, helpful_vote_record, new_visitor_id

ONE_YEAR = 365 * 24 * 3600


def is_same_origin(request) -> bool:
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin:
        return True  # Browsers without JavaScript or privacy settings may send neither.
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:  # e.g. "http://[::1": a malformed header names no site, so not this one
        return False
    return netloc == request.get_host()


def bad_vote(request, message: str):
    return render(request, "400.html", {"message": message}, status=400)


def visitor_key(group, request) -> str:
    """The visitor's cookie, or their address when a script sends none (each vote would be a new visitor)."""
    return request.COOKIES.get(VISITOR_COOKIE) or client_ip(request)


def too_many_votes(request, page):
    return render(request, "429.html", {"back_url": safe_page_url(request, page)}, status=429)


def safe_page_url(request, page) -> str:
    target = page.get_url(request=request)
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


# The vote is anonymous and idempotent, and answer pages must stay cacheable by a
# shared cache (no per-visitor CSRF token in them); an Origin check replaces the token.
@csrf_exempt
def helpful_vote(request, page_id: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not is_same_origin(request):
        return bad_vote(request, _("This vote did not come from this site."))
    page = get_object_or_404(Page.objects.live().public(), pk=page_id)
    # Per address (a script without cookies is a new visitor each time) and per visitor; every POST counts.
    by_address = limit_check(request, "vote")
    by_visitor = limit_check(request, "vote", key=visitor_key)
    if by_address.exceeded or by_visitor.exceeded:
        return too_many_votes(request, page)
    answer = request.POST.get("helpful")
    if answer not in ("yes", "no"):
        return bad_vote(request, _("Please answer “Yes” or “No”."))
    visitor_id = request.COOKIES.get(VISITOR_COOKIE) or new_visitor_id()
    recorded = helpful_vote_record(page=page, visitor_id=visitor_id, is_helpful=answer == "yes")
    target = safe_page_url(request, page)
    response = redirect(f"{target}?vote={'merci' if recorded else 'deja'}#helpful")
    response.set_cookie(VISITOR_COOKIE, visitor_id, max_age=ONE_YEAR, httponly=True, samesite="Lax")
    return response
