"""Search bodies for the cluster, built with elasticsearch-dsl (`Search(...).to_dict()`).

The engine-neutral `ParsedQuery` has already dropped elisions, stop words and
question words; its content words are what the cluster analyzes (its own search
analyzer adds stems and the editors' synonyms graph).
"""

from __future__ import annotations

from elasticsearch_dsl import Q, Search

from ..highlight import EXCERPT_LENGTH
from ..query import stem
from .index import BOOSTS, SEARCH_FIELDS

# Fuzziness AUTO (0 edits up to 3 letters, 1 up to 5, 2 beyond), first letter exact:
# citizens rarely get the first letter wrong, and it keeps the expansion cheap.
FUZZINESS = "AUTO"
FUZZY_BOOST = 0.7
# cross_fields: one term counts once (its best field), with document frequencies blended
# across fields — close to the database engine's BM25F.
MATCH_TYPE = "cross_fields"
TIE_BREAKER = 0.0
PHRASE_FIELDS = ["title^3", "keywords^3", "summary^1.5"]
PREFIX_LENGTH = 1
MAX_EXPANSIONS = 20
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
    typos: list[str] | None = None,
) -> dict:
    """Ranked live pages with a highlighted excerpt.

    First pass (`typos` is None): exact words only, plus the suggesters that tell which
    words the index does not know (`unknown_words`) and how to spell the query
    (`did_you_mean`). Second pass, only when some words are unknown: those words are
    also matched with fuzziness AUTO — like the database engine, a known word is never
    "corrected" into another one (« cans » is not « cats »).
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
    if typos:
        should.append(
            Q(
                "multi_match",
                query=" ".join(typos),
                fields=SEARCH_FIELDS,
                type="most_fields",
                operator="or",
                fuzziness=FUZZINESS,
                prefix_length=PREFIX_LENGTH,
                max_expansions=MAX_EXPANSIONS,
                auto_generate_synonyms_phrase_query=False,
                boost=FUZZY_BOOST,
            )
        )
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
    if typos is None:
        # Which words does the index not know, even stemmed (« piscines » is known through
        # « piscine »)? And what would they be, spelt like words of the answers?
        term = {"suggest_mode": "missing", "min_word_length": 4, "prefix_length": PREFIX_LENGTH, "size": 1}
        search = search.suggest("unknown_stems", text, term={"field": "stems", **term})
        search = search.suggest("spelling", text, term={"field": "spell", **term})
    return search.to_dict()


def _entries(answer: dict, name: str) -> dict[int, dict]:
    return {entry["offset"]: entry for entry in answer.get("suggest", {}).get(name, [])}


def unknown_words(answer: dict, text: str) -> list[str]:
    """Words of `text` the index does not know (even stemmed) but that are near words it knows."""
    unknown = _entries(answer, "unknown_stems")
    return [
        text[offset : offset + entry["length"]]
        for offset, entry in sorted(unknown.items())
        if entry.get("options")
    ]


def did_you_mean(answer: dict, text: str, language: str) -> str | None:
    """`text` with its misspelt words replaced by the nearest words of the answers, if any.

    A word missing from the answers' vocabulary is misspelt unless it is only another
    form of the word found (same Snowball stem as the database engine uses: « piscines »
    is fine, « piscinne » and « permi » are not).
    """
    corrected, last, changed = [], 0, False
    for offset, entry in sorted(_entries(answer, "spelling").items()):
        if not entry.get("options"):
            continue
        word, option = text[offset : offset + entry["length"]], entry["options"][0]["text"]
        if stem(word, language) == stem(option, language):
            continue
        corrected += [text[last:offset], option]
        last, changed = offset + entry["length"], True
    return "".join([*corrected, text[last:]]) if changed else None


def completion_body(prefix: str, *, limit: int) -> dict:
    """Titles and keywords that start with what the citizen has typed so far (one typo allowed)."""
    search = Search().source(["page_id", "title", "url"]).extra(size=0)
    search = search.suggest(
        "instant",
        prefix,
        completion={"field": "complete", "size": limit, "skip_duplicates": True, "fuzzy": {"fuzziness": 1}},
    )
    return search.to_dict()


__all__ = ["BOOSTS", "completion_body", "did_you_mean", "query_text", "search_body", "unknown_words"]
