"""Demo search history for `make run`: three months of searches, clicks and suggestion events, so
that the dashboard's search and deflection charts are not empty on a fresh portal.

Idempotent (nothing is added when demo searches exist: their `engine` is "demo"), deterministic
for a given seed and day. No personal data: made-up queries.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from search.models import ClickLog, QueryLog
from search.query import parse_query

from ..models import SuggestionEvent

DEMO_ENGINE = "demo"
FOUND = [
    "collecte des ordures",
    "vidanges mardi",
    "bac de recyclage",
    "permis de piscine",
    "compte de taxes",
    "stationnement de nuit",
    "nid de poule",
    "inscription camp de jour",
    "abri d'auto temporaire",
    "collecte des feuilles",
]
MISSING = [
    "fourriere municipale",
    "borne de recharge",
    "jardin communautaire",
    "compost hiver",
    "chien perdu",
]


@transaction.atomic
def demo_searches_create(*, days: int = 90, per_day: int = 25, seed: int = 14) -> int:
    """Creates the demo searches; returns how many (0 when they exist already)."""
    if QueryLog.objects.filter(engine=DEMO_ENGINE).exists():
        return 0
    from knowledge.models import AnswerPage

    answers = list(
        AnswerPage.objects.live().filter(locale__language_code="fr").values_list("pk", flat=True)[:20]
    )
    rng = random.Random(seed)  # noqa: S311 - a reproducible demo, not a secret
    now = timezone.now()
    created = 0
    for day in range(days):
        for index in range(rng.randint(per_day // 2, per_day)):
            at = now - timedelta(days=day, minutes=rng.randint(0, 600))
            missing = rng.random() < 0.15
            words = rng.choice(MISSING if missing else FOUND)
            source = rng.choice(["page", "page", "page", "form", "form", "api"])
            log = QueryLog.objects.create(
                query=parse_query(words, language="fr").normalised,
                language="fr",
                results_count=0 if missing else rng.randint(1, 12),
                engine=DEMO_ENGINE,
                duration_ms=round(rng.uniform(3, 30), 1),
                session_digest=f"{day:04d}{index:012d}" if rng.random() < 0.5 else "",
                source=source,
            )
            QueryLog.objects.filter(pk=log.pk).update(created_at=at)
            created += 1
            if missing or not answers or rng.random() > 0.45:
                continue
            page_id = rng.choice(answers)
            if source == "form":
                kind = rng.choice([SuggestionEvent.Kind.CLICKED, SuggestionEvent.Kind.ANSWERED])
                SuggestionEvent.objects.create(
                    kind=kind,
                    query=words,
                    page_id=page_id,
                    language="fr",
                    created_at=at + timedelta(seconds=30),
                )
            else:
                ClickLog.objects.create(query_log=log, page_id=page_id, position=rng.randint(1, 3))
    return created
