"""A year of demo requests, so that a new installation shows a living queue and real typical delays.

Demo requests are marked without a model field: their ``submission_token`` starts with
``demo-`` and every e-mail address is ``@example.org``. They are built through the service
functions (submission, assignment, status changes, late notices, citizen additions), then
their timestamps are moved into the past with bulk updates. Nothing is e-mailed: the outbox
rows the services queue are marked as sent before the transaction commits, so the task that
runs after commit finds nothing to send.
"""

import datetime
import random

from tqdm import tqdm

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from knowledge.demo_registry import STREETS as REGISTRY_STREETS
from portal.business_days import add_business_days

from .additions import request_add_citizen_info
from .models import Channel, CitizenRequest, OutgoingEmail, RequestEvent, RequestType, Status, SurveyAnswer
from .ombudsman import escalation_conclude, escalation_eligibility, escalation_submit
from .reopen import request_reopen
from .selectors import typical_delay_refresh
from .services import request_assign, request_change_status, request_late_notice, request_submit

DEMO_TOKEN_PREFIX = "demo-"  # noqa: S105 - a marker, not a secret
DEMO_EMAIL_DOMAIN = "example.org"
DEMO_SEED = 2026
HISTORY_DAYS = 365

# slug → (weight, subjects): the common types weigh most, so their typical delay is published.
SUBJECTS = {
    "nid-de-poule": (
        25,
        ["Nid-de-poule dans la voie de droite", "Trou dans la chaussée", "Nid-de-poule profond"],
    ),
    "question": (
        18,
        ["Horaire de l'écocentre", "Permis de rénovation", "Compte de taxes", "Inscription aux loisirs"],
    ),
    "collecte-manquee": (
        16,
        ["Bac de recyclage non ramassé", "Collecte des ordures oubliée", "Bac brun non vidé"],
    ),
    "lampadaire": (10, ["Lampadaire éteint", "Lampadaire qui clignote", "Lampadaire allumé le jour"]),
    "deneigement": (8, ["Trottoir non déneigé", "Rue glacée", "Banc de neige bloquant l'entrée"]),
    "bruit": (7, ["Bruit de chantier la nuit", "Musique forte tard le soir", "Souffleuse à 5 h"]),
    "suggestion": (6, ["Plus de bancs au parc", "Piste cyclable rue Principale"]),
    "insatisfaction": (5, ["Attente au comptoir", "Réponse reçue incomplète"]),
    "plainte": (3, ["Plainte sur un service", "Plainte sur un chantier"]),
}
FIRST_NAMES = [
    "Marie",
    "Jean",
    "Sophie",
    "Luc",
    "Isabelle",
    "Mathieu",
    "Nathalie",
    "Olivier",
    "Chloé",
    "Samuel",
]
LAST_NAMES = [
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Pelletier",
]
AGENTS = [
    ("demo-agent-1", "Julie", "Bergeron"),
    ("demo-agent-2", "Marc", "Lévesque"),
    ("demo-agent-3", "Anne", "Caron"),
]
CHANNELS = [(Channel.WEB, 70), (Channel.PHONE, 20), (Channel.IN_PERSON, 5), (Channel.EMAIL, 5)]


def demo_requests():
    return CitizenRequest.objects.filter(submission_token__startswith=DEMO_TOKEN_PREFIX)


def _agents() -> list:
    """Staff actors of the demo timelines: users who cannot log in (no usable password)."""
    agents = []
    for username, first, last in AGENTS:
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@{DEMO_EMAIL_DOMAIN}"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        agents.append(user)
    return agents


def _registry_address(rng: random.Random) -> str:
    """A civic address of the demo registry (knowledge.demo_registry, loaded before the requests),
    so that the demo's requests have coordinates: on the map of open requests, and nearby."""
    street, first, last, _collection, _snow = rng.choice(REGISTRY_STREETS)
    step = 2 if last - first < 700 else 4  # as the registry numbers them
    return f"{first + step * rng.randint(0, (last - first) // step)}, {street}"


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment of office hours on `day`, in the site's time zone; never later than now (a
    request of today, built before the office opens, happened a moment ago)."""
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(8, 16), rng.randint(0, 59)))
    return min(timezone.make_aware(moment), timezone.now() - datetime.timedelta(minutes=rng.randint(1, 30)))


class _Timeline:
    """One demo request moved through its life by the services; remembers when each event happened."""

    def __init__(self, citizen_request, agent, stamps):
        self.request = citizen_request
        self.agent = agent
        self.stamps = stamps  # event pk → moment, applied in bulk at the end
        self.status_changed_at = citizen_request.submitted_at
        self.resolved_at = None

    def status(self, status, when, note="", public=True):
        event = request_change_status(
            citizen_request=self.request, status=status, actor=self.agent, note=note, public=public
        )
        self.request.status = status
        self.stamps[event.pk] = self.status_changed_at = when
        if status == Status.RESOLVED:
            self.resolved_at = when

    def assign(self, when):
        event = request_assign(citizen_request=self.request, actor=self.agent, assignee=self.agent)
        if event is not None:
            self.stamps[event.pk] = when

    def late_notice(self, today, when):
        event = request_late_notice(citizen_request=self.request, today=today)
        if event is not None:
            self.stamps[event.pk] = when

    def citizen_info(self, text, when):
        event = request_add_citizen_info(citizen_request=self.request, text=text)
        self.stamps[event.pk] = when
        # The request went back from "waiting" to "in progress" with the citizen's addition.
        back = self.request.events.filter(kind=RequestEvent.Kind.STATUS, from_status=Status.WAITING).exclude(
            pk__in=self.stamps
        )
        for pk in back.values_list("pk", flat=True):
            self.stamps[pk] = self.status_changed_at = when
        self.request.status = Status.IN_PROGRESS


def _one_request(index, rng, types, agents, today, stamps) -> _Timeline:
    timeline = _story(index, rng, types, agents, today, stamps)
    if timeline.request.is_open and timeline.request.expected_on < today:
        # Open and past its date: its late notice is sent "today", so follow_up has nothing to e-mail.
        timeline.late_notice(today, timezone.now())
    return timeline


def _story(index, rng, types, agents, today, stamps) -> _Timeline:
    request_type = rng.choices(types, weights=[SUBJECTS[t.slug][0] for t in types])[0]
    # One in eight is recent (the last three weeks): the queue has open requests to show.
    recent = rng.random() < 0.125
    submitted_on = today - datetime.timedelta(days=rng.randint(0, 21 if recent else HISTORY_DAYS - 10))
    submitted = _at(submitted_on, rng)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    channel = rng.choices([c for c, _w in CHANNELS], weights=[w for _c, w in CHANNELS])[0]
    agent = rng.choice(agents)
    data = {
        "subject": rng.choice(SUBJECTS[request_type.slug][1]),
        "description": "Demande de démonstration.",
        "address": _registry_address(rng) if request_type.asks_address else "",
        "name": f"{first} {last}",
        "email": f"{first}.{last}.{index}@{DEMO_EMAIL_DOMAIN}".lower().replace("ô", "o").replace("é", "e"),
        "consent": True,
    }
    citizen_request, _created = request_submit(
        request_type=request_type,
        data=data,
        channel=channel,
        language="en" if rng.random() < 0.15 else "fr",
        submission_token=f"{DEMO_TOKEN_PREFIX}{index:05d}",
        created_by=None if channel == Channel.WEB else agent,
    )
    target = request_type.target_business_days
    citizen_request.submitted_at = citizen_request.department_since = submitted
    citizen_request.consent_at = citizen_request.status_changed_at = submitted
    citizen_request.expected_on = add_business_days(submitted_on, target)
    citizen_request.save(
        update_fields=["submitted_at", "department_since", "consent_at", "status_changed_at", "expected_on"]
    )
    timeline = _Timeline(citizen_request, agent, stamps)

    def day(business_days):
        return add_business_days(submitted_on, business_days)

    # Most are resolved on time; about one in six is late; about one in ten waits for the citizen.
    late = rng.random() < 0.17
    resolve_after = (
        target + rng.randint(1, max(2, target)) if late else rng.randint(max(1, target // 3), target)
    )
    waits = rng.random() < (0.3 if recent else 0.12)
    answers = waits and rng.random() < 0.75
    if day(1) >= today:  # submitted today or yesterday: nobody has touched it yet
        return timeline
    timeline.assign(_at(day(1), rng))
    timeline.status(Status.RECEIVED, _at(day(1), rng))
    if day(2) >= today:
        return timeline
    timeline.status(Status.IN_PROGRESS, _at(day(2), rng), public=False)
    if waits and day(3) < today:
        timeline.status(
            Status.WAITING,
            _at(day(3), rng),
            note="Pouvez-vous préciser l'endroit exact? Une photo nous aiderait.",
        )
        if not answers:
            if day(15) < today:  # no answer after three weeks: the file is closed
                timeline.status(
                    Status.CLOSED,
                    _at(day(15), rng),
                    note="Sans nouvelles de votre part, nous fermons la demande.",
                )
            return timeline
        if day(5) >= today:
            return timeline
        resolve_after = max(resolve_after, 6)
        timeline.citizen_info("C'est devant le numéro civique indiqué, côté nord.", _at(day(5), rng))
    if day(resolve_after) >= today:
        return timeline  # still open
    if late:
        missed = citizen_request.expected_on + datetime.timedelta(days=1)
        timeline.late_notice(missed, _at(missed, rng))
    resolved = _at(day(resolve_after), rng)
    timeline.status(Status.RESOLVED, resolved, note="Le travail est terminé. Merci de votre signalement.")
    if (today - day(resolve_after)).days > 30 and rng.random() < 0.5:
        timeline.status(Status.CLOSED, resolved + datetime.timedelta(days=30), public=False)
    return timeline


def demo_history_create(count: int = 300, *, seed: int = DEMO_SEED, progress: bool = False) -> int:
    """Creates `count` demo requests over the last 12 months (none if demo requests exist);
    returns how many were created. Deterministic for a given seed and day."""
    if demo_requests().exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - a reproducible demo, not a secret
    types = list(
        RequestType.objects.in_default_locale().filter(slug__in=SUBJECTS, is_active=True).order_by("slug")
    )
    if not types:
        return 0
    today = timezone.localdate()
    stamps: dict[int, datetime.datetime] = {}
    with transaction.atomic():
        agents = _agents()
        timelines = [
            _one_request(index, rng, types, agents, today, stamps)
            for index in tqdm(range(count), desc="Demo requests", unit="request", disable=not progress)
        ]
        _backdate(timelines, stamps)
        _surveys(timelines, rng, today)
        _escalations(timelines, rng, agents[0])
        _outbox_settle([t.request.pk for t in timelines])
    for request_type in types:
        typical_delay_refresh(request_type)
    return len(timelines)


def _backdate(timelines, stamps) -> None:
    """Puts every timestamp where the story says."""
    requests = []
    for timeline in timelines:
        timeline.request.status_changed_at = timeline.status_changed_at
        timeline.request.resolved_at = timeline.resolved_at
        requests.append(timeline.request)
    CitizenRequest.objects.bulk_update(requests, ["status_changed_at", "resolved_at"], batch_size=200)
    events = list(RequestEvent.objects.filter(pk__in=stamps).only("pk"))
    for event in events:
        event.created_at = stamps[event.pk]
    RequestEvent.objects.bulk_update(events, ["created_at"], batch_size=200)
    submitted_at = CitizenRequest.objects.filter(pk=OuterRef("request_id")).values("submitted_at")[:1]
    RequestEvent.objects.filter(
        kind=RequestEvent.Kind.CREATED, request_id__in=[r.pk for r in requests]
    ).update(created_at=Subquery(submitted_at))


# Citizens who answered the survey: most are satisfied; a few, unhappy with a recent answer, reopen.
SURVEY_COMMENTS = ["", "", "", "Merci, service rapide.", "Réponse claire.", "Un peu long, mais réglé."]
REOPEN_REASONS = ["Le problème est revenu après deux jours.", "Le travail n'a été fait qu'à moitié."]


def _surveys(timelines, rng, today) -> None:
    resolved = [t.request for t in timelines if t.request.resolved_at is not None]
    answers, reopen = [], []
    for citizen_request in resolved:
        if rng.random() > 0.45:
            continue
        recent = (today - timezone.localdate(citizen_request.resolved_at)).days < 20
        unhappy = (
            recent and citizen_request.status == Status.RESOLVED and len(reopen) < 6 and rng.random() < 0.3
        )
        good = rng.random() < 0.8 and not unhappy
        answers.append(
            SurveyAnswer(
                request=citizen_request,
                resolved=SurveyAnswer.Resolved.YES if good else rng.choice(["partly", "no"]),
                delay_score=rng.randint(3, 5) if good else rng.randint(1, 3),
                clarity_score=rng.randint(4, 5) if good else rng.randint(2, 4),
                courtesy_score=rng.randint(4, 5) if good else rng.randint(3, 5),
                comment=rng.choice(SURVEY_COMMENTS),
                asked_reopen=unhappy,
                language=citizen_request.language,
                answered_at=citizen_request.resolved_at + datetime.timedelta(days=rng.randint(0, 3)),
            )
        )
        if unhappy:
            reopen.append(citizen_request)
    SurveyAnswer.objects.bulk_create(answers)
    for citizen_request in reopen:
        request_reopen(citizen_request=citizen_request, reason=rng.choice(REOPEN_REASONS), source="survey")


ESCALATION_REASONS = [
    "On m'a répondu que c'était réglé, mais rien n'a changé dans ma rue.",
    "La réponse ne tient pas compte de ce que j'avais expliqué.",
]


def _escalations(timelines, rng, ombudsman) -> None:
    """A few dissatisfied citizens take their request to the ombudsman; one review is concluded."""
    eligible = [t.request for t in timelines if escalation_eligibility(t.request)[0]]
    for number, citizen_request in enumerate(rng.sample(eligible, min(3, len(eligible)))):
        escalation = escalation_submit(
            citizen_request=citizen_request,
            reason=rng.choice(ESCALATION_REASONS),
            expectation="Que quelqu'un revienne voir sur place.",
        )
        if number == 0:
            escalation_conclude(
                escalation=escalation,
                conclusion="Après examen, la direction reprendra les travaux d'ici deux semaines.",
                actor=ombudsman,
            )


def _outbox_settle(request_ids: list[int]) -> None:
    """The demo's e-mails are marked as sent (never sent). By ids: on PostgreSQL, a join on rows
    inserted in this same transaction (no statistics yet) was planned as a nested loop of minutes."""
    OutgoingEmail.objects.filter(request_id__in=request_ids).update(
        state=OutgoingEmail.State.SENT, sent_at=timezone.now(), last_error=""
    )
