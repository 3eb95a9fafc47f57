"""The site cache: whole public pages for anonymous readers, dropped on every publish.

A reader without cookies gets the same bytes as every other reader, so the rendered response is
kept in the cache under a key that includes the public-content version (see signals.py): a publish,
unpublish or deletion anywhere makes every cached page stale at once. Editors (who carry a session
cookie), the admin, non-GET requests and responses that set cookies are never cached.

Two readers of the same cache entries:
- `PublicPageCacheMiddleware`, first in MIDDLEWARE, renders misses and stores them with the headers
  every other middleware added (security headers included), and answers hits inside Django (the
  test client, `runserver`);
- `PageCacheApp`, a WSGI wrapper around Django (rightsdesk/wsgi.py), answers hits before Django
  runs at all: under gunicorn a hit is one version read on a kept-open database connection and one
  cache lookup, a few microseconds of Python instead of the whole middleware stack.
Both build the key from the WSGI environ with the same function, so they find the same entries.
"""

import contextlib
from http import HTTPStatus

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from wagtail.models import Site

from .signals import begin_request, public_version, shared_public_version

SKIP_PREFIXES = ("/admin/", "/documents/", "/media/", "/static/")
# Headers never replayed from a cached entry (X-Cache is set per answer).
_NOT_STORED = {"set-cookie", "x-cache"}


def hot_cache():
    """The per-process cache of fragments and pages (keys carry the public version)."""
    return caches["rightsdesk"]


def hold_entries(entries):
    """Keep at least `entries` values in the hot cache until the block ends (see HotCache.hold;
    nothing to do for a cache that does not count its entries)."""
    cache = hot_cache()
    return cache.hold(entries) if hasattr(cache, "hold") else contextlib.nullcontext()


def versioned(key, compute):
    """`compute()`, kept in the hot cache until the public content next changes."""
    full_key = f"rightsdesk:{key}:{public_version()}"
    value = hot_cache().get(full_key)
    if value is None:
        value = compute()
        hot_cache().set(full_key, value)
    return value


def attach_site(request, site):
    """Give a request the site itself makes (the bake's) its Site and the sites' root paths, kept
    until the next publish: what Wagtail would otherwise look up on every request. The one place,
    with remember_site(), that fills Wagtail's per-request caches."""
    request._wagtail_site = site
    request._wagtail_cached_site_root_paths = versioned("site-root-paths", Site.get_site_root_paths)


def remember_site(request):
    """Wagtail looks the Site up with a query on every request; keep it per host and version,
    with its root page as its own class (a front page's `localized` is then ours, see
    HomePage.localized)."""

    def find():
        site = Site.find_for_request(request)
        if site is not None and site.root_page_id is not None:
            site.root_page = site.root_page.specific
        return site

    request._wagtail_site = versioned(f"site:{request._get_raw_host()}", find)


def cache_seconds():
    return getattr(settings, "RIGHTSDESK_PAGE_CACHE_SECONDS", 0)


def cacheable(environ):
    """Whether this request may be answered from (and stored in) the site cache: an anonymous
    GET/HEAD of a public page. Any cookie or credential at all makes it personal."""
    return (
        not environ.get("rightsdesk.bake")  # the mirror's variant of a page (mirror/bake.py)
        and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        and not environ.get("HTTP_COOKIE")
        and not environ.get("HTTP_AUTHORIZATION")
        and not (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "/")).startswith(SKIP_PREFIXES)
    )


def page_key(environ, version):
    """The cache key of a request: version, scheme (as Django sees it behind the proxy), host as
    sent, path and query. Only 200 answers are stored, and Django validates the host and redirects
    to https before producing one, so an entry exists only for a host and scheme Django accepted."""
    scheme = environ.get("wsgi.url_scheme", "http")
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:
        header, secure_value = proxy_header
        value = environ.get(header)
        if value is not None:
            scheme = "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "/")
    query = environ.get("QUERY_STRING", "")
    return f"rightsdesk:page:{version}:{scheme}://{host}{path}?{query}"


class PublicPageCacheMiddleware:
    """First in MIDDLEWARE, so what it stores carries every header the stack adds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        begin_request()
        if not request.path.startswith("/admin/"):
            remember_site(request)
        seconds = cache_seconds()
        if not (seconds > 0 and cacheable(request.META)):
            return self.get_response(request)
        key = page_key(request.META, public_version())
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
            headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_STORED]
            cache.set(key, (response.status_code, headers, response.content), seconds)
            response["X-Cache"] = "miss"
        return response


class PageCacheApp:
    """WSGI wrapper: answers site-cache hits before Django's request handling starts.

    The public version is still read from the database on every request (so a publish in any
    process is seen by the next request in every worker), but on a connection this thread keeps
    open (signals.shared_public_version), not a new one per request. Anything else (a miss, an
    editor, the admin, a failed version read) goes to Django unchanged.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        seconds = cache_seconds()
        if seconds > 0 and cacheable(environ):
            version = shared_public_version()
            if version is not None:
                hit = hot_cache().get(page_key(environ, version))
                if hit is not None:
                    status, headers, content = hit
                    start_response(_STATUS.get(status) or _status_line(status), [*headers, ("X-Cache", "hit")])
                    return [content]
        return self.app(environ, start_response)


_STATUS = {200: "200 OK"}


def _status_line(status):
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"
