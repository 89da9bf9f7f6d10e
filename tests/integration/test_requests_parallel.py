"""50 citizens submit at the same moment on PostgreSQL: 50 requests, 50 distinct references.

Marked `postgres`: it needs a real server (row locks, unique-constraint races). The
PostgreSQL pass of `tests/run-all.sh` selects it; the SQLite pass and `make test-fast` leave
it out with `-m "not postgres"`; run on another database it fails (tests/conftest.py).
"""

import threading

import pytest

from django.db import connection

from forms import services
from forms.defaults import install_default_request_types
from forms.models import CitizenRequest, RequestType
from forms.references import format_reference
from tests.conftest import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 50


def test_fifty_parallel_submissions_give_fifty_distinct_references(monkeypatch):
    assert connection.vendor == "postgresql"
    install_default_request_types()
    request_type = RequestType.objects.in_default_locale().get(slug="nid-de-poule")
    # Every client's first draw is the same reference: the unique constraint must make all
    # but one of them draw again, under real concurrency.
    real_generate = services.generate_reference
    first_draw = threading.local()

    def colliding_generate():
        if not getattr(first_draw, "done", False):
            first_draw.done = True
            return format_reference("CAFE1234")
        return real_generate()

    monkeypatch.setattr(services, "generate_reference", colliding_generate)

    def citizen(number: int):
        services.request_submit(
            request_type=request_type,
            data={
                "subject": f"Nid-de-poule {number}",
                "description": "Un trou.",
                "address": f"{number}, rue Principale",
                "email": f"citoyen{number}@example.org",
                "consent": True,
            },
            submission_token=f"parallel-submission-{number:04d}-token",
        )

    at_once(citizen, copies=CLIENTS)
    references = list(CitizenRequest.objects.values_list("reference", flat=True))
    assert len(references) == CLIENTS
    assert len(set(references)) == CLIENTS
    assert format_reference("CAFE1234") in references  # exactly one client kept the contested one


def test_same_form_posted_twice_at_once_creates_one_request():
    assert connection.vendor == "postgresql"
    install_default_request_types()
    request_type = RequestType.objects.in_default_locale().get(slug="question")

    def double_click(_number):
        return services.request_submit(
            request_type=request_type,
            data={"subject": "Question", "description": "Texte", "phone": "418 555-0123", "consent": True},
            submission_token="same-token-double-click-0001",
        )

    results = at_once(double_click, copies=2, timeout=60)
    assert CitizenRequest.objects.count() == 1
    assert {request.pk for request, _created in results} == {CitizenRequest.objects.get().pk}
    assert sorted(created for _request, created in results) == [False, True]
