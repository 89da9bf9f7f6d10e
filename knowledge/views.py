from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from wagtail.models import Page

from portal.client_ip import client_ip
from portal.ratelimit import limit_check

from . import alerts
from .addresses import address_search
from .forms import MissingReasonForm
from .votes import VISITOR_COOKIE, helpful_reason_record, helpful_vote_record, new_visitor_id

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
    outcome = "deja" if not recorded else "merci" if answer == "yes" else "non"  # "non": what was missing?
    response = redirect(f"{target}?vote={outcome}#helpful")
    response.set_cookie(VISITOR_COOKIE, visitor_id, max_age=ONE_YEAR, httponly=True, samesite="Lax")
    return response


# Like the vote: anonymous, harmless, and on cacheable pages (no CSRF token); the Origin is checked.
@csrf_exempt
@require_POST
def alert_hide(request, key: str):
    """Hides an alert that is not urgent for this visitor (a cookie), then back to the page."""
    if not is_same_origin(request):
        return bad_vote(request, _("This request did not come from this site."))
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        alerts.HIDDEN_COOKIE,
        alerts.hidden_keys_with(request, key),
        max_age=30 * 24 * 3600,
        httponly=True,
        samesite="Lax",
    )
    return response


@require_safe
def alerts_json(request):
    """GET /api/alerts/?lang=fr|en: the alerts shown now, for other channels (agents' screen, apps)."""
    language = request.GET.get("lang") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        return JsonResponse({"detail": "lang must be one of: fr, en"}, status=400)
    shown = alerts.alerts_active(language=language)
    response = JsonResponse({"language": language, "alerts": [alert.as_json() for alert in shown]})
    patch_cache_control(response, public=True, max_age=60)
    return response


@csrf_exempt  # as the vote it completes
@require_POST
def helpful_reason(request, page_id: int):
    """After "No": what was missing (a reason, an optional comment); then the way to ask us."""
    if not is_same_origin(request):
        return bad_vote(request, _("This vote did not come from this site."))
    page = get_object_or_404(Page.objects.live().public(), pk=page_id)
    by_address = limit_check(request, "vote")
    by_visitor = limit_check(request, "vote", key=visitor_key)
    if by_address.exceeded or by_visitor.exceeded:
        return too_many_votes(request, page)
    form = MissingReasonForm(request.POST)
    visitor_id = request.COOKIES.get(VISITOR_COOKIE)
    if not form.is_valid() or not visitor_id:
        if visitor_id is None:
            form.add_error(None, _("Answer “No” to the question first: your browser did not keep it."))
        context = {"page": page, "form": form, "back_url": safe_page_url(request, page)}
        return render(request, "knowledge/helpful_reason.html", context, status=400)
    data = form.cleaned_data
    helpful_reason_record(page=page, visitor_id=visitor_id, reason=data["reason"], comment=data["comment"])
    return redirect(f"{safe_page_url(request, page)}?vote=raison#helpful")


MAX_ADDRESS_TYPED = 120


def address_typed(request) -> str:
    return " ".join((request.POST.get("q") or request.POST.get("adresse") or "").split())[:MAX_ADDRESS_TYPED]


@csrf_exempt  # a read of the public registry from cacheable pages; nothing changes
@require_POST
def address_find(request):
    """The "answer by address" form: one match → back to the page with that address (`?a=<id>`,
    never the typed text); several → the citizen picks one; none → said, with what was typed."""
    if not is_same_origin(request):
        return bad_vote(request, _("This request did not come from this site."))
    limit = limit_check(request, "address")
    page_id = request.POST.get("page") or ""
    page = get_object_or_404(Page.objects.live().public(), pk=int(page_id)) if page_id.isdigit() else None
    if page is None:
        return bad_vote(request, _("This form is no longer valid: go back to the page and try again."))
    back = safe_page_url(request, page)
    typed = address_typed(request)
    if limit.exceeded:
        return render(request, "429.html", {"back_url": back}, status=429)
    matches = address_search(typed) if typed else []
    if len(matches) == 1:
        return redirect(f"{back}?a={matches[0].pk}#adresse")
    context = {"page": page, "typed": typed, "matches": matches, "back_url": back}
    return render(request, "knowledge/address_find.html", context, status=200 if matches else 404)


@csrf_exempt  # suggestions while typing; POSTed so that the address is not in a URL or a log
@require_POST
def addresses_json(request):
    limit = limit_check(request, "address")
    if limit.exceeded:
        return JsonResponse({"addresses": []}, status=429)
    typed = address_typed(request)
    found = address_search(typed, limit=8) if len(typed) >= 3 else []
    return JsonResponse({"addresses": [{"id": address.pk, "label": address.label} for address in found]})
