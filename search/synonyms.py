"""The editors' synonyms, compiled per language and reloaded when an editor changes them."""

import threading
import time

from django.conf import settings
from django.db.models import Count, Max

from .query import SynonymRule, compile_synonyms

_cache: dict[str, tuple[tuple, list[SynonymRule]]] = {}
_checked_at: dict[str, float] = {}
_lock = threading.Lock()


def check_interval() -> float:
    """Seconds a process trusts its copy before asking the database again (other processes' edits)."""
    return settings.SEARCH_FRESHNESS_SECONDS


def synonyms_forget() -> None:
    """Drops this process's copy (an editor changed the list here, or tests reset the database)."""
    _cache.clear()
    _checked_at.clear()


def synonym_rules(language: str) -> list[SynonymRule]:
    """Compiled rules; one cheap query (at most every second) checks whether the list changed."""
    from .models import Synonym

    cached = _cache.get(language)
    now = time.monotonic()
    if cached and now - _checked_at.get(language, 0.0) < check_interval():
        return cached[1]
    _checked_at[language] = now
    rows = Synonym.objects.filter(language=language)
    stamp = tuple(rows.aggregate(count=Count("id"), latest=Max("updated_at"), top=Max("id")).values())
    cached = _cache.get(language)
    if cached and cached[0] == stamp:
        return cached[1]
    rules = compile_synonyms(rows.values_list("terms", "canonical"), language)
    with _lock:
        _cache[language] = (stamp, rules)
    return rules
