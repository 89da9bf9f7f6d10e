"""`make bench-load`: the portal under wrk, beside a bare Django view of the same size, in one run.

Serves the portal with `portal.settings.production` on gunicorn (PostgreSQL, Redis, demo
content in a database of its own) and, on the same gunicorn settings, `portal.bench.bare`:
a minimal Django WSGI app whose one view returns as many bytes as the portal's pages. wrk
drives both with the same scripts (portal/bench/wrk/); each line prints requests/s, p50 and
p95 latency, errors and the ratio to the bare view, with its target and PASS or GAP.

Lines (20 clients, a warm-up before each measured run): bare view, home, an answer page, a
topic page, search (50 queries; cold: each query once right after the shared cache is
emptied, warm: the same queries again), request submission (step-2 form page + POST, each
request checked in the database). Then 200 clients for 60 s on a mix of those pages, and
the bare view again to see whether the machine's speed drifted during the run.
"""

import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse

import psycopg
import redis
import requests

from django.conf import settings
from django.core import signing
from django.core.management.base import BaseCommand, CommandError

from portal.bench.queries import QUERIES
from portal.bench.wrkrun import WrkError, WrkResult, finish_wrk, percentile, run_wrk, start_wrk

ROOT = Path(settings.BASE_DIR)
SETTINGS_MODULE = "portal.settings.production"
CACHE_PREFIX = "bench-load"
HOST = "127.0.0.1"
# The portal runs behind a TLS proxy in production: without this header every answer is a redirect.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# Targets: ratio of requests/s to the bare view's, both at the same number of clients.
CACHED_PAGE_RATIO = 0.5
SEARCH_WARM_RATIO = 0.2
SEARCH_COLD_RATIO = 0.05
SUBMISSION_RATIO = 0.05
MIX_P95_MS = 1000
# Share of the mix's clients on the cached pages (home, answers, topics); the rest search.
MIX_PAGE_SHARE = 0.8
# The two bare runs differing by more than this: the machine's speed changed during the run.
DRIFT_WARNING = 0.15


@dataclass
class Line:
    """One line of the table."""

    key: str
    label: str
    clients: int
    result: WrkResult
    rate: float  # requests/s (submissions/s for the submission line)
    p50_ms: float
    p95_ms: float
    errors: int
    target: str = "—"
    passed: bool | None = None  # None: no target
    ratio: float | None = None
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "clients": self.clients,
            "rate": round(self.rate, 2),
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "errors": self.errors,
            "ratio_to_bare": None if self.ratio is None else round(self.ratio, 4),
            "target": self.target,
            "result": {None: None, True: "PASS", False: "GAP"}[self.passed],
            "wrk": self.result.as_dict(),
            **self.extra,
        }


class Gunicorn:
    """A gunicorn master started by the benchmark, in a session of its own, stopped by its id."""

    def __init__(self, name: str, app: str, port: int, env: dict, workers: int, threads: int, tmp: Path):
        self.name, self.app, self.port, self.env = name, app, port, env
        self.workers, self.threads = workers, threads
        self.pid_file = tmp / f"bench-load-{name}.pid"
        self.log_file = tmp / f"bench-load-{name}.log"
        self.process: subprocess.Popen | None = None

    @property
    def description(self) -> str:
        return f"gunicorn gthread, {self.workers} workers x {self.threads} threads"

    def start(self) -> None:
        log = self.log_file.open("w")
        self.process = subprocess.Popen(  # noqa: S603 - our own WSGI applications
            [
                str(Path(sys.executable).with_name("gunicorn")),
                self.app,
                "--worker-class",
                "gthread",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--bind",
                f"{HOST}:{self.port}",
                # 200 clients connect at once: the default backlog of 2048 is kept explicit.
                "--backlog",
                "2048",
                "--pid",
                str(self.pid_file),
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()

    def wait_until_up(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://{HOST}:{self.port}{path}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CommandError(f"{self.name} exited; see {self.log_file}:\n{self.log_tail()}")
            try:
                requests.get(url, headers=PROXY_HEADERS, timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.3)
        raise CommandError(f"{self.name} did not answer at {url}; see {self.log_file}")

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # the master stops its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the session we started for it
            self.process.wait(timeout=10)


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def closed_port() -> int:
    """A port where nothing listens (e-mails are only queued, but the setting is required)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def ms(seconds: float) -> float:
    return seconds * 1000


class Command(BaseCommand):
    help = "Load benchmark: the portal (production settings, gunicorn) vs a bare Django view, driven by wrk."

    def add_arguments(self, parser):
        parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:54329/portal_bench_load")
        parser.add_argument("--redis-url", default="redis://127.0.0.1:63799/0")
        parser.add_argument("--port", type=int, default=8301, help="the portal's port")
        parser.add_argument("--bare-port", type=int, default=8302, help="the bare view's port")
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--clients", type=int, default=20)
        parser.add_argument("--duration", type=float, default=15, help="seconds per measured run")
        parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up before each run")
        parser.add_argument("--mix-clients", type=int, default=200)
        parser.add_argument("--mix-duration", type=float, default=60)
        parser.add_argument("--output", default=str(ROOT / "tmp" / "bench-load.json"))
        parser.add_argument(
            "--reuse-database",
            action="store_true",
            help="keep the database of the last run (migrated and filled) instead of a fresh one",
        )

    def handle(self, *args, **options):
        self.options = options
        if shutil.which("wrk") is None:
            raise CommandError("wrk is not installed: apt-get install -y wrk (make bench-load does it).")
        database_url = options["database_url"]
        if not database_url.startswith(("postgres://", "postgresql://")):
            raise CommandError("The benchmark runs on PostgreSQL: give a postgres:// URL.")
        for port in (options["port"], options["bare_port"]):
            if port_in_use(port):
                raise CommandError(
                    f"Port {port} is taken (a benchmark left running?): free it or use --port."
                )
        self.tmp = ROOT / "tmp"
        self.tmp.mkdir(exist_ok=True)
        self.started = time.monotonic()
        self.secret_key = secrets.token_urlsafe(50)
        self.env = self.portal_env(database_url, options["redis_url"], options["port"])
        self.warn_if_busy()
        # SIGTERM (a killed make) goes through the `finally` below like Ctrl-C does.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        servers: list[Gunicorn] = []
        try:
            self.prepare(database_url, options["port"], reuse=options["reuse_database"])
            urls = self.discover()
            portal = Gunicorn(
                "portal",
                "portal.wsgi:application",
                options["port"],
                self.env,
                options["workers"],
                options["threads"],
                self.tmp,
            )
            servers.append(portal)
            self.phase(f"starting the portal on {HOST}:{options['port']} ({portal.description})")
            portal.start()
            portal.wait_until_up(urls["languages"]["fr"]["home"])
            targets = self.pick_pages(urls, options["port"])
            bare_env = {**os.environ, "BENCH_BARE_BYTES": str(targets["bare_bytes"])}
            bare_env.pop("DJANGO_SETTINGS_MODULE", None)  # it configures its own settings
            bare = Gunicorn(
                "bare",
                "portal.bench.bare:application",
                options["bare_port"],
                bare_env,
                options["workers"],
                options["threads"],
                self.tmp,
            )
            servers.append(bare)
            self.phase(
                f"starting the bare view on {HOST}:{options['bare_port']}: {targets['bare_bytes']:,} bytes"
            )
            bare.start()
            bare.wait_until_up("/")
            self.check_bare(options["bare_port"], targets["bare_bytes"])
            report = self.measure(urls, targets, database_url, options)
            report["server"] = portal.description
        except WrkError as error:
            raise CommandError(str(error)) from error
        finally:
            for server in reversed(servers):
                server.stop()
        self.print_table(report)
        self.write_json(report, Path(options["output"]))

    # --- set-up ---------------------------------------------------------------------------------

    def portal_env(self, database_url: str, redis_url: str, port: int) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            # The cache may be shared with other users of this Redis: the benchmark empties only its keys.
            "CACHE_KEY_PREFIX": CACHE_PREFIX,
            # Submissions queue their e-mails in the database (TASKS): nothing is sent, no worker runs.
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": str(closed_port()),
            "EMAIL_USE_TLS": "false",
            "STATIC_ROOT": str(self.tmp / "bench-load-static"),
            # Behind one proxy, as in production: each simulated citizen has its own address
            # (X-Forwarded-For), so the per-address limits apply as they would to real citizens.
            "TRUSTED_PROXY_COUNT": "1",
            "WAGTAILADMIN_BASE_URL": f"https://{HOST}:{port}",
        }
        env.pop("SEARCH_URL", None)  # the database search engine, the default
        return env

    def phase(self, text: str) -> None:
        elapsed = time.monotonic() - self.started
        self.stdout.write(f"[{elapsed:5.0f} s] {text}…")
        self.stdout.flush()

    def warn_if_busy(self) -> None:
        load = os.getloadavg()[0]
        cores = os.cpu_count() or 1
        self.load_at_start = load
        if load > 0.5 * cores:
            self.stdout.write(
                self.style.WARNING(
                    f"The machine is busy (load {load:.1f} on {cores} cores): "
                    "the figures will be low and noisy."
                )
            )

    def manage(self, *arguments: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise CommandError(
                f"manage.py {' '.join(arguments)} failed:\n{result.stderr[-3000:] or result.stdout[-3000:]}"
            )
        return result.stdout

    def prepare(self, database_url: str, port: int, *, reuse: bool) -> None:
        parsed = urlparse(database_url)
        name = parsed.path.lstrip("/")
        admin_url = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin_url, autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not (reuse and exists):
                self.phase(f"creating the database {name}")
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                connection.execute(f'CREATE DATABASE "{name}"')
                reuse = False
        if not reuse:
            self.phase("migrating")
            self.manage("migrate", "--noinput", "-v0")
            self.phase("loading the demo content (setup_portal --demo)")
            self.manage("setup_portal", "--demo", "--hostname", HOST, "--port", str(port))
            self.phase("indexing the pages for search")
            self.manage("rebuild_search_index", "--engine", "database")
            # What the publications queued (index updates): done now, as a worker would, not during the runs.
            self.manage("db_worker", "--batch", "--no-startup-delay", "-v0")
        self.phase("collecting the static files into tmp/bench-load-static")
        self.manage("collectstatic", "--noinput", "-v0")
        self.clear_cache()

    def discover(self) -> dict:
        output = self.manage("shell", "-c", "from portal.bench.discover import main; main()")
        urls = json.loads(output.strip().splitlines()[-1])
        french = urls["languages"]["fr"]
        if not french["answers"] or not french["topics"]:
            raise CommandError("The demo content has no French answer or topic page.")
        return urls

    def fetch(self, port: int, path: str) -> requests.Response:
        return requests.get(
            f"http://{HOST}:{port}{path}", headers=PROXY_HEADERS, allow_redirects=False, timeout=30
        )

    def pick_pages(self, urls: dict, port: int) -> dict:
        french = urls["languages"]["fr"]
        pages = {"home": french["home"], "answer": french["answers"][0], "topic": french["topics"][0]}
        sizes = {}
        for key, path in pages.items():
            response = self.fetch(port, path)
            if response.status_code != 200:
                raise CommandError(
                    f"{path} answered {response.status_code} (expected 200): {response.text[:500]}"
                )
            sizes[key] = len(response.content)
        self.stdout.write(
            "  pages: " + ", ".join(f"{key} {pages[key]} ({sizes[key]:,} bytes)" for key in pages)
        )
        return {**pages, "sizes": sizes, "bare_bytes": round(statistics.median(sizes.values()))}

    def check_bare(self, port: int, size: int) -> None:
        response = self.fetch(port, "/")
        if response.status_code != 200 or len(response.content) != size:
            raise CommandError(
                f"The bare view answered {response.status_code}, {len(response.content)} bytes."
            )

    def clear_cache(self) -> int:
        """Deletes the portal's keys from the shared cache (only those: the prefix is the benchmark's)."""
        client = redis.Redis.from_url(self.options["redis_url"])
        deleted = 0
        keys = list(client.scan_iter(match=f"{CACHE_PREFIX}:*", count=1000))
        for start in range(0, len(keys), 500):
            deleted += client.delete(*keys[start : start + 500])
        return deleted

    def write_paths(self, name: str, paths: list[str]) -> str:
        path = self.tmp / f"bench-load-{name}.txt"
        path.write_text("".join(f"{line}\n" for line in paths))
        return str(path)

    # --- runs -----------------------------------------------------------------------------------

    def loop(
        self, port: int, paths_file: str, clients: int, seconds: float, *, threads: int = 2
    ) -> WrkResult:
        threads = min(threads, clients)
        return run_wrk(
            f"http://{HOST}:{port}",
            "paths.lua",
            [paths_file, "loop", str(threads)],
            threads=threads,
            connections=clients,
            seconds=seconds,
        )

    def page_line(self, key, label, port, paths_file) -> Line:
        clients, duration = self.options["clients"], self.options["duration"]
        self.phase(f"{label}: {self.options['warmup']:g} s warm-up, then {duration:g} s at {clients} clients")
        self.loop(port, paths_file, clients, self.options["warmup"])
        result = self.loop(port, paths_file, clients, duration)
        return self.line_from(key, label, clients, result)

    @staticmethod
    def line_from(key, label, clients, result: WrkResult, **extra) -> Line:
        return Line(
            key=key,
            label=label,
            clients=clients,
            result=result,
            rate=result.requests_per_second,
            p50_ms=result.latency_ms["p50"],
            p95_ms=result.latency_ms["p95"],
            errors=result.errors,
            extra=extra,
        )

    def measure(self, urls: dict, targets: dict, database_url: str, options: dict) -> dict:
        port, bare_port = options["port"], options["bare_port"]
        languages = urls["languages"]
        search_paths = [f"{languages[lang]['search']}?q={quote(query)}" for lang, query in QUERIES]
        files = {
            "bare": self.write_paths("bare", ["/"]),
            "home": self.write_paths("home", [targets["home"]]),
            "answer": self.write_paths("answer", [targets["answer"]]),
            "topic": self.write_paths("topic", [targets["topic"]]),
            "search": self.write_paths("search", search_paths),
            "mix-pages": self.write_paths("mix-pages", self.mix_pages(languages)),
        }
        lines: list[Line] = []
        bare_label = f"bare Django view ({targets['bare_bytes']:,} B)"
        lines.append(self.page_line("bare", bare_label, bare_port, files["bare"]))
        lines.append(self.page_line("home", f"home {targets['home']}", port, files["home"]))
        lines.append(self.page_line("answer", "answer page", port, files["answer"]))
        lines.append(self.page_line("topic", "topic page", port, files["topic"]))
        lines.append(self.search_cold(port, files["search"], len(search_paths)))
        lines.append(self.page_line("search_warm", "search, 50 queries, warm", port, files["search"]))
        submission, stored = self.submissions(port, urls, database_url)
        lines.append(submission)
        lines.extend(self.mix(port, files["mix-pages"], files["search"]))
        again = self.page_line("bare_again", "bare Django view, again", bare_port, files["bare"])
        lines.append(again)
        self.judge(lines, stored)
        return {
            "lines": lines,
            "bare_reference_rps": round(statistics.mean([lines[0].rate, again.rate]), 2),
            "stored": stored,
            "targets": targets,
            "load_at_start": self.load_at_start,
            "load_at_end": os.getloadavg()[0],
        }

    def search_cold(self, port: int, paths_file: str, count: int) -> Line:
        clients = min(self.options["clients"], count)
        deleted = self.clear_cache()
        self.phase(
            f"search, 50 queries, cold: the shared cache emptied ({deleted} keys), "
            f"each query once at {clients} clients"
        )
        result = run_wrk(
            f"http://{HOST}:{port}",
            "paths.lua",
            [paths_file, "once", str(clients)],
            threads=clients,  # one connection a thread: each thread asks its queries once, then stops
            connections=clients,
            seconds=600,
            stops_itself=True,
        )
        # Fewer answers than queries: some failed (counted in the errors).
        return self.line_from("search_cold", "search, 50 queries, cold", clients, result, queries=count)

    def submissions(self, port: int, urls: dict, database_url: str) -> tuple[Line, dict]:
        clients, duration, warmup = self.options["clients"], self.options["duration"], self.options["warmup"]
        form_path = urls["form"]
        method, fields = self.step2_method(port, form_path)
        base = f"http://{HOST}:{port}"

        def run(seconds: float) -> WrkResult:
            return run_wrk(
                base,
                "submit.lua",
                [form_path, method, fields or "-", urls["confirmation_prefix"], str(seconds)],
                threads=clients,  # one connection a thread: each knows what its answer is for
                connections=clients,
                seconds=seconds + 600,  # the threads stop themselves, never with a POST in flight
                stops_itself=True,
            )

        self.phase(
            f"request submission ({form_path}, step-2 page by {method} + POST): "
            f"{warmup:g} s warm-up, then {duration:g} s at {clients} clients"
        )
        run(warmup)
        table = urls["requests_table"]
        with psycopg.connect(database_url) as connection:
            before = connection.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"').fetchone()[0]  # noqa: S608
        result = run(duration)
        with psycopg.connect(database_url) as connection:
            rows = connection.execute(
                f'SELECT reference, submission_token FROM "{table}" WHERE id > %s',  # noqa: S608
                [before],
            ).fetchall()
        stored = self.check_stored(result, rows, urls["confirmation_prefix"])
        pairs = result.lists.get("pair_seconds", [])
        line = Line(
            key="submission",
            label="request submission (page + POST)",
            clients=clients,
            result=result,
            rate=len(pairs) / result.duration_s if result.duration_s else 0.0,
            p50_ms=ms(percentile(pairs, 50)),
            p95_ms=ms(percentile(pairs, 95)),
            errors=result.errors,
            extra={
                "step2_method": method,
                "form_page_ms": self.summary_ms(result.lists.get("form_seconds", [])),
                "post_ms": self.summary_ms(result.lists.get("post_seconds", [])),
                "pair_ms": self.summary_ms(pairs),
            },
        )
        return line, stored

    @staticmethod
    def summary_ms(values: list[float]) -> dict:
        return {
            "count": len(values),
            "p50": round(ms(percentile(values, 50)), 2),
            "p95": round(ms(percentile(values, 95)), 2),
        }

    def step2_method(self, port: int, form_path: str) -> tuple[str, str]:
        """How the portal hands out the step-2 page (with the submission token): the step-1 form's
        method and hidden fields, as a browser would send them; checked once here."""
        from html.parser import HTMLParser

        page = self.fetch(port, form_path)
        if page.status_code != 200:
            raise CommandError(f"{form_path} answered {page.status_code}.")

        class Step1(HTMLParser):
            def __init__(self):
                super().__init__()
                self.forms: list[dict] = []

            def handle_starttag(self, tag, attrs):
                attrs = dict(attrs)
                if tag == "form":
                    self.forms.append(
                        {
                            "method": (attrs.get("method") or "get").upper(),
                            "action": attrs.get("action"),
                            "fields": [],
                            "names": set(),
                        }
                    )
                elif tag in ("input", "textarea") and self.forms:
                    self.forms[-1]["names"].add(attrs.get("name"))
                    if tag == "input" and (attrs.get("type") or "").lower() == "hidden" and attrs.get("name"):
                        self.forms[-1]["fields"].append((attrs["name"], attrs.get("value") or ""))

        parser = Step1()
        parser.feed(page.text)
        step1 = next((form for form in parser.forms if "subject" in form["names"]), None)
        if step1 is None:
            raise CommandError(f"No step-1 form (a 'subject' field) on {form_path}.")
        fields = urlencode(step1["fields"])
        sample = urlencode(
            [*step1["fields"], ("subject", "Nid-de-poule rue Principale"), ("description", "Profond.")]
        )
        url = f"http://{HOST}:{port}{form_path}"
        headers = {**PROXY_HEADERS, "X-Forwarded-For": "10.99.0.1"}
        if step1["method"] == "POST":
            answer = requests.post(
                url,
                data=sample,
                headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
                allow_redirects=False,
                timeout=30,
            )
        else:
            answer = requests.get(f"{url}?{sample}", headers=headers, allow_redirects=False, timeout=30)
        if answer.status_code != 200 or 'name="submission_token"' not in answer.text:
            raise CommandError(
                f"Step 1 ({step1['method']} {form_path}) gave no step-2 form: HTTP {answer.status_code}."
            )
        return step1["method"], fields

    def check_stored(self, result: WrkResult, rows: list[tuple], prefix: str) -> dict:
        """Every successful POST's request is in the database once; the database holds no other."""
        from forms.services import STATUS_LINK_SALT

        confirmed = []
        for location in result.lists.get("confirmations", []):
            token = location[location.index(prefix) + len(prefix) :].strip("/")
            try:
                confirmed.append(signing.loads(token, key=self.secret_key, salt=STATUS_LINK_SALT))
            except signing.BadSignature:
                confirmed.append(None)
        references = [reference for reference, _token in rows]
        stored = set(references)
        matched = {reference for reference in confirmed if reference in stored}
        successful = int(result.counters.get("submitted", 0))
        return {
            "posts": int(result.counters.get("posts", 0)),
            "successful_posts": successful,
            "new_requests": len(rows),
            "distinct_references": len(stored),
            "distinct_submission_tokens": len({token for _reference, token in rows}),
            # A confirmation with no request of its own (not stored, or shared with another POST).
            "lost": successful - len(matched),
            # Requests that no successful POST accounts for.
            "duplicated": len(rows) - len(matched),
        }

    def mix_pages(self, languages: dict) -> list[str]:
        """Home pages, answers and topics of both languages, shuffled (the same order every run)."""
        paths = []
        for language, weight in (("fr", 2), ("en", 1)):
            pages = languages[language]
            paths += [pages["home"]] * 5 * weight
            paths += pages["answers"] * weight
            paths += pages["topics"] * 2 * weight
        random.Random(25).shuffle(paths)  # noqa: S311 - an order, not a secret
        return paths

    def mix(self, port: int, pages_file: str, search_file: str) -> list[Line]:
        total, seconds, warmup = (
            self.options["mix_clients"],
            self.options["mix_duration"],
            self.options["warmup"],
        )
        page_clients = round(total * MIX_PAGE_SHARE)
        search_clients = total - page_clients
        self.phase(
            f"mix: {total} clients ({page_clients} on home, answer and topic pages, "
            f"{search_clients} searching), "
            f"{warmup:g} s warm-up, then {seconds:g} s"
        )
        base = f"http://{HOST}:{port}"

        def both(duration: float) -> tuple[WrkResult, WrkResult]:
            pages = start_wrk(
                base,
                "paths.lua",
                [pages_file, "loop", "2"],
                threads=2,
                connections=page_clients,
                seconds=duration,
            )
            search = start_wrk(
                base,
                "paths.lua",
                [search_file, "loop", "1"],
                threads=1,
                connections=search_clients,
                seconds=duration,
            )
            return finish_wrk(pages), finish_wrk(search)

        both(warmup)
        pages, search = both(seconds)
        return [
            self.line_from("mix_pages", f"mix {total}: pages ({page_clients} clients)", page_clients, pages),
            self.line_from(
                "mix_search", f"mix {total}: search ({search_clients} clients)", search_clients, search
            ),
        ]

    # --- verdicts and output --------------------------------------------------------------------

    def judge(self, lines: list[Line], stored: dict) -> None:
        by_key = {line.key: line for line in lines}
        bare_rates = [by_key["bare"].rate, by_key["bare_again"].rate]
        reference = statistics.mean(bare_rates)
        for line in lines:
            line.ratio = line.rate / reference if reference else None
        ratio_targets = {
            "home": CACHED_PAGE_RATIO,
            "answer": CACHED_PAGE_RATIO,
            "topic": CACHED_PAGE_RATIO,
            "search_warm": SEARCH_WARM_RATIO,
            "search_cold": SEARCH_COLD_RATIO,
            "submission": SUBMISSION_RATIO,
        }
        for key, minimum in ratio_targets.items():
            line = by_key[key]
            line.target = f"ratio ≥ {minimum:.2f}, 0 errors"
            line.passed = line.ratio is not None and line.ratio >= minimum and line.errors == 0
        mix_pages, mix_search = by_key["mix_pages"], by_key["mix_search"]
        mix_errors = mix_pages.errors + mix_search.errors
        mix_pages.target = f"0 errors in the mix, p95 ≤ {MIX_P95_MS} ms"
        mix_pages.passed = mix_errors == 0 and mix_pages.p95_ms <= MIX_P95_MS
        mix_search.target = "0 errors in the mix"
        mix_search.passed = mix_errors == 0
        drift = abs(bare_rates[1] - bare_rates[0]) / max(bare_rates) if max(bare_rates) else 0.0
        by_key["bare"].target = by_key["bare_again"].target = "reference (mean of both)"
        by_key["bare_again"].extra["drift"] = round(drift, 4)
        stored["passed"] = (
            stored["new_requests"] == stored["successful_posts"]
            and stored["lost"] == 0
            and stored["duplicated"] == 0
            and stored["distinct_submission_tokens"] == stored["new_requests"]
        )

    def print_table(self, report: dict) -> None:
        lines: list[Line] = report["lines"]
        width = max(len(line.label) for line in lines)
        target_width = max(len(line.target) for line in lines)
        header = (
            f"{'scenario'.ljust(width)}  clients     req/s   p50 ms   p95 ms  errors  ratio  "
            f"{'target'.ljust(target_width)}  result"
        )
        self.stdout.write("")
        self.stdout.write(
            f"Load benchmark — {report['server']}, wrk, production settings, PostgreSQL + Redis"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for line in lines:
            verdict = {None: "", True: self.style.SUCCESS("PASS"), False: self.style.ERROR("GAP")}[
                line.passed
            ]
            ratio = "—" if line.ratio is None else f"{line.ratio:.3f}"
            self.stdout.write(
                f"{line.label.ljust(width)}  {line.clients:7d}  {line.rate:8.1f}  {line.p50_ms:7.1f}  "
                f"{line.p95_ms:7.1f}  {line.errors:6d}  {ratio:>5}  "
                f"{line.target.ljust(target_width)}  {verdict}"
            )
        stored = report["stored"]
        verdict = self.style.SUCCESS("PASS") if stored["passed"] else self.style.ERROR("GAP")
        self.stdout.write(
            f"submissions stored: {stored['new_requests']} new requests for {stored['successful_posts']} "
            f"successful POSTs: {stored['lost']} lost, {stored['duplicated']} duplicated  {verdict}"
        )
        by_key = {line.key: line for line in lines}
        submission = by_key["submission"]
        self.stdout.write(
            "  submission line: submissions/s and latency of the pair (step-2 page + POST); "
            f"step-2 page p95 {submission.extra['form_page_ms']['p95']:.0f} ms, "
            f"POST p95 {submission.extra['post_ms']['p95']:.0f} ms"
        )
        targets = report["targets"]
        self.stdout.write(f"  answer page: {targets['answer']}; topic page: {targets['topic']}")
        drift = by_key["bare_again"].extra["drift"]
        self.stdout.write(
            f"  bare view at the start and at the end differ by {drift:.0%}; "
            f"load average {report['load_at_start']:.1f} at the start, "
            f"{report['load_at_end']:.1f} at the end "
            f"({os.cpu_count()} cores)"
        )
        if drift > DRIFT_WARNING:
            self.stdout.write(
                self.style.WARNING(
                    "  The machine's speed changed during the run: run again on a quiet machine."
                )
            )

    def write_json(self, report: dict, output: Path) -> None:
        output.parent.mkdir(parents=True, exist_ok=True)
        data = {
            **{key: value for key, value in report.items() if key != "lines"},
            "lines": [line.as_dict() for line in report["lines"]],
            "settings": SETTINGS_MODULE,
            "options": {
                key: self.options[key]
                for key in (
                    "workers",
                    "threads",
                    "clients",
                    "duration",
                    "warmup",
                    "mix_clients",
                    "mix_duration",
                )
            },
            "cores": os.cpu_count(),
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        output.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(f"Written to {output}")
