"""The project's own relevance set: the demo content and the questions citizens ask about it."""

from pathlib import Path

import pytest

from knowledge.importer import import_entries
from search.evaluation import deflection_search, evaluate, read_queries

DEMO = Path(__file__).resolve().parents[2] / "knowledge" / "demo"
CONTENT, QUERIES = DEMO / "demo-content.jsonl", DEMO / "demo-queries.jsonl"

pytestmark = pytest.mark.django_db


def test_demo_relevance_threshold(portal, default_synonyms):
    # Committed with the demo: a missing file fails here, it never skips the check.
    missing = [path.name for path in (CONTENT, QUERIES) if not path.exists()]
    assert not missing, f"the relevance set is missing: {missing}"
    report = import_entries(CONTENT.read_text(encoding="utf-8").splitlines(), publish=True)
    assert report.ok, report.errors
    evaluation = evaluate(read_queries(QUERIES.read_text(encoding="utf-8").splitlines()), deflection_search)
    means = evaluation.overall.means()
    assert means["R@3"] >= 0.95, evaluation.report()
    assert means["MRR"] >= 0.85, evaluation.report()
    for style, scores in evaluation.by_style.items():
        assert scores.means()["R@3"] >= 0.9, (style, evaluation.report())
