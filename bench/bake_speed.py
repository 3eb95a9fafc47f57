"""The mirror's bake on 10,000 synthetic articles: a full bake (time per page, rendering and the
Pagefind index apart), a second bake of the same content (what changes: nothing), and the time from
an editor's publish (and unpublish) to the incremental re-bake being visible in the folder.

Usage: .venv/bin/python bench/bake_speed.py [--articles 10000] [--data-dir DIR] [--out DIR]
                                            [--workers N] [--publishes 10] [--reuse]

It loads the demo into a data folder (`rightsdesk demo --no-serve`, SQLite), adds synthetic
English articles (bench/_synthetic.py), computes their Related lists if they have none, and bakes
with production settings (DEBUG off), in process, as `rightsdesk bake` does.
"""

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path




def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--out", default=None, help="the folder to bake into (default: a new temporary one)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--publishes", type=int, default=10)
    parser.add_argument("--reuse", action="store_true",
                        help="OUT/site was baked by an earlier run on the same data: time the publishes only")
    args = parser.parse_args()

    from _django import demo_data_dir, percentile, setup_django
    from _synthetic import synthetic_articles

    data_dir = demo_data_dir(args.data_dir, prefix="rightsdesk-bake-bench-")
    setup_django(data_dir)
    from django.conf import settings
    from django.core.management import call_command

    from rightsdesk.mirror import bake as baking
    from rightsdesk.mirror import incremental
    from rightsdesk.newsroom.models import ArticlePage
    from rightsdesk.related import engine
    from rightsdesk.related.models import RelatedItem

    more, home = synthetic_articles(args.articles)
    if RelatedItem.objects.count() < ArticlePage.objects.live().count():
        print("computing Related lists (once for this data folder)...", file=sys.stderr)
        engine.rebuild()
    call_command("collectstatic", interactive=False, verbosity=0)
    outdir = Path(args.out or tempfile.mkdtemp(prefix="rightsdesk-baked-")) / "site"

    from tqdm import tqdm

    def progress(**kwargs):
        return tqdm(unit="page", file=sys.stderr, **kwargs)

    full = again = None
    if not args.reuse:
        t0 = time.perf_counter()
        full = baking.bake(outdir, workers=args.workers, progress=progress)
        full_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = baking.bake(outdir, workers=args.workers)
        again_s = time.perf_counter() - t0

    def run_background_tasks():
        """What a `rightsdesk worker` beside the server does after a publish, run here (database
        backend; with the immediate backend it ran during the publish already)."""
        from django.core.management import call_command

        from rightsdesk.newsroom import background

        if background.in_database():
            call_command("db_worker", "--backend", background.BACKEND, "--queue-name", "*", "--batch",
                         "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)

    # Publishes as an editor makes them (a revision published), with the folder configured.
    settings.RIGHTSDESK_MIRROR_DIR = str(outdir)
    publish_ms, rebake_ms, later_ms, unpublish_ms, unrebake_ms = [], [], [], [], []
    for i in range(args.publishes):
        page = more.add_article(more.rng.choice(more.stories), dt.datetime.now(dt.timezone.utc))
        ArticlePage.objects.filter(pk=page.pk).update(live=False)
        page = ArticlePage.objects.get(pk=page.pk)
        page.title = f"Bench publish {i}: {page.title}"
        revision = page.save_revision()
        target = outdir / page.url.lstrip("/") / "index.html"
        incremental.last_report = None
        t0 = time.perf_counter()
        revision.publish()  # the re-bake runs when the publish commits, before this returns
        visible = target.is_file() and page.title in (outdir / "fragments/sidebars.html").read_text()
        publish_ms.append((time.perf_counter() - t0) * 1000)
        assert visible, f"{page.url} is not in the folder after the publish"
        rebake_ms.append(incremental.last_report["seconds"] * 1000)
        # The sitemap, recommendations file and search index: the worker's task after the pages.
        run_background_tasks()
        later_ms.append((time.perf_counter() - t0) * 1000)
        if i % 2:
            page.refresh_from_db()
            t0 = time.perf_counter()
            page.unpublish()
            unpublish_ms.append((time.perf_counter() - t0) * 1000)
            unrebake_ms.append(incremental.last_report["seconds"] * 1000)
            assert not target.exists()
            # Its own background work (Pagefind, 30-60 s) done before the next publish, as when
            # an editor publishes minutes apart: otherwise the next publish shares the two cores.
            run_background_tasks()
    run_background_tasks()

    print(f"bake of {ArticlePage.objects.live().filter(locale=home.locale).count()} published English articles "
          f"(+ the Persian demo) on SQLite, {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} cores, workers={args.workers or 'default'}")
    if full:
        pages = full["pages"]
        print(f"full bake: {pages} pages + {full['assets']} files in {full_s:.1f} s = {full_s * 1000 / pages:.2f} ms per page "
              f"(rendering {full['render_seconds']} s = {full['render_seconds'] * 1000 / pages:.2f} ms per page; "
              f"Pagefind index {full['search_seconds']} s beside the listings, {full['search_files']} files, "
              f"waited for {full['search_wait_seconds']} s after the last page)")
        print(f"second bake, same content: {again_s:.1f} s, {again['changed']} files changed")
    print(f"publish -> visible in the folder ({len(publish_ms)} publishes, re-bake included): "
          f"median {statistics.median(publish_ms):.0f} ms, p95 {percentile(publish_ms, 95):.0f} ms, max {max(publish_ms):.0f} ms")
    print(f"incremental re-bake of one publish (the pages, inside the publish above): median "
          f"{statistics.median(rebake_ms):.0f} ms, p95 {percentile(rebake_ms, 95):.0f} ms, max {max(rebake_ms):.0f} ms "
          f"(each: {', '.join(f'{ms:.0f}' for ms in rebake_ms)})")
    print(f"publish -> sitemap, recommendations file and search index re-made too (background): "
          f"median {statistics.median(later_ms):.0f} ms, max {max(later_ms):.0f} ms")
    if unpublish_ms:
        print(f"unpublish -> gone from the folder: median {statistics.median(unpublish_ms):.0f} ms, max {max(unpublish_ms):.0f} ms"
              f" (re-bake: median {statistics.median(unrebake_ms):.0f} ms)")
    print(f"baked folder: {outdir}")


if __name__ == "__main__":
    main()
