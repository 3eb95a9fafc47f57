"""Small views outside the page tree: robots.txt and media serving for single-host set-ups."""

import re

from django.conf import settings
from django.http import HttpResponse
from django.urls import re_path
from django.views.decorators.cache import cache_control
from django.views.static import serve


@cache_control(public=True, max_age=3600)
def robots_txt(request):
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /*/search/",
        "Disallow: /search/",
        "",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def media_urlpatterns():
    """Serve uploaded media and image renditions from Django (demo, or `rightsdesk serve` on one host).

    In production behind nginx the media folder is served by nginx instead (see deploy/).
    """
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    return [
        re_path(
            rf"^{prefix}(?P<path>.*)$",
            cache_control(public=True, max_age=86400)(serve),
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
