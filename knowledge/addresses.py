"""The civic address registry: import, search as citizens type, and what a sector says for a date.

Street names are compared without accents, case, punctuation nor street type (« 12 rue des
erables » finds « 12, rue des Érables »); a typo in the street name is forgiven by comparing
with the registry's few hundred street names (rapidfuzz), never by scanning the addresses.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from django.core.cache import cache
from django.db import transaction

from portal.business_days import is_business_day

from .models import Address, Sector

STREET_TYPES = {
    "rue", "avenue", "av", "ave", "boulevard", "boul", "bd", "chemin", "ch", "route", "rte", "rang",
    "place", "pl", "cote", "montee", "allee", "impasse", "promenade", "terrasse", "street", "st",
    "road", "rd", "drive", "dr", "des", "de", "du", "la", "le", "les", "l", "d", "of", "the",
}  # fmt: skip
REQUIRED_COLUMNS = ("civic_number", "street", "latitude", "longitude")
KNOWN_COLUMNS = {*REQUIRED_COLUMNS, "suffix", "postal_code"}
NUMBER = re.compile(r"^\s*(\d{1,6})\s*([a-zA-Z]?)\b[\s,]*(.*)$")
BATCH = 2000
STREETS_CACHE_KEY = "addresses:streets"


def fold(text: str) -> str:
    """Lower case, without accents or punctuation."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(character for character in text if not unicodedata.combining(character))
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def street_key(street: str) -> str:
    """« Rue des Érables » → « erables »: what identifies the street when a citizen types it."""
    words = [word for word in fold(street).split() if word not in STREET_TYPES]
    return " ".join(words) or fold(street)


# Import -------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    sectors_created: int = 0


def _row(line_number: int, row: dict, sector_columns: list[str]) -> Address:
    try:
        number = int((row.get("civic_number") or "").strip())
        latitude, longitude = float(row["latitude"]), float(row["longitude"])
    except (TypeError, ValueError):
        raise ValueError(
            "civic_number must be a whole number, latitude and longitude decimal degrees"
        ) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or number <= 0:
        raise ValueError("civic_number, latitude or longitude out of range")
    street = " ".join((row.get("street") or "").split())
    if not street:
        raise ValueError("street is empty")
    suffix = (row.get("suffix") or "").strip().upper()
    if len(suffix) > 5 or len(street) > 120:
        raise ValueError("suffix (5) or street (120 characters) too long")
    return Address(
        civic_number=number,
        suffix=suffix,
        street=street,
        street_key=street_key(street),
        postal_code=" ".join((row.get("postal_code") or "").upper().split())[:7],
        latitude=latitude,
        longitude=longitude,
        sectors={column: row[column].strip() for column in sector_columns if (row.get(column) or "").strip()},
    )


def addresses_import(
    lines: Iterable[str], *, progress: Callable[[Iterable], Iterable] | None = None
) -> ImportReport:
    """Loads a registry CSV (civic_number, suffix, street, postal_code, latitude, longitude and any
    sector columns): each address inserted or updated in place, each bad line named, the
    sectors it names created (named after their code until an editor names them)."""
    report = ImportReport()
    reader = csv.DictReader(lines)
    columns = reader.fieldnames or []
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        report.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return report
    sector_columns = [column for column in columns if column not in KNOWN_COLUMNS]
    batch: dict[tuple, Address] = {}
    sectors: set[tuple[str, str]] = set()
    rows = progress(reader) if progress else reader
    for row in rows:
        try:
            address = _row(reader.line_num, row, sector_columns)
        except ValueError as error:
            report.errors.append((reader.line_num, str(error)))
            continue
        batch[(address.civic_number, address.suffix, address.street_key)] = address
        sectors.update(address.sectors.items())
        if len(batch) >= BATCH:
            report.imported += _save(batch.values())
            batch = {}
    report.imported += _save(batch.values())
    existing = set(Sector.objects.values_list("kind", "code"))
    new = [Sector(kind=kind, code=code, name=code) for kind, code in sorted(sectors - existing)]
    Sector.objects.bulk_create(new, ignore_conflicts=True)
    report.sectors_created = len(new)
    cache.delete(STREETS_CACHE_KEY)
    return report


@transaction.atomic
def _save(addresses: Iterable[Address]) -> int:
    addresses = list(addresses)
    Address.objects.bulk_create(
        addresses,
        update_conflicts=True,
        unique_fields=["civic_number", "suffix", "street_key"],
        update_fields=["street", "postal_code", "latitude", "longitude", "sectors"],
    )
    return len(addresses)


def addresses_import_text(text: str) -> ImportReport:
    return addresses_import(io.StringIO(text))


# Search --------------------------------------------------------------------------------------


def street_keys() -> list[str]:
    keys = cache.get(STREETS_CACHE_KEY)
    if keys is None:
        keys = sorted(set(Address.objects.values_list("street_key", flat=True)))
        cache.set(STREETS_CACHE_KEY, keys, timeout=3600)
    return keys


def matching_streets(words: str, *, limit: int = 3) -> list[str]:
    """The registry's streets that `words` names, exactly, by their start, or with a typo."""
    wanted = street_key(words)
    if not wanted:
        return []
    keys = street_keys()
    exact = [key for key in keys if key == wanted or key.startswith(wanted)]
    if exact:
        return exact[:limit]
    found = process.extract(wanted, keys, scorer=fuzz.WRatio, limit=limit, score_cutoff=80)
    return [key for key, _score, _index in found]


def address_search(text: str, *, limit: int = 8) -> list[Address]:
    """Addresses for what a citizen typed: « 12 rue des erables », « 12a des Érables », « erables »."""
    match = NUMBER.match(text or "")
    number, suffix, words = (
        (int(match.group(1)), match.group(2).upper(), match.group(3)) if match else (None, "", text)
    )
    streets = matching_streets(words)
    if not streets:
        return []
    found = Address.objects.filter(street_key__in=streets)
    if number is not None:
        found = found.filter(civic_number=number)
        if suffix:
            found = found.filter(suffix=suffix)
    return list(found.order_by("street_key", "civic_number", "suffix")[:limit])


# What a sector says -----------------------------------------------------------------------------

STREAMS = (("garbage", "garbage_weeks"), ("recycling", "recycling_weeks"), ("organics", "organics_weeks"))


# Weeks alternate strictly, counted from this Monday (week 1, odd): ISO week numbers would put two
# "odd" weeks in a row at the end of a 53-week year (2026 week 53, then 2027 week 1).
WEEK_ONE = datetime.date(2024, 1, 1)


def _week_matches(day: datetime.date, parity: str) -> bool:
    if parity == Sector.Parity.EVERY:
        return True
    week = (day - WEEK_ONE).days // 7 + 1
    return (week % 2 == 0) == (parity == Sector.Parity.EVEN)


def _next_business_day(day: datetime.date) -> datetime.date:
    while not is_business_day(day):
        day += datetime.timedelta(days=1)
    return day


def collection_dates(
    sector: Sector, *, stream: str, start: datetime.date, count: int = 3
) -> list[datetime.date]:
    """The next `count` collections of `stream` on or after `start`: the sector's day of the weeks
    its rule says; a collection that falls on a holiday moves to the next business day."""
    parity = getattr(sector, dict(STREAMS)[stream])
    if sector.collection_weekday is None or not parity:
        return []
    day = start - datetime.timedelta(days=7)  # a collection moved by a holiday may still be ahead
    day += datetime.timedelta(days=(sector.collection_weekday - day.weekday()) % 7)
    dates: list[datetime.date] = []
    while len(dates) < count:
        if _week_matches(day, parity):
            actual = _next_business_day(day)
            if actual >= start:
                dates.append(actual)
        day += datetime.timedelta(days=7)
    return dates


def sectors_of(address: Address) -> dict[str, Sector]:
    """The sectors an address belongs to, by kind."""
    wanted = [(kind, code) for kind, code in address.sectors.items()]
    found = {}
    for sector in Sector.objects.filter(
        kind__in=[kind for kind, _c in wanted], code__in=[code for _k, code in wanted]
    ):
        if address.sectors.get(sector.kind) == sector.code:
            found[sector.kind] = sector
    return found
