"""Search latency at scale: the deflection layer (database and cluster engines) vs stock Wagtail.

    python manage.py search_bench [--sizes 1000 10000] [--cluster opensearch://127.0.0.1:9251]
                                  [--output tmp/bench.json] [--report tmp/bench.json]

Runs in a throwaway database (a test database of the configured engine: SQLite or
PostgreSQL). Pages are created in bulk (treebeard paths computed here, rows
inserted directly, Wagtail's own index filled with `add_bulk`), not through the
page-by-page importer; the project's index rows are written from the same
generated text (`DatabaseEngine.index_documents`), and so are the cluster's
documents when `--cluster` names one (in indices of a throwaway prefix, deleted
at the end). The queries are the dev and demo labelled queries, each run against
every engine in the same process, one after the other.
"""

import json
import random
import statistics
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

ROOT = Path(settings.BASE_DIR)
CORPORA = [
    ROOT.parent / "shared" / "data" / "dev-corpus.jsonl",
    ROOT / "knowledge" / "demo" / "demo-content.jsonl",
]
QUERIES = [
    ROOT.parent / "shared" / "data" / "dev-queries.jsonl",
    ROOT / "knowledge" / "demo" / "demo-queries.jsonl",
]
CLUSTER_WARM_UP_PASSES = 3
PLACES = "Nord Sud Est Ouest Centre Vieux-Port Plateau Rivière Boisé Collines Lac Gare Parc Marché".split()


def _read(paths):
    rows = []
    for path in paths:
        if path.exists():
            rows += [
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
    return rows


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "p50/p95 search latency at 1,000 and 10,000 answers, deflection layer vs stock Wagtail."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
        parser.add_argument("--repeat", type=int, default=1, help="Passes over the query set.")
        parser.add_argument(
            "--budget",
            type=float,
            default=90.0,
            help="Seconds of measuring per engine and size (at least 30 queries).",
        )
        parser.add_argument(
            "--cluster",
            default="",
            help="Also measure the cluster engine on this SEARCH_URL (opensearch://… or elasticsearch://…).",
        )
        parser.add_argument(
            "--engines",
            nargs="+",
            choices=["deflection", "cluster", "wagtail"],
            default=["deflection", "cluster", "wagtail"],
            help="Which engines to measure (cluster only with --cluster).",
        )
        parser.add_argument("--output", help="Append the measures to this JSON file.")
        parser.add_argument("--report", help="Only print the table of the measures in this JSON file.")

    def handle(self, *args, sizes, repeat, budget, cluster, engines, output, report, **options):
        if report:
            self.stdout.write(self.table(json.loads(Path(report).read_text())))
            return
        settings.SEARCH_LOG_QUERIES = False
        settings.SEARCH_URL = ""
        self.engines = engines
        self.cluster = self.cluster_engine(cluster) if cluster and "cluster" in engines else None
        database = settings.DATABASES["default"]
        original = database["NAME"]
        database.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            (ROOT / "tmp").mkdir(exist_ok=True)
            database["TEST"]["NAME"] = str(ROOT / "tmp" / "search-bench.sqlite3")
        else:
            database["TEST"]["NAME"] = f"{original}_search_bench"
        vendor = connection.vendor
        measures = []
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            from home.setup import portal_tree_setup

            portal_tree_setup()
            built = 0
            for size in sorted(sizes):
                started = time.perf_counter()
                self.build(size - built)
                built = size
                self.stdout.write(f"{vendor}: {size} answers ready in {time.perf_counter() - started:.0f}s")
                measures += self.measure(vendor, size, repeat, budget)
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)
            if self.cluster is not None:
                self.cluster.delete_indices()
        if output:
            path = Path(output)
            previous = json.loads(path.read_text()) if path.exists() else []
            previous = [m for m in previous if m["database"] != vendor]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(previous + measures, indent=1))
        self.stdout.write(self.table(measures))

    @staticmethod
    def cluster_engine(url: str):
        """The cluster engine on throwaway indices; refuses to measure a cluster that is not there."""
        from search.engines.selection import cluster_engine

        settings.SEARCH_INDEX_PREFIX = f"bench-{uuid.uuid4().hex[:8]}"
        engine = cluster_engine(url)
        if engine is None:
            raise CommandError(f"Not a cluster URL: {url}")
        try:
            engine.cluster.request("GET", "/_cluster/health", params={"wait_for_status": "yellow"})
        except Exception as error:
            raise CommandError(f"No search cluster answers at {url}: {error}") from error
        return engine

    # --- content ----------------------------------------------------------------------------

    def build(self, count: int) -> None:
        from wagtail.models import Locale, Page, Site

        from knowledge.markdown import markdown_to_rich_text
        from knowledge.models import AnswerPage, TopicPage
        from search.documents import PageDocument
        from search.engines.database import DatabaseEngine

        rng = random.Random(count)  # noqa: S311 - reproducible test content
        templates = _read(CORPORA)
        site = Site.objects.get(is_default_site=True)
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(AnswerPage).pk
        topics = {}
        for language in ("fr", "en"):
            locale = Locale.objects.get(language_code=language)
            root = site.root_page.get_translation_or_none(locale)
            if root is None:
                root = site.root_page.specific.copy_for_translation(locale)
                root.save_revision().publish()
            topic = TopicPage.objects.child_of(root).filter(slug=f"bench-{language}").first()
            if topic is None:
                topic = TopicPage(title=f"Bench {language}", slug=f"bench-{language}", locale=locale)
                root.add_child(instance=topic)
                topic.save_revision().publish()
            topics[language] = (topic, locale)

        now = timezone.now()
        pages, children, documents = [], [], []
        with transaction.atomic():
            for language, (topic, locale) in topics.items():
                topic = Page.objects.get(pk=topic.pk)
                group = [entry for entry in templates if entry["language"] == language]
                share = count * 2 // 3 if language == "fr" else count - count * 2 // 3
                for number in range(share):
                    entry = group[number % len(group)]
                    other = group[rng.randrange(len(group))]
                    place = rng.choice(PLACES)
                    title = f"{entry['title']} ({place} {topic.numchild + number + 1})"
                    sentences = (entry["body"] + " " + other["body"]).split(". ")
                    rng.shuffle(sentences)
                    body = ". ".join(sentences[: max(3, len(sentences) // 2)])
                    slug = f"b-{topic.numchild + number + 1}"
                    page = Page(
                        path=Page._get_path(topic.path, topic.depth + 1, topic.numchild + number + 1),
                        depth=topic.depth + 1,
                        numchild=0,
                        translation_key=uuid.uuid4(),
                        locale_id=locale.pk,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=now,
                        last_published_at=now,
                        title=title,
                        draft_title=title,
                        slug=slug,
                        content_type_id=content_type,
                        url_path=f"{topic.url_path}{slug}/",
                    )
                    pages.append(page)
                    children.append(
                        (entry.get("summary") or title, body, ", ".join(entry.get("keywords") or []))
                    )
                    documents.append((language, topic.pk, title, entry.get("summary") or "", body, entry))
                Page.objects.filter(pk=topic.pk).update(numchild=topic.numchild + share)
            Page.objects.bulk_create(pages, batch_size=1000)
            created = list(
                Page.objects.filter(path__in=[page.path for page in pages]).values_list("path", "id")
            )
            ids = dict(created)
            table = AnswerPage._meta.db_table
            rows = []
            for page, (summary, body, keywords) in zip(pages, children, strict=True):
                stream = json.dumps(
                    [{"type": "text", "value": str(markdown_to_rich_text(body)), "id": str(uuid.uuid4())}]
                )
                rows.append(
                    (ids[page.path], summary[:600], stream, keywords[:500], "[]", "", now.date(), "", "")
                )
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} (page_ptr_id, summary, body, keywords, related, "  # noqa: S608
                    "related_source_ids, last_reviewed, source_id, source_hash) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    rows,
                )
            prefix = {
                language: Page.objects.get(pk=topic.pk).get_url() for language, (topic, _l) in topics.items()
            }
            page_documents = [
                PageDocument(
                    page_id=ids[page.path],
                    language=language,
                    kind="faq",
                    source_id="",
                    topic_id=topic_id,
                    url=f"{prefix[language]}{page.slug}/",
                    title=title,
                    keywords=", ".join(entry.get("keywords") or []),
                    summary=summary,
                    body=body,
                )
                for page, (language, topic_id, title, summary, body, entry) in zip(
                    pages, documents, strict=True
                )
            ]
            DatabaseEngine().index_documents(page_documents)
        if self.cluster is not None:
            self.cluster.index_documents(page_documents)
        from modelsearch.backends import get_search_backend

        backend = get_search_backend()
        new = list(AnswerPage.objects.filter(pk__in=list(ids.values())))
        for start in range(0, len(new), 500):
            backend.add_bulk(AnswerPage, new[start : start + 500])

    # --- measures ---------------------------------------------------------------------------

    def measure(self, vendor: str, size: int, repeat: int, budget: float) -> list[dict]:
        from search.entry import search_pages
        from search.evaluation import wagtail_search

        queries = [(row["q"], row["lang"]) for row in _read(QUERIES)]
        # Interleave the sets so that a time budget still samples every style and language.
        random.Random(0).shuffle(queries)  # noqa: S311
        for q, lang in queries[:5] + [("garbage", "en")]:  # warm-up: loads each language's index
            search_pages(q, language=lang, log=False)
            if "wagtail" in self.engines:
                wagtail_search(q, lang)
        runs = [("deflection", self.on_engine(""))]
        if self.cluster is not None:
            runs.append(("cluster", self.on_engine(self.cluster_url)))
            # A long-running node has its JIT warm: a freshly started one needs a few passes
            # (one pass left the first database measured ~50 % slower than the second).
            for q, lang in queries * CLUSTER_WARM_UP_PASSES:
                runs[-1][1](q, lang)
        runs.append(("wagtail", wagtail_search))
        runs = [(name, run) for name, run in runs if name in self.engines]
        results = []
        for name, run in runs:
            timings = []
            deadline = time.perf_counter() + budget
            for q, lang in queries * repeat:
                started = time.perf_counter()
                run(q, lang)
                timings.append((time.perf_counter() - started) * 1000)
                if len(timings) >= 30 and started > deadline:
                    break
            results.append(
                {
                    "database": vendor,
                    "size": size,
                    "engine": name,
                    "n": len(timings),
                    "p50": statistics.median(timings),
                    "p95": percentile(timings, 0.95),
                }
            )
        return results

    @property
    def cluster_url(self) -> str:
        return self.cluster.config.http_url.replace("http", self.cluster.config.flavour, 1)

    @staticmethod
    def on_engine(url: str):
        """A search on the engine of `url` ("" for the database); a fallback voids the measure."""
        from search.evaluation import FellBack, search_on

        def run(q: str, lang: str):
            try:
                return search_on(url, q, lang)
            except FellBack as error:
                raise CommandError(str(error)) from error

        return run

    @staticmethod
    def table(measures: list[dict]) -> str:
        """One line per database and size: each engine's p50/p95, and p95 as a ratio of stock Wagtail's."""
        by_key = {(m["database"], m["size"], m["engine"]): m for m in measures}
        engines = [
            name
            for name in ("deflection", "cluster", "wagtail")
            if any(m["engine"] == name for m in measures)
        ]
        labels = {"deflection": "database engine", "cluster": "cluster engine", "wagtail": "stock Wagtail"}
        header = ["database", "answers"] + [f"{labels[name]} p50 / p95" for name in engines]
        header += [f"{labels[name]} p95 ÷ Wagtail p95" for name in engines if name != "wagtail"]
        lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
        for database, size in sorted({(m["database"], m["size"]) for m in measures}):
            row = [database, f"{size:,}"]
            found = [by_key.get((database, size, name)) for name in engines]
            row += [f"{m['p50']:.1f} / {m['p95']:.1f} ms" if m else "–" for m in found]
            stock = by_key.get((database, size, "wagtail"))
            for name, m in zip(engines, found, strict=True):
                if name != "wagtail":
                    row.append(f"{m['p95'] / stock['p95']:.2f}" if m and stock else "–")
            lines.append("| " + " | ".join(row) + " |")
        return "\n".join(lines)
