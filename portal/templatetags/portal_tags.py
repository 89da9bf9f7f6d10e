"""Template helpers shared by every citizen page: languages, home link, contact hours and phones,
the footer's pages."""

import datetime

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from wagtail.models import Locale, Page, Site

from ..contact import contact_details

register = template.Library()

HREFLANG = {"fr": "fr-CA", "en": "en-CA"}


@register.simple_tag
def html_lang() -> str:
    return HREFLANG.get(translation.get_language(), "fr-CA")


def locale_home(request, language_code: str) -> Page | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    locale = Locale.objects.filter(language_code=language_code).first()
    return site.root_page.get_translation_or_none(locale) if locale else None


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One link per language: to the page's translation when it exists, else to that language's home."""
    request = context["request"]
    page = context.get("page")
    current = translation.get_language()
    translations = {}
    if isinstance(page, Page) and page.pk:
        translations = {
            other.locale.language_code: other
            for other in page.get_translations(inclusive=True).live().select_related("locale")
        }
    links = []
    for code, name in settings.LANGUAGES:
        target = translations.get(code)
        if target is not None:
            with translation.override(code):
                url = target.get_url(request=request)
        elif isinstance(page, Page):
            home = locale_home(request, code)
            url = home.get_url(request=request) if home else f"/{code}/"
        else:
            url = translate_url(request.get_full_path(), code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "hreflang": HREFLANG[code],
                "is_current": code == current,
                "is_translation": target is not None,
            }
        )
    return links


@register.simple_tag
def home_url() -> str:
    """Each language's home page is the root of its URL prefix (/fr/, /en/)."""
    return reverse("wagtail_serve", args=[""])


@register.filter
def clock(value: datetime.time) -> str:
    """7 h 30 in French, 7:30 a.m. in English."""
    if translation.get_language() == "en":
        suffix = "a.m." if value.hour < 12 else "p.m."
        hour = value.hour % 12 or 12
        return f"{hour}:{value.minute:02d} {suffix}"
    return f"{value.hour} h {value.minute:02d}" if value.minute else f"{value.hour} h"


@register.simple_tag
def contact_texts():
    """`{% contact_texts as texts %}`: the service's name and opening days in the visitor's
    language (`texts.service_name`, `texts.days`), the French ones when it has none."""
    return contact_details()


def tel_href(number: str) -> str:
    """tel:311, tel:+14185550311: what a phone dials (a 10-digit North-American number gets +1)."""
    digits = "".join(character for character in number if character.isdigit())
    if len(digits) == 10:
        digits = "1" + digits
    return f"tel:+{digits}" if len(digits) == 11 else f"tel:{digits}"


def contact_numbers(contact) -> list[str]:
    return [number for number in (contact.phone_short, contact.phone) if number]


@register.simple_tag
def contact_phones(contact) -> str:
    """« 311 ou 418 555-0311 », each number a tel: link, in the page's language."""
    numbers = contact_numbers(contact)
    links = [format_html('<a href="{}">{}</a>', tel_href(number), number) for number in numbers]
    return format_html_join(format_html(" {} ", _("or")), "{}", ((link,) for link in links))


@register.simple_tag
def contact_phones_text(contact) -> str:
    """The same in plain text (inside a sentence that is translated as a whole)."""
    return f" {_('or')} ".join(contact_numbers(contact))


@register.inclusion_tag("includes/footer_pages.html")
def footer_pages():
    """The privacy, accessibility and contact pages of the current language (`setup_portal` makes them)."""
    from home.models import InformationPage

    language = translation.get_language() or settings.LANGUAGE_CODE
    purpose = InformationPage.Purpose
    order = [purpose.CONTACT, purpose.PRIVACY, purpose.ACCESSIBILITY]
    pages = InformationPage.objects.live().filter(locale__language_code=language, purpose__in=order)
    return {"pages": sorted(pages, key=lambda page: order.index(page.purpose))}
