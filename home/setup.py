"""Puts the portal's page tree in place: one home page per language under the site."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import Locale, Page, Site

from .models import HomePage

HOME_HEADINGS = {"fr": "Comment pouvons-nous vous aider?", "en": "How can we help you?"}
HOME_INTROS = {
    "fr": "Trouvez une réponse en quelques secondes ou faites une demande au Centre de service aux citoyens.",
    "en": "Find an answer in seconds or send a request to the Citizen Service Centre.",
}
HOME_TITLES = {"fr": "Accueil", "en": "Home"}


@transaction.atomic
def portal_tree_setup(*, hostname: str = "localhost", port: int = 80) -> HomePage:
    """Idempotent: creates locales, the French home page as the site root and its translations."""
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES
    }
    default = locales[settings.LANGUAGE_CODE]
    home = HomePage.objects.filter(locale=default, depth=2).first()
    if home is None:
        # A transactional test flushes Wagtail's initial tree: recreate its root then.
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(
                title="Root",
                slug="root",
                locale=default,
                content_type=ContentType.objects.get_for_model(Page),
            )
        )
        # Wagtail's migration leaves a "Welcome" placeholder; the portal's home replaces it.
        for placeholder in Page.objects.filter(depth=2).exclude(content_type__model="homepage"):
            if not placeholder.get_children().exists():
                placeholder.delete()
        home = HomePage(
            title=HOME_TITLES["fr"],
            slug="accueil",
            locale=default,
            heading=HOME_HEADINGS["fr"],
            intro=HOME_INTROS["fr"],
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True, site_name="Portail citoyen")
    site.hostname, site.port, site.root_page = hostname, port, home
    site.save()
    for code, locale in locales.items():
        if code == settings.LANGUAGE_CODE or home.get_translation_or_none(locale):
            continue
        translated = home.copy_for_translation(locale)
        translated.title = HOME_TITLES.get(code, translated.title)
        translated.slug = f"home-{code}" if code != "en" else "home"
        translated.heading = HOME_HEADINGS.get(code, translated.heading)
        translated.intro = HOME_INTROS.get(code, translated.intro)
        translated.save_revision().publish()
    return home
