"""« Nos délais »: figures only on 20 requests or more, no personal data, a public cacheable page."""

import re
from datetime import datetime, time, timedelta

import pytest

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from forms.dashboard.public import MINIMUM
from forms.models import CitizenRequest, RequestType, Status, SurveyAnswer
from forms.services import request_change_status, request_submit
from portal.business_days import add_business_days
from tests.forms.conftest import VALID_DATA

pytestmark = pytest.mark.django_db


def delays_url(language="fr") -> str:
    with translation.override(language):
        return reverse("requests:delays")


def resolved_requests(slug, count, *, business_days, survey=0):
    """`count` requests of `slug` resolved `business_days` after submission, `survey` of them rated."""
    request_type = RequestType.objects.get(slug=slug)
    today = timezone.localdate()
    made = []
    for index in range(count):
        citizen_request, _ = request_submit(
            request_type=request_type,
            data={
                **VALID_DATA,
                "subject": f"Demande {slug} numéro {index}",
                "name": f"Citoyen Secret{index}",
            },
        )
        request_change_status(
            citizen_request=citizen_request, status=Status.RESOLVED, actor=None, note="Fait."
        )
        submitted_day = today - timedelta(days=60 + index)
        submitted = timezone.make_aware(datetime.combine(submitted_day, time(10)))
        resolved = submitted + (add_business_days(submitted_day, business_days) - submitted_day)
        CitizenRequest.objects.filter(pk=citizen_request.pk).update(
            submitted_at=submitted, resolved_at=resolved
        )
        if index < survey:
            SurveyAnswer.objects.create(
                request=citizen_request,
                resolved="yes" if index % 4 else "no",
                delay_score=4,
                clarity_score=4,
                courtesy_score=5,
            )
        made.append(citizen_request)
    cache.clear()
    return made


def type_row(html: str, label: str) -> str:
    match = re.search(
        r"<tr>\s*<th scope=\"row\"><a [^>]*>" + re.escape(label) + r"</a></th>(.*?)</tr>", html, re.S
    )
    assert match, label
    return " ".join(match.group(1).split())


def test_figures_appear_from_20_resolved_requests(client, portal):
    resolved_requests("nid-de-poule", MINIMUM, business_days=3, survey=MINIMUM)
    resolved_requests("lampadaire", MINIMUM - 1, business_days=2, survey=MINIMUM - 1)
    page = client.get(delays_url())
    assert page.status_code == 200
    pothole = type_row(page.text, RequestType.objects.in_default_locale().get(slug="nid-de-poule").label)
    assert "3 jours ouvrables" in pothole or "3 business days" in pothole
    assert "100 %" in pothole  # on time: 3 business days within a target of 5
    assert "75 %" in pothole  # 15 of 20 said it was resolved
    assert "4,3/5" in pothole or "4.3/5" in pothole
    light = type_row(page.text, RequestType.objects.in_default_locale().get(slug="lampadaire").label)
    assert light.count("Pas encore assez de données") == 2 or light.count("Not enough data yet") == 2
    assert "19" in light  # how many were resolved is said, not the delay


def test_no_personal_data_on_the_page(client, portal):
    made = resolved_requests("nid-de-poule", MINIMUM, business_days=1)
    page = client.get(delays_url()).text
    for citizen_request in made[:3]:
        assert citizen_request.reference not in page
        assert citizen_request.subject not in page
    assert "Secret" not in page and VALID_DATA["email"] not in page and VALID_DATA["address"] not in page


def test_cache_headers_for_visitors_and_staff(client, portal, django_user_model):
    resolved_requests("nid-de-poule", MINIMUM, business_days=1)
    for language in ("fr", "en"):
        response = client.get(delays_url(language))
        assert response.status_code == 200
        assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
        assert not response.cookies
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-secret-123")
    client.force_login(admin)
    private = client.get(delays_url())
    assert "private" in private["Cache-Control"] and "public" not in private["Cache-Control"]


def test_linked_from_the_footer_and_the_request_forms(client, portal):
    url = delays_url()
    assert f'href="{url}"' in client.get(reverse("requests:start")).text
    assert f'href="{url}"' in client.get(reverse("requests:form", args=["nid-de-poule"])).text


def test_other_methods_are_refused(client, portal):
    assert client.post(delays_url()).status_code == 405
