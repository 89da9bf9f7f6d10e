"""Citizens answer back: information and files added through the private link or after
confirming the e-mail or phone; the handler is told; a waiting request is back in progress."""

from datetime import timedelta

import pytest

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from forms.models import Attachment, CitizenRequest, OutgoingEmail, RequestEvent, Status
from forms.services import request_assign, request_change_status, status_token
from tests.factories import UserFactory

from .conftest import DEPARTMENT_EMAIL, PDF_BYTES, VALID_DATA, png_upload
from .links import private_link_references

TEXT = "Voici la photo demandée; le trou est devant l'entrée du 12."


@pytest.fixture
def waiting(open_request, admin_user):
    """A request the city is waiting on: the citizen must answer a question."""
    request_change_status(citizen_request=open_request, status=Status.RECEIVED, actor=admin_user)
    request_change_status(
        citizen_request=open_request,
        status=Status.WAITING,
        actor=admin_user,
        note="Pouvez-vous envoyer une photo?",
    )
    open_request.refresh_from_db()
    return open_request


def addition_url(citizen_request) -> str:
    return f"/fr/suivi/{status_token(citizen_request)}/ajout/"


def staff_emails():
    return OutgoingEmail.objects.filter(kind="citizen_info")


def test_the_private_page_offers_the_form_to_a_waiting_request(client, waiting):
    page = client.get(f"/fr/suivi/{status_token(waiting)}/")
    assert page.status_code == 200
    assert "La Ville attend votre réponse." in page.text and "Information à ajouter" in page.text
    assert 'enctype="multipart/form-data"' in page.text and 'name="csrfmiddlewaretoken"' in page.text
    assert 'name="attachments"' in page.text


def test_an_addition_through_the_private_link(client, waiting, django_capture_on_commit_callbacks):
    token = status_token(waiting)  # once: a signed link made a second later differs
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/fr/suivi/{token}/ajout/",
            {
                "text": TEXT,
                "attachments": [png_upload("trou.png"), SimpleUploadedFile("plan.pdf", PDF_BYTES)],
            },
        )
    assert response.status_code == 302 and response["Location"] == f"/fr/suivi/{token}/"
    assert "trou" not in response["Location"]  # the citizen's words never travel in a URL
    waiting.refresh_from_db()
    assert waiting.status == Status.IN_PROGRESS
    addition = RequestEvent.objects.get(request=waiting, kind="citizen_info")
    assert addition.note == TEXT and addition.is_public and addition.actor is None
    back = RequestEvent.objects.filter(request=waiting, kind="status").last()
    assert (back.from_status, back.to_status, back.is_public) == ("waiting", "in_progress", True)
    assert sorted(Attachment.objects.filter(request=waiting).values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    assert CitizenRequest.objects.count() == 1  # no new request
    # The handler is told (the department's mailbox, no one being assigned), without the text.
    notice = staff_emails().get()
    assert notice.to == DEPARTMENT_EMAIL and notice.state == OutgoingEmail.State.SENT
    assert waiting.reference in notice.subject and "ajouté de l'information" in notice.subject
    assert f"/admin/requests_queue/edit/{waiting.pk}/" in notice.body and "Fichiers joints : 2" in notice.body
    assert TEXT not in notice.body and VALID_DATA["email"] not in notice.body
    assert [m.to for m in mail.outbox] == [
        [DEPARTMENT_EMAIL]
    ]  # the citizen gets no e-mail of their own words
    page = client.get(response["Location"])
    assert "Merci. Votre information a été ajoutée" in page.text and TEXT.replace("'", "&#x27;") in page.text
    assert "Information ajoutée par le citoyen" in page.text and "En traitement" in page.text


def test_the_assignee_is_told_rather_than_the_department(client, waiting, admin_user, django_user_model):
    handler = UserFactory(username="julie")
    request_assign(citizen_request=waiting, actor=admin_user, assignee=handler)
    assert client.post(addition_url(waiting), {"text": TEXT}).status_code == 302
    assert staff_emails().get().to == "julie@example.org"


def test_by_reference_alone_the_addition_shows_by_its_kind_only(client, waiting):
    client.post(addition_url(waiting), {"text": TEXT})
    page = Client().get("/fr/suivi/", {"reference": waiting.reference})
    assert "Information ajoutée par le citoyen" in page.text
    assert "devant l&#x27;entrée" not in page.text and "Pouvez-vous envoyer une photo" not in page.text


def test_an_addition_after_confirming_the_contact(client, waiting):
    client.post("/fr/suivi/", {"reference": waiting.reference, "contact": "418-555-0123"})
    response = client.post("/fr/suivi/ajout/", {"reference": waiting.reference, "text": TEXT})
    assert response.status_code == 302 and response["Location"].startswith("/fr/suivi/?reference=")
    assert RequestEvent.objects.filter(request=waiting, kind="citizen_info", note=TEXT).exists()
    assert staff_emails().count() == 1


def test_an_addition_is_refused_without_the_link_or_a_confirmation(client, waiting, settings):
    no_session = client.post("/fr/suivi/ajout/", {"reference": waiting.reference, "text": TEXT})
    assert no_session.status_code == 403
    assert client.post("/fr/suivi/pas-un-jeton/ajout/", {"text": TEXT}).status_code == 404
    assert client.post("/fr/suivi/ajout/", {"reference": "RAE-0000-0000-0", "text": TEXT}).status_code == 404
    assert client.get(addition_url(waiting)).status_code == 405
    settings.REQUESTS_PRIVATE_LINK_DAYS = 90
    CitizenRequest.objects.filter(pk=waiting.pk).update(
        status=Status.CLOSED, status_changed_at=timezone.now() - timedelta(days=91)
    )
    assert client.post(addition_url(waiting), {"text": TEXT}).status_code == 403  # an expired link
    assert not RequestEvent.objects.filter(kind="citizen_info").exists() and not staff_emails().exists()


def test_a_closed_request_takes_no_more_information(client, waiting, admin_user):
    request_change_status(citizen_request=waiting, status=Status.RESOLVED, actor=admin_user)
    page = client.get(f"/fr/suivi/{status_token(waiting)}/")
    assert 'name="text"' not in page.text
    refused = client.post(addition_url(waiting), {"text": TEXT})
    assert refused.status_code == 400 and "Cette demande est fermée" in refused.text
    assert not RequestEvent.objects.filter(kind="citizen_info").exists()


def test_the_form_needs_its_csrf_token(waiting):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(addition_url(waiting), {"text": TEXT}).status_code == 403
    assert not RequestEvent.objects.filter(kind="citizen_info").exists()


def test_a_bad_file_is_refused_with_a_message_and_the_text_kept(client, waiting):
    fake = SimpleUploadedFile("photo.png", b"<?php echo 'hi';", content_type="image/png")
    response = client.post(addition_url(waiting), {"text": "Mon texte à garder", "attachments": [fake]})
    assert response.status_code == 400
    assert "ni une photo (JPEG, PNG, GIF, WebP)" in response.text and "Mon texte à garder" in response.text
    assert 'aria-describedby="id_attachments_helptext id_attachments_error"' in response.text  # error linked
    too_many = client.post(
        addition_url(waiting), {"text": "x", "attachments": [png_upload() for _ in range(4)]}
    )
    assert too_many.status_code == 400 and "Envoyez au plus 3 fichiers." in too_many.text
    empty = client.post(addition_url(waiting), {"text": "  "})
    assert empty.status_code == 400 and "Information à ajouter" in empty.text
    assert client.post(addition_url(waiting), {"text": "x" * 5001}).status_code == 400
    assert not RequestEvent.objects.filter(kind="citizen_info").exists() and not Attachment.objects.exists()
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING


def test_additions_are_rate_limited_and_the_text_is_kept(client, waiting, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "addition": (1, 3600)}
    assert client.post(addition_url(waiting), {"text": ""}).status_code == 400  # an invalid one counts too
    limited = client.post(addition_url(waiting), {"text": "Un texte que je ne veux pas perdre."})
    assert limited.status_code == 429
    assert "Trop de tentatives en peu de temps" in limited.text
    assert (
        "Un texte que je ne veux pas perdre." in limited.text and 'name="csrfmiddlewaretoken"' in limited.text
    )
    assert not RequestEvent.objects.filter(kind="citizen_info").exists()


def test_the_english_page_and_url(client, waiting):
    page = client.get(f"/en/status/{status_token(waiting)}/")
    assert "Add information to your request" in page.text
    assert private_link_references(page.text, 'action="/en/status/', "add/") == [waiting.reference]
    assert client.post(f"/en/status/{status_token(waiting)}/add/", {"text": TEXT}).status_code == 302
