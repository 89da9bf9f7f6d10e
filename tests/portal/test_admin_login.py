"""Staff sign-in is throttled: guessing passwords stops working after a few tries."""

import pytest

from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        username="editrice", password="le-bon-mot-de-passe-42", is_staff=True, is_superuser=True
    )


def sign_in(client, password, **extra):
    return client.post("/admin/login/", {"username": "editrice", "password": password}, **extra)


def test_the_right_password_no_longer_works_after_repeated_wrong_ones(editor, settings):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, f"faux-{attempt}").status_code == 200  # the form again, with its error
    locked = sign_in(client, "faux-final")
    assert locked.status_code == 429 and "Connexion bloquée" in locked.text
    after = sign_in(client, "le-bon-mot-de-passe-42")
    assert after.status_code == 429 and "_auth_user_id" not in client.session


def test_another_address_is_not_locked_out_by_someone_elses_guesses(editor, settings):
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, f"faux-{attempt}")
    staff = Client(REMOTE_ADDR="192.0.2.10")
    assert sign_in(staff, "le-bon-mot-de-passe-42").status_code == 302


def test_a_correct_sign_in_works(editor):
    response = sign_in(Client(), "le-bon-mot-de-passe-42")
    assert response.status_code == 302 and response["Location"] == "/admin/"
