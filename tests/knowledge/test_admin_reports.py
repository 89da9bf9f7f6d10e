import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from knowledge.admin_views import months_before, review_cutoff
from knowledge.votes import helpful_vote_record
from tests.factories import AnswerPageFactory, ServicePageFactory, SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = SuperuserFactory(username="editrice")
    client.force_login(user)
    return client


def reviewed(page, *, days_ago: int):
    type(page).objects.filter(pk=page.pk).update(
        last_reviewed=timezone.localdate() - datetime.timedelta(days=days_ago)
    )


@pytest.fixture
def stale_and_fresh(portal):
    stale = AnswerPageFactory(source_id="stale-fr", title="Comment obtenir un permis de feu?")
    fresh = AnswerPageFactory(source_id="fresh-fr", title="Quand passe la déneigeuse?")
    stale_service = ServicePageFactory(
        source_id="stale-svc-fr", topic="Permis", title="Permis de clôture", target_days=5
    )
    reviewed(stale, days_ago=400)
    reviewed(fresh, days_ago=60)
    reviewed(stale_service, days_ago=800)
    return stale, fresh, stale_service


def test_months_before_clamps_to_the_end_of_shorter_months():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 12) == datetime.date(2025, 1, 15)
    assert months_before(datetime.date(2026, 1, 15), 13) == datetime.date(2024, 12, 15)
    assert review_cutoff(months=6, today=datetime.date(2026, 8, 31)) == datetime.date(2026, 2, 28)


def test_answers_to_review_lists_stale_pages_not_fresh_ones(editor_client, stale_and_fresh):
    stale, fresh, stale_service = stale_and_fresh
    response = editor_client.get(reverse("knowledge_reports:answers_to_review"))
    assert response.status_code == 200
    html = response.content.decode()
    assert stale.title in html
    assert stale_service.title in html
    assert fresh.title not in html
    assert reverse("wagtailadmin_pages:edit", args=[stale.pk]) in html
    assert "Direction de l&#x27;environnement" in html or "Direction de l'environnement" in html
    # Oldest review first.
    assert html.index(stale_service.title) < html.index(stale.title)


def test_answers_to_review_months_filter(editor_client, stale_and_fresh):
    stale, fresh, stale_service = stale_and_fresh
    url = reverse("knowledge_reports:answers_to_review")
    html = editor_client.get(url, {"months": 1}).content.decode()
    assert fresh.title in html and stale.title in html
    html = editor_client.get(url, {"months": 24}).content.decode()
    assert stale_service.title in html
    assert stale.title not in html and fresh.title not in html


def test_answers_to_review_follows_the_setting(editor_client, stale_and_fresh, settings):
    stale, fresh, _service = stale_and_fresh
    settings.PORTAL_REVIEW_AFTER_MONTHS = 36
    html = editor_client.get(reverse("knowledge_reports:answers_to_review")).content.decode()
    assert stale.title not in html and fresh.title not in html


def test_answers_to_review_results_fragment_and_csv_export(editor_client, stale_and_fresh):
    stale, fresh, _service = stale_and_fresh
    fragment = editor_client.get(reverse("knowledge_reports:answers_to_review_results"))
    assert fragment.status_code == 200
    assert stale.title in fragment.content.decode()
    export = editor_client.get(reverse("knowledge_reports:answers_to_review"), {"export": "csv"})
    assert export.status_code == 200
    content = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert stale.title in content and fresh.title not in content


def test_helpful_votes_report_shows_counts_most_no_first(editor_client, stale_and_fresh):
    stale, fresh, stale_service = stale_and_fresh
    for number in range(3):
        helpful_vote_record(page=stale, visitor_id=f"visitor-{number}", is_helpful=False)
    helpful_vote_record(page=stale, visitor_id="visitor-yes", is_helpful=True)
    helpful_vote_record(page=fresh, visitor_id="visitor-1", is_helpful=True)
    helpful_vote_record(page=fresh, visitor_id="visitor-2", is_helpful=True)
    response = editor_client.get(reverse("knowledge_reports:helpful_votes"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(stale.title) < html.index(fresh.title)
    assert stale_service.title not in html  # No vote, not listed.
    rows = {page.pk: page for page in response.context["object_list"]}
    assert (rows[stale.pk].votes_yes, rows[stale.pk].votes_no, rows[stale.pk].votes_total) == (1, 3, 4)
    assert round(rows[stale.pk].helpful_percent) == 25
    assert (rows[fresh.pk].votes_yes, rows[fresh.pk].votes_no) == (2, 0)
    assert "25" in html and "100" in html


def test_helpful_votes_report_can_sort_and_search(editor_client, stale_and_fresh):
    stale, fresh, _service = stale_and_fresh
    helpful_vote_record(page=stale, visitor_id="a", is_helpful=False)
    helpful_vote_record(page=fresh, visitor_id="a", is_helpful=True)
    url = reverse("knowledge_reports:helpful_votes")
    html = editor_client.get(url, {"ordering": "-votes_yes"}).content.decode()
    assert html.index(fresh.title) < html.index(stale.title)
    html = editor_client.get(url, {"q": "déneigeuse"}).content.decode()
    assert fresh.title in html and stale.title not in html


def test_vote_counts_on_the_page_edit_view(editor_client, stale_and_fresh):
    stale, _fresh, _service = stale_and_fresh
    helpful_vote_record(page=stale, visitor_id="a", is_helpful=False)
    helpful_vote_record(page=stale, visitor_id="b", is_helpful=True)
    helpful_vote_record(page=stale, visitor_id="c", is_helpful=True)
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[stale.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 oui, 1 non" in html or "2 yes, 1 no" in html
    assert reverse("knowledge_reports:helpful_votes") in html


def test_reports_are_in_the_reports_menu(editor_client, portal):
    html = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("knowledge_reports:answers_to_review") in html
    assert reverse("knowledge_reports:helpful_votes") in html


def test_reports_need_page_permissions(client, stale_and_fresh):
    user = UserFactory(username="citoyen")
    client.force_login(user)
    for name in ("knowledge_reports:answers_to_review", "knowledge_reports:helpful_votes"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403)


def test_department_filter_finds_pages_of_both_languages(editor_client, stale_and_fresh, answer_pair):
    stale, _fresh, _service = stale_and_fresh
    french, english = answer_pair
    for page in (french, english):
        reviewed(page, days_ago=500)
    url = reverse("knowledge_reports:answers_to_review")
    html = editor_client.get(url, {"department": english.department.pk}).content.decode()
    assert french.title in html and english.title in html
    assert stale.title in html  # Same department as the French answer.
    other = editor_client.get(url, {"kind": "service"}).content.decode()
    assert french.title not in other
