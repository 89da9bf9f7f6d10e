"""Forms citizens post on knowledge pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MissingReason
from .votes import MAX_COMMENT


class MissingReasonForm(forms.Form):
    """After "No, this page did not help": what was missing."""

    reason = forms.ChoiceField(
        label=_("What was missing?"),
        choices=MissingReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what was missing.")},
    )
    comment = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
        help_text=_(
            "Do not write your name, e-mail, phone or address: this is not a request and nobody "
            "will answer it. To get an answer, make a request below."
        ),
    )
