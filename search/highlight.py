"""Engine-neutral excerpts: the passage that best answers the query, with <mark>.

A word is marked when its folded stem is one of the query's matched stems, so
« deneigement » marks « Déneigement » and « vidanges » (through the synonym)
marks « ordures ».
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape

from .query import fold, stem

EXCERPT_LENGTH = 240
_TOKEN = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")


@lru_cache(maxsize=100_000)
def _keys(token: str, language: str) -> tuple[str, str]:
    word = fold(token)
    return word, (stem(word, language) if len(word) >= 2 else "")


# Texts are the same few thousand answers from one search to the next: each is tokenised,
# folded and stemmed once per process, and only the comparison with the query's stems is
# done per search. Bounded (a few tens of megabytes at most), so that a large corpus keeps
# the texts of its most searched answers.
@lru_cache(maxsize=10_000)
def _tokens(text: str, language: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, folded word, stem) of the words of `text` that can be marked."""
    found = []
    for match in _TOKEN.finditer(text):
        word, word_stem = _keys(match.group(), language)
        if word_stem:
            found.append((match.start(), match.end(), word, word_stem))
    return tuple(found)


@lru_cache(maxsize=10_000)
def _folded(text: str) -> str:
    return fold(text)


def _marked_spans(text: str, stems: set[str], language: str) -> list[tuple[int, int, str]]:
    return [
        (start, end, word_stem)
        for start, end, word, word_stem in _tokens(text, language)
        if word_stem in stems or word in stems
    ]


def mark(text: str, stems: Iterable[str], language: str) -> str:
    """Escaped `text` with the words matching `stems` wrapped in <mark>."""
    stems = set(stems)
    out, last = [], 0
    for start, end, _stem in _marked_spans(text, stems, language):
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


@lru_cache(maxsize=4_000)
def _passages(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _SENTENCE_END.split(text) if part and part.strip())


def _shorten(text: str, stems: set[str], language: str, length: int) -> str:
    if len(text) <= length:
        return text
    spans = _marked_spans(text, stems, language)
    start = max(0, spans[0][0] - length // 4) if spans else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")


def excerpt(
    *, summary: str, body: str, stems: Iterable[str], language: str, length: int = EXCERPT_LENGTH
) -> str:
    """Safe HTML: the short answer when it holds the query's words, else the best passage of the body."""
    stems = set(stems)
    candidates = [summary] if summary else []
    candidates += _passages(body)
    best, best_score = (summary or (candidates[0] if candidates else "")), 0.0
    prefixes = {value[:4] for value in stems if value}
    for position, passage in enumerate(candidates):
        folded = _folded(passage)
        if not any(prefix in folded for prefix in prefixes):
            continue  # fast path: no word of this passage can match
        distinct = {span[2] for span in _marked_spans(passage, stems, language)}
        # Distinct matched words first; the short answer wins ties, then earlier passages.
        score = len(distinct) + (0.5 if position == 0 and summary else 0) - position * 0.001
        if distinct and score > best_score:
            best, best_score = passage, score
    return mark(_shorten(best, stems, language, length), stems, language)
