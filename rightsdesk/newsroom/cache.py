"""The site cache: whole public pages for anonymous readers, dropped on every publish.

A reader without cookies gets the same bytes as every other reader, so the rendered response is
kept in the cache under a key that includes the public-content version (see signals.py): a publish,
unpublish or deletion anywhere makes every cached page stale at once. Editors (who carry a session
cookie), the admin, non-GET requests and responses that set cookies are never cached.
"""

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from wagtail.models import Site

from .signals import begin_request, public_version

SKIP_PREFIXES = ("/admin/", "/documents/", "/media/", "/static/")


def hot_cache():
    """The per-process cache of fragments and pages (keys carry the public version)."""
    return caches["rightsdesk"]


def versioned(key, compute):
    """`compute()`, kept in the hot cache until the public content next changes."""
    full_key = f"rightsdesk:{key}:{public_version()}"
    value = hot_cache().get(full_key)
    if value is None:
        value = compute()
        hot_cache().set(full_key, value)
    return value


def remember_site(request):
    """Wagtail looks the Site up with a query on every request; keep it per host and version."""
    request._wagtail_site = versioned(f"site:{request._get_raw_host()}", lambda: Site.find_for_request(request))


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def _key(self, request):
        return f"rightsdesk:page:{public_version()}:{request.get_host()}:{request.get_full_path()}"

    def __call__(self, request):
        begin_request()
        if not request.path.startswith("/admin/"):
            remember_site(request)
        seconds = getattr(settings, "RIGHTSDESK_PAGE_CACHE_SECONDS", 0)
        cacheable = (
            seconds > 0
            and not request.META.get("rightsdesk.bake")  # the mirror's variant of a page (mirror/bake.py)
            and request.method in ("GET", "HEAD")
            and not request.COOKIES
            and not request.path.startswith(SKIP_PREFIXES)
        )
        if not cacheable:
            return self.get_response(request)
        key = self._key(request)
        cache = hot_cache()
        hit = cache.get(key)
        if hit is not None:
            status, headers, content = hit
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and "private" not in response.get("Cache-Control", "")
        ):
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            headers = [(k, v) for k, v in response.items() if k.lower() not in ("set-cookie", "x-cache")]
            cache.set(key, (response.status_code, headers, response.content), seconds)
            response["X-Cache"] = "miss"
        return response
