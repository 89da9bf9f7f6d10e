"""« Tableau de bord »: who sees what, the filters, and CSV exports equal to the charts' data."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest

from django.utils import timezone

from forms.models import RequestType, Status
from forms.services import request_change_status, request_submit
from search.models import QueryLog
from tests.factories import StaffFactory
from tests.forms.conftest import VALID_DATA

pytestmark = pytest.mark.django_db
URL = "/admin/requests/dashboard/"


def submit(slug, *, days_ago=0, resolve_after=None, actor=None):
    data = {**VALID_DATA, "subject": f"Demande {slug} d'il y a {days_ago} jours"}
    citizen_request, created = request_submit(request_type=RequestType.objects.get(slug=slug), data=data)
    assert created
    when = timezone.now() - timedelta(days=days_ago)
    if resolve_after is not None:
        request_change_status(
            citizen_request=citizen_request, status=Status.RESOLVED, actor=actor, note="Fait."
        )
    type(citizen_request).objects.filter(pk=citizen_request.pk).update(
        submitted_at=when,
        resolved_at=when + timedelta(days=resolve_after) if resolve_after is not None else None,
    )
    return citizen_request


@pytest.fixture
def figures_data(django_user_model, portal):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-secret-123")
    pothole = RequestType.objects.get(slug="nid-de-poule")
    question = RequestType.objects.get(slug="question")
    assert pothole.department_id != question.department_id
    submit("nid-de-poule", days_ago=3, resolve_after=1, actor=admin)
    submit("nid-de-poule", days_ago=100, resolve_after=2, actor=admin)
    submit("question", days_ago=2)
    log = QueryLog.objects.create(
        query="piscine hors terre", language="fr", results_count=0, engine="database", duration_ms=1.0
    )
    return {"admin": admin, "pothole": pothole, "question": question, "log": log}


def chart_data(html: str) -> dict:
    scripts = re.findall(
        r'<script id="(figure-[a-z-]+-data)" type="application/json">(.*?)</script>', html, re.S
    )
    return {json.loads(body)["key"]: json.loads(body) for _id, body in scripts}


def department_row(data, name):
    index = data["labels"].index(name)
    return {dataset["key"]: dataset["data"][index] for dataset in data["datasets"]}


def test_department_staff_see_only_their_departments(client, django_user_model, figures_data):
    pothole = figures_data["pothole"]
    member = StaffFactory(username="agent", department=pothole.department)
    client.force_login(member)
    page = client.get(URL, {"period": "30"})
    assert page.status_code == 200
    charts = chart_data(page.text)
    assert "searches" not in charts and "zero-results" not in charts  # city-wide searches: not theirs
    assert charts["departments"]["labels"] == [pothole.department.name]
    assert department_row(charts["departments"], pothole.department.name)["received"] == 1
    assert figures_data["question"].department.name not in page.text
    # Another department in the filter: refused, not shown.
    other = client.get(URL, {"department": figures_data["question"].department_id})
    assert other.status_code == 400
    assert figures_data["question"].department.name not in other.text
    # The menu item is there for them.
    assert URL in client.get("/admin/").text


def test_staff_without_a_department_get_no_dashboard(client, django_user_model, figures_data):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", password="pw-secret-123")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert URL not in client.get("/admin/").text
    response = client.get(URL)
    assert response.status_code in (302, 403)
    assert "Download the data" not in response.text and "Télécharger" not in response.text


def test_superusers_see_every_department_and_the_searches(client, figures_data):
    client.force_login(figures_data["admin"])
    page = client.get(URL, {"period": "30"}).text
    charts = chart_data(page)
    assert {"searches", "zero-results", "requests", "departments", "delays", "satisfaction"} <= set(charts)
    assert figures_data["question"].department.name in charts["departments"]["labels"]
    assert charts["zero-results"]["labels"] == ["piscine hors terre"]
    # Each search without results links to writing an answer and to adding a synonym.
    assert "/admin/pages/search/?q=piscine+hors+terre" in page
    assert 'href="/admin/snippets/search/synonym/add/"' in page


def test_period_and_department_filters(client, figures_data):
    client.force_login(figures_data["admin"])
    name = figures_data["pothole"].department.name
    last_30 = chart_data(client.get(URL, {"period": "30"}).text)
    last_year = chart_data(client.get(URL, {"period": "365"}).text)
    assert department_row(last_30["departments"], name)["received"] == 1
    assert department_row(last_year["departments"], name)["received"] == 2
    only = chart_data(
        client.get(URL, {"period": "365", "department": figures_data["pothole"].department_id}).text
    )
    assert only["departments"]["labels"] == [name]
    today = timezone.localdate()
    custom = client.get(
        URL,
        {"period": "custom", "start": (today - timedelta(days=120)).isoformat(), "end": today.isoformat()},
    )
    assert department_row(chart_data(custom.text)["departments"], name)["received"] == 2


@pytest.mark.parametrize(
    "params",
    [
        {"period": "custom", "start": "2026-03-01"},
        {"period": "custom", "start": "2026-03-01", "end": "2026-01-01"},
        {"period": "forever"},
        {"period": "custom", "start": "pas une date", "end": "2026-01-01"},
        {"department": "abc"},
    ],
)
def test_bad_filters_are_a_400_with_a_message(client, figures_data, params):
    client.force_login(figures_data["admin"])
    response = client.get(URL, params)
    assert response.status_code == 400
    assert "help-critical" in response.text


@pytest.mark.parametrize("cached", [True, False], ids=["from-the-page-cache", "computed-alone"])
def test_csv_exports_equal_the_charts_data(client, figures_data, cached):
    from django.core.cache import cache

    client.force_login(figures_data["admin"])
    params = {"period": "365"}
    charts = chart_data(client.get(URL, params).text)
    assert len(charts) >= 8
    for key, data in charts.items():
        if not cached:
            cache.clear()
        response = client.get(URL, {**params, "csv": key})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        lines = list(csv.reader(io.StringIO(response.content.decode())))
        header, rows = lines[0], lines[1:]
        assert [row[0] for row in rows] == [str(label) for label in data["labels"]], key
        for dataset in data["datasets"]:
            column = header.index(dataset["label"])
            expected = ["" if value is None else str(value) for value in dataset["data"]]
            assert [row[column] for row in rows] == expected, (key, dataset["label"])


def test_an_unknown_figure_is_a_404(client, figures_data):
    client.force_login(figures_data["admin"])
    assert client.get(URL, {"csv": "nope"}).status_code == 404


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, figures_data):
    QueryLog.objects.create(
        query="=cmd()", language="fr", results_count=0, engine="database", duration_ms=1.0
    )
    client.force_login(figures_data["admin"])
    body = client.get(URL, {"csv": "zero-results"}).content.decode()
    assert "'=cmd()" in body and "\n=cmd()" not in body


def test_the_served_chart_js_is_the_pinned_version():
    """The dashboard serves Chart.js from the static files (`make chartjs`), never from a CDN."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pinned = json.loads((root / "package.json").read_text())["dependencies"]["chart.js"]
    served = (root / "forms/static/requests/dashboard/chart.umd.min.js").read_text()[:200]
    assert f"Chart.js v{pinned}" in served
    template = (root / "forms/templates/requests/dashboard/dashboard.html").read_text()
    assert "requests/dashboard/chart.umd.min.js" in template and "//cdn" not in template


def test_make_run_fills_the_search_charts_once(client, figures_data, answer_pair):
    from forms.dashboard.demo import demo_searches_create

    assert demo_searches_create(days=10, per_day=10) > 0
    assert demo_searches_create(days=10, per_day=10) == 0  # idempotent
    client.force_login(figures_data["admin"])
    charts = chart_data(client.get(URL, {"period": "30"}).text)
    assert sum(charts["searches"]["datasets"][0]["data"]) > 0
    assert charts["answers"]["labels"]  # clicks on the demo answers
