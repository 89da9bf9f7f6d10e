"""Questions that become answers: a resolved question turns into a draft answer page (FAQ), other
requests asking the same thing are linked to it, and when it is published every asker is e-mailed
its link, once.

Personal data never reaches the page: the citizen's name, e-mail, phone and address, and any
e-mail, phone or postal code in the text, are removed (`portal.scrub`) before the draft is saved.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from wagtail.models import Page

from knowledge.importer import unique_slug
from knowledge.models import AnswerPage, Department, TopicPage
from portal.scrub import scrub

from .models import CitizenRequest, RequestEvent, Status
from .outbox import email_render, email_store
from .permissions import citizen_request_policy
from .references import parse_reference
from .services import _actor_label, site_url

QUESTION_SLUG = "question"
SUMMARY_MAX_LENGTH = AnswerPage._meta.get_field("summary").max_length
TITLE_MAX_LENGTH = AnswerPage._meta.get_field("title").max_length
# The timeline lines whose public note is the city's reply to the citizen.
REPLY_KINDS = [RequestEvent.Kind.PUBLIC_NOTE, RequestEvent.Kind.STATUS]


def is_answerable(citizen_request: CitizenRequest) -> bool:
    """A question (request type « question ») that staff resolved."""
    return citizen_request.request_type.slug == QUESTION_SLUG and citizen_request.status == Status.RESOLVED


def topics_for(citizen_request: CitizenRequest, user):
    """The topics in the request's language under which `user` may add an answer."""
    topics = TopicPage.objects.filter(locale__language_code=citizen_request.language).order_by("title")
    return [topic for topic in topics if topic.permissions_for_user(user).can_add_subpage()]


def staff_reply(citizen_request: CitizenRequest) -> str:
    """The text of the last public note staff wrote to the citizen ("" when none)."""
    event = (
        citizen_request.events.filter(is_public=True, kind__in=REPLY_KINDS)
        .exclude(note="")
        .order_by("created_at", "pk")
        .last()
    )
    return event.note if event else ""


def _scrubbed(citizen_request: CitizenRequest, text: str) -> str:
    return scrub(
        text,
        name=citizen_request.name,
        email=citizen_request.email,
        phone=citizen_request.phone,
        address=citizen_request.address,
    )


def _paragraphs(text: str) -> str:
    """Plain text as rich text paragraphs (escaped: a citizen's text is never HTML)."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return "".join("<p>{}</p>".format(escape(block).replace("\n", "<br/>")) for block in blocks)


def _department_in(department: Department, locale) -> Department | None:
    return Department.objects.filter(translation_key=department.translation_key, locale=locale).first()


@transaction.atomic
def answer_draft_from_request(*, citizen_request: CitizenRequest, topic: TopicPage, actor) -> AnswerPage:
    """A draft answer page (not live) under `topic`: the question and the city's reply, without
    personal data. The request is linked to it, so its asker is told when it is published."""
    citizen_request = CitizenRequest.objects.select_for_update().get(pk=citizen_request.pk)
    if not is_answerable(citizen_request):
        raise ValidationError(_("Only a resolved question can become an answer."))
    if citizen_request.answered_by_page_id:
        raise ValidationError(_("This request is already linked to an answer."))
    topic = topic.specific
    if not isinstance(topic, TopicPage) or topic.locale.language_code != citizen_request.language:
        raise ValidationError(_("Choose a topic in the language of the request."))
    if not topic.permissions_for_user(actor).can_add_subpage():
        raise ValidationError(_("You may not add an answer under this topic."))

    question = _scrubbed(citizen_request, citizen_request.description)
    reply = _scrubbed(citizen_request, staff_reply(citizen_request))
    title = Truncator(_scrubbed(citizen_request, citizen_request.subject)).chars(TITLE_MAX_LENGTH)
    summary = " ".join((reply or question).split())
    page = AnswerPage(
        title=title,
        slug=unique_slug(topic, title),
        summary=Truncator(summary).chars(SUMMARY_MAX_LENGTH),
        body=[("text", _paragraphs(text)) for text in (question, reply) if text.strip()],
        department=_department_in(citizen_request.department, topic.locale),
        locale=topic.locale,
        live=False,
        owner=actor,
    )
    topic.add_child(instance=page)
    page.save_revision(user=actor, log_action=True)

    citizen_request.answered_by_page = page
    citizen_request.save(update_fields=["answered_by_page"])
    RequestEvent.objects.create(
        request=citizen_request,
        kind=RequestEvent.Kind.INTERNAL_NOTE,
        note=_("Draft answer created: %(title)s") % {"title": page.title},
        actor=actor,
        actor_label=_actor_label(actor),
    )
    return page


@transaction.atomic
def request_link_same_question(*, citizen_request: CitizenRequest, reference: str, actor) -> CitizenRequest:
    """Links the request numbered `reference` (one the actor may change) to the answer of
    `citizen_request`: its asker is e-mailed too when the answer is published."""
    citizen_request.refresh_from_db(fields=["answered_by_page"])
    if not citizen_request.answered_by_page_id:
        raise ValidationError(_("Turn this request into an answer first."))
    parsed = parse_reference(reference)
    if parsed.reference is None:
        raise ValidationError(
            _("“%(reference)s” is not a valid reference number.") % {"reference": reference}
        )
    in_scope = citizen_request_policy.instances_user_has_any_permission_for(actor, ["change"])
    other = in_scope.select_for_update(of=("self",)).filter(reference=parsed.reference).first()
    if other is None:
        # Another department's request is "not found" too: nothing is revealed about it.
        raise ValidationError(_("No request %(reference)s among yours.") % {"reference": parsed.reference})
    if other.pk == citizen_request.pk:
        raise ValidationError(_("A request cannot be linked to itself."))
    if other.answered_by_page_id == citizen_request.answered_by_page_id:
        raise ValidationError(
            _("Request %(reference)s is already linked to this answer.") % {"reference": other.reference}
        )
    if other.answered_by_page_id and other.answer_notified_at:
        raise ValidationError(
            _("Request %(reference)s was already answered by another page.") % {"reference": other.reference}
        )
    other.answered_by_page_id = citizen_request.answered_by_page_id
    other.answer_notified_at = None
    other.save(update_fields=["answered_by_page", "answer_notified_at"])
    page_title = Page.objects.filter(pk=other.answered_by_page_id).values_list("title", flat=True).first()
    RequestEvent.objects.create(
        request=other,
        kind=RequestEvent.Kind.INTERNAL_NOTE,
        note=_("Same question as %(reference)s, answered by: %(title)s")
        % {"reference": citizen_request.reference, "title": page_title},
        actor=actor,
        actor_label=_actor_label(actor),
    )
    return other


def _page_url(page: Page) -> str:
    return page.get_full_url() or site_url() + (page.get_url() or "")


def answer_page_for(page: Page, language: str) -> Page:
    """The live translation of `page` in `language`, else `page` itself."""
    if page.locale.language_code == language:
        return page
    translated = (
        Page.objects.live()
        .filter(translation_key=page.translation_key, locale__language_code=language)
        .first()
    )
    return translated or page


@transaction.atomic
def answer_published_notify(page: Page) -> int:
    """E-mails the answer's link to every asker linked to `page` not told yet; returns how many.

    Once per request: the rows are locked and stamped in the same transaction as the outbox."""
    pending = CitizenRequest.objects.select_for_update().filter(
        answered_by_page_id=page.pk, answer_notified_at__isnull=True
    )
    told = 0
    now = timezone.now()
    for citizen_request in pending:
        citizen_request.answer_notified_at = now
        citizen_request.save(update_fields=["answer_notified_at"])
        if not citizen_request.email:
            continue  # no e-mail given, or personal data already destroyed
        answer = answer_page_for(page, citizen_request.language)
        with translation.override(citizen_request.language):
            context = {
                "request": citizen_request,
                "answer_title": answer.title,
                "answer_link": _page_url(answer),
            }
            subject, body = email_render("answer_published", context)
        email_store(
            citizen_request=citizen_request,
            kind="answer_published",
            to=citizen_request.email,
            subject=subject,
            body=body,
        )
        told += 1
    return told


def answer_counts(page: Page) -> dict[str, int]:
    """How many requests this answer answered, and how many times a citizen said it answered theirs."""
    from .models import SuggestionEvent

    return {
        "requests": CitizenRequest.objects.filter(answered_by_page_id=page.pk).count(),
        "answered": SuggestionEvent.objects.filter(
            page_id=page.pk, kind=SuggestionEvent.Kind.ANSWERED
        ).count(),
    }
