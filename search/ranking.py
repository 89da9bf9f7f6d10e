"""The one ranking model of the portal, pure Python and numpy (no Django): both engines rank with it.

The database engine scores every page of a language with it; the cluster engine asks the
cluster for candidate pages and ranks them with it (`rank(..., candidates=…)`), so that the
two engines order answers the same way.

Features, defined once here:
- BM25F over title, editors' keywords, short answer and body (`FIELD_WEIGHTS`);
- the editors' synonyms (a clause scores with its best reading);
- typo corrections of words the index does not know, at a lower weight (`corrections`);
- coverage: pages that match more of the query's informative words rank higher;
- phrases: adjacent query words side by side in the title, keywords or short answer;
- instant answers: the last word completed, with one slip allowed.

Did-you-mean (`suggestion`) shows the words as the citizen typed them, corrected words as
the answers write them, and only when the corrected query finds clearly better answers.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from .engines.base import EngineHit, EngineResult
from .query import (
    TYPO_WEIGHTS,
    FuzzyVocabulary,
    ParsedQuery,
    damerau_levenshtein,
    fold,
    slip_cost,
    stem,
)

# Field weights and length normalisation (BM25F). Editors' words weigh more than body text.
FIELDS = ("title", "keywords", "summary", "body")
FIELD_WEIGHTS = {"title": 3.0, "keywords": 3.0, "summary": 1.5, "body": 1.0}
B = {"title": 0.4, "keywords": 0.3, "summary": 0.5, "body": 0.75}
K1 = 1.2
PHRASE_FIELDS = ("title", "keywords", "summary")
PHRASE_WEIGHT = 0.6
COMPLETION_WEIGHT = 0.7
# Pages scoring under this share of the best page are noise from a common word.
RELATIVE_CUTOFF = 0.12
# Pages that match more of the query's (informative) words get up to this share more.
COVERAGE_WEIGHT = 0.3
# Known words tried for one typo, and the weight of all but the likeliest.
MAX_CORRECTIONS = 3
OTHER_CORRECTION_SHARE = 0.7
# Visitors who must have searched a word (and clicked an answer) before it counts as searched.
MIN_SEARCHERS = 3
# Did-you-mean only when the corrected query's best answer scores this much more.
SUGGESTION_GAIN = 1.3


@dataclass
class LanguageIndex:
    """Postings are (document positions, saturated BM25F weights) arrays, positions ascending."""

    generation: str
    page_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    topics: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    postings: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    phrases: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    vocabulary: FuzzyVocabulary | None = None
    # Stems as a vocabulary of their own: « pubel » is one edit from the stem of « poubelles ».
    stem_vocabulary: FuzzyVocabulary | None = None
    word_stems: dict[str, str] = field(default_factory=dict)
    # Stem → the folded words of the answers that have it, commonest first.
    stem_words: dict[str, list[str]] = field(default_factory=dict)
    # Stem → how many visitors searched a word of it and clicked an answer (at least
    # MIN_SEARCHERS, so that one visitor cannot teach the index): a tie-break for typos.
    searched: dict[str, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.page_ids)

    def has(self, value: str, position: int) -> bool:
        positions = self.postings[value][0]
        at = int(np.searchsorted(positions, position))
        return at < len(positions) and positions[at] == position

    def idf(self, df: int) -> float:
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))


def searched_stems(rows: Iterable[tuple[str, str]], language: str) -> dict[str, int]:
    """(normalised query, anonymous session digest) of searches that led to a click → stem → the
    number of distinct visitors, for stems at least MIN_SEARCHERS visitors searched."""
    visitors: dict[str, set[str]] = {}
    for query, digest in rows:
        if not digest:
            continue
        for word in set(query.split()):
            visitors.setdefault(stem(word, language), set()).add(digest)
    return {value: len(seen) for value, seen in visitors.items() if len(seen) >= MIN_SEARCHERS}


def _saturate(weight: float) -> float:
    return weight * (K1 + 1) / (weight + K1)


def build_index(rows: Iterable[tuple], language: str, generation: str) -> LanguageIndex:
    """rows: (page_id, topic_id, title_terms, keywords_terms, summary_terms, body_terms)."""
    index = LanguageIndex(generation=generation)
    documents = []
    page_ids, topics = [], []
    totals = dict.fromkeys(FIELDS, 0)
    word_df: Counter[str] = Counter()
    for page_id, topic_id, *texts in rows:
        fields = {name: text.split() for name, text in zip(FIELDS, texts, strict=True)}
        for name in FIELDS:
            totals[name] += len(fields[name])
        page_ids.append(page_id)
        topics.append(-1 if topic_id is None else topic_id)
        documents.append(fields)
        word_df.update({word for words in fields.values() for word in words})
    index.page_ids = np.array(page_ids, dtype=np.int64)
    index.topics = np.array(topics, dtype=np.int64)
    count = max(len(documents), 1)
    average = {name: max(totals[name] / count, 1.0) for name in FIELDS}
    stems = index.word_stems
    stem_df: Counter[str] = Counter()
    for word, df in word_df.items():
        stems[word] = value = stem(word, language)
        stem_df[value] += df
        index.stem_words.setdefault(value, []).append(word)
    for words in index.stem_words.values():
        words.sort(key=lambda word: (-word_df[word], word))
    postings: dict[str, tuple[list, list]] = {}
    phrases: dict[str, tuple[list, list]] = {}
    for position, fields in enumerate(documents):
        weights: dict[str, float] = {}
        phrase_weights: dict[str, float] = {}
        for name in FIELDS:
            words = fields[name]
            if not words:
                continue
            norm = FIELD_WEIGHTS[name] / (1 - B[name] + B[name] * len(words) / average[name])
            stemmed = [stems[word] for word in words]
            for value in stemmed:
                weights[value] = weights.get(value, 0.0) + norm
            if name in PHRASE_FIELDS:
                for first, second in zip(stemmed, stemmed[1:], strict=False):
                    key = f"{first} {second}"
                    phrase_weights[key] = phrase_weights.get(key, 0.0) + norm
        for target, source in ((postings, weights), (phrases, phrase_weights)):
            for value, weight in source.items():
                entry = target.get(value)
                if entry is None:
                    entry = target[value] = ([], [])
                entry[0].append(position)
                entry[1].append(_saturate(weight))
    # Postings hold the saturated BM25F term weight, ready to multiply by the idf.
    index.postings = {
        key: (np.array(positions, dtype=np.int32), np.array(values, dtype=np.float64))
        for key, (positions, values) in postings.items()
    }
    index.phrases = {
        key: (np.array(positions, dtype=np.int32), np.array(values, dtype=np.float64))
        for key, (positions, values) in phrases.items()
    }
    index.vocabulary = FuzzyVocabulary(dict(word_df))
    index.stem_vocabulary = FuzzyVocabulary(dict(stem_df))
    return index


# --- typos ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    stem: str
    word: str  # a folded word of the answers, for did-you-mean
    distance: int
    weight: float


def is_known(index: LanguageIndex, word: str, language: str) -> bool:
    """A word of the answers, or a form of one (« piscines » through « piscine »)."""
    return word.isdigit() or word in index.vocabulary or stem(word, language) in index.postings


def corrections(index: LanguageIndex, word: str, language: str, context: list[str] = ()) -> list[Correction]:
    """The known words a typo most likely stands for, likeliest first.

    Words within the edits `max_typos` allows, and words whose stem is one edit from the
    typo's stem (« pubelle », « pubel » → poubelles). Ties are broken by the kind of slip
    (a letter left out, a neighbouring key: `slip_cost`), by how many visitors searched the
    word and clicked an answer (`LanguageIndex.searched`), by whether the corrected word
    appears in answers with the query's other words (`context`: stems), then by frequency."""
    if index.vocabulary is None or is_known(index, word, language):
        return []
    found: dict[str, tuple[int, float, str]] = {}
    for known, distance in index.vocabulary.near(word, limit=8):
        value = index.word_stems[known]
        cost = slip_cost(word, known) if distance == 1 else 1.0
        if value not in found or (distance, cost) < found[value][:2]:
            found[value] = (distance, cost, known)
    typed_stem = stem(word, language)
    if len(typed_stem) >= 4 and index.stem_vocabulary is not None:
        for value, distance in index.stem_vocabulary.near(typed_stem, limit=8):
            if distance != 1 or value not in index.postings:
                continue
            cost = slip_cost(typed_stem, value)
            if value not in found or (distance, cost) < found[value][:2]:
                surface = min(
                    index.stem_words[value][:5],
                    key=lambda known: damerau_levenshtein(word, known, limit=6),
                )
                found[value] = (distance, cost, surface)
    if not found:
        return []
    context_positions = [index.postings[value][0] for value in context if value in index.postings]

    def together(value: str) -> int:
        positions = index.postings[value][0]
        return sum(
            int(np.intersect1d(positions, other, assume_unique=True).size) for other in context_positions
        )

    ranked = sorted(
        found.items(),
        key=lambda item: (
            item[1][0],
            item[1][1],
            -index.searched.get(item[0], 0),
            -together(item[0]),
            -len(index.postings[item[0]][0]),
            item[0],
        ),
    )[:MAX_CORRECTIONS]
    result = []
    for number, (value, (distance, _cost, surface)) in enumerate(ranked):
        weight = TYPO_WEIGHTS[min(distance, 2)] * (1.0 if number == 0 else OTHER_CORRECTION_SHARE)
        result.append(Correction(stem=value, word=surface, distance=distance, weight=weight))
    return result


# --- scoring ----------------------------------------------------------------------------------


@dataclass
class Expansion:
    """What each slot of the query may match in this index (stems → weights), and the typos."""

    slots: dict[int, dict[str, float]] = field(default_factory=dict)  # id(slot) → alternatives
    typos: dict[str, list[Correction]] = field(default_factory=dict)  # folded word → corrections
    # Misspelt words matched through their stem → the word of the answers (did-you-mean only).
    spelling: dict[str, str] = field(default_factory=dict)
    hints: set[int] = field(default_factory=set)  # id(slot) of question-word hints

    def words(self, index: LanguageIndex) -> list[str]:
        """Folded words of the answers this query may match: what a cluster retrieves candidates by."""
        found: dict[str, None] = {}
        for slot_id, alternatives in self.slots.items():
            if slot_id in self.hints:
                continue  # ranks the candidates, is no reason to retrieve a page
            for value in alternatives:
                for word in index.stem_words.get(value, ())[:8]:
                    found[word] = None
        return list(found)


def expand(index: LanguageIndex, parsed: ParsedQuery) -> Expansion:
    expansion = Expansion()
    language = parsed.language
    last_word = parsed.words[-1] if parsed.words else None
    context = [stem(word, language) for word in parsed.words]
    for clause in parsed.clauses:
        if clause.hint:  # a question word's hint (`search.query.QUESTION_HINTS`): scored as a clause
            for slot in clause.readings[0]:
                expansion.slots[id(slot)] = {
                    key: weight for key, weight in slot.alternatives.items() if key in index.postings
                }
                expansion.hints.add(id(slot))
            continue
        for number, reading in enumerate(clause.readings):
            for slot in reading:
                alternatives = {
                    key: weight for key, weight in slot.alternatives.items() if key in index.postings
                }
                last = slot.word == last_word and number == 0
                if not alternatives and index.vocabulary is not None:
                    if last and parsed.prefix_last:
                        # Instant answers: the word being typed, completed (one slip allowed).
                        for word in index.vocabulary.completions(slot.word, slip=True):
                            value = index.word_stems[word]
                            alternatives[value] = max(alternatives.get(value, 0.0), COMPLETION_WEIGHT)
                    if number == 0 and len(clause.readings) == 1:
                        others = [value for value in context if value != stem(slot.word, language)]
                        found = corrections(index, slot.word, language, others)
                        if found:
                            expansion.typos[slot.word] = found
                        for correction in found:
                            value = correction.stem
                            alternatives[value] = max(alternatives.get(value, 0.0), correction.weight)
                elif number == 0 and len(clause.readings) == 1 and index.vocabulary is not None:
                    slip = spelling_slip(index, slot.word, language)
                    if slip is not None:
                        expansion.spelling[slot.word] = slip
                expansion.slots[id(slot)] = alternatives
    return expansion


def spelling_slip(index: LanguageIndex, word: str, language: str) -> str | None:
    """A word matched through its stem that is still misspelt (« permi » for permis), for did-you-mean
    only; a form the answers do not happen to use (« piscines », « cans » for cats) is not."""
    if word in index.vocabulary or word.isdigit():
        return None
    near = index.vocabulary.near(word, limit=1)
    if not near:
        return None
    known = near[0][0]
    if index.word_stems[known] != stem(word, language) or word in (known + "s", known + "x"):
        return None
    return known


def score(
    index: LanguageIndex,
    parsed: ParsedQuery,
    expansion: Expansion,
    *,
    typos: bool = True,
    rows: np.ndarray | None = None,
) -> tuple[np.ndarray, list[dict]]:
    """Scores by document position, and the stems each query word may match (for highlighting).
    `typos=False` scores the query as typed (corrections left out), for did-you-mean.

    `rows`: document positions, ascending (a cluster's candidates): only those are scored, and
    the scores are by rank in `rows`. Each page's score is computed with the same operations
    in the same order as over the whole index, so it is the same to the last bit; statistics
    (idf) stay those of the whole index."""
    if rows is None:
        size = index.size

        def postings(entry: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
            return entry

    else:
        size = len(rows)
        local = np.full(index.size, -1, dtype=np.int64)
        local[rows] = np.arange(size)

        def postings(entry: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
            at = local[entry[0]]
            kept = at >= 0
            return at[kept], entry[1][kept]

    scores = np.zeros(size)
    sequence: list[dict[str, float]] = []  # stems of the first reading, for phrases
    used: list[dict[str, float]] = []
    coverage = np.zeros(size)
    coverage_total = 0.0
    for clause in parsed.clauses:
        clause_scores = None
        clause_idf = 0.0
        for number, reading in enumerate(clause.readings):
            reading_scores = np.zeros(size)
            for slot in reading:
                alternatives = expansion.slots.get(id(slot), {})
                if not typos and slot.word in expansion.typos:
                    alternatives = {}
                if number == 0:
                    sequence.append(alternatives)
                used.append(alternatives)
                for value in alternatives:
                    clause_idf = max(clause_idf, index.idf(len(index.postings[value][0])))
                if len(alternatives) == 1:
                    ((value, weight),) = alternatives.items()
                    entry = index.postings[value]
                    positions, weights = postings(entry)
                    reading_scores[positions] += index.idf(len(entry[0])) * weight * weights
                    continue
                slot_scores = np.zeros(size)
                for value, weight in alternatives.items():
                    entry = index.postings[value]
                    positions, weights = postings(entry)
                    contribution = index.idf(len(entry[0])) * weight * weights
                    slot_scores[positions] = np.maximum(slot_scores[positions], contribution)
                reading_scores += slot_scores
            clause_scores = (
                reading_scores if clause_scores is None else np.maximum(clause_scores, reading_scores)
            )
        if clause_scores is not None:
            scores += clause_scores
            if COVERAGE_WEIGHT and clause_idf:
                coverage += clause_idf * (clause_scores > 0)
                coverage_total += clause_idf
    if COVERAGE_WEIGHT and coverage_total:
        scores *= 1 + COVERAGE_WEIGHT * coverage / coverage_total
    # Adjacent query words found side by side in the title, keywords or short answer.
    for first, second in zip(sequence, sequence[1:], strict=False):
        best = None
        for first_stem, first_weight in first.items():
            for second_stem, second_weight in second.items():
                entry = index.phrases.get(f"{first_stem} {second_stem}")
                if entry is None:
                    continue
                positions, weights = postings(entry)
                if best is None:
                    best = np.zeros(size)
                idf = index.idf(len(entry[0])) * min(first_weight, second_weight) * PHRASE_WEIGHT
                best[positions] = np.maximum(best[positions], idf * weights)
        if best is not None:
            scores += best
    return scores, used


def matched_stems(index: LanguageIndex, position: int, used: list[dict]) -> frozenset[str]:
    return frozenset(value for alternatives in used for value in alternatives if index.has(value, position))


# --- did you mean -----------------------------------------------------------------------------

_RAW_WORD = re.compile(r"\w+", re.UNICODE)


def suggestion_text(raw: str, replacements: dict[str, str]) -> str | None:
    """The citizen's text with only the misspelt words replaced; everything else as typed."""
    changed = False

    def replace(match: re.Match) -> str:
        nonlocal changed
        folded = fold(match.group(0))
        if folded in replacements:
            changed = True
            word = replacements[folded]
            return word[:1].upper() + word[1:] if match.group(0)[:1].isupper() else word
        return match.group(0)

    text = _RAW_WORD.sub(replace, raw)
    return text if changed else None


def did_you_mean(
    index: LanguageIndex,
    parsed: ParsedQuery,
    expansion: Expansion,
    scores: np.ndarray,
    *,
    written: Callable[[str], str] | None = None,
) -> str | None:
    """Did-you-mean text, or None: only typos (never a known word), and only when the corrected
    query's best answer is clearly better than the typed query's. `written` turns a folded word
    into the form the answers write (« brise » → « brisé »)."""
    if not expansion.typos or parsed.prefix_last:
        return None
    typed_scores, _used = score(index, parsed, expansion, typos=False)
    best = float(scores.max()) if scores.size else 0.0
    typed_best = float(typed_scores.max()) if typed_scores.size else 0.0
    if best <= 0 or (typed_best > 0 and best < typed_best * SUGGESTION_GAIN):
        return None
    replacements = {word: found[0].word for word, found in expansion.typos.items()}
    replacements.update(expansion.spelling)
    if written:
        replacements = {word: written(known) for word, known in replacements.items()}
    return suggestion_text(parsed.raw, replacements)


# --- the ranking --------------------------------------------------------------------------------


def rank(
    index: LanguageIndex,
    parsed: ParsedQuery,
    *,
    limit: int,
    offset: int = 0,
    topic_id: int | None = None,
    candidates: Iterable[int] | None = None,
    written: Callable[[str], str] | None = None,
    expansion: Expansion | None = None,
) -> EngineResult:
    """Live pages best first. `candidates`: page ids a cluster retrieved; only those are ranked."""
    result = EngineResult()
    if parsed.is_empty or not index.size:
        return result
    expansion = expansion or expand(index, parsed)
    rows = None
    if candidates is not None:
        # Only the candidates are scored: the other pages would score 0 and be left out.
        rows = np.flatnonzero(np.isin(index.page_ids, np.fromiter(candidates, dtype=np.int64)))
        if topic_id is not None:
            rows = rows[index.topics[rows] == topic_id]
    scores, used = score(index, parsed, expansion, rows=rows)
    if topic_id is not None and rows is None:
        scores[index.topics != topic_id] = 0.0
    result.suggestion = did_you_mean(index, parsed, expansion, scores, written=written)
    best = float(scores.max()) if scores.size else 0.0
    if best <= 0.0:
        return result
    # `found`: positions in `scores`; `documents`: the same pages' positions in the index.
    found = np.flatnonzero(scores >= best * RELATIVE_CUTOFF)
    documents = found if rows is None else rows[found]
    result.total = int(found.size)
    # Best first; equal scores in page order, so that results are stable.
    order = np.lexsort((index.page_ids[documents], -scores[found]))
    for at in order[offset : offset + limit]:
        position = int(documents[at])
        result.hits.append(
            EngineHit(
                page_id=int(index.page_ids[position]),
                score=round(float(scores[found[at]]), 4),
                matched_stems=matched_stems(index, position, used),
            )
        )
    return result
