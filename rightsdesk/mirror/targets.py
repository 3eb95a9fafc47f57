"""What the site is made of: every public address the bake writes, in a stable order (the
newsroom's own pages and routes, and what the apps add: extensions.BAKE_TARGETS)."""

from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Count
from wagtail.models import Page

from rightsdesk.newsroom import extensions, selectors
from rightsdesk.newsroom.models import ArticleAuthor, ArticleTag, SectionPage
from rightsdesk.newsroom.paging import full_pages


@dataclass
class Target:
    """One address to bake, and the page it shows (for pages that articles or briefs are)."""

    url: str
    page_id: int | None = None


def listing_urls(base, count, first_route, numbered_route):
    """The first page and every numbered page of a listing of `count` items (see paging.py)."""
    urls = [base + first_route]
    urls += [base + numbered_route.format(n=n) for n in range(1, full_pages(count) + 1)]
    return urls


def site_targets():
    """Every public address of the site, in a stable order."""
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
