"""The dynamic search on 10,000 synthetic articles: the search page and the query alone, against
Wagtail's own database search backend on the same data; SQLite, or PostgreSQL with DATABASE_URL.

Usage: .venv/bin/python bench/search_speed.py [--articles 10000] [--queries 200] [--data-dir DIR]
       DATABASE_URL=postgres://... .venv/bin/python bench/search_speed.py   (uses the database
       rightsdesk_bench_search on that server, created when missing; another with
       RIGHTSDESK_BENCH_PGDATABASE=NAME)

It loads the demo (`rightsdesk demo --no-serve`) into a temporary data folder (or DIR), adds
synthetic English articles until there are `--articles` (word salad from the demo's words, as
bench/related_speed.py makes them: 400 stories, about 350 words each), and rebuilds the search
index (timed). Then it runs `--queries` varied queries (common words, rarer story words, two-word
queries, prefixes of words being typed, Persian words on the Persian site, words found nowhere)
three ways: the rendered search page through Django's test client (production settings, the
page cache off so every page is rendered; the header's cached parts stay warm, as in a running
`rightsdesk serve`), our query alone (count + the
first page of ten with snippets), and Wagtail's backend for the same selection (count + first
page of ten, as the search page did before, by modelsearch's own backend whatever the settings
say; fewer queries, it is slow).
"""

import argparse
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _django import percentile

REPO = Path(__file__).resolve().parent.parent
BENCH_DB = os.environ.get("RIGHTSDESK_BENCH_PGDATABASE", "rightsdesk_bench_search")




def persian_words():
    words = []
    for path in sorted((REPO / "rightsdesk/demo/content/fa").glob("*.md")):
        words += re.findall(r"[\u0600-\u06FF]{4,}", path.read_text(encoding="utf-8"))
    return sorted(set(words))


def postgres_url(url):
    """The benchmark's own database on the server of `url` (created when missing)."""
    import psycopg

    base = url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(base, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return url.rsplit("/", 1)[0] + "/" + BENCH_DB


def setup(data_dir, database_url):
    """Load the demo (idempotent; migrates) and set Django up with production settings."""
    env = dict(os.environ, RIGHTSDESK_DATA_DIR=str(data_dir))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    cli = str(Path(sys.executable).parent / "rightsdesk")
    subprocess.run([cli, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(RIGHTSDESK_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="rightsdesk.settings.production",
                      RIGHTSDESK_SECRET_KEY=secrets.token_urlsafe(64), RIGHTSDESK_SSL_REDIRECT="0",
                      RIGHTSDESK_ALLOWED_HOSTS="127.0.0.1")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def queries(rng, common, n):
    """`n` varied queries: what readers type, from one word to a few, in both languages."""
    from rightsdesk.newsroom.models import ArticlePage

    titles = list(ArticlePage.objects.filter(slug__startswith="synthetic-").values_list("title", flat=True)[:2000])
    story_words = sorted({w.lower() for t in titles for w in t.split()})
    fa = persian_words()
    out = []
    for i in range(n):
        kind = i % 10
        if kind in (0, 1, 2):  # one common word
            out.append(("en", rng.choice(common)))
        elif kind == 3:  # a word of the titles (often a story's word)
            out.append(("en", rng.choice(story_words)))
        elif kind in (4, 5):  # two words
            out.append(("en", f"{rng.choice(common)} {rng.choice(story_words)}"))
        elif kind == 6:  # a word being typed
            out.append(("en", rng.choice([w for w in common if len(w) >= 6])[:4]))
        elif kind == 7:  # a demo topic, three words
            out.append(("en", " ".join(rng.sample(["Iran", "executions", "prisoners", "Zahedan", "UN", "report",
                                                   "women", "protest", "death", "sentence"], 3))))
        elif kind == 8:  # Persian
            out.append(("fa", rng.choice(fa)))
        else:  # found nowhere, or punctuation
            out.append(("en", rng.choice(["zzqqxx", "qwertyuiop", '"', "AND OR", f"nosuchword{i}"])))
    return out


def timed(fn, items):
    out = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def summary(values):
    return f"median {statistics.median(values):.1f} ms, p95 {percentile(values, 95):.1f} ms, max {max(values):.1f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--wagtail-queries", type=int, default=60)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL")
    if database_url:
        database_url = postgres_url(database_url)
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="rightsdesk-search-bench-"))
    setup(data_dir, database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import Client
    from wagtail.models import Page

    from rightsdesk.newsroom import search, selectors
    from rightsdesk.newsroom.models import ArticlePage, BriefPage
    from rightsdesk.newsroom.setup import home_for
    from modelsearch.backends.database import SearchBackend as modelsearch_backend

    from _synthetic import synthetic_articles, vocabulary

    rng = random.Random(7)
    common = vocabulary()
    # On PostgreSQL, Wagtail's own index is not kept while the articles are made (it costs most
    # of the time there); its comparison then runs on SQLite only.
    synthetic_articles(args.articles, wagtail_index=connection.vendor != "postgresql")
    t0 = time.perf_counter()
    indexed = search.rebuild()
    rebuild_s = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    locales = {lang: home_for(lang).locale_id for lang in ("en", "fa")}
    total_en = ArticlePage.objects.live().filter(locale_id=locales["en"]).count()
    qs = queries(rng, common, args.queries)
    call_command("collectstatic", interactive=False, verbosity=0)
    settings.RIGHTSDESK_PAGE_CACHE_SECONDS = 0  # every search page rendered (the header's parts stay cached)
    client = Client()
    paths = {"en": "/search/", "fa": "/fa/search/"}

    def ours(item):
        lang, q = item
        results = selectors.search(q, locales[lang])
        results.expect_page(1, 10)  # as the search page asks: the count and the first page
        results.count()
        results[0:10]

    def page(item):
        lang, q = item
        response = client.get(paths[lang], {"q": q}, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (q, response.status_code)

    modelsearch = modelsearch_backend({})  # modelsearch's own, whatever WAGTAILSEARCH_BACKENDS says

    def wagtail(item):
        lang, q = item
        found = selectors.public(Page.objects.live().filter(locale_id=locales[lang]).type(ArticlePage, BriefPage))
        first = Paginator(modelsearch.search(q, found.specific()), 10).page(1)
        list(first.object_list)

    hits = [selectors.search(q, locales[lang]).count() for lang, q in qs]
    for item in qs[:10]:  # warm-up: connections, templates, caches of the frame
        page(item)
        ours(item)
    page_ms = timed(page, qs)
    ours_ms = timed(ours, qs)
    wagtail_items = qs[: args.wagtail_queries]
    wagtail_error = "not measured on PostgreSQL (its index was not built with the synthetic articles)"
    try:
        wagtail_ms = timed(wagtail, wagtail_items) if connection.vendor != "postgresql" else None
    except Exception as exc:  # the old backend's failures are a result too
        wagtail_ms, wagtail_error = None, f"{type(exc).__name__}: {exc}"

    db = f"PostgreSQL {connection.pg_version // 10000}" if connection.vendor == "postgresql" else \
        f"SQLite {connection.Database.sqlite_version}"
    print(f"search on {total_en} published English articles ({db}, {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} cores); {indexed} pages indexed")
    print(f"index rebuild: {rebuild_s:.1f} s")
    print(f"{len(qs)} queries: results per query median {statistics.median(hits):.0f}, max {max(hits)}; "
          f"{sum(1 for h in hits if h == 0)} with none")
    print(f"search page, rendered (test client): {summary(page_ms)}")
    print(f"our query alone (count + first 10 with snippets): {summary(ours_ms)}")
    if wagtail_ms is not None:
        print(f"Wagtail's backend (count + first 10, first {len(wagtail_items)} queries): {summary(wagtail_ms)}")
        print(f"  ours on the same {len(wagtail_items)} queries: {summary(ours_ms[: len(wagtail_items)])}")
    else:
        print(f"Wagtail's backend: {wagtail_error}")


if __name__ == "__main__":
    main()
