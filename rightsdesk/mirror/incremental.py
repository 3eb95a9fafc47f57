"""Incremental re-bake: when `RIGHTSDESK_MIRROR_DIR` names a baked folder, publishing or
unpublishing an article or brief re-bakes only what it changes, right after the publish commits.

What a publish touches: the page itself and its translations; its language's front page, Latest
news and Must read fragments, feed, sitemap, recommendations file and entity index; the first page
of every listing it is in (its section, the archive, its tags and authors) and the numbered pages
from its place onwards (listings are numbered from the oldest end, so that is usually none); its
entities' pages; the articles whose Related lists now hold it; and every baked page that linked
to it before (the folder's record keeps, for each file, the articles and briefs it links to),
which covers lists it left, a changed title shown in old teasers, and an unpublished page
disappearing everywhere. Files are replaced atomically. The sitemap, the recommendations file
and the search index, which readers do not see at once, are re-made right after the pages in a
background thread (follow_up), so the publish waits only for the pages. Any other page (a
section, a front page) re-bakes the whole site in the background.
"""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from wagtail.models import Page

from rightsdesk.facts.models import Mention
from rightsdesk.newsroom import extensions, paging, selectors
from rightsdesk.newsroom.models import ArticlePage, BriefPage
from rightsdesk.newsroom.paging import full_pages
from rightsdesk.newsroom.signals import begin_request
from rightsdesk.related.models import RelatedItem

from . import bake as baking
from . import links

log = logging.getLogger(__name__)


def configured_dir():
    folder = getattr(settings, "RIGHTSDESK_MIRROR_DIR", "")
    return Path(folder) if folder else None


def _listing(base, count, position, first_route, numbered_route):
    """The pages of a listing to re-bake when an item at oldest-first `position` changed: the
    first page and the numbered pages from the item's onwards; and the numbered pages that no
    longer exist (from the current count)."""
    size = settings.RIGHTSDESK_PAGE_SIZE
    numbered = full_pages(count, size)
    urls = [base + first_route]
    first = position // size + 1
    urls += [base + numbered_route.format(n=n) for n in range(max(first, 1), numbered + 1)]
    return urls, numbered


def affected(page):
    """The addresses to re-bake for a publish or unpublish of `page` (an ArticlePage or BriefPage),
    and per listing the number of numbered pages it has now (`{prefix: count}`). Listings are
    read through the same cached (id, date) entries their pages are rendered from."""
    urls, listings = set(), {}
    page = page.specific
    own = page.get_url()
    if own:
        urls.add(own)
    for other in page.get_translations(inclusive=False).live():
        urls.add(other.get_url())
    home = selectors.language_frame(page.locale_id)["home"]
    if home is None:
        return urls, listings
    base = home.get_url()
    for route in ("", "fragments/sidebars/", "fragments/must-read/", "feed/rss/", "feed/atom/",
                  "recommendations.json"):
        urls.add(base + route)
    urls.add("/sitemap.xml")
    date = page.first_published if isinstance(page, ArticlePage) else page.date

    def add_listing(prefix, qs, key, first_route, numbered_route, date_field="first_published"):
        entries = paging.listing_entries(qs, key, date_field)
        position = paging.older_count(entries, page.pk, date)
        found, numbered = _listing(prefix, len(entries), position, first_route, numbered_route)
        urls.update(found)
        listings[prefix + numbered_route.split("{n}")[0]] = numbered

    section = page.get_parent().specific
    section_url = section.get_url()
    if section_url:
        add_listing(section_url, selectors.section_items(section), f"section:{section.pk}", "", "page/{n}/",
                    date_field="shown_date")
        urls.update({section_url + "feed/rss/", section_url + "feed/atom/"})
    if isinstance(page, ArticlePage):
        articles = selectors.published_articles(page.locale_id)
        add_listing(base, articles, f"archive:{home.pk}", "archive/", "archive/page/{n}/")
        for tag in page.tags.all():
            add_listing(base, articles.filter(tags=tag), f"tag:{home.pk}:{tag.pk}", f"tags/{tag.slug}/",
                        f"tags/{tag.slug}/page/{{n}}/")
        for item in page.article_authors.select_related("author"):
            author = item.author
            add_listing(base, articles.filter(article_authors__author=author), f"author:{home.pk}:{author.pk}",
                        f"authors/{author.slug}/", f"authors/{author.slug}/page/{{n}}/")
        slugs = list(Mention.objects.filter(page_id=page.pk).values_list("entity__slug", flat=True).distinct())
        if slugs:
            # The entity index counts articles per entity; its pages list them.
            urls.add(base + "entities/")
            urls.update(f"{base}entities/{slug}/" for slug in slugs)
        holders = RelatedItem.objects.filter(target_id=page.pk).values_list("article_id", flat=True)
        for holder in selectors.public(ArticlePage.objects.live().filter(pk__in=list(holders))):
            urls.add(holder.get_url())
    return urls, listings


def rebake_page(page_id, outdir=None):
    """Re-bake what a publish or unpublish of page `page_id` changed. Returns a report, or None
    when the page is not an article or brief (the caller then bakes the whole site)."""
    outdir = Path(outdir or configured_dir())
    started = time.perf_counter()
    begin_request()  # the publish changed the public version: see the content as it is now
    with baking.folder_lock(outdir):
        record = baking.open_record(outdir)
        if record is None:
            raise baking.BakeError(f"{outdir} has not been baked yet: run `rightsdesk bake {outdir}` once")
        try:
            page = Page.objects.filter(pk=page_id).first()
            if page is None or not issubclass(page.specific_class or Page, (ArticlePage, BriefPage)):
                return None
            report = _rebake(record, outdir, page.specific)
        finally:
            record.close()
    report["seconds"] = round(time.perf_counter() - started, 3)
    return report


def _rebake(record, outdir, page):
    page_id = page.pk
    urls, listings = affected(page)
    # Every file that linked to the page before, and the page's own old file(s).
    before = record.linking(page_id)
    urls.update(url for _, url in before if url)
    gone = set()
    # Numbered listing pages beyond the current end of their listing.
    for prefix, numbered in listings.items():
        for path, url in record.with_prefix(prefix):
            rest = url[len(prefix):].rstrip("/")
            if rest.isdigit() and int(rest) > numbered:
                gone.add(path)
                urls.discard(url)
    renderer = baking.Renderer(outdir, record.meta("base_url") or None)
    is_public = page.live and not page.get_view_restrictions().exists()
    own_url = page.get_url()
    if not (is_public and own_url):
        # Unpublished (or made private): its file goes; nothing to render there.
        # (its recorded files go below, with those of a page that moved).
        urls.discard(own_url)
    # What readers do not see at once (the sitemap, the recommendations file) is re-made after
    # the pages, in the background (see follow_up).
    later = {u for u in urls if is_later(u)}
    urls -= later
    home_urls = {u for u in urls if u.endswith(("/fragments/sidebars/", "/fragments/must-read/"))}

    def first_seen(url):
        # What readers see first: the page itself, then Latest news / Must read, front pages.
        return (url != own_url, url not in home_urls, url.count("/") > 2, url)

    # Articles and briefs (public ones: the record's pages, and this page) are preloaded and
    # served as the full bake serves them; every other address is routed.
    known = record.page_ids(urls)
    if is_public and own_url:
        known[own_url] = page_id
    public_ids = set(selectors.public(Page.objects.live().filter(pk__in=set(known.values()))).values_list("pk", flat=True))
    targets = [baking.Target(url, known.get(url) if known.get(url) in public_ids else None)
               for url in sorted(urls, key=first_seen)]
    results = renderer.bake_targets(targets, verify=True)
    for result in results:
        if result.path is None and result.error and not result.error.startswith("HTTP 404"):
            log.warning("mirror: could not re-bake %s (%s)", result.url, result.error)
    # What the re-baked files link to, as page ids (the record's, and this page's own address).
    refs = {ref for r in results for ref in r.refers}
    ids = record.page_ids(refs | {r.url for r in results})
    ids = {url: pk for url, pk in ids.items() if pk != page_id}
    if is_public and own_url:
        ids[own_url] = page_id
    entries, written = [], 0
    for result in results:
        if result.path is None:
            # No longer on the site (an emptied listing): its file goes.
            gone.update(path for path, url in record.with_prefix(result.url) if url == result.url)
            continue
        written += result.changed
        gone.discard(result.path)
        linked = sorted({ids[ref] for ref in result.refers if ref in ids})
        entries.append((result.path, result.url, ids.get(result.url), "page", linked))
        for ref in sorted(result.refers):
            if links.is_asset(ref) and not ref.startswith("/pagefind/"):
                asset = baking.copy_asset(outdir, ref)
                if asset:
                    entries.append((asset, None, None, "asset", ()))
    # A page moved (its slug or section changed): the file at its old address goes.
    for path, url in record.db.execute("SELECT path, url FROM files WHERE page = ?", (page_id,)).fetchall():
        if url != own_url or not is_public:
            gone.add(path)
    gone -= {e[0] for e in entries}
    baking.remove_files(outdir, gone)
    with record.transaction():
        record.remove(gone)
        record.put(entries)
    return {"rendered": len(urls), "changed": written, "removed": len(gone), "later": sorted(later)}


def is_later(url):
    """Addresses a publish re-bakes after the pages: the sitemap and recommendations files."""
    return url == "/sitemap.xml" or url.endswith("/recommendations.json")


def rebake_later(outdir, urls):
    """Re-bake `urls` (see is_later) into the folder, under its lock, and record them."""
    begin_request()
    with baking.folder_lock(outdir):
        record = baking.open_record(outdir)
        if record is None:
            return
        try:
            renderer = baking.Renderer(outdir, record.meta("base_url") or None)
            results = [renderer.bake(url) for url in sorted(urls)]
            ids = record.page_ids({ref for r in results for ref in r.refers})
            entries = []
            for result in results:
                if result.path is None:
                    log.warning("mirror: could not re-bake %s (%s)", result.url, result.error)
                    continue
                linked = sorted({ids[ref] for ref in result.refers if ref in ids})
                entries.append((result.path, result.url, None, "page", linked))
            with record.transaction():
                record.put(entries)
        finally:
            record.close()


# --- after the pages: sitemap, recommendations, search index, whole re-bakes (tasks.py) ---------------


def later_addresses():
    """What readers do not see at once, re-made after a publish's pages: the sitemap and every
    language's recommendations file."""
    urls = {"/sitemap.xml"}
    urls.update(base + "recommendations.json" for _, base in selectors.public_homes())
    return urls


def follow_up(outdir, urls):
    """After a change's pages are in the folder: re-bake `urls` (the sitemap and recommendations
    files) and rebuild the search index (run by the worker: mirror/tasks.py)."""
    outdir = Path(outdir)
    try:
        if urls:
            rebake_later(outdir, urls)
    except Exception:
        log.exception("mirror: could not re-bake %s in %s; run `rightsdesk bake %s`", sorted(urls), outdir, outdir)
        raise

    def record_index(new):
        # Under the folder's lock, with the new index in place: the record, and old files gone.
        record = baking.Record(outdir)
        try:
            old = record.paths(kind="search") - set(new)
            baking.remove_files(outdir, old)
            with record.transaction():
                record.remove(old)
                record.put((path, None, None, "search", ()) for path in new)
        finally:
            record.close()

    baking.SearchIndexBuild(outdir, baking.search_glob()).finish(lock=baking.folder_lock(outdir), then=record_index)


def bake_whole_site(outdir):
    """Bake the whole site again into the folder (with the base address it was baked for)."""
    record = baking.open_record(outdir)
    base_url = (record.meta("base_url") or None) if record else None
    if record:
        record.close()
    return baking.bake(outdir, base_url=base_url, workers=1)


last_report = None  # the report of this process's last re-bake after a publish (logs, benchmark)


def rebake_change(change):
    """Re-bake the pages a change touched (see rebake_page), and the apps' pages when the apps'
    data changed. Returns whether the whole site must be baked again (a page other than an
    article or brief changed, or a subtree: a section restricted, moved or unpublished)."""
    outdir = configured_dir()
    pages = sorted(change.published | change.retracted)
    whole = bool(change.subtrees - set(pages))
    for page_id in pages:
        if on_publish_change(page_id) is None:
            whole = True
    if change.apps and not whole:
        try:
            rebake_app_pages(outdir)
        except Exception:
            log.exception("mirror: could not re-bake after %s; run `rightsdesk bake %s`", sorted(change.apps), outdir)
            whole = True
    return whole


def app_addresses(record):
    """The addresses the apps add to the site (extensions.BAKE_TARGETS: entity pages...) as they
    are now, and those of the folder under the same first folder (which may have left the site)."""
    urls, prefixes = set(), set()
    for home, base in selectors.public_homes():
        for url in extensions.bake_targets(home, base):
            urls.add(url)
            first, slash, rest = url[len(base):].partition("/")
            if slash and rest:  # "/entities/x/" -> "/entities/"
                prefixes.add(base + first + "/")
    for prefix in prefixes:
        urls.update(url for _, url in record.with_prefix(prefix) if url)
    return urls


def rebake_app_pages(outdir):
    """After an app's data changed (a source marked confidential, a capture withdrawn, the
    registry edited): re-bake the pages the apps add; those no longer on the site go, with the
    sitemap and search index after them."""
    begin_request()
    with baking.folder_lock(outdir):
        record = baking.open_record(outdir)
        if record is None:
            return
        try:
            renderer = baking.Renderer(outdir, record.meta("base_url") or None)
            urls = app_addresses(record)
            results = [renderer.bake(url) for url in sorted(urls)]
            ids = record.page_ids({ref for r in results for ref in r.refers})
            entries, gone = [], set()
            for result in results:
                if result.path is None:
                    gone.update(path for path, url in record.with_prefix(result.url) if url == result.url)
                    continue
                linked = sorted({ids[ref] for ref in result.refers if ref in ids})
                entries.append((result.path, result.url, None, "page", linked))
            gone -= {e[0] for e in entries}
            baking.remove_files(outdir, gone)
            with record.transaction():
                record.remove(gone)
                record.put(entries)
        finally:
            record.close()


def on_publish_change(page_id):
    """After a publish/unpublish has committed: re-bake what changed (never raises). Returns the
    report, or None when the page is not an article or brief (the caller bakes the whole site)."""
    outdir = configured_dir()
    if outdir is None:
        return {}
    try:
        report = rebake_page(page_id, outdir)
    except baking.BakeError as exc:
        log.warning("mirror: %s", exc)
        return {}
    except Exception:
        log.exception("mirror: could not re-bake after the publish of page %s; run `rightsdesk bake %s`", page_id, outdir)
        return {}
    if report is None:
        return None
    log.info("mirror: page %s re-baked: %s", page_id, report)
    global last_report
    last_report = report
    return report


def retract_pages(outdir, page_ids, subtree_ids=()):
    """Take pages off the folder at once (deleted, made private, or below a section that was):
    their files go, and the pages linking to them are baked again. Returns the files removed."""
    begin_request()
    prefixes = set()
    for page in Page.objects.filter(pk__in=list(subtree_ids)):
        url = page.specific.get_url()
        if url and url.count("/") > 2:  # a section, never a whole language
            prefixes.add(url)
    with baking.folder_lock(outdir):
        record = baking.open_record(outdir)
        if record is None:
            return set()
        try:
            gone = set()
            for page_id in page_ids:
                gone.update(path for path, in record.db.execute("SELECT path FROM files WHERE page = ?", (page_id,)))
            for prefix in prefixes:
                gone.update(path for path, url in record.with_prefix(prefix))
            urls = set()
            for page_id in page_ids:
                urls.update(url for path, url in record.linking(page_id) if url and path not in gone)
            # Feeds list pages without the record knowing (it keeps the links of HTML pages): the
            # feeds, listings and fragments of the section and language the pages were in.
            homes = [base for _, base in selectors.public_homes()]
            own = [url for page_id in page_ids
                   for (url,) in record.db.execute("SELECT url FROM files WHERE page = ?", (page_id,)) if url]
            for url in own:
                section = url.rstrip("/").rsplit("/", 1)[0] + "/"
                base = max((b for b in homes if url.startswith(b)), key=len, default="/")
                urls.update({section, section + "feed/rss/", section + "feed/atom/"})
                urls.update(base + route for route in ("", "archive/", "feed/rss/", "feed/atom/",
                                                       "fragments/sidebars/", "fragments/must-read/"))
            if prefixes:
                urls.update(base + route for base in homes for route in ("", "fragments/sidebars/", "feed/rss/", "feed/atom/"))
            urls = {u for u in urls if not any(u.startswith(p) for p in prefixes)}
            baking.remove_files(outdir, gone)
            with record.transaction():
                record.remove(gone)
            renderer = baking.Renderer(outdir, record.meta("base_url") or None)
            results = [renderer.bake(url) for url in sorted(urls)]
            ids = record.page_ids({ref for r in results for ref in r.refers} | {r.url for r in results})
            entries = []
            for result in results:
                if result.path is not None:
                    linked = sorted({ids[ref] for ref in result.refers if ref in ids})
                    entries.append((result.path, result.url, ids.get(result.url), "page", linked))
            with record.transaction():
                record.put(entries)
        finally:
            record.close()
    return gone
