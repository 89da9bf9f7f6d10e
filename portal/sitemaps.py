"""One sitemap per language, listed in a sitemap index at /sitemap.xml."""

from django.conf import settings

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale


class LanguageSitemap(Sitemap):
    """Live, public pages of one locale's tree."""

    def __init__(self, language_code: str, request=None):
        super().__init__(request)
        self.language_code = language_code

    def items(self):
        site = self.get_wagtail_site()
        locale = Locale.objects.filter(language_code=self.language_code).first()
        if locale is None:
            return []
        root = site.root_page.get_translation_or_none(locale)
        if root is None:
            return []
        return (
            root.get_descendants(inclusive=True)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


def sitemaps_by_language() -> dict[str, type]:
    def factory(code):
        class _Sitemap(LanguageSitemap):
            def __init__(self, request=None):
                super().__init__(code, request)

        return _Sitemap

    return {code: factory(code) for code, _name in settings.LANGUAGES}
