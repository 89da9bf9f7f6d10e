"""The Elasticsearch/OpenSearch engine: the same deflection layer on a cluster.

Selected by `SEARCH_URL` (`opensearch://host:port` or `elasticsearch://host:port`);
`search.entry` builds one `ClusterEngine(url)` per process. Index definition in
`search.cluster.index`, bodies in `search.cluster.queries`, transport in
`search.cluster.client`.

Outages: any failure to answer a search raises `EngineUnavailable` (the entry
point then answers from the database engine). After a failure the engine stays
"down" for `SEARCH_RETRY_AFTER` seconds, failing fast instead of waiting for the
timeout on every request, then tries the cluster again; it logs the outage at
most once per `WARNING_INTERVAL` seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from django.conf import settings

from wagtail.models import Page

from ..cluster.client import Cluster, ClusterConfig, ClusterError, ClusterUnavailable
from ..cluster.index import LANGUAGES, alias_name, build_index, document_body, new_index_name, synonym_lines
from ..cluster.index import synonym_settings as build_synonym_settings
from ..cluster.queries import (
    completed_page_ids,
    completion_body,
    completion_options,
    did_you_mean,
    marked_html,
    query_text,
    search_body,
    unknown_words,
    word_verdicts,
)
from ..cluster.vocabulary import VOCABULARY
from ..documents import PageDocument, is_searchable, knowledge_models, page_document
from .base import EngineHit, EngineResult, EngineUnavailable, SearchEngine, error_summary

logger = logging.getLogger(__name__)

WARNING_INTERVAL = 60.0
BULK_CHUNK = 500
# Writes and index management may take longer than a citizen's search.
ADMIN_TIMEOUT = 60.0
# What a search reads of the answer: less JSON to send and decode.
ANSWER_FIELDS = "took,hits.total,hits.hits._score,hits.hits._source,hits.hits.highlight,suggest"

_warned_at: dict[str, float] = {}
_warn_lock = threading.Lock()


def warn_unavailable(name: str, error: BaseException | str) -> bool:
    """Logs that `name` cannot answer, at most once per WARNING_INTERVAL; True if it logged."""
    now = time.monotonic()
    with _warn_lock:
        last = _warned_at.get(name)
        if last is not None and now - last < WARNING_INTERVAL:
            return False
        _warned_at[name] = now
    summary = error_summary(error)
    logger.warning("Search engine %s unavailable, answering from the database: %s", name, summary)
    return True


def editor_synonyms(language: str) -> list[str]:
    """The editors' synonyms of `language`, as synonym_graph rules (read now, never at import)."""
    from ..models import Synonym

    return synonym_lines(
        Synonym.objects.filter(language=language).values_list("terms", "canonical"), language
    )


def searchable_pages() -> list[Page]:
    """Live, public answer and service pages, as the database engine indexes them."""
    return [
        page
        for model in knowledge_models()
        for page in model.objects.live().public().select_related("locale")
        if is_searchable(page)
    ]


class ClusterEngine(SearchEngine):
    """Search on an Elasticsearch 8/9 or OpenSearch 2/3 cluster. Cheap to construct: connects lazily."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float | None = None,
        prefix: str | None = None,
        retry_after: float | None = None,
        client_options: dict | None = None,
    ):
        self.config = ClusterConfig.from_url(url)
        self.name = self.config.flavour
        self.timeout = float(timeout if timeout is not None else getattr(settings, "SEARCH_TIMEOUT", 1.0))
        self.prefix = prefix or getattr(settings, "SEARCH_INDEX_PREFIX", "portal")
        self.retry_after = float(
            retry_after if retry_after is not None else getattr(settings, "SEARCH_RETRY_AFTER", 5.0)
        )
        self.client_options = client_options or {}
        self._cluster: Cluster | None = None
        self._down_until = 0.0
        self.vocabulary = VOCABULARY

    @property
    def cluster(self) -> Cluster:
        if self._cluster is None:
            self._cluster = Cluster(self.config, timeout=self.timeout, **self.client_options)
        return self._cluster

    def alias(self, language: str) -> str:
        return alias_name(self.prefix, language)

    # --- outages --------------------------------------------------------------------------

    def mark_down(self, error: BaseException) -> None:
        self._down_until = time.monotonic() + self.retry_after
        warn_unavailable(self.name, error)

    def _failed(self, error: BaseException) -> None:
        """A search failed. The cluster is marked down unless only this query was refused: one
        citizen's odd query must not send every other search to the database."""
        if isinstance(error, ClusterError) and error.status in (400, 413):
            warn_unavailable(f"{self.name} (refused query)", error)
            return
        self.mark_down(error)

    def _came_back(self) -> None:
        """The cluster answers again: apply the changes it missed, in the background."""
        from ..models import PendingSync
        from ..tasks import replay_pending_task

        self._down_until = 0.0
        logger.warning("Search engine %s answers again", self.name)
        if PendingSync.objects.exists():
            replay_pending_task.enqueue()

    @property
    def is_marked_down(self) -> bool:
        return time.monotonic() < self._down_until

    # --- reading --------------------------------------------------------------------------

    def search(self, parsed_query, *, language, limit, offset=0, topic_id=None) -> EngineResult:
        if parsed_query.is_empty:
            return EngineResult()
        if self.is_marked_down:
            raise ClusterUnavailable(f"{self.name} marked down after a failure; retrying shortly")
        arguments = {"language": language, "limit": limit, "offset": offset, "topic_id": topic_id}
        text = query_text(parsed_query)
        words = text.split(" ")
        alias = self.alias(language)
        # Instant answers: titles the citizen is typing fill the list while few words are typed.
        complete = parsed_query.raw if parsed_query.prefix_last and not offset and topic_id is None else None
        verdicts = self.vocabulary.known(alias, words)
        typos = unknown_words(words, verdicts) if verdicts is not None else None
        answer = self._search(
            language,
            search_body(parsed_query, typos=typos, complete=complete, spelling=verdicts is None, **arguments),
        )
        if verdicts is None:
            # Words not seen lately went with the suggesters: most queries have no typo and
            # are answered; a typo takes a second search, with the known words near it.
            verdicts = word_verdicts(answer, text, language)
            self.vocabulary.remember(alias, verdicts)
            typos = unknown_words(words, verdicts)
            if typos:
                answer = self._search(
                    language, search_body(parsed_query, typos=typos, complete=complete, **arguments)
                )
        if self._down_until:
            self._came_back()
        result = self._result(answer)
        if complete:
            self._add_completions(result, completed_page_ids(answer), limit)
        result.suggestion = did_you_mean(words, verdicts)
        return result

    @staticmethod
    def _add_completions(result: EngineResult, page_ids: list[int], limit: int) -> None:
        """Appends completed titles the ranked search did not find, after its own answers."""
        found = {hit.page_id for hit in result.hits}
        for page_id in page_ids:
            if len(result.hits) >= limit:
                break
            if page_id not in found:
                result.hits.append(EngineHit(page_id=page_id, score=0.0))
                found.add(page_id)
                result.total += 1

    def _search(self, language: str, body: dict) -> dict:
        try:
            return self.cluster.request(
                "POST", f"/{self.alias(language)}/_search", body, params={"filter_path": ANSWER_FIELDS}
            )
        except (ClusterUnavailable, ClusterError) as error:
            self._failed(error)
            if isinstance(error, EngineUnavailable):
                raise
            raise EngineUnavailable(str(error)) from error

    @staticmethod
    def _result(answer: dict) -> EngineResult:
        hits = answer.get("hits", {})
        total = hits.get("total", 0)
        result = EngineResult(total=total["value"] if isinstance(total, dict) else int(total))
        for hit in hits.get("hits", []):
            highlight = hit.get("highlight", {})
            excerpt = None
            for field in ("summary", "body"):
                excerpt = marked_html(highlight.get(field, [""])[0])
                if excerpt:
                    break
            result.hits.append(
                EngineHit(
                    page_id=int(hit["_source"]["page_id"]), score=hit.get("_score") or 0.0, excerpt=excerpt
                )
            )
        return result

    def complete(self, prefix: str, *, language: str, limit: int = 5) -> list[dict]:
        """Instant answers: pages whose title or keywords start with `prefix` ({page_id, title, url})."""
        prefix = prefix.strip()
        if not prefix:
            return []
        if self.is_marked_down:
            raise ClusterUnavailable(f"{self.name} marked down after a failure; retrying shortly")
        try:
            answer = self.cluster.request(
                "POST", f"/{self.alias(language)}/_search", completion_body(prefix, limit=limit)
            )
        except (ClusterUnavailable, ClusterError) as error:
            self._failed(error)
            raise EngineUnavailable(str(error)) from error
        options = completion_options(answer)
        return [
            {
                "page_id": option["_source"]["page_id"],
                "title": option["_source"]["title"],
                "url": option["_source"]["url"],
            }
            for option in options
        ]

    # --- index lifecycle ------------------------------------------------------------------

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
        self.vocabulary.forget()
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
        self.vocabulary.forget()
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
        self.vocabulary.forget()
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
        self.vocabulary.forget()
        for language in LANGUAGES:
            for name in self.index_names(language):
                self._request("DELETE", f"/{name}")
            self._drop_concrete_index_named_like_alias(language)
