import pytest

from wagtail.models import Locale

from home.setup import portal_tree_setup
from knowledge.models import AnswerPage, ServicePage
from tests.factories import entry_line, import_lines


@pytest.fixture
def portal(db):
    """The page tree of a fresh portal: a home page in French and in English."""
    return portal_tree_setup(hostname="testserver", port=80)


@pytest.fixture
def locales(portal):
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def answer_pair(portal):
    """A published French answer and its English translation."""
    report = import_lines(
        entry_line(
            source_id="col-1-fr",
            title="Quand a lieu la collecte des ordures?",
            summary="Le mardi, toutes les deux semaines.",
            keywords=["vidanges", "poubelles"],
        ),
        entry_line(
            source_id="col-1-en",
            language="en",
            translation_of="col-1-fr",
            topic="Waste collection",
            department="Environment Department",
            title="When is garbage collected?",
            summary="On Tuesdays, every two weeks.",
        ),
    )
    assert report.ok, report.errors
    return AnswerPage.objects.get(source_id="col-1-fr"), AnswerPage.objects.get(source_id="col-1-en")


@pytest.fixture
def service_page(portal):
    report = import_lines(
        entry_line(
            source_id="svc-1-fr",
            kind="service",
            topic="Permis",
            title="Permis de piscine",
            summary="Un permis est requis pour installer une piscine.",
            service={
                "target_days": 10,
                "fee": "50 $",
                "how_to": "1. Remplir le formulaire\n2. Payer",
                "request_type": "question",
            },
        )
    )
    assert report.ok, report.errors
    return ServicePage.objects.get(source_id="svc-1-fr")
