"""What the cluster said lately of the words citizens type, so most searches take one round trip.

Knowing whether a word is a typo (and how it is spelt) takes the suggesters, and a
typo then takes a second search with the known words near it. Citizens type the same few
thousand words over and over: the verdicts are remembered per process for
`SEARCH_VOCABULARY_SECONDS` (default 300), and forgotten at once when this
process changes the index (any engine instance of this process: the verdicts are
kept per index alias, in one process-wide `VOCABULARY`). Another process's publish is seen when the verdict
expires; until then a new word is at worst matched fuzzily as well as exactly.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

from .queries import Verdict

MAX_WORDS = 50_000


class Vocabulary:
    def __init__(self, seconds: float | None = None):
        self.seconds = seconds
        self._verdicts: dict[tuple[str, str], tuple[float, Verdict]] = {}
        self._lock = threading.Lock()

    @property
    def lifetime(self) -> float:
        if self.seconds is not None:
            return self.seconds
        return float(getattr(settings, "SEARCH_VOCABULARY_SECONDS", 300.0))

    def known(self, alias: str, words: list[str]) -> dict[str, Verdict] | None:
        """Verdicts for every word, or None if any is missing or stale (then the cluster is asked)."""
        now, found = time.monotonic(), {}
        for word in words:
            entry = self._verdicts.get((alias, word))
            if entry is None or entry[0] < now:
                return None
            found[word] = entry[1]
        return found

    def remember(self, alias: str, verdicts: dict[str, Verdict]) -> None:
        expires = time.monotonic() + self.lifetime
        with self._lock:
            if len(self._verdicts) + len(verdicts) > MAX_WORDS:
                self._verdicts.clear()  # rare: simpler than an LRU, and refilled in a few searches
            for word, verdict in verdicts.items():
                self._verdicts[(alias, word)] = (expires, verdict)

    def forget(self) -> None:
        with self._lock:
            self._verdicts.clear()


VOCABULARY = Vocabulary()
