"""Search bodies for the cluster, built with elasticsearch-dsl (`Search(...).to_dict()`).

The engine-neutral `ParsedQuery` has already dropped elisions, stop words and
question words; its content words are what the cluster analyzes (its own search
analyzer adds stems and the editors' synonyms graph).
"""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch_dsl import Q, Search

from django.utils.html import escape

from ..highlight import EXCERPT_LENGTH
from ..query import damerau_levenshtein, max_typos, stem
from .index import BOOSTS, MARK_END, MARK_START, SEARCH_FIELDS

# cross_fields: one term counts once (its best field), with document frequencies blended
# across fields — close to the database engine's BM25F.
MATCH_TYPE = "cross_fields"
TIE_BREAKER = 0.0
PHRASE_FIELDS = ["title^3", "keywords^3", "summary^1.5"]
# Citizens rarely get the first letter wrong, and it keeps the suggesters cheap.
PREFIX_LENGTH = 1
CORRECTION_WEIGHT = 0.7
# Known words tried for a typo (« pisicne » → piscine, piscines…).
MAX_CORRECTIONS = 3
PHRASE_BOOST = 2.0
PHRASE_SLOP = 2
PREFIX_BOOST = 1.5
COMPLETION = "instant"
# A completion field keeps the first 50 characters of each title (`max_input_length`):
# more of the query can't match, and only makes the fuzzy automaton bigger.
COMPLETION_MAX_LENGTH = 50
# The excerpt is escaped here, as on the database engine (same markup), then marked.
MARK = {"pre_tags": [MARK_START], "post_tags": [MARK_END]}


def query_text(parsed_query) -> str:
    """The query's content words, each once: a repeated word adds nothing to the answer, and
    every synonym it triggers multiplies the clauses of the query (Lucene caps them at 1,024)."""
    return " ".join(dict.fromkeys(parsed_query.words))


def search_body(
    parsed_query,
    *,
    language: str,
    limit: int,
    offset: int = 0,
    topic_id: int | None = None,
    typos: dict[str, tuple[tuple[str, float], ...]] | None = None,
    complete: str | None = None,
    spelling: bool = False,
) -> dict:
    """Ranked live pages with a highlighted excerpt.

    `spelling` attaches the suggesters (`_spelling`) to the search, for words the
    engine has not seen lately: a query without typos is then answered in one request.

    `complete` (instant answers: what the citizen has typed so far) adds the completion
    suggester to the same request, so titles and keywords that start with it can fill
    the list when the ranked search finds few answers yet.

    `typos` maps each word the index does not know to its nearest known words and their
    weights, which the cluster's spelling suggester found (a Levenshtein automaton over
    the index's words, within the edits a fuzzy query would allow). They are matched like
    query words, at that lower weight; the best one counts. Like the database engine, a
    known word is never "corrected" into another one (« cans » is not « cats »). Matching
    corrections rather than fuzzy terms keeps the search as cheap as one without typos.

    The excerpt marks every word the search matched: the phrase clause only re-ranks (a
    phrase in the highlight query would mark a word only where the phrase is).
    """
    text = query_text(parsed_query)
    should = [
        Q(
            "multi_match",
            query=text,
            fields=SEARCH_FIELDS,
            type=MATCH_TYPE,
            tie_breaker=TIE_BREAKER,
            operator="or",
            auto_generate_synonyms_phrase_query=False,
        ),
        # The citizen's own words side by side, without synonyms: a phrase over the synonym
        # graph would be one phrase per path, thousands for a few words with synonyms.
        Q(
            "multi_match",
            query=text,
            fields=PHRASE_FIELDS,
            type="phrase",
            slop=PHRASE_SLOP,
            boost=PHRASE_BOOST,
            analyzer=f"{language}_text",
        ),
    ]
    for near in (typos or {}).values():
        should.append(_typo_clause(near))
    matched_words = Q("bool", should=[should[0], *should[2:]])
    if parsed_query.prefix_last:
        # Instant answers while typing: the last word may be unfinished.
        should.append(
            Q(
                "multi_match",
                query=text,
                fields=["title.prefix", "keywords"],
                type="bool_prefix",
                boost=PREFIX_BOOST,
            )
        )
    filters = [Q("term", language=language)]
    if topic_id is not None:
        filters.append(Q("term", topic_id=topic_id))
    search = (
        Search()
        .query(Q("bool", should=should, minimum_should_match=1, filter=filters))
        .source(["page_id"])
        .extra(from_=offset, size=limit)
        .highlight_options(**MARK, highlight_query=matched_words.to_dict())
        .highlight("summary", number_of_fragments=0)
        .highlight("body", fragment_size=EXCERPT_LENGTH - 40, number_of_fragments=1)
    )
    if complete:
        search = _completion(search, complete, limit=limit)
    if spelling:
        search = _spelling(search, text)
    return search.to_dict()


def _spelling(search: Search, text: str) -> Search:
    """The suggesters: which words of `text` does the index not know, even stemmed
    (« piscines » is known through « piscine »)? And what would they be, spelt like words of
    the answers? Cheap (a few term dictionary lookups), and attached only for words the
    engine has not seen lately (`word_verdicts`).
    """
    term = {"suggest_mode": "missing", "min_word_length": 4, "prefix_length": PREFIX_LENGTH}
    search = search.suggest("unknown_stems", text, term={"field": "stems", "size": 1, **term})
    return search.suggest("spelling", text, term={"field": "spell", "size": MAX_CORRECTIONS, **term})


def marked_html(fragment: str) -> str | None:
    """A highlighted fragment as safe HTML with <mark>, or None if nothing in it is marked."""
    if MARK_START not in fragment:
        return None
    return escape(fragment).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _typo_clause(corrections: tuple[tuple[str, float], ...]) -> Q:
    """The known words near a typo, each at its weight; the best one counts."""
    return Q(
        "dis_max",
        queries=[
            Q(
                "multi_match",
                query=known,
                fields=SEARCH_FIELDS,
                type="most_fields",
                operator="or",
                auto_generate_synonyms_phrase_query=False,
                boost=weight,
            )
            for known, weight in corrections
        ],
    )


@dataclass(frozen=True)
class Verdict:
    """What the index says of one query word: unknown but near known words, and its spelling."""

    typo: bool = False
    spelling: str | None = None
    corrections: tuple[tuple[str, float], ...] = ()  # (known word, weight)


def _entries(answer: dict, name: str) -> dict[int, dict]:
    return {entry["offset"]: entry for entry in answer.get("suggest", {}).get(name, [])}


def word_verdicts(answer: dict, text: str, language: str) -> dict[str, Verdict]:
    """A verdict for every word of `text` (words joined by single spaces), from the suggesters.

    A word is a typo if the index does not know it, even stemmed (« piscines » is known
    through « piscine »), but knows words near it. A word missing from the answers'
    vocabulary is misspelt, as on the database engine, unless its stem is known and it is
    an inflection the answers do not happen to use: another word's form (« cans » is not
    « cats ») or a plural (« piscines »). « piscinne » and « permi » are misspelt.
    """
    unknown, spelling = _entries(answer, "unknown_stems"), _entries(answer, "spelling")
    verdicts, offset = {}, 0
    for word in text.split(" "):
        typo = bool(unknown.get(offset, {}).get("options"))
        options = [option["text"] for option in spelling.get(offset, {}).get("options", [])]
        spelt = options[0] if options else None
        if spelt and _inflection(word, spelt, options, language):
            spelt = None
        near = corrections(word, options) if typo else ()
        verdicts[word] = Verdict(typo=bool(near), spelling=spelt, corrections=near)
        offset += len(word) + 1
    return verdicts


def _inflection(word: str, spelt: str, options: list[str], language: str) -> bool:
    """Is `word` a form of a known word rather than a slip for `spelt`? The database engine's
    rule, with the same (Snowball) stems: the word's stem is known (here: a known word near it
    has it) and it is a form of another word, or a plural."""
    word_stem = stem(word, language)
    if not any(stem(option, language) == word_stem for option in options):
        return False
    return stem(spelt, language) != word_stem or word in (spelt + "s", spelt + "x")


def corrections(word: str, options: list[str]) -> tuple[tuple[str, float], ...]:
    """The suggester's known words within the edits the database engine allows for a word of
    this length (`max_typos`). Weighted as Lucene weighs a fuzzy match (the share of letters
    kept), times CORRECTION_WEIGHT: a short real word the index lacks (« hier ») counts little
    once "corrected" (« hiver »)."""
    found = []
    for option in options:
        distance = damerau_levenshtein(word, option)
        if 0 < distance <= max_typos(word):
            found.append((option, round(CORRECTION_WEIGHT * (1 - distance / len(word)), 3)))
    return tuple(found)


def unknown_words(words: list[str], verdicts: dict[str, Verdict]) -> dict[str, tuple[tuple[str, float], ...]]:
    """The typos of the query, in query order, each with the known words to try instead."""
    return {word: verdicts[word].corrections for word in words if verdicts[word].typo}


def did_you_mean(words: list[str], verdicts: dict[str, Verdict]) -> str | None:
    """The query with its misspelt words replaced by the nearest words of the answers, if any."""
    spelt = [verdicts[word].spelling or word for word in words]
    return " ".join(spelt) if spelt != words else None


def _completion(search: Search, prefix: str, *, limit: int) -> Search:
    return search.suggest(
        COMPLETION,
        prefix[:COMPLETION_MAX_LENGTH],
        completion={"field": "complete", "size": limit, "skip_duplicates": True, "fuzzy": {"fuzziness": 1}},
    )


def completion_body(prefix: str, *, limit: int) -> dict:
    """Titles and keywords that start with what the citizen has typed so far (one typo allowed)."""
    return _completion(
        Search().source(["page_id", "title", "url"]).extra(size=0), prefix, limit=limit
    ).to_dict()


def completion_options(answer: dict) -> list[dict]:
    """What the completion suggester proposed, best first (each option has its `_source`)."""
    entries = answer.get("suggest", {}).get(COMPLETION) or [{}]
    return entries[0].get("options", [])


def completed_page_ids(answer: dict) -> list[int]:
    """Page ids the completion suggester proposed, best first."""
    return [int(option["_source"]["page_id"]) for option in completion_options(answer)]


__all__ = [
    "BOOSTS",
    "Verdict",
    "completed_page_ids",
    "completion_options",
    "completion_body",
    "did_you_mean",
    "marked_html",
    "query_text",
    "search_body",
    "unknown_words",
    "word_verdicts",
]
