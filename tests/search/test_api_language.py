"""API errors speak the caller's language: French by default, English on request."""

import pytest


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("fr-CA,fr;q=0.9", "La recherche est vide"),
        ("en-CA,en;q=0.9", "The query is empty"),
        ("", "La recherche"),
    ],
)
def test_empty_query_error_is_in_the_callers_language(client, db, accept_language, expected):
    response = client.get("/api/search/?q=", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 400
    assert response.json()["error"].startswith(expected)
