"""Synthetic English articles for the benchmarks (related_speed.py, bake_speed.py).

400 made-up stories, each with its own words (drawn from the words of the demo articles), two to
four tags of 80 and one to three facts desk entities of the demo registry; each article is about
350 words (a third from its story, the rest common words), with a title of 7 to 12 words and an
editor-style slug, spread over ten years and four sections. The words are real but the text is
word salad: it measures speed and size, not quality.
"""

import datetime as dt
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


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



def synthetic_articles(count, seed=5, wagtail_index=True):
    """Add synthetic articles until `count` exist; returns `add_article(when)` for more, with the
    English home page. Django must be set up. `wagtail_index=False`: Wagtail's own search index
    (modelsearch) is not updated for them."""
    from django.db import transaction
    from django.db.models.signals import post_save
    from django.utils.text import slugify
    from taggit.models import Tag
    from tqdm import tqdm

    from rightsdesk.newsroom import publishing
    from rightsdesk.facts.models import Entity, Mention
    from rightsdesk.newsroom.models import ArticlePage, ArticleTag, SectionPage
    from rightsdesk.newsroom.setup import home_for

    rng = random.Random(seed)
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
    post_save.disconnect(publishing._article_saved, sender="newsroom.ArticlePage", dispatch_uid="rightsdesk-article-saved")
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
    todo = max(0, count - existing)
    if not wagtail_index:
        from modelsearch.signal_handlers import post_save_signal_handler

        post_save.disconnect(post_save_signal_handler, sender=ArticlePage)
    with transaction.atomic():
        for _ in tqdm(range(todo), desc="synthetic articles", file=sys.stderr):
            when = start_date + dt.timedelta(days=rng.uniform(0, 3650))
            add_article(rng.choice(stories), when)
    if todo:
        from rightsdesk.newsroom.dbstats import analyze

        analyze()  # as `rightsdesk demo` does after loading: the planner's statistics

    def more(when):
        return add_article(rng.choice(stories), when)

    more.add_article = add_article
    more.stories = stories
    more.rng = rng
    return more, home
