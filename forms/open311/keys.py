"""API keys of the Open311 API: made once and shown once, stored as a SHA-256, checked in constant time.

A key reads ``o311_<prefix>_<secret>``: the prefix (8 hex characters) finds the row, the whole
key is hashed and compared with the stored hash. The secret has 256 random bits, so a fast
hash is enough (a password hasher's slowness protects guessable secrets, not random ones).
"""

import hashlib
import hmac
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Open311ApiKey

KEY_SCHEME = "o311"
PREFIX_BYTES = 4  # 8 hex characters
SECRET_BYTES = 32
MAX_KEY_LENGTH = 200  # anything longer is not one of ours: refused before hashing


def key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8", "replace")).hexdigest()


def key_prefix(raw_key: str) -> str | None:
    """The lookup prefix of a key, or None when it does not have the shape of our keys."""
    if not raw_key or len(raw_key) > MAX_KEY_LENGTH:
        return None
    parts = raw_key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME or len(parts[1]) != PREFIX_BYTES * 2 or not parts[2]:
        return None
    if any(char not in "0123456789abcdef" for char in parts[1]):
        return None
    return parts[1]


@transaction.atomic
def api_key_create(*, name: str) -> tuple[Open311ApiKey, str]:
    """Makes a key for `name`; returns the row and the key itself, which is never stored."""
    for _attempt in range(5):
        prefix = secrets.token_hex(PREFIX_BYTES)
        raw_key = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
        api_key = Open311ApiKey(name=name.strip(), prefix=prefix, key_hash=key_hash(raw_key))
        api_key.full_clean()
        try:
            with transaction.atomic():
                api_key.save(force_insert=True)
        except IntegrityError:  # the same prefix drawn twice: draw again
            continue
        return api_key, raw_key
    raise RuntimeError("Could not draw a unique key prefix.")  # pragma: no cover


def api_key_authenticate(*, raw_key: str) -> Open311ApiKey | None:
    """The active key matching `raw_key` (its last use recorded), or None."""
    prefix = key_prefix((raw_key or "").strip())
    if prefix is None:
        return None
    api_key = Open311ApiKey.objects.filter(prefix=prefix, active=True).first()
    if api_key is None or not hmac.compare_digest(api_key.key_hash, key_hash(raw_key.strip())):
        return None
    now = timezone.now()
    Open311ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now
    return api_key
