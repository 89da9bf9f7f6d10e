"""E-mails through a real SMTP server on loopback (aiosmtpd), and with the server down."""

import socket
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from django.core.management import call_command

from forms.models import CitizenRequest, OutgoingEmail, RequestType
from forms.services import request_submit

from .conftest import VALID_DATA


class Collector(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_USE_TLS = False
    return settings


def start_server(port: int):
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, handler


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.mark.django_db
def test_receipt_goes_through_a_real_smtp_server(smtp_settings, django_capture_on_commit_callbacks):
    controller, handler = start_server(smtp_settings.EMAIL_PORT)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            citizen_request, _ = request_submit(
                request_type=RequestType.objects.get(slug="question"), data=VALID_DATA, language="fr"
            )
        assert wait_for(lambda: handler.messages)
    finally:
        controller.stop()
    message = handler.messages[0]
    assert message["To"] == VALID_DATA["email"]
    assert citizen_request.reference in message["Subject"]
    assert "suivi" in message.get_payload(decode=True).decode("utf-8")
    assert OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT


@pytest.mark.django_db
def test_smtp_down_nothing_lost_and_retried_later(smtp_settings, django_capture_on_commit_callbacks):
    # No server listens on the port: the request is saved, the e-mail waits in the outbox.
    with django_capture_on_commit_callbacks(execute=True):
        citizen_request, _ = request_submit(
            request_type=RequestType.objects.get(slug="question"), data=VALID_DATA, language="en"
        )
    assert CitizenRequest.objects.filter(pk=citizen_request.pk).exists()
    outgoing = OutgoingEmail.objects.get()
    assert outgoing.state == OutgoingEmail.State.FAILED and outgoing.attempts == 1
    assert "Connection" in outgoing.last_error or "refused" in outgoing.last_error.lower()

    controller, handler = start_server(smtp_settings.EMAIL_PORT)
    try:
        call_command("retry_failed_emails")
        assert wait_for(lambda: handler.messages)
    finally:
        controller.stop()
    outgoing.refresh_from_db()
    assert outgoing.state == OutgoingEmail.State.SENT and outgoing.attempts == 2
    assert handler.messages[0]["Subject"] == f"Request {citizen_request.reference} received"


@pytest.mark.django_db
def test_database_task_backend_path(settings, django_capture_on_commit_callbacks, monkeypatch):
    """With the production backend the e-mail is queued as a task and sent by `db_worker`."""
    from django.core import mail

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks import task_backends

    task_backends._settings = None  # forget the backends built from the old settings
    try:
        from django_tasks_db.models import DBTaskResult

        with django_capture_on_commit_callbacks(execute=True):
            citizen_request, _ = request_submit(
                request_type=RequestType.objects.get(slug="question"), data=VALID_DATA, language="fr"
            )
        queued = DBTaskResult.objects.filter(task_path="forms.tasks.send_outgoing_email")
        assert queued.count() == 1
        assert mail.outbox == []
        # The worker closes "old" connections between tasks; here that is the test's transaction.
        monkeypatch.setattr(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        )
        call_command("db_worker", batch=True, no_startup_delay=True)
        assert len(mail.outbox) == 1 and citizen_request.reference in mail.outbox[0].subject
        assert OutgoingEmail.objects.get().state == OutgoingEmail.State.SENT
    finally:
        task_backends._settings = None
