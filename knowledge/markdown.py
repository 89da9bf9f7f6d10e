"""Markdown from a spreadsheet or an old site → safe rich text for Wagtail (sanitised by nh3)."""

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "b", "em", "i", "h2", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_PROTOCOLS = {"http", "https", "mailto", "tel"}


def markdown_to_rich_text(text: str) -> str:
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    # A page has one <h1> (its title): imported headings start at <h2>.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_PROTOCOLS, link_rel=None
    ).strip()


def first_sentence(text: str, limit: int = 300) -> str:
    """A fallback short answer when an entry has no summary."""
    plain = " ".join(nh3.clean(markdown_lib.markdown(text or ""), tags=set()).split())
    for end in (". ", "? ", "! "):
        if end in plain[:limit]:
            return plain[: plain.index(end, 0, limit) + 1]
    return plain[:limit]
