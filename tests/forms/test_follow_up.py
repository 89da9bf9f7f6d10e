"""The follow-through of requests: late notices, new expected dates, staff digests, typical delays.

`manage.py follow_up` is run here for real, twice in a row, and (PostgreSQL pass) twice at once.
"""

import datetime
import html
import os

import pytest

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.utils import timezone, translation

from forms.defaults import install_default_request_types
from forms.follow_up import late_notices_send, reminder_digests_send
from forms.follow_up import typical_delays_refresh as typical_delays_refresh_all
from forms.models import CitizenRequest, OutgoingEmail, ReminderDigest, RequestEvent, RequestType, Status
from forms.selectors import typical_delay, typical_delay_compute
from forms.services import (
    late_extension_days,
    request_change_status,
    request_delay_reason_set,
    request_reschedule,
    request_submit,
)
from knowledge.models import ServicePage
from portal.business_days import add_business_days, business_days_between, is_business_day
from tests.conftest import at_once
from tests.factories import StaffFactory

from .conftest import VALID_DATA
from .test_emails import smtp_settings, start_server, wait_for  # noqa: F401 - smtp_settings is a fixture


def business_day(after: datetime.date, days: int = 0) -> datetime.date:
    return add_business_days(after, days)


def late_request(request_type, *, language="fr", days_late=1, **data) -> CitizenRequest:
    citizen_request, _ = request_submit(
        request_type=request_type, data={**VALID_DATA, **data}, language=language
    )
    CitizenRequest.objects.filter(pk=citizen_request.pk).update(
        expected_on=timezone.localdate() - datetime.timedelta(days=days_late)
    )
    citizen_request.refresh_from_db()
    return citizen_request


def emails(kind: str) -> list:
    return list(OutgoingEmail.objects.filter(kind=kind).order_by("pk"))


# Late notices ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_late_notice_sent_once_in_french_with_a_new_date(pothole, django_capture_on_commit_callbacks):
    citizen_request = late_request(pothole)
    missed = citizen_request.expected_on
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("follow_up", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with django_capture_on_commit_callbacks(execute=True):
        call_command("follow_up", stdout=open(os.devnull, "w"))  # noqa: SIM115

    [outgoing] = emails("late")
    assert outgoing.state == OutgoingEmail.State.SENT
    citizen_request.refresh_from_db()
    new_date = add_business_days(today, late_extension_days(pothole))
    assert late_extension_days(pothole) == (pothole.target_business_days + 1) // 2
    assert citizen_request.expected_on == new_date
    event = citizen_request.events.get(kind=RequestEvent.Kind.LATE_NOTICE)
    assert event.is_public and event.missed_on == missed and event.expected_on == new_date
    assert event in citizen_request.public_events()
    [message] = [m for m in mail.outbox if m.subject == outgoing.subject]
    assert citizen_request.reference in message.subject and "retard" in message.subject
    with translation.override("fr"):
        assert Template('{{ d|date:"DATE_FORMAT" }}').render(Context({"d": new_date})) in message.body
    assert "plus de temps que prévu" in message.body  # the default reason
    assert "/fr/suivi/" in message.body


@pytest.mark.django_db
def test_late_notice_in_english_with_the_reason_staff_gave(
    question, admin_user, django_capture_on_commit_callbacks
):
    citizen_request = late_request(question, language="en")
    request_delay_reason_set(
        citizen_request=citizen_request, reason="Waiting for a part from the supplier.", actor=admin_user
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("follow_up", stdout=open(os.devnull, "w"))  # noqa: SIM115
    [outgoing] = emails("late")
    assert outgoing.subject == f"Your request {citizen_request.reference} is late: new expected date"
    assert "Waiting for a part from the supplier." in outgoing.body
    assert "New expected date:" in outgoing.body and "/en/status/" in outgoing.body
    assert citizen_request.events.get(kind=RequestEvent.Kind.LATE_NOTICE).note == (
        "Waiting for a part from the supplier."
    )


@pytest.mark.django_db
def test_a_new_missed_date_sends_a_new_notice_and_finished_requests_none(pothole, admin_user):
    citizen_request = late_request(pothole)
    finished = late_request(pothole, email="autre@example.org")
    request_change_status(citizen_request=finished, status=Status.RESOLVED, actor=admin_user)
    today = timezone.localdate()
    assert late_notices_send(today=today) == 1
    assert late_notices_send(today=today) == 0
    citizen_request.refresh_from_db()
    first_new_date = citizen_request.expected_on
    later = first_new_date + datetime.timedelta(days=1)
    assert late_notices_send(today=later) == 1
    assert late_notices_send(today=later) == 0
    notices = citizen_request.events.filter(kind=RequestEvent.Kind.LATE_NOTICE).order_by("pk")
    assert [n.missed_on for n in notices][1] == first_new_date
    assert len(emails("late")) == 2
    assert not finished.events.filter(kind=RequestEvent.Kind.LATE_NOTICE).exists()


# New expected date set by staff --------------------------------------------------------------


@pytest.mark.django_db
def test_staff_reschedule_tells_the_citizen(question, admin_user, django_capture_on_commit_callbacks):
    citizen_request, _ = request_submit(request_type=question, data=VALID_DATA, language="fr")
    new_date = business_day(timezone.localdate(), 30)
    with django_capture_on_commit_callbacks(execute=True):
        event = request_reschedule(
            citizen_request=citizen_request,
            expected_on=new_date,
            reason="Analyse juridique requise.",
            actor=admin_user,
        )
    assert event.is_public and event.expected_on == new_date and event.note == "Analyse juridique requise."
    citizen_request.refresh_from_db()
    assert citizen_request.expected_on == new_date
    message = mail.outbox[-1]
    assert message.subject == f"Nouvelle date prévue pour votre demande {citizen_request.reference}"
    assert "Analyse juridique requise." in message.body


@pytest.mark.django_db
def test_reschedule_from_the_handle_view(
    client, django_user_model, pothole, django_capture_on_commit_callbacks
):
    citizen_request, _ = request_submit(request_type=pothole, data=VALID_DATA)
    handler = StaffFactory(username="resp", department=citizen_request.department, handler=True)
    client.force_login(handler)
    url = f"/admin/requests_queue/edit/{citizen_request.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="expected_on"' in page.text and "data-typical-delay" in page.text
    new_date = business_day(timezone.localdate(), 25)
    # A new date without a reason is refused: the citizen must be told why.
    assert client.post(url, {"expected_on": new_date.isoformat()}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"expected_on": new_date.isoformat(), "delay_reason": "Gel au sol."})
    assert response.status_code == 302
    citizen_request.refresh_from_db()
    assert citizen_request.expected_on == new_date and citizen_request.delay_reason == "Gel au sol."
    assert citizen_request.events.get(kind=RequestEvent.Kind.RESCHEDULED).actor == handler
    assert [e.kind for e in OutgoingEmail.objects.order_by("pk")] == ["receipt", "rescheduled"]


# Staff reminder digest -----------------------------------------------------------------------


@pytest.mark.django_db
def test_digest_one_per_department_per_day_with_the_right_requests(
    pothole, question, django_user_model, admin_user, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    while not is_business_day(today):
        today += datetime.timedelta(days=1)
    roads = StaffFactory(username="voirie", department=pothole.department)
    roads.email = "voirie@ville.example"
    roads.save()

    def make(request_type, expected_on, status=None):
        citizen_request, _ = request_submit(request_type=request_type, data=VALID_DATA)
        if status:
            request_change_status(citizen_request=citizen_request, status=status, actor=admin_user)
        CitizenRequest.objects.filter(pk=citizen_request.pk).update(expected_on=expected_on)
        return CitizenRequest.objects.get(pk=citizen_request.pk)

    due_soon = make(pothole, business_day(today, 2))
    late = make(pothole, today - datetime.timedelta(days=3))
    far = make(pothole, business_day(today, 10))
    resolved_late = make(pothole, today - datetime.timedelta(days=3), status=Status.RESOLVED)
    other_department = make(question, today - datetime.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        sent = reminder_digests_send(today=today)
    assert sent == ReminderDigest.objects.filter(sent_on=today).count() >= 1
    assert reminder_digests_send(today=today) == 0  # once a day
    assert ReminderDigest.objects.filter(sent_on=today, department=pothole.department).count() == 1
    [digest] = [e for e in emails("reminder_digest") if e.to == "voirie@ville.example"]
    assert digest.request is None
    for listed in (due_soon, late):
        assert listed.reference in digest.body
    for absent in (far, resolved_late):
        assert absent.reference not in digest.body
    if question.department_id != pothole.department_id:
        assert other_department.reference not in digest.body
    assert "EN RETARD" in digest.body and "en retard : 2 (" in digest.subject
    assert f"/admin/requests_queue/edit/{late.pk}/" in digest.body
    # The next day, another digest.
    tomorrow = business_day(today, 1)
    assert reminder_digests_send(today=tomorrow) >= 1
    # Nothing on a Sunday.
    sunday = today + datetime.timedelta(days=(6 - today.weekday()) % 7)
    assert reminder_digests_send(today=sunday) == 0


@pytest.mark.django_db
def test_a_late_request_stays_in_the_digest_after_its_late_notice(pothole, django_user_model):
    today = timezone.localdate()
    while not is_business_day(today):
        today += datetime.timedelta(days=1)
    user = StaffFactory(username="voirie", department=pothole.department)
    user.email = "voirie@ville.example"
    user.save()
    citizen_request = late_request(pothole)
    pothole.target_business_days = 20
    pothole.save()
    assert late_notices_send(today=today) == 1  # its new date is 10 business days away
    assert reminder_digests_send(today=today) == 1
    [digest] = emails("reminder_digest")
    assert citizen_request.reference in digest.body and "EN RETARD" in digest.body


# Typical delays ------------------------------------------------------------------------------


def resolved_requests(request_type, spans: list[int]) -> None:
    """Requests resolved after the given number of business days, in the last few months."""
    start = timezone.localdate() - datetime.timedelta(days=120)
    for number, span in enumerate(spans):
        citizen_request, _ = request_submit(
            request_type=request_type, data={**VALID_DATA, "email": f"c{number}@example.org"}
        )
        submitted = start + datetime.timedelta(days=number % 3)
        resolved = add_business_days(submitted, span)
        noon = datetime.time(12, 0)
        CitizenRequest.objects.filter(pk=citizen_request.pk).update(
            status=Status.RESOLVED,
            submitted_at=timezone.make_aware(datetime.datetime.combine(submitted, noon)),
            resolved_at=timezone.make_aware(datetime.datetime.combine(resolved, noon)),
        )


def test_business_days_between_is_the_inverse_of_add_business_days():
    start = datetime.date(2026, 6, 19)  # before the Fête nationale and Canada Day
    for days in range(0, 40):
        assert business_days_between(start, add_business_days(start, days)) == days


@pytest.mark.django_db
def test_typical_delay_median_and_90th_percentile(pothole, django_assert_max_num_queries):
    resolved_requests(pothole, list(range(1, 22)))  # 1..21 business days
    with django_assert_max_num_queries(1):
        delay = typical_delay_compute(pothole)
    assert (delay.median, delay.p90, delay.count) == (11, 19, 21)
    # Cached for every worker: the second read makes no query.
    assert typical_delay(pothole) == delay
    with django_assert_max_num_queries(0):
        assert typical_delay(pothole) == delay
    with translation.override("fr"):
        text = Template("{% load requests_tags %}{% typical_delay_sentence 'nid-de-poule' %}").render(
            Context()
        )
    assert (
        text == "La plupart des demandes de ce type sont réglées en 11 jours ouvrables; 9 sur 10 en 19 jours."
    )
    with translation.override("en"):
        text = Template(
            "{% load requests_tags %}{% typical_delay request_type as d %}{{ d.median }}/{{ d.p90 }}"
        ).render(Context({"request_type": pothole}))
    assert text == "11/19"


@pytest.mark.django_db
def test_typical_delay_falls_back_to_the_target_below_twenty(pothole):
    resolved_requests(pothole, [3] * 19)
    assert typical_delay_compute(pothole) is None
    assert typical_delay(pothole) is None
    with translation.override("en"):
        text = Template("{% load requests_tags %}{% typical_delay_sentence t %}").render(
            Context({"t": pothole})
        )
    assert text == f"Target: {pothole.target_business_days} business days."
    # Old resolutions (more than 12 months) do not count.
    resolved_requests(pothole, [3])
    CitizenRequest.objects.filter(resolved_at__isnull=False).order_by("-pk").first()
    assert typical_delay_compute(pothole) is not None
    CitizenRequest.objects.filter(pk=CitizenRequest.objects.order_by("-pk").first().pk).update(
        resolved_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert typical_delay_compute(pothole) is None


@pytest.mark.django_db
def test_resolving_records_resolved_at(question, admin_user):
    citizen_request, _ = request_submit(request_type=question, data=VALID_DATA)
    request_change_status(citizen_request=citizen_request, status=Status.RESOLVED, actor=admin_user)
    citizen_request.refresh_from_db()
    assert citizen_request.resolved_at == citizen_request.status_changed_at


# A real SMTP server ------------------------------------------------------------------------


@pytest.mark.django_db
def test_late_notice_through_a_real_smtp_server(smtp_settings, pothole, django_capture_on_commit_callbacks):  # noqa: F811
    citizen_request = late_request(pothole)
    controller, handler = start_server(smtp_settings.EMAIL_PORT)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            late_notices_send()
        assert wait_for(lambda: handler.messages)
    finally:
        controller.stop()
    [message] = handler.messages
    assert message["To"] == VALID_DATA["email"]
    assert citizen_request.reference in message["Subject"]
    assert "Nouvelle date prévue" in message.get_payload(decode=True).decode("utf-8")
    assert emails("late")[0].state == OutgoingEmail.State.SENT


# Two copies at once (PostgreSQL) -----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_follow_up_copies_at_once_send_each_email_once(transactional_db, django_user_model):
    assert connection.vendor == "postgresql"
    install_default_request_types()
    pothole = RequestType.objects.get(slug="nid-de-poule")
    user = StaffFactory(username="voirie", department=pothole.department)
    user.email = "voirie@ville.example"
    user.save()
    late = [late_request(pothole, email=f"c{n}@example.org") for n in range(30)]
    OutgoingEmail.objects.all().delete()
    today = timezone.localdate()
    while not is_business_day(today):
        today += datetime.timedelta(days=1)

    def copy(_number):
        late_notices_send(today=today)
        reminder_digests_send(today=today)
        call_command("follow_up", stdout=open(os.devnull, "w"))  # noqa: SIM115

    at_once(copy, copies=2)
    assert RequestEvent.objects.filter(kind=RequestEvent.Kind.LATE_NOTICE).count() == len(late)
    late_emails = emails("late")
    assert len(late_emails) == len(late)
    assert len({e.request_id for e in late_emails}) == len(late)
    assert all(e.state == OutgoingEmail.State.SENT for e in late_emails)
    assert ReminderDigest.objects.filter(sent_on=today).count() == 1
    assert len(emails("reminder_digest")) == 1


@pytest.mark.django_db
def test_the_request_form_says_how_long_requests_of_its_type_take(client, portal, pothole):
    step_two = client.post(f"/fr/demande/{pothole.slug}/", {"step": "describe", "subject": "Un trou"})
    assert f"Cible : {pothole.target_business_days} jours ouvrables." in step_two.text


@pytest.mark.django_db
def test_the_status_page_and_the_service_page_show_the_typical_delay(client, pothole, service_page):
    resolved_requests(pothole, list(range(1, 22)))
    typical_delays_refresh_all()
    citizen_request, _ = request_submit(request_type=pothole, data=VALID_DATA)
    sentence = "La plupart des demandes de ce type sont réglées en 11 jours ouvrables; 9 sur 10 en 19 jours."
    page = client.get(f"/fr/suivi/?reference={citizen_request.reference}")
    assert sentence in html.unescape(page.content.decode())  # by reference alone: nothing personal
    ServicePage.objects.filter(pk=service_page.pk).update(request_type="nid-de-poule")
    page = client.get(service_page.url)
    assert sentence in html.unescape(page.content.decode())
