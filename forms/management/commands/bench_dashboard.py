"""`make bench-dashboard`: the staff dashboard at 100,000 requests and 1,000,000 logged searches.

Creates a throwaway PostgreSQL database, migrates it and sets up the portal, then (in a child
process on that database) fills it at COPY speed: requests over 12 months with their late
notices, reopenings, survey answers and ombudsman reviews; searches from the page, the request
form and the API with their clicks; the form's suggestion events. Then it times, through
Django's test client (the whole middleware stack), the dashboard page (12 months and 90 days,
every department, as a superuser) with its figures computed (the shared cache emptied before
each run) and from the cache, one CSV export and « Nos délais » computed from scratch, against
a bare Django view answering a page of the same size, and prints the ratio.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ROOT = Path(settings.BASE_DIR)


class Command(BaseCommand):
    help = "Benchmark the staff dashboard at 100,000 requests and 1,000,000 searches (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url", default="postgres://postgres@127.0.0.1:54329/portal_bench_dashboard"
        )
        parser.add_argument("--requests", type=int, default=100_000)
        parser.add_argument("--searches", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument(
            "--child", action="store_true", help="(internal) fill and time, in the bench database"
        )

    def handle(self, *args, database_url, requests, searches, runs, child, **options):
        if child:
            return self.fill_and_time(requests=requests, searches=searches, runs=runs)
        if not database_url.startswith(("postgres://", "postgresql://")):
            raise CommandError("The benchmark runs on PostgreSQL: give a postgres:// URL.")
        self.recreate_database(database_url)
        env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "portal.settings.bench"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        started = time.perf_counter()
        self.stdout.write("migrating a fresh database…")
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
        subprocess.run(  # noqa: S603 - our own manage.py
            [*manage, "setup_portal", "--hostname", "127.0.0.1", "--port", "8000"],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        self.stdout.write(f"ready in {time.perf_counter() - started:.0f} s")
        subprocess.run(  # noqa: S603
            [
                *manage,
                "bench_dashboard",
                "--child",
                "--requests",
                str(requests),
                "--searches",
                str(searches),
                "--runs",
                str(runs),
            ],
            env=env,
            check=True,
            cwd=ROOT,
        )
        self.stdout.write(f"total {time.perf_counter() - started:.0f} s")

    def recreate_database(self, url: str) -> None:
        import psycopg

        parsed = urlparse(url)
        name = parsed.path.lstrip("/")
        admin_url = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')

    # In the bench database ---------------------------------------------------------------------

    def fill_and_time(self, *, requests: int, searches: int, runs: int) -> None:
        started = time.perf_counter()
        fill(requests=requests, searches=searches)
        self.stdout.write(
            f"filled {requests:,} requests and {searches:,} searches in {time.perf_counter() - started:.0f} s"
        )
        self.time_pages(runs=runs)

    def time_pages(self, *, runs: int) -> None:
        from django.contrib.auth import get_user_model
        from django.core.cache import cache
        from django.db import connection, reset_queries
        from django.http import HttpResponse
        from django.test import Client
        from django.test.utils import override_settings
        from django.urls import clear_url_caches, path

        from forms.dashboard.public import public_delays_compute

        user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-password-long")
        size = {"bytes": 0}

        def bare(request):
            return HttpResponse(b"x" * size["bytes"])

        module = type(sys)("bench_dashboard_urls")
        from importlib import import_module

        module.urlpatterns = [path("bare/", bare), *import_module(settings.ROOT_URLCONF).urlpatterns]
        sys.modules[module.__name__] = module

        def timed(client, url, count, *, cold=True):
            timings, statuses = [], set()
            for _ in range(count):
                if cold:
                    cache.clear()  # the dashboard keeps its figures 5 minutes: time computing them
                began = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - began) * 1000)
                statuses.add(response.status_code)
            return statuses, timings, response

        results = []
        with override_settings(ROOT_URLCONF=module.__name__, ALLOWED_HOSTS=["*"], DEBUG=False):
            clear_url_caches()
            client = Client()
            client.force_login(user)
            for label, url, cold in (
                ("dashboard, 12 months", "/admin/requests/dashboard/?period=365", True),
                ("dashboard, 90 days", "/admin/requests/dashboard/?period=90", True),
                ("dashboard, 12 months, figures cached", "/admin/requests/dashboard/?period=365", False),
                (
                    "CSV: delays by department (uncached)",
                    "/admin/requests/dashboard/?period=365&csv=delays",
                    True,
                ),
            ):
                client.get(url)  # warm: templates, menus, the planner's statistics
                statuses, timings, response = timed(client, url, runs, cold=cold)
                if statuses != {200}:
                    raise CommandError(f"{url} answered {statuses}")
                size["bytes"] = max(size["bytes"], len(response.content))
                results.append((label, statistics.median(timings), max(timings)))
            with override_settings(DEBUG=True):
                cache.clear()
                reset_queries()
                client.get("/admin/requests/dashboard/?period=365")
                queries = len(connection.queries)
            client.get("/bare/")
            bare_statuses, bare_timings, bare_response = timed(client, "/bare/", max(20, runs), cold=False)
            if bare_statuses != {200} or len(bare_response.content) != size["bytes"]:
                raise CommandError(f"The bare view answered {bare_statuses}")
            bare_ms = statistics.median(bare_timings)
            delays = []
            for _ in range(runs):
                cache.clear()
                began = time.perf_counter()
                public_delays_compute()
                delays.append((time.perf_counter() - began) * 1000)
        clear_url_caches()
        self.stdout.write("")
        self.stdout.write(f"{'page':<40} {'median ms':>10} {'max ms':>10} {'× bare view':>12}")
        for label, median, worst in results:
            self.stdout.write(f"{label:<40} {median:>10.0f} {worst:>10.0f} {median / bare_ms:>12.0f}")
        delays_label = "« Nos délais » figures (uncached)"
        self.stdout.write(f"{delays_label:<40} {statistics.median(delays):>10.0f} {max(delays):>10.0f}")
        self.stdout.write(f"{'bare Django view, same size':<40} {bare_ms:>10.1f}")
        self.stdout.write(f"SQL queries for the 12-month dashboard page: {queries}")


def fill(*, requests: int, searches: int) -> None:
    """Rows written with PostgreSQL's COPY (ids given, sequences moved after)."""
    from django.db import connection
    from django.utils import timezone

    from wagtail.models import Page

    from forms.models import (
        OPEN_STATUSES,
        CitizenRequest,
        Escalation,
        RequestEvent,
        RequestType,
        Status,
        SuggestionEvent,
        SurveyAnswer,
    )
    from search.models import ClickLog, QueryLog

    rng = random.Random(14)  # noqa: S311 - reproducible made-up data, not a secret
    now = timezone.now()
    types = list(
        RequestType.objects.in_default_locale().values_list("pk", "department_id", "target_business_days")
    )
    words = [
        "collecte",
        "ordures",
        "recyclage",
        "nid",
        "poule",
        "permis",
        "piscine",
        "taxes",
        "bruit",
        "deneigement",
        "lampadaire",
        "stationnement",
        "bac",
        "brun",
        "arbre",
        "parc",
        "eau",
        "fuite",
        "compte",
        "inscription",
    ]
    phrases = [
        " ".join(rng.sample(words, rng.randint(1, 3))) + (f" {n}" if n % 3 else "") for n in range(5000)
    ]

    request_rows, event_rows, survey_rows, escalation_rows = [], [], [], []
    event_id = 0
    open_statuses = [str(status) for status in OPEN_STATUSES]
    submitted_times = {}
    for pk in range(1, requests + 1):
        type_id, department_id, target = types[pk % len(types)]
        submitted = now - timedelta(seconds=rng.uniform(0, 365 * 86400))
        submitted_times[pk] = submitted
        delay_days = rng.choice([0, 1, 1, 2, 3, 3, 4, 5, 7, 9, 12, 20])
        resolved = submitted + timedelta(days=delay_days, hours=rng.uniform(0, 8))
        if resolved < now and rng.random() < 0.85:
            status, resolved_at = rng.choice([Status.RESOLVED, Status.CLOSED]), resolved
        else:
            status, resolved_at = rng.choice(open_statuses), None
        expected = (submitted + timedelta(days=target * 7 // 5)).date()
        reopen = 1 if resolved_at and rng.random() < 0.02 else 0
        request_rows.append(
            {
                "id": pk,
                "reference": f"BENCH-{pk:08d}",
                "request_type_id": type_id,
                "department_id": department_id,
                "department_since": submitted,
                "status": str(status),
                "status_changed_at": resolved_at or submitted,
                "channel": "web",
                "language": "fr",
                "subject": f"{phrases[pk % len(phrases)]} {pk}",  # citizens' subjects are varied
                "description": "Demande du banc d'essai.",
                "submitted_at": submitted,
                "expected_on": expected,
                "resolved_at": resolved_at,
                "reopen_count": reopen,
            }
        )
        if (resolved_at is None and expected < now.date()) or rng.random() < 0.03:
            event_id += 1
            event_rows.append(
                {
                    "id": event_id,
                    "request_id": pk,
                    "kind": RequestEvent.Kind.LATE_NOTICE,
                    "created_at": submitted + timedelta(days=target * 7 // 5 + 1),
                    "missed_on": expected,
                    "is_public": True,
                }
            )
        if reopen:
            event_id += 1
            event_rows.append(
                {
                    "id": event_id,
                    "request_id": pk,
                    "kind": RequestEvent.Kind.STATUS,
                    "from_status": Status.RESOLVED,
                    "to_status": Status.REOPENED,
                    "created_at": resolved_at + timedelta(days=2),
                    "is_public": True,
                }
            )
        if resolved_at and rng.random() < 0.2:
            survey_rows.append(
                {
                    "id": len(survey_rows) + 1,
                    "request_id": pk,
                    "resolved": rng.choice(["yes", "yes", "yes", "partly", "no"]),
                    "delay_score": rng.randint(1, 5),
                    "clarity_score": rng.randint(2, 5),
                    "courtesy_score": rng.randint(3, 5),
                    "answered_at": resolved_at + timedelta(days=1),
                }
            )
        if resolved_at and rng.random() < 0.005:
            escalation_rows.append(
                {
                    "id": len(escalation_rows) + 1,
                    "request_id": pk,
                    "reference": f"OMB-BENCH-{pk:08d}",
                    "reason": "Banc d'essai.",
                    "submitted_at": resolved_at + timedelta(days=3),
                    "expected_on": (resolved_at + timedelta(days=30)).date(),
                }
            )
    copy_rows(connection, CitizenRequest, request_rows)
    copy_rows(connection, RequestEvent, event_rows)
    copy_rows(connection, SurveyAnswer, survey_rows)
    copy_rows(connection, Escalation, escalation_rows)
    del request_rows, event_rows, survey_rows, escalation_rows

    page_ids = list(Page.objects.values_list("pk", flat=True))
    sources = ["page"] * 55 + ["form"] * 35 + ["api"] * 10
    log_rows, click_rows = [], []
    for pk in range(1, searches + 1):
        at = now - timedelta(seconds=rng.uniform(0, 365 * 86400))
        source = rng.choice(sources)
        results = 0 if rng.random() < 0.15 else rng.randint(1, 30)
        log_rows.append(
            {
                "id": pk,
                "created_at": at,
                "query": phrases[rng.randrange(len(phrases))],
                "language": "fr",
                "results_count": results,
                "engine": "database",
                "duration_ms": rng.uniform(2, 40),
                "session_digest": f"{rng.randrange(400_000):016x}" if rng.random() < 0.6 else "",
                "source": source,
            }
        )
        if source != "form" and results and rng.random() < 0.3:
            click_rows.append(
                {
                    "id": len(click_rows) + 1,
                    "created_at": at + timedelta(seconds=20),
                    "query_log_id": pk,
                    "page_id": rng.choice(page_ids),
                    "position": rng.randint(1, 5),
                }
            )
        if len(log_rows) >= 200_000:
            copy_rows(connection, QueryLog, log_rows)
            log_rows = []
    copy_rows(connection, QueryLog, log_rows)
    copy_rows(connection, ClickLog, click_rows)
    suggestion_rows = []
    kinds = ["shown"] * 6 + ["clicked"] * 3 + ["answered"]
    for pk in range(1, searches // 10 + 1):
        # Half are the describe step of a request that was then submitted (its subject, minutes
        # before); the others, citizens who read an answer instead.
        if rng.random() < 0.5 and submitted_times:
            request_pk = rng.randint(1, requests)
            query = f"{phrases[request_pk % len(phrases)]} {request_pk}"
            at = submitted_times[request_pk] - timedelta(minutes=rng.uniform(1, 30))
        else:
            query = f"{phrases[rng.randrange(len(phrases))]} x{pk}"
            at = now - timedelta(seconds=rng.uniform(0, 365 * 86400))
        suggestion_rows.append(
            {
                "id": pk,
                "kind": rng.choice(kinds),
                "query": query,
                "page_id": rng.choice(page_ids),
                "language": "fr",
                "created_at": at,
            }
        )
    copy_rows(connection, SuggestionEvent, suggestion_rows)
    with connection.cursor() as cursor:
        for model in (
            CitizenRequest,
            RequestEvent,
            SurveyAnswer,
            Escalation,
            QueryLog,
            ClickLog,
            SuggestionEvent,
        ):
            table = model._meta.db_table
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
            cursor.execute(sql)
        cursor.execute("ANALYZE")


def copy_rows(connection, model, rows: list[dict]) -> None:
    """COPY `rows` into `model`'s table; columns left out get the field's default (or NULL)."""
    if not rows:
        return
    fields = [field for field in model._meta.concrete_fields]
    defaults = {}
    for field in fields:
        name = field.attname
        if field.has_default():
            defaults[name] = field.get_default()
        elif field.null:
            defaults[name] = None
        else:
            defaults[name] = (
                ""
                if field.get_internal_type() in ("CharField", "TextField", "EmailField", "SlugField")
                else None
            )
    columns = ", ".join(f'"{field.column}"' for field in fields)
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:  # noqa: S608
            for row in rows:
                copy.write_row([row.get(field.attname, defaults[field.attname]) for field in fields])
