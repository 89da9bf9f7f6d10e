"""The civic address registry: import, search as citizens type, collection days, answers by address."""

import datetime
import html

import pytest

from django.core.management import call_command
from django.test import Client

from knowledge.addresses import address_search, addresses_import_text, collection_dates
from knowledge.demo_registry import demo_registry_create
from knowledge.models import Address, AnswerPage, Sector
from tests.factories import AnswerPageFactory

pytestmark = pytest.mark.django_db

CSV = """civic_number,suffix,street,postal_code,latitude,longitude,collection_sector,snow_sector
12,,rue des Érables,G0A 1A0,46.81,-71.21,nord,s1
12,A,rue des Érables,G0A 1A0,46.8101,-71.2101,nord,s1
14,,rue des Érables,G0A 1A0,46.8102,-71.2102,nord,s1
40,,boulevard de la Rivière,G0A 1A1,46.82,-71.20,riviere-est,s2
abc,,rue Principale,,46.8,-71.2,nord,s1
15,,,,46.8,-71.2,nord,s1
16,,rue Principale,,146.8,-71.2,nord,s1
"""


def test_import_keeps_sectors_names_bad_lines_and_is_idempotent():
    report = addresses_import_text(CSV)
    assert report.imported == 4 and [line for line, _message in report.errors] == [6, 7, 8]
    assert Address.objects.get(civic_number=40).sectors == {
        "collection_sector": "riviere-est",
        "snow_sector": "s2",
    }
    assert set(Sector.objects.values_list("kind", "code")) == {
        ("collection_sector", "nord"),
        ("collection_sector", "riviere-est"),
        ("snow_sector", "s1"),
        ("snow_sector", "s2"),
    }
    again = addresses_import_text(CSV.replace("46.82,-71.20", "46.83,-71.19"))
    assert again.imported == 4 and Address.objects.count() == 4
    assert Address.objects.get(civic_number=40).latitude == 46.83  # updated in place


def test_the_command_reports_progress_and_refused_lines(tmp_path, capsys):
    path = tmp_path / "adresses.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(Exception, match="refused"):
        call_command("import_addresses", str(path))
    assert Address.objects.count() == 4
    path.write_text("numero,rue\n12,Principale\n", encoding="utf-8")
    with pytest.raises(Exception, match="refused"):
        call_command("import_addresses", str(path))
    assert "missing columns: civic_number, street, latitude, longitude" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12 rue des erables", ["12, rue des Érables", "12A, rue des Érables"]),
        ("12, Rue des Érables", ["12, rue des Érables", "12A, rue des Érables"]),
        ("12A des Érables", ["12A, rue des Érables"]),
        ("12 rue des érabels", ["12, rue des Érables", "12A, rue des Érables"]),  # a typo
        ("40 boul de la riviere", ["40, boulevard de la Rivière"]),
        ("14 erab", ["14, rue des Érables"]),  # the start of the street
        ("99 rue des Érables", []),
        ("rue inconnue", []),
    ],
)
def test_search_as_citizens_type(typed, expected):
    addresses_import_text(CSV)
    assert [address.label for address in address_search(typed)] == expected


def test_collection_dates_follow_the_rule_and_move_after_holidays():
    sector = Sector(collection_weekday=0, garbage_weeks="even", recycling_weeks="odd", organics_weeks="every")
    # Mondays of 2026: Labour Day (Sept. 7, week 37, odd) moves recycling to Tuesday.
    assert collection_dates(sector, stream="recycling", start=datetime.date(2026, 9, 1)) == [
        datetime.date(2026, 9, 8),
        datetime.date(2026, 9, 21),
        datetime.date(2026, 10, 5),
    ]
    assert collection_dates(sector, stream="garbage", start=datetime.date(2026, 9, 1)) == [
        datetime.date(2026, 9, 14),
        datetime.date(2026, 9, 28),
        datetime.date(2026, 10, 13),  # Thanksgiving Monday (Oct. 12): Tuesday
    ]
    # Across the year's end the weeks still alternate (ISO numbers would give two odd weeks).
    assert collection_dates(sector, stream="recycling", start=datetime.date(2026, 12, 26), count=2) == [
        datetime.date(2026, 12, 28),
        datetime.date(2027, 1, 11),
    ]
    assert collection_dates(sector, stream="garbage", start=datetime.date(2026, 12, 26), count=1) == [
        datetime.date(2027, 1, 4)
    ]
    assert collection_dates(Sector(), stream="garbage", start=datetime.date(2026, 9, 1)) == []


def test_the_demo_answer_tells_the_collection_days_by_address(portal):
    AnswerPageFactory(source_id="rae-001-fr", title="Quel jour mes ordures sont-elles ramassées?")
    assert demo_registry_create() > 2000
    assert demo_registry_create() > 2000 and Address.objects.count() < 5000  # idempotent
    page = AnswerPage.objects.get(source_id="rae-001-fr")
    client = Client()
    shown = html.unescape(client.get(page.url).content.decode())
    assert 'action="/fr/adresses/trouver/"' in shown and 'name="adresse"' in shown
    response = client.post("/fr/adresses/trouver/", {"page": page.pk, "adresse": "13 rue des erables"})
    assert response.status_code == 302 and "erables" not in response["Location"].lower()
    answer = html.unescape(client.get(response["Location"]).content.decode())
    assert "13, rue des Érables" in answer and "secteur Nord" in answer and "Ordures" in answer
    assert answer.count("<time datetime=") >= 6
    several = client.post("/fr/adresses/trouver/", {"page": page.pk, "adresse": "rue des Érables"})
    assert several.status_code == 200 and "Laquelle" in html.unescape(several.content.decode())
    none = client.post("/fr/adresses/trouver/", {"page": page.pk, "adresse": "9999 rue Imaginaire"})
    assert none.status_code == 404 and "9999 rue Imaginaire" in html.unescape(none.content.decode())
    assert client.post("/fr/adresses/trouver/", {"page": "x", "adresse": "12"}).status_code == 400


def test_suggestions_are_posted_and_hold_no_personal_data(portal):
    addresses_import_text(CSV)
    response = Client().post("/fr/adresses/", {"q": "12 rue des erab"})
    assert response.json()["addresses"][0]["label"] == "12, rue des Érables"
    assert Client().get("/fr/adresses/?q=12").status_code == 405
