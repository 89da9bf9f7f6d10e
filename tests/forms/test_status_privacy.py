"""Who sees what on the status page: by reference, the kind and date of each event; the text of
the notes only through the private link or after confirming the e-mail or phone."""

from datetime import timedelta

import pytest

from django.utils import timezone

from forms.models import CitizenRequest, Status
from forms.services import request_add_note, request_change_status, status_token

from .conftest import VALID_DATA
from .links import private_link_references

NOTE = "Bonjour Mme Tremblay, l'équipe passera mardi au 12, rue Principale."
INTERNAL = "Voisin difficile, prévoir deux cols bleus."


@pytest.fixture
def handled(open_request, admin_user):
    citizen_request = open_request
    request_change_status(
        citizen_request=citizen_request, status=Status.IN_PROGRESS, actor=admin_user, note="Équipe en route."
    )
    request_add_note(citizen_request=citizen_request, note=NOTE, actor=admin_user, public=True)
    request_add_note(citizen_request=citizen_request, note=INTERNAL, actor=admin_user, public=False)
    return citizen_request


def test_by_reference_alone_the_kind_and_date_but_no_note_text(client, handled):
    page = client.get("/fr/suivi/", {"reference": handled.reference})
    assert page.status_code == 200
    assert "Message de la Ville" in page.text and "Statut : En traitement" in page.text
    assert f'datetime="{timezone.localtime(handled.public_events().last().created_at):%Y-%m-%d}' in page.text
    assert "Direction des travaux publics" in page.text  # the department and since when
    assert NOTE not in page.text and "Équipe en route." not in page.text and INTERNAL not in page.text
    assert "Le texte s'affiche une fois" in page.text
    assert 'name="text"' not in page.text  # no form that acts on the request
    english = client.get("/en/status/", {"reference": handled.reference})
    assert "Message from the city" in english.text and NOTE not in english.text


def test_the_private_link_shows_the_note_text(client, handled):
    page = client.get(f"/fr/suivi/{status_token(handled)}/")
    assert page.status_code == 200
    assert "Bonjour Mme Tremblay" in page.text and "Équipe en route." in page.text
    assert INTERNAL not in page.text
    assert 'name="text"' in page.text
    assert private_link_references(page.text, 'action="/fr/suivi/', "ajout/") == [handled.reference]


def test_after_confirming_the_contact_the_note_text_is_shown(client, handled):
    confirmed = client.post(
        "/fr/suivi/", {"reference": handled.reference, "contact": VALID_DATA["email"]}, follow=True
    )
    assert confirmed.status_code == 200
    assert "Bonjour Mme Tremblay" in confirmed.text and INTERNAL not in confirmed.text
    # The form of a confirmed visitor carries the reference, never the private link's token.
    assert 'action="/fr/suivi/ajout/"' in confirmed.text
    assert private_link_references(confirmed.text, "/fr/suivi/") == []
    # Another visitor with the reference alone still sees no text.
    from django.test import Client

    assert "Bonjour Mme Tremblay" not in Client().get("/fr/suivi/", {"reference": handled.reference}).text


def test_an_expired_private_link_hides_the_note_text_again(client, handled, settings):
    settings.REQUESTS_PRIVATE_LINK_DAYS = 90
    CitizenRequest.objects.filter(pk=handled.pk).update(
        status=Status.CLOSED, status_changed_at=timezone.now() - timedelta(days=91)
    )
    page = client.get(f"/fr/suivi/{status_token(handled)}/")
    assert page.status_code == 200 and "Ce lien privé a expiré" in page.text
    assert "Bonjour Mme Tremblay" not in page.text and "Message de la Ville" in page.text
