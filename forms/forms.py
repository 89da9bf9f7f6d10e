"""The citizen's forms (crispy-forms, Bootstrap 5 pack) and the staff forms of the admin."""

import re
import secrets

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from knowledge.models import Department

from .models import TRANSITIONS, Channel, RequestType, Status
from .retention import RETENTION_YEARS
from .uploads import MAX_FILES, check_upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("Send at most 3 files."), code="too_many")
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(check_upload(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class SourcePageField(forms.IntegerField):
    """The answer page the citizen came from, in a hidden input: a hint for staff. A mangled
    value is dropped rather than reported, as the citizen could neither see nor fix it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, **kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError:
            return None


def normalise_phone(value: str) -> str:
    return re.sub(r"\D", "", value or "")


class DescribeForm(forms.Form):
    """Step 1 (a POST without CSRF token, from cacheable pages): what the citizen needs, so that
    answers can be suggested first."""

    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("In a few words, e.g. “Pothole in front of 12 Principale Street”."),
    )
    description = forms.CharField(
        label=_("Describe your request"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    page = SourcePageField()

    def __init__(self, *args, request_type=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].widget.attrs.update(
            {"autocomplete": "off", "data-requests-suggest": "", "aria-controls": "requests-suggestions"}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class CitizenRequestForm(forms.Form):
    """Step 2 (POST): only the fields the request type needs, contact, consent and files."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Describe your request"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, where, since when. Do not include health or banking information."),
    )
    address = forms.CharField(
        label=_("Address or location"),
        max_length=300,
        help_text=_("Civic number and street, or the nearest intersection."),
        # Suggestions from the city's address registry while typing (knowledge/address-suggest.js).
        widget=forms.TextInput(
            attrs={
                "list": "address-suggestions",
                "data-address-suggest": reverse_lazy("knowledge:addresses"),
                "autocomplete": "street-address",
            }
        ),
    )
    occurred_on = forms.DateField(
        label=_("Date it happened"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("We send the confirmation and every update here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        help_text=_("Up to 3 files: photos (JPEG, PNG, GIF, WebP) or PDF, 10 MB each."),
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"}
        ),
    )
    consent = forms.BooleanField(
        label=_("I agree that the city uses this information to handle my request."),
        error_messages={"required": _("Your consent is needed to handle the request.")},
    )
    # A field people never see: robots fill it.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=20)
    page = SourcePageField()
    # Set once the citizen has seen the open requests near their address and sends theirs anyway.
    nearby_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, request_type: RequestType, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_type = request_type
        if not request_type.asks_address:
            del self.fields["address"]
        if not request_type.asks_occurred_on:
            del self.fields["occurred_on"]
        if not request_type.allows_attachments:
            del self.fields["attachments"]
        if not self.is_bound:
            self.initial.setdefault("submission_token", secrets.token_urlsafe(24))
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = self.build_layout()

    def build_layout(self) -> Layout:
        request_fields = [
            name for name in ("subject", "description", "address", "occurred_on") if name in self.fields
        ]
        if "address" in request_fields:
            index = request_fields.index("address") + 1
            request_fields.insert(index, HTML('<datalist id="address-suggestions"></datalist>'))
        contact = Fieldset(
            _("How can we reach you?"),
            HTML(
                format_html(
                    '<p class="form-text">{}</p>', _("Give an e-mail address, a phone number, or both.")
                )
            ),
            "name",
            "email",
            "phone",
        )
        files = ["attachments"] if "attachments" in self.fields else []
        notice = HTML(
            format_html(
                '<div class="callout requests-privacy" id="privacy-notice">'
                "<h3>{}</h3><p>{}</p><p>{}</p></div>",
                _("Your personal information"),
                _(
                    "The city collects your name and contact details only to handle this request and to "
                    "keep you informed. Only the staff who handle it can see them."
                ),
                _(
                    "They are kept %(years)s years after the request is closed, then destroyed. You can ask "
                    "to see or correct them from the person in charge of the protection of personal "
                    "information (Act respecting access to documents held by public bodies and the "
                    "protection of personal information, as amended by Québec's Law 25)."
                )
                % {"years": RETENTION_YEARS},
            )
        )
        return Layout(
            Fieldset(_("Your request"), *request_fields, *files),
            contact,
            notice,
            Field("consent", aria_describedby="privacy-notice"),
            Div("website", css_class="requests-hp", aria_hidden="true"),
            "submission_token",
            "page",
            "nearby_seen",
        )

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not 7 <= len(normalise_phone(phone)) <= 15:
            raise ValidationError(_("Enter a phone number, e.g. 418 555-0123."), code="phone")
        return phone

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors:
            raise ValidationError(
                _("Give an e-mail address or a phone number so that we can reach you."), code="contact"
            )
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))


class JoinForm(forms.Form):
    """« Join this request »: the e-mail to tell of its updates, with consent (Law 25)."""

    demande = forms.CharField(widget=forms.HiddenInput, max_length=200)
    email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("Used only to tell you of this request's updates."),
        error_messages={"required": _("Give your e-mail address to be told of the updates.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that the city uses my e-mail address to tell me of this request's updates."),
        error_messages={"required": _("Your consent is needed to join the request.")},
    )


class LookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=40,
        help_text=_("As written in your confirmation e-mail, e.g. RAE-7K3Q-M9XD-4."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class VerifyForm(forms.Form):
    contact = forms.CharField(
        label=_("E-mail or phone given with the request"),
        max_length=150,
        help_text=_("To see your personal information and the details of the request."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CitizenAdditionForm(forms.Form):
    """The citizen answers back on their status page: more information and files (POST)."""

    text = forms.CharField(
        label=_("Information to add"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Answer the city's question or add what is missing. Do not include health or banking information."
        ),
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (optional)"),
        required=False,
        help_text=_("Up to 3 files: photos (JPEG, PNG, GIF, WebP) or PDF, 10 MB each."),
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ReopenForm(forms.Form):
    """The citizen reopens their resolved request from the status page (POST)."""

    reason = forms.CharField(
        label=_("Why is your request not resolved?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The person who handled it reads this. Do not include health or banking information."),
        error_messages={"required": _("Tell us why the request is not resolved.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


SCORE_CHOICES = [
    ("1", _("1 – very poor")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 – excellent")),
]


class SurveyForm(forms.Form):
    """The satisfaction survey: one screen, radio groups in fieldsets; "no" or "partly" may reopen."""

    resolved = forms.ChoiceField(
        label=_("Was your request resolved?"),
        choices=[("yes", _("Yes")), ("partly", _("Partly")), ("no", _("No"))],
        widget=forms.RadioSelect,
    )
    delay_score = forms.TypedChoiceField(
        label=_("The delay"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    clarity_score = forms.TypedChoiceField(
        label=_("The clarity of the answer"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    courtesy_score = forms.TypedChoiceField(
        label=_("The courtesy of the staff"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Do not include health or banking information."),
    )
    reopen = forms.BooleanField(label=_("Reopen my request"), required=False)
    reopen_reason = forms.CharField(
        label=_("Why is your request not resolved?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed to reopen it. The person who handled it reads this."),
    )

    def __init__(self, *args, can_reopen: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_reopen = can_reopen
        if not can_reopen:
            del self.fields["reopen"], self.fields["reopen_reason"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        rating = Fieldset(
            _("How do you rate our service? (1 = very poor, 5 = excellent)"),
            "delay_score",
            "clarity_score",
            "courtesy_score",
        )
        parts = ["resolved", rating, "comment"]
        if can_reopen:
            parts.append(
                Fieldset(
                    _("Not resolved, or only partly?"),
                    HTML(
                        format_html(
                            '<p class="form-text">{}</p>',
                            _("You can send your request back to the team that handled it."),
                        )
                    ),
                    "reopen",
                    "reopen_reason",
                )
            )
        self.helper.layout = Layout(*parts)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reopen"):
            if cleaned.get("resolved") == "yes":
                self.add_error("reopen", _("Only a request that is not (fully) resolved can be reopened."))
            if not (cleaned.get("reopen_reason") or "").strip() and "reopen_reason" not in self.errors:
                self.add_error("reopen_reason", _("Tell us why the request is not resolved."))
        return cleaned


# --- Staff (Wagtail admin) -------------------------------------------------------------------


class RequestTypeChoiceField(forms.ModelChoiceField):
    """Each type once (its default-locale row, which requests point to), named in the reader's
    language."""

    def label_from_instance(self, obj):
        return obj.localized.label


class IntakeForm(forms.Form):
    """An agent records a request taken by phone, in person or by e-mail, on the citizen's behalf."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in Channel.choices if c[0] not in (Channel.WEB, Channel.OPEN311)],
        initial=Channel.PHONE,
    )
    request_type = RequestTypeChoiceField(
        label=_("Type"), queryset=RequestType.objects.in_default_locale().filter(is_active=True)
    )
    language = forms.ChoiceField(
        label=_("Language of the citizen"), choices=[("fr", "Français"), ("en", "English")]
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    address = forms.CharField(label=_("Address or location"), max_length=300, required=False)
    occurred_on = forms.DateField(label=_("Date it happened"), required=False)
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    consent = forms.BooleanField(
        label=_("The citizen was told why the information is collected and agreed."), required=True
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone"):
            raise ValidationError(_("Give an e-mail address or a phone number so that we can reach you."))
        request_type = cleaned.get("request_type")
        if request_type and request_type.asks_address and not cleaned.get("address"):
            self.add_error("address", _("This type of request needs an address or location."))
        return cleaned


class DepartmentChoiceField(forms.ModelChoiceField):
    """Each department once (its French row, which requests point to), named in the reader's
    language when it is translated."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.names: dict = {}

    def names_in(self, language: str) -> None:
        translated = Department.objects.filter(locale__language_code=language)
        self.names = dict(translated.values_list("translation_key", "name"))

    def label_from_instance(self, obj):
        return self.names.get(obj.translation_key) or obj.name


class HandleForm(forms.Form):
    """Everything a handler does to a request in one form: status, note, routing."""

    status = forms.ChoiceField(label=_("New status"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    note_is_public = forms.BooleanField(
        label=_("Visible to the citizen (on their private status page, and e-mailed to them)"),
        required=False,
        initial=True,
    )
    department = DepartmentChoiceField(label=_("Department"), queryset=None, required=False)
    assignee = forms.ModelChoiceField(label=_("Assigned to"), queryset=None, required=False)
    expected_on = forms.DateField(
        label=_("New expected date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The citizen receives an e-mail with the new date and the reason below."),
    )
    delay_reason = forms.CharField(
        label=_("Reason for the delay"),
        required=False,
        max_length=300,
        help_text=_(
            "Told to the citizen with a new expected date, or in the late notice if the date passes."
        ),
    )

    def __init__(self, *args, citizen_request, departments, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delay_reason"].initial = citizen_request.delay_reason
        if not citizen_request.is_open:
            del self.fields["expected_on"], self.fields["delay_reason"]
        # Reopening is the citizen's (forms/reopen.py: reason, count, new date), not a staff status.
        allowed = TRANSITIONS.get(citizen_request.status, set()) - {Status.REOPENED}
        self.fields["status"].choices = [("", _("(no change)"))] + [
            (value, label) for value, label in Status.choices if value in allowed
        ]
        self.fields["department"].queryset = departments
        self.fields["department"].names_in(translation.get_language() or settings.LANGUAGE_CODE)
        self.fields["department"].initial = citizen_request.department_id
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].initial = citizen_request.assignee_id

    def clean(self):
        data = super().clean()
        if data.get("expected_on") and not (data.get("delay_reason") or "").strip():
            self.add_error(
                "delay_reason", _("Give the reason for the new expected date: the citizen will read it.")
            )
        return data


class EscalationRequestForm(forms.Form):
    """The citizen asks the ombudsman to review how their request was handled (POST). Its field
    names differ from the reopen form's: both may be on the same page."""

    dissatisfaction = forms.CharField(
        label=_("Why are you dissatisfied with how your request was handled?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The ombudsman reads this. Do not include health or banking information."),
        error_messages={"required": _("Tell us why you are dissatisfied.")},
    )
    expectation = forms.CharField(
        label=_("What do you expect? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class EscalationReviewForm(forms.Form):
    """The ombudsman's page of one review: internal notes, and the conclusions that close it."""

    notes = forms.CharField(
        label=_("Internal notes of the ombudsman"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Seen by the ombudsman only: never by the department or the citizen."),
    )
    conclusion = forms.CharField(
        label=_("Conclusions"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Sent to the citizen and to the department when you conclude."),
    )

    def __init__(self, *args, concluded: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if concluded:
            self.fields["conclusion"].disabled = True
