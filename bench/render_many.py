"""Server time to render synthetic article pages in a large data folder, nothing cached (as right
after a publish): for comparing two versions of the code on the same database.

Usage: .venv/bin/python bench/render_many.py --data-dir DIR [--requests 60]
DIR is a data folder made by bench/related_speed.py. To time another checkout's code on the same
data, put it first on PYTHONPATH (PYTHONPATH=/path/to/checkout .venv/bin/python bench/render_many.py …).
"""

import argparse
import statistics
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    from _django import setup_django

    setup_django(args.data_dir)
    import rightsdesk
    from django.test import Client

    from rightsdesk.newsroom.models import ArticlePage
    from rightsdesk.newsroom.signals import bump_public_version

    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    urls = [p.url for p in ArticlePage.objects.live().filter(slug__startswith="synthetic-").order_by("pk")[:20]]
    samples = []
    for i in range(args.requests + 10):
        bump_public_version()
        start = time.perf_counter()
        response = client.get(urls[i % len(urls)], HTTP_HOST="127.0.0.1")
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.status_code
        if i >= 10:  # the first ten warm Python and the database's caches
            samples.append(elapsed)
    print(f"{rightsdesk.__file__}: {ArticlePage.objects.live().count()} live articles, {len(samples)} cold renders: "
          f"median {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms")


if __name__ == "__main__":
    main()
