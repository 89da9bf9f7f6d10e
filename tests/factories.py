"""Factories for what the tests build: departments, topics, answers, services, staff, requests.

factory_boy builds the models. Pages are added under their parent with treebeard's `add_child`
(what wagtail-factories' page factory does; its releases do not declare Wagtail 8 yet) and
published through a revision, so the page_published signal updates the search index as it does
for an editor. A page factory needs the portal's tree (the `portal` fixture).

    fr = AnswerPageFactory(title="Quand passe la collecte?", topic="Collectes")
    en = AnswerPageFactory(language="en", translation_of=fr, topic="Waste collection", title="…")

`entry_line` / `import_lines` go through the content importer: for the importer's own tests and
the demo content, nothing else.
"""

import datetime
import json
import uuid
from itertools import count

import factory
from factory.django import DjangoModelFactory

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Locale, Page, Site

from forms.defaults import install_default_request_types
from forms.models import CitizenRequest, DepartmentTeam, RequestType
from forms.ombudsman import ombudsman_group
from forms.services import request_change_status, request_submit
from knowledge.importer import import_entries
from knowledge.markdown import markdown_to_rich_text
from knowledge.models import AnswerPage, Department, ServicePage, TopicPage
from search.models import QueryLog

PASSWORD = "pw-secret-123"
DEFAULT_DEPARTMENT = "Direction de l'environnement"


def locale_for(language: str) -> Locale:
    return Locale.objects.get_or_create(language_code=language)[0]


def home_page(language: str = "fr") -> Page:
    """The portal's home page in this language (the root of that language's tree)."""
    root = Site.objects.get(is_default_site=True).root_page
    return root.get_translation(locale_for(language))


class TranslatableFactory(DjangoModelFactory):
    """A translatable model in `language`; `translation_of` makes it the translation of another
    (the same translation_key)."""

    class Meta:
        abstract = True

    class Params:
        language = "fr"
        translation_of = None

    locale = factory.LazyAttribute(lambda o: locale_for(o.language))
    translation_key = factory.LazyAttribute(
        lambda o: o.translation_of.translation_key if o.translation_of is not None else uuid.uuid4()
    )


# --- departments ------------------------------------------------------------------------------


class DepartmentFactory(TranslatableFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Direction numéro {n}")


def department_named(name: str, language: str = "fr", *, translation_of=None) -> Department:
    """The department of this name in this language, created when missing."""
    existing = Department.objects.filter(name__iexact=name, locale__language_code=language).first()
    return existing or DepartmentFactory(name=name, language=language, translation_of=translation_of)


# --- pages ------------------------------------------------------------------------------------


def unique_slug(parent: Page, title: str) -> str:
    base = slugify(title)[:80].strip("-") or "page"
    taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


class PageFactory(TranslatableFactory):
    """A page added under `parent` (`add_child`) and, unless `publish=False`, published."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page numéro {n}")
    publish = True

    @classmethod
    def _create(cls, model_class, *args, parent, publish, **kwargs):
        page = model_class(live=False, **kwargs)
        page.slug = page.slug or unique_slug(parent, page.title)
        parent.add_child(instance=page)
        page.full_clean()
        revision = page.save_revision(log_action=True)
        if publish:
            revision.publish()
            page.refresh_from_db()
        return page


class TopicPageFactory(PageFactory):
    """A topic under the home page of its language."""

    class Meta:
        model = TopicPage

    title = "Collectes"
    parent = factory.LazyAttribute(lambda o: home_page(o.language))


def topic_named(title, language: str = "fr", translation_of: Page | None = None) -> TopicPage:
    """A TopicPage as given, else the topic of this title in this language (created when missing);
    for the translation of a page, the translation of that page's topic."""
    if isinstance(title, TopicPage):
        return title
    original_topic = translation_of.get_parent().specific if translation_of is not None else None
    if original_topic is not None:
        translated = original_topic.get_translation_or_none(locale_for(language))
        if translated is not None:
            return translated.specific
    existing = TopicPage.objects.child_of(home_page(language)).filter(title__iexact=title).first()
    if existing is not None:
        return existing.specific
    return TopicPageFactory(title=title, language=language, translation_of=original_topic)


def department_for(o) -> Department | None:
    """`department_name` in the page's language; a translation gets its original's department's
    translation (created under that name, with the same translation_key, when missing)."""
    original = o.translation_of.department if o.translation_of is not None else None
    if original is not None:
        translated = original.get_translation_or_none(locale_for(o.language))
        if translated is not None:
            return translated
        return department_named(o.department_name or original.name, o.language, translation_of=original)
    return department_named(o.department_name, o.language) if o.department_name else None


_source_ids = count(1)


class KnowledgePageFactory(PageFactory):
    """An answer or a service in a topic (a TopicPage or a title: created when missing).

    `body_text` is Markdown (paragraphs, lists) turned into the body's rich text the way an
    editor's paste would be; `keyword_list` a list of words; `related_ids` source_ids.
    """

    class Meta:
        abstract = True

    class Params:
        topic = "Collectes"
        department_name = DEFAULT_DEPARTMENT
        body_text = "Un paragraphe de réponse.\n\n- un point\n- un autre point"
        keyword_list = ()
        related_ids = ()

    title = factory.Sequence(lambda n: f"Question numéro {n}?")
    summary = "Une réponse courte."
    body = factory.LazyAttribute(lambda o: [("text", markdown_to_rich_text(o.body_text))])
    keywords = factory.LazyAttribute(lambda o: ", ".join(o.keyword_list))
    related_source_ids = factory.LazyAttribute(lambda o: ",".join(o.related_ids))
    source_id = factory.LazyAttribute(lambda o: f"f-{next(_source_ids):04d}-{o.language}")
    department = factory.LazyAttribute(department_for)
    parent = factory.LazyAttribute(lambda o: topic_named(o.topic, o.language, o.translation_of))


class AnswerPageFactory(KnowledgePageFactory):
    class Meta:
        model = AnswerPage


class ServicePageFactory(KnowledgePageFactory):
    class Meta:
        model = ServicePage

    class Params:
        how_to_text = ""

    target_days = 10
    how_to = factory.LazyAttribute(lambda o: markdown_to_rich_text(o.how_to_text))


# --- people -----------------------------------------------------------------------------------


STAFF_PERMISSIONS = ["access_admin", "view_citizenrequest", "change_citizenrequest", "add_citizenrequest"]


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"personne{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(PASSWORD)


class SuperuserFactory(UserFactory):
    username = "agent"
    is_staff = True
    is_superuser = True


class OmbudsmanFactory(UserFactory):
    """A member of the ombudsman's group (its own queue of escalations)."""

    username = "ombudsman"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        user.groups.add(ombudsman_group())
        return user


class StaffFactory(UserFactory):
    """A staff member in the team of `department` (its group, through DepartmentTeam), allowed to
    handle its requests; `handler=True` adds access to the citizens' personal data."""

    department = None
    handler = False

    @classmethod
    def _create(cls, model_class, *args, department, handler, **kwargs):
        user = super()._create(model_class, *args, **kwargs)
        if department is not None:
            group, _created = Group.objects.get_or_create(name=f"Équipe {department.name}")
            DepartmentTeam.objects.get_or_create(department=department, defaults={"group": group})
            user.groups.add(group)
        codenames = STAFF_PERMISSIONS + (["view_personal_data"] if handler else [])
        user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
        return user


# --- requests ---------------------------------------------------------------------------------


def default_request_type(slug: str = "nid-de-poule") -> RequestType:
    """One of the shipped types (installed again if a transactional test flushed them)."""
    install_default_request_types()
    return RequestType.objects.in_default_locale().get(slug=slug)


class RequestTypeFactory(DjangoModelFactory):
    class Meta:
        model = RequestType
        django_get_or_create = ("slug", "locale")

    slug = factory.Sequence(lambda n: f"type-{n}")
    locale = factory.LazyFunction(Locale.get_default)  # the row requests point to; translate it apart
    label = factory.LazyAttribute(lambda o: f"Type {o.slug}")
    department = factory.SubFactory(DepartmentFactory)
    target_business_days = 10


class CitizenRequestFactory(factory.Factory):
    """A request submitted through `request_submit` (reference, expected date, receipt, « created »
    event), then moved through `statuses` by `actor` with `note` (one status event and e-mail each).
    `days_ago` moves its submission and events back (its expected date with them), `expected_on`
    and `status` set them directly (no event, no e-mail: what time alone would have done)."""

    class Meta:
        model = CitizenRequest

    request_type = factory.LazyFunction(default_request_type)
    subject = "Nid-de-poule rue des Érables"
    description = "Un trou profond devant le 40."
    address = "40, rue des Érables"
    email = "marie@example.org"
    phone = ""
    name = "Marie Tremblay"
    consent = True
    language = "fr"
    submission_token = None
    statuses = ()
    actor = None
    note = ""
    days_ago = 0
    expected_on = None
    status = None

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        request_type,
        language,
        submission_token,
        statuses,
        actor,
        note,
        days_ago,
        expected_on,
        status,
        **data,
    ):
        citizen_request, _created = request_submit(
            request_type=request_type, data=data, language=language, submission_token=submission_token
        )
        for step in statuses:
            request_change_status(citizen_request=citizen_request, status=step, actor=actor, note=note)
        moved = {"status": status} if status else {}
        if days_ago:
            then = timezone.now() - datetime.timedelta(days=days_ago)
            moved.update(submitted_at=then, status_changed_at=then, department_since=then)
            citizen_request.events.update(created_at=then)
        if days_ago or expected_on:
            moved["expected_on"] = expected_on or citizen_request.expected_on - datetime.timedelta(
                days=days_ago
            )
        if moved:
            model_class.objects.filter(pk=citizen_request.pk).update(**moved)
        return model_class.objects.get(pk=citizen_request.pk)


# --- search logs ------------------------------------------------------------------------------


class QueryLogFactory(DjangoModelFactory):
    """A logged search, as `search.entry` writes it (no personal data: a session digest);
    `at` dates it (its created_at is set on insert)."""

    class Meta:
        model = QueryLog

    query = "collecte ordures"
    language = "fr"
    results_count = 3
    engine = "database"
    duration_ms = 1.0
    session_digest = factory.Sequence(lambda n: f"s{n:05d}")
    at = None

    @classmethod
    def _create(cls, model_class, *args, at, **kwargs):
        log = super()._create(model_class, *args, **kwargs)
        if at is not None:
            model_class.objects.filter(pk=log.pk).update(created_at=at)
            log.refresh_from_db()
        return log


# --- the content importer (its own tests and the demo) ----------------------------------------

_ids = count(1)


def entry_line(**fields) -> str:
    number = next(_ids)
    data = {
        "source_id": f"t-{number:04d}-fr",
        "kind": "faq",
        "language": "fr",
        "topic": "Collectes",
        "department": DEFAULT_DEPARTMENT,
        "title": f"Question numéro {number}?",
        "summary": "Une réponse courte.",
        "body": "Un paragraphe de réponse.\n\n- un point\n- un autre point",
    }
    data.update(fields)
    return json.dumps({key: value for key, value in data.items() if value is not None}, ensure_ascii=False)


def import_lines(*lines: str, publish: bool = True):
    return import_entries(list(lines), publish=publish)
