"""The default engine: the project's own index tables, ranked in process (SQLite and PostgreSQL alike).

`SearchDocument` rows hold each live page's folded words per field. Each process
loads them once into a compact inverted index per language (`search.ranking.build_index`)
and reloads when `IndexState.generation` moves — one primary-key query per search
tells whether anything changed. The ranking itself is `search.ranking`, shared with the
cluster engine; this module is the storage side.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable

from django.db import transaction

from wagtail.models import Page

from ..documents import PageDocument, is_searchable, knowledge_models, page_document, searchable_pages, terms
from ..query import fold
from ..ranking import LanguageIndex, build_index, rank, searched_stems
from .base import EngineResult, SearchEngine

_RAW_WORD = re.compile(r"\w+", re.UNICODE)


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
                index.searched = searched_stems(self.successful_searches(language), language)
                DatabaseEngine._indexes[language] = index
        return index

    @staticmethod
    def successful_searches(language: str, limit: int = 20_000):
        """The latest searches of `language` that led to a click: (normalised query, session digest).
        Nothing else is read, and nothing is stored but stems and counts."""
        from ..models import ClickLog, QueryLog

        clicked = ClickLog.objects.filter(query_log__isnull=False).values("query_log_id")
        return (
            QueryLog.objects.filter(language=language, pk__in=clicked)
            .exclude(session_digest="")
            .order_by("-pk")
            .values_list("query", "session_digest")[:limit]
        )

    @staticmethod
    def written_form(index: LanguageIndex, folded: str) -> str:
        """How the answers write a folded word (« brise » → « brisé »), read from a few of them."""
        from ..models import SearchDocument

        value = index.word_stems.get(folded)
        if value is None or value not in index.postings:
            return folded
        positions = index.postings[value][0][:5]
        ids = [int(index.page_ids[position]) for position in positions]
        forms: dict[str, int] = {}
        for title, summary, body in SearchDocument.objects.filter(page_id__in=ids).values_list(
            "title", "summary", "body"
        ):
            for token in _RAW_WORD.findall(f"{title} {summary} {body}"):
                if fold(token) == folded:
                    forms[token.lower()] = forms.get(token.lower(), 0) + 1
        return max(forms, key=lambda form: (forms[form], form != folded)) if forms else folded

    def rank(
        self, parsed_query, *, language, limit, offset=0, topic_id=None, candidates=None, expansion=None
    ) -> EngineResult:
        """The shared ranking (`search.ranking`) on this process's index of `language`."""
        index = self.language_index(language)
        return rank(
            index,
            parsed_query,
            limit=limit,
            offset=offset,
            topic_id=topic_id,
            candidates=candidates,
            expansion=expansion,
            written=lambda folded: self.written_form(index, folded),
        )

    def search(self, parsed_query, *, language, limit, offset=0, topic_id=None) -> EngineResult:
        if parsed_query.is_empty:
            return EngineResult()
        return self.rank(parsed_query, language=language, limit=limit, offset=offset, topic_id=topic_id)

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

        pages = searchable_pages()
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
