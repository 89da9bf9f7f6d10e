"""Deflection, as the README defines it, on constructed logs (forms/dashboard/deflection.py)."""

from datetime import timedelta

import pytest

from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query

from forms.dashboard import deflection
from forms.dashboard.deflection import Period
from forms.models import RequestType, SuggestionEvent
from forms.services import request_submit
from search.entry import TYPING_SECONDS
from search.models import ClickLog, QueryLog
from tests.factories import QueryLogFactory
from tests.forms.conftest import VALID_DATA

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def period():
    return Period(start=NOW - timedelta(days=10), end=NOW + timedelta(days=2))


def search_log(query, *, at, digest="", source="page", results=3):
    return QueryLogFactory(query=query, at=at, session_digest=digest, source=source, results_count=results)


def click(log, page_id):
    return ClickLog.objects.create(query_log=log, page_id=page_id, position=1)


def suggestion(kind, query, *, at, page=None):
    return SuggestionEvent.objects.create(kind=kind, query=query, page=page, language="fr", created_at=at)


def web_request(subject, *, at, source_page=None):
    citizen_request, _ = request_submit(
        request_type=RequestType.objects.get(slug="nid-de-poule"),
        data={**VALID_DATA, "subject": subject},
        source_page=source_page,
    )
    type(citizen_request).objects.filter(pk=citizen_request.pk).update(submitted_at=at)
    return citizen_request


def totals(period):
    rows = deflection.deflection_by(period, "week")
    return sum(row["sessions"] for row in rows), sum(row["deflected"] for row in rows)


def test_a_page_search_with_a_click_and_no_request_is_deflected(period, answer_pair):
    french, _english = answer_pair
    clicked = search_log("collecte ordures", at=NOW - timedelta(days=3), digest="a" * 16)
    click(clicked, french.pk)
    search_log("permis piscine", at=NOW - timedelta(days=3), digest="b" * 16)  # no click
    assert totals(period) == (2, 1)
    assert deflection.deflection_totals(period).rate == 50.0


def test_a_session_is_counted_once_whatever_its_searches(period, answer_pair):
    french, _english = answer_pair
    first = search_log("collecte", at=NOW - timedelta(days=3, minutes=5), digest="a" * 16)
    second = search_log("collecte ordures mardi", at=NOW - timedelta(days=3), digest="a" * 16)
    click(first, french.pk)
    click(second, french.pk)
    # Two searches without a session are two sessions.
    search_log("bac brun", at=NOW - timedelta(days=3))
    search_log("bac bleu", at=NOW - timedelta(days=3))
    rows = deflection.deflection_by(period, "week")
    assert sum(row["searches"] for row in rows) == 4
    assert totals(period) == (3, 1)


def test_a_page_session_that_went_on_to_the_request_form_within_24_hours_is_not_deflected(
    period, answer_pair
):
    french, _english = answer_pair
    at = NOW - timedelta(days=5)
    click(search_log("nid de poule", at=at, digest="c" * 16), french.pk)
    search_log("trou dans la rue", at=at + timedelta(hours=2), digest="c" * 16, source="form")
    # The form 25 hours later: the click had deflected the first visit.
    click(search_log("deneigement", at=at, digest="e" * 16), french.pk)
    search_log("deneigement rue", at=at + timedelta(hours=25), digest="e" * 16, source="form")
    # Without a session, nothing ties the click to a later form: it counts, and the report says
    # so (another citizen's form search of the same words is not this visitor's).
    click(search_log("lampadaire", at=at), french.pk)
    search_log("lampadaire", at=at + timedelta(hours=1), source="form")
    rows = deflection.deflection_by(period, "week")
    assert sum(row["deflected"] for row in rows) == 2
    assert sum(row["unfollowed"] for row in rows) == 1
    assert sum(row["sessions"] for row in rows) == 4  # sessions c and e, two searches without one


def test_form_suggestion_clicks_deflect_unless_a_request_follows_within_24_hours(period, answer_pair):
    french, _english = answer_pair
    at = NOW - timedelta(days=4)
    suggestion("clicked", "Trou devant chez moi", at=at, page=french)
    web_request("Trou devant chez moi", at=at + timedelta(hours=3))  # within 24 h: not deflected
    suggestion("answered", "Collecte du mardi", at=at, page=french)  # nothing follows: deflected
    suggestion("clicked", "Lampadaire brisé", at=at, page=french)
    web_request("Lampadaire brisé", at=at + timedelta(hours=30))  # after 24 h: deflected
    suggestion("shown", "Bruit la nuit", at=at, page=french)  # shown only: never deflected
    rows = deflection.deflection_by(period, "week")
    assert sum(row["deflected"] for row in rows) == 2


def test_requests_after_search_and_per_answer_figures(period, answer_pair):
    french, english = answer_pair
    at = NOW - timedelta(days=2)
    suggestion("shown", "Trou devant chez moi", at=at, page=french)
    web_request("Trou devant chez moi", at=at + timedelta(minutes=10))
    web_request("Sans recherche", at=at, source_page=english)
    suggestion("shown", "Trop tard", at=at - timedelta(hours=30), page=french)
    web_request("Trop tard", at=at)
    result = deflection.deflection_totals(period)
    assert result.requests == 3
    assert result.requests_after_search == 1

    click(search_log("collecte", at=at, digest="d" * 16), french.pk)
    suggestion("answered", "Collecte du mardi", at=at, page=french)
    by_answer = {row["page_id"]: row for row in deflection.deflection_by_answer(period)}
    assert by_answer[french.pk]["deflected"] == 2
    assert by_answer[english.pk] == {
        "page_id": english.pk,
        "title": english.title,
        "deflected": 0,
        "requests": 1,
    }


def test_a_typing_session_in_the_request_form_is_logged_once(client, answer_pair):
    for typed in ("coll", "collecte", "collecte ordures", "collecte ordure"):
        assert client.post("/fr/demande/suggestions/", {"q": typed, "type": "question"}).status_code == 200
    logs = list(QueryLog.objects.filter(source="form"))
    assert len(logs) == 1 and logs[0].query.startswith("collecte ordure")
    assert not QueryLog.objects.exclude(source="form").exists()  # not counted as page searches too

    # Other words: a new search; the same words after a pause longer than the typing window too.
    client.post("/fr/demande/suggestions/", {"q": "permis piscine", "type": "question"})
    QueryLog.objects.update(created_at=timezone.now() - timedelta(seconds=TYPING_SECONDS + 5))
    client.post("/fr/demande/suggestions/", {"q": "permis piscine hors terre", "type": "question"})
    assert QueryLog.objects.filter(source="form").count() == 3


def test_page_searches_count_in_wagtails_search_terms_report(client, answer_pair):
    client.get("/fr/recherche/", {"q": "collecte ordures"})
    client.get("/fr/recherche/", {"q": "collecte ordures"})
    assert Query.get("collecte ordures").hits == 2
    assert QueryLog.objects.filter(source="page").count() == 2
