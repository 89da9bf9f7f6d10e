"""Citizen views: describe → check these answers first → details → confirmation → status page."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from wagtail.models import Page

from portal.ratelimit import LimitCheck, limit_check
from search.entry import SearchHit, instant_answer_text, log_search, parse_query, search_pages
from search.jsonsafe import HTMLSafeJSONEncoder
from search.views import clean_query  # logged text: no NUL, which PostgreSQL refuses

from .additions import request_add_citizen_info
from .forms import (
    CitizenAdditionForm,
    CitizenRequestForm,
    DescribeForm,
    EscalationRequestForm,
    JoinForm,
    LookupForm,
    ReopenForm,
    SurveyForm,
    VerifyForm,
    normalise_phone,
)
from .models import CitizenRequest, Escalation, RequestType, Status, SuggestionEvent, localize_request_types
from .nearby import address_match_for, request_follower_join, request_from_join_token, requests_nearby
from .ombudsman import escalation_deadline, escalation_eligibility, escalation_submit
from .references import parse_reference
from .reopen import ReopenState, new_request_url, reopen_deadline, reopen_state, request_reopen
from .services import reference_from_status_token, request_submit, status_token
from .survey import SurveyAlreadyAnswered, survey_answer_record, survey_lookup, survey_offered, survey_token

logger = logging.getLogger(__name__)
SUGGESTION_LIMIT = 3
VERIFIED_SESSION_KEY = "requests_verified"


def language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def too_many(request):
    return render(request, "429.html", status=429)


@dataclass(frozen=True)
class Suggestion:
    """A suggested answer and the log line of its showing: the click refers to that line
    instead of carrying the citizen's words in its URL."""

    hit: SearchHit
    shown_id: int | None = None

    def __getattr__(self, name):
        return getattr(self.hit, name)


def active_type(slug: str) -> RequestType:
    """The type of a form URL: its default-locale row (the slug is the same in every language)."""
    return get_object_or_404(RequestType.objects.in_default_locale(), slug=slug, is_active=True)


def suggestions_for(
    query: str, request, *, request_type: str = "", log: bool = True, description: str = ""
) -> list[Suggestion]:
    """Answers to look at first. Search being down never blocks a request."""
    query, request_type = clean_query(query), clean_query(request_type)[:80]
    if len(query) < 3:
        return []
    try:
        response = search_pages(
            instant_answer_text(query, description),
            language=language(),
            limit=SUGGESTION_LIMIT,
            request=request,
            log=False,
            source="form",
        )
        hits = response.results
    except Exception as error:  # noqa: BLE001 - deflection is a help, not a gate
        # The kind of error only: its message may quote what the citizen typed.
        logger.error("Search failed while suggesting answers: %s", type(error).__name__)
        return []
    if log:
        # The subject's words (not the description's), once per typing session (search.entry).
        log_search(parse_query(query, language=response.language), response, request=request, source="form")
    if not (log and hits):
        return [Suggestion(hit) for hit in hits]
    shown = SuggestionEvent.objects.bulk_create(
        SuggestionEvent(
            kind=SuggestionEvent.Kind.SHOWN,
            query=query,
            page_id=hit.id,
            request_type=request_type,
            language=language(),
        )
        for hit in hits
    )
    return [Suggestion(hit, event.pk) for hit, event in zip(hits, shown, strict=True)]


@require_safe
def request_start(request):
    """The standalone entry: every request type, grouped."""
    types = list(RequestType.objects.in_default_locale().filter(is_active=True))
    localize_request_types(types)
    return render(
        request,
        "requests/start.html",
        {
            "service_centre_types": [t for t in types if t.category == RequestType.Category.SERVICE_CENTRE],
            "service_types": [t for t in types if t.category == RequestType.Category.SERVICE],
        },
    )


@never_cache
@csrf_exempt  # step 1 changes nothing and is embedded in cacheable pages; step 2 is protected below
@require_http_methods(["GET", "HEAD", "POST"])
def request_form(request, slug):
    request_type = active_type(slug)
    if request.method != "POST":
        initial = follow_up_initial(request.GET.get("suite", ""))
        return render_describe(
            request, request_type, DescribeForm(request_type=request_type, initial=initial)
        )
    if request.POST.get("step") == "describe":
        return describe_step(request, request_type)
    return csrf_protect(submit_step)(request, request_type)


def follow_up_initial(text: str) -> dict:
    """`?suite=<reference>` (from a closed request's page): the subject names the earlier request.
    Only a well-formed reference is used, never free text from the URL."""
    parsed = parse_reference(text[:40]) if text else None
    if parsed is None or parsed.problem:
        return {}
    return {"subject": _("Follow-up to request %(reference)s") % {"reference": parsed.reference}}


def render_describe(request, request_type, describe: DescribeForm, *, status=200):
    """Step 1: describe the need first (also what the embedded form shows)."""
    context = {"request_type": request_type, "describe_form": describe}
    return render(request, "requests/describe.html", context, status=status)


def describe_step(request, request_type):
    """Step 1 sent: answers to check first, then the details.

    A POST, so that the citizen's words stay out of URLs, browser history and server logs."""
    describe = DescribeForm(request.POST, request_type=request_type)
    if not describe.is_valid():
        return render_describe(request, request_type, describe, status=400)
    subject = describe.cleaned_data["subject"]
    # A citizen over the suggestion limit still gets the form, without suggestions.
    over_limit = limit_check(request, "suggest").exceeded
    suggestions = (
        []
        if over_limit
        else suggestions_for(
            subject,
            request,
            request_type=request_type.slug,
            description=describe.cleaned_data["description"],
        )
    )
    form = CitizenRequestForm(
        request_type=request_type,
        initial={
            "subject": subject,
            "description": describe.cleaned_data["description"],
            "page": describe.cleaned_data.get("page"),
        },
    )
    return render_request_form(request, request_type, form, suggestions=suggestions)


def render_request_form(
    request, request_type, form, *, suggestions=(), limit=None, status=200, nearby=(), join_email=""
):
    context = {
        "request_type": request_type,
        "form": form,
        "suggestions": suggestions,
        "limit": limit,
        "nearby": nearby,
        "join_email": join_email,
    }
    return render(request, "requests/request_form.html", context, status=status)


def submit_step(request, request_type):
    """Step 2: the request is created once, whatever the double clicks and replays."""
    form = CitizenRequestForm(request.POST, request.FILES, request_type=request_type)
    # Every POST counts, valid or not, spam or replay: the limit is on attempts.
    limit = limit_check(request, "submit")
    if form.is_spam:
        return render(request, "requests/rejected.html", status=400)
    token = request.POST.get("submission_token", "")
    existing = CitizenRequest.objects.filter(submission_token=token).first() if len(token) >= 20 else None
    if existing is not None:
        # A double click or a resubmitted form: the request already exists.
        return redirect("requests:confirmation", token=status_token(existing))
    if limit.exceeded:
        # Shown again with what was typed (files excepted: browsers never send them back).
        return render_request_form(request, request_type, form, limit=limit, status=429)
    if not form.is_valid():
        return render_request_form(request, request_type, form, status=400)
    data = form.cleaned_data
    nearby = nearby_for(request_type, data)
    if nearby:
        # Before a duplicate: the open requests of this type around this address, to join one.
        seen = request.POST.copy()
        seen["nearby_seen"] = "1"
        form = CitizenRequestForm(seen, request_type=request_type)
        return render_request_form(request, request_type, form, nearby=nearby, join_email=data.get("email"))
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
        return render_request_form(request, request_type, form, status=400)
    return redirect("requests:confirmation", token=status_token(citizen_request))


def nearby_for(request_type: RequestType, data: dict) -> list:
    """Open requests near the matched address, for a service request not yet shown them."""
    if data.get("nearby_seen") or request_type.category != RequestType.Category.SERVICE:
        return []
    match = address_match_for(data.get("address") or "")
    if match is None:
        return []
    return requests_nearby(request_type=request_type, latitude=match.latitude, longitude=match.longitude)


@require_POST
@csrf_protect
def request_join(request):
    """« Join this request » instead of sending the same one: told of its updates by e-mail."""
    form = JoinForm(request.POST)
    limit = limit_check(request, "join")
    if limit.exceeded:
        return render(request, "requests/join.html", {"form": form, "limit": limit}, status=429)
    if not form.is_valid():
        return render(request, "requests/join.html", {"form": form}, status=400)
    citizen_request = request_from_join_token(form.cleaned_data["demande"])
    if citizen_request is None:
        form.add_error(None, _("This request can no longer be joined: go back to the form and try again."))
        return render(request, "requests/join.html", {"form": form}, status=400)
    try:
        request_follower_join(
            citizen_request=citizen_request, email=form.cleaned_data["email"], language=language()
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "requests/join.html", {"form": form}, status=400)
    return redirect("requests:joined")


@require_safe
def request_joined(request):
    return render(request, "requests/joined.html")


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


@csrf_exempt  # suggestions and an anonymous log line; no state of the visitor changes
@require_POST  # the subject may hold personal details: it travels in the body, never in a URL
def suggestions_json(request):
    """Live suggestions while the subject is typed (progressive enhancement)."""
    if limit_check(request, "suggest").exceeded:
        return JsonResponse({"error": _("Too many requests. Wait a minute and try again.")}, status=429)
    query = request.POST.get("q", "")
    hits = suggestions_for(
        query,
        request,
        request_type=request.POST.get("type", "")[:80],
        description=request.POST.get("description", ""),
    )
    return JsonResponse(
        {
            "query": query[:200],
            "results": [
                {
                    "id": hit.id,
                    "title": hit.title,
                    "excerpt": hit.excerpt,
                    "url": click_url(hit),
                    "answered_url": reverse("requests:suggestion_answered", args=[hit.id]),
                }
                for hit in hits
            ],
        },
        encoder=HTMLSafeJSONEncoder,  # the query is echoed back
    )


def click_url(suggestion: Suggestion) -> str:
    url = reverse("requests:suggestion_click", args=[suggestion.id])
    return f"{url}?vue={suggestion.shown_id}" if suggestion.shown_id else url


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
        query=shown_query(request.GET.get("vue", ""), page_id=page.pk),
        page=page,
        language=language(),
    )
    url = page.get_url(request=request) or "/"
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = "/"
    return redirect(url)


def shown_query(shown_id: str, *, page_id: int) -> str:
    """The words of the suggestion that was clicked, read from its log line (never from the URL)."""
    if not shown_id.isdigit() or len(shown_id) > 18:
        return ""
    shown = SuggestionEvent.objects.filter(pk=int(shown_id), kind=SuggestionEvent.Kind.SHOWN, page_id=page_id)
    return shown.values_list("query", flat=True).first() or ""


@csrf_exempt  # an anonymous log line only; the cacheable step-1 page carries no CSRF token
@require_POST
def suggestion_answered(request, page_id):
    """“This answered my question”: logged, and the citizen is thanked instead of filing a request."""
    if limit_check(request, "suggest").exceeded:
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
    context["lookup_limit"] = limit_check(request, "lookup")
    if context["lookup_limit"].exceeded:
        return render(request, "requests/status_lookup.html", context, status=429)
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
    verify_limit = limit_check(request, "verify") if verify.is_bound else LimitCheck(exceeded=False)
    if verify.is_bound and not verify_limit.exceeded:
        if verify.is_valid() and contact_matches(citizen_request, verify.cleaned_data["contact"]):
            request.session[VERIFIED_SESSION_KEY] = [*_verified_ids(request), citizen_request.pk][-20:]
            return redirect(f"{reverse('requests:status')}?reference={_quote(citizen_request.reference)}")
        if verify.is_valid():
            verify.add_error("contact", _("This does not match the e-mail or phone given with the request."))
    status = 429 if verify_limit.exceeded else 400 if verify.is_bound and verify.errors else 200
    return render_status(
        request,
        citizen_request,
        full=citizen_request.pk in _verified_ids(request),
        status=status,
        verify_form=verify,
        verify_limit=verify_limit,
        lookup_form=lookup,
    )


def render_status(
    request,
    citizen_request: CitizenRequest,
    *,
    full: bool,
    token: str | None = None,
    addition_form: CitizenAdditionForm | None = None,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
    **extra,
):
    """The status page. By reference alone: the status, the department and the kind and date of
    each public event. With `full` (the private link, or a confirmed e-mail or phone): the text
    of the notes, the personal data and the form to add information."""
    context = {
        "citizen_request": citizen_request,
        "show_personal": full,
        "lookup_form": LookupForm(),
        **extra,
    }
    if full and (citizen_request.is_open or addition_form is not None):  # a refused form stays shown
        context["addition_form"] = addition_form or CitizenAdditionForm()
        # Through the private link, its token; after a confirmation, the session (no token shown).
        context["addition_url"] = (
            reverse("requests:status_addition", kwargs={"token": token})
            if token
            else reverse("requests:status_addition_verified")
        )
    context.update(after_resolution_context(citizen_request, full=full, token=token, reopen_form=reopen_form))
    context.update(
        escalation_context(citizen_request, full=full, token=token, form=extra.get("escalation_form"))
    )
    return render(request, "requests/status.html", context, status=status)


def after_resolution_context(citizen_request, *, full: bool, token: str | None, reopen_form) -> dict:
    """Once resolved: the survey and the reopen form (private page only), or, too late or closed,
    the link to a new request (by reference alone too: it shows nothing personal)."""
    state = reopen_state(citizen_request)
    context = {"reopen_state": state, "reopen_days": settings.REQUESTS_REOPEN_DAYS}
    if state in (ReopenState.TOO_LATE, ReopenState.CLOSED):
        context["new_request_url"] = new_request_url(citizen_request)
    if not full:
        return context
    if state == ReopenState.ALLOWED or reopen_form is not None:
        context["reopen_form"] = reopen_form or ReopenForm()
        context["reopen_deadline"] = reopen_deadline(citizen_request)
        context["reopen_url"] = (
            reverse("requests:status_reopen", kwargs={"token": token})
            if token
            else reverse("requests:status_reopen_verified")
        )
    if survey_offered(citizen_request):
        context["survey_url"] = reverse("requests:survey", kwargs={"token": survey_token(citizen_request)})
    return context


@never_cache
@require_safe
def status_private(request, token):
    """The private link of the confirmation e-mail: everything, personal data included."""
    citizen_request = request_from_token(token)
    if citizen_request is None:
        return invalid_link(request)
    if citizen_request.private_link_expired:
        # The status stays visible; the personal data needs the e-mail or phone again.
        return render_status(
            request,
            citizen_request,
            full=citizen_request.pk in _verified_ids(request),
            verify_form=VerifyForm(),
            link_expired=True,
        )
    return render_status(request, citizen_request, full=True, token=token, private=True)


def request_from_reference(text: str) -> CitizenRequest | None:
    parsed = parse_reference(text)
    if parsed.problem:
        return None
    return (
        CitizenRequest.objects.select_related("request_type", "department")
        .filter(reference=parsed.reference)
        .first()
    )


def citizen_action_target(request, token: str | None) -> tuple[CitizenRequest | None, str | None]:
    """The request a citizen acts on (adds to, reopens, escalates), and the private-link token to
    keep using: through the private link while it is valid, or after confirming the e-mail or
    phone (the reference in the body, the proof in the session). (None, None) for a link that was
    altered or cut off; 404 for an unknown reference; 403 without either proof."""
    if token is not None:
        citizen_request = request_from_token(token)
        if citizen_request is None:
            return None, None
        via_link = not citizen_request.private_link_expired
    else:
        citizen_request = request_from_reference(request.POST.get("reference", "")[:40])
        if citizen_request is None:
            raise Http404(_("No request has this reference number."))
        via_link = False
    if not (via_link or citizen_request.pk in _verified_ids(request)):
        raise PermissionDenied(_("Confirm the e-mail or phone given with the request first."))
    return citizen_request, (token if via_link else None)


def citizen_action_run(
    request,
    token: str | None,
    *,
    scope: str,
    form,
    form_name: str,
    perform,
    refusal_codes: tuple[str, ...] = (),
):
    """What the status page's citizen forms share (add information, reopen, ask the ombudsman).

    Every POST counts against the `scope` limit, valid or not. The request is the private
    link's, or the one whose e-mail or phone was confirmed. A refused form is shown again with
    what was typed (400, or 429 over the limit); a `ValidationError` whose code is in
    `refusal_codes` means the action is no longer possible: the form gives way to the message.
    `perform(citizen_request, cleaned_data)` returns the message of success.
    """
    limit = limit_check(request, scope)
    citizen_request, token = citizen_action_target(request, token)
    if citizen_request is None:
        return invalid_link(request)

    def again(status, *, keep_form=True, **extra):
        return render_status(
            request,
            citizen_request,
            full=True,
            token=token,
            status=status,
            private=token is not None,
            **({form_name: form} if keep_form else {}),
            **extra,
        )

    if limit.exceeded:
        return again(429, **{f"{scope}_limit": limit})
    if not form.is_valid():
        return again(400)
    try:
        message = perform(citizen_request, form.cleaned_data)
    except ValidationError as error:
        if error.code in refusal_codes:
            return again(400, keep_form=False, **{f"{scope}_refused": error.messages[0]})
        form.add_error(None, error)
        return again(400)
    messages.success(request, message)
    if token is not None:
        return redirect("requests:status_private", token=token)
    return redirect(f"{reverse('requests:status')}?reference={_quote(citizen_request.reference)}")


@never_cache
@require_POST
@csrf_protect
def status_addition(request, token=None):
    """The citizen adds information and files to their request. What they typed never goes in a
    URL or a log line; files are not shown again after a refusal (browsers never send them back)."""

    def perform(citizen_request, data):
        request_add_citizen_info(
            citizen_request=citizen_request, text=data["text"], files=data.get("attachments") or []
        )
        return _("Thank you. Your information was added to the request and its handler was told.")

    form = CitizenAdditionForm(request.POST, request.FILES)
    return citizen_action_run(
        request, token, scope="addition", form=form, form_name="addition_form", perform=perform
    )


@never_cache
@require_POST
@csrf_protect
def status_reopen(request, token=None):
    """The citizen reopens their resolved request, within the window."""

    def perform(citizen_request, data):
        request_reopen(citizen_request=citizen_request, reason=data["reason"], source="status")
        return reopened_message(citizen_request)

    return citizen_action_run(
        request,
        token,
        scope="reopen",
        form=ReopenForm(request.POST),
        form_name="reopen_form",
        perform=perform,
        refusal_codes=("too_late", "closed", "open"),
    )


def reopened_message(citizen_request: CitizenRequest) -> str:
    citizen_request.refresh_from_db(fields=["expected_on", "department"])
    return _("Your request was reopened and sent back to %(department)s. New expected date: %(date)s.") % {
        "department": citizen_request.department_label,
        "date": date_format(citizen_request.expected_on, "DATE_FORMAT"),
    }


SURVEY_PROBLEM_STATUS = {"invalid": 404, "expired": 410, "unavailable": 404}


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request, token):
    """The satisfaction survey of a resolved request: one screen, one answer (the link is single
    use); "no" or "partly" may reopen the request from the same screen."""
    found = survey_lookup(token)
    if found.problem in SURVEY_PROBLEM_STATUS:
        context = {"problem": found.problem, "citizen_request": found.citizen_request}
        return render(
            request, "requests/survey_problem.html", context, status=SURVEY_PROBLEM_STATUS[found.problem]
        )
    citizen_request = found.citizen_request
    if found.problem == "answered":
        return render(request, "requests/survey_done.html", {"citizen_request": citizen_request})
    state = reopen_state(citizen_request)
    can_reopen = state == ReopenState.ALLOWED
    bound = request.method == "POST"
    form = SurveyForm(request.POST if bound else None, can_reopen=can_reopen)
    context = {
        "citizen_request": citizen_request,
        "form": form,
        "can_reopen": can_reopen,
        "reopen_days": settings.REQUESTS_REOPEN_DAYS,
    }
    if state in (ReopenState.TOO_LATE, ReopenState.CLOSED):
        context["new_request_url"] = new_request_url(citizen_request)
    if not bound:
        return render(request, "requests/survey.html", context)
    if can_reopen and request.POST.get("reopen"):
        context["limit"] = limit_check(request, "reopen")
        if context["limit"].exceeded:
            return render(request, "requests/survey.html", context, status=429)  # with what was typed
    if not form.is_valid():
        return render(request, "requests/survey.html", context, status=400)
    data = form.cleaned_data
    try:
        answer = survey_answer_record(
            citizen_request=citizen_request,
            resolved=data["resolved"],
            delay_score=data["delay_score"],
            clarity_score=data["clarity_score"],
            courtesy_score=data["courtesy_score"],
            comment=data["comment"],
            reopen=bool(data.get("reopen")),
            reopen_reason=data.get("reopen_reason", ""),
            language=language(),
        )
    except SurveyAlreadyAnswered:
        return render(request, "requests/survey_done.html", {"citizen_request": citizen_request})
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "requests/survey.html", context, status=400)
    messages.success(request, _("Thank you for your answers: they help us improve our services."))
    if answer.asked_reopen:
        messages.success(request, reopened_message(citizen_request))
    return redirect("requests:survey", token=token)


def escalation_context(citizen_request, *, full: bool, token: str | None, form) -> dict:
    """The review by the ombudsman, on the private page only: its file once asked, else the form
    while the request may be escalated (a refused form stays shown with what was typed)."""
    if not full:
        return {}
    escalation = Escalation.objects.filter(request=citizen_request).first()
    context = {"escalation": escalation, "escalation_form": None}
    allowed, _message = escalation_eligibility(citizen_request)
    if allowed or form is not None:
        context["escalation_form"] = form or EscalationRequestForm()
        context["escalation_url"] = (
            reverse("requests:status_escalate", kwargs={"token": token})
            if token
            else reverse("requests:status_escalate_verified")
        )
        if citizen_request.status in (Status.RESOLVED, Status.CLOSED):
            context["escalation_deadline"] = escalation_deadline(citizen_request)
    return context


@never_cache
@require_POST
@csrf_protect
def status_escalate(request, token=None):
    """The citizen asks the ombudsman to review their request. Eligibility is the service's:
    refused with its message (400), text kept."""

    def perform(citizen_request, data):
        escalation = escalation_submit(
            citizen_request=citizen_request, reason=data["dissatisfaction"], expectation=data["expectation"]
        )
        return _(
            "Your request for a review was sent to the ombudsman (file %(reference)s). "
            "Expected answer by %(date)s."
        ) % {"reference": escalation.reference, "date": date_format(escalation.expected_on, "DATE_FORMAT")}

    return citizen_action_run(
        request,
        token,
        scope="escalate",
        form=EscalationRequestForm(request.POST),
        form_name="escalation_form",
        perform=perform,
    )
