"""Up to three related answers for an answer or service page, always in the page's language.

The editor's choice comes first (the page's `related` field, then the `related` source ids
of the import, resolved when those entries arrive); when there is none, the answers of the
same topic, ranked by the scorers other apps register (the search app counts the visitors
who opened both pages from search results) and then by title.
"""

from collections.abc import Callable, Iterable

from wagtail.models import Page

from .models import AnswerPage, ServicePage

MAX_RELATED = 3

# scorer(page, candidate_ids) -> {candidate_id: score}; registered by apps that know more.
Scorer = Callable[[Page, list[int]], dict[int, float]]
_scorers: list[Scorer] = []


def related_scorer_register(scorer: Scorer) -> Scorer:
    if scorer not in _scorers:
        _scorers.append(scorer)
    return scorer


def source_ids(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def chosen_related(page) -> list[Page]:
    """What editors (in the admin or through the import) chose, live, in order, never the page."""
    chosen = [block.value for block in page.related if block.value and block.value.live]
    wanted = source_ids(page.related_source_ids)
    if wanted:
        found = {}
        for model in (AnswerPage, ServicePage):
            for candidate in model.objects.live().filter(locale_id=page.locale_id, source_id__in=wanted):
                found[candidate.source_id] = candidate
        chosen += [found[source_id] for source_id in wanted if source_id in found]
    return unique_pages(chosen, exclude=page.pk)


def unique_pages(pages: Iterable[Page], *, exclude: int) -> list[Page]:
    seen, kept = {exclude}, []
    for candidate in pages:
        if candidate.pk not in seen and candidate.locale_id is not None:
            seen.add(candidate.pk)
            kept.append(candidate)
    return kept


def computed_related(page) -> list[Page]:
    """The other answers and services of the page's topic, the most related first."""
    if page.depth < 2:
        return []
    siblings = Page.objects.filter(path__startswith=page.path[: -Page.steplen], depth=page.depth)
    candidates = list(
        siblings.live()
        .type(AnswerPage, ServicePage)
        .filter(locale_id=page.locale_id)
        .exclude(pk=page.pk)
        .order_by("title")
    )
    if not candidates:
        return []
    scores: dict[int, float] = {}
    for scorer in _scorers:
        for candidate_id, score in scorer(page, [candidate.pk for candidate in candidates]).items():
            scores[candidate_id] = scores.get(candidate_id, 0.0) + score
    candidates.sort(key=lambda candidate: -scores.get(candidate.pk, 0.0))  # stable: title next
    return candidates


def related_answers(page) -> list[Page]:
    return (chosen_related(page) or computed_related(page))[:MAX_RELATED]
