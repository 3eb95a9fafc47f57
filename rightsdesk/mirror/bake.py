"""Bake the public site into a folder of static files that any web server, CDN or onion service
can serve: `rightsdesk bake OUTDIR [--base-url URL]`.

Every page is rendered by the site itself (the same views, templates and caches as for a reader),
with `request.META["rightsdesk.bake"]` set so that templates can load the few parts that change
on every publish (Latest news, Must read) from fragment files instead of carrying them. Its links
are then made relative to the page (see links.py), the files it refers to (static files, image
renditions, documents) are copied, and Pagefind indexes the result for search.

How a full bake spends its time: every teaser (shown by listings, Related lists and Latest news)
is made once, first, in worker processes; the pages are then rendered in worker processes forked
after that, so they share those teasers. Articles and briefs are rendered first, in batches with
what they show preloaded; Pagefind starts indexing them (only the pages below sections, where
they are) as soon as the last is written, while the listings are rendered. Front pages' and
sections' own routes (listings, feeds, entity pages) are routed by the bake itself, without the
middleware; the rest goes through Django's handler.

Files are written atomically (a temporary file renamed over the old one) and only when their
bytes change, so readers never see half a page and `rsync` sends only what changed. The folder's
own record (`.rightsdesk-bake/record.sqlite3`) lists what the bake wrote and which articles each page
links to; an incremental re-bake (incremental.py) uses it to find the pages a publish touches,
and a full bake uses it to remove what it wrote before and no longer writes (nothing else in the
folder is touched). Baking the same content twice gives the same bytes.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import posixpath
import re
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings

from . import links

STATE_DIR = ".rightsdesk-bake"
STATE_FILE = "record.sqlite3"
STATE_FORMAT = 1


class BakeError(Exception):
    """Something the user can fix (the message says what)."""


# --- what the site is made of ---------------------------------------------------------------------


@dataclass
class Target:
    """One address to bake, and the page it shows (for pages that articles or briefs are)."""

    url: str
    page_id: int | None = None


def listing_urls(base, count, first_route, numbered_route):
    """The first page and every numbered page of a listing of `count` items (see paging.py)."""
    from rightsdesk.newsroom.paging import full_pages

    urls = [base + first_route]
    urls += [base + numbered_route.format(n=n) for n in range(1, full_pages(count) + 1)]
    return urls


def site_targets():
    """Every public address of the site, in a stable order."""
    from django.db.models import Count
    from wagtail.models import Page

    from rightsdesk.newsroom import extensions, selectors
    from rightsdesk.newsroom.models import ArticleAuthor, ArticleTag, SectionPage

    targets = [Target("/sitemap.xml")]
    for home, base in selectors.public_homes():
        articles = selectors.published_articles(home.locale_id)
        targets += [Target(base + route) for route in (
            "", "search/", "feed/rss/", "feed/atom/", "fragments/sidebars/", "fragments/must-read/",
        )]
        targets += [Target(url) for url in extensions.bake_targets(home, base)]
        targets += [Target(u) for u in listing_urls(base, articles.count(), "archive/", "archive/page/{n}/")]
        # Each tag's and author's listing, with its numbered pages.
        for rows, article_field, slug_field, route in (
            (ArticleTag.objects.filter(content_object__in=articles.values("pk")), "content_object", "tag__slug", "tags"),
            (ArticleAuthor.objects.filter(article__in=articles.values("pk")), "article", "author__slug", "authors"),
        ):
            counts = rows.values(slug_field).annotate(n=Count(article_field, distinct=True)).order_by(slug_field)
            for row in counts:
                slug = row[slug_field]
                targets += [Target(u) for u in listing_urls(base, row["n"], f"{route}/{slug}/", f"{route}/{slug}/page/{{n}}/")]
        for section in selectors.public(SectionPage.objects.child_of(home).live()).order_by("path"):
            url = section.get_url()
            count = selectors.section_items(section).count()
            targets += [Target(u) for u in listing_urls(url, count, "", "page/{n}/")]
            targets += [Target(url + "feed/rss/"), Target(url + "feed/atom/")]
            # A page's address is its section's and its slug (Wagtail's url_path), read narrowly:
            # asking each of 10,000 pages for its URL took seconds.
            items = selectors.public(Page.objects.live().child_of(section)).order_by("path")
            for pk, slug in items.values_list("pk", "slug"):
                targets.append(Target(f"{url}{quote(slug)}/", pk))  # quoted as Django's reverse() does
    seen, unique = set(), []
    for target in targets:
        if target.url not in seen:
            seen.add(target.url)
            unique.append(target)
    return unique


# --- rendering ------------------------------------------------------------------------------------


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
    reads the static files' list when it loads: 0.1 s)."""
    if not _HANDLER:
        from django.core.handlers.base import BaseHandler
        from django.test.utils import override_settings

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
        from django.test import RequestFactory
        from wagtail.models import Site

        self.outdir = Path(outdir)
        self.base_url = base_url
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        if site is None:
            raise BakeError("there is no site to bake yet: run `rightsdesk init` or `rightsdesk demo` first")
        root = urlsplit(site.root_url)
        self.origin = f"{root.scheme}://{root.netloc}"
        self.host = root.netloc
        from django.http.request import split_domain_port, validate_host

        domain = split_domain_port(self.host)[0]
        if not validate_host(domain, settings.ALLOWED_HOSTS):
            # The site's own address, as the admin's Sites setting gives it.
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, domain]
        self.factory = RequestFactory(
            HTTP_HOST=self.host, **{"wsgi.url_scheme": root.scheme, "rightsdesk.bake": "1"}
        )
        self.site = site
        self.secure = root.scheme == "https"
        self.facts_settings = None
        self._routable = None
        self._tags, self._authors = {}, {}  # loaded once per renderer (see preload)
        self.teasers_warm = False  # every teaser made before the pages (warm_teasers)

    def fetch(self, url):
        """`url` through Django's whole request handling, as a reader's request (see handler)."""
        request = self.factory.get(url, secure=self.origin.startswith("https:"))
        response = handler().get_response(request)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        return response

    def _request(self, url):
        """A reader's GET of `url`, as the middleware would leave it for a public page."""
        from django.contrib.auth.models import AnonymousUser

        from rightsdesk.facts.models import FactsSettings

        request = self.factory.get(url, secure=self.secure)
        request.user = AnonymousUser()
        request._wagtail_site = self.site
        # Wagtail reads the sites' root paths from the default cache once per request; the bake
        # makes a request per page, so it reads them once per publish.
        request._wagtail_cached_site_root_paths = self._site_root_paths()
        if self.facts_settings is None:
            self.facts_settings = FactsSettings.for_site(self.site)
        setattr(request, FactsSettings.get_cache_attr_name(), self.facts_settings)
        return request

    def _site_root_paths(self):
        from wagtail.models import Site

        from rightsdesk.newsroom.cache import versioned

        return versioned("site-root-paths", Site.get_site_root_paths)

    def serve(self, page, url, args=(), kwargs=None):
        """A public, live page served directly, as Wagtail's view would after routing: for an
        article or brief, the bake already has the page with its tags, byline and section loaded
        for many pages at once (see preload); for a route of a front page or section (listings,
        feeds, entity pages), routed() found the view. The tree walk and the middleware are
        skipped (nothing they add is in a page's bytes)."""
        from django.utils import translation

        from rightsdesk.newsroom.selectors import language_of

        request = self._request(url)
        with translation.override(language_of(page)):
            response = page.serve(request, *args, **(kwargs or {}))
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response

    def _routables(self):
        """(address, page) of each public front page and section, longest address first."""
        if self._routable is None:
            from rightsdesk.newsroom import selectors

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
        from django.http import Http404, HttpResponseNotFound

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
        from rightsdesk.newsroom import extensions
        from rightsdesk.newsroom.models import ArticlePage, BriefPage
        from rightsdesk.newsroom.selectors import attach_sections, preload_translations

        articles = list(ArticlePage.objects.live().filter(pk__in=page_ids).select_related("lead_image"))
        self._attach_bylines_and_tags(articles)
        pages = {p.pk: p for p in attach_sections(articles)}
        rest = [pk for pk in page_ids if pk not in pages]
        if rest:
            pages.update((p.pk, p) for p in attach_sections(BriefPage.objects.live().filter(pk__in=rest)))
        # What each page's frame, body, Related list and Recommended section ask for, at once:
        # translations (the language links), and what the apps show (extensions.BAKE_PRELOAD:
        # the facts desk's mentions, the stored Related ids).
        preload_translations(pages)
        extensions.bake_preload(pages)
        self.prime_teasers(pages.values())
        return pages

    def teasers(self, locale_id, ids):
        """The teasers of the articles and briefs `ids` of one language, made (and kept) where
        not kept yet: {cache key: html}."""
        from rightsdesk.newsroom import selectors
        from rightsdesk.newsroom.templatetags.newsroom_tags import kept_teasers, load_teaser_pages, teaser_keys

        lang = selectors.language_code(locale_id)
        request = self._request("/")
        return kept_teasers(teaser_keys(ids, lang, request), lang, request, load_teaser_pages(locale_id))

    def _attach_bylines_and_tags(self, articles):
        """Fill each article's `tag_list` and `authors` (what its page shows) from two narrow
        queries, with each tag and author loaded once per renderer, not once per article."""
        from taggit.models import Tag

        from rightsdesk.newsroom.models import ArticleAuthor, ArticleTag, Author

        ids = [a.pk for a in articles]
        if not ids:
            return
        # The order the pages' own relations give: tags as stored, the byline by its order.
        tag_rows = list(ArticleTag.objects.filter(content_object_id__in=ids).order_by("pk")
                        .values_list("content_object_id", "tag_id"))
        author_rows = list(ArticleAuthor.objects.filter(article_id__in=ids).order_by("sort_order", "pk")
                           .values_list("article_id", "author_id"))
        for model, cache, rows in ((Tag, self._tags, tag_rows), (Author, self._authors, author_rows)):
            missing = {pk for _, pk in rows} - set(cache)
            if missing:
                cache.update((obj.pk, obj) for obj in model.objects.filter(pk__in=missing))
        tags, authors = {}, {}
        for article_id, tag_id in tag_rows:
            tags.setdefault(article_id, []).append(self._tags[tag_id])
        for article_id, author_id in author_rows:
            authors.setdefault(article_id, []).append(self._authors[author_id])
        for article in articles:
            article.__dict__["tag_list"] = tags.get(article.pk, [])
            article.__dict__["authors"] = authors.get(article.pk, [])

    def prime_teasers(self, pages):
        """Make the teasers of the Related lists of `pages` that are not kept yet, loading their
        articles in one query per language instead of one per page."""
        from rightsdesk.newsroom.extensions import related_ids

        if self.teasers_warm:
            return
        wanted = {}
        for page in pages:
            shown = related_ids(page, settings.RIGHTSDESK_RELATED_COUNT)
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


def write_file(outdir, path, data):
    """Write `data` to `outdir/path` atomically, unless the file already holds exactly that.
    Returns whether the file changed."""
    target = Path(outdir) / path
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def move_file(outdir, path, source):
    """Put the file `source` (on the folder's file system) at `outdir/path` by renaming it,
    atomically, unless the file there already holds the same bytes. Returns whether it changed."""
    target = Path(outdir) / path
    try:
        if target.stat().st_size == source.stat().st_size and target.read_bytes() == source.read_bytes():
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(source, 0o644)
    os.replace(source, target)
    return True


def copy_asset(outdir, url_path):
    """Copy a static file, uploaded image, rendition or document the pages refer to. Returns the
    file written, or None when there is no such file."""
    from django.contrib.staticfiles import finders

    path = links.output_path(url_path)
    source = None
    if url_path.startswith(settings.STATIC_URL):
        name = url_path[len(settings.STATIC_URL):]
        collected = Path(settings.STATIC_ROOT) / name
        source = collected if collected.is_file() else finders.find(name)
    elif url_path.startswith(settings.MEDIA_URL):
        candidate = Path(settings.MEDIA_ROOT) / url_path[len(settings.MEDIA_URL):]
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


# --- the state of a baked folder ------------------------------------------------------------------


@contextmanager
def folder_lock(outdir):
    """One bake at a time per folder, across processes (gunicorn workers, the CLI)."""
    lock_dir = Path(outdir) / STATE_DIR
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Record:
    """The folder's own record (`.rightsdesk-bake/record.sqlite3`): every file the bake wrote, the
    address it shows and the page it is (for articles and briefs), and the articles and briefs
    each file links to, so that a publish finds the pages to re-bake with one indexed query and
    writes only their rows (a JSON record of 15,000 files took 0.3 s to read and write)."""

    def __init__(self, outdir, create=False):
        import sqlite3

        self.path = Path(outdir) / STATE_DIR / STATE_FILE
        if not create and not self.path.exists():
            raise FileNotFoundError(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.executescript(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, url TEXT, page INTEGER, kind TEXT NOT NULL);"
                "CREATE INDEX IF NOT EXISTS files_page ON files (page);"
                "CREATE INDEX IF NOT EXISTS files_url ON files (url);"
                "CREATE TABLE IF NOT EXISTS links (path TEXT NOT NULL, page INTEGER NOT NULL);"
                "CREATE INDEX IF NOT EXISTS links_page ON links (page);"
                "CREATE INDEX IF NOT EXISTS links_path ON links (path);"
            )
            found = self.meta("format")
        except sqlite3.DatabaseError as exc:
            raise BakeError(f"{self.path} is damaged ({exc}): delete the folder {outdir} and bake it again") from None
        if found is None and create:
            self.set_meta(format=str(STATE_FORMAT))
        elif found != str(STATE_FORMAT):
            raise BakeError(f"{outdir} was baked by another version of rightsdesk: bake into a new folder")

    def meta(self, key):
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, **values):
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, v) for k, v in values.items()])

    def paths(self, kind=None):
        query, args = "SELECT path FROM files", ()
        if kind:
            query, args = query + " WHERE kind = ?", (kind,)
        return {row[0] for row in self.db.execute(query, args)}

    def linking(self, page_id):
        """(path, url) of the files that link to the page, or are the page."""
        return set(self.db.execute(
            "SELECT path, url FROM files WHERE page = ? UNION "
            "SELECT files.path, files.url FROM links JOIN files ON files.path = links.path WHERE links.page = ?",
            (page_id, page_id),
        ))

    def with_prefix(self, prefix):
        """(path, url) of the files whose address starts with `prefix`."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return list(self.db.execute("SELECT path, url FROM files WHERE url LIKE ? ESCAPE '\\'", (escaped + "%",)))

    def page_ids(self, urls):
        """{url: page id} of the given addresses that are articles or briefs."""
        found = {}
        urls = list(urls)
        for i in range(0, len(urls), 500):
            chunk = urls[i:i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(
                f"SELECT url, page FROM files WHERE page IS NOT NULL AND url IN ({marks})", chunk))
        return found

    def put(self, entries):
        """Record files: (path, url, page, kind, links) each."""
        entries = list(entries)
        paths = [(e[0],) for e in entries]
        self.db.executemany("DELETE FROM links WHERE path = ?", paths)
        self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", [e[:4] for e in entries])
        self.db.executemany("INSERT INTO links VALUES (?, ?)",
                            [(e[0], page) for e in entries for page in e[4]])

    def remove(self, paths):
        rows = [(p,) for p in paths]
        self.db.executemany("DELETE FROM files WHERE path = ?", rows)
        self.db.executemany("DELETE FROM links WHERE path = ?", rows)

    @contextlib.contextmanager
    def transaction(self):
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self):
        self.db.close()


def open_record(outdir):
    """The record of a baked folder, or None when the folder has not been baked."""
    try:
        return Record(outdir)
    except FileNotFoundError:
        return None


def check_outdir(outdir):
    """The folder must be new, empty, or baked before (we never overwrite someone's files)."""
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise BakeError(f"{outdir} is a file: give a folder to bake into")
    if outdir.is_dir() and any(outdir.iterdir()) and not (outdir / STATE_DIR / STATE_FILE).exists():
        raise BakeError(
            f"{outdir} is not empty and was not baked by rightsdesk: choose a new or empty folder "
            "(a bake removes the files it wrote before, so it never shares a folder with other files)"
        )
    from rightsdesk.console import ensure_writable

    try:
        ensure_writable(outdir)
    except OSError as exc:
        raise BakeError(f"cannot write to {outdir} ({exc.strerror or exc}): choose a folder you can write to") from None


def remove_files(outdir, paths):
    """Remove files the bake wrote before, and the folders they leave empty."""
    outdir = Path(outdir)
    for path in sorted(paths, reverse=True):
        target = outdir / path
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != outdir:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent


# --- search index ---------------------------------------------------------------------------------


def pagefind_executable():
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise BakeError("pagefind-bin is not installed: run `make demo` or `pip install -r requirements.lock`") from None
    return str(get_executable())


def search_glob():
    """The pages Pagefind reads: those one level below a public section (articles and briefs,
    the only pages marked `data-pagefind-body`), not the thousands of listing pages. None (every
    page) when there is no public article or brief yet: Pagefind refuses to build from no file."""
    from rightsdesk.newsroom import selectors

    if not (selectors.published_articles().exists() or selectors.published_briefs().exists()):
        return None
    prefixes = set()
    for home, _ in selectors.public_homes():
        for section in selectors.language_frame(home.locale_id)["sections"]:
            url = selectors.page_url(section)
            if url:
                prefixes.add(posixpath.dirname(links.output_path(url)))
    if not prefixes:
        return None
    return "{" + ",".join(sorted(prefixes)) + "}/*/index.html"


class SearchIndexBuild:
    """Pagefind indexing the baked pages (both languages) into a temporary folder, started in the
    background; `finish()` waits for it and puts the new index in place."""

    def __init__(self, outdir, glob=None):
        """Index the pages of `outdir` that match `glob` (all when None)."""
        self.outdir = Path(outdir)
        (self.outdir / STATE_DIR).mkdir(parents=True, exist_ok=True)
        self.tmp = tempfile.TemporaryDirectory(prefix="pagefind-", dir=self.outdir / STATE_DIR)
        command = [pagefind_executable(), "--site", str(self.outdir), "--output-path", self.tmp.name, "--quiet"]
        if glob:
            command += ["--glob", glob]
        self.started = time.perf_counter()
        self.seconds = None
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def cancel(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.tmp.cleanup()

    def finish(self, lock=None, then=None):
        """Wait for Pagefind, then (holding `lock`, a context manager, when given) install the new
        index and run `then(files)`. Returns the files of the index (relative to the folder)."""
        try:
            output, _ = self.process.communicate()
            self.seconds = time.perf_counter() - self.started
            if self.process.returncode != 0:
                raise BakeError(f"Pagefind could not index the pages: {output.strip()[-500:]}")
            with lock if lock is not None else contextlib.nullcontext():
                written = _install_index(self.outdir, Path(self.tmp.name))
                if then is not None:
                    then(written)
                return written
        finally:
            self.cancel()


def build_search_index(outdir, lock=None, then=None):
    """Index the baked pages with Pagefind (both languages; only the article and brief bodies,
    marked `data-pagefind-body`) into OUTDIR/pagefind/, replacing the old index file by file.
    Pagefind reads the folder into a temporary one first; `lock` (a context manager), when given,
    is held only while the new files are put in place (and `then(files)` runs), so a publish's
    re-bake never waits for Pagefind. Returns the files of the index (relative to the folder)."""
    return SearchIndexBuild(outdir, search_glob()).finish(lock, then)


def _install_index(outdir, tmp):
    written = []
    entry_files = []
    for source in sorted(tmp.rglob("*")):
        if source.is_file():
            rel = "pagefind/" + source.relative_to(tmp).as_posix()
            if source.name.startswith("pagefind-entry") or source.suffix in (".js", ".css"):
                entry_files.append((rel, source))  # written last: they point at the rest
            else:
                move_file(outdir, rel, source)
            written.append(rel)
    for rel, source in entry_files:
        data = source.read_bytes()
        if source.name == "pagefind-entry.json":
            # Pagefind lists the languages in no fixed order: sort them, so bakes are identical.
            data = json.dumps(json.loads(data), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        write_file(outdir, rel, data)
    return written


# --- the whole bake ---------------------------------------------------------------------------


def _render_chunk(args):
    outdir, base_url, targets = args
    renderer = _worker_renderer(outdir, base_url)
    return renderer.bake_targets(targets)


def _worker_start():
    # A worker renders thousands of pages and keeps their fragments: what it loaded before the
    # fork is never garbage, and rendering allocates many short-lived objects (rightsdesk/runtime.py).
    from rightsdesk.runtime import tune_gc

    tune_gc()


_WORKER = {}


def _worker_renderer(outdir, base_url):
    key = (str(outdir), base_url)
    if key not in _WORKER:
        _WORKER.clear()
        _WORKER[key] = Renderer(outdir, base_url)
    return _WORKER[key]


def _teaser_chunk(args):
    outdir, base_url, locale_id, ids = args
    return _worker_renderer(outdir, base_url).teasers(locale_id, ids)


def warm_teasers(renderer, workers=1, size=500):
    """Make the teaser of every public article and brief once, before the pages: listings, Related
    lists and Latest news all show them, and each worker process would otherwise make its own.
    The workers forked for the pages inherit them (copy-on-write)."""
    from rightsdesk.newsroom import selectors
    from rightsdesk.newsroom.cache import hot_cache

    jobs = []
    for home, _ in selectors.public_homes():
        ids = sorted(selectors.public_article_ids(home.locale_id))
        ids += sorted(selectors.published_briefs(home.locale_id).values_list("pk", flat=True))
        jobs += [(str(renderer.outdir), renderer.base_url, home.locale_id, ids[i:i + size]) for i in range(0, len(ids), size)]
    renderer.teasers_warm = True  # (forked workers get it too: they are made after this)
    if workers <= 1 or len(jobs) < 2:
        for job in jobs:
            renderer.teasers(job[2], job[3])
        return
    import multiprocessing

    from django.db import connections

    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
        for made in pool.imap_unordered(_teaser_chunk, jobs):
            hot_cache().set_many(made)


def make_way_for_search_index():
    """Let Pagefind have the processors first while the listings are rendered: the bake ends when
    the index does, and the listings fit in the time Pagefind leaves free."""
    import multiprocessing

    for worker in multiprocessing.active_children():  # the page workers (Pagefind is not one)
        try:
            os.setpriority(os.PRIO_PROCESS, worker.pid, 10)
        except OSError:  # gone already, or not allowed: they only share the processors evenly
            pass


def page_paths(targets):
    """Site address -> page id, for the pages that are articles or briefs."""
    return {t.url: t.page_id for t in targets if t.page_id}


def render_all(renderer, targets, workers=1, progress=None, size=25):
    """Render `targets` in batches of `size`, in `workers` processes when more than one; yields
    Results in any order."""
    chunks = [targets[i:i + size] for i in range(0, len(targets), size)]
    if workers <= 1 or len(targets) < 50:
        for chunk in chunks:
            for result in renderer.bake_targets(chunk):
                if progress:
                    progress.update(1)
                yield result
        return
    import multiprocessing

    from django.db import connections

    connections.close_all()
    jobs = [(str(renderer.outdir), renderer.base_url, chunk) for chunk in chunks]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_worker_start) as pool:
        for results in pool.imap_unordered(_render_chunk, jobs):
            for result in results:
                if progress:
                    progress.update(1)
                yield result


def bake(outdir, base_url=None, workers=None, progress=None, search=True):
    """Bake the whole public site into `outdir`. Returns a report (counts, problems)."""
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    outdir = Path(outdir).resolve()
    check_outdir(outdir)
    with folder_lock(outdir):
        return _bake(outdir, base_url, workers, progress, search)


def _bake(outdir, base_url, workers, progress, search):
    from rightsdesk.newsroom.cache import hot_cache
    from rightsdesk.newsroom.signals import begin_request

    record = Record(outdir, create=True)
    begin_request()
    # Fragments (teasers, Related lists) are shared between pages: keep them all for the bake.
    cache = hot_cache()
    max_entries = getattr(cache, "_max_entries", None)
    if max_entries is not None:
        cache._max_entries = max(max_entries, 200_000)
    renderer = Renderer(outdir, base_url)
    # The worker processes, forked from this one, render with (a copy of) this renderer.
    _WORKER.clear()
    _WORKER[(str(outdir), base_url)] = renderer
    # Articles and briefs first: Pagefind indexes them while the listings are rendered.
    targets = sorted(site_targets(), key=lambda t: t.page_id is None)
    ids = page_paths(targets)
    to_index = len(ids)
    urls = [t.url for t in targets]
    workers = workers or min(os.cpu_count() or 1, 4)
    bar = progress(total=len(urls)) if progress else None
    results = {}
    started = time.perf_counter()
    warm_teasers(renderer, workers)
    indexing = None
    try:
        for result in render_all(renderer, targets, workers, bar):
            results[result.url] = result
            if result.url in ids:
                to_index -= 1
                if to_index == 0 and search:
                    # Every article and brief is written: Pagefind indexes them beside the listings.
                    indexing = SearchIndexBuild(outdir, search_glob())
                    make_way_for_search_index()
        # Addresses the pages refer to that are not pages of their own: files, documents, and any
        # page the list above missed (baked too, so that no link is left dangling).
        pending = sorted({ref for r in results.values() for ref in r.refers} - set(results))
        assets = {}
        while pending:
            url = pending.pop(0)
            if links.is_asset(url):
                if not url.startswith("/pagefind/"):
                    assets[url] = copy_asset(outdir, url)
                continue
            if url.startswith("/admin/"):
                results[url] = Result(url, None, error="a public page links to the admin")
                continue
            result = renderer.bake(url)
            results[url] = result
            if bar:
                bar.total += 1
                bar.update(1)
            pending.extend(sorted(ref for ref in result.refers if ref not in results and ref not in assets and ref not in pending))
    except BaseException:
        if indexing is not None:
            indexing.cancel()
        raise
    finally:
        if bar:
            bar.close()
        if max_entries is not None:
            cache._max_entries = max_entries
    robots = robots_txt(renderer.base_url, [u for u in urls if u.endswith("/search/")])
    write_file(outdir, "robots.txt", robots.encode())
    files = {r.path: r for r in results.values() if r.path}
    rendered = time.perf_counter()
    if search and indexing is None:
        indexing = SearchIndexBuild(outdir, search_glob())
    search_files = indexing.finish() if indexing else []
    indexed = time.perf_counter()
    entries = record_entries(files, ids, assets, search_files)
    written = {e[0] for e in entries} | {"robots.txt"}
    stale = record.paths() - written
    remove_files(outdir, stale)
    with record.transaction():
        record.remove(record.paths())
        record.put(entries)
        record.set_meta(origin=renderer.origin, base_url=renderer.base_url or "")
    record.close()
    problems = sorted(f"{r.url}: {r.error}" for r in results.values() if r.error)
    missing = sorted(url for url, path in assets.items() if path is None)
    problems += [f"{url}: no such file" for url in missing]
    return {
        "pages": len(files),
        "assets": sum(1 for p in assets.values() if p),
        "search_files": len(search_files),
        "removed": len(stale),
        "changed": sum(1 for r in results.values() if r.changed),
        "render_seconds": round(rendered - started, 2),
        # Pagefind's own time (it starts when the articles and briefs are written, beside the
        # listings), and how long the bake waited for it after the last page.
        "search_seconds": round(indexing.seconds, 2) if indexing else 0,
        "search_wait_seconds": round(indexed - rendered, 2),
        "problems": problems,
        "outdir": str(outdir),
        "origin": renderer.origin,
    }


def record_entries(files, ids, assets, search_files):
    """What the folder holds, for its record: every file written, the page each page-file shows,
    and the articles and briefs each file links to (for incremental re-bakes)."""
    entries = []
    for path, result in sorted(files.items()):
        linked = sorted({ids[ref] for ref in result.refers if ref in ids})
        entries.append((path, result.url, ids.get(result.url), "page", linked))
    entries += [(path, None, None, "asset", ()) for path in sorted(p for p in assets.values() if p)]
    entries += [(path, None, None, "search", ()) for path in sorted(search_files)]
    return entries


def robots_txt(base_url, search_urls):
    lines = ["User-agent: *"]
    lines += ["Disallow: /" + links.output_path(u)[: -len("index.html")] for u in sorted(search_urls)]
    if base_url:
        lines += ["", f"Sitemap: {base_url}sitemap.xml"]
    return "\n".join(lines) + "\n"


def digest(outdir):
    """A SHA-256 over every file of a baked folder (names and bytes), its own record excluded."""
    outdir = Path(outdir)
    total = hashlib.sha256()
    for path in sorted(p for p in outdir.rglob("*") if p.is_file() and STATE_DIR not in p.parts):
        total.update(path.relative_to(outdir).as_posix().encode() + b"\0")
        total.update(hashlib.sha256(path.read_bytes()).digest())
    return total.hexdigest()
