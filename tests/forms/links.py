"""Private status links in pages, compared by the reference they carry.

A link is signed with a timestamp: one made by the test a second after the page differs from
the page's, so a test that compares the text of a link fails at random on a slow machine.
"""

import re

from forms.services import reference_from_status_token


def private_link_references(text: str, prefix: str, suffix: str | None = None) -> list[str]:
    """The references carried by the signed links `<prefix><token>/<suffix>` in a page or in an
    e-mail's text, up to a quote or a space (`suffix` None: whatever follows the token)."""
    rest = r'[^"\s]*' if suffix is None else re.escape(suffix)
    pattern = re.escape(prefix) + r"([\w:-]+)/" + rest + r'(?=["\s]|$)'
    found = (reference_from_status_token(token) for token in re.findall(pattern, text))
    return [reference for reference in found if reference is not None]
