"""Import answers and services from JSON Lines (see shared/specs/content-import.md).

One entry → one page, matched by (source_id, language) so that re-importing
updates in place. Entries without `translation_of` go first so that
translations always find their original.
"""

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Locale, Page, Site

from .markdown import first_sentence, markdown_to_rich_text
from .models import AnswerPage, Department, KnowledgePage, ServicePage, TopicPage
from .related import MAX_RELATED

KINDS = {"faq": AnswerPage, "service": ServicePage}
SLUG_LENGTH = 80


class EntryError(Exception):
    """A line that cannot be imported; the message says why, in plain words."""


@dataclass(frozen=True)
class Entry:
    line_number: int
    source_id: str
    kind: str
    language: str
    topic: str
    title: str
    body: str
    summary: str = ""
    department: str = ""
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    translation_of: str = ""
    service: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(data: dict, name: str, *, required: bool, max_length: int | None = None) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise EntryError(f"missing required field '{name}'")
        return ""
    if not isinstance(value, str):
        raise EntryError(f"field '{name}' must be text")
    value = value.strip()
    if required and not value:
        raise EntryError(f"field '{name}' is empty")
    if max_length and len(value) > max_length:
        raise EntryError(f"field '{name}' is longer than {max_length} characters")
    return value


def _service(data: dict) -> dict[str, Any]:
    service = data.get("service") or {}
    if not isinstance(service, dict):
        raise EntryError("field 'service' must be an object")
    target_days = service.get("target_days")
    if target_days is not None and (
        isinstance(target_days, bool) or not isinstance(target_days, int) or target_days < 1
    ):
        raise EntryError("service.target_days must be a positive whole number of days")
    for name in ("fee", "how_to", "request_type"):
        if service.get(name) is not None and not isinstance(service[name], str):
            raise EntryError(f"service.{name} must be text")
    request_type = service.get("request_type") or ""
    if request_type and slugify(request_type) != request_type:
        raise EntryError("service.request_type must be a slug (lowercase letters, digits, hyphens)")
    return {
        "target_days": target_days,
        "fee": (service.get("fee") or "").strip()[:200],
        "how_to": service.get("how_to") or "",
        "request_type": request_type,
    }


def parse_entry(line_number: int, raw: str) -> Entry:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise EntryError(f"invalid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(data, dict):
        raise EntryError("a line must be a JSON object")
    kind = _text(data, "kind", required=True)
    if kind not in KINDS:
        raise EntryError(f"unknown kind '{kind}' (expected 'faq' or 'service')")
    language = _text(data, "language", required=True)
    languages = [code for code, _name in settings.LANGUAGES]
    if language not in languages:
        raise EntryError(f"unknown language '{language}' (expected one of {', '.join(languages)})")
    keywords = data.get("keywords") or []
    if not isinstance(keywords, list) or not all(isinstance(word, str) for word in keywords):
        raise EntryError("field 'keywords' must be a list of text")
    related = data.get("related") or []
    if not isinstance(related, list) or not all(isinstance(item, str) for item in related):
        raise EntryError("field 'related' must be a list of source_id")
    related = tuple(dict.fromkeys(item.strip() for item in related if item.strip()))
    if len(related) > MAX_RELATED:
        raise EntryError(f"field 'related' names at most {MAX_RELATED} answers")
    if any("," in item or len(item) > 100 for item in related):
        raise EntryError("field 'related' must hold source_ids (no comma, at most 100 characters)")
    return Entry(
        line_number=line_number,
        source_id=_text(data, "source_id", required=True, max_length=100),
        kind=kind,
        language=language,
        topic=_text(data, "topic", required=True, max_length=255),
        title=_text(data, "title", required=True, max_length=255),
        body=_text(data, "body", required=True),
        summary=_text(data, "summary", required=False, max_length=600),
        department=_text(data, "department", required=False, max_length=200),
        keywords=tuple(word.strip() for word in keywords if word.strip()),
        related=related,
        translation_of=_text(data, "translation_of", required=False, max_length=100),
        service=_service(data) if kind == "service" else {},
        fingerprint=hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest(),
    )


# Bold text naming an online tool without a link usually means a link is
# missing (« utilisez l'outil **Mon calendrier de collectes** »).
BOLD = re.compile(r"\*\*([^*\n]+?)\*\*")
TOOL_WORDS = re.compile(
    r"\b(outils?|tools?|calendriers?|calendars?|cartes?|maps?|dossiers?|accounts?|pages?"
    r"|portails?|portals?|formulaires?|forms?)\b",
    re.IGNORECASE,
)


def missing_link_warnings(entry: Entry) -> list[str]:
    """Bold phrases that look like the name of a tool but carry no link."""
    texts = [entry.summary, entry.body, str(entry.service.get("how_to", ""))]
    warnings = []
    for text in texts:
        for match in BOLD.finditer(text):
            phrase = match.group(1)
            if "](" in phrase or not TOOL_WORDS.search(phrase):
                continue
            if text[match.end() : match.end() + 2] == "](" or text[match.start() - 1 : match.start()] == "[":
                continue
            warnings.append(f"bold « {phrase.strip()} » looks like a tool without a link")
    return warnings


def read_entries(lines: Iterable[str], report: ImportReport) -> list[Entry]:
    entries = []
    for line_number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            entry = parse_entry(line_number, raw)
        except EntryError as error:
            report.errors.append((line_number, str(error)))
            continue
        entries.append(entry)
        report.warnings.extend((line_number, message) for message in missing_link_warnings(entry))
    # Originals first, so that every translation finds the page it translates.
    return sorted(entries, key=lambda entry: (bool(entry.translation_of), entry.line_number))


def locale_root(site: Site, locale: Locale) -> Page:
    """The site's home page in this locale, created as a translation when missing."""
    root = site.root_page.get_translation_or_none(locale)
    if root is None:
        root = site.root_page.specific.copy_for_translation(locale)
        root.save_revision().publish()
    return root


def find_page(source_id: str, locale: Locale) -> KnowledgePage | None:
    for model in KINDS.values():
        page = model.objects.filter(source_id=source_id, locale=locale).first()
        if page is not None:
            return page
    return None


def find_original(entry: Entry) -> KnowledgePage:
    for model in KINDS.values():
        page = (
            model.objects.filter(source_id=entry.translation_of)
            .exclude(locale__language_code=entry.language)
            .first()
        )
        if page is not None:
            return page
    raise EntryError(f"translation_of '{entry.translation_of}' does not match any imported entry")


def topic_for(entry: Entry, root: Page, locale: Locale, original: KnowledgePage | None) -> TopicPage:
    original_topic = original.get_parent().specific if original else None
    if original_topic is not None:
        translated = original_topic.get_translation_or_none(locale)
        if translated is not None:
            return translated.specific
    topic = TopicPage.objects.child_of(root).filter(title__iexact=entry.topic).first()
    if topic is None:
        topic = TopicPage(title=entry.topic, slug=unique_slug(root, entry.topic), locale=locale)
        if original_topic is not None:
            topic.translation_key = original_topic.translation_key
        root.add_child(instance=topic)
        topic.save_revision().publish()
    elif original_topic is not None and not topic.get_translations().filter(pk=original_topic.pk).exists():
        if not TopicPage.objects.filter(
            translation_key=original_topic.translation_key, locale=locale
        ).exists():
            topic.translation_key = original_topic.translation_key
            topic.save(update_fields=["translation_key"])
    return topic


def department_for(entry: Entry, locale: Locale, original: KnowledgePage | None) -> Department | None:
    if not entry.department:
        return None
    department = Department.objects.filter(locale=locale, name__iexact=entry.department).first()
    if department is not None:
        return department
    department = Department(name=entry.department, locale=locale)
    if original is not None and original.department is not None:
        key = original.department.translation_key
        if not Department.objects.filter(translation_key=key, locale=locale).exists():
            department.translation_key = key
    department.save()
    return department


def unique_slug(parent: Page, title: str, exclude: Page | None = None) -> str:
    base = slugify(title)[:SLUG_LENGTH].strip("-") or "page"
    siblings = Page.objects.child_of(parent)
    if exclude is not None and exclude.pk:
        siblings = siblings.exclude(pk=exclude.pk)
    taken = set(siblings.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def apply_fields(page: KnowledgePage, entry: Entry, department: Department | None) -> None:
    page.title = entry.title
    page.summary = entry.summary or first_sentence(entry.body)
    page.body = [("text", markdown_to_rich_text(entry.body))]
    page.keywords = ", ".join(entry.keywords)[:500]
    # Resolved when the page is shown: an entry imported later is found then (`knowledge.related`).
    page.related_source_ids = ",".join(entry.related)
    page.department = department
    page.source_id = entry.source_id
    page.source_hash = entry.fingerprint
    page.last_reviewed = timezone.localdate()
    if isinstance(page, ServicePage):
        page.target_days = entry.service.get("target_days")
        page.fees = entry.service.get("fee", "")
        page.how_to = markdown_to_rich_text(entry.service.get("how_to", ""))
        page.request_type = entry.service.get("request_type", "")


@transaction.atomic
def entry_import(*, entry: Entry, site: Site, publish: bool) -> str:
    """Create or update the page of one entry; returns 'created', 'updated' or 'unchanged'."""
    locale, _created = Locale.objects.get_or_create(language_code=entry.language)
    original = find_original(entry) if entry.translation_of else None
    root = locale_root(site, locale)
    topic = topic_for(entry, root, locale, original)
    page = find_page(entry.source_id, locale)
    model = KINDS[entry.kind]
    if page is not None and not isinstance(page, model):
        raise EntryError(
            f"'{entry.source_id}' already exists as another kind of page; change its kind in the admin"
        )
    if page is not None and page.source_hash == entry.fingerprint and (page.live or not publish):
        return "unchanged"

    department = department_for(entry, locale, original)
    created = page is None
    if created:
        page = model(locale=locale, live=False)
        if original is not None:
            page.translation_key = original.translation_key
        apply_fields(page, entry, department)
        page.slug = unique_slug(topic, entry.title)
        try:
            topic.add_child(instance=page)
        except ValidationError as error:
            raise EntryError("; ".join(error.messages)) from None
    else:
        if page.get_parent().pk != topic.pk:
            page.move(topic, pos="last-child")
            page.refresh_from_db()
        apply_fields(page, entry, department)
        if original is not None and page.translation_key != original.translation_key:
            if not model.objects.filter(translation_key=original.translation_key, locale=locale).exists():
                page.translation_key = original.translation_key
    try:
        page.full_clean()
    except ValidationError as error:
        raise EntryError("; ".join(error.messages)) from None
    revision = page.save_revision(log_action=True)
    if publish:
        revision.publish()
    return "created" if created else "updated"


def import_entries(
    lines: Iterable[str], *, site: Site | None = None, publish: bool = False, progress=None
) -> ImportReport:
    report = ImportReport()
    site = site or Site.objects.get(is_default_site=True)
    entries = read_entries(lines, report)
    for entry in progress(entries) if progress else entries:
        try:
            outcome = entry_import(entry=entry, site=site, publish=publish)
        except EntryError as error:
            report.errors.append((entry.line_number, str(error)))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    report.errors.sort()
    return report


def iter_file(path: str) -> Iterator[str]:
    with open(path, encoding="utf-8", errors="replace") as handle:
        yield from handle
