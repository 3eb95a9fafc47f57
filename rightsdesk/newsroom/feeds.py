"""RSS 2.0 and Atom feeds of the site (per language: its articles) and of each section (its
articles and wire briefs)."""

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import prefetch_related_objects
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from .selectors import language_of, site_identity

FEED_LENGTH = 30


class _StableDate:
    """A feed without items is dated by its page's last publication, not by the clock, so the same
    content always gives the same feed (a baked mirror is compared byte for byte)."""

    def latest_post_date(self):
        if self.items:
            return super().latest_post_date()
        return self.feed.get("quiet_since") or dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


class _Rss(_StableDate, Rss201rev2Feed):
    pass


class _Atom(_StableDate, Atom1Feed):
    pass


class PageFeed(Feed):
    """The newest published items below a HomePage or SectionPage."""

    def __init__(self, kind):
        super().__init__()
        self.feed_type = _Atom if kind == "atom" else _Rss
        self.kind = kind

    def feed_extra_kwargs(self, page):
        return {"quiet_since": page.last_published_at}

    def get_object(self, request, page):
        self.request = request
        # The feed's <language> is the page's, not the reader's browser's.
        self.language = language_of(page)
        return page

    def title(self, page):
        identity = site_identity(self.request, language_of(page))
        if page.depth <= 2:
            return identity["name"]
        return f"{page.title} · {identity['name']}"

    def link(self, page):
        return page.get_url(self.request)

    def feed_url(self, page):
        route = "feed_atom" if self.kind == "atom" else "feed_rss"
        return page.get_url(self.request) + page.reverse_subpage(route)

    def description(self, page):
        identity = site_identity(self.request, language_of(page))
        return getattr(page, "intro", "") or identity["tagline"] or identity["name"]

    subtitle = description

    def items(self, page):
        from .cache import versioned

        def compute():
            items = list(page.feed_items()[:FEED_LENGTH])
            articles = [item for item in items if hasattr(item, "article_authors")]
            prefetch_related_objects(articles, "article_authors__author", "tagged_items__tag")
            return items

        # The RSS and Atom feeds of a page list the same items: read once per publish.
        return versioned(f"feed-items:{page.pk}", compute)

    def item_title(self, item):
        return getattr(item, "credited_title", item.title)

    def item_description(self, item):
        return getattr(item, "dek", "") or item.excerpt(40)

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published

    def item_updateddate(self, item):
        return getattr(item, "updated", None) or item.last_published_at or item.first_published

    def item_author_name(self, item):
        names = [a.display_name(language_of(item)) for a in getattr(item, "authors", ())]
        return ", ".join(names) or None

    def item_categories(self, item):
        return [tag.name for tag in getattr(item, "tag_list", ())]


def feed_response(request, page, kind):
    response = PageFeed(kind)(request, page=page)
    response["Cache-Control"] = f"public, max-age={getattr(settings, 'RIGHTSDESK_FEED_MAX_AGE', 300)}"
    return response
