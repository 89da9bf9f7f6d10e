"""Search engines behind the one entry point (`search.entry.search_pages`).

- `search.engines.base`: the abstract `SearchEngine` every engine implements.
- `search.engines.database`: the default engine, on the project's own index tables
  (SQLite and PostgreSQL alike).
- `search.engines.cluster`: the Elasticsearch/OpenSearch engine, selected when the
  `SEARCH_URL` setting has an `opensearch://` or `elasticsearch://` scheme.
"""
