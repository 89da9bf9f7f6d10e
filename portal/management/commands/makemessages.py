"""`makemessages` without fuzzy matching: a changed source string becomes a new, untranslated
entry that the catalogue test reports, never a guess copied from a neighbouring string (which
`compilemessages` would skip in French and the English catalogue would carry as a wrong text)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
