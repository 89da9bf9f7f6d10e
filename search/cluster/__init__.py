"""The Elasticsearch/OpenSearch side of search: index definition, client, queries.

- `search.cluster.index`: the index is code — analyzers, mapping and the document
  sent for a page, built with elasticsearch-dsl when an index is built.
- `search.cluster.client`: one small client over opensearch-py or elasticsearch-py,
  chosen by the `SEARCH_URL` scheme; both send the same DSL bodies.
- `search.cluster.queries`: the candidate query (the ranking is `search.ranking`).
- `search.cluster.lifecycle`: building, loading and switching the indices.

The engine that the entry point calls is `search.engines.cluster.ClusterEngine`.
"""
