"""The staff queue: what needs attention (late, due soon, reopened, information added, with the
ombudsman), mine,
the expected date as a date, and never another department's requests under any filter."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from wagtail.models import Locale
from wagtail.users.models import UserProfile

from forms.additions import request_add_citizen_info
from forms.defaults import install_default_request_types
from forms.models import CitizenRequest, RequestType, Status
from forms.ombudsman import escalation_submit
from forms.services import request_add_note, request_assign, request_change_status, request_submit
from portal.business_days import add_business_days
from tests.factories import StaffFactory

from .conftest import VALID_DATA

pytestmark = pytest.mark.django_db

QUEUE = "requests_queue:index"
FILTERS = [
    {"attention": "late"},
    {"attention": "due_soon"},
    {"attention": "reopened"},
    {"attention": "info_added"},
    {"attention": "escalated"},
    {"mine": "true"},
]


def submit(request_type, subject, *, expected_in_days=30) -> CitizenRequest:
    citizen_request, _ = request_submit(request_type=request_type, data={**VALID_DATA, "subject": subject})
    CitizenRequest.objects.filter(pk=citizen_request.pk).update(
        expected_on=timezone.localdate() + datetime.timedelta(days=expected_in_days)
    )
    citizen_request.refresh_from_db()
    return citizen_request


def department_requests(request_type, staff) -> dict[str, CitizenRequest]:
    """One request per situation of the queue, in `request_type`'s department."""
    today = timezone.localdate()
    requests = {
        "calm": submit(request_type, "Rien d'urgent", expected_in_days=60),
        "late": submit(request_type, "En retard", expected_in_days=-3),
        "due_soon": submit(request_type, "Bientôt dû", expected_in_days=0),
        "reopened": submit(request_type, "Rouvert"),
        "info_added": submit(request_type, "Info ajoutée"),
        "answered": submit(request_type, "Info lue"),
        "mine": submit(request_type, "À moi"),
        "escalated": submit(request_type, "Chez l'ombudsman"),
    }
    CitizenRequest.objects.filter(pk=requests["due_soon"].pk).update(expected_on=add_business_days(today, 2))
    # The reopening work adds the status; the queue compares the string.
    CitizenRequest.objects.filter(pk=requests["reopened"].pk).update(status="reopened")
    for key in ("info_added", "answered"):
        request_add_note(citizen_request=requests[key], note="Précisez l'adresse.", actor=staff, public=True)
        request_add_citizen_info(citizen_request=requests[key], text="Devant le numéro 12.")
    # Staff read and answered this one after the citizen's addition.
    answered = requests["answered"]
    later = timezone.now() + datetime.timedelta(minutes=5)
    note = request_add_note(citizen_request=answered, note="Merci, c'est noté.", actor=staff, public=False)
    type(note).objects.filter(pk=note.pk).update(created_at=later)
    request_assign(citizen_request=requests["mine"], actor=staff, assignee=staff)
    escalated = requests["escalated"]
    request_change_status(citizen_request=escalated, status=Status.RESOLVED, actor=staff)
    escalation_submit(citizen_request=escalated, reason="Personne n'est venu voir.")
    return requests


@pytest.fixture
def works(db, django_user_model):
    pothole = RequestType.objects.get(slug="nid-de-poule")
    staff = StaffFactory(username="travaux", department=pothole.department, handler=True)
    return staff, department_requests(pothole, staff)


@pytest.fixture
def environment(db, django_user_model):
    missed_pickup = RequestType.objects.get(slug="collecte-manquee")
    staff = StaffFactory(username="environnement", department=missed_pickup.department, handler=True)
    return staff, department_requests(missed_pickup, staff)


def listed(client, params) -> set[str]:
    response = client.get(reverse(QUEUE), params)
    assert response.status_code == 200
    return {reference for reference in CitizenRequest.objects.values_list("reference", flat=True)} & set(
        token for token in response.text.replace("<", " ").replace(">", " ").split()
    )


@pytest.mark.parametrize("params", FILTERS, ids=[next(iter(p.values())) for p in FILTERS])
def test_each_filter_lists_the_right_requests(params, client, works):
    staff, requests = works
    client.force_login(staff)
    expected = next(iter(params.values()))
    expected = "mine" if expected == "true" else expected
    assert listed(client, params) == {requests[expected].reference}


def test_without_filter_every_request_of_the_department_is_listed(client, works):
    staff, requests = works
    client.force_login(staff)
    assert listed(client, {}) == {request.reference for request in requests.values()}


def test_badges_tell_late_due_soon_reopened_and_information_added(client, works):
    staff, _requests = works
    client.force_login(staff)
    with translation.override("en"):
        page = client.get(reverse(QUEUE), HTTP_ACCEPT_LANGUAGE="en").text
    for badge in ("Late", "Due soon", "Reopened", "Information added", "With the ombudsman"):
        assert f"{badge}\n" in page or f"{badge}<" in page or f" {badge} " in page


def test_the_expected_date_column_shows_a_date(client, works):
    staff, requests = works
    client.force_login(staff)
    page = client.get(reverse(QUEUE)).text
    calm = requests["calm"]
    with translation.override("fr"):
        assert date_format(calm.expected_on, "DATE_FORMAT") in page
    assert "Just now" not in page and "À l’instant" not in page


def test_the_queue_sorts_by_expected_date(client, works):
    staff, requests = works
    client.force_login(staff)
    page = client.get(reverse(QUEUE), {"ordering": "-expected_on"}).text
    assert page.index(requests["calm"].reference) < page.index(requests["late"].reference)
    page = client.get(reverse(QUEUE), {"ordering": "expected_on"}).text
    assert page.index(requests["late"].reference) < page.index(requests["calm"].reference)


@pytest.mark.parametrize("params", [{}, *FILTERS], ids=["all", *[next(iter(p.values())) for p in FILTERS]])
def test_another_departments_requests_never_appear(params, client, works, environment):
    _staff, works_requests = works
    outsider, environment_requests = environment
    client.force_login(outsider)
    shown = listed(client, params)
    assert shown  # the outsider finds their own
    assert not shown & {request.reference for request in works_requests.values()}
    assert shown <= {request.reference for request in environment_requests.values()}


def test_the_types_are_in_the_staff_language_with_no_query_per_row(client, works):
    staff, _requests = works
    Locale.objects.get_or_create(language_code="en")
    install_default_request_types()  # the English rows
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(staff)
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse(QUEUE))
    assert "Pothole" in page.text and "Nid-de-poule" not in page.text  # the column and the filter
    pothole = RequestType.objects.in_default_locale().get(slug="nid-de-poule")
    for number in range(12):
        submit(pothole, f"Un autre trou {number}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(QUEUE))
    assert len(many.captured_queries) == len(few.captured_queries)
