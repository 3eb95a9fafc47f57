"""Related and Recommended on 10,000 synthetic articles: full rebuild, the update after one publish
and one unpublish, and the size of the recommendations file.

Usage: .venv/bin/python bench/related_speed.py [--articles 10000] [--updates 20] [--data-dir DIR]

It loads the demo into a temporary data folder (`rightsdesk demo --no-serve`, SQLite), then adds
synthetic English articles: 400 made-up stories, each with its own words (drawn from the words of
the demo articles), two to four tags of 80 and one to three facts desk entities of the demo
registry; each article is about 350 words (a third from its story, the rest common words), with a
title of 7 to 12 words, spread over ten years and four sections. The words are real but the text
is word salad: it measures speed and size, not quality (see related_quality.py). Timings run in
process with production settings (DEBUG off), as `rightsdesk serve` runs.
"""

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import statistics
import time




def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()

    from _django import demo_data_dir, percentile, setup_django
    from _synthetic import synthetic_articles

    data_dir = demo_data_dir(args.data_dir, prefix="rightsdesk-related-bench-")
    setup_django(data_dir)
    from django.db import transaction
    from django.test import Client

    from rightsdesk.newsroom.models import ArticlePage
    from rightsdesk.newsroom.signals import bump_public_version
    from rightsdesk.related import engine
    from rightsdesk.related.recommend import recommendations_json

    more, home = synthetic_articles(args.articles)
    stories, rng = more.stories, more.rng

    def add_article(story, when):
        return more.add_article(story, when)

    total_en = ArticlePage.objects.live().filter(locale=home.locale).count()

    # Full rebuild of the language (what `rightsdesk related --rebuild` does for each language).
    t0 = time.perf_counter()
    engine.rebuild(locale_id=home.locale_id)
    rebuild_s = time.perf_counter() - t0

    # One publish: the article is saved first (not timed); the related update is what runs after
    # the commit of the publish.
    update_ms, load_ms, lists_written = [], [], []
    for _ in range(args.updates):
        with transaction.atomic():
            page = add_article(rng.choice(stories), dt.datetime.now(dt.timezone.utc))
        t0 = time.perf_counter()
        lists_written.append(engine.update_article(page.pk))
        update_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        engine.load_index(home.locale_id)
        load_ms.append((time.perf_counter() - t0) * 1000)
    remove_ms = []
    for pk in list(ArticlePage.objects.filter(slug__startswith="synthetic-").order_by("-pk").values_list("pk", flat=True)[:5]):
        ArticlePage.objects.filter(pk=pk).update(live=False)
        t0 = time.perf_counter()
        engine.remove_article(pk)
        remove_ms.append((time.perf_counter() - t0) * 1000)

    from django.conf import settings

    from rightsdesk.related.recommend import fresh_count

    sizes = []
    for fresh in (fresh_count(), 0, 2000):
        settings.RIGHTSDESK_RECOMMEND_FRESH = fresh
        t0 = time.perf_counter()
        body = recommendations_json(home)
        json_ms = (time.perf_counter() - t0) * 1000
        items = len(json.loads(body)["sec"])
        sizes.append((fresh, items, len(body), len(gzip.compress(body, 6)), len(gzip.compress(body, 9)), json_ms))

    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    urls = [p.url for p in ArticlePage.objects.live().filter(slug__startswith="synthetic-").order_by("pk")[:20]]
    render = []
    for i in range(60):
        bump_public_version()
        t0 = time.perf_counter()
        response = client.get(urls[i % len(urls)], HTTP_HOST="127.0.0.1")
        render.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code

    print(f"related on {total_en} published English articles (SQLite, {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} cores)")
    print(f"full rebuild of the language: {rebuild_s:.1f} s")
    print(f"update after one publish ({args.updates} publishes): median {statistics.median(update_ms):.0f} ms, "
          f"p95 {percentile(update_ms, 95):.0f} ms, max {max(update_ms):.0f} ms; "
          f"lists written median {statistics.median(lists_written):.0f}; of which loading the stored features "
          f"median {statistics.median(load_ms):.0f} ms")
    print(f"update after one unpublish (5): median {statistics.median(remove_ms):.0f} ms, max {max(remove_ms):.0f} ms")
    for fresh, items, raw, gz6, gz9, json_ms in sizes:
        print(f"recommendations.json: {items} articles (Related lists of the newest {fresh}), "
              f"{raw / 1024:.0f} KB raw, {gz6 / 1024:.0f} KB gzip -6, {gz9 / 1024:.0f} KB gzip -9; built in {json_ms:.0f} ms")
    print(f"article page render, nothing cached (60 requests): median {statistics.median(render):.1f} ms, "
          f"p95 {percentile(render, 95):.1f} ms")


if __name__ == "__main__":
    main()
