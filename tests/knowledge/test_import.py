import json

import pytest

from django.core.management import CommandError, call_command

from wagtail.models import Locale, Page

from knowledge.importer import find_page
from knowledge.models import AnswerPage, Department, ServicePage, TopicPage
from tests.factories import entry_line, import_lines

pytestmark = pytest.mark.django_db


# The suite's `answer_pair` and `service_page` come from factories; here the importer builds them.
@pytest.fixture
def answer_pair(portal):
    """A French answer and its English translation, imported."""
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


def test_import_creates_pages_in_their_locale_and_links_translations(answer_pair):
    french, english = answer_pair
    assert french.locale.language_code == "fr" and english.locale.language_code == "en"
    assert english.translation_key == french.translation_key
    assert french.get_parent().title == "Collectes"
    assert english.get_parent().title == "Waste collection"
    assert english.get_parent().translation_key == french.get_parent().translation_key
    assert english.department.translation_key == french.department.translation_key
    assert french.live and french.keyword_list == ["vidanges", "poubelles"]


def test_markdown_becomes_rich_text(answer_pair):
    french, _english = answer_pair
    html = french.body[0].value.source
    assert "<ul>" in html and "<li>un point</li>" in html


def test_reimport_updates_in_place_without_duplicates(portal):
    line = entry_line(source_id="same-fr", title="Première version?")
    assert import_lines(line).created == 1
    unchanged = import_lines(line)
    assert unchanged.unchanged == 1 and unchanged.created == 0
    changed = import_lines(entry_line(source_id="same-fr", title="Deuxième version?"))
    assert changed.updated == 1
    assert AnswerPage.objects.filter(source_id="same-fr").count() == 1
    assert AnswerPage.objects.get(source_id="same-fr").title == "Deuxième version?"


def test_reimport_moves_a_page_to_its_new_topic(portal):
    import_lines(entry_line(source_id="move-fr", topic="Ancien sujet"))
    import_lines(entry_line(source_id="move-fr", topic="Nouveau sujet"))
    assert AnswerPage.objects.get(source_id="move-fr").get_parent().title == "Nouveau sujet"


def test_bad_lines_are_reported_with_their_number_and_others_imported(portal):
    lines = [
        entry_line(source_id="ok-1-fr"),
        "{not json",
        entry_line(source_id="bad-kind", kind="poem"),
        entry_line(source_id="no-title", title=None),
        entry_line(source_id="orphan-en", language="en", translation_of="missing-fr"),
        entry_line(source_id="ok-2-fr"),
    ]
    report = import_lines(*lines)
    assert report.created == 2
    assert [number for number, _message in report.errors] == [2, 3, 4, 5]
    assert "title" in dict(report.errors)[4]


def test_translation_before_its_original_in_the_file_still_links(portal):
    report = import_lines(
        entry_line(source_id="late-en", language="en", translation_of="late-fr", topic="Parks"),
        entry_line(source_id="late-fr", topic="Parcs"),
    )
    assert report.ok, report.errors
    assert (
        AnswerPage.objects.get(source_id="late-en").translation_key
        == AnswerPage.objects.get(source_id="late-fr").translation_key
    )


def test_service_fields(service_page):
    assert service_page.target_days == 10
    assert service_page.fees == "50 $"
    assert "<ol>" in service_page.how_to
    assert service_page.request_type == "question"


def test_drafts_without_publish(portal):
    import_lines(entry_line(source_id="draft-fr"), publish=False)
    page = AnswerPage.objects.get(source_id="draft-fr")
    assert not page.live


def test_scripts_are_stripped_from_markdown(portal):
    import_lines(
        entry_line(source_id="xss-fr", body="Bonjour <script>alert(1)</script> [lien](javascript:alert(1))")
    )
    html = AnswerPage.objects.get(source_id="xss-fr").body[0].value.source
    assert "<script>" not in html and "javascript:" not in html


def test_bold_tool_name_without_a_link_is_a_warning_not_an_error(portal, tmp_path, capsys):
    lines = [
        entry_line(source_id="warn-1-fr", body="Utilisez l'outil **Mon calendrier de collectes** en ligne."),
        entry_line(
            source_id="warn-2-fr",
            body="Voyez **[Mon dossier](/fr/suivi/)** et les bacs **aux deux semaines**.",
        ),
    ]
    report = import_lines(*lines)
    assert report.ok and report.created == 2
    assert [number for number, _message in report.warnings] == [1]
    assert "Mon calendrier de collectes" in report.warnings[0][1]
    path = tmp_path / "content.jsonl"
    path.write_text(lines[0].replace("warn-1-fr", "warn-3-fr") + "\n", encoding="utf-8")
    call_command("import_content", str(path))
    assert "line 1: warning" in capsys.readouterr().err


def test_command_exits_non_zero_when_a_line_fails(portal, tmp_path, capsys):
    path = tmp_path / "content.jsonl"
    path.write_text(entry_line(source_id="cmd-fr") + "\n" + "[]\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_content", str(path), "--publish")
    assert "line 2" in capsys.readouterr().err
    assert AnswerPage.objects.filter(source_id="cmd-fr", live=True).exists()


def test_command_imports_the_demo_content_with_its_translations(portal, settings):
    from pathlib import Path

    demo = Path(settings.BASE_DIR) / "knowledge" / "demo" / "demo-content.jsonl"
    entries = [json.loads(line) for line in demo.read_text(encoding="utf-8").splitlines() if line.strip()]
    call_command("import_content", str(demo), "--publish")
    assert AnswerPage.objects.live().count() + ServicePage.objects.live().count() == len(entries)
    for data in entries:
        if "translation_of" not in data:
            continue
        page = Page.objects.get(pk=find_page(data["source_id"], Locale.objects.get(language_code="en")).pk)
        original = find_page(data["translation_of"], Locale.objects.get(language_code="fr"))
        assert page.translation_key == original.translation_key
        assert page.get_parent().translation_key == original.get_parent().translation_key
    assert (
        TopicPage.objects.filter(locale__language_code="fr").count()
        == TopicPage.objects.filter(locale__language_code="en").count()
    )
    assert Department.objects.exists()
