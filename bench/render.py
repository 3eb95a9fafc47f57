"""Server time to render an article page (all its sections) on the demo content.

Three ways, in one run:
  cold            as right after a publish: nothing cached; the page, its header (sections,
                  languages), Latest news, Must read and Related all computed from the database
  uncached        the page rendered for this request (no site cache); the header, Latest news /
                  Must read and Related lists taken from the per-process fragment caches, as between
                  two publishes
  site cache      the whole page served from the site cache (anonymous reader, warm cache)

Usage: .venv/bin/python bench/render.py [--requests N] [--data-dir DIR]
It loads the demo into a temporary data folder with `rightsdesk demo --no-serve` (SQLite) unless
--data-dir names one that has it, then renders in-process with production settings.
"""

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent




def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()

    from _django import demo_data_dir, percentile, setup_django

    setup_django(demo_data_dir(args.data_dir), allowed_host="testserver")
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from rightsdesk.newsroom.models import ArticlePage
    from rightsdesk.newsroom.signals import bump_public_version

    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    urls = [p.url for p in ArticlePage.objects.live().filter(locale__language_code="en").order_by("pk")[:20]]

    def timed(prepare):
        samples = []
        for i in range(args.requests):
            url = urls[i % len(urls)]
            prepare()
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return samples

    results = {}
    settings.RIGHTSDESK_PAGE_CACHE_SECONDS = 0
    cache.clear()
    timed(bump_public_version)  # warm Python, templates and the database's own caches
    # "uncached": as right after a publish, every cached fragment and page is stale.
    results["cold"] = timed(bump_public_version)
    results["uncached"] = timed(lambda: None)
    settings.RIGHTSDESK_PAGE_CACHE_SECONDS = 600
    timed(lambda: None)
    results["site cache"] = timed(lambda: None)

    print(f"article page render, {args.requests} requests over {len(urls)} demo articles, SQLite, "
          f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores")
    print(f"{'mode':<12} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for mode, samples in results.items():
        print(f"{mode:<12} {statistics.median(samples):>10.2f} {percentile(samples, 95):>8.2f} {max(samples):>8.2f}")


if __name__ == "__main__":
    main()
