"""The cluster's index lifecycle: building, loading, aliasing and dropping the indices of a language.

Mixed into `search.engines.cluster.ClusterEngine` (which answers searches); kept apart so
that reading how a search is answered does not mean reading how an index is rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from wagtail.models import Page

from ..documents import PageDocument, is_searchable, knowledge_models, page_document, searchable_pages
from .index import LANGUAGES, alias_name, build_index, document_body, new_index_name, synonym_lines
from .index import synonym_settings as build_synonym_settings

BULK_CHUNK = 500
# Writes and index management may take longer than a citizen's search.
ADMIN_TIMEOUT = 60.0


def editor_synonyms(language: str) -> list[str]:
    """The editors' synonyms of `language`, as synonym_graph rules (read now, never at import)."""
    from ..models import Synonym

    return synonym_lines(
        Synonym.objects.filter(language=language).values_list("terms", "canonical"), language
    )


class IndexLifecycle:
    """Needs `cluster`, `prefix` and `_down_until` from the engine it is mixed into."""

    def alias(self, language: str) -> str:
        return alias_name(self.prefix, language)

    def _request(self, method: str, path: str, body=None, **options):
        return self.cluster.request(method, path, body, timeout=ADMIN_TIMEOUT, **options)

    def index_names(self, language: str) -> list[str]:
        """Every index this environment built for `language` (aliased or left over)."""
        found = self._request(
            "GET", f"/_cat/indices/{self.alias(language)}-*", params={"format": "json", "h": "index"}
        )
        return sorted(row["index"] for row in found)

    def current_index(self, language: str) -> str | None:
        found = self._request("GET", f"/_cat/aliases/{self.alias(language)}", params={"format": "json"})
        return sorted(row["index"] for row in found)[-1] if found else None

    def create_index(self, language: str) -> str:
        name = new_index_name(self.prefix, language)
        body = build_index(name, language, editor_synonyms(language)).to_dict()
        self._request("PUT", f"/{name}", body, params={"wait_for_active_shards": "1"})
        return name

    def ensure_index(self, language: str) -> str:
        """The index behind the alias, created (empty) if there is none yet."""
        current = self.current_index(language)
        if current:
            return current
        name = self.create_index(language)
        self.switch_alias(language, name)
        return name

    def switch_alias(self, language: str, name: str) -> None:
        """Points the alias at `name` in one atomic step and deletes the indices it leaves behind."""
        alias = self.alias(language)
        actions: list[dict] = [
            {"remove": {"index": old, "alias": alias}} for old in self.index_names(language)
        ]
        actions = [action for action in actions if action["remove"]["index"] != name]
        actions.append({"add": {"index": name, "alias": alias}})
        self._request("POST", "/_aliases", {"actions": actions})
        for old in self.index_names(language):
            if old != name:
                self._request("DELETE", f"/{old}")

    def _load(self, index: str, documents: list[dict], refresh: str | None = None) -> None:
        for start in range(0, len(documents), BULK_CHUNK):
            actions = []
            for document in documents[start : start + BULK_CHUNK]:
                actions.append({"index": {"_index": index, "_id": str(document["page_id"])}})
                actions.append(document)
            self.cluster.bulk(actions, timeout=ADMIN_TIMEOUT)
        if refresh:
            self._request("POST", f"/{index}/_refresh")

    def index_pages(self, pages: Iterable[Page]) -> None:
        by_language: dict[str, list[dict]] = {}
        removed: list[int] = []
        for page in pages:
            page = page.specific if type(page) is Page else page
            if isinstance(page, knowledge_models()) and is_searchable(page):
                document = page_document(page)
                by_language.setdefault(document.language, []).append(document_body(document))
            else:
                removed.append(page.pk)
        for language, documents in by_language.items():
            index = self.ensure_index(language)
            # The same page may have moved to another language tree: drop it elsewhere first.
            self._delete_ids([doc["page_id"] for doc in documents], skip=language)
            self._load(index, documents, refresh="true")
        if removed:
            self.remove_pages(removed)

    def index_documents(self, documents: Iterable[PageDocument]) -> None:
        """Loads ready-made documents (bulk loaders, benchmarks) into each language's current index."""
        by_language: dict[str, list[dict]] = {}
        for document in documents:
            by_language.setdefault(document.language, []).append(document_body(document))
        for language, bodies in by_language.items():
            self._load(self.ensure_index(language), bodies, refresh="true")

    def _delete_ids(self, ids: Iterable[int], *, skip: str | None = None) -> None:
        ids = list(ids)
        for language in LANGUAGES:
            if language == skip or not ids:
                continue
            index = self.current_index(language)
            if index is None:
                continue
            self.cluster.bulk(
                [{"delete": {"_index": index, "_id": str(page_id)}} for page_id in ids], timeout=ADMIN_TIMEOUT
            )
            self._request("POST", f"/{index}/_refresh")

    def remove_pages(self, ids: Iterable[int]) -> None:
        self._delete_ids(ids)

    def rebuild(self, progress: Callable[[int, int], None] | None = None) -> int:
        """New indices from the live pages, then the aliases switch; old indices are deleted."""
        pages = searchable_pages()
        documents: dict[str, list[dict]] = {language: [] for language in LANGUAGES}
        for number, page in enumerate(pages, start=1):
            document = page_document(page)
            documents.setdefault(document.language, []).append(document_body(document))
            if progress:
                progress(number, len(pages))
        for language, bodies in documents.items():
            name = self.create_index(language)
            try:
                self._load(name, bodies, refresh="true")
            except Exception:
                self._request("DELETE", f"/{name}")
                raise
            self._drop_concrete_index_named_like_alias(language)
            self.switch_alias(language, name)
        self._down_until = 0.0
        return len(pages)

    def _drop_concrete_index_named_like_alias(self, language: str) -> None:
        """A write to a missing alias may have auto-created an index of that name: it must go."""
        alias = self.alias(language)
        found = self._request("GET", f"/_cat/indices/{alias}*", params={"format": "json", "h": "index"})
        if alias in {row["index"] for row in found}:
            self._request("DELETE", f"/{alias}")

    def update_synonyms(self, languages: Iterable[str] = LANGUAGES) -> None:
        """Pushes the editors' current synonyms into the search analyzers, without reindexing.

        Inline synonyms cannot be reloaded on an open index, so the index is closed, its
        analysis settings replaced and reopened (searches fall back to the database for
        that second).
        """
        for language in languages:
            index = self.current_index(language)
            if index is None:
                continue
            settings_body = build_synonym_settings(language, editor_synonyms(language))
            self._request("POST", f"/{index}/_close", params={"wait_for_active_shards": "1"})
            try:
                self._request("PUT", f"/{index}/_settings", settings_body)
            finally:
                self._request("POST", f"/{index}/_open", params={"wait_for_active_shards": "1"})
                self._request(
                    "GET", f"/_cluster/health/{index}", params={"wait_for_status": "yellow", "timeout": "30s"}
                )

    def synonyms_changed(self, language: str) -> None:
        """An editor changed the synonyms of `language` (called by the sync task)."""
        self.update_synonyms([language])

    def delete_indices(self) -> None:
        """Removes every index of this environment's prefix (tests, `rebuild_search_index --drop`)."""
        for language in LANGUAGES:
            for name in self.index_names(language):
                self._request("DELETE", f"/{name}")
            self._drop_concrete_index_named_like_alias(language)
