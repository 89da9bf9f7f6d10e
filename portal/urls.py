from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import index as sitemap_index
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView
from django.views.i18n import JavaScriptCatalog

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from knowledge import views as knowledge_views
from search.api import api as search_api

from .sitemaps import sitemaps_by_language

# In the site's layout and the language of the URL (Django's own has neither).
handler400 = "portal.views.bad_request"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/alerts/", knowledge_views.alerts_json, name="alerts_json"),  # for the agents' screen, apps
    path("api/", search_api.urls),
    path("open311/", include("forms.open311.urls")),  # GeoReport v2, not language-prefixed
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": sitemaps_by_language(), "sitemap_url_name": "sitemap_language"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": sitemaps_by_language()},
        name="sitemap_language",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    # The JavaScript's strings, from the same catalogues as the rest (domain djangojs), per language.
    path(
        "jsi18n/",
        cache_control(public=True, max_age=3600)(
            JavaScriptCatalog.as_view(packages=["portal", "knowledge", "forms"])  # every app's scripts
        ),
        name="javascript_catalog",
    ),
    path("", include("knowledge.urls")),
    path("", include("search.urls")),
    path("", include("forms.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
