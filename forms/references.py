"""Reference numbers citizens read over the phone: ``RAE-7K3Q-M9XD-4``.

Eight random Crockford base32 characters (40 bits from ``secrets``) in two groups,
after a fixed prefix, followed by one check character. The check character is a
weighted sum over GF(32) (x⁵ + x² + 1) with a distinct non-zero weight per
position, so every single-character substitution and every swap of two adjacent,
different characters changes it; it stays in the base32 alphabet, so nothing has
to be spelled out as ``*`` or ``~`` on the phone.
"""

import re
import secrets
from dataclasses import dataclass

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
RANDOM_LENGTH = 8  # 8 × 5 = 40 bits
_VALUES = {char: value for value, char in enumerate(ALPHABET)}
# Characters people confuse, read the Crockford way.
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_MODULUS = 0b100101  # x^5 + x^2 + 1, irreducible over GF(2)


def _gf_mul(a: int, b: int) -> int:
    result = 0
    while b:
        if b & 1:
            result ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _MODULUS
    return result


def _weights(count: int) -> list[int]:
    # Powers of the generator x (= 2): 31 distinct non-zero elements.
    weights, weight = [], 1
    for _ in range(count):
        weight = _gf_mul(weight, 2)
        weights.append(weight)
    return weights


_WEIGHTS = _weights(RANDOM_LENGTH)


def check_character(body: str) -> str:
    total = 0
    for weight, char in zip(_WEIGHTS, body, strict=True):
        total ^= _gf_mul(weight, _VALUES[char])
    return ALPHABET[total]


def prefix() -> str:
    return settings.REQUESTS_REFERENCE_PREFIX


def format_reference(body: str) -> str:
    return f"{prefix()}-{body[:4]}-{body[4:]}-{check_character(body)}"


def generate_reference() -> str:
    return format_reference("".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH)))


@dataclass(frozen=True)
class ParsedReference:
    """What a citizen typed, understood: ``reference`` is set only when it is well formed."""

    reference: str | None
    problem: str | None  # None, "format" (not a reference at all) or "check" (probably mistyped)


def parse_reference(text: str) -> ParsedReference:
    """Accepts any case, spaces or dashes, with or without the prefix, and O/I/L for 0/1/1."""
    compact = re.sub(r"[\s\-_.]", "", (text or "").upper())
    if len(compact) == len(prefix()) + RANDOM_LENGTH + 1 and compact.startswith(prefix()):
        compact = compact[len(prefix()) :]
    compact = compact.translate(_ALIASES)
    if len(compact) != RANDOM_LENGTH + 1 or any(char not in _VALUES for char in compact):
        return ParsedReference(None, "format")
    body, check = compact[:RANDOM_LENGTH], compact[RANDOM_LENGTH]
    if check_character(body) != check:
        return ParsedReference(None, "check")
    return ParsedReference(format_reference(body), None)
