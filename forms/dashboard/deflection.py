"""Deflection, defined once: every report (dashboard, CSV, benchmark) counts through this module.

The logs (no personal data: normalised words, an anonymous session digest, page ids, times):

- `search.models.QueryLog`: one search; `source` says where it was typed: "page" (the search
  page), "api" (the JSON API) or "form" (the instant answers of the request form, logged by
  `search.entry.log_search`);
- `search.models.ClickLog`: a click on a result of a page search (linked to its QueryLog);
- `forms.models.SuggestionEvent`: an answer suggested by the request form ("shown"), clicked
  ("clicked"), or that answered the citizen's question ("answered");
- `forms.models.CitizenRequest`: the requests (`subject`, `submitted_at`, `source_page`).

Definitions (README, « Deflection »):

- **A search** is one QueryLog row. A citizen pausing while typing in the request form does
  not make several searches: `search.entry.log_search` updates the row of the same session and
  language logged less than `TYPING_SECONDS` before when one query extends the other ("nid",
  "nid de p", "nid de poule" → one row holding "nid de poule"), instead of adding a row.
  Page and API searches are submitted, not typed live: each is a search.
- **A search session** is the searches of one session digest; a search logged without a
  session (anonymous visitors have none) is a session of its own.
- **A deflected session** is a session with a click on an answer (page search: a ClickLog;
  request form: a "clicked" or "answered" suggestion) and no request submitted by that session
  within `WINDOW` (24 h) after it. A request is tied to the form's suggestions by its subject
  (the words the form searched and the suggestion events record). A page search is tied to the
  request form by its session digest: a page session that went on to the request form within
  24 h is counted as not deflected (conservative: the form was opened to ask something). A page
  search logged without a session cannot be followed: a click counts as deflected, and the
  reports show how many of the deflected sessions are such (`unfollowed`).
- **A request after search** is a web request whose subject the request form searched and
  answered with suggestions in the 24 h before it was submitted.
- **Per answer page**: the sessions it deflected (clicked from a search, no request within
  24 h) and the requests submitted from it (the form embedded in that page: `source_page`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Trunc

from search.models import ClickLog, QueryLog

from ..models import Channel, CitizenRequest, SuggestionEvent

WINDOW = timedelta(hours=24)
FORM, PAGE, API = "form", "page", "api"
ENGAGED_KINDS = (SuggestionEvent.Kind.CLICKED, SuggestionEvent.Kind.ANSWERED)


def _after(field: str, delta: timedelta):
    return ExpressionWrapper(OuterRef(field) + Value(delta), output_field=DateTimeField())


def _before(field: str, delta: timedelta):
    return ExpressionWrapper(OuterRef(field) - Value(delta), output_field=DateTimeField())


# Reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


def searches(period: Period) -> QuerySet:
    """The searches of the period (each row is one search: typing sessions are already one row)."""
    return QueryLog.objects.filter(created_at__gte=period.start, created_at__lt=period.end).exclude(query="")


def page_sessions_deflected(queryset: QuerySet) -> QuerySet:
    """The page and API searches of `queryset` with a click on a result, whose session did not go
    on to the request form within 24 h.

    A search logged without a session cannot be followed: it counts as deflected when clicked,
    and the reports say how many such sessions they hold (`unfollowed`). Matching by the words
    instead would tie a click to any other citizen's form search of the same popular words.
    Written as a NOT EXISTS in the WHERE clause: the database turns it into a hashed anti-join
    instead of a subquery per row."""
    same_session = QueryLog.objects.filter(
        source=FORM,
        session_digest=OuterRef("session_digest"),
        created_at__gte=OuterRef("created_at"),
        created_at__lte=_after("created_at", WINDOW),
    ).exclude(session_digest="")
    return (
        queryset.exclude(source=FORM)
        .filter(Exists(ClickLog.objects.filter(query_log=OuterRef("pk"))))
        .filter(~Exists(same_session))
    )


def request_followed(subject_field: str = "query", at_field: str = "created_at") -> Exists:
    """A web request with these words as subject, submitted within 24 h after `at_field`."""
    return Exists(
        CitizenRequest.objects.filter(
            channel=Channel.WEB,
            subject=OuterRef(subject_field),
            submitted_at__gte=OuterRef(at_field),
            submitted_at__lte=_after(at_field, WINDOW),
        )
    )


def form_engagements(period: Period) -> QuerySet:
    """Clicks and "this answered my question" on the request form's suggestions."""
    return SuggestionEvent.objects.filter(
        kind__in=ENGAGED_KINDS, created_at__gte=period.start, created_at__lt=period.end
    )


def form_session_deflected() -> Q:
    return ~Q(request_followed())


def _suggested() -> Exists:
    return Exists(
        SuggestionEvent.objects.filter(
            query=OuterRef("subject"),
            created_at__lte=OuterRef("submitted_at"),
            created_at__gte=_before("submitted_at", WINDOW),
        )
    )


def requests_after_search(queryset: QuerySet) -> QuerySet:
    """Web requests whose subject the form searched and answered with suggestions in the 24 h before."""
    return queryset.filter(channel=Channel.WEB).filter(_suggested())


@dataclass(frozen=True)
class DeflectionTotals:
    searches: int
    sessions: int
    deflected: int
    requests: int
    requests_after_search: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.deflected / self.sessions, 1) if self.sessions else None


def deflection_by(period: Period, unit: str = "week") -> list[dict]:
    """Per day/week: search sessions, deflected sessions and the rate (%).

    Three aggregate queries: the searches (sessions), the page searches that deflected, and the
    form's suggestion events that deflected."""
    bucket = Trunc("created_at", unit, output_field=DateTimeField())
    without_session, with_session = Q(session_digest=""), ~Q(session_digest="")
    logged = (
        searches(period)
        .annotate(bucket=bucket)
        .values("bucket")
        .annotate(
            searches=Count("pk"),
            alone=Count("pk", filter=without_session),
            followed=Count("session_digest", distinct=True, filter=with_session),
        )
        .order_by("bucket")
    )
    page = {
        row["bucket"]: row
        for row in page_sessions_deflected(searches(period))
        .annotate(bucket=bucket)
        .values("bucket")
        .annotate(
            unfollowed=Count("pk", filter=without_session),
            followed=Count("session_digest", distinct=True, filter=with_session),
        )
        .order_by()
    }
    form = (
        form_engagements(period)
        .annotate(bucket=bucket)
        .filter(form_session_deflected())
        .values("bucket")
        .annotate(deflected=Count("query", distinct=True))
        .order_by()
    )
    form_by_bucket = {row["bucket"]: row["deflected"] for row in form}
    rows = []
    for row in logged:
        deflected_page = page.get(row["bucket"], {"unfollowed": 0, "followed": 0})
        rows.append(
            {
                "bucket": row["bucket"],
                "searches": row["searches"],
                "sessions": row["alone"] + row["followed"],
                "deflected": deflected_page["unfollowed"]
                + deflected_page["followed"]
                + form_by_bucket.pop(row["bucket"], 0),
                "unfollowed": deflected_page["unfollowed"],
            }
        )
    for bucket_value, deflected in form_by_bucket.items():  # clicks whose search is outside the period
        rows.append(
            {"bucket": bucket_value, "searches": 0, "sessions": 0, "deflected": deflected, "unfollowed": 0}
        )
    rows.sort(key=lambda row: row["bucket"])
    for row in rows:
        sessions = max(row["sessions"], row["deflected"])
        row["rate"] = round(100 * row["deflected"] / sessions, 1) if sessions else None
    return rows


def deflection_totals(
    period: Period, requests: QuerySet | None = None, *, rows: list[dict] | None = None
) -> DeflectionTotals:
    """The period's totals; `rows`: the period's `deflection_by` rows when already computed."""
    rows = deflection_by(period, "week") if rows is None else rows
    requests = (requests if requests is not None else CitizenRequest.objects.all()).filter(
        submitted_at__gte=period.start, submitted_at__lt=period.end
    )
    return DeflectionTotals(
        searches=sum(row["searches"] for row in rows),
        sessions=sum(row["sessions"] for row in rows),
        deflected=sum(row["deflected"] for row in rows),
        requests=requests.count(),
        # In the WHERE clause (not a FILTER): the database makes it a semi-join.
        requests_after_search=requests_after_search(requests).count(),
    )


def deflection_by_answer(period: Period, *, limit: int = 15) -> list[dict]:
    """The answers that deflect most: sessions deflected and requests submitted from each page."""
    from wagtail.models import Page

    page_clicks = (
        ClickLog.objects.filter(query_log__in=page_sessions_deflected(searches(period)).values("pk"))
        .values("page_id")
        .annotate(deflected=Count("query_log", distinct=True))
    )
    form_clicks = (
        form_engagements(period)
        .filter(form_session_deflected(), page__isnull=False)
        .values("page_id")
        .annotate(deflected=Count("query", distinct=True))
        .order_by()
    )
    from_page = (
        CitizenRequest.objects.filter(
            submitted_at__gte=period.start, submitted_at__lt=period.end, source_page__isnull=False
        )
        .values("source_page_id")
        .annotate(requests=Count("pk"))
        .order_by()
    )
    totals: dict[int, dict] = {}
    for row in page_clicks.order_by():
        totals.setdefault(row["page_id"], {"deflected": 0, "requests": 0})["deflected"] += row["deflected"]
    for row in form_clicks:
        totals.setdefault(row["page_id"], {"deflected": 0, "requests": 0})["deflected"] += row["deflected"]
    for row in from_page:
        totals.setdefault(row["source_page_id"], {"deflected": 0, "requests": 0})["requests"] += row[
            "requests"
        ]
    ranked = sorted(totals.items(), key=lambda item: (-item[1]["deflected"], item[1]["requests"], item[0]))[
        :limit
    ]
    titles = dict(Page.objects.filter(pk__in=[pk for pk, _ in ranked]).values_list("pk", "title"))
    return [
        {
            "page_id": pk,
            "title": titles.get(pk, f"#{pk}"),
            "deflected": row["deflected"],
            "requests": row["requests"],
        }
        for pk, row in ranked
    ]
