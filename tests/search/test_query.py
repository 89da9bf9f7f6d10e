"""Query understanding, engine-neutral and without a database."""

from search.highlight import excerpt, mark
from search.query import (
    FuzzyVocabulary,
    compile_synonyms,
    content_words,
    damerau_levenshtein,
    fold,
    normalise,
    parse_query,
    stem,
)


def test_fold_removes_accents_case_and_ligatures():
    assert fold("Déneigement ŒUVRE Écocentre") == "deneigement oeuvre ecocentre"


def test_elision_and_question_words_are_dropped():
    assert content_words("C'est quand qu'ils ramassent l'écocentre?", "fr") == ["ramassent", "ecocentre"]
    assert content_words("How do I get a library card?", "en") == ["library", "card"]
    assert content_words("Est-ce que je peux payer?", "fr") == ["payer"]


def test_stems_agree_with_and_without_accents():
    assert stem(fold("déneigement"), "fr") == stem("deneigement", "fr") == stem("deneiger", "fr")
    assert stem("piscines", "fr") == stem("piscine", "fr")
    assert stem("collected", "en") == stem("collection", "en")


def test_normalise_is_what_logs_and_promotions_see():
    assert normalise("  Vidanges   MARDI ") == "vidanges mardi"


def test_synonyms_add_a_second_reading():
    rules = compile_synonyms([("vidanges, poubelles", "ordures ménagères"), ("bac bleu", "recyclage")], "fr")
    parsed = parse_query("vidanges bac bleu lundi", language="fr", synonyms=rules)
    assert len(parsed.clauses) == 3
    first, second, third = parsed.clauses
    assert [slot.word for slot in first.readings[1]] == ["ordures", "menageres"]
    assert [slot.word for slot in second.readings[0]] == ["bac", "bleu"]
    assert [slot.word for slot in second.readings[1]] == ["recyclage"]
    assert len(third.readings) == 1


def test_typo_distance_and_vocabulary():
    assert damerau_levenshtein("piscinne", "piscine") == 1
    assert damerau_levenshtein("recylage", "recyclage") == 1
    assert damerau_levenshtein("stationement", "stationnement") == 1
    vocabulary = FuzzyVocabulary({"piscine": 3, "recyclage": 5, "stationnement": 2, "permis": 9})
    assert vocabulary.near("piscinne")[0] == ("piscine", 1)
    assert vocabulary.near("stationemnet")[0] == ("stationnement", 2)
    assert vocabulary.near("xyzw") == []
    assert vocabulary.completions("pisc") == ["piscine"]


def test_mark_wraps_matching_words_and_escapes_the_rest():
    html = mark("Le <b>déneigement</b> des rues", {stem("deneigement", "fr")}, "fr")
    assert html == "Le &lt;b&gt;<mark>déneigement</mark>&lt;/b&gt; des rues"


def test_excerpt_picks_the_passage_that_answers():
    html = excerpt(
        summary="Une réponse courte.",
        body="Premier paragraphe sans rapport.\nLe stationnement de nuit est interdit en hiver.",
        stems={stem("stationnement", "fr"), stem("nuit", "fr")},
        language="fr",
    )
    assert "<mark>stationnement</mark>" in html and "<mark>nuit</mark>" in html
    assert "Premier" not in html
