from urllib.parse import urlsplit

from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from wagtail.models import Page

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


# The vote is anonymous and idempotent, and answer pages must stay cacheable by a
# shared cache (no per-visitor CSRF token in them); an Origin check replaces the token.
@csrf_exempt
def helpful_vote(request, page_id: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not is_same_origin(request):
        return bad_vote(request, _("This vote did not come from this site."))
    page = get_object_or_404(Page.objects.live().public(), pk=page_id)
    answer = request.POST.get("helpful")
    if answer not in ("yes", "no"):
        return bad_vote(request, _("Please answer “Yes” or “No”."))
    visitor_id = request.COOKIES.get(VISITOR_COOKIE) or new_visitor_id()
    recorded = helpful_vote_record(page=page, visitor_id=visitor_id, is_helpful=answer == "yes")
    target = page.get_url(request=request)
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(f"{target}?vote={'merci' if recorded else 'deja'}#helpful")
    response.set_cookie(VISITOR_COOKIE, visitor_id, max_age=ONE_YEAR, httponly=True, samesite="Lax")
    return response
