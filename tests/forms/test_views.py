import re
from datetime import timedelta

import pytest

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forms.defaults import install_default_request_types
from forms.models import Attachment, CitizenRequest, Status, SuggestionEvent
from forms.references import generate_reference
from forms.services import reference_from_status_token, request_change_status, request_submit, status_token

from .conftest import VALID_DATA, png_upload

FORM_URL = "/fr/demande/nid-de-poule/"


def describe(client, url=FORM_URL, subject="Nid-de-poule rue Principale", **fields):
    """Step 1, as the browser sends it: a POST without CSRF token."""
    return client.post(url, {"step": "describe", "subject": subject, **fields})


def form_token(client, url=FORM_URL, subject="Nid-de-poule rue Principale"):
    page = describe(client, url, subject)
    assert page.status_code == 200
    return re.search(r'name="submission_token" value="([^"]+)"', page.text).group(1)


def post_data(token, **overrides):
    data = {**VALID_DATA, "consent": "on", "submission_token": token, "website": ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_start_page_lists_types_in_french_and_english(client, portal):
    install_default_request_types()  # their English translations, now that the locale exists
    french = client.get("/fr/demande/")
    assert french.status_code == 200 and "Nid-de-poule" in french.text and "Plainte" in french.text
    english = client.get("/en/request/")
    assert english.status_code == 200 and "Pothole" in english.text and "Complaint" in english.text


@pytest.mark.django_db
def test_step_one_then_form_with_only_the_needed_fields(client, portal):
    step_one = client.get(FORM_URL)
    assert (
        step_one.status_code == 200
        and 'name="subject"' in step_one.text
        and 'name="email"' not in step_one.text
    )
    form = describe(client, FORM_URL, "Un trou")
    assert 'name="address"' in form.text and 'name="email"' in form.text
    question = describe(client, "/fr/demande/question/", "Une question")
    assert 'name="address"' not in question.text
    assert "Loi 25" in question.text and 'name="consent"' in question.text


@pytest.mark.django_db
def test_submit_redirects_to_confirmation_with_reference(client, portal, django_capture_on_commit_callbacks):
    token = form_token(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM_URL, post_data(token))
    assert response.status_code == 302
    citizen_request = CitizenRequest.objects.get()
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert citizen_request.reference in confirmation.text
    assert "Réponse prévue" in confirmation.text or "prévoyons" in confirmation.text
    assert "/fr/suivi/" in confirmation.text
    assert citizen_request.channel == "web" and citizen_request.language == "fr"
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Demande ")


@pytest.mark.django_db
def test_double_submit_creates_one_request(client, portal):
    token = form_token(client)
    first = client.post(FORM_URL, post_data(token))
    second = client.post(FORM_URL, post_data(token))
    assert first.status_code == second.status_code == 302
    # The same request's confirmation (its signed link may carry another second's timestamp).
    tokens = [response["Location"].rstrip("/").rsplit("/", 1)[-1] for response in (first, second)]
    references = {reference_from_status_token(token) for token in tokens}
    assert references == {CitizenRequest.objects.get().reference}


@pytest.mark.django_db
def test_invalid_form_gives_clear_french_errors(client, portal):
    token = form_token(client)
    response = client.post(FORM_URL, post_data(token, consent=None, email="", phone="", address=""))
    assert response.status_code == 400
    assert "Votre consentement est nécessaire" in response.text
    assert "Indiquez un courriel ou un numéro de téléphone" in response.text
    assert CitizenRequest.objects.count() == 0


@pytest.mark.django_db
def test_invalid_form_in_english(client, portal):
    page = describe(client, "/en/request/nid-de-poule/", "A pothole")
    token = re.search(r'name="submission_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/en/request/nid-de-poule/", post_data(token, consent=None))
    assert response.status_code == 400 and "Your consent is needed" in response.text


@pytest.mark.django_db
def test_honeypot_rejects(client, portal):
    token = form_token(client)
    response = client.post(FORM_URL, post_data(token, website="http://spam.example"))
    assert response.status_code == 400
    assert CitizenRequest.objects.count() == 0


@pytest.mark.django_db
def test_missing_token_is_a_clear_400(client, portal):
    data = post_data("x")
    del data["submission_token"]
    assert client.post(FORM_URL, data).status_code == 400


@pytest.mark.django_db
def test_unknown_type_is_404(client, portal):
    assert client.get("/fr/demande/nexiste-pas/").status_code == 404


@pytest.mark.django_db
def test_submissions_are_rate_limited_per_ip(client, portal, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "submit": (2, 3600)}
    codes = [client.post(FORM_URL, post_data(form_token(client))).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert CitizenRequest.objects.count() == 2
    other_ip = client.post(FORM_URL, post_data(form_token(client)), REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 302


@pytest.mark.django_db
def test_a_limited_form_is_shown_again_with_what_was_typed(client, portal, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "submit": (1, 3600)}
    client.post(FORM_URL, post_data(form_token(client), consent=None))  # an invalid form counts too
    limited = client.post(FORM_URL, post_data(form_token(client), description="Un trou très profond."))
    assert limited.status_code == 429
    assert "Trop de tentatives en peu de temps" in limited.text
    assert "Un trou très profond." in limited.text and VALID_DATA["email"] in limited.text
    assert 'name="csrfmiddlewaretoken"' in limited.text  # it can be sent again once the wait is over
    assert CitizenRequest.objects.count() == 0


@pytest.mark.django_db
def test_spam_and_replays_count_toward_the_limit(client, portal, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "submit": (2, 3600)}
    token = form_token(client)
    assert client.post(FORM_URL, post_data(token, website="http://spam.example")).status_code == 400
    assert client.post(FORM_URL, post_data(token)).status_code == 302
    assert client.post(FORM_URL, post_data(token)).status_code == 302  # the replay: same request
    assert client.post(FORM_URL, post_data(form_token(client))).status_code == 429
    assert CitizenRequest.objects.count() == 1


@pytest.mark.django_db
def test_step_one_posts_without_csrf_and_step_two_needs_it(portal):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    step_one = describe(browser, FORM_URL, "Trou dans la rue")
    assert step_one.status_code == 200 and 'name="csrfmiddlewaretoken"' in step_one.text
    token = re.search(r'name="submission_token" value="([^"]+)"', step_one.text).group(1)
    assert browser.post(FORM_URL, post_data(token)).status_code == 403
    assert CitizenRequest.objects.count() == 0


@pytest.mark.django_db
def test_the_citizens_words_never_travel_in_a_url(client, answer_pair):
    subject = "Marie Tremblay 418 555-0199 collecte ordures"
    page = describe(client, "/fr/demande/question/", subject)
    links = re.findall(r'(?:href|action)="([^"]*)"', page.text)
    # (the city's own tel: links hold 555 too: the citizen's number is recognised by its end)
    leaked = [link for link in links if "Tremblay" in link or "0199" in link]
    assert links and not leaked
    ignored = client.get("/fr/demande/question/", {"subject": subject})
    assert ignored.status_code == 200 and 'name="email"' not in ignored.text  # a GET is only step 1
    assert client.get("/fr/demande/suggestions/", {"q": subject}).status_code == 405


@pytest.mark.django_db
def test_attachments_are_stored_privately(client, portal, private_files, settings):
    token = form_token(client)
    response = client.post(
        FORM_URL, {**post_data(token), "attachments": [png_upload("a.png"), png_upload("b.png")]}
    )
    assert response.status_code == 302
    attachments = list(Attachment.objects.all())
    assert len(attachments) == 2
    for attachment in attachments:
        path = attachment.file.path
        assert path.startswith(str(private_files))
        assert not path.startswith(str(settings.MEDIA_ROOT))
        with pytest.raises(ValueError):
            attachment.file.url  # noqa: B018


@pytest.mark.django_db
def test_bad_attachment_is_refused_with_a_message(client, portal):
    token = form_token(client)
    fake = SimpleUploadedFile("photo.png", b"<?php echo 'hi';", content_type="image/png")
    response = client.post(FORM_URL, {**post_data(token), "attachments": [fake]})
    assert response.status_code == 400
    assert "ni une photo (JPEG, PNG, GIF, WebP)" in response.text
    assert CitizenRequest.objects.count() == 0


# --- deflection ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_check_these_answers_first_without_javascript(client, answer_pair):
    french, _english = answer_pair
    page = describe(client, "/fr/demande/question/", "collecte des ordures")
    assert "Consultez d'abord ces réponses" in page.text
    assert french.title in page.text
    assert SuggestionEvent.objects.filter(kind="shown", page=french).exists()


@pytest.mark.django_db
def test_suggestions_json_and_click_and_answered_are_logged(client, answer_pair):
    french, _english = answer_pair
    data = client.post("/fr/demande/suggestions/", {"q": "collecte ordures", "type": "question"}).json()
    assert data["results"] and data["results"][0]["title"] == french.title
    assert "collecte" not in data["results"][0]["url"]  # the citizen's words never go in a URL
    click = client.get(data["results"][0]["url"])
    assert click.status_code == 302 and click["Location"] == french.url
    assert SuggestionEvent.objects.get(kind="clicked").query == "collecte ordures"
    answered = client.post(data["results"][0]["answered_url"], {"q": "collecte ordures"})
    assert answered.status_code == 200 and "Merci" in answered.text
    kinds = set(SuggestionEvent.objects.values_list("kind", flat=True))
    assert kinds == {"shown", "clicked", "answered"}


@pytest.mark.django_db
def test_suggestions_for_an_unknown_page_is_404(client, portal):
    assert client.get("/fr/demande/suggestion/999999/").status_code == 404


@pytest.mark.django_db
def test_embedded_form_on_answer_and_service_pages(client, answer_pair, service_page):
    french, english = answer_pair
    page = client.get(french.url)
    assert "Vous n'avez pas trouvé votre réponse?" in page.text
    assert 'action="/fr/demande/question/"' in page.text
    assert "Didn't find your answer?" in client.get(english.url).text
    assert 'action="/fr/demande/question/"' in client.get(service_page.url).text


# --- status page --------------------------------------------------------------------------


@pytest.fixture
def submitted(db, portal):
    from forms.models import RequestType

    citizen_request, _ = request_submit(
        request_type=RequestType.objects.get(slug="nid-de-poule"),
        data={**VALID_DATA, "phone": "418 555-0123"},
    )
    return citizen_request


def test_status_lookup_shows_status_without_personal_data(client, submitted, admin_user):
    request_change_status(
        citizen_request=submitted, status=Status.IN_PROGRESS, actor=admin_user, note="Équipe en route."
    )
    page = client.get("/fr/suivi/", {"reference": submitted.reference.lower()})
    assert page.status_code == 200
    assert "En traitement" in page.text
    assert "Équipe en route." not in page.text  # note text: private link only (test_status_privacy.py)
    assert "Direction des travaux publics" in page.text
    assert VALID_DATA["email"] not in page.text and VALID_DATA["name"] not in page.text


def test_status_lookup_messages(client, submitted):
    reference = submitted.reference
    typo = reference[:-3] + ("A" if reference[-3] != "A" else "B") + reference[-2:]
    mistyped = client.get("/fr/suivi/", {"reference": typo})
    assert mistyped.status_code == 400 and "probablement été mal tapé" in mistyped.text
    nonsense = client.get("/fr/suivi/", {"reference": "bonjour"})
    assert nonsense.status_code == 400 and "Ce n'est pas un numéro de référence" in nonsense.text
    unknown_reference = generate_reference()
    unknown = client.get("/fr/suivi/", {"reference": unknown_reference})
    assert unknown.status_code == 404 and "Aucune demande" in unknown.text
    english = client.get("/en/status/", {"reference": typo})
    assert english.status_code == 400 and "probably mistyped" in english.text
    assert client.get("/fr/suivi/", {"reference": "x" * 500}).status_code == 400


def test_confirming_email_or_phone_shows_personal_data(client, submitted):
    wrong = client.post("/fr/suivi/", {"reference": submitted.reference, "contact": "autre@example.org"})
    assert wrong.status_code == 400 and VALID_DATA["name"] not in wrong.text
    ok = client.post(
        "/fr/suivi/", {"reference": submitted.reference, "contact": "1-418-555-0123"}, follow=True
    )
    assert ok.status_code == 200 and VALID_DATA["name"] in ok.text and VALID_DATA["email"] in ok.text


def test_private_link_shows_personal_data(client, submitted):
    page = client.get(f"/fr/suivi/{status_token(submitted)}/")
    assert page.status_code == 200 and VALID_DATA["name"] in page.text
    assert client.get("/fr/suivi/pas-un-jeton/").status_code == 404


def test_private_link_stops_showing_personal_data_after_closing(client, submitted, settings):
    settings.REQUESTS_PRIVATE_LINK_DAYS = 90
    link = f"/fr/suivi/{status_token(submitted)}/"
    CitizenRequest.objects.filter(pk=submitted.pk).update(
        status="closed", status_changed_at=timezone.now() - timedelta(days=89)
    )
    assert VALID_DATA["name"] in client.get(link).text  # closed recently: still whole
    CitizenRequest.objects.filter(pk=submitted.pk).update(
        status_changed_at=timezone.now() - timedelta(days=91)
    )
    expired = client.get(link)
    assert expired.status_code == 200 and "Ce lien privé a expiré" in expired.text
    assert VALID_DATA["name"] not in expired.text and VALID_DATA["email"] not in expired.text
    assert 'data-status="closed"' in expired.text  # the status itself stays visible
    confirmed = client.post(
        "/fr/suivi/", {"reference": submitted.reference, "contact": VALID_DATA["email"]}, follow=True
    )
    assert VALID_DATA["name"] in confirmed.text


def test_lookups_are_rate_limited(client, submitted, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "lookup": (3, 600)}
    codes = [client.get("/fr/suivi/", {"reference": submitted.reference}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/fr/suivi/", {"reference": submitted.reference})
    assert "Trop de tentatives" in limited.text and f'value="{submitted.reference}"' in limited.text


def test_verification_attempts_are_rate_limited(client, submitted, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "verify": (2, 3600)}
    codes = [
        client.post(
            "/fr/suivi/", {"reference": submitted.reference, "contact": f"x{n}@example.org"}
        ).status_code
        for n in range(3)
    ]
    assert codes == [400, 400, 429]
