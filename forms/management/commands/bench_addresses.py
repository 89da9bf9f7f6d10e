"""`make bench-addresses`: the civic address registry and the nearby query at a city's scale.

On a throwaway database (PostgreSQL, or a SQLite file), migrated from scratch, a child process:

1. writes a 100,000-address CSV in the registry's import format (`import_addresses`: civic
   number, suffix, street, postal code, coordinates and sector columns) over the city's bounding
   box, and times `manage.py import_addresses` on it twice (the second run finds every address
   already there: idempotent, the count does not move), with its progress bar;
2. bulk-creates 200,000 requests at registry addresses (mixed types, statuses and dates over
   12 months), then times `forms.nearby.requests_nearby` at a few hundred random registry
   addresses beside a bare query (one row by primary key, through the ORM) measured in the same
   run, and prints p50/p95 and the ratio.

The peer is a bare query, not a bare view: `requests_nearby` is a function the request form
calls; what it adds over the floor is its bounding-box query, the exact distance and the
followers' count, which the ratio isolates from the machine's speed.
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.bench.wrkrun import percentile

from .bench_dashboard import Command as DashboardBench

ROOT = Path(settings.BASE_DIR)
# The city's bounding box (Québec City's urban area, about 18 km × 19 km).
SOUTH, NORTH, WEST, EAST = 46.74, 46.90, -71.40, -71.15
STREET_NAMES = [
    "des Érables", "des Bouleaux", "des Pins", "des Chênes", "des Ormes", "des Saules", "des Cèdres",
    "Saint-Joseph", "Saint-Jean", "Saint-Louis", "Saint-Paul", "Sainte-Anne", "Sainte-Foy",
    "Notre-Dame", "Laurier", "Cartier", "Champlain", "Frontenac", "Maisonneuve", "Talon",
    "Montcalm", "Wolfe", "Papineau", "Laval", "Marie-Victorin", "de la Rivière", "du Lac",
    "du Moulin", "de l'Église", "du Parc", "des Prés", "de la Montagne", "du Fleuve", "des Lilas",
    "des Roses", "des Tulipes", "des Mésanges", "des Hirondelles", "des Geais", "des Cardinaux",
    "Principale", "Commerciale", "Industrielle", "de la Gare", "du Marché", "des Écoles",
    "de la Colline", "du Vallon", "des Sources", "du Ruisseau",
]  # fmt: skip
QUALIFIERS = [
    "", "Est", "Ouest", "Nord", "Sud", "Centre", "Haut", "Bas", "Prolongée", "Petite", "Grande",
    "Vieux", "Neuve", "Première", "Deuxième", "Troisième", "Quatrième", "Cinquième", "Sixième", "Septième",
]  # fmt: skip
STREET_TYPES = ["rue", "avenue", "boulevard", "chemin", "rue", "rue"]
COLLECTION_SECTORS = ["nord", "sud", "est", "ouest", "centre", "vieux-village", "riviere", "erablieres"]
SNOW_SECTORS = ["s1", "s2", "s3", "s4"]
HEADER = [
    "civic_number", "suffix", "street", "postal_code", "latitude", "longitude",
    "collection_sector", "snow_sector", "district",
]  # fmt: skip


def registry_csv_write(path: Path, *, addresses: int, seed: int = 17) -> int:
    """`addresses` lines of the registry's import format: streets of 100 addresses (odd and
    even sides, a few 12A), each a straight segment of about a kilometre somewhere in the box."""
    rng = random.Random(seed)  # noqa: S311 - reproducible made-up data, not a secret
    streets = [
        f"{rng.choice(STREET_TYPES)} {name}{' ' + qualifier if qualifier else ''}"
        for qualifier in QUALIFIERS
        for name in STREET_NAMES
    ]
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index, street in enumerate(streets * (addresses // (len(streets) * 100) + 1)):
            if written >= addresses:
                break
            if index >= len(streets):  # more than 100,000: the same street names, a new range of numbers
                street = f"{street} {index // len(streets) + 1}"
            latitude, longitude = rng.uniform(SOUTH, NORTH - 0.01), rng.uniform(WEST, EAST - 0.013)
            dlat, dlon = rng.uniform(-0.009, 0.009), rng.uniform(-0.012, 0.012)
            letter = rng.choice("ABCEGHJKLMNPRSTVXY")
            postal = f"G{rng.randint(1, 9)}{letter} {rng.randint(1, 9)}A{rng.randint(0, 9)}"
            for position in range(100):
                if written >= addresses:
                    break
                step = position / 100
                lat = min(max(latitude + step * dlat, SOUTH), NORTH)
                lon = min(max(longitude + step * dlon, WEST), EAST)
                row, column = (lat - SOUTH) / (NORTH - SOUTH), (lon - WEST) / (EAST - WEST)  # 0 to 1
                writer.writerow(
                    [
                        2 * position + 1 if position % 2 == 0 else 2 * position,
                        "A" if rng.random() < 0.02 else "",
                        street,
                        postal,
                        f"{lat:.6f}",
                        f"{lon:.6f}",
                        COLLECTION_SECTORS[int(row * 1.999) * 4 + int(column * 3.999)],
                        SNOW_SECTORS[int(column * 3.999)],
                        f"district-{int(row * 4.999) * 5 + int(column * 4.999) + 1}",
                    ]
                )
                written += 1
    return written


def requests_bulk_create(*, count: int, seed: int = 23, batch: int = 5000) -> int:
    """`count` requests at registry addresses: every type, statuses by age, dates over 12 months."""
    from django.utils import timezone

    from forms.models import OPEN_STATUSES, CitizenRequest, RequestType, Status
    from knowledge.models import Address

    rng = random.Random(seed)  # noqa: S311
    now = timezone.now()
    types = list(RequestType.objects.all())
    places = list(Address.objects.values_list("pk", "latitude", "longitude"))
    if not types or not places:
        raise CommandError("No request type or no address to put requests at.")
    open_statuses = [str(status) for status in OPEN_STATUSES]
    rows = []
    created = 0
    for number in range(1, count + 1):
        request_type = types[number % len(types)]
        address_id, latitude, longitude = rng.choice(places)
        age = timedelta(seconds=rng.uniform(0, 365 * 86400))
        submitted = now - age
        # Recent requests are mostly open; older ones mostly resolved or closed.
        if rng.random() < (0.7 if age.days < 30 else 0.1):
            status = rng.choice(open_statuses)
        else:
            status = rng.choice([Status.RESOLVED, Status.CLOSED])
        rows.append(
            CitizenRequest(
                reference=f"BENCH-{number:09d}",
                request_type=request_type,
                department_id=request_type.department_id,
                department_since=submitted,
                status=str(status),
                status_changed_at=submitted,
                language=rng.choice(["fr", "fr", "fr", "en"]),
                subject="Demande du banc d'essai",
                description="Banc d'essai des adresses.",
                address="(banc d'essai)",
                email=f"citoyen{number}@example.org",
                submitted_at=submitted,
                expected_on=(submitted + timedelta(days=14)).date(),
                address_match_id=address_id,
                latitude=latitude,
                longitude=longitude,
            )
        )
        if len(rows) >= batch:
            CitizenRequest.objects.bulk_create(rows)
            created += len(rows)
            rows = []
    CitizenRequest.objects.bulk_create(rows)
    return created + len(rows)


class Command(BaseCommand):
    help = (
        "Benchmark the address registry import (100,000 addresses, twice) and the nearby query "
        "(100,000 addresses, 200,000 requests) on a fresh PostgreSQL database or SQLite file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url",
            default="postgres://postgres@127.0.0.1:54329/portal_bench_addresses",
            help="postgres://… (dropped and created again) or sqlite:///path (the file is replaced)",
        )
        parser.add_argument("--addresses", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=200_000)
        parser.add_argument("--points", type=int, default=300, help="random registry addresses to query at")
        parser.add_argument("--csv", default=str(ROOT / "tmp" / "bench-addresses.csv"))
        parser.add_argument(
            "--child", action="store_true", help="(internal) fill and time, in the current database"
        )

    def handle(self, *args, database_url, addresses, requests, points, csv, child, **options):
        path = Path(csv)
        if child:
            self.fill_and_time(addresses=addresses, requests=requests, points=points, path=path)
            return
        self.recreate_database(database_url)
        env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "portal.settings.bench"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        started = time.perf_counter()
        self.stdout.write(f"{self.engine_of(database_url)}: migrating a fresh database…")
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
        subprocess.run(  # noqa: S603 - our own manage.py
            [
                *manage,
                "bench_addresses",
                "--child",
                "--addresses",
                str(addresses),
                "--requests",
                str(requests),
                "--points",
                str(points),
                "--csv",
                str(path),
            ],
            env=env,
            check=True,
            cwd=ROOT,
        )
        self.stdout.write(f"total {time.perf_counter() - started:.0f} s")

    @staticmethod
    def engine_of(url: str) -> str:
        return "SQLite" if url.startswith("sqlite:") else "PostgreSQL"

    def recreate_database(self, url: str) -> None:
        if url.startswith(("postgres://", "postgresql://")):
            DashboardBench().recreate_database(url)
            return
        if not url.startswith("sqlite:///"):
            raise CommandError("Give a postgres:// URL or a sqlite:///path one.")
        path = Path(urlparse(url).path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            name.unlink(missing_ok=True)

    # In the bench database ---------------------------------------------------------------------

    def fill_and_time(self, *, addresses: int, requests: int, points: int, path: Path) -> dict:
        from django.db import connection

        from knowledge.models import Address

        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # As `make run` opens it (portal/settings/base.py); bench.py's URL parsing drops them.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
        path.parent.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        lines = registry_csv_write(path, addresses=addresses)
        self.stdout.write(f"wrote {lines:,} addresses to {path} in {time.perf_counter() - began:.1f} s")
        imports = []
        for attempt in ("first import", "second import (same file)"):
            began = time.perf_counter()
            call_command("import_addresses", str(path), stdout=self.stdout, stderr=self.stderr)
            imports.append((attempt, time.perf_counter() - began, Address.objects.count()))
        if imports[0][2] != imports[1][2]:
            raise CommandError(f"The second import changed the count: {imports[0][2]} → {imports[1][2]}")

        began = time.perf_counter()
        created = requests_bulk_create(count=requests)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics, as after a night of autovacuum
        filled = time.perf_counter() - began
        nearby, bare, found = self.time_nearby(points=points)

        p50, p95 = percentile(nearby, 50), percentile(nearby, 95)
        b50, b95 = percentile(bare, 50), percentile(bare, 95)
        self.stdout.write("")
        self.stdout.write(f"{connection.vendor}: {imports[0][2]:,} addresses, {created:,} requests")
        for attempt, seconds, count in imports:
            self.stdout.write(
                f"{'import_addresses, ' + attempt:<48} {seconds:>8.1f} s  ({count:,} in the registry)"
            )
        self.stdout.write(f"{'requests bulk-created':<48} {filled:>8.1f} s")
        self.stdout.write("")
        heading = f"query ({len(nearby)} random addresses)"
        self.stdout.write(f"{heading:<48} {'p50 ms':>8} {'p95 ms':>8} {'× bare p50':>11} {'× bare p95':>11}")
        for label, median, high in (
            ("nearby requests (forms.nearby.requests_nearby)", p50, p95),
            ("bare query (one request by primary key)", b50, b95),
        ):
            self.stdout.write(
                f"{label:<48} {median:>8.2f} {high:>8.2f} {median / b50:>11.1f} {high / b95:>11.1f}"
            )
        self.stdout.write(
            f"nearby requests found per address: mean {statistics.mean(found):.1f}, max {max(found)}"
        )
        return {
            "imports": [seconds for _attempt, seconds, _count in imports],
            "addresses": imports[-1][2],
            "requests": created,
            "nearby_p50": p50,
            "nearby_p95": p95,
            "bare_p50": b50,
            "bare_p95": b95,
        }

    def time_nearby(self, *, points: int) -> tuple[list[float], list[float], list[int]]:
        """Each random point: the nearby query, then the bare query; the same run, interleaved."""
        from forms.models import CitizenRequest, RequestType
        from forms.nearby import requests_nearby
        from knowledge.models import Address

        rng = random.Random(31)  # noqa: S311
        types = list(RequestType.objects.filter(asks_address=True)) or list(RequestType.objects.all())
        ids = list(Address.objects.values_list("pk", flat=True))
        request_ids = CitizenRequest.objects.values_list("pk", flat=True)
        first, last = request_ids.order_by("pk").first(), request_ids.order_by("-pk").first()
        at = [Address.objects.get(pk=pk) for pk in rng.sample(ids, min(points, len(ids)))]
        nearby, bare, found = [], [], []
        for index, address in enumerate([*at[:10], *at]):  # ten warm-up queries first
            request_type = types[index % len(types)]
            began = time.perf_counter()
            result = requests_nearby(
                request_type=request_type, latitude=address.latitude, longitude=address.longitude
            )
            middle = time.perf_counter()
            CitizenRequest.objects.filter(pk=rng.randint(first, last)).values_list("pk", flat=True).first()
            ended = time.perf_counter()
            if index >= 10:
                nearby.append((middle - began) * 1000)
                bare.append((ended - middle) * 1000)
                found.append(len(result))
        return nearby, bare, found
