"""`make bench-addresses` at a tiny size, so that the benchmark cannot rot: the registry CSV it
writes is the import format, the second import changes nothing, the requests land at registry
addresses and the nearby query is timed beside the bare one."""

import csv
import io

import pytest

from forms.management.commands.bench_addresses import Command, registry_csv_write
from forms.models import CitizenRequest
from knowledge.models import Address, Sector

pytestmark = pytest.mark.django_db


def test_the_registry_csv_is_in_the_import_format(tmp_path):
    path = tmp_path / "registry.csv"
    assert registry_csv_write(path, addresses=250) == 250
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 250
    assert {"civic_number", "street", "latitude", "longitude", "collection_sector"} <= set(rows[0])


def test_the_benchmark_runs_at_a_tiny_size(tmp_path):
    out = io.StringIO()
    figures = Command(stdout=out, stderr=io.StringIO()).fill_and_time(
        addresses=500, requests=1000, points=20, path=tmp_path / "registry.csv"
    )
    assert Address.objects.count() == figures["addresses"] == 500
    assert Sector.objects.filter(kind="district").exists()
    assert CitizenRequest.objects.count() == figures["requests"] == 1000
    assert CitizenRequest.objects.filter(latitude__isnull=True).count() == 0
    assert len(figures["imports"]) == 2 and figures["nearby_p95"] >= figures["nearby_p50"] > 0
    text = out.getvalue()
    assert "import_addresses, second import (same file)" in text and "× bare p95" in text
