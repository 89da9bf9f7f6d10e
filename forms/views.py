"""Citizen views: describe → check these answers first → details → confirmation → status page."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wagtail.models import Page

from search.entry import search_pages
from search.jsonsafe import HTMLSafeJSONEncoder
from search.views import clean_query  # logged text: no NUL, which PostgreSQL refuses

from .forms import CitizenRequestForm, DescribeForm, LookupForm, VerifyForm, normalise_phone
from .models import CitizenRequest, RequestType, SuggestionEvent
from .ratelimit import limit_exceeded
from .references import parse_reference
from .services import reference_from_status_token, request_submit, status_token

logger = logging.getLogger(__name__)
SUGGESTION_LIMIT = 3
VERIFIED_SESSION_KEY = "requests_verified"


def language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def too_many(request, template="requests/too_many.html"):
    return render(request, template, status=429)


def active_type(slug: str) -> RequestType:
    return get_object_or_404(RequestType, slug=slug, is_active=True)


def suggestions_for(query: str, request, *, request_type: str = "", log: bool = True) -> list:
    """Answers to look at first. Search being down never blocks a request."""
    query, request_type = clean_query(query), clean_query(request_type)[:80]
    if len(query) < 3:
        return []
    try:
        hits = search_pages(query, language=language(), limit=SUGGESTION_LIMIT, request=request).results
    except Exception:  # noqa: BLE001 - deflection is a help, not a gate
        logger.exception("Search failed while suggesting answers")
        return []
    if log and hits:
        SuggestionEvent.objects.bulk_create(
            SuggestionEvent(
                kind=SuggestionEvent.Kind.SHOWN,
                query=query,
                page_id=hit.id,
                request_type=request_type,
                language=language(),
            )
            for hit in hits
        )
    return hits


@require_safe
def request_start(request):
    """The standalone entry: every request type, grouped."""
    types = list(RequestType.objects.filter(is_active=True))
    return render(
        request,
        "requests/start.html",
        {
            "service_centre_types": [t for t in types if t.category == RequestType.Category.SERVICE_CENTRE],
            "service_types": [t for t in types if t.category == RequestType.Category.SERVICE],
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request, slug):
    request_type = active_type(slug)
    if request.method == "GET":
        describe = DescribeForm(request.GET or None, request_type=request_type)
        if not request.GET.get("subject") or not describe.is_valid():
            # Step 1: describe the need first (also what the embedded form sends).
            return render(
                request,
                "requests/describe.html",
                {"request_type": request_type, "describe_form": describe},
                status=400 if describe.is_bound and describe.errors else 200,
            )
        suggestions = suggestions_for(describe.cleaned_data["subject"], request, request_type=slug)
        form = CitizenRequestForm(
            request_type=request_type,
            initial={
                "subject": describe.cleaned_data["subject"],
                "description": describe.cleaned_data["description"],
                "page": describe.cleaned_data.get("page"),
            },
        )
        return render(
            request,
            "requests/request_form.html",
            {"request_type": request_type, "form": form, "suggestions": suggestions},
        )

    form = CitizenRequestForm(request.POST, request.FILES, request_type=request_type)
    if form.is_spam:
        return render(request, "requests/rejected.html", status=400)
    token = request.POST.get("submission_token", "")
    existing = CitizenRequest.objects.filter(submission_token=token).first() if len(token) >= 20 else None
    if existing is not None:
        # A double click or a resubmitted form: the request already exists.
        return redirect("requests:confirmation", token=status_token(existing))
    if limit_exceeded(request, "submit"):
        return too_many(request)
    if not form.is_valid():
        return render(
            request,
            "requests/request_form.html",
            {"request_type": request_type, "form": form, "suggestions": []},
            status=400,
        )
    data = form.cleaned_data
    source_page = Page.objects.filter(pk=data.get("page")).first() if data.get("page") else None
    try:
        citizen_request, _created = request_submit(
            request_type=request_type,
            data=data,
            language=language(),
            submission_token=data["submission_token"],
            files=data.get("attachments") or [],
            source_page=source_page,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(
            request,
            "requests/request_form.html",
            {"request_type": request_type, "form": form, "suggestions": []},
            status=400,
        )
    return redirect("requests:confirmation", token=status_token(citizen_request))


def request_from_token(token: str) -> CitizenRequest | None:
    """The request of a private link, or None when the link was altered or cut off."""
    reference = reference_from_status_token(token)
    if reference is None:
        return None
    return (
        CitizenRequest.objects.select_related("request_type", "department")
        .filter(reference=reference)
        .first()
    )


def invalid_link(request):
    """A link cut off in an e-mail: say so, and offer the lookup by reference number instead."""
    context = {"lookup_form": LookupForm(), "problem": "link"}
    return render(request, "requests/status_lookup.html", context, status=404)


@never_cache
@require_safe
def request_confirmation(request, token):
    citizen_request = request_from_token(token)
    if citizen_request is None:
        return invalid_link(request)
    return render(
        request,
        "requests/confirmation.html",
        {
            "citizen_request": citizen_request,
            "status_url": request.build_absolute_uri(
                reverse("requests:status_private", kwargs={"token": token})
            ),
        },
    )


@require_safe
def suggestions_json(request):
    """Live suggestions while the subject is typed (progressive enhancement)."""
    if limit_exceeded(request, "suggest"):
        return JsonResponse({"error": _("Too many requests. Wait a minute and try again.")}, status=429)
    query = request.GET.get("q", "")
    hits = suggestions_for(query, request, request_type=request.GET.get("type", "")[:80])
    return JsonResponse(
        {
            "query": query[:200],
            "results": [
                {
                    "id": hit.id,
                    "title": hit.title,
                    "excerpt": hit.excerpt,
                    "url": reverse("requests:suggestion_click", args=[hit.id]) + f"?q={_quote(query)}",
                    "answered_url": reverse("requests:suggestion_answered", args=[hit.id]),
                }
                for hit in hits
            ],
        },
        encoder=HTMLSafeJSONEncoder,  # the query is echoed back
    )


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text[:200])


def _live_page(page_id: int) -> Page:
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404(_("This answer is no longer available."))
    return page


@require_safe
def suggestion_click(request, page_id):
    """Logs the click on a suggested answer, then opens it (works without JavaScript)."""
    page = _live_page(page_id)
    SuggestionEvent.objects.create(
        kind=SuggestionEvent.Kind.CLICKED,
        query=clean_query(request.GET.get("q", "")),
        page=page,
        language=language(),
    )
    url = page.get_url(request=request) or "/"
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = "/"
    return redirect(url)


@csrf_exempt  # an anonymous log line only; the cacheable step-1 page carries no CSRF token
@require_POST
def suggestion_answered(request, page_id):
    """“This answered my question”: logged, and the citizen is thanked instead of filing a request."""
    if limit_exceeded(request, "suggest"):
        return too_many(request)
    page = _live_page(page_id)
    SuggestionEvent.objects.create(
        kind=SuggestionEvent.Kind.ANSWERED,
        query=clean_query(request.POST.get("q", "")),
        page=page,
        language=language(),
    )
    if request.headers.get("accept", "").startswith("application/json"):
        return JsonResponse({"ok": True})
    return render(request, "requests/answered.html", {"answer_page": page})


def _verified_ids(request) -> list[int]:
    return request.session.get(VERIFIED_SESSION_KEY, [])


def contact_matches(citizen_request: CitizenRequest, given: str) -> bool:
    given = given.strip()
    if "@" in given:
        return bool(citizen_request.email) and citizen_request.email.casefold() == given.casefold()
    digits = normalise_phone(given)
    stored = normalise_phone(citizen_request.phone)
    # 418 555-0123 and 1 418 555-0123 are the same number.
    return (
        len(digits) >= 7
        and bool(stored)
        and (stored.endswith(digits[-10:]) and digits.endswith(stored[-10:]))
    )


@never_cache
def status_lookup(request):
    """Look up a request by its reference; personal data after confirming the e-mail or phone."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    source = request.POST if request.method == "POST" else request.GET
    lookup = LookupForm(source if "reference" in source else None)
    context = {"lookup_form": lookup}
    if not lookup.is_bound:
        return render(request, "requests/status_lookup.html", context)
    if limit_exceeded(request, "lookup"):
        return too_many(request)
    if not lookup.is_valid():
        return render(request, "requests/status_lookup.html", context, status=400)
    parsed = parse_reference(lookup.cleaned_data["reference"])
    if parsed.problem:
        context["problem"] = parsed.problem
        return render(request, "requests/status_lookup.html", context, status=400)
    citizen_request = (
        CitizenRequest.objects.select_related("request_type", "department")
        .filter(reference=parsed.reference)
        .first()
    )
    if citizen_request is None:
        context["problem"] = "unknown"
        return render(request, "requests/status_lookup.html", context, status=404)
    verify = VerifyForm(request.POST if request.method == "POST" and "contact" in request.POST else None)
    if verify.is_bound:
        if limit_exceeded(request, "verify"):
            return too_many(request)
        if verify.is_valid() and contact_matches(citizen_request, verify.cleaned_data["contact"]):
            request.session[VERIFIED_SESSION_KEY] = [*_verified_ids(request), citizen_request.pk][-20:]
            return redirect(f"{reverse('requests:status')}?reference={_quote(citizen_request.reference)}")
        if verify.is_valid():
            verify.add_error("contact", _("This does not match the e-mail or phone given with the request."))
    context.update(
        citizen_request=citizen_request,
        verify_form=verify,
        show_personal=citizen_request.pk in _verified_ids(request),
    )
    return render(request, "requests/status.html", context, status=400 if verify.errors else 200)


@never_cache
@require_safe
def status_private(request, token):
    """The private link of the confirmation e-mail: everything, personal data included."""
    citizen_request = request_from_token(token)
    if citizen_request is None:
        return invalid_link(request)
    if citizen_request.private_link_expired:
        # The status stays visible; the personal data needs the e-mail or phone again.
        context = {
            "citizen_request": citizen_request,
            "verify_form": VerifyForm(),
            "show_personal": citizen_request.pk in _verified_ids(request),
            "link_expired": True,
        }
        return render(request, "requests/status.html", context)
    return render(
        request,
        "requests/status.html",
        {"citizen_request": citizen_request, "show_personal": True, "private": True},
    )
