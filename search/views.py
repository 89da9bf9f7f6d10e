"""Search page. The next iteration moves ranking into one engine-neutral entry point."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language

from wagtail.models import Locale, Page

from knowledge.models import AnswerPage, ServicePage

PAGE_SIZE = 10
MAX_QUERY_LENGTH = 200


def search_page(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    if query:
        locale = Locale.objects.get(language_code=get_language())
        pages = Page.objects.live().public().type(AnswerPage, ServicePage).filter(locale=locale)
        results = pages.search(query, operator="or")
    page_number = request.GET.get("page", "1")
    paginator = Paginator(results, PAGE_SIZE)
    return render(
        request,
        "search/search_page.html",
        {"query": query, "results": paginator.get_page(page_number)},
    )
