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


class AddressAnswerBlock(blocks.StructBlock):
    """Answers by address: the citizen types their address, the page shows what their sector says
    (the next collections, or the snow removal's status). Works without JavaScript (a GET form,
    then a list of matching addresses); the address is never stored nor logged."""

    heading = blocks.CharBlock(label=_("Heading"), default=_("For your address"))
    answer = blocks.ChoiceBlock(
        label=_("What it answers"),
        choices=[("collection", _("Collection days")), ("snow", _("Snow removal"))],
        default="collection",
    )
    sector_kind = blocks.CharBlock(
        label=_("Registry column"),
        default="collection_sector",
        help_text=_("The sector column of the address registry, e.g. collection_sector or snow_sector."),
    )

    class Meta:
        icon = "site"
        template = "knowledge/blocks/address_answer.html"
        description = _("The answer for the citizen's address (collection days, snow removal)")
        preview_value = {
            "heading": "Votre jour de collecte",
            "answer": "collection",
            "sector_kind": "collection_sector",
        }


class AnswerBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        label=_("Text"),
    )
    callout = CalloutBlock(label=_("Callout"))
    steps = StepsBlock(label=_("Steps"))
    link = LinkBlock(label=_("Link"))
    address_answer = AddressAnswerBlock(label=_("Answer by address"))
