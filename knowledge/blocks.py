"""StreamField blocks for answers and services."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class CalloutBlock(blocks.StructBlock):
    """A highlighted note: a deadline, a warning, a tip the citizen must not miss."""

    tone = blocks.ChoiceBlock(choices=[("info", _("Information")), ("warning", _("Warning"))], default="info")
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        template = "knowledge/blocks/callout.html"
        description = _("A highlighted note the citizen must not miss")
        preview_value = {
            "tone": "warning",
            "text": "<p>Le stationnement de nuit est interdit du 15 novembre au 1er avril.</p>",
        }


class StepsBlock(blocks.StructBlock):
    """Numbered steps for a procedure ("how to")."""

    title = blocks.CharBlock(required=False, label=_("Title"))
    steps = blocks.ListBlock(blocks.RichTextBlock(features=["bold", "italic", "link"]), label=_("Steps"))

    class Meta:
        icon = "list-ol"
        template = "knowledge/blocks/steps.html"
        description = _("Numbered steps of a procedure")
        preview_value = {
            "title": "Pour faire une demande",
            "steps": ["<p>Remplissez le formulaire.</p>", "<p>Joignez vos documents.</p>"],
        }


class LinkBlock(blocks.StructBlock):
    """A link to an online tool or document, with a plain-language label."""

    label = blocks.CharBlock(label=_("Label"))
    url = blocks.URLBlock(label=_("Address (URL)"))

    class Meta:
        icon = "link"
        template = "knowledge/blocks/link.html"
        description = _("A link to an online tool or document")
        preview_value = {"label": "Mon calendrier de collecte", "url": "https://example.org/calendrier"}


class AnswerBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        label=_("Text"),
    )
    callout = CalloutBlock(label=_("Callout"))
    steps = StepsBlock(label=_("Steps"))
    link = LinkBlock(label=_("Link"))
