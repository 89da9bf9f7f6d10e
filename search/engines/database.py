"""The default engine: the project's own index tables, ranked in process (SQLite and PostgreSQL alike).

`SearchDocument` rows hold each live page's folded words per field. Each process
loads them once into a compact inverted index per language (stems → pages with a
BM25F weight; adjacent stem pairs for phrases; a typo-tolerant vocabulary) and
reloads when `IndexState.generation` moves — one primary-key query per search
tells whether anything changed. Ranking is BM25F over title, editors' keywords,
short answer and body, with the query's synonym readings and typo corrections.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from django.db import transaction

from wagtail.models import Page

from ..documents import PageDocument, is_searchable, knowledge_models, page_document, terms
from ..query import TYPO_WEIGHTS, FuzzyVocabulary, ParsedQuery, Slot, stem
from .base import EngineHit, EngineResult, SearchEngine

# Field weights and length normalisation (BM25F). Editors' words weigh more than body text.
FIELDS = ("title", "keywords", "summary", "body")
WEIGHTS = {"title": 3.0, "keywords": 3.0, "summary": 1.5, "body": 1.0}
B = {"title": 0.4, "keywords": 0.3, "summary": 0.5, "body": 0.75}
K1 = 1.2
PHRASE_FIELDS = ("title", "keywords", "summary")
PHRASE_WEIGHT = 0.6
COMPLETION_WEIGHT = 0.7
# Pages scoring under this share of the best page are noise from a common word.
RELATIVE_CUTOFF = 0.12
# Pages that match more of the query's (informative) words get up to this share more.
COVERAGE_WEIGHT = 0.3


@dataclass
class LanguageIndex:
    """Postings are (document positions, saturated BM25F weights) arrays, positions ascending."""

    generation: str
    page_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    topics: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    postings: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    phrases: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    vocabulary: FuzzyVocabulary | None = None
    word_stems: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.page_ids)

    def has(self, value: str, position: int) -> bool:
        positions = self.postings[value][0]
        at = int(np.searchsorted(positions, position))
        return at < len(positions) and positions[at] == position

    def idf(self, df: int) -> float:
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))


def build_index(rows: Iterable[tuple], language: str, generation: str) -> LanguageIndex:
    """rows: (page_id, topic_id, title_terms, keywords_terms, summary_terms, body_terms)."""
    index = LanguageIndex(generation=generation)
    documents = []
    page_ids, topics = [], []
    totals = dict.fromkeys(FIELDS, 0)
    word_df: Counter[str] = Counter()
    for page_id, topic_id, *texts in rows:
        fields = {name: text.split() for name, text in zip(FIELDS, texts, strict=True)}
        for name in FIELDS:
            totals[name] += len(fields[name])
        page_ids.append(page_id)
        topics.append(-1 if topic_id is None else topic_id)
        documents.append(fields)
        word_df.update({word for words in fields.values() for word in words})
    index.page_ids = np.array(page_ids, dtype=np.int64)
    index.topics = np.array(topics, dtype=np.int64)
    count = max(len(documents), 1)
    average = {name: max(totals[name] / count, 1.0) for name in FIELDS}
    stems = index.word_stems
    for word in word_df:
        stems[word] = stem(word, language)
    postings: dict[str, tuple[list, list]] = {}
    phrases: dict[str, tuple[list, list]] = {}
    for position, fields in enumerate(documents):
        weights: dict[str, float] = {}
        phrase_weights: dict[str, float] = {}
        for name in FIELDS:
            words = fields[name]
            if not words:
                continue
            norm = WEIGHTS[name] / (1 - B[name] + B[name] * len(words) / average[name])
            stemmed = [stems[word] for word in words]
            for value in stemmed:
                weights[value] = weights.get(value, 0.0) + norm
            if name in PHRASE_FIELDS:
                for first, second in zip(stemmed, stemmed[1:], strict=False):
                    key = f"{first} {second}"
                    phrase_weights[key] = phrase_weights.get(key, 0.0) + norm
        for target, source in ((postings, weights), (phrases, phrase_weights)):
            for value, weight in source.items():
                entry = target.get(value)
                if entry is None:
                    entry = target[value] = ([], [])
                entry[0].append(position)
                entry[1].append(_saturate(weight))
    # Postings hold the saturated BM25F term weight, ready to multiply by the idf.
    index.postings = {
        key: (np.array(positions, dtype=np.int32), np.array(values, dtype=np.float64))
        for key, (positions, values) in postings.items()
    }
    index.phrases = {
        key: (np.array(positions, dtype=np.int32), np.array(values, dtype=np.float64))
        for key, (positions, values) in phrases.items()
    }
    index.vocabulary = FuzzyVocabulary(dict(word_df))
    return index


def _saturate(weight: float) -> float:
    return weight * (K1 + 1) / (weight + K1)


class DatabaseEngine(SearchEngine):
    name = "database"
    _indexes: dict[str, LanguageIndex] = {}
    _checked_at: dict[str, float] = {}
    _lock = threading.Lock()

    @classmethod
    def forget(cls) -> None:
        """Drops this process's in-memory indexes (they reload on the next search)."""
        cls._indexes.clear()
        cls._checked_at.clear()

    # --- reading --------------------------------------------------------------------------

    def language_index(self, language: str) -> LanguageIndex:
        from ..models import IndexState, SearchDocument
        from ..synonyms import check_interval

        index = self._indexes.get(language)
        now = time.monotonic()
        if index is not None and now - self._checked_at.get(language, 0.0) < check_interval():
            return index
        generation = IndexState.current(language)
        DatabaseEngine._checked_at[language] = now
        if index is not None and index.generation == generation:
            return index
        with self._lock:
            index = self._indexes.get(language)
            if index is None or index.generation != generation:
                rows = SearchDocument.objects.filter(language=language).values_list(
                    "page_id", "topic_id", "title_terms", "keywords_terms", "summary_terms", "body_terms"
                )
                index = build_index(rows.iterator(chunk_size=2000), language, generation)
                DatabaseEngine._indexes[language] = index
        return index

    def _slot_alternatives(self, index: LanguageIndex, slot: Slot, *, last: bool, prefix: bool) -> dict:
        alternatives = {key: weight for key, weight in slot.alternatives.items() if key in index.postings}
        if alternatives or index.vocabulary is None:
            return alternatives
        for word, distance in index.vocabulary.near(slot.word):
            value = index.word_stems[word]
            alternatives[value] = max(alternatives.get(value, 0.0), TYPO_WEIGHTS[distance])
        if not alternatives and last and prefix:
            for word in index.vocabulary.completions(slot.word):
                value = index.word_stems[word]
                alternatives[value] = max(alternatives.get(value, 0.0), COMPLETION_WEIGHT)
        return alternatives

    def score(self, index: LanguageIndex, parsed: ParsedQuery) -> tuple[np.ndarray, list[dict]]:
        """Scores by document position, and the stems each query word may match (for highlighting)."""
        size = index.size
        scores = np.zeros(size)
        last_word = parsed.words[-1] if parsed.words else None
        sequence: list[dict[str, float]] = []  # stems of the first reading, for phrases
        used: list[dict[str, float]] = []
        coverage = np.zeros(size)
        coverage_total = 0.0
        for clause in parsed.clauses:
            clause_scores = None
            clause_idf = 0.0
            for number, reading in enumerate(clause.readings):
                reading_scores = np.zeros(size)
                for slot in reading:
                    alternatives = self._slot_alternatives(
                        index, slot, last=slot.word == last_word and number == 0, prefix=parsed.prefix_last
                    )
                    if number == 0:
                        sequence.append(alternatives)
                    used.append(alternatives)
                    for value in alternatives:
                        clause_idf = max(clause_idf, index.idf(len(index.postings[value][0])))
                    if len(alternatives) == 1:
                        ((value, weight),) = alternatives.items()
                        positions, weights = index.postings[value]
                        reading_scores[positions] += index.idf(len(positions)) * weight * weights
                        continue
                    slot_scores = np.zeros(size)
                    for value, weight in alternatives.items():
                        positions, weights = index.postings[value]
                        contribution = index.idf(len(positions)) * weight * weights
                        slot_scores[positions] = np.maximum(slot_scores[positions], contribution)
                    reading_scores += slot_scores
                clause_scores = (
                    reading_scores if clause_scores is None else np.maximum(clause_scores, reading_scores)
                )
            if clause_scores is not None:
                scores += clause_scores
                if COVERAGE_WEIGHT and clause_idf:
                    coverage += clause_idf * (clause_scores > 0)
                    coverage_total += clause_idf
        if COVERAGE_WEIGHT and coverage_total:
            scores *= 1 + COVERAGE_WEIGHT * coverage / coverage_total
        # Adjacent query words found side by side in the title, keywords or short answer.
        for first, second in zip(sequence, sequence[1:], strict=False):
            best = None
            for first_stem, first_weight in first.items():
                for second_stem, second_weight in second.items():
                    entry = index.phrases.get(f"{first_stem} {second_stem}")
                    if entry is None:
                        continue
                    positions, weights = entry
                    if best is None:
                        best = np.zeros(size)
                    idf = index.idf(len(positions)) * min(first_weight, second_weight) * PHRASE_WEIGHT
                    best[positions] = np.maximum(best[positions], idf * weights)
            if best is not None:
                scores += best
        return scores, used

    @staticmethod
    def matched_stems(index: LanguageIndex, position: int, used: list[dict]) -> frozenset[str]:
        return frozenset(
            value for alternatives in used for value in alternatives if index.has(value, position)
        )

    def suggest(self, index: LanguageIndex, parsed: ParsedQuery) -> dict[str, str]:
        """Misspelt words → the known word they most likely meant."""
        corrections = {}
        if index.vocabulary is None:
            return corrections
        for word in parsed.words:
            if word in index.vocabulary or word.isdigit():
                continue
            near = index.vocabulary.near(word, limit=1)
            if not near:
                continue
            candidate = near[0][0]
            known_stem = stem(word, parsed.language) in index.postings
            if known_stem and (
                index.word_stems[candidate] != stem(word, parsed.language)
                or word in (candidate + "s", candidate + "x")
            ):
                continue  # an inflection the pages do not happen to use, not a typo
            corrections[word] = candidate
        return corrections

    def search(self, parsed_query, *, language, limit, offset=0, topic_id=None) -> EngineResult:
        if parsed_query.is_empty:
            return EngineResult()
        index = self.language_index(language)
        scores, used = self.score(index, parsed_query)
        if topic_id is not None:
            scores[index.topics != topic_id] = 0.0
        result = EngineResult()
        corrections = self.suggest(index, parsed_query)
        if corrections:
            result.suggestion = " ".join(corrections.get(word, word) for word in parsed_query.words)
        best = float(scores.max()) if scores.size else 0.0
        if best <= 0.0:
            return result
        candidates = np.flatnonzero(scores >= best * RELATIVE_CUTOFF)
        result.total = int(candidates.size)
        # Best first; equal scores in page order, so that results are stable.
        order = candidates[np.lexsort((index.page_ids[candidates], -scores[candidates]))]
        for position in order[offset : offset + limit]:
            position = int(position)
            result.hits.append(
                EngineHit(
                    page_id=int(index.page_ids[position]),
                    score=round(float(scores[position]), 4),
                    matched_stems=self.matched_stems(index, position, used),
                )
            )
        return result

    # --- writing --------------------------------------------------------------------------

    @staticmethod
    def document_row(document: PageDocument):
        from ..models import SearchDocument

        language = document.language
        return SearchDocument(
            page_id=document.page_id,
            language=language,
            kind=document.kind,
            source_id=document.source_id,
            topic_id=document.topic_id,
            url=document.url,
            title=document.title,
            summary=document.summary,
            body=document.body,
            title_terms=terms(document.title, language),
            keywords_terms=terms(document.keywords.replace(",", " , "), language),
            summary_terms=terms(document.summary, language),
            body_terms=terms(document.body, language),
        )

    @transaction.atomic
    def index_documents(self, documents: list[PageDocument], removed: Iterable[int] = ()) -> None:
        from ..models import IndexState, SearchDocument

        removed = list(removed)
        languages = set(
            SearchDocument.objects.filter(page_id__in=removed + [doc.page_id for doc in documents])
            .values_list("language", flat=True)
            .distinct()
        )
        if removed:
            SearchDocument.objects.filter(page_id__in=removed).delete()
        if documents:
            SearchDocument.objects.filter(page_id__in=[doc.page_id for doc in documents]).delete()
            SearchDocument.objects.bulk_create([self.document_row(doc) for doc in documents], batch_size=500)
        languages |= {doc.language for doc in documents}
        if removed and not languages:
            # Rows already gone with their page (cascade): refresh every language.
            languages = set(IndexState.objects.values_list("language", flat=True))
        for language in sorted(languages):
            IndexState.bump(language)
        DatabaseEngine._checked_at.clear()

    def index_pages(self, pages) -> None:
        documents, removed = [], []
        for page in pages:
            page = page.specific if type(page) is Page else page
            if isinstance(page, knowledge_models()) and is_searchable(page):
                documents.append(page_document(page))
            else:
                removed.append(page.pk)
        self.index_documents(documents, removed)

    def remove_pages(self, ids) -> None:
        self.index_documents([], ids)

    def synonyms_changed(self, language: str) -> None:
        from ..models import IndexState
        from ..synonyms import synonyms_forget

        IndexState.bump(language)
        synonyms_forget()

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        from ..models import IndexState, SearchDocument

        pages = [
            page
            for model in knowledge_models()
            for page in model.objects.live().public().select_related("locale")
            if is_searchable(page)
        ]
        documents = []
        for number, page in enumerate(pages, start=1):
            documents.append(page_document(page))
            if progress:
                progress(number, len(pages))
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            SearchDocument.objects.bulk_create([self.document_row(doc) for doc in documents], batch_size=500)
            languages = {doc.language for doc in documents} | set(
                IndexState.objects.values_list("language", flat=True)
            )
            for language in languages:
                IndexState.bump(language)
        DatabaseEngine._checked_at.clear()
        return len(documents)
