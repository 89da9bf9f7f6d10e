"""Tracked requests: their types, the requests themselves, their timeline, files and e-mails."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import TranslatableMixin

from knowledge.models import Department

from . import defaults
from .storage import private_storage
from .uploads import EXTENSIONS, safe_filename


class RequestTypeQuerySet(models.QuerySet):
    def in_default_locale(self):
        """One row per type: the default-locale (French) rows, which requests, URLs and Open311
        codes point to; their translations only carry the text."""
        return self.filter(locale__language_code=settings.LANGUAGE_CODE)


class RequestType(TranslatableMixin, models.Model):
    """What a citizen can ask for: the department it goes to, its delay and the fields it needs.

    Translated like the departments (a translatable snippet, one row per language sharing a
    `translation_key`): each row has its `label` and `help_text`; everything else is the type's
    and is kept the same on every row (`SHARED_FIELDS`). Requests point to the default-locale row;
    `localized` gives the row of the active language (the French one when it is not translated)."""

    class Category(models.TextChoices):
        SERVICE_CENTRE = "service_centre", _("Customer service centre")
        SERVICE = "service", _("Service request")

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        help_text=_("The code of the type in its URL and in Open311: the same in every language."),
    )
    label = models.CharField(_("label"), max_length=120)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category, default=Category.SERVICE)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"locale__language_code": "fr"},
        help_text=_("The department (French version) that handles these requests."),
    )
    target_business_days = models.PositiveSmallIntegerField(
        _("target delay (business days)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    asks_address = models.BooleanField(_("asks for an address or location"), default=False)
    asks_occurred_on = models.BooleanField(_("asks when it happened"), default=False)
    allows_attachments = models.BooleanField(_("allows attachments"), default=True)
    is_active = models.BooleanField(_("offered to citizens"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    # The type's own settings: saving any language's row writes them to its translations too.
    SHARED_FIELDS = defaults.SHARED_FIELDS

    objects = RequestTypeQuerySet.as_manager()

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("category"),
                FieldPanel("department"),
                FieldPanel("target_business_days"),
                FieldPanel("asks_address"),
                FieldPanel("asks_occurred_on"),
                FieldPanel("allows_attachments"),
                FieldPanel("is_active"),
                FieldPanel("sort_order"),
            ],
            heading=_("Settings shared by every language"),
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("request type")
        verbose_name_plural = _("request types")
        ordering = ["sort_order", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="one_request_type_slug_per_locale")
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            shared = {self._meta.get_field(name).attname: None for name in self.SHARED_FIELDS}
            shared = {attname: getattr(self, attname) for attname in shared}
            translations = type(self).objects.filter(translation_key=self.translation_key)
            translations.exclude(pk=self.pk).update(**shared)

    @property
    def localized(self) -> "RequestType":
        """The row in the active language, else this one: one query per type and language
        (`localize_request_types` fills it for a list in one)."""
        language = content_language(get_language())
        cache = self.__dict__.setdefault("_localized", {})
        if language not in cache:
            cache[language] = (
                type(self)
                .objects.filter(translation_key=self.translation_key, locale__language_code=language)
                .first()
                or self
            )
        return cache[language]


def content_language(language: str | None) -> str:
    """The content locale's code for a Django language (fr-ca → fr); the default one otherwise."""
    try:
        return get_supported_content_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def localize_request_types(request_types, language: str | None = None) -> None:
    """Fills `.localized` of each type for `language` (the active one by default) in one query."""
    request_types = [request_type for request_type in request_types if request_type is not None]
    language = content_language(language or get_language())
    keys = {request_type.translation_key for request_type in request_types}
    rows = {
        row.translation_key: row
        for row in RequestType.objects.filter(translation_key__in=keys, locale__language_code=language)
    }
    for request_type in request_types:
        request_type.__dict__.setdefault("_localized", {})[language] = rows.get(
            request_type.translation_key, request_type
        )


class DepartmentTeam(models.Model):
    """Which staff group handles a department's requests (members see only those)."""

    department = models.OneToOneField(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        Group, verbose_name=_("staff group"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("department"), FieldPanel("group")]

    class Meta:
        verbose_name = _("department team")
        verbose_name_plural = _("department teams")

    def __str__(self):
        return f"{self.department} → {self.group}"


class Status(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("request status", "Submitted")
    RECEIVED = "received", pgettext_lazy("request status", "Received")
    IN_PROGRESS = "in_progress", pgettext_lazy("request status", "In progress")
    WAITING = "waiting", pgettext_lazy("request status", "Waiting for the citizen")
    # Back with its department after the citizen said it was not (fully) resolved.
    REOPENED = "reopened", pgettext_lazy("request status", "Reopened")
    RESOLVED = "resolved", pgettext_lazy("request status", "Resolved")
    CLOSED = "closed", pgettext_lazy("request status", "Closed")


# The lifecycle: what each status may become. A resolved request is reopened by the citizen
# (`forms.reopen.request_reopen`, within `REQUESTS_REOPEN_DAYS`).
TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.RECEIVED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED},
    Status.RECEIVED: {Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED, Status.CLOSED},
    Status.IN_PROGRESS: {Status.WAITING, Status.RESOLVED, Status.CLOSED},
    Status.WAITING: {Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED},
    Status.REOPENED: {Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.CLOSED, Status.REOPENED},
    Status.CLOSED: set(),
}
OPEN_STATUSES = [Status.SUBMITTED, Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING, Status.REOPENED]


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    EMAIL = "email", _("E-mail")
    # Sent by another system through the Open311 GeoReport v2 API (forms/open311/).
    OPEN311 = "open311", _("Open311 API")


class CitizenRequest(models.Model):
    """One tracked request, from submission to closing."""

    # Wagtail's reference index ("where is this used?") is for content; indexing every
    # request cost two queries and two savepoints per submission for nothing anyone reads.
    wagtail_reference_index_ignore = True

    reference = models.CharField(_("reference"), max_length=24, unique=True, editable=False)
    request_type = models.ForeignKey(
        RequestType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="requests",
        # The default-locale row: a type's translations only carry its text.
        limit_choices_to={"locale__language_code": "fr"},
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    department_since = models.DateTimeField(_("with the department since"), default=timezone.now)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel, default=Channel.WEB)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    address = models.CharField(_("address or location"), max_length=300, blank=True)
    occurred_on = models.DateField(_("date it happened"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    expected_on = models.DateField(_("expected by"), db_index=True)
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("sent from page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # One-time token of the form that created the request: a resubmitted form finds it again.
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    personal_data_purged_at = models.DateTimeField(
        _("personal information destroyed at"), null=True, blank=True, editable=False
    )
    # When it became "resolved": typical delays are read from this column alone (one indexed
    # query), not rebuilt from the timeline.
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False, db_index=True)
    # The latest reason staff gave for a delay; the late notice tells it to the citizen.
    delay_reason = models.CharField(_("reason for the delay"), max_length=300, blank=True)
    # How many times the citizen reopened it after it was resolved.
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0, editable=False)
    # The published answer (FAQ page) to this question: the citizen is e-mailed its link once,
    # when it is published (`forms.answers`). One answer per request, many requests per answer.
    answered_by_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("answered by page"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer_notified_at = models.DateTimeField(
        _("told about the answer at"), null=True, blank=True, editable=False
    )
    # The registry's address that the typed address matched (exactly one), and its coordinates:
    # an intersection or a free description matches none and leaves these empty.
    address_match = models.ForeignKey(
        "knowledge.Address",
        verbose_name=_("matched civic address"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True, editable=False, db_index=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, editable=False, db_index=True)
    # A duplicate merged by staff into the request that carries on (`forms.merge`): it is closed,
    # its citizens follow that request, and it keeps its own retention schedule.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="merged_requests",
    )

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["expected_on", "submitted_at"]
        permissions = [("view_personal_data", "Can see the personal data of the requests they handle")]
        indexes = [
            models.Index(fields=["department", "status", "expected_on"]),
            # The bounding box of a distance query (forms/nearby.py): both ranges read in the index,
            # ~5× faster than either single-column index at 200,000 requests (make bench-addresses).
            models.Index(fields=["latitude", "longitude"], name="request_location"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def private_link_expired(self) -> bool:
        """The e-mailed link shows personal data while the file is open, then for
        `REQUESTS_PRIVATE_LINK_DAYS` days (Law 25: a forwarded or old e-mail should not
        expose it for years). The status itself stays public by reference."""
        if self.is_open:
            return False
        days = settings.REQUESTS_PRIVATE_LINK_DAYS
        return timezone.now() - self.status_changed_at > timedelta(days=days)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.expected_on < timezone.localdate()

    @property
    def department_label(self) -> str:
        """The department's name in the current language (its French name when not translated)."""
        return self.department.localized.name

    def public_events(self):
        return self.events.filter(is_public=True).order_by("created_at", "pk")


class RequestEvent(models.Model):
    """One line of a request's timeline and audit trail: who did what, when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Request created")
        STATUS = "status", _("Status changed")
        PUBLIC_NOTE = "public_note", _("Public note")
        INTERNAL_NOTE = "internal_note", _("Internal note")
        ASSIGNED = "assigned", _("Assigned")
        LATE_NOTICE = "late_notice", _("Late notice")
        RESCHEDULED = "rescheduled", _("New expected date")
        # Text for the handlers and the citizen (private link or confirmed contact) only.
        CITIZEN_INFO = "citizen_info", _("Information added by the citizen")
        # The citizen asked the ombudsman for a review; then the ombudsman's conclusions (their
        # text, like a note's, only on the private page). See forms/ombudsman.py.
        ESCALATED = "escalated", _("Sent to the ombudsman")
        OMBUDSMAN_CONCLUDED = "ombudsman_concluded", _("Conclusions of the ombudsman")
        # A merge (forms/merge.py): on the duplicate, closed, its note the other request's
        # reference; on the request that carries on, without anything about the duplicate.
        MERGED = "merged", _("Merged into another request")
        DUPLICATE_MERGED = "duplicate_merged", _("A request about the same thing was merged into this one")

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    from_status = models.CharField(_("from"), max_length=20, choices=Status, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("visible to the citizen"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # Late notices and new dates: the new expected date, and (late notice) the date it missed.
    expected_on = models.DateField(_("new expected date"), null=True, blank=True)
    missed_on = models.DateField(_("missed date"), null=True, blank=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["created_at", "pk"]
        constraints = [
            # One late notice per missed date, whatever runs `follow_up` at the same time.
            models.UniqueConstraint(
                fields=["request", "missed_on"],
                condition=models.Q(kind="late_notice"),
                name="one_late_notice_per_missed_date",
            )
        ]

    def __str__(self):
        return f"{self.request_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class Escalation(models.Model):
    """The citizen's last recourse: a review by the ombudsman of how a request was handled.

    Its own file, linked to the request (one per request), asked after the department's final
    answer (forms/ombudsman.py). Seen and concluded in the "Ombudsman" admin queue; the
    department only sees that its request was escalated, never the ombudsman's notes.
    """

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("ombudsman review", "Under review")
        CONCLUDED = "concluded", pgettext_lazy("ombudsman review", "Concluded")

    wagtail_reference_index_ignore = True

    request = models.OneToOneField(
        CitizenRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="escalation"
    )
    reference = models.CharField(_("reference"), max_length=30, unique=True, editable=False)
    reason = models.TextField(_("why the citizen is dissatisfied"), max_length=3000)
    expectation = models.TextField(_("what the citizen expects"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=State, default=State.OPEN, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    expected_on = models.DateField(_("expected by"))
    conclusion = models.TextField(_("conclusions"), blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concluded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The ombudsman's working notes: never shown to the department or the citizen.
    notes = models.TextField(_("internal notes of the ombudsman"), blank=True)

    class Meta:
        verbose_name = _("ombudsman review")
        verbose_name_plural = _("ombudsman reviews")
        ordering = ["expected_on", "submitted_at"]

    def __str__(self):
        return self.reference


class SurveyAnswer(models.Model):
    """The citizen's satisfaction survey once the request is resolved: one answer per request."""

    class Resolved(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    SCORE = [MinValueValidator(1), MaxValueValidator(5)]

    request = models.OneToOneField(
        CitizenRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="survey_answer"
    )
    resolved = models.CharField(_("resolved"), max_length=10, choices=Resolved)
    delay_score = models.PositiveSmallIntegerField(_("delay (1 to 5)"), validators=SCORE)
    clarity_score = models.PositiveSmallIntegerField(_("clarity of the answer (1 to 5)"), validators=SCORE)
    courtesy_score = models.PositiveSmallIntegerField(_("courtesy (1 to 5)"), validators=SCORE)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    asked_reopen = models.BooleanField(_("asked to reopen the request"), default=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self):
        return f"{self.request_id} {self.resolved}"


def attachment_path(instance, filename):
    # Named by content: the citizen's name is never a path; the extension is the detected type's.
    extension = EXTENSIONS.get(instance.content_type, "bin")
    return (
        f"requests/{instance.request.submitted_at:%Y/%m}/{instance.request.reference}/"
        f"{instance.sha256[:16]}.{extension}"
    )


class Attachment(models.Model):
    """A file the citizen sent; checked by content, kept in private storage."""

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name to download under: the extension of the type detected on upload, whatever the
        citizen named the file (names saved before this rule included)."""
        return safe_filename(self.original_name, self.content_type)


class RequestFollower(models.Model):
    """A citizen who joined a request instead of sending the same one: told of its public updates.

    Their e-mail stays private (never shown to the requester nor in the queue) and is destroyed
    with the request's personal data."""

    request = models.ForeignKey(
        CitizenRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="followers"
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    consent_at = models.DateTimeField(_("consent given at"), default=timezone.now)
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("citizen who joined")
        verbose_name_plural = _("citizens who joined")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["request", "email"], name="one_follower_per_email")]

    def __str__(self):
        return f"{self.request} · {self.pk}"


class OutgoingEmail(models.Model):
    """The outbox: every e-mail is stored first, then sent by a task; failures are retried."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, will be retried")

    request = models.ForeignKey(
        CitizenRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(max_length=30)
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    state = models.CharField(max_length=10, choices=State, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.kind} → {self.to} ({self.state})"


class ReminderDigest(models.Model):
    """The staff reminder of one department for one day: recorded so that it is sent once."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField(_("sent on"))
    requests_count = models.PositiveIntegerField(_("requests listed"), default=0)

    class Meta:
        verbose_name = _("reminder digest")
        verbose_name_plural = _("reminder digests")
        constraints = [
            models.UniqueConstraint(fields=["department", "sent_on"], name="one_reminder_digest_per_day")
        ]

    def __str__(self):
        return f"{self.department} {self.sent_on}"


class SuggestionEvent(models.Model):
    """Deflection log: an answer suggested while typing, clicked, or that answered the question."""

    class Kind(models.TextChoices):
        SHOWN = "shown", _("Shown")
        CLICKED = "clicked", _("Clicked")
        ANSWERED = "answered", _("Answered the question")

    kind = models.CharField(max_length=10, choices=Kind, db_index=True)
    query = models.CharField(max_length=200)
    page = models.ForeignKey("wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+")
    request_type = models.CharField(max_length=80, blank=True)
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")

    def __str__(self):
        return f"{self.kind}: {self.query}"


class Open311ApiKey(models.Model):
    """A key that lets another system create requests through the Open311 API (forms/open311/).

    Only a SHA-256 of the key is kept: the key is shown once, when it is made. Its first
    characters (`prefix`) find the row; the hash is compared in constant time.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("Who uses this key, e.g. “App Ma Ville”."))
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("A key that is not active is refused (403).")
    )

    panels = [FieldPanel("name"), FieldPanel("active")]

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["name", "created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
