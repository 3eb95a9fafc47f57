"""Small views outside the page tree: robots.txt and media serving for single-host set-ups."""

import posixpath
import re

from django.conf import settings
from django.http import Http404, HttpResponse
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


# Wagtail's folders of images (originals and renditions) below MEDIA_ROOT: the only uploads that
# are served as files. Documents (MEDIA_ROOT/documents/) may belong to a private collection: they
# are served only by Wagtail's document view (/documents/<id>/<name>), which checks the collection's
# view restrictions; their files are never served at /media/ (here or by deploy/'s nginx).
PUBLIC_MEDIA_FOLDERS = ("images", "original_images")


@cache_control(public=True, max_age=86400)
def public_media(request, path):
    """An uploaded image or rendition (a file of PUBLIC_MEDIA_FOLDERS), or 404."""
    clean = posixpath.normpath(path).lstrip("/")  # "images/../documents/x.pdf" is documents/x.pdf
    if clean.split("/", 1)[0] not in PUBLIC_MEDIA_FOLDERS or clean.startswith(".."):
        raise Http404("Not an image.")
    return serve(request, clean, document_root=settings.MEDIA_ROOT)


def media_urlpatterns():
    """Serve uploaded images and their renditions from Django (demo, or `rightsdesk serve` on one host).

    Only the folders of PUBLIC_MEDIA_FOLDERS: any other address below /media/ is not found. In
    production behind nginx the image folders are served by nginx instead (see deploy/).
    """
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    return [re_path(rf"^{prefix}(?P<path>.*)$", public_media)]
