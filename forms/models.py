"""Tracked requests: their types, the requests themselves, their timeline, files and e-mails."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from knowledge.models import Department

from .storage import private_storage
from .uploads import EXTENSIONS, safe_filename


class RequestType(models.Model):
    """What a citizen can ask for: the department it goes to, its delay and the fields it needs."""

    class Category(models.TextChoices):
        SERVICE_CENTRE = "service_centre", _("Customer service centre")
        SERVICE = "service", _("Service request")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)
    help_fr = models.CharField(_("help text (French)"), max_length=300, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=300, blank=True)
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

    panels = [
        FieldPanel("slug"),
        MultiFieldPanel(
            [FieldPanel("label_fr"), FieldPanel("label_en"), FieldPanel("help_fr"), FieldPanel("help_en")],
            heading=_("Labels"),
        ),
        FieldPanel("category"),
        FieldPanel("department"),
        FieldPanel("target_business_days"),
        MultiFieldPanel(
            [FieldPanel("asks_address"), FieldPanel("asks_occurred_on"), FieldPanel("allows_attachments")],
            heading=_("Fields of the form"),
        ),
        FieldPanel("is_active"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("request type")
        verbose_name_plural = _("request types")
        ordering = ["sort_order", "slug"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "fr").startswith("en") else self.label_fr

    @property
    def help(self) -> str:
        return self.help_en if (get_language() or "fr").startswith("en") else self.help_fr


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
        RequestType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="requests"
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

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["expected_on", "submitted_at"]
        permissions = [("view_personal_data", "Can see the personal data of the requests they handle")]
        indexes = [models.Index(fields=["department", "status", "expected_on"])]

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

    @cached_property
    def department_label(self) -> str:
        """The department's name in the current language when it is translated."""
        language = (get_language() or "fr")[:2]
        translated = (
            Department.objects.filter(
                translation_key=self.department.translation_key, locale__language_code=language
            )
            .values_list("name", flat=True)
            .first()
        )
        if translated:
            return translated
        from .defaults import DEPARTMENTS

        names = {french: english for french, english in DEPARTMENTS.values()}
        if language == "en" and self.department.name in names:
            return names[self.department.name]
        return self.department.name

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
