from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from rightsdesk.newsroom import views as newsroom_views
from rightsdesk.newsroom.sitemaps import sitemap_xml
from rightsdesk.cases import routes as cases_routes
from rightsdesk.related import views as related_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("robots.txt", newsroom_views.robots_txt, name="robots_txt"),
]

if settings.DEBUG or getattr(settings, "RIGHTSDESK_SERVE_MEDIA", False):
    urlpatterns += newsroom_views.media_urlpatterns()

# English at /, Persian at /fa/: each language has its own page tree (Wagtail i18n).
urlpatterns += i18n_patterns(
    path("recommendations.json", related_views.recommendations, name="recommendations"),
    *cases_routes.csv_urlpatterns(),  # cases desk: each statistics chart's CSV download
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
