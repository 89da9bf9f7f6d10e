"""The cluster engine against a real OpenSearch node (see conftest.py): index, behaviour, sync, fallback."""

import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import elastic_transport
import pytest

from django.core.management import CommandError, call_command

from wagtail.models import Page

from knowledge.models import AnswerPage, ServicePage
from search.cluster.client import ClusterConfig
from search.cluster.index import build_index, stop_words, synonym_lines
from search.cluster.queries import candidate_body
from search.engines import cluster as cluster_module
from search.engines.base import EngineUnavailable
from search.engines.cluster import ClusterEngine
from search.engines.database import DatabaseEngine
from search.entry import search_pages
from search.evaluation import evaluate, read_queries
from search.models import PendingSync, Synonym
from search.query import parse_query
from search.ranking import expand
from search.synonyms import synonym_rules
from tests.factories import AnswerPageFactory, import_lines

pytestmark = [pytest.mark.django_db, pytest.mark.opensearch]

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture(autouse=True)
def fresh_database_engine():
    DatabaseEngine.forget()
    yield
    DatabaseEngine.forget()


@pytest.fixture
def corpus(cluster_search, corpus):
    """The suite's search corpus (tests/conftest.py), published while the cluster engine is on."""
    return corpus


def top(query, language="fr", **kwargs):
    response = search_pages(query, language=language, log=False, **kwargs)
    return [hit.source_id for hit in response.results]


def analyze(engine, language, analyzer, text):
    index = engine.ensure_index(language)
    answer = engine.cluster.request("POST", f"/{index}/_analyze", {"analyzer": analyzer, "text": text})
    return [token["token"] for token in answer["tokens"]]


# --- the index is code ----------------------------------------------------------------------


def test_index_definition():
    rules = synonym_lines([("vidanges, poubelles", "ordures ménagères")], "fr")
    assert rules == ["poubelles => poubelles, ordures, menageres", "vidanges => vidanges, ordures, menageres"]
    folding = ["fr_elision", "lowercase", "asciifolding"]
    text = {"type": "text", "analyzer": "fr_text", "search_analyzer": "fr_search"}
    assert build_index("portal-pages-fr-1", "fr", rules).to_dict() == {
        "settings": {
            "number_of_shards": 1,
            "auto_expand_replicas": "0-1",
            "max_result_window": 10000,
            "analysis": {
                "analyzer": {
                    "fr_text": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": [*folding, "fr_stop", "fr_stemmer"],
                    },
                    "fr_search": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": [*folding, "fr_stop", "fr_stemmer", "fr_synonyms"],
                    },
                    "fr_spell": {"type": "custom", "tokenizer": "standard", "filter": folding},
                },
                "filter": {
                    "fr_elision": {
                        "type": "elision",
                        "articles": [
                            "l",
                            "m",
                            "t",
                            "qu",
                            "n",
                            "s",
                            "j",
                            "d",
                            "c",
                            "jusqu",
                            "quoiqu",
                            "lorsqu",
                            "puisqu",
                        ],
                        "articles_case": True,
                    },
                    "fr_stop": {"type": "stop", "stopwords": stop_words("fr")},
                    "fr_stemmer": {"type": "stemmer", "language": "light_french"},
                    "fr_synonyms": {"type": "synonym_graph", "synonyms": rules, "lenient": True},
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "page_id": {"type": "integer"},
                "language": {"type": "keyword"},
                "kind": {"type": "keyword"},
                "source_id": {"type": "keyword"},
                "topic_id": {"type": "integer"},
                "url": {"type": "keyword", "index": False},
                "title": {**text, "copy_to": ["spell"]},
                "keywords": {**text, "copy_to": ["spell"]},
                "summary": {**text, "copy_to": ["spell"], "index_options": "offsets"},
                "body": {**text, "copy_to": ["spell"], "index_options": "offsets"},
                "spell": {"type": "text", "analyzer": "fr_spell"},
            },
        },
    }
    assert "comment" in stop_words("fr") and "how" in stop_words("en")


def test_analyzers_fold_elide_and_stem(cluster_engine):
    fr = cluster_engine
    assert analyze(fr, "fr", "fr_text", "L'Écocentre") == analyze(fr, "fr", "fr_text", "ecocentre")
    assert analyze(fr, "fr", "fr_text", "l’écocentre") == analyze(fr, "fr", "fr_text", "Ecocentres")
    assert analyze(fr, "fr", "fr_text", "Comment déneiger les rues?") == analyze(
        fr, "fr", "fr_text", "deneiger rue"
    )
    assert analyze(fr, "fr", "fr_text", "piscines") == analyze(fr, "fr", "fr_text", "piscine")
    assert analyze(fr, "en", "en_text", "How do I renew the dog's licences?") == analyze(
        fr, "en", "en_text", "renew dog licence"
    )


def test_rebuild_switches_the_alias_and_drops_the_old_index(corpus, cluster_engine):
    first = cluster_engine.current_index("fr")
    assert cluster_engine.rebuild() == 7
    second = cluster_engine.current_index("fr")
    assert second != first
    assert cluster_engine.index_names("fr") == [second]
    count = cluster_engine.cluster.request("GET", f"/{cluster_engine.alias('fr')}/_count")["count"]
    assert count == 5
    assert top("collecte ordures")[0] == "col-fr"


def test_rebuild_search_index_command(corpus, cluster_engine, capsys):
    call_command("rebuild_search_index")
    captured = capsys.readouterr()
    assert "opensearch" in captured.out
    assert cluster_engine.index_names("en") == [cluster_engine.current_index("en")]


# --- behaviour: tests/search/test_entry.py runs the same tests on this engine and the database's.


def test_editors_synonyms_reach_the_index_synonym_graph(corpus, cluster_engine):
    Synonym.objects.create(language="fr", terms="styro, styrofoam", canonical="styromousse")
    assert top("styro") == ["rec-fr"]
    # The signal's task pushed the new rule to the index's synonym graph too, without reindexing.
    index = cluster_engine.current_index("fr")
    analysed = cluster_engine.cluster.request(
        "POST", f"/{index}/_analyze", {"analyzer": "fr_search", "text": "styro"}
    )
    assert "styromous" in {token["token"] for token in analysed["tokens"]}


# --- index sync -----------------------------------------------------------------------------


def cluster_ids(engine, language="fr"):
    answer = engine.cluster.request(
        "POST", f"/{engine.alias(language)}/_search", {"query": {"match_all": {}}, "size": 100}
    )
    return {hit["_source"]["source_id"] for hit in answer["hits"]["hits"]}


def test_index_follows_publish_unpublish_and_delete(corpus, cluster_engine):
    assert cluster_ids(cluster_engine) == {"col-fr", "rec-fr", "eco-fr", "piscine-fr", "neige-fr"}
    page = AnswerPage.objects.get(source_id="eco-fr")
    page.unpublish()
    assert "eco-fr" not in cluster_ids(cluster_engine)
    page.refresh_from_db()
    page.save_revision().publish()
    assert "eco-fr" in cluster_ids(cluster_engine)
    assert top("écocentre")[0] == "eco-fr"
    Page.objects.get(pk=page.pk).delete()
    assert "eco-fr" not in cluster_ids(cluster_engine)
    assert "eco-fr" not in top("écocentre")


def test_drafts_are_not_indexed(portal, cluster_search):
    AnswerPageFactory(source_id="draft-fr", title="Brouillon secret", publish=False)
    cluster_search.ensure_index("fr")
    assert "draft-fr" not in cluster_ids(cluster_search)


# --- fallback -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def reset_warnings():
    cluster_module._warned_at.clear()
    yield
    cluster_module._warned_at.clear()


def use_engine(engine):
    from search import entry

    url = engine.config.http_url.replace("http", engine.config.flavour, 1)
    entry._cluster_engines[url] = engine
    return url


@pytest.fixture
def database_corpus(portal, settings):
    settings.SEARCH_URL = ""
    return AnswerPageFactory(
        source_id="piscine-fr", title="Permis de piscine", summary="Un permis est requis."
    )


def test_fallback_when_the_port_is_closed(database_corpus, settings, caplog, reset_warnings):
    engine = ClusterEngine(f"opensearch://127.0.0.1:{free_port()}", timeout=1, retry_after=0)
    settings.SEARCH_URL = use_engine(engine)
    with caplog.at_level(logging.WARNING, logger="search.engines.cluster"):
        for _ in range(3):
            response = search_pages("permis piscine", language="fr")
            assert response.engine == "database"
            assert [hit.source_id for hit in response.results] == ["piscine-fr"]
    assert len([r for r in caplog.records if r.name == "search.engines.cluster"]) == 1


def test_fallback_when_the_node_never_answers(database_corpus, settings, reset_warnings):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # accepts connections (kernel backlog) and never says a word
    try:
        port = listener.getsockname()[1]
        engine = ClusterEngine(f"opensearch://127.0.0.1:{port}", timeout=2, retry_after=60)
        settings.SEARCH_URL = use_engine(engine)
        started = time.monotonic()
        response = search_pages("permis piscine", language="fr")
        assert response.engine == "database"
        assert response.results[0].source_id == "piscine-fr"
        assert 2 <= time.monotonic() - started < 10  # waited for the timeout, not for ever
        # While marked down, the cluster is not waited for again.
        started = time.monotonic()
        assert search_pages("permis piscine", language="fr").engine == "database"
        assert time.monotonic() - started < 1.5
    finally:
        listener.close()


class Relay:
    """A TCP relay to the real node that can be cut and restored: the cluster going down and back."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = free_port()
        self.sockets: list[socket.socket] = []
        self.open()

    def open(self):
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._serve, args=(self.server,), daemon=True).start()

    def close(self):
        """Stops listening and cuts every open connection (keep-alive ones included)."""
        for sock in [self.server, *self.sockets]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        self.sockets = []

    def _serve(self, server):
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass


@pytest.fixture
def relayed_cluster(corpus, cluster_engine, settings, reset_warnings):
    """The site searches on the real node through a relay the test can cut and restore."""
    relay = Relay(cluster_engine.config.port)
    engine = ClusterEngine(
        f"opensearch://127.0.0.1:{relay.port}", prefix=cluster_engine.prefix, timeout=2, retry_after=0.2
    )
    settings.SEARCH_URL = use_engine(engine)
    assert search_pages("piscine", language="fr").engine == "opensearch"
    yield relay
    relay.close()


def test_search_returns_to_the_cluster_when_it_is_back(relayed_cluster):
    relay = relayed_cluster
    relay.close()
    response = search_pages("piscine", language="fr")
    assert (response.engine, response.results[0].source_id) == ("database", "piscine-fr")
    relay.open()
    time.sleep(0.3)
    assert search_pages("piscine", language="fr").engine == "opensearch"


def test_changes_made_while_the_cluster_is_down_reach_it_when_it_is_back(relayed_cluster, cluster_engine):
    relay = relayed_cluster
    relay.close()
    # An editor publishes and unpublishes while the cluster is down: no error, nothing lost.
    AnswerPageFactory(source_id="feuilles-fr", title="Collecte des feuilles mortes", summary="En octobre.")
    AnswerPage.objects.get(source_id="eco-fr").unpublish()
    response = search_pages("feuilles mortes", language="fr")
    assert (response.engine, response.results[0].source_id) == ("database", "feuilles-fr")
    assert PendingSync.objects.count() >= 2
    assert "feuilles-fr" not in cluster_ids(cluster_engine)
    # The cluster is back: the first search that reaches it has the missed changes applied.
    relay.open()
    time.sleep(0.3)
    assert search_pages("piscine", language="fr").engine == "opensearch"
    assert not PendingSync.objects.exists()
    assert "feuilles-fr" in cluster_ids(cluster_engine)
    assert "eco-fr" not in cluster_ids(cluster_engine)
    response = search_pages("feuilles mortes", language="fr")
    assert (response.engine, response.results[0].source_id) == ("opensearch", "feuilles-fr")


def test_rebuild_search_index_pending(corpus, cluster_engine, settings, reset_warnings):
    PendingSync.remember(pages=[AnswerPage.objects.get(source_id="rec-fr").pk])
    AnswerPage.objects.filter(source_id="rec-fr").update(live=False)  # a change the cluster missed
    down = ClusterEngine(f"opensearch://127.0.0.1:{free_port()}", prefix=cluster_engine.prefix, timeout=1)
    settings.SEARCH_URL = use_engine(down)
    with pytest.raises(CommandError, match="still down"):
        call_command("rebuild_search_index", "--pending")
    assert PendingSync.objects.count() == 1
    settings.SEARCH_URL = use_engine(cluster_engine)
    call_command("rebuild_search_index", "--pending")
    assert not PendingSync.objects.exists()
    assert "rec-fr" not in cluster_ids(cluster_engine)


def test_missing_index_falls_back(corpus, cluster_engine, reset_warnings):
    cluster_engine.delete_indices()
    response = search_pages("piscine", language="fr")
    assert (response.engine, response.results[0].source_id) == ("database", "piscine-fr")


ODD_QUERIES = [
    '"',
    "((((",
    "piscine AND permis OR NOT -clôture",
    "piscine~2^10 *",
    "\\",
    "🏊 piscine",
    "游泳池 مسبح",
    "x" * 200,
    "1234567890" * 3,
    "<mark>piscine</mark> \ue000piscine\ue001",
    "l'l'l'l'",
    '{"query": {"match_all": {}}}',
    "vidanges poubelles ordures bac bleu gratte char tempo " * 3,
    "vidanges déchets bac bleu recyclables bac brun compost gros rebuts divan sofa matelas gratte "
    "charrue souffleuse tempête de neige abri tempo char auto remorqué fourrière ticket billet",
]


@pytest.mark.parametrize("instant", ["0", "1"])
def test_odd_queries_are_answered_by_the_cluster(client, corpus, instant):
    """Query syntax, scripts, emoji and piles of synonyms: the cluster answers them itself."""
    for query in ODD_QUERIES:
        response = client.get("/api/search/", {"q": query, "lang": "fr", "instant": instant})
        assert response.status_code == 200, query
        data = response.json()
        assert data["engine"] == "opensearch", query
        assert all("<mark>" not in result["title"] for result in data["results"])
    found = client.get("/api/search/", {"q": ODD_QUERIES[-1], "lang": "fr"}).json()["results"]
    assert {"col-fr", "rec-fr"} <= {result["source_id"] for result in found}


def test_a_refused_query_does_not_take_the_cluster_down(corpus, cluster_engine, reset_warnings):
    with pytest.raises(EngineUnavailable):
        cluster_engine._search("fr", {"query": {"no_such_query": {}}})
    assert not cluster_engine.is_marked_down
    assert top("piscine")[0] == "piscine-fr"


# --- the Elasticsearch client path ----------------------------------------------------------


class ElasticsearchFacade(elastic_transport.Urllib3HttpNode):
    """elasticsearch-py's own HTTP node, stamping the product header OpenSearch does not send.

    The requests go through elasticsearch-py's client and transport to the real node;
    each request body is recorded to show that it is the same DSL body.
    """

    sent: list[tuple[str, str, object]] = []

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        decoded = None
        if body:
            text = body.decode()
            decoded = (
                [json.loads(line) for line in text.splitlines()] if "_bulk" in target else json.loads(text)
            )
        self.sent.append((method, target, decoded))
        # elasticsearch-py asks for Elasticsearch's compatibility media type; OpenSearch wants plain JSON.
        headers = elastic_transport.HttpHeaders(
            {
                key: value.replace("vnd.elasticsearch+", "").split(";")[0]
                for key, value in (headers or {}).items()
            }
        )
        response = super().perform_request(method, target, body=body, headers=headers, **kwargs)
        response_headers = elastic_transport.HttpHeaders(response.meta.headers)
        response_headers["x-elastic-product"] = "Elasticsearch"
        meta = elastic_transport.ApiResponseMeta(
            status=response.meta.status,
            http_version=response.meta.http_version,
            headers=response_headers,
            duration=response.meta.duration,
            node=response.meta.node,
        )
        return type(response)(meta, response.body)


def test_the_elasticsearch_client_sends_the_same_bodies(corpus, cluster_engine):
    ElasticsearchFacade.sent = []
    port = cluster_engine.config.port
    engine = ClusterEngine(
        f"elasticsearch://127.0.0.1:{port}",
        prefix=cluster_engine.prefix,
        timeout=10,
        client_options={"node_class": ElasticsearchFacade},
    )
    assert engine.name == "elasticsearch"
    assert (
        ClusterConfig.from_url("elasticsearchs://u:p%40ss@es.example:9243").http_url
        == "https://es.example:9243"
    )
    parsed = parse_query("permis de pisicne", language="fr")
    result = engine.search(parsed, language="fr", limit=5)
    assert result.hits[0].page_id == ServicePage.objects.get(source_id="piscine-fr").pk
    assert result.suggestion == "permis de piscine"
    searches = [
        (method, target.split("?")[0], body)
        for method, target, body in ElasticsearchFacade.sent
        if target.split("?")[0].endswith("/_search")
    ]
    # One round trip: the candidates holding the words the shared ranking expanded the query to
    # (« pisicne » → piscine), which it then ranks.
    index = DatabaseEngine().language_index("fr")
    words = expand(index, parsed).words(index)
    assert "piscine" in words
    assert searches == [("POST", f"/{engine.alias('fr')}/_search", candidate_body(words, language="fr"))]
    # Writes take the same road: an unpublished page leaves the index through a bulk delete.
    page = AnswerPage.objects.get(source_id="rec-fr")
    engine.remove_pages([page.pk])
    bulk_lines = [line for entry in ElasticsearchFacade.sent if entry[1] == "/_bulk" for line in entry[2]]
    assert {"delete": {"_index": engine.current_index("fr"), "_id": str(page.pk)}} in bulk_lines
    assert "rec-fr" not in cluster_ids(cluster_engine)


# --- relevance on the dev set ---------------------------------------------------------------


def relevance_set() -> tuple[Path, Path]:
    """The shared dev set when it sits beside the clone (CI), else the project's own demo set."""
    corpus_file, queries_file = SHARED_DATA / "dev-corpus.jsonl", SHARED_DATA / "dev-queries.jsonl"
    if corpus_file.exists() and queries_file.exists():
        return corpus_file, queries_file
    demo = Path(__file__).resolve().parents[2] / "knowledge" / "demo"
    return demo / "demo-content.jsonl", demo / "demo-queries.jsonl"


def test_relevance_on_the_dev_set(portal, cluster_engine, settings, capsys):
    corpus_file, queries_file = relevance_set()
    settings.SEARCH_URL = ""  # import on the database engine, then build the cluster index in one go
    report = import_lines(*corpus_file.read_text(encoding="utf-8").splitlines())
    assert report.ok, report.errors[:3]
    cluster_engine.rebuild()
    source_ids = {page.pk: page.source_id for page in AnswerPage.objects.all()}
    source_ids |= {page.pk: page.source_id for page in ServicePage.objects.all()}

    def search(q, lang):
        parsed = parse_query(q, language=lang, synonyms=synonym_rules(lang))
        result = cluster_engine.search(parsed, language=lang, limit=10)
        return [source_ids[hit.page_id] for hit in result.hits]

    evaluation = evaluate(read_queries(queries_file.read_text(encoding="utf-8").splitlines()), search)
    with capsys.disabled():
        print("\nOpenSearch engine on the dev set\n" + evaluation.report())
    means = evaluation.overall.means()
    assert means["R@3"] >= 0.95
    assert means["MRR"] >= 0.85
    assert means["R@1"] >= 0.80
    for style, scores in evaluation.by_style.items():
        assert scores.means()["R@3"] >= 0.90, style


def test_search_eval_measures_both_engines_and_cleans_up(opensearch_url, tmp_path):
    """`search_eval --engines database cluster` on a slice of the demo set, as a city would run it."""
    demo = Path(__file__).resolve().parents[2] / "knowledge" / "demo"
    lines = demo.joinpath("demo-content.jsonl").read_text(encoding="utf-8").splitlines()[:20]
    known = {json.loads(line)["source_id"] for line in lines}
    queries = [
        line
        for line in demo.joinpath("demo-queries.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip() and set(json.loads(line)["expected"]) <= known
    ]
    assert len(queries) >= 5
    (tmp_path / "corpus.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "queries.jsonl").write_text("\n".join(queries), encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "manage.py", "search_eval", tmp_path / "corpus.jsonl", tmp_path / "queries.jsonl"]
        + ["--engines", "database", "cluster", "--cluster", opensearch_url, "--quiet-misses"],
        cwd=root,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "SEARCH_URL": ""},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    sections = done.stdout.split("\n== ")[1:]
    assert [section.splitlines()[0] for section in sections] == ["database", "cluster"]
    for section in sections:
        assert "R@3=" in section
    prefix = re.search(r"\((eval-[0-9a-f]+)-\*\)", done.stdout).group(1)
    config = ClusterConfig.from_url(opensearch_url)
    with urllib.request.urlopen(f"{config.http_url}/_cat/indices?format=json") as answer:  # noqa: S310
        assert not [row["index"] for row in json.load(answer) if row["index"].startswith(prefix)]


# --- one ranking, two engines -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["dev", "dev2"])
def test_both_engines_rank_the_dev_sets_alike(portal, cluster_engine, settings, name):
    """The cluster retrieves, the shared ranking orders: the top 3 agree, and so does relevance."""
    corpus_file, queries_file = SHARED_DATA / f"{name}-corpus.jsonl", SHARED_DATA / f"{name}-queries.jsonl"
    if not corpus_file.exists():  # a clone without the shared data: the demo set stands in
        corpus_file, queries_file = relevance_set()
    settings.SEARCH_URL = ""
    report = import_lines(*corpus_file.read_text(encoding="utf-8").splitlines())
    assert report.ok, report.errors[:3]
    cluster_engine.rebuild()
    queries = read_queries(queries_file.read_text(encoding="utf-8").splitlines())
    database = DatabaseEngine()

    def ranked(engine):
        def search(q, lang):
            response = search_pages(q, language=lang, log=False, engine=engine)
            assert response.engine == engine.name
            return [hit.source_id for hit in response.results]

        return search

    on_database, on_cluster = ranked(database), ranked(cluster_engine)
    agree = sum(on_database(q.q, q.lang)[:3] == on_cluster(q.q, q.lang)[:3] for q in queries)
    assert agree / len(queries) >= 0.95
    database_means = evaluate(queries, on_database).overall.means()
    cluster_means = evaluate(queries, on_cluster).overall.means()
    for measure in ("R@3", "MRR"):
        assert abs(cluster_means[measure] - database_means[measure]) <= 0.01, measure
