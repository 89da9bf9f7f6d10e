"""Surges on a constructed log: told once when searches jump, never on an ordinary day."""

import datetime

import pytest

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from wagtail.models import GroupPagePermission

from search.models import ClickLog
from search.surges import surges_find, surges_notify
from tests.factories import QueryLogFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def editor(django_user_model, answer_pair):
    """An editor of the answer's topic: told of its surges."""
    french, _english = answer_pair
    group = Group.objects.create(name="Rédaction collectes")
    GroupPagePermission.objects.create(group=group, page=french.get_parent(), permission_type="change")
    user = UserFactory(username="redaction")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    return user


def searches(*, at, count, page=None, query="eau potable", results=3):
    for number in range(count):
        log = QueryLogFactory(query=query, results_count=results, session_digest=f"s{number:05d}", at=at)
        if page is not None:
            click = ClickLog.objects.create(query_log=log, page_id=page.pk, position=1)
            ClickLog.objects.filter(pk=click.pk).update(created_at=at)


def usual_weeks(now, count, **kwargs):
    for weeks in range(1, 5):
        searches(at=now - datetime.timedelta(weeks=weeks, minutes=30), count=count, **kwargs)


def test_a_jump_to_one_answer_tells_its_editors_once(answer_pair, editor, settings):
    french, _english = answer_pair
    now = timezone.now()
    usual_weeks(now, 4, page=french)
    searches(at=now - datetime.timedelta(minutes=20), count=40, page=french, query="avis ebullition")
    [surge] = surges_find(now=now)
    assert (surge.kind, surge.count, surge.usual, surge.page.pk) == ("answer", 40, 4, french.pk)
    assert surge.queries == ["avis ebullition"]
    assert surges_notify(now=now) == 1
    [message] = mail.outbox
    assert message.to == ["redaction@example.org"] and french.title in message.subject
    assert "avis ebullition" in message.body and "/admin/snippets/knowledge/alert/add/" in message.body
    assert surges_notify(now=now) == 0 and len(mail.outbox) == 1  # once per surge and hour
    admin = Client()
    admin.force_login(editor)
    home = admin.get("/admin/")
    assert home.status_code == 200 and "avis ebullition" in home.content.decode()


def test_no_surge_on_an_ordinary_day_nor_below_the_minimum(answer_pair, editor, settings):
    french, _english = answer_pair
    now = timezone.now()
    usual_weeks(now, 30, page=french)
    searches(at=now - datetime.timedelta(minutes=20), count=60, page=french)  # twice the usual: no surge
    assert surges_find(now=now) == []
    settings.SEARCH_SURGE_MIN_COUNT = 100
    searches(at=now - datetime.timedelta(minutes=10), count=200, page=french)
    assert surges_find(now=now)  # 260 ≥ 100 and ≥ 5 × 30
    settings.SEARCH_SURGE_MIN_COUNT = 1000
    assert surges_find(now=now) == []


def test_searches_that_find_nothing_surge_too(answer_pair, admin_user):
    now = timezone.now()
    searches(at=now - datetime.timedelta(minutes=5), count=25, query="coupure eau secteur nord", results=0)
    call_command("search_surges", stdout=open("/dev/null", "w"))
    [message] = mail.outbox
    assert "coupure eau secteur nord" in message.subject and admin_user.email in message.to
