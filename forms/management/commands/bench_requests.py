"""`make bench-requests`: N submissions from C concurrent clients against a served portal on PostgreSQL.

Creates a fresh database, migrates it, serves the portal on loopback (gunicorn,
threaded workers, `portal.settings.bench`), then each client does what a browser does: GET the
form (CSRF cookie + one-time submission token), POST it, follow nothing. Prints a table.
"""

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import requests

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ROOT = Path(settings.BASE_DIR)
TOKEN_MARK = 'name="submission_token" value="'  # noqa: S105 - an HTML marker, not a secret


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


class Command(BaseCommand):
    help = "Benchmark request submissions against a served portal on PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url", default="postgres://postgres@127.0.0.1:54329/portal_bench_requests"
        )
        parser.add_argument("--submissions", type=int, default=1000)
        parser.add_argument("--clients", type=int, default=50)
        parser.add_argument("--type", default="nid-de-poule", dest="request_type")
        parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) + 1))

    def handle(self, *args, database_url, submissions, clients, request_type, workers, **options):
        if not database_url.startswith(("postgres://", "postgresql://")):
            raise CommandError("The benchmark runs on PostgreSQL: give a postgres:// URL.")
        self.recreate_database(database_url)
        env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "portal.settings.bench"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        self.stdout.write("migrating a fresh database…")
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
        port = free_port()
        subprocess.run(  # noqa: S603 - our own manage.py
            [*manage, "setup_portal", "--hostname", "127.0.0.1", "--port", str(port)],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        # gunicorn (threaded workers): what production runs; runserver's tiny listen
        # backlog drops connections under 50 concurrent clients.
        server = subprocess.Popen(  # noqa: S603 - our own WSGI application
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                "8",
                "--backlog",
                "2048",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            self.wait_until_up(f"{base}/fr/demande/")
            figures = self.run_clients(base, request_type, submissions, clients)
        finally:
            server.terminate()
            server.wait(timeout=20)
        stored, distinct = self.count(database_url)
        figures["server"] = f"gunicorn, {workers} workers x 8 threads"
        self.print_table(submissions, clients, stored, distinct, figures)
        if figures["errors"] or stored != submissions or distinct != stored:
            raise CommandError("The benchmark found errors or lost requests.")

    def recreate_database(self, url: str) -> None:
        parsed = urlparse(url)
        name = parsed.path.lstrip("/")
        admin_url = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')

    def wait_until_up(self, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise CommandError(f"The portal did not answer at {url}.")

    def run_clients(self, base: str, request_type: str, submissions: int, clients: int) -> dict:
        form_url = f"{base}/fr/demande/{request_type}/"
        local = threading.local()
        post_latencies: list[float] = []
        total_latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()

        def submit(number: int) -> None:
            session = getattr(local, "session", None)
            if session is None:
                session = local.session = requests.Session()
            started = time.perf_counter()
            try:
                page = session.get(form_url, params={"subject": f"Nid-de-poule no {number}"}, timeout=60)
                start = page.text.index(TOKEN_MARK) + len(TOKEN_MARK)
                token = page.text[start : page.text.index('"', start)]
                data = {
                    "csrfmiddlewaretoken": session.cookies.get("csrftoken"),
                    "submission_token": token,
                    "subject": f"Nid-de-poule no {number}",
                    "description": "Un trou profond dans la voie de droite.",
                    "address": f"{number}, rue Principale",
                    "email": f"citoyen{number}@example.org",
                    "consent": "on",
                    "website": "",
                }
                posted = time.perf_counter()
                response = session.post(
                    form_url, data=data, headers={"Referer": form_url}, allow_redirects=False, timeout=60
                )
                done = time.perf_counter()
                if response.status_code != 302:
                    raise RuntimeError(f"HTTP {response.status_code}")
                with lock:
                    post_latencies.append(done - posted)
                    total_latencies.append(done - started)
            except Exception as error:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(submit, range(submissions)))
        elapsed = time.perf_counter() - started
        return {"post": post_latencies, "total": total_latencies, "errors": errors, "elapsed": elapsed}

    def count(self, url: str) -> tuple[int, int]:
        with psycopg.connect(url) as connection:
            row = connection.execute(
                "SELECT count(*), count(DISTINCT reference) FROM requests_citizenrequest"
            ).fetchone()
        return row[0], row[1]

    def print_table(self, submissions, clients, stored, distinct, figures) -> None:
        post, total = figures["post"], figures["total"]
        rows = [
            ("submissions sent", f"{submissions}"),
            ("concurrent clients", f"{clients}"),
            ("server", figures["server"]),
            ("requests stored", f"{stored}"),
            ("distinct references", f"{distinct}"),
            ("errors", f"{len(figures['errors'])}"),
            ("throughput (submissions/s)", f"{submissions / figures['elapsed']:.1f}"),
            ("POST latency p50 (ms)", f"{statistics.median(post) * 1000:.0f}" if post else "—"),
            ("POST latency p95 (ms)", f"{percentile(post, 0.95) * 1000:.0f}"),
            ("GET+POST latency p95 (ms)", f"{percentile(total, 0.95) * 1000:.0f}"),
            ("wall time (s)", f"{figures['elapsed']:.1f}"),
        ]
        width = max(len(label) for label, _ in rows)
        self.stdout.write(f"{'measure'.ljust(width)} | value")
        self.stdout.write(f"{'-' * width}-|-------")
        for label, value in rows:
            self.stdout.write(f"{label.ljust(width)} | {value}")
        for error in figures["errors"][:5]:
            self.stdout.write(f"  error: {error}")
