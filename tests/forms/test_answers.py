"""Questions that become answers: a draft without personal data, "same question" links, and the
askers e-mailed once, in their language, when the answer is published."""

import pytest

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from wagtail.models import GroupPagePermission, Page

from forms.answers import answer_counts, answer_draft_from_request, answer_published_notify
from forms.models import CitizenRequest, OutgoingEmail, RequestType, Status, SuggestionEvent
from forms.services import request_add_note, request_change_status, request_submit
from knowledge.models import AnswerPage
from tests.factories import StaffFactory, TopicPageFactory

pytestmark = pytest.mark.django_db

ASKER = {
    "name": "Marie Tremblay",
    "email": "marie.tremblay@example.org",
    "phone": "418 555-0199",
    "address": "12, rue Principale",
    "consent": True,
}
QUESTION = {
    **ASKER,
    "subject": "Collecte des encombrants pour Marie Tremblay",
    "description": (
        "Bonjour, je m'appelle Marie Tremblay et j'habite au 12 rue Principale, G6V 1A1. "
        "Quand passe la collecte des gros objets? Écrivez-moi à marie.t@courriel.ca "
        "ou au (418) 555-0123, sinon 1-418-555-0144."
    ),
}
REPLY = (
    "Bonjour Mme Tremblay, les encombrants sont ramassés le premier lundi du mois. "
    "Pour une date spéciale, appelez le 418 555-0100."
)
LEAKS = ["Marie", "Tremblay", "marie.t", "courriel.ca", "example.org", "555", "G6V", "Principale"]


def page_permissions(user):
    """Lets a staff member add and edit pages (answers) anywhere in the tree."""
    group = Group.objects.create(name=f"Rédaction {user.username}")
    root = Page.get_first_root_node()
    for codename in ["add_page", "change_page", "publish_page"]:
        GroupPagePermission.objects.create(
            group=group,
            page=root,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    user.groups.add(group)
    return user


@pytest.fixture
def topics(portal, locales):
    """A topic in each language (translations of each other)."""
    french = TopicPageFactory(title="Collectes")
    return {"fr": french, "en": TopicPageFactory(title="Collections", language="en", translation_of=french)}


@pytest.fixture
def handler(question, django_user_model):
    return page_permissions(StaffFactory(username="csc", department=question.department, handler=True))


def resolved_question(question, handler, *, language="fr", **data):
    citizen_request, _ = request_submit(request_type=question, data={**QUESTION, **data}, language=language)
    request_add_note(citizen_request=citizen_request, note=REPLY, actor=handler, public=True)
    request_change_status(citizen_request=citizen_request, status=Status.RESOLVED, actor=handler, note="")
    citizen_request.refresh_from_db()
    return citizen_request


@pytest.fixture
def asked(question, handler):
    return resolved_question(question, handler)


def page_text(page: AnswerPage) -> str:
    return " ".join([page.title, page.slug, page.summary, str(page.body.render_as_block())])


def create_url(citizen_request) -> str:
    return reverse("requests_answer_create", args=[citizen_request.pk])


def link_url(citizen_request) -> str:
    return reverse("requests_answer_link", args=[citizen_request.pk])


# The draft -----------------------------------------------------------------------------------


def test_turn_into_an_answer_makes_a_draft_without_personal_data(client, asked, handler, topics):
    client.force_login(handler)
    handle = client.get(reverse("requests_queue:edit", args=[asked.pk]))
    assert create_url(asked).encode() in handle.content

    form = client.get(create_url(asked))
    assert form.status_code == 200
    assert list(form.context["form"].fields["topic"].queryset) == [topics["fr"]]  # the request's language

    response = client.post(create_url(asked), {"topic": topics["fr"].pk})
    page = AnswerPage.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_pages:edit", args=[page.pk]
    )
    assert not page.live and page.has_unpublished_changes and page.latest_revision is not None
    assert page.get_parent().pk == topics["fr"].pk and page.locale.language_code == "fr"
    assert page.department == asked.department

    text = page_text(page)
    for leak in LEAKS + [ASKER["email"], ASKER["phone"]]:
        assert leak.lower() not in text.lower(), leak
    assert "Quand passe la collecte des gros objets?" in text
    assert "les encombrants sont ramassés le premier lundi du mois" in page.summary
    assert page.title.startswith("Collecte des encombrants")

    asked.refresh_from_db()
    assert asked.answered_by_page_id == page.pk and asked.answer_notified_at is None
    handle = client.get(reverse("requests_queue:edit", args=[asked.pk]))
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]).encode() in handle.content
    assert b"data-same-question" in handle.content


def test_topic_must_be_in_the_requests_language(client, asked, handler, topics):
    client.force_login(handler)
    response = client.post(create_url(asked), {"topic": topics["en"].pk})
    assert response.status_code == 400 and not AnswerPage.objects.exists()
    with pytest.raises(ValidationError):
        answer_draft_from_request(citizen_request=asked, topic=topics["en"], actor=handler)


def test_only_resolved_questions_become_answers(client, question, handler, topics):
    client.force_login(handler)
    open_question, _ = request_submit(request_type=question, data=QUESTION)
    pothole = RequestType.objects.get(slug="nid-de-poule")
    resolved_pothole, _ = request_submit(request_type=pothole, data=QUESTION)
    request_change_status(citizen_request=resolved_pothole, status=Status.RESOLVED, actor=handler)
    # The open question is refused with a message; the pothole is another department's (404).
    assert client.post(create_url(open_question), {"topic": topics["fr"].pk}).status_code == 302
    assert client.post(create_url(resolved_pothole), {"topic": topics["fr"].pk}).status_code == 404
    for refused in [open_question, resolved_pothole]:
        with pytest.raises(ValidationError):
            answer_draft_from_request(citizen_request=refused, topic=topics["fr"], actor=handler)
    assert not AnswerPage.objects.exists()


def test_a_question_is_turned_into_one_answer_only(asked, handler, topics):
    answer_draft_from_request(citizen_request=asked, topic=topics["fr"], actor=handler)
    with pytest.raises(ValidationError):
        answer_draft_from_request(citizen_request=asked, topic=topics["fr"], actor=handler)
    assert AnswerPage.objects.count() == 1


def test_another_departments_staff_is_refused(client, asked, topics, django_user_model):
    environment = RequestType.objects.get(slug="collecte-manquee").department
    outsider = page_permissions(StaffFactory(username="environnement", department=environment, handler=True))
    client.force_login(outsider)
    assert client.get(create_url(asked)).status_code == 404
    assert client.post(create_url(asked), {"topic": topics["fr"].pk}).status_code == 404
    assert client.post(link_url(asked), {"reference": asked.reference}).status_code == 404
    assert not AnswerPage.objects.exists()


# Same question -------------------------------------------------------------------------------


def test_linking_the_same_question(client, question, asked, handler, topics, django_user_model):
    client.force_login(handler)
    client.post(create_url(asked), {"topic": topics["fr"].pk})
    page = AnswerPage.objects.get()
    same = resolved_question(question, handler, language="en", email="john@example.com", name="John Smith")
    typed = same.reference.lower().replace("-", " ")
    response = client.post(link_url(asked), {"reference": typed})
    assert response.status_code == 302 and response["Location"] == reverse(
        "requests_queue:edit", args=[asked.pk]
    )
    same.refresh_from_db()
    assert same.answered_by_page_id == page.pk
    assert "Same question" in same.events.last().note or "Même question" in same.events.last().note

    pothole = RequestType.objects.get(slug="nid-de-poule")
    elsewhere, _ = request_submit(request_type=pothole, data=QUESTION)
    for bad in ["pas une référence", elsewhere.reference, asked.reference, same.reference]:
        response = client.post(link_url(asked), {"reference": bad}, follow=True)
        assert response.status_code == 200
        assert list(response.context["messages"])[-1].level_tag == "error", bad
    elsewhere.refresh_from_db()
    assert elsewhere.answered_by_page_id is None


def test_linking_needs_an_answer_first(question, asked, handler):
    same = resolved_question(question, handler)
    with pytest.raises(ValidationError):
        request_link_same_question_(asked, same, handler)


def request_link_same_question_(citizen_request, other, actor):
    from forms.answers import request_link_same_question

    return request_link_same_question(citizen_request=citizen_request, reference=other.reference, actor=actor)


# Publication ---------------------------------------------------------------------------------


def test_askers_emailed_once_on_publish_in_their_language(
    question, asked, handler, topics, locales, django_capture_on_commit_callbacks
):
    page = answer_draft_from_request(citizen_request=asked, topic=topics["fr"], actor=handler)
    same = resolved_question(question, handler, language="en", email="john@example.com", name="John Smith")
    request_link_same_question_(asked, same, handler)
    english = page.copy_for_translation(locales["en"])
    english.title = "When are bulky items collected?"
    english.save_revision().publish()
    assert not OutgoingEmail.objects.filter(kind="answer_published").exists()  # the French one is a draft

    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        page.refresh_from_db()
        page.save_revision().publish()  # published again: nobody is e-mailed twice
    assert answer_published_notify(page) == 0

    french_email = OutgoingEmail.objects.get(kind="answer_published", to=ASKER["email"])
    english_email = OutgoingEmail.objects.get(kind="answer_published", to="john@example.com")
    assert OutgoingEmail.objects.filter(kind="answer_published").count() == 2
    assert french_email.state == OutgoingEmail.State.SENT
    page.refresh_from_db()
    assert "réponse" in french_email.subject.lower() and asked.reference in french_email.subject
    assert page.get_full_url() in french_email.body and page.title in french_email.body
    assert "answer" in english_email.subject.lower() and same.reference in english_email.subject
    assert (
        english.get_full_url() in english_email.body
        and "When are bulky items collected?" in english_email.body
    )
    for citizen_request in [asked, same]:
        citizen_request.refresh_from_db()
        assert citizen_request.answer_notified_at is not None


def test_publishing_an_unrelated_page_emails_nobody(asked, topics, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        topics["fr"].save_revision().publish()
    assert not OutgoingEmail.objects.filter(kind="answer_published").exists()


# Counts in the page editor -------------------------------------------------------------------


def test_the_answer_editor_shows_its_counts(client, question, asked, handler, topics):
    page = answer_draft_from_request(citizen_request=asked, topic=topics["fr"], actor=handler)
    request_link_same_question_(asked, resolved_question(question, handler), handler)
    for kind in ["answered", "answered", "answered", "clicked"]:
        SuggestionEvent.objects.create(kind=kind, query="encombrants", page=page, language="fr")
    assert answer_counts(page) == {"requests": 2, "answered": 3}

    client.force_login(handler)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert "Demandes répondues : 2 · ont dit y avoir trouvé leur réponse : 3" in response.content.decode()
    assert CitizenRequest.objects.filter(answered_by_page=page).count() == 2
