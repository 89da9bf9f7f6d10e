"""50 citizens submit at the same moment on PostgreSQL: 50 requests, 50 distinct references.

Marked `postgres`: it needs a real server (row locks, unique-constraint races). The
PostgreSQL pass of `tests/run-all.sh` runs it; on SQLite it reports itself as skipped
with the reason (select it with `-m postgres` and a PostgreSQL DATABASE_URL).
"""

import os
import threading

import pytest

from django.db import connection, connections

from forms import services
from forms.defaults import install_default_request_types
from forms.models import CitizenRequest, RequestType
from forms.references import format_reference

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not ON_POSTGRES, reason="needs PostgreSQL: runs in the PostgreSQL pass (DATABASE_URL=postgres://…)"
    ),
]

CLIENTS = 50


def test_fifty_parallel_submissions_give_fifty_distinct_references(monkeypatch):
    assert connection.vendor == "postgresql"
    install_default_request_types()
    request_type = RequestType.objects.get(slug="nid-de-poule")
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
    barrier = threading.Barrier(CLIENTS)
    errors: list[BaseException] = []

    def citizen(number: int):
        try:
            barrier.wait(timeout=30)
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
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=citizen, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    references = list(CitizenRequest.objects.values_list("reference", flat=True))
    assert len(references) == CLIENTS
    assert len(set(references)) == CLIENTS
    assert format_reference("CAFE1234") in references  # exactly one client kept the contested one


def test_same_form_posted_twice_at_once_creates_one_request():
    assert connection.vendor == "postgresql"
    install_default_request_types()
    request_type = RequestType.objects.get(slug="question")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def double_click():
        try:
            barrier.wait(timeout=30)
            results.append(
                services.request_submit(
                    request_type=request_type,
                    data={
                        "subject": "Question",
                        "description": "Texte",
                        "phone": "418 555-0123",
                        "consent": True,
                    },
                    submission_token="same-token-double-click-0001",
                )
            )
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=double_click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert CitizenRequest.objects.count() == 1
    assert {request.pk for request, _created in results} == {CitizenRequest.objects.get().pk}
    assert sorted(created for _request, created in results) == [False, True]
