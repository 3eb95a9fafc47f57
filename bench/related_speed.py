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
import random
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def vocabulary():
    words = []
    for path in sorted((REPO / "rightsdesk/demo/content/en").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("+++", 2)[2]
        words += re.findall(r"[A-Za-z][a-z]{2,}", body)
    common = sorted(set(w.lower() for w in words))
    return common


def make_text(rng, story_words, common, n_words):
    words = [rng.choice(story_words) if rng.random() < 0.33 else rng.choice(common) for _ in range(n_words)]
    sentences, i = [], 0
    while i < len(words):
        k = rng.randint(12, 24)
        chunk = words[i : i + k]
        sentences.append(chunk[0].capitalize() + " " + " ".join(chunk[1:]) + ".")
        i += k
    paragraphs = [" ".join(sentences[j : j + 4]) for j in range(0, len(sentences), 4)]
    return paragraphs


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()

    from _django import demo_data_dir, setup_django

    data_dir = demo_data_dir(args.data_dir, prefix="rightsdesk-related-bench-")
    setup_django(data_dir)
    from django.db import transaction
    from django.db.models.signals import post_save
    from django.test import Client
    from django.utils.text import slugify
    from taggit.models import Tag
    from tqdm import tqdm

    from rightsdesk.facts import signals as facts_signals
    from rightsdesk.facts.models import Entity, Mention
    from rightsdesk.newsroom.models import ArticlePage, ArticleTag, SectionPage
    from rightsdesk.newsroom.setup import home_for
    from rightsdesk.newsroom.signals import bump_public_version
    from rightsdesk.related import engine
    from rightsdesk.related.recommend import recommendations_json

    rng = random.Random(5)
    common = vocabulary()
    home = home_for("en")
    sections = list(SectionPage.objects.child_of(home).exclude(slug="wire"))
    entity_ids = list(Entity.objects.values_list("pk", flat=True))
    tags = [Tag.objects.get_or_create(name=f"synthetic topic {i}", slug=f"synthetic-topic-{i}")[0] for i in range(80)]
    stories = []
    for s in range(400):
        stories.append({
            "words": rng.sample(common, 25),
            "tags": rng.sample(tags, rng.randint(2, 4)),
            "entities": rng.sample(entity_ids, rng.randint(1, 3)) if entity_ids else [],
            "section": rng.choice(sections),
        })
    start_date = dt.datetime(2016, 1, 1, tzinfo=dt.timezone.utc)
    # Mentions and tags are written directly (the linker's speed is the facts desk's bench).
    post_save.disconnect(facts_signals._article_saved, sender="newsroom.ArticlePage", dispatch_uid="facts-article-saved")
    counter = [ArticlePage.objects.count()]

    used_slugs = set(ArticlePage.objects.values_list("slug", flat=True))

    def add_article(story, when):
        counter[0] += 1
        n = counter[0]
        paragraphs = make_text(rng, story["words"], common, rng.randint(280, 420))
        title_words = [rng.choice(story["words"] if rng.random() < 0.5 else common) for _ in range(rng.randint(7, 12))]
        title = " ".join(title_words).capitalize()
        # A slug as editors shorten them: the first words of the title, sometimes a year; the
        # "synthetic-" prefix tells these articles apart (and costs the file a byte or two).
        slug = "synthetic-" + "-".join(slugify(title).split("-")[: rng.randint(3, 6)])
        if rng.random() < 0.3:
            slug += f"-{when.year}"
        if slug in used_slugs:
            slug += f"-{n}"
        used_slugs.add(slug)
        page = ArticlePage(
            title=title, slug=slug, dek=paragraphs[0][:160],
            first_published=when, live=True, locale=home.locale,
            body=[("paragraph", f"<p>{p}</p>") for p in paragraphs],
        )
        story["section"].add_child(instance=page)
        picked = [t for t in story["tags"] if rng.random() < 0.8] or story["tags"][:1]
        ArticleTag.objects.bulk_create([ArticleTag(content_object_id=page.pk, tag=t) for t in picked])
        Mention.objects.bulk_create([
            Mention(page_id=page.pk, entity_id=e, text="x", start=0, end=1) for e in story["entities"] if rng.random() < 0.8
        ])
        return page

    existing = ArticlePage.objects.filter(locale=home.locale, slug__startswith="synthetic-").count()
    todo = max(0, args.articles - existing)
    with transaction.atomic():
        for _ in tqdm(range(todo), desc="synthetic articles", file=sys.stderr):
            when = start_date + dt.timedelta(days=rng.uniform(0, 3650))
            add_article(rng.choice(stories), when)
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
