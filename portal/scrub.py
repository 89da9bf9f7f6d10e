"""Removes personal data from a citizen's text before it is kept or made public (answers, feedback).

Pure functions, no database: the citizen's own name, e-mail, phone and address are removed
wherever they appear, and so is anything that looks like an e-mail address, a North-American
phone number or a Canadian postal code. What is removed becomes ``PLACEHOLDER``, so the editor
sees that something was there. It errs on the side of removing: a staff member reads the draft
before it is published.
"""

import re

PLACEHOLDER = "[…]"

EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 418 555-0123, (418) 555-0123, 1-418-555-0123, +1 418.555.0123, 4185550123; not inside a longer number.
PHONE = re.compile(
    r"(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?![\w])"
    r"(?:\s*(?:poste|ext\.?|x)\s*\d{1,6})?",
    re.IGNORECASE,
)
# Canadian postal codes (G6V 1A1, g6v1a1, G6V-1A1): the letters that Canada Post uses.
POSTAL_CODE = re.compile(
    r"(?<!\w)[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][\s-]?\d[ABCEGHJ-NPRSTV-Z]\d(?!\w)", re.IGNORECASE
)
# Name parts shorter than this are not removed alone (initials, « de », « La »).
NAME_PART_MIN_LENGTH = 3


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text or "")


def _sequence(words: list[str]) -> re.Pattern | None:
    """The words in this order, whatever the spaces, commas, dots or dashes between them."""
    if not words:
        return None
    return re.compile(
        r"(?<!\w)" + r"[\s,.\-']*".join(re.escape(word) for word in words) + r"(?!\w)", re.IGNORECASE
    )


def _phone_pattern(phone: str) -> re.Pattern | None:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return None
    return re.compile(r"(?<!\d)" + r"[\s().+-]*".join(digits) + r"(?!\d)")


def scrub(text: str, *, name: str = "", email: str = "", phone: str = "", address: str = "") -> str:
    """The text without the given personal data nor e-mail, phone or postal code patterns."""
    if not text:
        return ""
    patterns: list[re.Pattern] = []
    if email:
        patterns.append(re.compile(re.escape(email.strip()), re.IGNORECASE))
    patterns.append(EMAIL)
    for pattern in (_phone_pattern(phone), _sequence(_words(address)), _sequence(_words(name))):
        if pattern is not None:
            patterns.append(pattern)
    patterns += [PHONE, POSTAL_CODE]
    # Then each part of the name alone (« Mme Tremblay », « Marie »).
    for part in _words(name):
        if len(part) >= NAME_PART_MIN_LENGTH:
            patterns.append(re.compile(rf"(?<!\w){re.escape(part)}(?!\w)", re.IGNORECASE))
    for pattern in patterns:
        text = pattern.sub(PLACEHOLDER, text)
    # « […], […] » from an address or a full name split in parts: one placeholder is enough.
    return re.sub(rf"{re.escape(PLACEHOLDER)}(?:[\s,.\-]*{re.escape(PLACEHOLDER)})+", PLACEHOLDER, text)
