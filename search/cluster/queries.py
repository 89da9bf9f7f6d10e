"""Search bodies for the cluster, built with elasticsearch-dsl (`Search(...).to_dict()`).

The engine-neutral `ParsedQuery` has already dropped elisions, stop words and
question words; its content words are what the cluster analyzes (its own search
analyzer adds stems and the editors' synonyms graph).
"""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch_dsl import Q, Search

from ..highlight import EXCERPT_LENGTH
from ..query import damerau_levenshtein, max_typos, stem
from .index import BOOSTS, SEARCH_FIELDS

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
MARK = {"pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html"}


def query_text(parsed_query) -> str:
    return " ".join(parsed_query.words)


def search_body(
    parsed_query,
    *,
    language: str,
    limit: int,
    offset: int = 0,
    topic_id: int | None = None,
    typos: dict[str, tuple[tuple[str, float], ...]] | None = None,
) -> dict:
    """Ranked live pages with a highlighted excerpt.

    `typos` maps each word the index does not know to its nearest known words and their
    weights, which the cluster's spelling suggester found (a Levenshtein automaton over
    the index's words). They are matched like query words, at that lower weight; the
    best one counts. A typo without corrections is matched with fuzziness.
    Like the database engine, a known word is never "corrected" into another one
    (« cans » is not « cats »). Matching corrections rather than fuzzy terms keeps the
    search as cheap as one without typos.
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
        Q(
            "multi_match",
            query=text,
            fields=PHRASE_FIELDS,
            type="phrase",
            slop=PHRASE_SLOP,
            boost=PHRASE_BOOST,
        ),
    ]
    for near in (typos or {}).values():
        should.append(_typo_clause(near))
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
        .highlight_options(**MARK)
        .highlight("summary", number_of_fragments=0)
        .highlight("body", fragment_size=EXCERPT_LENGTH - 40, number_of_fragments=1)
    )
    return search.to_dict()


def suggest_body(text: str) -> dict:
    """Only the suggesters, no search: which words of `text` does the index not know, even
    stemmed (« piscines » is known through « piscine »)? And what would they be, spelt like
    words of the answers? Cheap (a few term dictionary lookups), and asked only for words
    the engine has not seen lately (`word_verdicts`).
    """
    term = {"suggest_mode": "missing", "min_word_length": 4, "prefix_length": PREFIX_LENGTH}
    search = Search().extra(size=0, track_total_hits=False)
    search = search.suggest("unknown_stems", text, term={"field": "stems", "size": 1, **term})
    search = search.suggest("spelling", text, term={"field": "spell", "size": MAX_CORRECTIONS, **term})
    return search.to_dict()


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
    vocabulary is misspelt unless it is only another form of the word found (same
    Snowball stem as the database engine uses: « piscines » is fine, « piscinne » and
    « permi » are not).
    """
    unknown, spelling = _entries(answer, "unknown_stems"), _entries(answer, "spelling")
    verdicts, offset = {}, 0
    for word in text.split(" "):
        typo = bool(unknown.get(offset, {}).get("options"))
        options = [option["text"] for option in spelling.get(offset, {}).get("options", [])]
        spelt = options[0] if options else None
        if spelt and stem(spelt, language) == stem(word, language):
            spelt = None
        near = corrections(word, options) if typo else ()
        verdicts[word] = Verdict(typo=bool(near), spelling=spelt, corrections=near)
        offset += len(word) + 1
    return verdicts


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


def completion_body(prefix: str, *, limit: int) -> dict:
    """Titles and keywords that start with what the citizen has typed so far (one typo allowed)."""
    search = Search().source(["page_id", "title", "url"]).extra(size=0)
    search = search.suggest(
        "instant",
        prefix,
        completion={"field": "complete", "size": limit, "skip_duplicates": True, "fuzzy": {"fuzziness": 1}},
    )
    return search.to_dict()


__all__ = [
    "BOOSTS",
    "Verdict",
    "completion_body",
    "did_you_mean",
    "query_text",
    "search_body",
    "suggest_body",
    "unknown_words",
    "word_verdicts",
]
