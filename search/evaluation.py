"""Relevance evaluation: Recall@k and MRR of a search function over labelled queries."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LabelledQuery:
    q: str
    lang: str
    expected: tuple[str, ...]
    style: str = "other"


@dataclass
class Scores:
    count: int = 0
    r1: float = 0.0
    r3: float = 0.0
    r5: float = 0.0
    mrr: float = 0.0

    def add(self, rank: int | None) -> None:
        self.count += 1
        if rank is not None:
            self.r1 += rank <= 1
            self.r3 += rank <= 3
            self.r5 += rank <= 5
            self.mrr += 1 / rank

    def means(self) -> dict[str, float]:
        n = max(self.count, 1)
        return {"R@1": self.r1 / n, "R@3": self.r3 / n, "R@5": self.r5 / n, "MRR": self.mrr / n}


@dataclass
class Evaluation:
    overall: Scores = field(default_factory=Scores)
    by_style: dict[str, Scores] = field(default_factory=lambda: defaultdict(Scores))
    by_language: dict[str, Scores] = field(default_factory=lambda: defaultdict(Scores))
    misses: list[tuple[LabelledQuery, int | None, list[str]]] = field(default_factory=list)

    def report(self) -> str:
        def line(name: str, scores: Scores) -> str:
            m = scores.means()
            return (
                f"  {name:<14} n={scores.count:<4} R@1={m['R@1']:.3f}  R@3={m['R@3']:.3f}  "
                f"R@5={m['R@5']:.3f}  MRR={m['MRR']:.3f}"
            )

        lines = ["Overall", line("all", self.overall), "By style"]
        lines += [line(style, scores) for style, scores in sorted(self.by_style.items())]
        lines += ["By language"]
        lines += [line(language, scores) for language, scores in sorted(self.by_language.items())]
        lines += [f"Misses: {len(self.misses)}"]
        for query, rank, top in self.misses:
            lines.append(
                f"  [{query.lang} {query.style}] {query.q!r} expected {', '.join(query.expected)} "
                f"at rank {rank or '-'}; top: {', '.join(top[:3]) or '(nothing)'}"
            )
        return "\n".join(lines)


def read_queries(lines: Iterable[str]) -> list[LabelledQuery]:
    queries = []
    for raw in lines:
        if raw.strip():
            data = json.loads(raw)
            queries.append(
                LabelledQuery(
                    q=data["q"],
                    lang=data["lang"],
                    expected=tuple(data["expected"]),
                    style=data.get("style", "other"),
                )
            )
    return queries


def evaluate(
    queries: Iterable[LabelledQuery],
    search: Callable[[str, str], list[str]],
    depth: int = 10,
    miss_rank: int = 3,
) -> Evaluation:
    """`search(q, lang)` returns source ids best first."""
    evaluation = Evaluation()
    for query in queries:
        found = search(query.q, query.lang)[:depth]
        rank = next((position for position, sid in enumerate(found, 1) if sid in query.expected), None)
        for scores in (
            evaluation.overall,
            evaluation.by_style[query.style],
            evaluation.by_language[query.lang],
        ):
            scores.add(rank)
        if rank is None or rank > miss_rank:
            evaluation.misses.append((query, rank, found))
    return evaluation


class FellBack(RuntimeError):
    """The cluster did not answer: a measure of it would be the database engine's."""


def search_on(search_url: str, q: str, lang: str, limit: int = 10):
    """`search_pages` on the engine of `search_url` ("" for the database engine), never a fallback."""
    from django.conf import settings

    from .entry import search_pages

    saved, settings.SEARCH_URL = settings.SEARCH_URL, search_url
    try:
        response = search_pages(q, language=lang, limit=limit, log=False)
    finally:
        settings.SEARCH_URL = saved
    if search_url and response.engine == "database":
        raise FellBack(f"The cluster at {search_url} did not answer {q!r}")
    return response


def deflection_search(q: str, lang: str, search_url: str = "") -> list[str]:
    return [hit.source_id or "" for hit in search_on(search_url, q, lang).results]


def wagtail_search(q: str, lang: str) -> list[str]:
    """Stock Wagtail search (operator="or") over the same pages: the peer to beat."""
    from wagtail.models import Locale, Page

    from .documents import knowledge_models

    pages = (
        Page.objects.live()
        .public()
        .type(*knowledge_models())
        .filter(locale=Locale.objects.get(language_code=lang))
    )
    found = list(pages.search(q, operator="or")[:10])
    ids = []
    for page in found:
        ids.append(getattr(page.specific, "source_id", "") or "")
    return ids
