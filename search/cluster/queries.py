"""The cluster's part of a search: retrieving candidate pages. The ranking is `search.ranking`.

The shared ranking expands the query first (its stems, the editors' synonyms, typo
corrections and, for instant answers, completions of the last word) into the words of the
answers it may match; the cluster returns the pages holding any of them, best first by its
own BM25, up to `CANDIDATES`; the shared scorer then ranks those pages exactly as the
database engine ranks all of them.
"""

from __future__ import annotations

# Pages the cluster hands to the shared scorer: far more than a citizen reads.
CANDIDATES = 100
# Lucene refuses a query of more than 1,024 clauses.
MAX_WORDS = 300
# What a candidate search reads of the answer: less JSON to send and decode.
CANDIDATE_FIELDS = "hits.hits._id"


def candidate_body(
    words: list[str], *, language: str, topic_id: int | None = None, size: int = CANDIDATES
) -> dict:
    """Pages of `language` (under `topic_id`) holding any of `words`, folded words of the answers:
    a page holding none of them would score nothing in the shared ranking."""
    filters: list[dict] = [{"term": {"language": language}}]
    if topic_id is not None:
        filters.append({"term": {"topic_id": topic_id}})
    match = {"match": {"spell": {"query": " ".join(words[:MAX_WORDS]), "operator": "or"}}}
    return {
        "query": {"bool": {"must": [match], "filter": filters}},
        # Documents are stored under their page id: no stored field to read per candidate.
        "_source": False,
        "track_total_hits": False,
        "size": size,
    }


def candidate_ids(answer: dict) -> list[int]:
    return [int(hit["_id"]) for hit in answer.get("hits", {}).get("hits", [])]
