"""Department scope on every staff URL of a request.

A tester found that a staff member of another department could delete a Public Works request
and open its history and usage pages. The URLs are enumerated from the URL resolver, so a view
added to the request queue later is walked by these tests without touching this file.
"""

from types import SimpleNamespace

import pytest

from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.http import Http404
from django.urls import URLResolver, get_resolver, reverse

from wagtail.permissions import policy_registry

from forms.models import Attachment, CitizenRequest, RequestType
from forms.permissions import citizen_request_policy
from forms.services import request_add_note, request_submit
from forms.storage import private_storage
from forms.uploads import check_upload
from forms.wagtail_hooks import CitizenRequestViewSet, departments_in_queue
from tests.factories import StaffFactory

from .conftest import VALID_DATA, png_upload

pytestmark = pytest.mark.django_db

QUEUE = "requests_queue"
ATTACHMENT_URL = "requests_attachment"


def admin_patterns(resolver=None, namespace="", prefix=""):
    """(full name, route, pattern) of every URL under /admin/, walking nested includes."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from admin_patterns(entry, inner, route)
        elif route.startswith("admin/") and entry.name:
            yield f"{namespace}{entry.name}", route, entry


def names_a_record(pattern) -> bool:
    return "pk" in getattr(pattern.pattern, "converters", {})


def written_in_forms_app(pattern) -> bool:
    view = getattr(pattern.callback, "view_class", pattern.callback)
    return view.__module__.startswith("forms.")


REQUEST_URLS = sorted(
    name
    for name, _route, pattern in admin_patterns()
    if name.startswith(f"{QUEUE}:") and names_a_record(pattern)
)
QUEUE_LISTS = [f"{QUEUE}:index", f"{QUEUE}:index_results"]


def with_every_permission(user):
    """add/change/delete/view, personal data and admin access: only the department stands in the way."""
    codenames = [
        "access_admin",
        "add_citizenrequest",
        "change_citizenrequest",
        "delete_citizenrequest",
        "view_citizenrequest",
        "view_personal_data",
    ]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def works_request(pothole):
    """A Public Works request with a photo, never handled."""
    citizen_request, _ = request_submit(
        request_type=pothole, data=VALID_DATA, files=[check_upload(png_upload("trou.png"))]
    )
    return citizen_request


@pytest.fixture
def environment_request(db):
    missed_pickup = RequestType.objects.get(slug="collecte-manquee")
    return request_submit(request_type=missed_pickup, data=VALID_DATA)[0]


@pytest.fixture
def outsider(environment_request, django_user_model):
    """Environment staff holding every permission on requests."""
    user = StaffFactory(username="environnement", department=environment_request.department, handler=True)
    return with_every_permission(user)


@pytest.fixture
def insider(works_request, django_user_model):
    """Public Works staff holding every permission on requests."""
    user = StaffFactory(username="travaux", department=works_request.department, handler=True)
    return with_every_permission(user)


def url_of(name, citizen_request) -> str:
    return reverse(name, kwargs={"pk": citizen_request.pk})


def attachment_url(citizen_request) -> str:
    return reverse(ATTACHMENT_URL, args=[citizen_request.attachments.get().pk])


def refused(response) -> bool:
    """403 or 404 at once: no redirect that a script could follow to learn something."""
    return response.status_code in (403, 404)


def assert_untouched(citizen_request):
    """Still there, with its file on disk and no new line in its timeline."""
    fresh = CitizenRequest.objects.get(pk=citizen_request.pk)
    assert fresh.status == citizen_request.status and fresh.department_id == citizen_request.department_id
    assert fresh.assignee_id is None
    assert list(fresh.events.values_list("kind", flat=True)) == ["created"]
    attachment = Attachment.objects.get(request=fresh)
    assert private_storage.exists(attachment.file.name)


def hostile_post(department) -> dict:
    """What an attacker would post: a status change, a public note, a re-routing to their department."""
    return {"status": "closed", "note": "Fermé.", "note_is_public": "on", "department": department.pk}


def test_the_walk_finds_the_request_views():
    assert {f"{QUEUE}:{name}" for name in ["edit", "delete", "history", "history_results", "usage"]} <= set(
        REQUEST_URLS
    )


def test_every_admin_url_of_the_forms_app_is_walked():
    """A new admin URL naming a request or a file, registered outside the viewset, must be added here."""
    outside_the_queue = {
        name
        for name, _route, pattern in admin_patterns()
        if written_in_forms_app(pattern)
        and names_a_record(pattern)
        # The ombudsman's reviews: every URL walked by test_ombudsman.py (record_urls).
        and not name.startswith((f"{QUEUE}:", "ombudsman:"))
    }
    assert outside_the_queue == {ATTACHMENT_URL, *ANSWER_URLS, *MERGE_URLS}


# Questions that become answers: views of their own on one request, walked like the queue's.
ANSWER_URLS = ["requests_answer_create", "requests_answer_link"]
# Merging a duplicate into another request (forms/merge_admin.py): POST only, walked the same way.
MERGE_URLS = ["requests_merge"]


@pytest.mark.parametrize("name", [*ANSWER_URLS, *MERGE_URLS])
def test_other_department_is_refused_the_answer_views(
    name, client, works_request, environment_request, outsider
):
    client.force_login(outsider)
    url = reverse(name, kwargs={"pk": works_request.pk})
    assert client.get(url).status_code in (403, 404, 405)  # the link is POST only
    assert refused(client.post(url, {"topic": "1", "reference": works_request.reference}))
    assert_untouched(works_request)


def test_the_viewset_builds_the_same_urls():
    built = {
        pattern.name for pattern in CitizenRequestViewSet(QUEUE).get_urlpatterns() if names_a_record(pattern)
    }
    assert {f"{QUEUE}:{name}" for name in built} == set(REQUEST_URLS)


@pytest.mark.parametrize("name", REQUEST_URLS)
def test_other_department_is_refused_every_request_url(
    name, client, works_request, environment_request, outsider
):
    client.force_login(outsider)
    url = url_of(name, works_request)
    assert refused(client.get(url))
    assert refused(client.post(url, hostile_post(environment_request.department)))
    assert_untouched(works_request)


def test_other_department_cannot_download_the_attachment(client, works_request, outsider):
    client.force_login(outsider)
    url = attachment_url(works_request)
    assert refused(client.get(url))
    assert refused(client.post(url))
    assert_untouched(works_request)


@pytest.mark.parametrize("name", REQUEST_URLS)
def test_own_department_opens_every_request_url(name, client, works_request, insider):
    client.force_login(insider)
    response = client.get(url_of(name, works_request))
    assert response.status_code == 200
    assert_untouched(works_request)


def test_own_department_downloads_the_attachment(client, works_request, insider):
    client.force_login(insider)
    response = client.get(attachment_url(works_request))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("name", QUEUE_LISTS)
@pytest.mark.parametrize(
    "query",
    [
        lambda request: {},
        lambda request: {"q": request.reference[:3]},
        lambda request: {"q": VALID_DATA["subject"][:12]},
        lambda request: {"status": "submitted"},
        lambda request: {"channel": "web"},
        lambda request: {"overdue": "false"},
        lambda request: {"ordering": "-expected_on"},
    ],
    ids=["all", "reference-prefix", "subject", "status", "channel", "not-overdue", "ordering"],
)
def test_queue_search_and_filters_stay_in_the_department(
    name, query, client, works_request, environment_request, outsider
):
    """What both requests match: the outsider finds theirs, never the other department's."""
    client.force_login(outsider)
    page = client.get(reverse(name), query(works_request))
    assert page.status_code == 200
    assert url_of(f"{QUEUE}:edit", environment_request) in page.text
    assert url_of(f"{QUEUE}:edit", works_request) not in page.text
    assert works_request.reference not in page.text


@pytest.mark.parametrize(
    "query",
    [
        lambda request: {"q": request.reference},
        lambda request: {"department": request.department_id},
        lambda request: {"request_type": request.request_type_id},
        lambda request: {"export": "csv"},
        lambda request: {"export": "xlsx"},
    ],
    ids=["reference", "department", "type", "csv", "xlsx"],
)
def test_queue_never_finds_another_departments_request(query, client, works_request, outsider):
    params = query(works_request)
    # A searched reference is echoed in the search box: then only a link to the request would leak it.
    leaks = [url_of(f"{QUEUE}:edit", works_request)] + ([] if "q" in params else [works_request.reference])
    client.force_login(outsider)
    for name in QUEUE_LISTS:
        response = client.get(reverse(name), params)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert not [leak for leak in leaks if leak.encode() in body]


def test_department_filter_offers_only_the_users_departments(works_request, environment_request, outsider):
    offered = departments_in_queue(SimpleNamespace(user=outsider))
    assert list(offered) == [environment_request.department]


def test_policy_is_the_viewsets_and_wagtails(
    works_request, environment_request, outsider, insider, admin_user
):
    assert policy_registry.get_by_type(CitizenRequest) is citizen_request_policy
    assert CitizenRequestViewSet(QUEUE).permission_policy is citizen_request_policy
    for action in ["view", "change", "delete"]:
        assert list(citizen_request_policy.instances_user_has_permission_for(outsider, action)) == [
            environment_request
        ]
        assert not citizen_request_policy.user_has_permission_for_instance(outsider, action, works_request)
        assert citizen_request_policy.user_has_permission_for_instance(insider, action, works_request)
    may_change = citizen_request_policy.users_with_permission_for_instance("change", works_request)
    assert insider in may_change and admin_user in may_change and outsider not in may_change


def test_own_department_deletes_an_unhandled_request_and_its_files(
    client, works_request, insider, django_capture_on_commit_callbacks
):
    stored = works_request.attachments.get().file.name
    client.force_login(insider)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url_of(f"{QUEUE}:delete", works_request))
    assert response.status_code == 302 and response["Location"] == reverse(f"{QUEUE}:index")
    assert not CitizenRequest.objects.filter(pk=works_request.pk).exists()
    assert not private_storage.exists(stored)


@pytest.mark.parametrize("who", ["insider", "admin_user"])
def test_a_handled_request_is_a_record_nobody_deletes(who, request, client, works_request, insider):
    request_add_note(citizen_request=works_request, note="Équipe en route.", actor=insider, public=True)
    client.force_login(request.getfixturevalue(who))
    url = url_of(f"{QUEUE}:delete", works_request)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"] == url_of(f"{QUEUE}:edit", works_request)
        told = [str(message) for message in get_messages(response.wsgi_request)]
        assert any(works_request.reference in message for message in told)
    assert CitizenRequest.objects.filter(pk=works_request.pk).exists()


def test_deleting_needs_the_delete_permission(client, works_request, django_user_model):
    clerk = StaffFactory(username="commis", department=works_request.department, handler=True)
    client.force_login(clerk)
    response = client.post(url_of(f"{QUEUE}:delete", works_request))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert_untouched(works_request)


def test_an_assignee_from_another_department_handles_but_does_not_delete(client, works_request, outsider):
    works_request.assignee = outsider
    works_request.save(update_fields=["assignee"])
    client.force_login(outsider)
    assert client.get(url_of(f"{QUEUE}:edit", works_request)).status_code == 200
    refused_delete = client.post(url_of(f"{QUEUE}:delete", works_request))
    assert refused_delete.status_code == 302
    assert CitizenRequest.objects.filter(pk=works_request.pk).exists()


def test_the_inspect_view_is_scoped_should_it_be_turned_on(rf, works_request, outsider, insider):
    inspect = CitizenRequestViewSet(QUEUE, inspect_view_enabled=True).inspect_view
    outsiders_visit = rf.get("/")
    outsiders_visit.user = outsider
    with pytest.raises(Http404):
        inspect(outsiders_visit, pk=works_request.pk)
    insiders_visit = rf.get("/")
    insiders_visit.user = insider
    assert inspect(insiders_visit, pk=works_request.pk).status_code == 200


def test_the_handle_page_offers_deletion_only_while_allowed(client, works_request, insider):
    client.force_login(insider)
    delete_url = url_of(f"{QUEUE}:delete", works_request)
    assert delete_url in client.get(url_of(f"{QUEUE}:edit", works_request)).text
    request_add_note(citizen_request=works_request, note="Vu.", actor=insider, public=False)
    assert delete_url not in client.get(url_of(f"{QUEUE}:edit", works_request)).text
