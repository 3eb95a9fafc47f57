"""Rendering addresses of the site as a reader's request would, through the same views, templates
and caches, and writing what they give into the folder (links made relative: links.py)."""

import contextlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.core.handlers.base import BaseHandler
from django.http import Http404, HttpResponseNotFound
from django.http.request import split_domain_port, validate_host
from django.test import RequestFactory
from django.test.utils import override_settings
from django.utils import translation
from wagtail.models import Site

from rightsdesk.facts.models import FactsSettings
from rightsdesk.newsroom import extensions, selectors
from rightsdesk.newsroom.cache import attach_site
from rightsdesk.newsroom.models import ArticlePage, BriefPage
from rightsdesk.newsroom.templatetags.newsroom_tags import kept_teasers, load_teaser_pages, teaser_keys
from rightsdesk.newsroom.views import PUBLIC_MEDIA_FOLDERS

from . import links
from .files import BakeError, write_file


@dataclass
class Result:
    url: str
    path: str | None  # the file written (relative to the folder), None when nothing was
    refers: set = field(default_factory=set)  # site addresses the file refers to
    changed: bool = False
    error: str = ""


_HANDLER = []


def handler():
    """Django's request handler with the site's middleware, loaded once per process (WhiteNoise
    reads the static files' list when it loads)."""
    if not _HANDLER:
        loaded = BaseHandler()
        # The bake asks for pages as the site's address gives them (http or https): the redirect
        # of plain http to https (production) is for readers' browsers, not for the bake.
        with override_settings(SECURE_SSL_REDIRECT=False):
            loaded.load_middleware()
        _HANDLER.append(loaded)
    return _HANDLER[0]


class Renderer:
    """Renders addresses of the site through Django in this process, as a reader's request would."""

    def __init__(self, outdir, base_url=None):
        self.outdir = Path(outdir)
        self.base_url = base_url
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        if site is None:
            raise BakeError("there is no site to bake yet: run `rightsdesk init` or `rightsdesk demo` first")
        root = urlsplit(site.root_url)
        self.origin = f"{root.scheme}://{root.netloc}"
        self.host = root.netloc
        domain = split_domain_port(self.host)[0]
        # The site's own address, as the admin's Sites setting gives it, is accepted while the
        # bake renders (see allowed()), when the settings do not list it.
        self.hosts = None if validate_host(domain, settings.ALLOWED_HOSTS) else [*settings.ALLOWED_HOSTS, domain]
        self.factory = RequestFactory(
            HTTP_HOST=self.host, **{"wsgi.url_scheme": root.scheme, "rightsdesk.bake": "1"}
        )
        self.site = site
        self.secure = root.scheme == "https"
        self.facts_settings = None
        self._routable = None
        self._tags, self._authors = {}, {}  # loaded once per renderer (see preload)
        self.teasers_warm = False  # every teaser made before the pages (warm_teasers)

    def allowed(self):
        """While rendering: the settings with the site's own host name accepted, when they do not
        list it (Django refuses a request for a host it does not know)."""
        return override_settings(ALLOWED_HOSTS=self.hosts) if self.hosts else contextlib.nullcontext()

    def fetch(self, url):
        """`url` through Django's whole request handling, as a reader's request (see handler)."""
        request = self.factory.get(url, secure=self.origin.startswith("https:"))
        response = handler().get_response(request)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        return response

    def _request(self, url):
        """A reader's GET of `url`, as the middleware would leave it for a public page."""
        request = self.factory.get(url, secure=self.secure)
        request.user = AnonymousUser()
        attach_site(request, self.site)
        if self.facts_settings is None:
            self.facts_settings = FactsSettings.for_site(self.site)
        setattr(request, FactsSettings.get_cache_attr_name(), self.facts_settings)
        return request

    def serve(self, page, url, args=(), kwargs=None):
        """A public, live page served directly, as Wagtail's view would after routing: for an
        article or brief, the bake already has the page with its tags, byline and section loaded
        for many pages at once (see preload); for a route of a front page or section (listings,
        feeds, entity pages), routed() found the view. The tree walk and the middleware are
        skipped (nothing they add is in a page's bytes)."""
        request = self._request(url)
        with translation.override(selectors.language_of(page)):
            response = page.serve(request, *args, **(kwargs or {}))
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response

    def _routables(self):
        """(address, page) of each public front page and section, longest address first."""
        if self._routable is None:
            found = []
            for home, base in selectors.public_homes():
                found.append((base, home))
                for section in selectors.language_frame(home.locale_id)["sections"]:
                    url = selectors.page_url(section)
                    if url:
                        found.append((url, section))
            self._routable = sorted(found, key=lambda item: -len(item[0]))
        return self._routable

    def routed(self, url):
        """Render `url` when it is a front page's or section's own route (a listing, feed,
        fragment, entity page...): the response, or None when Django's handler must route it."""
        if not url.endswith("/"):
            return None  # Wagtail serves only addresses that end in a slash (the rest are Django's)
        for prefix, page in self._routables():
            if url.startswith(prefix):
                break
        else:
            return None
        components = [c for c in unquote(url[len(prefix):]).split("/") if c]
        try:
            result = page.route(self._request(url), components)
        except Http404:
            return HttpResponseNotFound()
        if result.page.pk != page.pk:
            return None  # a page below it: the handler routes it
        try:
            return self.serve(page, url, result.args, result.kwargs)
        except Http404:
            return HttpResponseNotFound()

    def preload(self, page_ids):
        """The articles and briefs `page_ids`, each with what its page shows loaded in a few
        queries for all of them: {id: page}."""
        articles = list(ArticlePage.objects.live().filter(pk__in=page_ids).select_related("lead_image"))
        self._attach_bylines_and_tags(articles)
        pages = {p.pk: p for p in selectors.attach_sections(articles)}
        rest = [pk for pk in page_ids if pk not in pages]
        if rest:
            pages.update((p.pk, p) for p in selectors.attach_sections(BriefPage.objects.live().filter(pk__in=rest)))
        # What each page's frame, body, Related list and Recommended section ask for, at once:
        # translations (the language links), and what the apps show (extensions.BAKE_PRELOAD:
        # the facts desk's mentions, the stored Related ids).
        selectors.preload_translations(pages)
        extensions.bake_preload(pages)
        self.prime_teasers(pages.values())
        return pages

    def teasers(self, locale_id, ids):
        """The teasers of the articles and briefs `ids` of one language, made (and kept) where
        not kept yet: {cache key: html}."""
        lang = selectors.language_code(locale_id)
        request = self._request("/")
        with self.allowed():
            return kept_teasers(teaser_keys(ids, lang, request), lang, request, load_teaser_pages(locale_id))

    def _attach_bylines_and_tags(self, articles):
        """Each article's tags and byline from two narrow queries, each tag and author loaded
        once per renderer (see selectors.attach_bylines_and_tags)."""
        selectors.attach_bylines_and_tags(articles, self._tags, self._authors)

    def prime_teasers(self, pages):
        """Make the teasers of the Related lists of `pages` that are not kept yet, loading their
        articles in one query per language instead of one per page."""
        if self.teasers_warm:
            return
        wanted = {}
        for page in pages:
            shown = extensions.related_ids(page, settings.RIGHTSDESK_RELATED_COUNT)
            if shown:
                wanted.setdefault(page.locale_id, set()).update(shown)
        if not wanted:
            return
        for locale_id, ids in sorted(wanted.items()):
            self.teasers(locale_id, sorted(ids))

    def bake_targets(self, targets, verify=False):
        """Bake a batch of targets: pages preloaded together, other addresses one by one.
        `verify`: serve a preloaded page only if it is still at the target's address (else the
        address is routed as any other)."""
        pages = self.preload([t.page_id for t in targets if t.page_id])
        results = []
        for target in targets:
            page = pages.get(target.page_id)
            if page is not None and verify and page.get_url(self._request(target.url)) != target.url:
                page = None
            results.append(self.bake(target.url, page))
        return results

    def bake(self, url, page=None):
        """Render `url` (the page `page`, when given, served directly) and write its file;
        returns what was written and what it refers to."""
        try:
            with self.allowed():
                if page is not None:
                    response = self.serve(page, url)
                else:
                    response = self.routed(url)
                    if response is None:
                        response = self.fetch(url)
        except Exception as exc:  # a template or view error: reported, the old file is kept
            return Result(url, None, error=f"{type(exc).__name__}: {exc}")
        if response.status_code in (301, 302, 307, 308):
            location = response["Location"]
            if location.startswith(self.origin):
                location = location[len(self.origin):]
            if not location.startswith("/"):
                return Result(url, None, error=f"redirects off the site, to {location}")
            path = links.output_path(url)
            html = (
                '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><meta name="robots" content="noindex">'
                f'<meta http-equiv="refresh" content="0; url={location}"><link rel="canonical" href="{location}">'
                f'</head><body><a href="{location}">{location}</a></body></html>\n'
            )
            body, refers = links.rewrite_html(path, html)
            return Result(url, path, refers, write_file(self.outdir, path, body.encode()))
        if response.status_code != 200:
            return Result(url, None, error=f"HTTP {response.status_code}")
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        path = links.output_path(url)
        kind = response.get("Content-Type", "").split(";")[0].strip()
        refers = set()
        if kind == "text/html":
            text, refers = links.rewrite_html(path, body.decode("utf-8"))
            body = text.encode("utf-8")
        elif kind.endswith("xml"):
            body = links.rewrite_absolute(body.decode("utf-8"), self.origin, self.base_url).encode("utf-8")
        return Result(url, path, refers, write_file(self.outdir, path, body))


def copy_asset(outdir, url_path):
    """Copy a static file, uploaded image, rendition or document the pages refer to. Returns the
    file written, or None when there is no such file."""
    path = links.output_path(url_path)
    source = None
    if url_path.startswith(settings.STATIC_URL):
        name = url_path[len(settings.STATIC_URL):]
        collected = Path(settings.STATIC_ROOT) / name
        source = collected if collected.is_file() else finders.find(name)
    elif url_path.startswith(settings.MEDIA_URL):
        name = posixpath.normpath(url_path[len(settings.MEDIA_URL):])
        # Images and renditions only: a document may be private (Wagtail's view checks).
        if name.split("/", 1)[0] in PUBLIC_MEDIA_FOLDERS:
            candidate = Path(settings.MEDIA_ROOT) / name
            source = candidate if candidate.is_file() else None
    if source is None or not Path(source).is_file():
        return None
    data = Path(source).read_bytes()
    if path.endswith(".css"):
        # Stylesheets may refer to other static files; they are copied too.
        for ref in re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", data.decode("utf-8", "replace")):
            if not ref.startswith(("data:", "http:", "https:", "/", "#")):
                copy_asset(outdir, posixpath.normpath(posixpath.join(posixpath.dirname(url_path), ref)))
    write_file(outdir, path, data)
    return path
