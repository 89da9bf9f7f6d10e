"""The demo city's address registry (a few thousand generated addresses over a handful of
streets and sectors), its sectors' rules, and the collection-day answer that uses them."""

import csv
import io
import random

from wagtail.models import Page

from .addresses import addresses_import
from .models import Address, AnswerPage, Sector

# street, first and last civic number, collection sector, snow sector
STREETS = [
    ("rue des Érables", 1, 420, "nord", "s1"),
    ("rue Principale", 100, 1400, "vieux-village", "s1"),
    ("avenue du Parc", 2, 360, "nord", "s2"),
    ("boulevard de la Rivière", 10, 980, "riviere-est", "s2"),
    ("rue Saint-Joseph", 1, 300, "vieux-village", "s1"),
    ("chemin des Prés", 5, 640, "erablieres", "s3"),
    ("rue de l'Église", 1, 180, "vieux-village", "s1"),
    ("rue Notre-Dame", 3, 520, "riviere-est", "s2"),
    ("rang Saint-Charles", 100, 2400, "erablieres", "s3"),
    ("rue des Bouleaux", 2, 240, "nord", "s2"),
    ("avenue Laurier", 1, 410, "riviere-est", "s3"),
    ("rue du Moulin", 4, 280, "erablieres", "s3"),
]
COLLECTION_SECTORS = {  # code: name, weekday, description
    "nord": (
        "Nord",
        0,
        "Ordures (bac noir) le lundi des semaines paires, recyclage (bac bleu) des semaines impaires.",
    ),
    "vieux-village": (
        "Vieux-Village",
        1,
        "Ordures le mardi des semaines paires, recyclage le mardi des semaines impaires.",
    ),
    "riviere-est": (
        "Rivière-Est",
        2,
        "Ordures le mercredi des semaines paires, recyclage le mercredi des semaines impaires.",
    ),
    "erablieres": (
        "Les Érablières",
        3,
        "Ordures le jeudi des semaines paires, recyclage le jeudi des semaines impaires.",
    ),
}
SNOW_SECTORS = {"s1": "Secteur 1 (centre)", "s2": "Secteur 2 (est)", "s3": "Secteur 3 (campagne)"}
COLLECTION_ANSWER_SOURCE_IDS = ("rae-001-fr", "rae-001-en")


def demo_registry_csv(seed: int = 7) -> str:
    """One address every 2 (odd and even sides) along each street, a few with a suffix (12A)."""
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "civic_number",
            "suffix",
            "street",
            "postal_code",
            "latitude",
            "longitude",
            "collection_sector",
            "snow_sector",
        ]
    )
    for index, (street, first, last, collection, snow) in enumerate(STREETS):
        latitude, longitude = 46.80 + index * 0.004, -71.22 + (index % 4) * 0.006
        for number in range(first, last + 1, 2 if last - first < 700 else 4):
            step = (number - first) / max(last - first, 1)
            suffix = "A" if rng.random() < 0.03 else ""
            writer.writerow(
                [
                    number,
                    suffix,
                    street,
                    "G0A 1A0",
                    f"{latitude + step * 0.01:.6f}",
                    f"{longitude + step * 0.012:.6f}",
                    collection,
                    snow,
                ]
            )
    return out.getvalue()


def demo_registry_create() -> int:
    """Idempotent: loads the registry, names the sectors and gives them their rules, and puts an
    "answer by address" block on the collection-day answer (both languages). Returns the addresses."""
    report = addresses_import(io.StringIO(demo_registry_csv()))
    for code, (name, weekday, description) in COLLECTION_SECTORS.items():
        Sector.objects.update_or_create(
            kind="collection_sector",
            code=code,
            defaults={
                "name": name,
                "description": description,
                "collection_weekday": weekday,
                "garbage_weeks": Sector.Parity.EVEN,
                "recycling_weeks": Sector.Parity.ODD,
                "organics_weeks": Sector.Parity.EVERY,
            },
        )
    for code, name in SNOW_SECTORS.items():
        Sector.objects.update_or_create(kind="snow_sector", code=code, defaults={"name": name})
    for source_id in COLLECTION_ANSWER_SOURCE_IDS:
        collection_answer_attach(source_id)
    return report.imported


def collection_answer_attach(source_id: str) -> None:
    page = AnswerPage.objects.filter(source_id=source_id).first()
    if page is None or any(block.block_type == "address_answer" for block in page.body):
        return
    heading = "Votre jour de collecte" if page.locale.language_code == "fr" else "Your collection days"
    page.body.append(
        ("address_answer", {"heading": heading, "answer": "collection", "sector_kind": "collection_sector"})
    )
    revision = page.save_revision()
    if isinstance(page, Page) and page.live:
        revision.publish()


def demo_registry_size() -> int:
    return Address.objects.count()
