"""The satisfaction survey once a request is resolved: one screen, one answer per request.

The link is signed (`django.core.signing`, its own salt: a status link is not a survey link)
and valid `SURVEY_DAYS` days; it is single use because the answer is one-to-one with the
request. A citizen who answers "no" or "partly" may reopen the request from the same screen
(`forms.reopen.request_reopen`).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import CitizenRequest, Status, SurveyAnswer
from .reopen import request_reopen
from .services import site_url

SURVEY_SALT = "requests.survey"
SURVEY_DAYS = 30
MAX_COMMENT = 2000
SURVEYED_STATUSES = {Status.RESOLVED, Status.CLOSED}


class SurveyAlreadyAnswered(Exception):
    """The request's survey was answered already (the link is single use)."""


def survey_token(citizen_request: CitizenRequest) -> str:
    return signing.dumps(citizen_request.reference, salt=SURVEY_SALT)


def survey_link(citizen_request: CitizenRequest) -> str:
    """The absolute survey link, in the citizen's language (for the e-mails)."""
    with translation.override(citizen_request.language):
        path = reverse("requests:survey", kwargs={"token": survey_token(citizen_request)})
    return site_url() + path


@dataclass(frozen=True)
class SurveyLookup:
    """The request of a survey link, or why there is none: "invalid" (altered or cut off),
    "expired", "unavailable" (not resolved, e.g. reopened) or "answered"."""

    citizen_request: CitizenRequest | None
    problem: str | None = None


def survey_lookup(token: str) -> SurveyLookup:
    try:
        reference = signing.loads(token, salt=SURVEY_SALT, max_age=timedelta(days=SURVEY_DAYS))
    except signing.SignatureExpired:
        return SurveyLookup(None, "expired")
    except signing.BadSignature:
        return SurveyLookup(None, "invalid")
    citizen_request = (
        CitizenRequest.objects.select_related("request_type", "department")
        .filter(reference=str(reference))
        .first()
    )
    if citizen_request is None:
        return SurveyLookup(None, "invalid")
    if SurveyAnswer.objects.filter(request=citizen_request).exists():
        return SurveyLookup(citizen_request, "answered")
    if citizen_request.status not in SURVEYED_STATUSES or citizen_request.resolved_at is None:
        return SurveyLookup(citizen_request, "unavailable")
    return SurveyLookup(citizen_request)


def survey_offered(citizen_request: CitizenRequest) -> bool:
    """The status page offers the survey for `SURVEY_DAYS` days after the resolution, once."""
    return (
        citizen_request.status in SURVEYED_STATUSES
        and citizen_request.resolved_at is not None
        and timezone.now() - citizen_request.resolved_at <= timedelta(days=SURVEY_DAYS)
        and not SurveyAnswer.objects.filter(request=citizen_request).exists()
    )


@transaction.atomic
def survey_answer_record(
    *,
    citizen_request: CitizenRequest,
    resolved: str,
    delay_score: int,
    clarity_score: int,
    courtesy_score: int,
    comment: str = "",
    reopen: bool = False,
    reopen_reason: str = "",
    language: str = "fr",
) -> SurveyAnswer:
    """Stores the answer (once) and, when asked with "no" or "partly", reopens the request.

    Raises `SurveyAlreadyAnswered` for a second answer, `ValidationError` when the answer or the
    reopening is refused (nothing is stored then)."""
    citizen_request = CitizenRequest.objects.select_for_update(of=("self",)).get(pk=citizen_request.pk)
    if SurveyAnswer.objects.filter(request=citizen_request).exists():
        raise SurveyAlreadyAnswered
    if citizen_request.status not in SURVEYED_STATUSES or citizen_request.resolved_at is None:
        raise ValidationError(_("This request is not resolved: there is no survey to answer."))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(_("Write at most %(max)s characters.") % {"max": MAX_COMMENT})
    if reopen and resolved == SurveyAnswer.Resolved.YES:
        raise ValidationError(_("Only a request that is not (fully) resolved can be reopened."))
    answer = SurveyAnswer(
        request=citizen_request,
        resolved=resolved,
        delay_score=delay_score,
        clarity_score=clarity_score,
        courtesy_score=courtesy_score,
        comment=comment,
        asked_reopen=reopen,
        language=language,
    )
    answer.full_clean(exclude=["request"])
    try:
        with transaction.atomic():
            answer.save(force_insert=True)
    except IntegrityError as error:
        raise SurveyAlreadyAnswered from error
    if reopen:
        request_reopen(citizen_request=citizen_request, reason=reopen_reason, source="survey")
    return answer
