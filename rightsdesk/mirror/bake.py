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

The parts, one module each: targets.py (what the site is made of), rendering.py (an address into
a file), files.py (the folder on disk), record.py (the folder's record), pagefind.py (the search
index); this module bakes the whole site with them.
"""

import hashlib
import multiprocessing
import os
import time
from pathlib import Path

from django.db import connections

from rightsdesk.newsroom import selectors
from rightsdesk.newsroom.cache import hold_entries, hot_cache
from rightsdesk.newsroom.signals import begin_request
from rightsdesk.runtime import tune_gc

from . import links
from .files import STATE_DIR, STATE_FILE, BakeError, check_outdir, folder_lock, move_file, remove_files, write_file  # noqa: F401
from .pagefind import SearchIndexBuild, build_search_index, pagefind_executable, search_glob  # noqa: F401
from .record import STATE_FORMAT, Record, open_record  # noqa: F401
from .rendering import Renderer, Result, copy_asset, handler  # noqa: F401
from .targets import Target, listing_urls, site_targets  # noqa: F401


def _render_chunk(args):
    outdir, base_url, targets = args
    renderer = _worker_renderer(outdir, base_url)
    return renderer.bake_targets(targets)


def _worker_start():
    # A worker renders thousands of pages and keeps their fragments: what it loaded before the
    # fork is never garbage, and rendering allocates many short-lived objects (rightsdesk/runtime.py).
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

    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
        for made in pool.imap_unordered(_teaser_chunk, jobs):
            hot_cache().set_many(made)


def make_way_for_search_index():
    """Let Pagefind have the processors first while the listings are rendered: the bake ends when
    the index does, and the listings fit in the time Pagefind leaves free."""
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
    # Fragments (teasers, Related lists) are shared between pages: keep them all for the bake.
    with folder_lock(outdir), hold_entries(200_000):
        return _bake(outdir, base_url, workers, progress, search)


def _bake(outdir, base_url, workers, progress, search):
    record = Record(outdir, create=True)
    begin_request()
    # Fragments (teasers, Related lists) are shared between pages: keep them all for the bake.
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
