"""Personal data removed from a citizen's text before it becomes an answer page."""

import pytest

from portal.scrub import PLACEHOLDER, scrub

CITIZEN = {
    "name": "Marie Tremblay",
    "email": "marie.t@example.org",
    "phone": "418 555-0199",
    "address": "12, rue Principale",
}


@pytest.mark.parametrize(
    "phone",
    [
        "418 555-0123",
        "(418) 555-0123",
        "1-418-555-0123",
        "+1 418 555 0123",
        "418.555.0123",
        "4185550123",
        "418-555-0123 poste 204",
    ],
)
def test_north_american_phone_numbers_are_removed(phone):
    assert scrub(f"Appelez-moi au {phone} SVP.") == f"Appelez-moi au {PLACEHOLDER} SVP."


@pytest.mark.parametrize("email", ["jean.roy@example.com", "J_Roy+ville@courriel.qc.ca"])
def test_any_email_address_is_removed(email):
    assert scrub(f"Écrivez à {email}.") == f"Écrivez à {PLACEHOLDER}."


@pytest.mark.parametrize("postal_code", ["G6V 1A1", "g6v1a1", "H2X-3Y7"])
def test_postal_codes_are_removed(postal_code):
    assert scrub(f"Je reste à Lévis, {postal_code}, depuis 2010.") == (
        f"Je reste à Lévis, {PLACEHOLDER}, depuis 2010."
    )


def test_the_citizens_own_data_is_removed_in_any_spelling():
    text = (
        "Bonjour, je suis Marie Tremblay (MARIE.T@EXAMPLE.ORG, 418-555-0199) et j'habite au "
        "12 rue principale. Mme Tremblay demande quand passe la collecte."
    )
    scrubbed = scrub(text, **CITIZEN)
    for leak in ["Marie", "Tremblay", "MARIE.T", "555", "0199", "12 rue", "principale"]:
        assert leak.lower() not in scrubbed.lower()
    assert "demande quand passe la collecte" in scrubbed


def test_the_civic_address_only_when_it_is_the_requests():
    text = "La collecte au 12, rue Principale et sur la rue des Érables."
    assert scrub(text, address="12, rue Principale") == (
        f"La collecte au {PLACEHOLDER} et sur la rue des Érables."
    )
    assert scrub(text) == text


def test_ordinary_text_numbers_and_short_name_parts_stay():
    text = "Les bacs de 360 litres sont ramassés le mardi 14 janvier 2025 à 7 h, de la rue 2 à la rue 10."
    assert scrub(text, name="Jo de La Tour") == text.replace("Tour", PLACEHOLDER)
    assert scrub("") == "" and scrub(None) == ""
