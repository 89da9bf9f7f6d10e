"""`make bench-load`'s pieces that could go wrong without anyone noticing: the bare peer's size,
reading wrk's output, the once-through pass that stops wrk early, and the submission script's
exactly-once accounting. Real wrk, real gunicorn, tiny local servers; no portal, no database."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from portal.bench.bare import page
from portal.bench.wrkrun import WrkError, parse_wrk_output, run_wrk

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def bare_server():
    """The bare view on gunicorn, as the benchmark serves it: 12,345 bytes a page."""
    port = free_port()
    env = {**os.environ, "BENCH_BARE_BYTES": "12345"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen(
        [str(GUNICORN), "portal.bench.bare:application", "-k", "gthread", "-w", "1", "--threads", "4",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(url, timeout=2)
            break
        except requests.RequestException:
            assert server.poll() is None, server.stderr.read().decode()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.mark.parametrize("size", [200, 5_707, 20_000, 20_001])
def test_bare_page_has_exactly_the_size_asked(size):
    body = page(size)
    assert len(body) == size
    assert body.startswith(b"<!DOCTYPE html>") and body.endswith(b"</html>\n")


def test_bare_page_refuses_a_size_smaller_than_its_markup():
    with pytest.raises(ValueError):
        page(10)


def test_bare_app_serves_the_requested_number_of_bytes(bare_server):
    response = requests.get(f"{bare_server}/any/path/", headers={"X-Forwarded-Proto": "https"}, timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert len(response.content) == 12345


def test_wrk_output_is_read_from_a_real_run(bare_server, tmp_path):
    paths = tmp_path / "paths.txt"
    paths.write_text("/\n/other/\n")
    result = run_wrk(bare_server, "paths.lua", [str(paths), "loop", "2"], threads=2, connections=4, seconds=1)
    assert result.requests > 10
    assert 0.9 < result.duration_s < 3
    assert result.errors == 0 and result.socket_errors == {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    assert 0 < result.latency_ms["p50"] <= result.latency_ms["p95"] <= result.latency_ms["max"]
    # Our figure and wrk's own "Requests/sec:" line agree.
    assert result.requests_per_second == pytest.approx(result.requests_per_second_text, rel=0.02)


def test_each_path_once_then_wrk_stops_without_waiting_for_its_duration(bare_server, tmp_path):
    paths = tmp_path / "queries.txt"
    paths.write_text("".join(f"/search/?q={number}\n" for number in range(7)))
    started = time.monotonic()
    result = run_wrk(
        bare_server,
        "paths.lua",
        [str(paths), "once", "3"],
        threads=3,
        connections=3,
        seconds=30,
        stops_itself=True,
    )
    assert time.monotonic() - started < 10
    assert result.requests == 7
    assert result.duration_s < 5  # the run's real length, not --duration
    assert result.errors == 0


class Misbehaving(BaseHTTPRequestHandler):
    """/404 and /301 answer so; /drop closes the connection without an answer."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/drop":
            self.close_connection = True
            return
        self.send_response(404 if self.path == "/404" else 301)
        self.send_header("Location", "https://example.org/")
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def misbehaving_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Misbehaving)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_any_answer_but_200_is_an_error_redirects_included(misbehaving_server, tmp_path):
    paths = tmp_path / "paths.txt"
    paths.write_text("/404\n/301\n")
    result = run_wrk(
        misbehaving_server, "paths.lua", [str(paths), "loop", "1"], threads=1, connections=2, seconds=1
    )
    assert result.requests > 10
    # wrk itself counts only the 404s; a redirect (e.g. to https) is not the page either.
    assert result.status_errors < result.requests
    assert result.errors == result.requests
    assert result.counters["status_404"] + result.counters["status_301"] == result.requests


def test_socket_errors_are_errors(misbehaving_server, tmp_path):
    paths = tmp_path / "paths.txt"
    paths.write_text("/drop\n")
    result = run_wrk(
        misbehaving_server, "paths.lua", [str(paths), "loop", "1"], threads=1, connections=2, seconds=1
    )
    assert result.requests == 0
    assert result.socket_errors["read"] > 0
    assert result.errors == sum(result.socket_errors.values())


def test_parser_refuses_output_without_the_script_summary():
    with pytest.raises(WrkError):
        parse_wrk_output("Running 1s test @ http://127.0.0.1:1\n  0 requests in 1.00s\nRequests/sec: 0.00\n")


class FakeRequestForm(BaseHTTPRequestHandler):
    """The portal's two steps, as far as the submission script can tell: a step-2 page with a
    CSRF cookie and hidden fields (from a step-1 POST), then a POST that must carry both and
    a submission token used once; it answers 302 to a confirmation URL."""

    issued: dict[str, str]  # submission token → csrf cookie it was issued with
    created: list[str]
    refused: list[str]
    protocol_version = "HTTP/1.1"  # keep-alive, as gunicorn
    lock = threading.Lock()
    number = 0

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        if self.headers.get("X-Forwarded-Proto") != "https":
            return self.answer(301, location="https://example.org/")
        if self.headers["Content-Type"].startswith("application/x-www-form-urlencoded"):
            assert "step=describe" in body and "subject=" in body
            with self.lock:
                FakeRequestForm.number += 1
                token, cookie = f"token{self.number:06d}xxxxxxxxxxxxxx", f"cookie{self.number:06d}"
                self.issued[token] = cookie
            form = (
                '<html><form method="post" action="/search/"><input type="hidden" name="next" value="/">'
                '</form><form method="post" class="requests-form">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="masked-{cookie}">'
                '<input type="text" name="subject" value="x">'
                f'<input type="hidden" name="submission_token" value="{token}" id="id_submission_token">'
                '<input type="hidden" name="page" id="id_page"></form></html>'
            )
            return self.answer(200, body=form, cookie=f"csrftoken={cookie}; Path=/; SameSite=Lax; Secure")
        fields = dict(re.findall(r'name="([^"]+)"\r\n\r\n([^\r]*)\r\n', body))
        cookie = (self.headers.get("Cookie") or "").removeprefix("csrftoken=")
        token = fields.get("submission_token", "")
        with self.lock:
            ok = (
                self.issued.pop(token, None) == cookie
                and fields.get("csrfmiddlewaretoken") == f"masked-{cookie}"
                and fields.get("consent") == "on"
                and "page" in fields
            )
            (self.created if ok else self.refused).append(token)
        if ok:
            return self.answer(302, location=f"/fr/demande/confirmation/{token}/")
        return self.answer(403, body="refused")

    def answer(self, status, *, body="", location=None, cookie=None):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if location:
            self.send_header("Location", location)
        if cookie:
            self.send_header("Set-Cookie", cookie)
        self.end_headers()
        self.wfile.write(data)


def test_submission_script_posts_each_form_once_and_leaves_no_post_in_flight():
    FakeRequestForm.issued, FakeRequestForm.created, FakeRequestForm.refused = {}, [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRequestForm)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = run_wrk(
            f"http://127.0.0.1:{server.server_port}",
            "submit.lua",
            ["/fr/demande/nid-de-poule/", "POST", "step=describe", "/fr/demande/confirmation/", "1"],
            threads=3,
            connections=3,
            seconds=30,
            stops_itself=True,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.duration_s < 5  # the threads stopped after 1 s and woke wrk up
    assert result.errors == 0, result.counters
    assert FakeRequestForm.refused == []
    submitted = int(result.counters["submitted"])
    # Every POST the server took was answered and counted: none was cut off at the end.
    assert submitted == result.counters["posts"] == len(FakeRequestForm.created) > 10
    assert len(set(FakeRequestForm.created)) == submitted
    confirmed = [location.rsplit("/", 2)[-2] for location in result.lists["confirmations"]]
    assert sorted(confirmed) == sorted(FakeRequestForm.created)
    assert len(result.lists["pair_seconds"]) == submitted
    assert "csrf_cookie_from_form" not in result.counters  # the cookie came from Set-Cookie
