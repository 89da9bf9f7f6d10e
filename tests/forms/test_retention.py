"""Law 25: personal information of finished requests is destroyed after the retention period."""

import datetime

import pytest

from django.core.management import call_command
from django.utils import timezone

from forms.models import Attachment, CitizenRequest, OutgoingEmail, Status
from forms.retention import personal_data_purge
from forms.services import request_change_status, request_submit
from forms.uploads import check_upload

from .conftest import VALID_DATA, png_upload

pytestmark = pytest.mark.django_db


def finished_request(request_type, *, years_ago: float, status=Status.CLOSED):
    citizen_request, _created = request_submit(
        request_type=request_type, data=VALID_DATA, files=[check_upload(png_upload())]
    )
    request_change_status(
        citizen_request=citizen_request, status=status, actor=None, note="Réparé par l'équipe."
    )
    when = timezone.now() - datetime.timedelta(days=365 * years_ago)
    CitizenRequest.objects.filter(pk=citizen_request.pk).update(status_changed_at=when)
    return CitizenRequest.objects.get(pk=citizen_request.pk)


def test_old_finished_requests_lose_their_personal_data_but_keep_their_statistics(pothole):
    old = finished_request(pothole, years_ago=4)
    stored_file = old.attachments.get().file
    assert stored_file.storage.exists(stored_file.name)

    assert personal_data_purge() == 1

    old.refresh_from_db()
    assert (old.name, old.email, old.phone, old.address) == ("", "", "", "")
    assert "Principale" not in old.subject + old.description
    assert old.personal_data_purged_at is not None
    assert not Attachment.objects.filter(request=old).exists()
    assert not stored_file.storage.exists(stored_file.name)
    assert not OutgoingEmail.objects.filter(request=old).exists()
    assert "Réparé" not in " ".join(old.events.values_list("note", flat=True))
    # What statistics need stays: reference, type, department, status, dates.
    assert old.status == Status.CLOSED and old.request_type == pothole and old.reference


def test_recent_or_open_requests_are_kept(pothole):
    recent = finished_request(pothole, years_ago=1)
    still_open, _created = request_submit(request_type=pothole, data=VALID_DATA)
    CitizenRequest.objects.filter(pk=still_open.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=365 * 5)
    )
    assert personal_data_purge() == 0
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.email == VALID_DATA["email"] and still_open.email == VALID_DATA["email"]


def test_the_command_purges_once_and_reports(pothole, capsys):
    finished_request(pothole, years_ago=4)
    call_command("purge_personal_data", "--dry-run")
    assert "1 request(s) due" in capsys.readouterr().out
    call_command("purge_personal_data")
    assert "destroyed in 1 request(s)" in capsys.readouterr().out
    call_command("purge_personal_data")
    assert "destroyed in 0 request(s)" in capsys.readouterr().out
