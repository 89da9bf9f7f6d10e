"""The index is code: analyzers, mapping and documents of the cluster index, in one place.

One index per language (`<prefix>-pages-<lang>-<timestamp>`) behind an alias
(`<prefix>-pages-<lang>`), so that a rebuild switches atomically. Nothing here
runs at import time: `build_index` is called when an index is built, with the
editors' synonyms of that moment.

Analysis chain (index): standard tokenizer → elision (French) / possessive
(English) → lowercase → ASCII folding → stop words (the same folded list as the
database engine, `search.query.STOP_WORDS`) → light stemmer. The search analyzer
adds a `synonym_graph` filter fed with the editors' synonyms after the stemmer,
so that « vidange » and « vidanges » both match a rule; rules are re-read and
pushed with `synonym_settings` (close / put settings / open) without reindexing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from elasticsearch_dsl import Index, Integer, Keyword, Mapping, Text, analyzer, token_filter

from ..documents import PageDocument
from ..query import STOP_WORDS, content_words

LANGUAGES = ("fr", "en")
FRENCH_ELISIONS = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]
# Lucene's light stemmers: gentle enough that « permis » and « permit » stay apart.
STEMMERS = {"fr": "light_french", "en": "light_english"}
COPY_TO = ["spell"]


def alias_name(prefix: str, language: str) -> str:
    return f"{prefix}-pages-{language}"


def new_index_name(prefix: str, language: str) -> str:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{alias_name(prefix, language)}-{stamp}"


def stop_words(language: str) -> list[str]:
    """The database engine's folded stop list, as plain words the stop filter can hold."""
    return sorted(word for word in STOP_WORDS[language] if re.fullmatch(r"[a-z0-9]+", word))


def synonym_lines(rows: Iterable[tuple[str, str]], language: str) -> list[str]:
    """Editors' (terms, canonical) pairs → Solr rules that keep the typed words and add the canonical ones.

    Phrases are reduced to their content words first (the stop filter runs before the
    synonym filter, and a rule with a hole in it would be rejected). Each canonical word is
    an alternative of its own: a path of several words in the synonym graph would require
    them all, where editors list words any of which the answers may use (as the database
    engine reads them).
    """
    lines = []
    for terms, canonical in rows:
        targets = list(dict.fromkeys(content_words(canonical, language)))
        if not targets:
            continue
        for term in re.split(r"[,;\n]", terms):
            phrase = " ".join(content_words(term, language))
            if phrase and phrase != " ".join(targets):
                alternatives = [phrase, *(word for word in targets if word != phrase)]
                lines.append(f"{phrase} => {', '.join(alternatives)}")
    return sorted(set(lines))


def _analyzers(language: str, synonyms: list[str]):
    """(index analyzer, search analyzer, spelling analyzer) of a language."""
    if language == "fr":
        first = [token_filter("fr_elision", "elision", articles=FRENCH_ELISIONS, articles_case=True)]
    else:
        first = [token_filter("en_possessive", "stemmer", language="possessive_english")]
    folding = [*first, "lowercase", "asciifolding"]
    stop = token_filter(f"{language}_stop", "stop", stopwords=stop_words(language))
    stemmer = token_filter(f"{language}_stemmer", "stemmer", language=STEMMERS[language])
    # A filter must have at least one rule; a rule of a word to itself changes nothing.
    synonym_graph = token_filter(
        f"{language}_synonyms", "synonym_graph", synonyms=synonyms or ["portail => portail"], lenient=True
    )
    index_analyzer = analyzer(f"{language}_text", tokenizer="standard", filter=[*folding, stop, stemmer])
    search_analyzer = analyzer(
        f"{language}_search", tokenizer="standard", filter=[*folding, stop, stemmer, synonym_graph]
    )
    spelling = analyzer(f"{language}_spell", tokenizer="standard", filter=folding)
    return index_analyzer, search_analyzer, spelling


def build_mapping(language: str, synonyms: list[str]) -> Mapping:
    index_analyzer, search_analyzer, spelling = _analyzers(language, synonyms)

    def text(**extra):
        return Text(analyzer=index_analyzer, search_analyzer=search_analyzer, **extra)

    mapping = Mapping()
    mapping.meta("dynamic", "strict")
    mapping.field("page_id", Integer())
    mapping.field("language", Keyword())
    mapping.field("kind", Keyword())
    mapping.field("source_id", Keyword())
    mapping.field("topic_id", Integer())
    mapping.field("url", Keyword(index=False))
    mapping.field("title", text(copy_to=COPY_TO))
    mapping.field("keywords", text(copy_to=COPY_TO))
    # Offsets in the postings: excerpts are highlighted without re-analysing the text.
    mapping.field("summary", text(copy_to=COPY_TO, index_options="offsets"))
    mapping.field("body", text(copy_to=COPY_TO, index_options="offsets"))
    # Every field's words, folded and unstemmed: what candidates are retrieved by (`queries`).
    mapping.field("spell", Text(analyzer=spelling))
    return mapping


def build_index(name: str, language: str, synonyms: list[str]) -> Index:
    """The index `name` for `language`, with its analyzers and mapping."""
    index = Index(name)
    index.settings(number_of_shards=1, auto_expand_replicas="0-1", max_result_window=10_000)
    index.mapping(build_mapping(language, synonyms))
    return index


def synonym_settings(language: str, synonyms: list[str]) -> dict:
    """The analysis settings that carry the synonyms, to put on a closed index."""
    analysis = build_index("-", language, synonyms).to_dict()["settings"]["analysis"]
    search_analyzer = f"{language}_search"
    names = set(analysis["analyzer"][search_analyzer]["filter"])
    return {
        "analysis": {
            "analyzer": {search_analyzer: analysis["analyzer"][search_analyzer]},
            "filter": {name: value for name, value in analysis["filter"].items() if name in names},
        }
    }


# The cluster marks highlighted words with two private-use characters (`queries.MARK`),
# escaped and turned into <mark> afterwards: documents must never hold them.
MARK_START, MARK_END = "\ue000", "\ue001"
_MARKS = str.maketrans("", "", MARK_START + MARK_END)


def clean(text: str) -> str:
    return text.translate(_MARKS)


def document_body(document: PageDocument) -> dict:
    """What the cluster stores for a page."""
    keywords = [clean(word.strip()) for word in document.keywords.split(",") if word.strip()]
    title = clean(document.title)
    return {
        "page_id": document.page_id,
        "language": document.language,
        "kind": document.kind,
        "source_id": document.source_id,
        "topic_id": document.topic_id,
        "url": document.url,
        "title": title,
        "keywords": keywords,
        "summary": clean(document.summary),
        "body": clean(document.body),
    }
