"""The demo history of `make run`: a year of requests, marked as demo, that never e-mail anyone."""

import datetime

import pytest

from django.core import mail
from django.utils import timezone

from forms.demo import DEMO_EMAIL_DOMAIN, DEMO_TOKEN_PREFIX, demo_history_create, demo_requests
from forms.follow_up import late_notices_send
from forms.models import OPEN_STATUSES, OutgoingEmail, RequestEvent, RequestType, Status
from forms.selectors import typical_delay

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = demo_history_create(300)
    return created


def test_a_year_of_demo_requests_marked_as_demo(demo):
    assert demo == 300 and demo_requests().count() == 300
    assert all(
        token.startswith(DEMO_TOKEN_PREFIX)
        for token in demo_requests().values_list("submission_token", flat=True)
    )
    assert all(
        email.endswith(f"@{DEMO_EMAIL_DOMAIN}") for email in demo_requests().values_list("email", flat=True)
    )
    year_ago = timezone.now() - datetime.timedelta(days=366)
    assert not demo_requests().filter(submitted_at__lt=year_ago).exists()
    assert (
        demo_requests().filter(submitted_at__lt=timezone.now() - datetime.timedelta(days=180)).count() > 100
    )
    assert demo_requests().values("department").distinct().count() >= 3
    assert demo_requests().values("request_type").distinct().count() >= 5


def test_the_history_is_realistic(demo):
    events = RequestEvent.objects.filter(request__in=demo_requests())
    assert demo_requests().filter(status=Status.RESOLVED).count() > 100
    assert demo_requests().filter(status__in=OPEN_STATUSES).count() >= 10
    assert events.filter(kind=RequestEvent.Kind.LATE_NOTICE).exists()
    assert events.filter(kind=RequestEvent.Kind.CITIZEN_INFO).exists()
    assert demo_requests().filter(status=Status.WAITING).exists()
    # Backdated: the timeline follows the submission, and nothing is in the future.
    assert not events.filter(created_at__gt=timezone.now()).exists()
    for citizen_request in demo_requests().filter(resolved_at__isnull=False)[:50]:
        assert (
            citizen_request.submitted_at <= citizen_request.resolved_at <= citizen_request.status_changed_at
        )


def test_no_email_is_sent_or_left_pending(demo):
    assert mail.outbox == []
    emails = OutgoingEmail.objects.filter(request__in=demo_requests())
    assert not emails.exclude(state=OutgoingEmail.State.SENT).exists()
    assert all(to.endswith(f"@{DEMO_EMAIL_DOMAIN}") for to in emails.values_list("to", flat=True))
    # No open demo request is past its date: the follow_up of `make run` has no late notice to send.
    assert late_notices_send() == 0


def test_typical_delays_are_published(demo):
    assert typical_delay(RequestType.objects.get(slug="nid-de-poule")) is not None


def test_a_second_call_does_nothing(demo):
    assert demo_history_create(300) == 0
    assert demo_requests().count() == 300


def test_demo_has_survey_answers_and_reopened_requests(demo):
    from forms.models import SurveyAnswer

    demo = demo_requests()
    answers = SurveyAnswer.objects.filter(request__in=demo)
    assert answers.count() >= 30
    assert answers.filter(resolved="yes").count() > answers.exclude(resolved="yes").count()
    reopened = demo.filter(status="reopened")
    assert reopened.exists() and all(r.reopen_count == 1 for r in reopened)
    assert not OutgoingEmail.objects.filter(request__in=demo).exclude(state="sent").exists()


def test_demo_has_a_few_reviews_by_the_ombudsman(demo):
    from forms.models import Escalation

    reviews = Escalation.objects.filter(request__in=demo_requests())
    assert 1 <= reviews.count() <= 3
    assert reviews.exclude(conclusion="").count() == 1
