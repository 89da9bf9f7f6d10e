"""Engine-neutral query understanding.

Citizens type « c'est quand qu'ils ramassent les vidanges », "garbage day" or
« permi de piscinne ». Every engine receives the same `ParsedQuery`:

- text is folded (lower case, no accents, œ → oe) and split into words;
- elided articles (« l'écocentre »), stop words and question words go;
- each remaining word becomes a `Slot` whose alternatives are light stems
  (Snowball, on folded text so that accents do not matter);
- the editors' synonyms (`search.models.Synonym`) add, for the words they match,
  a second way to read the query (« vidanges » → « ordures ménagères »): a
  `Clause` scores the best of its readings.

Typo helpers (`damerau_levenshtein`, `FuzzyVocabulary`) are here too, so that
every engine corrects words the same way.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from rapidfuzz.distance import OSA

MAX_QUERY_WORDS = 64

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "Œ": "oe", "Æ": "ae"})
_WORD = re.compile(r"[a-z0-9]+")

# Elided forms (« l'», « qu'») end up as one- or two-letter words; they are stop words.
STOP_WORDS = {
    "fr": set(
        """
        a à ai aie ais ait as au aux avec avez avoir avons c ca ça ce ceci cela celle celui ces cet cette
        chez comme comment combien d dans de des dois doit doivent donc du elle elles en es est et etre
        etes eu faire fais fait faut il ils j je jusqu l la le les leur leurs lui m ma mais me mes moi
        mon n ne ni nos notre nous on ont ou où par pas peut peux peuvent plus pour pourquoi pourrais
        pouvez puis puisqu qu quand que quel quelle quelles quels qui quoi s sa sans se ses si sont suis
        sur t ta te tes toi ton tu un une vos votre vous y lorsqu afin alors aussi bien ceux cettes
        etait etaient serait sera seront svp veux voudrais veut voulons j'aimerais aimerais savoir
        besoin possible quoi ya oui non tout tous toute toutes tres trop the
        """.split()
    ),
    "en": set(
        """
        a about am an and any are as at be been being but by can could did do does doing for from get
        got had has have having he her here hers him his how i if in into is it its just let me might
        my need no not of on or our ours please should so some than that the their them then there
        these they this those to too us was we were what when where which who whom why will with
        would you your yours want wants know tell find anyone someone still also m s t d ll re ve
        much many
        """.split()
    ),
}

_STEMMER_NAMES = {"fr": "french", "en": "english"}
_local = threading.local()


def fold(text: str) -> str:
    """Lower case, no accents, no ligatures, straight apostrophes."""
    text = text.translate(_APOSTROPHES).translate(_LIGATURES).lower()
    if text.isascii():
        return text
    # Accents become combining marks, which (with any other non-Latin sign) drop out.
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    """Folded words, elision split off (« l'écocentre » → ["l", "ecocentre"])."""
    return _WORD.findall(fold(text))


def is_stop_word(word: str, language: str) -> bool:
    return word in STOP_WORDS.get(language, ()) or (len(word) == 1 and not word.isdigit())


def content_words(text: str, language: str) -> list[str]:
    """Folded words without elisions, stop words and question words."""
    return [word for word in words(text) if not is_stop_word(word, language)]


def _stemmer(language: str):
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(_STEMMER_NAMES.get(language, "english"))
    return stemmers[language]


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """Light stem of a folded word (Snowball French or English); digits stay as they are."""
    if word.isdigit() or len(word) <= 3:
        return word
    return _stemmer(language).stemWord(word)


def normalise(text: str) -> str:
    """The form logged and matched against promotions: folded words, single spaces."""
    return " ".join(words(text))[:200]


# --- Parsed query -------------------------------------------------------------------------


@dataclass
class Slot:
    """One word of the query; `alternatives` maps stems to weights (1.0 = the word itself)."""

    word: str
    alternatives: dict[str, float] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        return next(iter(self.alternatives))


@dataclass
class Clause:
    """Some words of the query and their readings; a page scores with its best reading."""

    readings: list[list[Slot]]
    # A question word's hint (« combien » → cost words): scored like a clause at a low weight,
    # but never enough to make a query by itself.
    hint: bool = False

    @property
    def words(self) -> list[str]:
        return [slot.word for slot in self.readings[0]]


@dataclass
class ParsedQuery:
    raw: str
    language: str
    normalised: str
    words: list[str]  # content words, in order, as typed (folded)
    clauses: list[Clause]
    # True when the last word may be unfinished (instant answers while typing).
    prefix_last: bool = False

    @property
    def is_empty(self) -> bool:
        return not any(not clause.hint for clause in self.clauses)

    def slots(self) -> list[Slot]:
        return [
            slot
            for clause in self.clauses
            if not clause.hint
            for reading in clause.readings
            for slot in reading
        ]

    def stems(self) -> set[str]:
        return {stem for slot in self.slots() for stem in slot.alternatives}


# What a question word asks for: the answer that gives it ranks a little higher.
QUESTION_HINTS = {
    "fr": {
        "combien": "coût tarif frais prix",
        "quand": "date horaire jour heures calendrier",
    },
    "en": {
        "when": "date schedule day hours calendar",
        "much": "cost fee fees price",
    },
}
HINT_WEIGHT = 0.25


@dataclass(frozen=True)
class SynonymRule:
    """Phrases (as stem tuples) that mean `canonical` (as content words)."""

    phrases: tuple[tuple[str, ...], ...]
    canonical: tuple[str, ...]


def compile_synonyms(rows: Iterable[tuple[str, str]], language: str) -> list[SynonymRule]:
    """(terms, canonical) pairs as editors type them → rules matched on stems."""
    rules = []
    for terms, canonical in rows:
        canonical_words = tuple(content_words(canonical, language))
        if not canonical_words:
            continue
        phrases = []
        for term in re.split(r"[,;\n]", terms):
            stems = tuple(stem(word, language) for word in content_words(term, language))
            if stems and stems != tuple(stem(word, language) for word in canonical_words):
                phrases.append(stems)
        if phrases:
            rules.append(SynonymRule(tuple(phrases), canonical_words))
    return rules


def _slot(word: str, language: str) -> Slot:
    return Slot(word=word, alternatives={stem(word, language): 1.0})


def parse_query(
    text: str,
    *,
    language: str,
    synonyms: list[SynonymRule] | None = None,
    prefix_last: bool = False,
) -> ParsedQuery:
    """The query as every engine sees it, read with `synonyms` (`search.synonyms.synonym_rules`
    gives the editors' current list; None reads it without synonyms)."""
    synonyms = synonyms or []
    found = content_words(text, language)[:MAX_QUERY_WORDS]
    # Keep each word once: « permis permis » is no stronger than « permis ».
    seen: set[str] = set()
    unique = [word for word in found if not (word in seen or seen.add(word))]
    stems = [stem(word, language) for word in unique]
    clauses: list[Clause] = []
    position = 0
    longest_first = sorted(
        ((phrase, rule) for rule in synonyms for phrase in rule.phrases), key=lambda item: -len(item[0])
    )
    while position < len(unique):
        for phrase, rule in longest_first:
            if tuple(stems[position : position + len(phrase)]) == phrase:
                original = [_slot(word, language) for word in unique[position : position + len(phrase)]]
                canonical = [_slot(word, language) for word in rule.canonical]
                clauses.append(Clause(readings=[original, canonical]))
                position += len(phrase)
                break
        else:
            clauses.append(Clause(readings=[[_slot(unique[position], language)]]))
            position += 1
    if clauses:
        for word in dict.fromkeys(words(text)):
            hint = QUESTION_HINTS.get(language, {}).get(word)
            if hint:
                alternatives = {stem(known, language): HINT_WEIGHT for known in content_words(hint, language)}
                clauses.append(
                    Clause(readings=[[Slot(word=f"?{word}", alternatives=alternatives)]], hint=True)
                )
    return ParsedQuery(
        raw=text,
        language=language,
        normalised=normalise(text),
        words=unique,
        clauses=clauses,
        prefix_last=prefix_last,
    )


# --- Typos --------------------------------------------------------------------------------


def damerau_levenshtein(a: str, b: str, limit: int = 3) -> int:
    """Edit distance with transpositions (optimal string alignment, rapidfuzz), capped at `limit`."""
    return min(OSA.distance(a, b, score_cutoff=limit), limit)


# How much a word corrected by one or two edits weighs, next to a word typed right.
TYPO_WEIGHTS = {1: 0.9, 2: 0.7}


def max_typos(word: str) -> int:
    """How many edits a word of this length may carry and still be recognised."""
    if len(word) < 4 or word.isdigit():
        return 0
    return 1 if len(word) < 8 else 2


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class FuzzyVocabulary:
    """Known words → their frequency, with a delete index (SymSpell-like) to find near words fast."""

    def __init__(self, frequencies: dict[str, int]):
        self.frequencies = frequencies
        self.sorted_words = sorted(frequencies)
        self._deletes: dict[str, list[str]] = {}
        # Long words by their first two letters: the scan for two-edit typos stays short.
        self._buckets: dict[str, list[str]] = {}
        for word in frequencies:
            if len(word) < 4 or word.isdigit():
                continue
            if len(word) >= 6:
                self._buckets.setdefault(word[:2], []).append(word)
            for variant in _deletes(word):
                self._deletes.setdefault(variant, []).append(word)

    def __contains__(self, word: str) -> bool:
        return word in self.frequencies

    def near(self, word: str, limit: int = 3) -> list[tuple[str, int]]:
        """Known words within `max_typos(word)` edits, as (word, distance), closest and commonest first."""
        allowed = max_typos(word)
        if not allowed:
            return []
        candidates: set[str] = set(self._deletes.get(word, ()))
        if word in self.frequencies:
            candidates.add(word)
        probes = _deletes(word)
        for probe in probes:
            if probe in self.frequencies:
                candidates.add(probe)
            candidates.update(self._deletes.get(probe, ()))
        if allowed > 1:
            for probe in probes:
                for deeper in _deletes(probe):
                    if deeper in self.frequencies:
                        candidates.add(deeper)
                    candidates.update(self._deletes.get(deeper, ()))
            candidates.update(
                other for other in self._buckets.get(word[:2], ()) if abs(len(other) - len(word)) <= 2
            )
        found = []
        for candidate in candidates:
            if candidate == word or len(candidate) < 3:
                continue
            distance = damerau_levenshtein(word, candidate, limit=allowed + 1)
            if distance <= allowed:
                found.append((candidate, distance))
        found.sort(key=lambda item: (item[1], -self.frequencies[item[0]], item[0]))
        return found[:limit]

    def _starting_with(self, prefix: str) -> list[str]:
        start = bisect_left(self.sorted_words, prefix)
        found = []
        for word in self.sorted_words[start : start + 200]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return found

    def completions(self, prefix: str, limit: int = 3, *, slip: bool = False) -> list[str]:
        """Known words starting with `prefix`, commonest first. With `slip`, when no word starts
        with `prefix` as typed, words starting with a one-edit variant of it (« pubel » → poubelles)."""
        if len(prefix) < 3:
            return []
        found = [word for word in self._starting_with(prefix) if word != prefix]
        if not found and slip and len(prefix) >= 4:
            seen: set[str] = set()
            for variant in one_edit_variants(prefix):
                if variant[:1] != prefix[:1] or len(variant) < 3:
                    continue  # citizens rarely get the first letter wrong
                for word in self._starting_with(variant):
                    if word not in seen and word != prefix:
                        seen.add(word)
                        found.append(word)
        found.sort(key=lambda word: (-self.frequencies[word], word))
        return found[:limit]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit_variants(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    variants = {left + right[1:] for left, right in splits if right}
    variants |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    variants |= {left + letter + right[1:] for left, right in splits if right for letter in _LETTERS}
    variants |= {left + letter + right for left, right in splits for letter in _LETTERS}
    variants.discard(word)
    return variants


# Keys side by side on the keyboards used in Québec (the letters are QWERTY on both).
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_POSITIONS = {
    letter: (row, column) for row, keys in enumerate(_ROWS) for column, letter in enumerate(keys)
}


def adjacent_keys(a: str, b: str) -> bool:
    if a not in _KEY_POSITIONS or b not in _KEY_POSITIONS:
        return False
    (row_a, col_a), (row_b, col_b) = _KEY_POSITIONS[a], _KEY_POSITIONS[b]
    return abs(row_a - row_b) <= 1 and abs(col_a - col_b) <= 1 and (row_a, col_a) != (row_b, col_b)


def slip_cost(typed: str, known: str) -> float:
    """How unlikely a one-edit slip from `known` to `typed` is (0 = the commonest slips).

    A letter left out (« garbge » for garbage) or two letters swapped cost nothing; a key next
    to the right one or a doubled letter little; another letter in place of the right one most
    (« garbge » is not a slip for garage)."""
    if len(known) == len(typed) + 1:
        return 0.0  # a letter left out
    if len(typed) == len(known) + 1:
        for i in range(len(typed)):
            if typed[:i] + typed[i + 1 :] == known:
                neighbours = typed[i - 1 : i] + typed[i + 1 : i + 2]
                extra = typed[i]
                return (
                    0.25 if extra in neighbours or any(adjacent_keys(extra, n) for n in neighbours) else 0.5
                )
        return 1.0
    if len(typed) == len(known):
        diffs = [i for i in range(len(typed)) if typed[i] != known[i]]
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and typed[diffs[0]] == known[diffs[1]]:
            return 0.0  # two letters swapped
        if len(diffs) == 1:
            i = diffs[0]
            if adjacent_keys(typed[i], known[i]):
                return 0.25
            if typed[i] in "aeiouy" and known[i] in "aeiouy":
                return 0.5  # a vowel heard for another
            return 1.0
    return 1.0
