"""Search page and result clicks. Ranking lives in `search.entry.search_pages`."""

import logging
import math
import re
import time

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wagtail.models import Page

from . import result_cache
from .entry import SearchResponse, log_search, search_pages
from .models import ClickLog, QueryLog, SearchDocument
from .query import parse_query

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
# What a citizen may ask (`../shared/specs/content-import.md`): a long question is searched.
MAX_QUERY_LENGTH = 1000
# What logs and request-form events keep of it.
LOGGED_QUERY_LENGTH = 200
MAX_PAGE = 50
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
# No table holds an id beyond a signed 64-bit integer, and SQLite fails on larger ones.
MAX_DATABASE_ID = 2**63 - 1


def clean_text(value: str) -> str:
    """What the citizen typed, without control characters, spaces collapsed (not shortened)."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", value or "").split())


def clean_query(value: str) -> str:
    """What the citizen typed, without control characters, at most 200 characters (for logs)."""
    return clean_text(value)[:LOGGED_QUERY_LENGTH]


def too_long_message() -> str:
    message = _("Your question is longer than %(max)d characters. Please shorten it.")
    return message % {"max": MAX_QUERY_LENGTH}


def _positive_int(value, default=None, maximum=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    if number < 1:
        return default
    return min(number, maximum) if maximum else number


def _database_id(value):
    """A positive id that can be looked up, or None."""
    number = _positive_int(value)
    return number if number is not None and number <= MAX_DATABASE_ID else None


def topics_for(language: str):
    from knowledge.models import TopicPage

    return TopicPage.objects.live().public().filter(locale__language_code=language).order_by("title")


def request_url() -> str:
    """Where a citizen asks the question search could not answer."""
    for name in ("requests:new", "requests:start"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return reverse("wagtail_serve", args=[""])


def query_hit_add(query: str) -> None:
    """Counts the search in Wagtail's "Search terms" report, as Wagtail's own search view does
    (the project's reports read `QueryLog`; this keeps Wagtail's report and promotions meaningful)."""
    from wagtail.contrib.search_promotions.models import Query

    try:
        Query.get(query).add_hit()
    except Exception as error:  # noqa: BLE001 - a report counter never breaks the search page
        logger.warning("Search terms report not updated: %s", type(error).__name__)


def stored_search_page(request, *, language: str, query: str):
    """(the page from the shared cache, logged as a new search, or None; version to store under)."""
    started = time.perf_counter()
    try:
        stored, version = result_cache.page_lookup(request, language=language)
    except Exception as error:  # noqa: BLE001 - the cache is a help: search works without it
        logger.warning("Search cache unavailable: %s", error)
        return None, None
    if stored is None:
        return None, version
    search = SearchResponse(query=query, language=language, engine=stored["engine"], total=stored["total"])
    search.duration_ms = round((time.perf_counter() - started) * 1000, 2)
    log_id = log_search(parse_query(query, language=language), search, request=request)
    query_hit_add(query)
    if log_id is None:  # not logging: the links go straight to the pages, render them so
        return None, None
    page = result_cache.page_response(stored, log_id)
    patch_vary_headers(page, ("Cookie",))  # as the rendered page (sessions were looked at)
    page["X-Cache"] = "HIT"
    return page, version


@require_safe
def search_page(request):
    language = get_language()
    query = clean_text(request.GET.get("q", ""))
    if len(query) > MAX_QUERY_LENGTH:
        context = {"query": "", "error": too_long_message(), "topics": list(topics_for(language))}
        return render(request, "search/search_page.html", context, status=400)
    # A visitor without a session gets the page from the shared cache (a new log line each time).
    version = None
    if query and result_cache.page_may_be_cached(request):
        page, version = stored_search_page(request, language=language, query=query)
        if page is not None:
            return page
    topics = list(topics_for(language))
    topic_id = _positive_int(request.GET.get("topic"))
    topic = next((topic for topic in topics if topic.pk == topic_id), None)
    page_number = _positive_int(request.GET.get("page"), default=1, maximum=MAX_PAGE)
    response = None
    if query:
        response = search_pages(
            query,
            language=language,
            limit=PAGE_SIZE,
            offset=(page_number - 1) * PAGE_SIZE,
            topic_id=topic.pk if topic else None,
            request=request,
        )
        if page_number == 1:
            query_hit_add(query)
    page_count = math.ceil(response.total / PAGE_SIZE) if response else 0

    def page_link(number):
        params = {"q": query, "page": number}
        if topic:
            params["topic"] = topic.pk
        return "?" + urlencode(params)

    suggestion_link = None
    if response and response.suggestion:
        suggestion_link = "?" + urlencode({"q": response.suggestion})
    # A page that may be stored is rendered with a stand-in for the log id, replaced below.
    storing = version is not None and response is not None and response.log_id is not None
    log_link = result_cache.LOG_PLACEHOLDER if storing else (response.log_id if response else None)
    results = []
    if response:
        for position, hit in enumerate(response.results, start=(page_number - 1) * PAGE_SIZE + 1):
            link = hit.url
            if log_link:
                params = {"log": log_link, "page": hit.id, "pos": position}
                link = reverse("search:click") + "?" + urlencode(params)
            results.append({"hit": hit, "link": link, "position": position})
    context = {
        "query": query,
        "response": response,
        "results": results,
        "topics": topics,
        "topic": topic,
        "page_number": page_number,
        "page_count": page_count,
        "previous_link": page_link(page_number - 1) if page_number > 1 else None,
        "next_link": page_link(page_number + 1) if page_number < min(page_count, MAX_PAGE) else None,
        "page_links": [(n, page_link(n)) for n in range(1, min(page_count, MAX_PAGE) + 1)]
        if page_count > 1
        else [],
        "suggestion_link": suggestion_link,
        "request_url": request_url() + ("?" + urlencode({"q": query}) if query else ""),
    }
    page = render(request, "search/search_page.html", context)
    if storing:
        try:
            if result_cache.page_store(request, page, language=language, version=version, search=response):
                page["X-Cache"] = "MISS"
        except Exception as error:  # noqa: BLE001
            logger.warning("Search cache unavailable: %s", error)
        page.content = result_cache.with_log_id(page.content, response.log_id)
    return page


@require_safe
def result_click(request):
    """Records a click on a result (anonymously) and sends the citizen to the page."""
    page_id = _database_id(request.GET.get("page"))
    document = SearchDocument.objects.filter(page_id=page_id).first() if page_id else None
    if document is None:
        return HttpResponseRedirect(reverse("search:search"))
    log_id = _database_id(request.GET.get("log"))
    ClickLog.objects.create(
        query_log=QueryLog.objects.filter(pk=log_id).first() if log_id else None,
        page_id=document.page_id,
        position=_positive_int(request.GET.get("pos"), default=0, maximum=1000) or 0,
    )
    url = document.url
    if not Page.objects.filter(pk=document.page_id, live=True).exists():
        url = reverse("search:search")
    return HttpResponseRedirect(url)
