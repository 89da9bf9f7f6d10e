"""One small client for the cluster, over opensearch-py or elasticsearch-py.

elasticsearch-py 8 refuses to talk to OpenSearch (its product check), so the
`SEARCH_URL` scheme picks the client: `opensearch://host:port` (`opensearchs://`
for HTTPS) goes through opensearch-py, `elasticsearch://host:port`
(`elasticsearchs://`) through elasticsearch-py. Both send the very same JSON
bodies, built with elasticsearch-dsl by the caller: nothing here knows about
queries or mappings.

Errors come out as two kinds: `ClusterUnavailable` (refused, timed out, reset —
the engine falls back) and `ClusterError` (the cluster answered with an error
status; `IndexMissing` when the index or alias does not exist).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..engines.base import EngineUnavailable

SCHEMES = {
    "opensearch": ("opensearch", "http"),
    "opensearchs": ("opensearch", "https"),
    "elasticsearch": ("elasticsearch", "http"),
    "elasticsearchs": ("elasticsearch", "https"),
}
JSON = {"accept": "application/json", "content-type": "application/json"}
NDJSON = {"accept": "application/json", "content-type": "application/x-ndjson"}


class ClusterUnavailable(EngineUnavailable):
    """The cluster did not answer in time (refused, timed out, connection reset)."""


class ClusterError(Exception):
    """The cluster answered with an error status."""

    def __init__(self, status: int, info):
        self.status, self.info = status, info
        super().__init__(f"{status}: {json.dumps(info)[:500] if not isinstance(info, str) else info[:500]}")


class IndexMissing(ClusterError, EngineUnavailable):
    """The index or alias does not exist (never built, or deleted)."""


@dataclass(frozen=True)
class ClusterConfig:
    flavour: str  # "opensearch" or "elasticsearch"
    scheme: str  # "http" or "https"
    host: str
    port: int
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> ClusterConfig:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            raise ValueError(f"SEARCH_URL must start with one of {', '.join(sorted(SCHEMES))}: {url!r}")
        flavour, http = SCHEMES[scheme]
        return cls(
            flavour=flavour,
            scheme=http,
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 9200,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )

    @property
    def http_url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


class Cluster:
    """`request(method, path, body)` → the decoded JSON answer, whatever the client underneath."""

    def __init__(self, config: ClusterConfig, *, timeout: float, **client_options):
        self.config = config
        self.flavour = config.flavour
        self.timeout = timeout
        auth = (config.username, config.password or "") if config.username else None
        if config.flavour == "opensearch":
            from opensearchpy import OpenSearch

            self._client = OpenSearch(
                hosts=[{"host": config.host, "port": config.port, "scheme": config.scheme}],
                http_auth=auth,
                timeout=timeout,
                max_retries=0,
                retry_on_timeout=False,
                **client_options,
            )
        else:
            from elasticsearch import Elasticsearch

            self._client = Elasticsearch(
                config.http_url,
                basic_auth=auth,
                request_timeout=timeout,
                max_retries=0,
                retry_on_timeout=False,
                **client_options,
            )

    def request(
        self, method: str, path: str, body=None, *, params=None, timeout: float | None = None, ndjson=False
    ):
        headers = NDJSON if ndjson else JSON
        timeout = timeout or self.timeout
        if self.flavour == "opensearch":
            return self._opensearch(method, path, body, params, headers, timeout)
        return self._elasticsearch(method, path, body, params, headers, timeout)

    def _opensearch(self, method, path, body, params, headers, timeout):
        from opensearchpy import exceptions

        try:
            return self._client.transport.perform_request(
                method, path, params=params, body=body, headers=headers, timeout=timeout
            )
        except (exceptions.ConnectionError, exceptions.ConnectionTimeout) as error:
            raise ClusterUnavailable(f"{self.config.http_url}: {error}") from error
        except exceptions.TransportError as error:
            raise _error(error.status_code, error.info) from error

    def _elasticsearch(self, method, path, body, params, headers, timeout):
        import elastic_transport

        try:
            response = self._client.options(request_timeout=timeout).perform_request(
                method, path, params=params, headers=headers, body=body
            )
        except elastic_transport.ApiError as error:
            raise _error(error.meta.status if error.meta else 500, error.body) from error
        except elastic_transport.TransportError as error:  # connection refused, timeout, TLS…
            raise ClusterUnavailable(f"{self.config.http_url}: {error}") from error
        return response.body

    def bulk(self, actions: Iterable[dict], *, timeout: float = 60.0) -> dict:
        """Sends action/source lines as one NDJSON body; raises ClusterError if any item failed."""
        lines = "".join(json.dumps(action, ensure_ascii=False) + "\n" for action in actions)
        if not lines:
            return {"items": [], "errors": False}
        answer = self.request("POST", "/_bulk", lines, timeout=timeout, ndjson=True)
        if answer.get("errors"):
            failed = [
                item
                for item in answer["items"]
                for result in item.values()
                if result.get("error") and not (result.get("status") == 404 and "delete" in item)
            ]
            if failed:
                raise ClusterError(400, {"bulk_failures": failed[:5], "count": len(failed)})
        return answer

    def close(self) -> None:
        self._client.close()


def _error(status, info) -> ClusterError:
    status = status if isinstance(status, int) else 500
    error = info.get("error") if isinstance(info, dict) else None
    error_type = error.get("type", "") if isinstance(error, dict) else ""
    # 404 with no type: "alias [x] missing"; a missing document says "found": false instead.
    if status == 404 and error_type in ("index_not_found_exception", "aliases_not_found_exception", ""):
        return IndexMissing(status, info)
    return ClusterError(status, info)
