"""The portal on several gunicorn workers sharing Redis, behind one proxy, as a city runs it.

One portal is served for the module: production settings, three workers, a SQLite file
of its own (the workers and this test share it; nothing else does), Redis from the
`redis_url` fixture, TRUSTED_PROXY_COUNT=1 as behind a load balancer.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
pytestmark = pytest.mark.multiworker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served(redis_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("multiworker")
    port = free_port()
    # A database of its own in Redis too: the counters of other tests never meet these.
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "multi-worker-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
        "EMAIL_HOST": "127.0.0.1",
        "REDIS_URL": redis_url.rsplit("/", 1)[0] + "/3",
        "CACHE_KEY_PREFIX": f"multiworker-{port}",
        "TRUSTED_PROXY_COUNT": "1",
        "STATIC_ROOT": str(folder / "static"),
    }
    env.pop("SEARCH_URL", None)

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
        )

    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput")
    manage("setup_portal", "--demo", "--hostname", "127.0.0.1", "--port", str(port))
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/robots.txt", timeout=5)  # noqa: S310 - loopback
            break
        except OSError:  # not listening yet, or still booting its workers
            time.sleep(0.2)
    yield base, manage
    server.terminate()
    server.wait(timeout=30)


def get(url: str, *, citizen: str = "203.0.113.10") -> tuple[int, str]:
    """A GET as the city's proxy forwards it: over HTTPS, with the citizen's address appended."""
    request = urllib.request.Request(  # noqa: S310 - loopback
        url, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": citizen, "Connection": "close"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_limit_holds_across_workers(served):
    base, _manage = served
    lookups = [get(f"{base}/fr/suivi/?reference=RAE-0000-0000-0")[0] for _ in range(40)]
    # Documented: 30 look-ups per 10 minutes per address, whichever worker answers.
    assert lookups.count(429) == 10 and lookups[:30].count(429) == 0
    assert get(f"{base}/fr/suivi/?reference=RAE-0000-0000-0", citizen="203.0.113.11")[0] != 429


def test_a_forged_forwarded_address_does_not_reset_the_limit(served):
    base, _manage = served
    for _ in range(30):
        get(f"{base}/fr/suivi/?reference=RAE-0000-0000-0", citizen="203.0.113.20")
    forged = get(f"{base}/fr/suivi/?reference=RAE-0000-0000-0", citizen="198.51.100.1, 203.0.113.20")
    assert forged[0] == 429


def test_changed_contact_details_show_on_every_worker_at_once(served):
    base, manage = served
    for path in ("/fr/", "/fr/suivi/"):  # warm every worker, and any page cache
        for _ in range(WORKERS * 3):
            assert "418 555-0311" in get(base + path, citizen="203.0.113.30")[1]
    manage(
        "shell",
        "-c",
        "from portal.models import ContactSettings; s = ContactSettings.load(); "
        "s.phone = '418 555-0999'; s.save()",
    )
    for path in ("/fr/", "/en/", "/fr/suivi/"):
        pages = [get(base + path, citizen="203.0.113.30")[1] for _ in range(WORKERS * 4)]
        assert all("418 555-0999" in page for page in pages), path
