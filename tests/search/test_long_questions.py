"""A citizen who writes a long question gets answers; only text past the contract's 1,000
characters is refused, with a reason."""

import re

import pytest

from knowledge.models import AnswerPage
from search.entry import INSTANT_TEXT_LENGTH, instant_answer_text

from .conftest import source_ids

pytestmark = pytest.mark.django_db

LONG_QUESTION = (
    "Bonjour, je viens d'emménager dans le quartier et je ne sais pas du tout quel jour passe le "
    "camion pour la collecte des ordures ménagères dans ma rue. Mon voisin dit que c'est le mardi "
    "mais je ne suis pas certain, et je me demande aussi s'il faut sortir le bac roulant la veille "
    "au soir ou le matin même, parce que je pars travailler très tôt. Merci beaucoup de votre aide!"
)


def first_result_id(html: str) -> int:
    """The page id of the first result link of the search page."""
    return int(re.search(r"page=(\d+)&amp;pos=1\b", html).group(1))


def test_a_long_question_is_answered_by_the_api(client, corpus):
    assert 300 < len(LONG_QUESTION) < 1000
    response = client.get("/api/search/", {"q": LONG_QUESTION, "lang": "fr"})
    assert response.status_code == 200
    data = response.json()
    assert data["results"][0]["source_id"] == "col-fr"
    assert data["suggestion"] is None  # every word is spelt right: nothing to "correct"


def test_a_question_of_1000_characters_is_searched_and_1001_refused(client, corpus):
    question = (LONG_QUESTION + " ") * 3
    exactly = question[:1000]
    assert client.get("/api/search/", {"q": exactly, "lang": "fr"}).status_code == 200
    refused = client.get("/api/search/", {"q": question[:1001] + "x", "lang": "fr"})
    assert refused.status_code == 400
    assert "1000" in refused.json()["error"]
    page = client.get("/fr/recherche/", {"q": exactly})
    assert page.status_code == 200
    assert first_result_id(page.text) == AnswerPage.objects.get(source_id="col-fr").pk
    english = client.get("/en/search/", {"q": "x" * 1001})
    assert english.status_code == 400
    assert "longer than 1000 characters" in english.text


def test_the_search_page_answers_a_long_question(client, corpus):
    page = client.get("/fr/recherche/", {"q": LONG_QUESTION})
    assert page.status_code == 200
    assert first_result_id(page.text) == AnswerPage.objects.get(source_id="col-fr").pk


def test_instant_answer_text_is_the_subject_and_the_start_of_the_description():
    assert instant_answer_text("Bac brisé", "") == "Bac brisé"
    assert (
        instant_answer_text("Bac brisé", "Le camion a   cassé\nmon bac.")
        == "Bac brisé Le camion a cassé mon bac."
    )
    text = instant_answer_text("Bac brisé", "mot " * 200)
    assert len(text) <= INSTANT_TEXT_LENGTH
    assert text.startswith("Bac brisé mot") and text.endswith("mot")  # cut between words
    assert instant_answer_text("", "Nid-de-poule devant chez moi") == "Nid-de-poule devant chez moi"
    assert instant_answer_text("Bac", "x" * 1000).startswith("Bac xxx")  # never nothing


def test_request_form_suggestions_read_the_description(client, corpus):
    from search.entry import search_pages

    # The subject alone says little; the description says what it is about.
    assert source_ids(search_pages("Une question", language="fr", log=False)) == []
    page = client.post(
        "/fr/demande/question/",
        {
            "step": "describe",
            "subject": "Une question",
            "description": "Quel jour passe la collecte des ordures ménagères dans ma rue? "
            + "Merci. " * 200,
        },
    )
    assert page.status_code == 200
    assert "Quel jour a lieu la collecte des ordures ménagères?" in page.text
